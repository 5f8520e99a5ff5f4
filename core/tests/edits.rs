//! Edit lists: the op vocabulary, the text format, refusals, and the round trip of every
//! buggy variant (printed list applied to its base = the variant, programs and verdicts).

use mmrace_core::edit;
use mmrace_core::explore::{explore, Bounds};
use mmrace_core::op_text;
use mmrace_core::program::ProgId;
use mmrace_core::variant::{self, VARIANTS};
use mmrace_core::{Invariant, Model, Scenario, ScenarioId, Variant};

fn verdict(v: &Variant, sc: ScenarioId) -> (Vec<Invariant>, u64) {
    let r = explore(Model::new(v.clone(), Scenario::new(sc)), Bounds::default());
    (r.violated(), r.deadlocks)
}

const SCENARIOS: [ScenarioId; 3] = [
    ScenarioId::OomKill,
    ScenarioId::UserKill,
    ScenarioId::ProcReader,
];

#[test]
fn every_op_of_every_variant_prints_and_parses_back() {
    let mut n = 0;
    for v in VARIANTS {
        for d in variant::defs(v.id).unwrap() {
            for s in &d.steps {
                let t = op_text::print(&s.op);
                assert_eq!(op_text::parse(&t), Ok(s.op), "{} {}: {t}", v.id, s.id);
                n += 1;
            }
        }
    }
    assert!(n > 500);
}

#[test]
fn every_vocabulary_entry_parses() {
    for spec in op_text::VOCABULARY {
        let arg = match spec.arg {
            op_text::Arg::None => String::new(),
            op_text::Arg::Flag => "(MMF_OOM_SKIP)".into(),
            op_text::Arg::Pin => "(mrelease)".into(),
            op_text::Arg::Mask => "(VM_LOCKED|VM_PFNMAP)".into(),
            op_text::Arg::Prog => "(__oom_reap_task_mm)".into(),
        };
        let keys: Vec<String> = spec.keys.iter().map(|k| format!("{k}=x")).collect();
        let text = format!("{}{arg} {}", spec.name, keys.join(" "));
        let op = op_text::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(op.is_local(), spec.local, "{text}");
        assert_eq!(op_text::parse(&op_text::print(&op)), Ok(op));
    }
}

#[test]
fn function_and_id_name_one_step_in_every_variant() {
    for v in VARIANTS {
        let defs = variant::defs(v.id).unwrap();
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for d in &defs {
            for s in &d.steps {
                assert!(
                    !seen.contains(&(s.src.func, s.id)),
                    "{}: {}:{} twice",
                    v.id,
                    s.src.func,
                    s.id
                );
                assert!(op_text::is_id(s.id), "{}: id {}", v.id, s.id);
                seen.push((s.src.func, s.id));
            }
        }
    }
}

/// The edit-list round trip, for every variant with a base (the seven bugs, and the
/// releases that are based on another).
#[test]
fn printed_edits_applied_to_the_base_give_the_variant() {
    for v in VARIANTS.iter().filter(|v| v.base.is_some()) {
        let text = edit::variant_text(v.id).unwrap();
        let base = Variant::by_id(v.base.unwrap()).unwrap();
        let edited = base
            .with_edits(&text)
            .unwrap_or_else(|e| panic!("{}: {e}\n{text}", v.id));
        let real = Variant::by_id(v.id).unwrap();
        assert_eq!(edited.defs, real.defs, "{}:\n{text}", v.id);
        assert_eq!(edited.programs, real.programs, "{}", v.id);
    }
}

/// `insert before` and `insert after` of several steps print as one line a step, and those
/// lines applied to the base give what the edit gives (no built-in variant inserts after).
#[test]
fn printed_multi_step_inserts_apply_as_the_edit_does() {
    use mmrace_core::program::{Op, StepDef, Target};
    use mmrace_core::variant::Edit;
    let base = variant::defs("v5.16").unwrap();
    let reaper = &base[ProgId::OomReaper as usize].steps;
    let (anchor, like) = (reaper[2].id, reaper[3]);
    let extra = |id: &'static str, label: &'static str| StepDef::<Target> {
        id,
        label,
        op: Op::Nop,
        ..like
    };
    let steps = vec![
        extra("extra_a", "first_nop"),
        extra("extra_b", "second_nop"),
    ];
    for e in [
        Edit::InsertBefore(ProgId::OomReaper, anchor, steps.clone()),
        Edit::InsertAfter(ProgId::OomReaper, anchor, steps.clone()),
    ] {
        let text = edit::print(&base, std::slice::from_ref(&e)).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
        let want = variant::apply(base.clone(), &[e]).unwrap();
        let got = edit::apply_text(base.clone(), &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(got, want, "{text}");
    }
}

#[test]
fn printed_edits_give_the_same_verdicts_for_the_seven_bugs() {
    let bugs: Vec<_> = VARIANTS.iter().filter(|v| v.id.starts_with('b')).collect();
    assert_eq!(bugs.len(), 7);
    for v in bugs {
        let text = edit::variant_text(v.id).unwrap();
        let edited = Variant::by_id(v.base.unwrap())
            .unwrap()
            .with_edits(&text)
            .unwrap();
        let real = Variant::by_id(v.id).unwrap();
        for sc in SCENARIOS {
            assert_eq!(verdict(&edited, sc), verdict(&real, sc), "{} {sc:?}", v.id);
        }
        // And the edits matter: the base's verdict differs somewhere.
        let base = Variant::by_id(v.base.unwrap()).unwrap();
        assert!(
            SCENARIOS
                .iter()
                .any(|sc| verdict(&base, *sc) != verdict(&real, *sc)),
            "{}",
            v.id
        );
    }
}

fn v(id: &str) -> Variant {
    Variant::by_id(id).unwrap()
}

fn refusal(base: &str, text: &str) -> String {
    match v(base).with_edits(text) {
        Ok(_) => panic!("{text:?} applied"),
        Err(e) => {
            let s = e.to_string();
            assert!(!s.contains('\n'), "{s}");
            s
        }
    }
}

#[test]
fn refusals_name_the_line_the_edit_and_why() {
    let e = refusal("v5.17", "# a comment\ndelete exit_mmap:nope");
    assert!(
        e.starts_with("edit line 2 `delete exit_mmap:nope`: unknown step exit_mmap:nope"),
        "{e}"
    );
    let e = refusal(
        "v5.17",
        "move exit_mmap:reset_mmap before oom_reap_task_mm:trylock",
    );
    assert!(e.contains("cannot move across functions"), "{e}");
    let e = refusal("v5.16", "delete exit_mmap:victim_end");
    assert!(
        e.contains("edit line 1 `delete exit_mmap:victim_end`")
            && e.contains("exit_mmap:victim still jumps to it"),
        "{e}"
    );
    let e = refusal("v5.17", "insert before exit_mmap:reset_mmap mmap_lock_read");
    assert!(e.contains("unknown op 'mmap_lock_read'"), "{e}");
    let e = refusal(
        "v5.17",
        "insert before exit_mmap:reset_mmap test_bit(MMF_OOM_SKIP) set=nowhere",
    );
    assert!(e.contains("branch target nowhere is not a step of"), "{e}");
    let e = refusal("v5.17", "frobnicate exit_mmap:reset_mmap");
    assert!(e.contains("unknown edit 'frobnicate'"), "{e}");
    let e = refusal("v5.17", "delete reset_mmap");
    assert!(e.contains("write FUNCTION:ID"), "{e}");
    let e = refusal("v5.17", "duplicate exit_mmap:reset_mmap as wlock");
    assert!(e.contains("already has a step wlock"), "{e}");
    let e = refusal("v5.17", "insert before exit_mmap:reset_mmap mmgrab");
    assert!(e.contains("needs an argument"), "{e}");
    let e = refusal(
        "v5.17",
        "move exit_mmap:reset_mmap after exit_mmap:reset_mmap",
    );
    assert!(e.contains("relative to itself"), "{e}");
}

/// A program has room for `edit::MAX_STEPS` steps; the insert or duplicate past that is refused.
#[test]
fn a_full_program_refuses_one_more_step() {
    let n = v("v5.17").defs[ProgId::Mmput as usize].steps.len();
    let room = edit::MAX_STEPS - n;
    for extra in [
        "insert after exit_mmap:wlock nop",
        "duplicate exit_mmap:wlock",
    ] {
        let fill = "insert after exit_mmap:wlock nop\n".repeat(room);
        assert!(v("v5.17").with_edits(&fill).is_ok());
        let e = refusal("v5.17", &format!("{fill}{extra}"));
        assert!(
            e.starts_with(&format!("edit line {}", room + 1))
                && e.contains(&format!("exit_mmap already has {} steps", edit::MAX_STEPS)),
            "{e}"
        );
    }
}

#[test]
fn a_branch_deleted_before_its_target_is_fine_and_so_is_replacing_it() {
    // Deleting the branch first, then its target: nothing jumps to a missing step.
    let a = v("v5.16").with_edits("delete exit_mmap:victim\ndelete exit_mmap:victim_end");
    assert!(a.is_ok(), "{:?}", a.err());
    // Deleting the target first is also fine once the branch goes later in the list.
    let b = v("v5.16").with_edits("delete exit_mmap:victim_end\ndelete exit_mmap:victim");
    assert!(b.is_ok(), "{:?}", b.err());
    assert_eq!(a.unwrap().defs, b.unwrap().defs);
}

#[test]
fn inserted_steps_get_fresh_ids_that_later_lines_can_name() {
    let e = v("v5.17")
        .with_edits(
            "insert after exit_mmap:wlock mmap_write_unlock\n\
             insert after exit_mmap:new1 mmap_write_lock\n\
             duplicate exit_mmap:new2\n\
             delete exit_mmap:new2_dup",
        )
        .unwrap();
    let d = &e.defs[ProgId::Mmput as usize];
    let i = d.position("wlock").unwrap();
    assert_eq!(d.steps[i + 1].id, "new1");
    assert_eq!(d.steps[i + 2].id, "new2");
    assert_eq!(d.steps[i + 1].label, "mmap_write_unlock");
    assert_eq!(d.steps[i + 1].src.func, "exit_mmap");
    assert!(d.position("new2_dup").is_none());
    assert_eq!(e.edits.as_deref().map(|t| t.lines().count()), Some(4));
    // The diff against the unedited variant shows two added lines.
    let added = e
        .diff(ProgId::Mmput)
        .iter()
        .filter(|l| l.change == variant::Change::Added)
        .count();
    assert_eq!(added, 2);
}

#[test]
fn wrong_kernel_code_applies_and_the_checker_reports_it() {
    // An unlock nobody took: mmap_lock sanity (S6).
    let e = v("v5.17")
        .with_edits("insert before exit_mmap:wlock mmap_write_unlock")
        .unwrap();
    assert!(verdict(&e, ScenarioId::UserKill).0.contains(&Invariant::S6));
    // A lock never released: process_mrelease waits forever (a deadlock).
    let e = v("v5.17").with_edits("delete exit_mmap:wunlock").unwrap();
    assert!(verdict(&e, ScenarioId::UserKill).1 > 0);
}

#[test]
fn deleting_the_mm_mmap_reset_brings_back_the_syzbot_use_after_free() {
    let e = v("v5.17")
        .with_edits("delete exit_mmap:reset_mmap")
        .unwrap();
    assert_eq!(verdict(&e, ScenarioId::UserKill).0, vec![Invariant::S2]);
    assert!(verdict(&v("v5.17"), ScenarioId::UserKill).0.is_empty());
}

#[test]
fn comments_and_blank_lines_are_not_edits() {
    let e = v("v5.17")
        .with_edits("# nothing\n\n   # still nothing\n")
        .unwrap();
    assert!(e.edits.is_none());
    assert_eq!(e.defs, v("v5.17").defs);
}

#[test]
fn quoted_attributes_round_trip() {
    let e = v("v5.17")
        .with_edits(r#"insert before exit_mmap:wlock nop as hello code "a \"quoted\" # not a comment \\" label "x y" since "abc" indent 3"#)
        .unwrap();
    let d = &e.defs[ProgId::Mmput as usize];
    let s = d.steps[d.position("hello").unwrap()];
    assert_eq!(s.code, r#"a "quoted" # not a comment \"#);
    assert_eq!(s.label, "x y");
    assert_eq!(s.src.since, "abc");
    assert_eq!(s.indent, 3);
}
