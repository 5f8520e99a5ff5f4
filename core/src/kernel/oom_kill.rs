//! Actor K: the OOM killer picking V (`__oom_kill_process`, mm/oom_kill.c, spec §1.4).
//!
//! Under `task_lock(victim)` it takes a temporary `mmgrab`, sends SIGKILL and marks the victim
//! (`mark_oom_victim`: the long-lived `mmgrab` in `signal->oom_mm`, plus `MMF_OOM_VICTIM` up to
//! v6.0), then queues the reaper once (`MMF_OOM_REAP_QUEUED`). Because V clears `->mm` under the
//! same `task_lock`, `MMF_OOM_VICTIM` cannot appear on an mm whose exit_mmap already started.

use super::*;
use crate::mm::MmFlag;
use crate::program::Pin;

fn program(set_victim_flag: bool, timer: bool) -> ProgramDef {
    let b = Builder::new(ProgId::OomKill)
        .func("__oom_kill_process", OOM_KILL_C)
        .since("≤ v3.13")
        .step(
            "find_lock",
            "find_lock_task_mm",
            "p = find_lock_task_mm(victim); if (!p) return;  /* already exiting */",
            Op::FindLockTaskMm {
                on_fail: Target::Return,
            },
        )
        .indent(1)
        .since("≤ v4.6")
        .step(
            "mmgrab",
            "mmgrab",
            "mm = victim->mm; mmgrab(mm);  /* temporary */",
            Op::Mmgrab(Pin::Temporary),
        )
        .since(BEFORE_GIT)
        .step(
            "sigkill",
            "do_send_sig_info(SIGKILL)",
            "do_send_sig_info(SIGKILL, SEND_SIG_PRIV, victim, PIDTYPE_TGID);",
            Op::SendSigkill,
        )
        .func("mark_oom_victim", OOM_KILL_C)
        .since("26db62f179d1")
        .step(
            "mark",
            "mark_oom_victim",
            "mark_oom_victim(victim): if (!cmpxchg(&tsk->signal->oom_mm, NULL, mm)) mmgrab(mm);",
            Op::MarkOomMm,
        );
    let b = if set_victim_flag {
        b.since("4837fe37adff").step(
            "set_victim",
            "set_bit(MMF_OOM_VICTIM)",
            "    set_bit(MMF_OOM_VICTIM, &mm->flags);",
            Op::SetBit(MmFlag::OomVictim),
        )
    } else {
        b
    };
    b.func("__oom_kill_process", OOM_KILL_C)
        .since("≤ v3.13")
        .step("task_unlock", "task_unlock", "task_unlock(victim);", Op::TaskUnlock)
        .since(if timer { "e4a38402c36e" } else { "aac453635549" })
        .step(
            "wake_reaper",
            if timer { "queue_oom_reaper" } else { "wake_oom_reaper" },
            if timer {
                "queue_oom_reaper(victim): if (test_and_set_bit(MMF_OOM_REAP_QUEUED)) return; add_timer(2*HZ)"
            } else {
                "wake_oom_reaper(victim): if (test_and_set_bit(MMF_OOM_REAP_QUEUED)) return; list_add; wake_up"
            },
            Op::WakeOomReaper,
        )
        .since("≤ v4.6")
        .step(
            "mmdrop",
            "mmdrop",
            "mmdrop(mm); put_task_struct(victim);",
            Op::Mmdrop(Pin::Temporary),
        )
        .build()
}

/// v4.15 … v6.0: marks the mm with `MMF_OOM_VICTIM`, wakes the reaper at once.
pub fn v5_16() -> ProgramDef {
    program(true, false)
}

/// v6.1: no `MMF_OOM_VICTIM` (b3541d912a84); the reaper is queued by a 2*HZ timer
/// (e4a38402c36e, v5.18). The model is untimed, so the delay only renames the step.
pub fn v6_1() -> ProgramDef {
    program(false, true)
}
