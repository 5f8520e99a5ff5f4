//! Actor G: another `mm_users` holder, such as a `/proc/<pid>/…` reader (`get_task_mm` …
//! `mmput`, kernel/fork.c). It matters because its `mmput` can be the last one, so `exit_mmap`
//! can run in a task that is not the OOM victim — the reason 4837fe37adff tests a flag on the
//! *mm* (`MMF_OOM_VICTIM`) rather than `tsk_is_oom_victim(current)` (bug B7).

use super::*;

pub fn program() -> ProgramDef {
    Builder::new(ProgId::ProcReader)
        .func("get_task_mm", FORK_C)
        .since(BEFORE_GIT)
        .step(
            "get_task_mm",
            "get_task_mm",
            "task_lock(task); mm = task->mm; if (mm) mmget(mm); task_unlock(task);",
            Op::GetTaskMm {
                on_null: Target::Return,
            },
        )
        .func("mmput", FORK_C)
        .since(BEFORE_GIT)
        .step(
            "mmput",
            "mmput",
            "… read /proc/<pid>/…; mmput(mm);  /* may be the last */",
            Op::Mmput,
        )
        .build()
}
