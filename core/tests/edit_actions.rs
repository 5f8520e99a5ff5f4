//! The playground's per-line actions: each becomes the edit line a user could have typed, a
//! refusal says why, and the op menu offers only ops that parse.

use mmrace_core::challenge::by_id;
use mmrace_core::edit_action::{act, append, line_for, op_menu, undo_last, Action};
use mmrace_core::op_text;
use mmrace_core::program::ProgId;
use mmrace_core::Variant;

fn v(id: &str) -> Variant {
    Variant::by_id(id).unwrap()
}

fn idx(v: &Variant, p: ProgId, id: &str) -> usize {
    v.defs[p as usize].position(id).unwrap()
}

#[test]
fn a_delete_click_is_the_edit_line_that_solves_the_syzbot_challenge() {
    let base = v("v5.17");
    let i = idx(&base, ProgId::Mmput, "reset_mmap");
    let text = act(&base, "", ProgId::Mmput, i, &Action::Delete).unwrap();
    assert_eq!(text, "delete exit_mmap:reset_mmap\n");
    assert!(by_id("syzbot").unwrap().judge(&text).unwrap().solved);
}

#[test]
fn moves_name_the_neighbour_and_stop_at_the_ends() {
    let base = v("v5.16");
    let p = ProgId::Mmput;
    let i = idx(&base, p, "set_skip");
    let up = act(&base, "", p, i, &Action::MoveUp).unwrap();
    let edited = base.with_edits(&up).unwrap();
    assert_eq!(edited.defs[p as usize].steps[i - 1].id, "set_skip");
    assert_eq!(
        edited.defs[p as usize].steps[i].id,
        base.defs[p as usize].steps[i - 1].id
    );
    // Down then up again is where it started.
    let down = act(&edited.unedited(), &up, p, i - 1, &Action::MoveDown).unwrap();
    let back = base.with_edits(&down).unwrap();
    assert_eq!(back.defs[p as usize].steps, base.defs[p as usize].steps);
    let n = base.defs[p as usize].steps.len();
    let first = act(&base, "", p, 0, &Action::MoveUp).unwrap_err();
    assert!(first.contains("is the first line"), "{first}");
    let last = act(&base, "", p, n - 1, &Action::MoveDown).unwrap_err();
    assert!(last.contains("is the last line"), "{last}");
}

#[test]
fn actions_stack_on_the_list_so_far() {
    let base = v("v5.17");
    let p = ProgId::ProcessMrelease;
    let t1 = act(&base, "", p, 1, &Action::Duplicate).unwrap();
    // Line 2 is now the copy: the second action names it, resolved on the edited program.
    let t2 = act(&base, &t1, p, 2, &Action::Delete).unwrap();
    let lines: Vec<&str> = t2.lines().collect();
    assert_eq!(lines.len(), 2, "{t2}");
    assert!(
        lines[1].starts_with("delete ") && lines[1].ends_with("_dup"),
        "{t2}"
    );
    assert_eq!(
        base.with_edits(&t2).unwrap().defs[p as usize].steps,
        base.defs[p as usize].steps,
        "duplicate then delete the copy is no change"
    );
    assert_eq!(undo_last(&t2), t1);
    assert_eq!(undo_last(&t1), "");
    assert_eq!(undo_last("# a note\n"), "# a note\n");
}

#[test]
fn a_refused_action_leaves_a_reason_and_not_the_list() {
    let base = v("v5.17");
    let p = ProgId::Mmput;
    // Deleting a step a branch jumps to is refused while the branch remains.
    let d = &base.defs[p as usize];
    let target = d
        .steps
        .iter()
        .flat_map(|s| {
            let text = op_text::print(&s.op);
            text.split_whitespace()
                .skip(1)
                .filter_map(|w| w.split_once('=').map(|(_, t)| t.to_string()))
                .collect::<Vec<_>>()
        })
        .find(|t| d.position(t).is_some())
        .expect("exit_mmap branches somewhere");
    let target = target.as_str();
    let i = idx(&base, p, target);
    let why = act(&base, "", p, i, &Action::Delete).unwrap_err();
    assert!(why.contains(target), "{why}");
    let bad = act(&base, "", p, 0, &Action::Replace("no_such_op".into())).unwrap_err();
    assert!(bad.contains("no_such_op"), "{bad}");
    let out = line_for(&base.defs, p, 999, &Action::Delete).unwrap_err();
    assert!(out.contains("no line 1000"), "{out}");
}

#[test]
fn every_action_on_every_line_applies_or_says_why() {
    for id in ["v5.16", "v5.17", "v6.1", "b4-mrelease-mmgrab"] {
        let base = v(id);
        for p in ProgId::ALL {
            for i in 0..base.defs[p as usize].steps.len() {
                for a in [
                    Action::Delete,
                    Action::MoveUp,
                    Action::MoveDown,
                    Action::Duplicate,
                    Action::Replace("nop".into()),
                    Action::InsertAbove("mmap_read_lock".into()),
                    Action::InsertBelow("mmap_read_unlock".into()),
                ] {
                    match act(&base, "", p, i, &a) {
                        Ok(t) => {
                            assert!(t.starts_with(a.verb()), "{t}");
                            base.with_edits(&t).unwrap();
                        }
                        Err(why) => assert!(!why.is_empty()),
                    }
                }
                // A duplicate always applies.
                act(&base, "", p, i, &Action::Duplicate)
                    .unwrap_or_else(|e| panic!("{id} {p:?} {i}: {e}"));
            }
        }
    }
}

#[test]
fn the_op_menu_parses_and_puts_the_paths_own_ops_first() {
    let base = v("v5.17");
    let p = ProgId::OomReapTaskMm;
    let menu = op_menu(&base.defs, p, 0);
    assert!(menu.len() > 40, "{}", menu.len());
    for m in &menu {
        op_text::parse(&m.text).unwrap_or_else(|e| panic!("{}: {e}", m.text));
        assert!(!m.help.is_empty());
    }
    let first_other = menu.iter().position(|m| !m.in_path).unwrap();
    assert!(first_other > 0 && menu[first_other..].iter().all(|m| !m.in_path));
    assert!(menu[..first_other]
        .iter()
        .any(|m| m.text == "zap_pte_range"));
    // Every flag bit is offered for test_bit/set_bit.
    assert!(menu.iter().any(|m| m.text == "set_bit(MMF_OOM_SKIP)"));
    assert!(menu
        .iter()
        .any(|m| m.text.starts_with("test_bit(MMF_UNSTABLE) set=")));
    // A branch keeps the replaced line's own target for the same key.
    let rp = ProgId::OomReaper;
    let trylock = base.defs[rp as usize]
        .steps
        .iter()
        .position(|s| op_text::print(&s.op).starts_with("mmap_read_trylock fail="))
        .expect("the reaper trylocks");
    let own = op_text::print(&base.defs[rp as usize].steps[trylock].op);
    let menu = op_menu(&base.defs, rp, trylock);
    assert!(menu.iter().any(|m| m.text == own), "{own}");
}

#[test]
fn append_keeps_comments_and_ends_lines() {
    assert_eq!(append("", "delete a:b"), "delete a:b\n");
    assert_eq!(append("# note", "delete a:b"), "# note\ndelete a:b\n");
    assert_eq!(append("x\n\n", "y"), "x\ny\n");
}
