//! Each buggy variant's failing schedule from spec §6.7 (and the real variants on the same
//! schedule), asserting which invariant fires at which step; and the patch view's diffs.

mod common;
use common::*;
use mmrace_core::program::ProgId;
use mmrace_core::variant::{Change, Variant, VARIANTS};
use mmrace_core::ScenarioId::{OomKill, ProcReader, UserKill};

fn first(variant: &str, sc: mmrace_core::ScenarioId, no_m: bool, schedule: &str) -> Vec<String> {
    let m = model_sc(variant, sc, |s| s.mrelease = if no_m { 0 } else { 1 });
    first_violations(&run(m, schedule))
}

#[test]
fn b1_no_barrier_frees_page_tables_under_the_reaper() {
    let s = "K* R:unmap_page_range(A) V:tlb_finish_mmu R:zap_pte_range(A)";
    assert_eq!(
        first("b1-no-barrier", OomKill, true, s),
        vec!["S7@V munlock_vma_pages_range(L)", "S1@R zap_pte_range(A)"]
    );
    let s2 = format!("{s} V:remove_vma(A) R:vma->vm_next(A)");
    assert_eq!(
        first("b1-no-barrier", OomKill, true, &s2),
        vec![
            "S7@V munlock_vma_pages_range(L)",
            "S1@R zap_pte_range(A)",
            "S2@R vma->vm_next(A)"
        ]
    );
}

#[test]
fn v5_16_the_same_schedule_cannot_even_be_taken() {
    // With the barrier, V queues for mmap_lock behind R's read lock and cannot reach
    // tlb_finish_mmu while R is mid-walk.
    let m = model_no_m("v5.16", OomKill);
    let mut r = mmrace_core::run::Run::new(m);
    let s = mmrace_core::schedule::Schedule::parse("K* R:unmap_page_range(A) V:tlb_finish_mmu")
        .unwrap();
    let e = r.apply(&s).unwrap_err();
    assert!(
        e.message
            .contains("V is queued for mmap_lock write behind R's read"),
        "{e}"
    );
}

#[test]
fn b2_skip_after_unlock_lets_the_reaper_in_between() {
    assert_eq!(
        first(
            "b2-skip-after-unlock",
            OomKill,
            true,
            "K* V:mmap_write_unlock R:unmap_page_range(A) V:tlb_finish_mmu R:zap_pte_range(A)"
        ),
        vec!["S7@V munlock_vma_pages_range(L)", "S1@R zap_pte_range(A)"]
    );
}

#[test]
fn b3_skip_checked_before_the_trylock() {
    assert_eq!(
        first(
            "b3-skip-check-outside-lock",
            OomKill,
            true,
            "K* R:test_bit(MMF_OOM_SKIP) V:mmap_write_unlock R:unmap_page_range(A) V:tlb_finish_mmu R:zap_pte_range(A)"
        ),
        vec!["S7@V munlock_vma_pages_range(L)", "S1@R zap_pte_range(A)"]
    );
}

#[test]
fn b4_mrelease_mmgrab_crashes_in_pte_offset_map_lock() {
    let s =
        "M:task_unlock V:unmap_vmas(F) M:unmap_page_range(A) V:tlb_finish_mmu M:zap_pte_range(A)";
    assert_eq!(
        first("b4-mrelease-mmgrab", UserKill, false, s),
        vec!["S7@V free_pgtables(A)", "S1@M zap_pte_range(A)"]
    );
    // v5.16 pins mm_users instead: exit_mmap cannot start, V stops at the last step it can take.
    let m = model("v5.16", UserKill);
    let mut r = mmrace_core::run::Run::new(m);
    let e = r
        .apply(&mmrace_core::schedule::Schedule::parse(s).unwrap())
        .unwrap_err();
    assert!(e.message.contains("V:unmap_vmas(F)"), "{e}");
}

#[test]
fn b6_munlock_first_races_the_reaper_on_l() {
    assert_eq!(
        first(
            "b6-munlock-first",
            OomKill,
            true,
            "K* V:munlock_vma_pages_range(L) R:unmap_page_range(L)"
        ),
        vec!["S4@R unmap_page_range(L)"]
    );
}

#[test]
fn b7_victim_by_task_skips_the_barrier_when_g_does_the_last_mmput() {
    let s = "K* G:get_task_mm V* R:unmap_page_range(A) G:tlb_finish_mmu R:zap_pte_range(A)";
    assert_eq!(
        first("b7-victim-by-task", ProcReader, true, s),
        vec!["S7@G munlock_vma_pages_range(L)", "S1@R zap_pte_range(A)"]
    );
    // v5.16 tests the mm flag: G's exit_mmap raises the barrier and waits for R.
    let m = model_no_m("v5.16", ProcReader);
    let mut r = mmrace_core::run::Run::new(m);
    let e = r
        .apply(&mmrace_core::schedule::Schedule::parse(s).unwrap())
        .unwrap_err();
    assert!(
        e.message
            .contains("G is queued for mmap_lock write behind R's read"),
        "{e}"
    );
}

#[test]
fn b8_munlock_outside_the_write_lock() {
    assert_eq!(
        first(
            "b8-munlock-outside-lock",
            OomKill,
            false,
            "K* M:test_bit(MMF_OOM_SKIP) V:munlock_vma_pages_range(L) M:unmap_page_range(L)"
        ),
        // M has not loaded mm->mmap yet when munlock starts, so S7 does not fire before S4.
        vec!["S4@M unmap_page_range(L)"]
    );
}

#[test]
fn v5_17_rc1_dangling_mmap_is_the_syzbot_uaf() {
    let s = "M:task_unlock V* M*";
    assert_eq!(
        first("v5.17-rc1", UserKill, false, s),
        vec!["S2@M can_madv_lru_vma(A)"]
    );
    assert!(first("v5.17", UserKill, false, s).is_empty());
}

fn changes(v: &str, p: ProgId) -> Vec<(Change, &'static str)> {
    let var = Variant::by_id(v).unwrap();
    let base = var.base().unwrap();
    var.diff(p)
        .into_iter()
        .filter(|l| l.change != Change::Same)
        .map(|l| {
            let id = match (l.this, l.base) {
                (Some(t), _) => var.defs[p as usize].steps[t].id,
                (None, Some(b)) => base.defs[p as usize].steps[b].id,
                _ => unreachable!(),
            };
            (l.change, id)
        })
        .collect()
}

#[test]
fn buggy_variants_are_small_visible_diffs() {
    use Change::*;
    assert_eq!(
        changes("b1-no-barrier", ProgId::Mmput),
        vec![
            (Removed, "set_skip"),
            (Removed, "barrier_lock"),
            (Removed, "barrier_unlock")
        ]
    );
    assert_eq!(
        changes("b2-skip-after-unlock", ProgId::Mmput),
        vec![(Moved, "set_skip")]
    );
    // b7 (4.14) against b6 (4.15–4.16) is exactly 4837fe37adff, reverted.
    assert_eq!(
        changes("b7-victim-by-task", ProgId::Mmput),
        vec![(Moved, "set_skip"), (Changed, "victim")]
    );
    assert_eq!(
        changes("b3-skip-check-outside-lock", ProgId::OomReaper),
        vec![(Added, "skip_early"), (Removed, "test_skip")]
    );
    let b6 = changes("b6-munlock-first", ProgId::Mmput);
    assert!(
        b6.contains(&(Removed, "self_reap")) && b6.iter().any(|(c, _)| *c == Moved),
        "{b6:?}"
    );
    assert_eq!(changes("v5.17", ProgId::Mmput), vec![(Added, "reset_mmap")]);
    let rc1 = changes("v5.17-rc1", ProgId::Mmput);
    assert!(
        rc1.contains(&(Added, "wlock")) && rc1.contains(&(Removed, "barrier_lock")),
        "{rc1:?}"
    );
    let rc1m = changes("v5.17-rc1", ProgId::ProcessMrelease);
    assert!(
        rc1m.contains(&(Added, "mmgrab")) && rc1m.contains(&(Added, "recheck_skip")),
        "{rc1m:?}"
    );
    for v in VARIANTS.iter().filter(|v| v.base.is_some()) {
        assert!(
            !Variant::by_id(v.id).unwrap().changed_programs().is_empty(),
            "{} differs from its base",
            v.id
        );
    }
}

#[test]
fn every_variant_builds_and_unknown_ids_say_what_exists() {
    for v in VARIANTS {
        let var = Variant::by_id(v.id).unwrap();
        for p in ProgId::ALL {
            assert!(!var.program(p).steps.is_empty());
        }
    }
    let e = Variant::by_id("v5.18").unwrap_err();
    assert!(
        e.contains("unknown variant 'v5.18'") && e.contains("v5.17-rc1"),
        "{e}"
    );
}

#[test]
fn every_step_links_to_its_function_at_the_variants_release() {
    let v = Variant::by_id("v5.17").unwrap();
    let s = &v
        .program(ProgId::Mmput)
        .steps
        .iter()
        .find(|s| s.id == "wlock")
        .unwrap();
    assert_eq!(
        v.source_url(&s.src),
        "https://elixir.bootlin.com/linux/v5.17/C/ident/exit_mmap"
    );
    assert_eq!(s.src.since, "64591e8605d6");
    let b4 = Variant::by_id("b4-mrelease-mmgrab").unwrap();
    assert_eq!(b4.info.tag, "v5.15-rc1");
}

#[test]
fn labels_are_schedule_tokens() {
    // A label must survive the schedule format: no spaces or commas, never empty.
    for v in VARIANTS {
        for p in &Variant::by_id(v.id).unwrap().programs {
            for s in &p.steps {
                assert!(
                    !s.label.is_empty() && !s.label.contains([' ', ',', '\t']),
                    "{} {:?} step {}: label {:?}",
                    v.id,
                    p.id,
                    s.id,
                    s.label
                );
            }
        }
    }
}

/// The ids of a variant's exit_mmap steps, in order.
fn mmput_ids(v: &str) -> Vec<&'static str> {
    Variant::by_id(v)
        .unwrap()
        .program(ProgId::Mmput)
        .steps
        .iter()
        .map(|s| s.id)
        .collect()
}

fn before(ids: &[&str], a: &str, b: &str) -> bool {
    let p = |x: &str| {
        ids.iter()
            .position(|i| *i == x)
            .unwrap_or_else(|| panic!("no {x}"))
    };
    p(a) < p(b)
}

#[test]
fn b6_is_the_real_4_15_exit_mmap() {
    // v4.15–v4.16 mm/mmap.c: munlock; unmap_vmas; if (mm_is_oom_victim(mm)) { set_bit(SKIP);
    // down_write; up_write; } free_pgtables. No self-reap (27ae357fa82b added it in 4.17).
    let ids = mmput_ids("b6-munlock-first");
    assert!(!ids.contains(&"self_reap"), "{ids:?}");
    for (a, b) in [
        ("munlock_begin", "unmap_vmas"),
        ("unmap_next", "victim"),
        ("victim", "set_skip"),
        ("set_skip", "barrier_lock"),
        ("barrier_unlock", "victim_end"),
        ("victim_end", "free_pgtables"),
    ] {
        assert!(before(&ids, a, b), "{a} before {b}: {ids:?}");
    }
}

#[test]
fn b7_is_the_real_4_14_exit_mmap() {
    // v4.14 (212925802454): set_bit(MMF_OOM_SKIP) unconditional after unmap_vmas; only
    // down_write/up_write is gated by tsk_is_oom_victim(current).
    let v = Variant::by_id("b7-victim-by-task").unwrap();
    let p = v.program(ProgId::Mmput);
    let ids = mmput_ids("b7-victim-by-task");
    assert!(!ids.contains(&"self_reap"));
    for (a, b) in [
        ("munlock_begin", "unmap_vmas"),
        ("unmap_next", "set_skip"),
        ("set_skip", "victim"),
        ("victim", "barrier_lock"),
        ("barrier_unlock", "victim_end"),
        ("victim_end", "free_pgtables"),
    ] {
        assert!(before(&ids, a, b), "{a} before {b}: {ids:?}");
    }
    let victim = p.steps.iter().find(|s| s.id == "victim").unwrap();
    assert!(matches!(
        victim.op,
        mmrace_core::program::Op::TestCurrentOomVictim { .. }
    ));
    // Every exit_mmap sets SKIP in 4.14, OOM victim or not: a user-kill run ends with it set.
    let r = run(model("b7-victim-by-task", UserKill), "V*");
    assert!(r.state().mm.test_bit(mmrace_core::mm::MmFlag::OomSkip));
}

#[test]
fn b1_is_labelled_as_never_shipped() {
    // ≤ 4.13 the reaper pinned mm_users (mmget_not_zero … mmput_async); 212925802454 removed the
    // pin and added SKIP + the barrier together, so "no pin, no barrier" never shipped.
    let b1 = mmrace_core::variant::info("b1-no-barrier").unwrap();
    assert_eq!(b1.kind, mmrace_core::variant::Kind::HypotheticalBug);
    assert!(b1.kernel.starts_with("hypothetical"), "{}", b1.kernel);
    assert!(b1.summary.contains("never shipped"), "{}", b1.summary);
}

#[test]
fn a_bad_built_in_edit_names_the_edit_the_step_and_the_program() {
    use mmrace_core::variant::{apply, defs, Edit};
    let base = || defs("v5.16").unwrap();
    let err = |e: Edit| apply(base(), &[e]).unwrap_err();
    assert_eq!(
        err(Edit::Delete(ProgId::OomReaper, &["no_such_step"])),
        "delete: no step no_such_step in oom_reaper"
    );
    assert_eq!(
        err(Edit::MoveAfter {
            prog: ProgId::OomReaper,
            id: "no_such_step",
            after: "no_such_step"
        }),
        "move: no step no_such_step in oom_reaper"
    );
    let steps = &base()[ProgId::Mmput as usize].steps;
    let (first, last) = (steps[3].id, steps[1].id);
    assert_eq!(
        err(Edit::Move {
            prog: ProgId::Mmput,
            first,
            last,
            before: steps[0].id
        }),
        format!("move: {last} comes before {first}")
    );
}
