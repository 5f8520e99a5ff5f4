//! Edited programs are arbitrary programs: the interpreter and explorer must never panic or
//! hang on one, whatever the edit broke. Every single-step delete and duplicate of three
//! releases, and hand-written nasty edits, are explored (bounded).

use mmrace_core::explore::{explore, Bounds};
use mmrace_core::{Model, Scenario, ScenarioId, Variant};

const SCENARIOS: [ScenarioId; 3] = [
    ScenarioId::OomKill,
    ScenarioId::UserKill,
    ScenarioId::ProcReader,
];

fn check(v: &Variant) {
    for sc in SCENARIOS {
        let r = explore(
            Model::new(v.clone(), Scenario::new(sc)),
            Bounds {
                max_states: 3_000,
                max_depth: 400,
                symmetry: true,
                reduction: true,
            },
        );
        assert!(r.states > 0);
    }
}

#[test]
fn every_single_delete_and_duplicate_explores_without_panic() {
    let mut n = 0;
    for id in ["v5.16", "v5.17", "v6.1"] {
        let base = Variant::by_id(id).unwrap();
        for d in &base.defs {
            for s in &d.steps {
                for e in [
                    format!("delete {}:{}", s.src.func, s.id),
                    format!("duplicate {}:{}", s.src.func, s.id),
                ] {
                    if let Ok(v) = base.with_edits(&e) {
                        check(&v);
                        n += 1;
                    }
                }
            }
        }
    }
    assert!(n > 300, "{n}");
}

#[test]
fn nasty_edits_explore_without_panic_or_hang() {
    let base = Variant::by_id("v5.17").unwrap();
    for e in [
        // A local loop with no scheduling point.
        "insert before exit_mmap:wlock goto to=spin as spin",
        // Unbounded recursion into __mmput and __oom_reap_task_mm.
        "insert before exit_mmap:wlock call(__mmput)",
        "insert before __oom_reap_task_mm:unstable call(__oom_reap_task_mm)",
        // VMA ops with no VMA in hand.
        "move __oom_reap_task_mm:zap_end before __oom_reap_task_mm:unstable",
        "move __oom_reap_task_mm:can_madv before __oom_reap_task_mm:unstable",
        "insert before exit_mmap:wlock free_pgtables",
        "insert before exit_mmap:wlock remove_vma loop=wlock",
        "insert before exit_mmap:wlock munlock_vma_pages_range",
        "insert before exit_mmap:wlock follow_page_mask",
        "insert before exit_mmap:wlock unmap_vmas",
        "insert before exit_mmap:wlock VM_LOCKED else=wlock",
        "insert before exit_mmap:wlock owner:vma->vm_next loop=wlock",
        "insert before exit_mmap:wlock vma->vm_next loop=wlock",
        "insert before exit_mmap:wlock zap_pte_range",
        // Counters pushed past their range.
        "insert before exit_mm:mmput mmgrab(temporary) as g\ninsert after exit_mm:g goto to=g",
        "insert before exit_mm:mmput mmput as p\ninsert after exit_mm:p goto to=p",
        "insert before exit_mm:mmput mmdrop(temporary) as d\ninsert after exit_mm:d goto to=d",
        "insert before exit_mm:mmput mmget_not_zero as u\ninsert after exit_mm:u goto to=u",
        "insert before oom_reaper:wait mmap_read_lock as l\ninsert after oom_reaper:l goto to=l",
        // Lock ops in odd places.
        "insert before do_exit:do_exit mmap_write_unlock\ninsert before do_exit:do_exit mmap_read_unlock",
        "insert before do_exit:do_exit clear_bit(MMF_OOM_SKIP)",
        // Empty programs.
        "delete do_exit:do_exit\ndelete exit_mm:rlock\ndelete exit_mm:mmgrab\ndelete exit_mm:clear_mm\ndelete exit_mm:runlock\ndelete exit_mm:task_unlock\ndelete exit_mm:mmput\ndelete finish_task_switch:mmdrop_lazy",
    ] {
        let v = base.with_edits(e).unwrap_or_else(|err| panic!("{e}: {err}"));
        check(&v);
    }
}
