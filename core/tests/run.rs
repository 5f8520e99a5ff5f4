//! The run: its index of violating steps always equals a scan of the recorded steps, through
//! stepping, stepping back, jumping and branching (stepping from an earlier position).

mod common;
use common::*;
use mmrace_core::policy::SplitMix64;
use mmrace_core::run::Run;
use mmrace_core::variant::VARIANTS;
use mmrace_core::{Invariant, ScenarioId};

fn scanned(r: &Run, upto: usize) -> Vec<usize> {
    r.steps()[..upto]
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.violations.is_empty())
        .map(|(i, _)| i)
        .collect()
}

fn check(r: &Run, what: &str) {
    assert_eq!(
        r.violating_steps(),
        scanned(r, r.len()).as_slice(),
        "{what}"
    );
    for upto in [0, r.pos(), r.len() / 2, r.len()] {
        assert_eq!(
            r.violating_steps_before(upto),
            scanned(r, upto).as_slice(),
            "{what} upto {upto}"
        );
    }
    let expected: Vec<usize> = scanned(r, r.pos());
    let got: Vec<usize> = r.violations().iter().map(|(i, _)| *i).collect();
    let mut dedup = got.clone();
    dedup.dedup();
    assert_eq!(dedup, expected, "{what}: violations() up to the position");
}

#[test]
fn the_violation_index_follows_steps_backs_jumps_and_branches() {
    let mut rng = SplitMix64::new(7);
    let mut saw_violations = 0;
    for v in VARIANTS.iter() {
        for sc in [
            ScenarioId::OomKill,
            ScenarioId::UserKill,
            ScenarioId::ProcReader,
        ] {
            let m = model(v.id, sc);
            for round in 0..20 {
                let mut r = Run::new(m.clone());
                for k in 0..200 {
                    let what = format!("{} {sc:?} round {round} op {k}", v.id);
                    match rng.below(10) {
                        0 => {
                            r.back();
                        }
                        1 => r.jump(rng.below(r.len() + 1)),
                        _ => {
                            let enabled = r.enabled();
                            if enabled.is_empty() {
                                // The end: branch from an earlier position instead.
                                r.jump(rng.below(r.len() + 1));
                            } else {
                                let a = enabled[rng.below(enabled.len())];
                                r.step(a).expect("an enabled actor steps");
                            }
                        }
                    }
                    check(&r, &what);
                }
                saw_violations += usize::from(!r.violating_steps().is_empty());
            }
        }
    }
    // Random stepping rarely finds a race; the seed is fixed, so this is a fixed count.
    assert!(
        saw_violations >= 5,
        "only {saw_violations} runs had violations"
    );
}

#[test]
fn branching_before_a_violation_drops_it_from_the_index() {
    let m = model_with("b1-no-barrier", ScenarioId::OomKill, |o| o.mrelease = false);
    let mut r = run(
        m,
        "K* R:unmap_page_range(A) V:tlb_finish_mmu R:zap_pte_range(A) V:remove_vma(A) R:vma->vm_next(A)",
    );
    check(&r, "the failing schedule");
    let all = r.violating_steps().to_vec();
    let s1 = *all
        .iter()
        .find(|&&i| {
            r.steps()[i]
                .violations
                .iter()
                .any(|v| v.inv == Invariant::S1)
        })
        .expect("S1 fires");
    let before_s1: Vec<usize> = all.iter().copied().filter(|&i| i < s1).collect();
    assert!(
        !before_s1.is_empty() && all.len() > before_s1.len() + 1,
        "{all:?}"
    );
    // Back to just before the S1 step (R's zap_pte_range): the index still holds every
    // recorded violation, only the ones before the position are reached ...
    r.jump(s1);
    assert_eq!(r.violating_steps(), all.as_slice());
    assert_eq!(r.violating_steps_before(r.pos()), before_s1.as_slice());
    check(&r, "after the jump");
    // ... and a new branch from there forgets those that were cut off.
    let cut = r.steps()[s1].actor;
    let other = *r
        .enabled()
        .iter()
        .find(|a| **a != cut)
        .expect("another actor");
    r.step(other).expect("steps");
    check(&r, "after branching");
    assert_eq!(
        &r.violating_steps()[..before_s1.len()],
        before_s1.as_slice()
    );
    assert!(
        r.violating_steps().len() <= before_s1.len() + 1,
        "{:?}",
        r.violating_steps()
    );
}
