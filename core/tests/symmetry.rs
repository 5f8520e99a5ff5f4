//! The symmetry reduction (M1/M2, G1/G2 stored once per swap) changes state counts, never
//! verdicts: every variant, on the combinations with two identical actors, gives the same
//! violated invariants and deadlock verdict with and without it, and the reduction really
//! stores fewer states. Swapping is an automorphism of the model: a state and its swap have
//! swapped successors.

use mmrace_core::explore::{explore, Bounds, Report, Status};
use mmrace_core::pack::{cmp_actors, pack, swap_actors, Packed};
use mmrace_core::policy::Policy;
use mmrace_core::run::Run;
use mmrace_core::scenario::Kill;
use mmrace_core::schedule::Schedule;
use mmrace_core::sim::State;
use mmrace_core::symmetry::{canonical, groups, swapped};
use mmrace_core::variant::VARIANTS;
use mmrace_core::ActorId::{G1, G2, M1, M2};
use mmrace_core::{Model, Scenario, Variant};

fn check(v: &str, sc: &Scenario, max_depth: usize) -> (Report, Report) {
    let m = || Model::new(Variant::by_id(v).unwrap(), sc.clone());
    // Symmetry alone: the partial-order reduction has its own test (`reduction.rs`), and with
    // a depth bound a reduced search may see fewer levels.
    let b = |symmetry| Bounds {
        max_depth,
        symmetry,
        reduction: false,
        ..Bounds::default()
    };
    (explore(m(), b(true)), explore(m(), b(false)))
}

fn same_verdict(v: &str, sc: &Scenario, max_depth: usize) -> (u64, u64) {
    let (with, without) = check(v, sc, max_depth);
    let what = format!("{v} {}", sc.name());
    assert_eq!(with.status, without.status, "{what}");
    if max_depth == Bounds::default().max_depth {
        assert_eq!(with.status, Status::Complete, "{what}");
    }
    assert_eq!(with.violated(), without.violated(), "{what}");
    assert_eq!(with.deadlocks > 0, without.deadlocks > 0, "{what}");
    assert_eq!(with.max_depth, without.max_depth, "{what}");
    // The same shortest counterexample length for each invariant.
    for inv in with.violated() {
        assert_eq!(
            with.shortest(inv).unwrap().steps,
            without.shortest(inv).unwrap().steps,
            "{what} {inv}"
        );
    }
    assert!(
        !with.symmetry.is_empty() && without.symmetry.is_empty(),
        "{what}"
    );
    assert!(
        with.states < without.states,
        "{what}: {} vs {}",
        with.states,
        without.states
    );
    (with.states, without.states)
}

#[test]
fn verdicts_do_not_change_with_two_mrelease_callers_or_two_readers() {
    let full = Bounds::default().max_depth;
    let mut total = (0, 0);
    for v in VARIANTS {
        for (sc, depth) in [
            // Complete explorations.
            (Scenario::combination(Kill::User, 2, 0).unwrap(), full),
            (Scenario::combination(Kill::User, 2, 2).unwrap(), full),
            (Scenario::combination(Kill::UserOom, 2, 0).unwrap(), full),
            (Scenario::combination(Kill::UserOom, 0, 2).unwrap(), full),
            // The OOM kill with two callers or two readers, to a depth that holds the shortest
            // counterexamples (breadth-first: every level up to it is complete both ways).
            (Scenario::combination(Kill::Oom, 2, 0).unwrap(), 22),
            (Scenario::combination(Kill::Oom, 1, 2).unwrap(), 22),
        ] {
            let (a, b) = same_verdict(v.id, &sc, depth);
            total = (total.0 + a, total.1 + b);
        }
    }
    eprintln!("states with / without symmetry: {} / {}", total.0, total.1);
}

#[test]
fn a_swap_is_an_automorphism_and_canonical_keys_ignore_it() {
    let sc = Scenario::combination(Kill::UserOom, 2, 2).unwrap();
    let g = groups(&sc.actors());
    assert_eq!(g, vec![[M1, M2], [G1, G2]]);
    let mut seen_tied = std::collections::BTreeMap::new();
    // v5.17: process_mrelease callers queue behind exit_mmap's write lock, where two of
    // them at the same line differ only by their order in the queue.
    for (v, seed) in ["b4-mrelease-mmgrab", "v5.17"]
        .into_iter()
        .flat_map(|v| (0..40).map(move |seed| (v, seed)))
    {
        let m = Model::new(Variant::by_id(v).unwrap(), sc.clone());
        let mut run = Run::new(m.clone());
        run.autoplay(&mut Policy::random(seed), 60);
        for i in 0..=run.len() {
            let s = run.state_at(i);
            for (x, y) in [(M1, M2), (G1, G2)] {
                let t = swapped(s, x, y);
                assert_eq!(canonical(s, &g), canonical(&t, &g));
                // The byte-level swap the canonical form uses is the packing of the swap.
                assert_eq!(swap_actors(&pack(s), x.index(), y.index()), pack(&t));
                assert_eq!(swapped(&t, x, y), *s);
                // The canonical key is the packing of a member of the orbit (so two orbits
                // never share one), and the orbit's least packing when no group is tied.
                let orbit = orbit_packings(s);
                let c = canonical(s, &g);
                assert!(
                    orbit.contains(&c),
                    "seed {seed} step {i}: not an orbit member"
                );
                // Tied groups whose swap still changes the state (who holds or queues first
                // for the lock): the canonical form's slow path, which the runs must reach.
                *seen_tied.entry(tied(s)).or_insert(0) += 1;
                // Every enabled actor's step commutes with the swap.
                for a in m.enabled(s) {
                    let b = if a == x {
                        y
                    } else if a == y {
                        x
                    } else {
                        a
                    };
                    let (n, _) = m.step(s, a).unwrap();
                    let (nt, _) = m.step(&t, b).unwrap();
                    assert_eq!(swapped(&n, x, y), nt, "seed {seed} step {i} {a}");
                }
            }
        }
    }
    for kind in [(0, 0), (1, 0), (2, 0)] {
        assert!(
            seen_tied.contains_key(&kind),
            "no state with (tied groups, tied groups a swap changes) = {kind:?}: {seen_tied:?}"
        );
    }
}

/// The packings of every member of `s`'s orbit under swapping M1/M2 and G1/G2.
fn orbit_packings(s: &State) -> Vec<Packed> {
    let m = swapped(s, M1, M2);
    vec![
        pack(s),
        pack(&m),
        pack(&swapped(s, G1, G2)),
        pack(&swapped(&m, G1, G2)),
    ]
}

/// How many of the two groups have actors with equal own bytes (the canonical form's slow
/// path), and how many of those a swap still changes (who holds, or queues first for, a lock).
fn tied(s: &State) -> (usize, usize) {
    let p = pack(s);
    let tied: Vec<_> = [(M1, M2), (G1, G2)]
        .into_iter()
        .filter(|(x, y)| cmp_actors(&p, x.index(), y.index()).is_eq())
        .collect();
    let matter = tied
        .iter()
        .filter(|(x, y)| pack(&swapped(s, *x, *y)) != p)
        .count();
    (tied.len(), matter)
}

/// Two process_mrelease callers at the same line, queued behind exit_mmap's write lock in
/// one order or the other: their own bytes are equal, so only the queue tells the two
/// members of the orbit apart, and the canonical form must pack both to pick one.
#[test]
fn callers_queued_in_either_order_share_one_canonical_key() {
    let sc = Scenario::combination(Kill::User, 2, 0).unwrap();
    let g = groups(&sc.actors());
    let mut run = Run::new(Model::new(Variant::by_id("v5.17").unwrap(), sc));
    // Both callers up to mmap_read_lock_killable, V into exit_mmap's write lock, then both
    // callers queue behind it.
    let schedule = "M:task_unlock M2:task_unlock V:mmap_write_lock M* M2*";
    run.apply(&Schedule::parse(schedule).unwrap()).unwrap();
    let s = run.state();
    assert_eq!(tied(s).1, 1, "{}", run.schedule());
    assert_eq!(s.mm.mmap_lock.waiters().count(), 2);
    let t = swapped(s, M1, M2);
    assert_ne!(pack(s), pack(&t));
    assert_eq!(canonical(s, &g), canonical(&t, &g));
    assert_eq!(canonical(s, &g), pack(s).min(pack(&t)));
}
