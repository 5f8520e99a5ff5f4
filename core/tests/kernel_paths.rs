//! Each modelled kernel path does what the real source does, line for line where the order
//! matters: checked against kernel/exit.c, kernel/fork.c, mm/mmap.c, mm/oom_kill.c, mm/ksm.c and
//! mm/khugepaged.c of the release each variant models.

mod common;
use common::*;
use mmrace_core::actor::ActorId;
use mmrace_core::program::ProgId;
use mmrace_core::ScenarioId::{OomKill, UserKill};

#[test]
fn exit_mm_drops_mmap_read_lock_after_task_unlock() {
    // v5.10+ (5bc78502322a): `current->mm = NULL; … task_unlock(current); mmap_read_unlock(mm);`
    for v in ["v5.16", "v5.17", "v6.1"] {
        let r = run(model(v, UserKill), "V:task_unlock");
        let s = r.state();
        assert!(s.task.task_lock.is_none() && !s.task.has_mm, "{v}");
        assert!(
            s.mm.mmap_lock.is_reader(ActorId::V),
            "{v}: V still holds mmap_read_lock after task_unlock"
        );
        let r = run(model(v, UserKill), "V:mmap_read_unlock");
        assert!(
            r.state().task.task_lock.is_none(),
            "{v}: task_lock already dropped"
        );
    }
}

#[test]
fn v6_1_wake_oom_reaper_does_not_queue_a_victim_whose_mm_has_oom_skip() {
    // 6.1 mm/oom_kill.c, the timer callback: "The victim managed to terminate on its own".
    let m = model_no_m("v6.1", OomKill);
    let r = run(m.clone(), "K* V* R");
    let s = r.state();
    assert!(s.actor(ActorId::V).is_done());
    assert!(
        s.actor(ActorId::R).is_done(),
        "the timer fired after exit_mmap set MMF_OOM_SKIP: R never runs oom_reap_task"
    );
    assert!(
        labels(&r)
            .iter()
            .all(|l| !l.starts_with("R mmap_read_trylock")),
        "{:?}",
        labels(&r)
    );
    // Before exit_mmap's set_bit(MMF_OOM_SKIP) the timer queues V and the reaper runs.
    let r = run(m, "K* R R:mmap_read_trylock");
    assert!(r.state().mm.mmap_lock.is_reader(ActorId::R));
    // v5.16's wake_oom_reaper queues at once, in the OOM killer's context: the reaper runs
    // and bails on MMF_OOM_SKIP under its read lock.
    let r = run(model_no_m("v5.16", OomKill), "K* V* R*");
    assert!(labels(&r).contains(&"R mmap_read_trylock".to_string()));
}

#[test]
fn the_munlock_accounting_lives_in_unlock_range() {
    // mm/mmap.c: `if (tmp->vm_flags & VM_LOCKED) { mm->locked_vm -= vma_pages(tmp);
    // munlock_vma_pages_all(tmp); }`; mm/mlock.c only clears VM_LOCKED and munlocks pages.
    for v in ["v5.16", "v5.17"] {
        let var = mmrace_core::Variant::by_id(v).unwrap();
        let p = var.program(ProgId::Mmput);
        let acct = p
            .steps
            .iter()
            .find(|s| s.code.contains("locked_vm -="))
            .expect("a locked_vm accounting line");
        assert_eq!(
            (acct.src.func, acct.src.file),
            ("unlock_range", "mm/mmap.c")
        );
        let munlock = p.steps.iter().find(|s| s.id == "munlock_begin").unwrap();
        assert_eq!(munlock.src.file, "mm/mlock.c");
        assert!(!munlock.code.contains("locked_vm"), "{v}: {}", munlock.code);
    }
}

#[test]
fn mmf_oom_victim_is_set_only_by_the_first_mark_oom_victim() {
    // 4837fe37adff: `if (!cmpxchg(&tsk->signal->oom_mm, NULL, mm)) { mmgrab(…);
    // set_bit(MMF_OOM_VICTIM, &mm->flags); }` — a second marking changes nothing.
    use mmrace_core::mm::MmFlag;
    let m = model_no_m("v5.16", OomKill);
    let mut s = m.initial();
    s.task.oom_mm = true;
    let count = s.mm.count;
    while !s.actor(ActorId::K).is_done() {
        s = m.step(&s, ActorId::K).unwrap().0;
    }
    assert!(
        !s.mm.test_bit(MmFlag::OomVictim),
        "set_bit outside the cmpxchg branch"
    );
    assert_eq!(s.mm.count, count, "no second long-lived mmgrab");
    // The first marking does both.
    let r = run(m, "K*");
    assert!(r.state().mm.test_bit(MmFlag::OomVictim));
}

#[test]
fn process_mrelease_finds_its_task_as_each_release_does() {
    // 5.15/5.16: pidfd_get_pid + get_pid_task (and put_pid); 5.17: the pidfd_get_task helper.
    let code = |v: &str| {
        let var = mmrace_core::Variant::by_id(v).unwrap();
        let p = var.program(ProgId::ProcessMrelease);
        (p.steps[0].code, p.steps.last().unwrap().code)
    };
    for v in ["v5.16", "b4-mrelease-mmgrab"] {
        let (head, tail) = code(v);
        assert!(
            head.contains("pidfd_get_pid") && head.contains("get_pid_task"),
            "{v}: {head}"
        );
        assert!(tail.contains("put_pid"), "{v}: {tail}");
    }
    for v in ["v5.17", "v6.1"] {
        let (head, tail) = code(v);
        assert!(
            head.contains("pidfd_get_task") && !tail.contains("put_pid"),
            "{v}"
        );
    }
}

#[test]
fn v6_1_texts_are_the_maple_tree_ones() {
    let v = mmrace_core::Variant::by_id("v6.1").unwrap();
    let code = |p: ProgId, id: &str| {
        v.program(p)
            .steps
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
            .code
    };
    assert!(code(ProgId::Mmput, "unmap_vmas")
        .contains("unmap_vmas(&tlb, &mm->mm_mt, vma, 0, ULONG_MAX)"));
    assert!(code(ProgId::Mmput, "free_pgtables").contains("free_pgtables(&tlb, &mm->mm_mt, vma"));
    let rm = code(ProgId::Mmput, "remove_vma");
    assert!(
        rm.starts_with("do {") && rm.contains("while ((vma = mas_find(&mas, ULONG_MAX)) != NULL)"),
        "{rm}"
    );
    let skip = code(ProgId::OomReapTaskMm, "can_madv");
    assert!(
        skip.contains("VM_HUGETLB|VM_PFNMAP") && !skip.contains("can_madv_lru_vma"),
        "{skip}"
    );
}

#[test]
fn the_task_will_free_mem_shortcut_marks_like_mark_oom_victim() {
    // oom_kill_process's `if (task_will_free_mem(victim)) { mark_oom_victim(victim); … }`:
    // the same cmpxchg(&signal->oom_mm) branch as __oom_kill_process's marking, so a victim
    // whose oom_mm is already set gets neither a second pin nor MMF_OOM_VICTIM.
    use mmrace_core::mm::MmFlag;
    use mmrace_core::scenario::{Kill, Scenario};
    use mmrace_core::sim::Model;
    use mmrace_core::variant::Variant;
    let m = Model::new(
        Variant::by_id("v5.16").unwrap(),
        Scenario::combination(Kill::UserOom, 0, 0).unwrap(),
    );
    for already_marked in [true, false] {
        let mut s = m.initial();
        s.task.group_exit = true; // V already has its user SIGKILL
        s.task.oom_mm = already_marked;
        let count = s.mm.count;
        let mut took_shortcut = false;
        while !s.actor(ActorId::K).is_done() {
            let (n, info) = m.step(&s, ActorId::K).unwrap();
            took_shortcut |= info
                .events
                .contains(&mmrace_core::check::Event::OomShortcut);
            s = n;
        }
        assert!(
            took_shortcut,
            "K did not take the task_will_free_mem shortcut"
        );
        assert_eq!(
            s.mm.test_bit(MmFlag::OomVictim),
            !already_marked,
            "already marked: {already_marked}"
        );
        let pinned = if already_marked { count } else { count + 1 };
        assert_eq!(s.mm.count, pinned, "already marked: {already_marked}");
        assert!(
            s.mm.test_bit(MmFlag::OomReapQueued),
            "the reaper is still queued"
        );
    }
}
