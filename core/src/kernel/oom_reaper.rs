//! Actor R: the `oom_reaper` kthread (`oom_reaper` → `oom_reap_task` → `oom_reap_task_mm`,
//! mm/oom_kill.c, spec §1.5). It pins only `mm_count` (through `signal->oom_mm`), never
//! `mm_users`, so it can run while exit_mmap tears the mm down: it takes `mmap_read_trylock`
//! and tests `MMF_OOM_SKIP` *under* it. Up to 10 attempts with `schedule_timeout_idle(HZ/10)`
//! after each failure; then "unable to reap" unless SKIP is already set; SKIP is set at the end
//! in every case. Unchanged between v5.16 and v6.1 for this model.

use super::*;
use crate::mm::MmFlag;

/// v4.19 … v5.17: `wake_oom_reaper` queues the victim at once (in K's context), so the reaper
/// program starts at its wait.
pub fn program() -> ProgramDef {
    reaper(Builder::new(ProgId::OomReaper))
}

/// v5.18+ (e4a38402c36e): `queue_oom_reaper` only arms a 2*HZ timer; its callback
/// `wake_oom_reaper` queues the victim *unless its mm already has `MMF_OOM_SKIP`* ("the victim
/// managed to terminate on its own - see exit_mmap"). The callback runs in timer (softirq)
/// context; it is R's first step here because it only ever feeds R. Untimed, it may fire at any
/// moment after K arms it.
pub fn with_timer() -> ProgramDef {
    let b = Builder::new(ProgId::OomReaper)
        .func("wake_oom_reaper", OOM_KILL_C)
        .since("e4a38402c36e")
        .step(
            "timer",
            "wake_oom_reaper",
            "wake_oom_reaper(timer): /* 2*HZ after queue_oom_reaper */ if (test_bit(MMF_OOM_SKIP, &mm->flags)) { put_task_struct(tsk); return; } list_add(oom_reaper_list); wake_up(&oom_reaper_wait);",
            Op::OomReaperTimer {
                if_skip: Target::Return,
            },
        );
    reaper(b)
}

fn reaper(b: Builder) -> ProgramDef {
    b.func("oom_reaper", OOM_KILL_C)
        .since("aac453635549")
        .step(
            "wait",
            "oom_reaper_list",
            "wait_event_freezable(oom_reaper_wait, oom_reaper_list != NULL); tsk = pop(oom_reaper_list);",
            Op::WaitReaperList,
        )
        .func("oom_reap_task", OOM_KILL_C)
        .since("aac453635549")
        .step(
            "attempt",
            "attempts++",
            "while (attempts++ < MAX_OOM_REAP_RETRIES && !oom_reap_task_mm(tsk, mm))  /* 10 */",
            Op::ReapAttempt {
                exhausted: to("give_up"),
            },
        )
        .func("oom_reap_task_mm", OOM_KILL_C)
        .indent(1)
        .since("aac453635549")
        .step("ret_true", "ret=true", "bool ret = true;", Op::SetReapOk)
        .since("aac453635549")
        .step(
            "trylock",
            "mmap_read_trylock",
            "if (!mmap_read_trylock(mm)) return false;",
            Op::ReadTrylock {
                on_fail: to("sleep"),
            },
        )
        .since("212925802454")
        .step(
            "test_skip",
            "test_bit(MMF_OOM_SKIP)",
            "if (test_bit(MMF_OOM_SKIP, &mm->flags)) goto out_unlock;  /* under the read lock */",
            if_oom_skip("unlock"),
        )
        .since("27ae357fa82b")
        .step(
            "reap",
            "__oom_reap_task_mm",
            "ret = __oom_reap_task_mm(mm);",
            Op::Call(ProgId::OomReapTaskMm),
        )
        .since("≤ v4.16")
        .step(
            "reaped",
            "pr_info(reaped)",
            "if (ret) pr_info(\"oom_reaper: reaped process …\");",
            Op::LogReaped,
        )
        .since("aac453635549")
        .step("unlock", "mmap_read_unlock", "out_unlock: mmap_read_unlock(mm);", Op::ReadUnlock)
        .since("aac453635549")
        .step(
            "ret",
            "return",
            "return ret;",
            Op::IfReapOk {
                if_ok: to("done"),
                if_fail: to("sleep"),
            },
        )
        .func("oom_reap_task", OOM_KILL_C)
        .indent(0)
        .since("aac453635549")
        .step(
            "sleep",
            "schedule_timeout_idle",
            "    schedule_timeout_idle(HZ/10);",
            Op::Sleep { to: to("attempt") },
        )
        .since("≤ v4.16")
        .step(
            "give_up",
            "test_bit(MMF_OOM_SKIP)",
            "if (attempts <= MAX_OOM_REAP_RETRIES || test_bit(MMF_OOM_SKIP, &mm->flags)) goto done;",
            if_oom_skip("done"),
        )
        .since("≤ v4.16")
        .step(
            "unable",
            "pr_info(unable_to_reap)",
            "pr_info(\"oom_reaper: unable to reap pid:%d (%s)\\n\", …); debug_show_all_locks();",
            Op::LogUnableToReap,
        )
        .since("≤ v4.16")
        .step(
            "done",
            "set_bit(MMF_OOM_SKIP)",
            "done: set_bit(MMF_OOM_SKIP, &mm->flags);  /* always */",
            Op::SetBit(MmFlag::OomSkip),
        )
        .since("36324a990cf5")
        .step("put_task", "put_task_struct", "put_task_struct(tsk);", Op::PutTask)
        .build()
}
