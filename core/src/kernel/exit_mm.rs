//! Actor V: the victim's last thread leaving its mm (`do_exit` → `exit_mm`, kernel/exit.c).
//!
//! The same in every modelled release (v5.10 and later): `mmap_read_lock` (the core-dump check),
//! the lazy-TLB `mmgrab`, `current->mm = NULL` under `task_lock`, `task_unlock`, and only then
//! `mmap_read_unlock`, then `mmput`. The membarrier fix 5bc78502322a (v5.10) moved the read
//! unlock *out* of `task_lock` (before it, `up_read` ran between `current->mm = NULL` and
//! `task_unlock`). If that `mmput` is the last, `__mmput` → `exit_mmap` runs right here, in V.

use super::*;

pub fn program() -> ProgramDef {
    Builder::new(ProgId::ExitMm)
        .func("do_exit", EXIT_C)
        .since(BEFORE_GIT)
        .step(
            "do_exit",
            "do_exit",
            "do_exit(SIGKILL): exit_signals(); exit_mm_release()  /* once a fatal signal is pending */",
            Op::DoExit,
        )
        .func("exit_mm", EXIT_C)
        .indent(1)
        .since(BEFORE_GIT)
        .step("rlock", "mmap_read_lock", "mmap_read_lock(mm);", Op::ReadLock)
        .since(BEFORE_GIT)
        .step("mmgrab", "mmgrab", "mmgrab(mm);  /* current->active_mm: lazy TLB */", Op::Mmgrab(crate::program::Pin::LazyTlb))
        .since(BEFORE_GIT)
        .step(
            "clear_mm",
            "current->mm=NULL",
            "task_lock(current); current->mm = NULL;",
            Op::ClearTaskMm,
        )
        .since(BEFORE_GIT)
        .step("task_unlock", "task_unlock", "task_unlock(current);", Op::TaskUnlock)
        // up_read() in exit_mm() is older than git; 5bc78502322a only moved it after task_unlock.
        .since(BEFORE_GIT)
        .step(
            "runlock",
            "mmap_read_unlock",
            "mmap_read_unlock(mm);  /* after task_unlock since v5.10 */",
            Op::ReadUnlock,
        )
        .since(BEFORE_GIT)
        .step("mmput", "mmput", "mmput(mm);  /* the last one runs __mmput() here */", Op::Mmput)
        .func("finish_task_switch", "kernel/sched/core.c")
        .indent(0)
        .since(BEFORE_GIT)
        .step(
            "mmdrop_lazy",
            "mmdrop",
            "mmdrop(prev->active_mm);  /* the dead task schedules away */",
            Op::Mmdrop(crate::program::Pin::LazyTlb),
        )
        .build()
}
