//! Compare mode's opening (`compare::opening`): the shortest counterexample of the variant on
//! screen, or of the first variant that has one, replayed on the other side with a divergence.

mod common;
use common::*;
use mmrace_core::compare::{compare, default_other, opening, shortest_counterexample};
use mmrace_core::explore::{explore, Bounds};
use mmrace_core::schedule::Schedule;
use mmrace_core::{Invariant, Scenario, ScenarioId};

#[test]
fn the_fix_or_the_base_is_the_other_side() {
    assert_eq!(default_other("v5.17-rc1"), "v5.17");
    assert_eq!(default_other("v5.16"), "v5.17-rc1");
    assert_eq!(default_other("b4-mrelease-mmgrab"), "v5.16");
    assert_eq!(default_other("no-such-variant"), "v5.17");
}

#[test]
fn opens_on_the_syzbot_use_after_free_and_its_fix() {
    let o = opening("v5.17-rc1", &Scenario::new(ScenarioId::UserKill)).unwrap();
    assert_eq!((o.a, o.b, o.inv), ("v5.17-rc1", "v5.17", Invariant::S2));
    // It is the shortest crash of the search, and it replays to that crash on A only.
    let report = explore(model("v5.17-rc1", ScenarioId::UserKill), Bounds::default());
    let shortest = shortest_counterexample(&report).unwrap();
    assert_eq!(o.schedule, shortest.schedule);
    assert!(report
        .outcomes
        .iter()
        .filter(|x| !x.inv.is_warning())
        .all(|x| x.steps >= shortest.steps));
    let r = run(model("v5.17-rc1", ScenarioId::UserKill), &o.schedule);
    assert!(r.violations().iter().any(|(_, v)| v.inv == Invariant::S2));
    let c = compare(
        model("v5.17-rc1", ScenarioId::UserKill),
        model("v5.17", ScenarioId::UserKill),
        &Schedule::parse(&o.schedule).unwrap(),
    );
    let d = c.divergence.expect("the fix diverges from the bug");
    assert!(
        d.explanation.contains("First divergence"),
        "{}",
        d.explanation
    );
    assert!(!c.b.violations().iter().any(|(_, v)| v.inv == Invariant::S2));
    assert!(o.why.contains("S2") && o.why.contains("v5.17"), "{}", o.why);
}

#[test]
fn a_safe_variant_opens_on_the_first_variant_that_fails_replayed_on_it() {
    // v5.17 is safe in user-kill; v5.16 (first in the list) too; v5.17-rc1 is not.
    let o = opening("v5.17", &Scenario::new(ScenarioId::UserKill)).unwrap();
    assert_eq!((o.a, o.b, o.inv), ("v5.17-rc1", "v5.17", Invariant::S2));
    assert!(
        o.why.starts_with("v5.17 has no counterexample"),
        "{}",
        o.why
    );
}

#[test]
fn a_crash_is_preferred_to_the_s7_warning() {
    // b6 fails with S4 and S7 in oom-kill: the opening names S4, the crash.
    let o = opening("b6-munlock-first", &Scenario::new(ScenarioId::OomKill)).unwrap();
    assert_eq!(o.a, "b6-munlock-first");
    assert_eq!(o.inv, Invariant::S4);
}
