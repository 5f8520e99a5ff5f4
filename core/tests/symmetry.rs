//! The symmetry reduction (M1/M2, G1/G2 stored once per swap) changes state counts, never
//! verdicts: every variant, on the combinations with two identical actors, gives the same
//! violated invariants and deadlock verdict with and without it, and the reduction really
//! stores fewer states. Swapping is an automorphism of the model: a state and its swap have
//! swapped successors.

use mmrace_core::explore::{explore, Bounds, Report, Status};
use mmrace_core::policy::Policy;
use mmrace_core::run::Run;
use mmrace_core::scenario::Kill;
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
    let m = Model::new(Variant::by_id("b4-mrelease-mmgrab").unwrap(), sc.clone());
    let g = groups(&sc.actors());
    assert_eq!(g, vec![[M1, M2], [G1, G2]]);
    for seed in 0..20 {
        let mut run = Run::new(m.clone());
        run.autoplay(&mut Policy::random(seed), 60);
        for i in 0..=run.len() {
            let s = run.state_at(i);
            for (x, y) in [(M1, M2), (G1, G2)] {
                let t = swapped(s, x, y);
                assert_eq!(canonical(s, &g), canonical(&t, &g));
                assert_eq!(swapped(&t, x, y), *s);
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
}
