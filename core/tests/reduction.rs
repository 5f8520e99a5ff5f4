//! The partial-order reduction (`core/src/por.rs`) keeps every verdict: for every preset and
//! every combination the full search can afford here, the reduced search finds the same
//! violated invariants, the same (invariant, step label) outcomes, and exactly as many final
//! and deadlocked states (both searches with symmetry on); every reduced counterexample replays
//! to its violation; the reduction really stores fewer states; and a reduction that ignores a
//! real dependency is caught by the same comparison, so the comparison is live.

mod common;
use common::*;
use mmrace_core::explore::{explore, Bounds, Explorer, Report, Status};
use mmrace_core::por::{Reduction, MMAP_LOCK, MUNLOCK, PAGE_TABLES, VMA_LIVE, VM_FLAGS};
use mmrace_core::scenario::Kill;
use mmrace_core::variant::VARIANTS;
use mmrace_core::{Invariant, Model, Scenario, ScenarioId, Variant};
use std::collections::BTreeSet;

fn bounds(reduction: bool, max_states: usize) -> Bounds {
    Bounds {
        max_states,
        reduction,
        ..Bounds::default()
    }
}

/// The outcomes as (invariant, label), the second process_mrelease caller and `/proc` reader
/// named as the first: with symmetry on, a search stores whichever of a swapped pair it meets
/// first, so it names M2's step M's in one search and M2's in another.
fn labels(r: &Report) -> BTreeSet<(Invariant, String)> {
    let unswapped = |at: &str| match at.split_once(' ') {
        Some(("M2", rest)) => format!("M {rest}"),
        Some(("G2", rest)) => format!("G {rest}"),
        _ => at.to_string(),
    };
    r.outcomes
        .iter()
        .map(|o| (o.inv, unswapped(&o.at)))
        .collect()
}

/// What the reduction must keep, or the first difference.
fn differs(full: &Report, reduced: &Report) -> Option<String> {
    if reduced.status != Status::Complete {
        return Some("reduced search incomplete".into());
    }
    if labels(full) != labels(reduced) {
        let f = labels(full);
        let r = labels(reduced);
        return Some(format!(
            "outcomes only in the full search: {:?}; only in the reduced one: {:?}",
            f.difference(&r).collect::<Vec<_>>(),
            r.difference(&f).collect::<Vec<_>>()
        ));
    }
    if full.violated() != reduced.violated() {
        return Some("violated invariants differ".into());
    }
    if (full.final_states, full.deadlocks) != (reduced.final_states, reduced.deadlocks) {
        return Some(format!(
            "final/deadlocked states {}/{} vs {}/{}",
            full.final_states, full.deadlocks, reduced.final_states, reduced.deadlocks
        ));
    }
    None
}

/// Compares a reduced and a full search of `m`; `None` when the full one exceeds `cap` states.
fn compare(m: impl Fn() -> Model, what: &str, cap: usize) -> Option<(u64, u64)> {
    let full = explore(m(), bounds(false, cap));
    if full.status != Status::Complete {
        return None;
    }
    let reduced = explore(m(), bounds(true, cap));
    assert!(reduced.reduction && !full.reduction, "{what}");
    if let Some(d) = differs(&full, &reduced) {
        panic!("{what}: {d}");
    }
    assert!(reduced.states <= full.states, "{what}");
    for o in &reduced.outcomes {
        let r = run(m(), &o.schedule);
        let last = r.len() - 1;
        let fired: Vec<(Invariant, String)> = r.steps()[last]
            .violations
            .iter()
            .map(|x| (x.inv, format!("{} {}", x.actor, r.label(last))))
            .collect();
        assert!(
            fired.contains(&(o.inv, o.at.clone())),
            "{what}: {} replays to {fired:?}, not {} at {}",
            o.schedule,
            o.inv,
            o.at
        );
    }
    Some((reduced.states, full.states))
}

#[test]
fn every_preset_keeps_its_outcomes() {
    let mut total = (0, 0);
    for v in VARIANTS {
        for sc in ScenarioId::ALL {
            let what = format!("{} {sc:?}", v.id);
            let (r, f) = compare(|| model(v.id, sc), &what, usize::MAX).unwrap();
            total = (total.0 + r, total.1 + f);
        }
    }
    eprintln!("33 presets: {} states reduced, {} full", total.0, total.1);
    assert!(total.0 < total.1);
}

#[test]
fn every_affordable_combination_keeps_its_outcomes() {
    // The full search of the largest combinations takes seconds even in release; those above
    // the cap are compared by `mmrace check … --no-reduction` (README, Performance).
    let cap = 1_000_000;
    let (mut compared, mut skipped) = (0, 0);
    for v in VARIANTS {
        for kill in Kill::ALL {
            for mrelease in 0..=2 {
                for readers in 0..=2 {
                    let sc = Scenario::combination(kill, mrelease, readers).unwrap();
                    let what = format!("{} {}", v.id, sc.name());
                    let m = || Model::new(Variant::by_id(v.id).unwrap(), sc.clone());
                    match compare(m, &what, cap) {
                        Some(_) => compared += 1,
                        None => skipped += 1,
                    }
                }
            }
        }
    }
    eprintln!("combinations compared: {compared}, above {cap} states: {skipped}");
    assert!(compared >= 200, "{compared}");
}

#[test]
fn the_largest_preset_stores_fewer_states() {
    let m = || model("b4-mrelease-mmgrab", ScenarioId::ProcReader);
    let (reduced, full) = compare(m, "b4 proc-reader", usize::MAX).unwrap();
    assert!(reduced * 10 < full * 7, "{reduced} vs {full}");
}

#[test]
fn the_largest_combination_stores_under_a_third_of_what_it_did() {
    // b4 with the OOM killer, two process_mrelease callers and two /proc readers: 4.02 M states
    // unreduced, 2.10 M with mmap_lock as one object and mm_count bounded by mmdrops alone;
    // read-side lock steps commuting where no writer can come, and each actor's mmgrabs
    // offset against its later mmdrops, take it under 0.7 M. Its verdicts are compared with
    // the full search by `mmrace check … --no-reduction` (README, Performance).
    let sc = Scenario::combination(Kill::Oom, 2, 2).unwrap();
    let m = Model::new(Variant::by_id("b4-mrelease-mmgrab").unwrap(), sc);
    let r = explore(m, bounds(true, usize::MAX));
    assert_eq!(r.status, Status::Complete);
    assert!(r.states < 700_000, "{}", r.states);
}

#[test]
fn a_reduction_blind_to_a_dependency_is_caught() {
    // Each wrong reduction ignores real dependencies; the comparison above must notice.
    type Wrong = fn(Reduction) -> Reduction;
    let cases: [(Wrong, &str, &str, ScenarioId); 3] = [
        // Lock steps declared independent of each other: the orders in which the lock is
        // taken stop mattering, and most of the final states (68 → 12) are never reached.
        (
            |r| r.blind_to(MMAP_LOCK),
            "mmap_lock",
            "b4-mrelease-mmgrab",
            ScenarioId::ProcReader,
        ),
        // The reader-only rule applied with a writer about: a read acquisition then commutes
        // with exit_mmap's mmap_write_lock, though whichever comes first makes the other wait.
        (
            |r| r.blind_to_lock_writers(),
            "mmap_lock's writers",
            "b4-mrelease-mmgrab",
            ScenarioId::ProcReader,
        ),
        // The VMAs' state declared untouched: exit_mmap's teardown commutes with the walk, and
        // the page tables freed under the walker (S1) and the munlock race (S4) go missing.
        (
            |r| r.blind_to(VMA_LIVE | PAGE_TABLES | MUNLOCK | VM_FLAGS),
            "the VMAs",
            "b4-mrelease-mmgrab",
            ScenarioId::ProcReader,
        ),
        // Not here: mm_count. A reduction blind to mm_count and "freed" altogether changes no
        // verdict of any preset or of any cell the full search affords (checked 2026-12-04), so
        // no mutant of the counter rule (`por.rs`, "Futures") can be caught this way; that rule
        // rests on the equality comparisons above.
    ];
    for (wrong, what, v, sc) in cases {
        let m = || model(v, sc);
        let full = explore(m(), bounds(false, usize::MAX));
        let por = wrong(Reduction::new(&m()));
        let mut e = Explorer::with_reduction(m(), bounds(true, usize::MAX), Some(por));
        e.run(u64::MAX);
        let d = differs(&full, &e.report());
        eprintln!("blind to {what}, {v} {sc:?}: {d:?}");
        assert!(
            d.is_some(),
            "a reduction blind to {what} went unnoticed on {v} {sc:?}"
        );
    }
}
