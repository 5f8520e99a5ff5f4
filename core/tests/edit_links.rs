//! Permalinks carry an edit list (compact, versioned) and a challenge; a list that no longer
//! applies opens the variant unedited with a notice.

use mmrace_core::challenge::by_id;
use mmrace_core::edit;
use mmrace_core::link::{decode, encode, link_for, load};
use mmrace_core::run::Run;
use mmrace_core::schedule::Schedule;
use mmrace_core::{Model, Scenario, ScenarioId, Variant};
use std::collections::BTreeMap;

fn edited_run(text: &str) -> Run {
    let v = Variant::by_id("v5.17").unwrap().with_edits(text).unwrap();
    let mut r = Run::new(Model::new(v, Scenario::new(ScenarioId::UserKill)));
    r.apply(
        &Schedule::parse("V:mmgrab M:task_unlock V:mmap_write_unlock M:can_madv_lru_vma").unwrap(),
    )
    .unwrap();
    r
}

#[test]
fn an_edited_run_round_trips_through_a_link() {
    let text = "# syzbot\ndelete exit_mmap:reset_mmap\ninsert after exit_mmap:wlock test_bit(MMF_OOM_SKIP) set=wunlock code \"a b # c\" as x\n";
    let run = edited_run(text);
    assert!(!run.violations().is_empty());
    let mut l = link_for(&run, BTreeMap::new());
    l.challenge = Some("syzbot".into());
    let f = encode(&l);
    assert!(
        f.contains("e=1.d+exit_mmap:reset_mmap%0Ai+a+exit_mmap:wlock"),
        "{f}"
    );
    assert!(f.contains("ch=syzbot"), "{f}");
    let d = decode(&f);
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    assert_eq!(d.link.challenge.as_deref(), Some("syzbot"));
    let (back, notices) = load(&d);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(back.model.variant.defs, run.model.variant.defs);
    assert_eq!(back.choices(), run.choices());
    assert_eq!(back.violations().len(), run.violations().len());
    assert!(by_id("syzbot").is_some());
}

#[test]
fn compact_form_is_versioned_and_reversible() {
    let text = "move exit_mmap:set_skip before exit_mmap:victim_end\nreplace exit_mmap:victim with nop\nduplicate exit_mmap:wlock";
    let c = edit::to_link(text);
    assert_eq!(c, "1.m exit_mmap:set_skip b exit_mmap:victim_end\nr exit_mmap:victim w nop\nu exit_mmap:wlock");
    assert_eq!(edit::from_link(&c).unwrap().trim_end(), text);
    assert!(edit::from_link("2.d x:y").unwrap_err().contains("format 2"));
}

#[test]
fn a_list_that_no_longer_applies_opens_unedited_with_a_notice() {
    let run = edited_run("delete exit_mmap:reset_mmap");
    let f = encode(&link_for(&run, BTreeMap::new())).replace("reset_mmap", "gone_step");
    let (back, notices) = load(&decode(&f));
    assert!(back.model.variant.edits.is_none());
    assert!(
        notices
            .iter()
            .any(|n| n.contains("edit list no longer applies") && n.contains("gone_step")),
        "{notices:?}"
    );
    let d = decode("v=1&variant=v5.17&e=9.d+x:y&ch=nope");
    assert!(
        d.notices.iter().any(|n| n.contains("format 9")),
        "{:?}",
        d.notices
    );
    assert!(
        d.notices
            .iter()
            .any(|n| n.contains("unknown challenge 'nope'")),
        "{:?}",
        d.notices
    );
}
