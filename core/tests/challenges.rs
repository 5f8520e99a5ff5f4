//! Every challenge is solvable with a known edit list, and the unedited variant does not
//! meet its goal; budgets and verbs are enforced.

use mmrace_core::challenge::{by_id, scenarios_to_check, CHALLENGES};
use mmrace_core::{Scenario, ScenarioId};

const SOLUTIONS: &[(&str, &str)] = &[
    ("syzbot", "delete exit_mmap:reset_mmap"),
    ("overlap", "move exit_mmap:set_skip before exit_mmap:victim_end"),
    (
        "fix-b4",
        "replace process_mrelease:mmgrab with mmget_not_zero zero=task_unlock\nreplace process_mrelease:drop_mm with mmput",
    ),
    (
        "fix-b1",
        "insert before exit_mmap:victim_end set_bit(MMF_OOM_SKIP)\ninsert before exit_mmap:victim_end mmap_write_lock\ninsert before exit_mmap:victim_end mmap_write_unlock",
    ),
    ("hang", "delete exit_mmap:wunlock"),
    ("munlock", "move exit_mmap:wlock after exit_mmap:unlock_range_end"),
];

#[test]
fn each_challenge_is_solved_by_a_known_list_and_not_by_the_unedited_variant() {
    assert!(CHALLENGES.len() >= 5);
    for c in CHALLENGES {
        let (_, sol) = SOLUTIONS
            .iter()
            .find(|(id, _)| *id == c.id)
            .unwrap_or_else(|| panic!("no solution for {}", c.id));
        let j = c.judge(sol).unwrap_or_else(|e| panic!("{}: {e}", c.id));
        assert!(j.solved, "{}: {:?}", c.id, j.missing);
        let unedited = c.judge("").unwrap();
        assert!(!unedited.solved);
        // The goal itself is unmet without edits (not only the "no edits yet" rule).
        assert!(
            unedited.reports.iter().any(|r| !c.goal.met(r)),
            "{}: the unedited variant already meets the goal",
            c.id
        );
    }
}

#[test]
fn budgets_and_verbs_are_enforced() {
    let c = by_id("syzbot").unwrap();
    let j = c
        .judge("delete exit_mmap:reset_mmap\ndelete exit_mmap:notifier_release")
        .unwrap();
    assert!(
        !j.solved && j.missing.iter().any(|m| m.contains("at most 1")),
        "{:?}",
        j.missing
    );
    let j = c.judge("replace exit_mmap:reset_mmap with nop").unwrap();
    assert!(
        !j.solved
            && j.missing
                .iter()
                .any(|m| m.contains("'replace' is not allowed")),
        "{:?}",
        j.missing
    );
    assert!(c.judge("delete exit_mmap:nope").is_err());
}

#[test]
fn the_stepper_scenario_comes_first_then_the_challenges_others() {
    let user = Scenario::new(ScenarioId::UserKill);
    let oom = Scenario::new(ScenarioId::OomKill);
    assert_eq!(scenarios_to_check(&user, "v5.17", None), vec![user.clone()]);
    // fix-b4 is judged in oom-kill and user-kill, on b4.
    assert_eq!(
        scenarios_to_check(&user, "b4-mrelease-mmgrab", Some("fix-b4")),
        vec![user.clone(), oom.clone()]
    );
    // A challenge of another variant adds nothing.
    assert_eq!(
        scenarios_to_check(&user, "v5.17", Some("fix-b4")),
        vec![user]
    );
}
