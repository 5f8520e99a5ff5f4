//! Each modelled kernel path does what the real source does, line for line where the order
//! matters: checked against kernel/exit.c, kernel/fork.c, mm/mmap.c, mm/oom_kill.c, mm/ksm.c and
//! mm/khugepaged.c of the release each variant models.

mod common;
use common::*;
use mmrace_core::actor::ActorId;
use mmrace_core::ScenarioId::UserKill;

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
