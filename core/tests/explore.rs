//! Exhaustive verdicts for every variant × scenario (spec §6.6–6.7 and its addendum), the atlas,
//! counterexample replay, bounds and slicing.

mod common;
use common::*;
use mmrace_core::explore::{explore, Bounds, Explorer, Status};
use mmrace_core::variant::VARIANTS;
use mmrace_core::Invariant::{self, S1, S2, S4, S7};
use mmrace_core::{Model, ScenarioId};

fn violated(v: &str, sc: ScenarioId) -> Vec<Invariant> {
    let r = explore(model(v, sc), Bounds::default());
    assert_eq!(r.status, Status::Complete, "{v} {sc:?}");
    assert_eq!(
        r.deadlocks, 0,
        "{v} {sc:?} deadlock: {:?}",
        r.deadlock_schedule
    );
    r.violated()
}

#[test]
fn real_kernels_are_safe_in_every_scenario() {
    for v in ["v5.16", "v5.17", "v6.1"] {
        for sc in ScenarioId::ALL {
            let r = explore(model(v, sc), Bounds::default());
            assert_eq!(r.status, Status::Complete);
            assert!(r.outcomes.is_empty(), "{v} {sc:?}: {:?}", r.outcomes);
            assert_eq!(r.deadlocks, 0);
            assert!(r.final_states > 0 && r.states > 100);
        }
    }
}

#[test]
fn expected_verdicts_from_the_kernels_history() {
    use ScenarioId::*;
    let expect: &[(&str, ScenarioId, &[Invariant])] = &[
        ("v5.17-rc1", UserKill, &[S2]),
        ("v5.17-rc1", OomKill, &[]),
        ("v5.17-rc1", ProcReader, &[]),
        ("b1-no-barrier", OomKill, &[S1, S2, S4, S7]),
        ("b2-skip-after-unlock", OomKill, &[S1, S2, S4, S7]),
        ("b3-skip-check-outside-lock", OomKill, &[S1, S2, S4, S7]),
        ("b4-mrelease-mmgrab", UserKill, &[S1, S2, S4, S7]),
        ("b4-mrelease-mmgrab", OomKill, &[S1, S2, S4, S7]),
        ("b6-munlock-first", OomKill, &[S4, S7]),
        ("b7-victim-by-task", ProcReader, &[S1, S2, S4, S7]),
        ("b8-munlock-outside-lock", OomKill, &[S4, S7]),
        ("b8-munlock-outside-lock", UserKill, &[S4, S7]),
        // No reaper, and v5.16's process_mrelease pins mm_users: these bugs cannot show.
        ("b1-no-barrier", UserKill, &[]),
        ("b2-skip-after-unlock", UserKill, &[]),
        ("b3-skip-check-outside-lock", UserKill, &[]),
        ("b6-munlock-first", UserKill, &[]),
        ("b7-victim-by-task", UserKill, &[]),
    ];
    for (v, sc, inv) in expect {
        assert_eq!(violated(v, *sc), inv.to_vec(), "{v} {sc:?}");
    }
}

#[test]
fn s4_is_the_shortest_violation_of_the_lockless_walker_bugs() {
    // Addendum 1: pre-patch unlock_range clears VM_LOCKED with no lock, so any change that lets
    // a walker overlap exit_mmap reaches the 27ae357fa82b race first.
    for (v, sc) in [
        ("b1-no-barrier", ScenarioId::OomKill),
        ("b4-mrelease-mmgrab", ScenarioId::UserKill),
        ("b7-victim-by-task", ScenarioId::ProcReader),
    ] {
        let r = explore(model(v, sc), Bounds::default());
        let s4 = r.shortest(S4).unwrap().steps;
        for inv in [S1, S2] {
            assert!(s4 < r.shortest(inv).unwrap().steps, "{v}: S4 before {inv}");
        }
    }
}

#[test]
fn every_counterexample_replays_to_its_violation() {
    for (v, sc) in [
        ("v5.17-rc1", ScenarioId::UserKill),
        ("b1-no-barrier", ScenarioId::OomKill),
        ("b4-mrelease-mmgrab", ScenarioId::UserKill),
        ("b6-munlock-first", ScenarioId::OomKill),
        ("b7-victim-by-task", ScenarioId::ProcReader),
        ("b8-munlock-outside-lock", ScenarioId::UserKill),
    ] {
        let r = explore(model(v, sc), Bounds::default());
        assert!(!r.outcomes.is_empty());
        for o in &r.outcomes {
            let run = run(model(v, sc), &o.schedule);
            assert_eq!(
                run.len(),
                o.steps,
                "{v}: '{}' replays in {} steps",
                o.schedule,
                o.steps
            );
            let last = run.len() - 1;
            let fired: Vec<(Invariant, String)> = run.steps()[last]
                .violations
                .iter()
                .map(|x| (x.inv, format!("{} {}", x.actor, run.label(last))))
                .collect();
            assert!(
                fired.contains(&(o.inv, o.at.clone())),
                "{v}: {} → {fired:?}, expected {} at {}",
                o.schedule,
                o.inv,
                o.at
            );
            assert!(o.transitions >= 1 && o.states <= o.transitions);
        }
    }
}

#[test]
fn a_checker_mutant_without_process_mreleases_mmgrab_trips_s3() {
    // Addendum 5: S3 never fires in the real models; this mutant proves the check is live.
    let m = mrelease_mutant(true);
    let r = explore(m, Bounds::default());
    assert!(r.violated().contains(&Invariant::S3), "{:?}", r.violated());
}

#[test]
fn bounds_give_an_incomplete_result() {
    let bounded = |max_states, max_depth| {
        explore(
            model("v5.16", ScenarioId::OomKill),
            Bounds {
                max_states,
                max_depth,
                symmetry: true,
                reduction: true,
            },
        )
    };
    let r = bounded(1000, 10_000);
    assert_eq!(r.status, Status::Incomplete);
    assert!(r.bound_hit.unwrap().contains("max states"));
    let r = bounded(1_000_000, 5);
    assert_eq!(r.status, Status::Incomplete);
}

#[test]
fn slices_give_the_same_report_as_one_run() {
    let whole = explore(
        model("b4-mrelease-mmgrab", ScenarioId::OomKill),
        Bounds::default(),
    );
    let mut e = Explorer::new(
        model("b4-mrelease-mmgrab", ScenarioId::OomKill),
        Bounds::default(),
    );
    let mut slices = 0;
    while e.run(997) == Status::Running {
        slices += 1;
    }
    let sliced = e.report();
    assert!(slices > 10);
    assert_eq!(
        (whole.states, whole.transitions, whole.outcomes.clone()),
        (sliced.states, sliced.transitions, sliced.outcomes)
    );
}

#[test]
fn option_variations_keep_real_kernels_safe() {
    for v in ["v5.16", "v5.17", "v6.1"] {
        for sc in ScenarioId::ALL {
            let m = model_with(v, sc, |o| {
                o.notifier_fails = true;
                o.kill_mrelease = true;
                o.vmas = mmrace_core::Options::parse_vmas("ALFH").unwrap();
            });
            let r = explore(m, Bounds::default());
            assert!(
                r.outcomes.is_empty() && r.deadlocks == 0,
                "{v} {sc:?}: {:?}",
                r.outcomes
            );
        }
    }
}

#[test]
fn every_variant_and_scenario_explores_completely() {
    for v in VARIANTS {
        for sc in ScenarioId::ALL {
            let r = explore(model(v.id, sc), Bounds::default());
            assert_eq!(r.status, Status::Complete);
            assert_eq!(r.deadlocks, 0, "{} {sc:?}", v.id);
        }
    }
}

/// An independent, naive BFS over full states (std `HashSet<State>`), to cross-check the
/// explorer's packed visited set (injectivity) and its counts.
fn naive_count(m: &Model) -> (usize, u64) {
    use std::collections::{HashSet, VecDeque};
    let s0 = m.initial();
    let mut seen = HashSet::new();
    seen.insert(s0);
    let mut q = VecDeque::from([s0]);
    let mut transitions = 0;
    while let Some(s) = q.pop_front() {
        for a in m.enabled(&s) {
            let (n, _) = m.step(&s, a).unwrap();
            transitions += 1;
            if seen.insert(n) {
                q.push_back(n);
            }
        }
    }
    (seen.len(), transitions)
}

#[test]
fn packed_states_count_exactly_like_full_states() {
    for v in VARIANTS {
        for sc in ScenarioId::ALL {
            let m = model(v.id, sc);
            // The store's count, not the partial-order reduction's (`reduction.rs` checks that).
            let full = Bounds {
                reduction: false,
                ..Bounds::default()
            };
            let r = explore(m.clone(), full);
            assert_eq!(
                (r.states as usize, r.transitions),
                naive_count(&m),
                "{} {sc:?}",
                v.id
            );
        }
    }
}

#[test]
fn the_atlas_groups_outcomes_by_invariant_shortest_first() {
    let r = explore(
        model("b1-no-barrier", ScenarioId::OomKill),
        Bounds::default(),
    );
    let groups = r.by_invariant();
    assert_eq!(
        groups.iter().map(|(inv, _)| *inv).collect::<Vec<_>>(),
        r.violated(),
        "one group per violated invariant, in order"
    );
    let mut n = 0;
    for (inv, os) in &groups {
        assert!(os.iter().all(|o| o.inv == *inv));
        assert_eq!(Some(os[0]), r.shortest(*inv), "{inv:?}: shortest first");
        assert!(os.windows(2).all(|w| w[0].steps <= w[1].steps));
        n += os.len();
    }
    assert_eq!(n, r.outcomes.len(), "every outcome in exactly one group");
}

#[test]
fn atlas_counts_every_state_a_violation_leads_to() {
    // A firing step can land on a state first reached by a harmless step; that state still
    // counts (the atlas once showed "0 states" on such rows).
    for (v, sc) in [
        ("v5.17-rc1", ScenarioId::UserKill),
        ("b4-mrelease-mmgrab", ScenarioId::OomKill),
    ] {
        let r = explore(model(v, sc), Bounds::default());
        assert!(!r.outcomes.is_empty());
        for o in &r.outcomes {
            assert!(
                o.states >= 1 && o.states <= o.transitions,
                "{v} {} at {}: {} states for {} transitions",
                o.inv.id(),
                o.at,
                o.states,
                o.transitions
            );
        }
    }
}

#[test]
fn progress_reports_the_frontier_and_the_depth() {
    let mut e = Explorer::new(model("v5.17-rc1", ScenarioId::OomKill), Bounds::default());
    e.run(200);
    let mid = e.report();
    assert_eq!(mid.status, Status::Running);
    assert!(mid.frontier > 0, "states found but not expanded");
    assert!(mid.depth >= 1 && mid.depth <= mid.max_depth);
    e.run(u64::MAX);
    let end = e.report();
    assert_eq!(end.status, Status::Complete);
    assert_eq!(end.frontier, 0);
    assert!(end.depth >= mid.depth);
}
