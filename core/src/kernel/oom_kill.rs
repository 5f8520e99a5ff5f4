//! Actor K: the OOM killer picking V (`oom_kill_process` → `__oom_kill_process`, mm/oom_kill.c,
//! spec §1.4).
//!
//! `oom_kill_process` first asks `task_will_free_mem(victim)` under `task_lock`: a victim that
//! is already dying (SIGKILL pending, `->mm` still set, `MMF_OOM_SKIP` clear) is only marked and
//! queued for the reaper (the shortcut block at the end of the listing). Otherwise
//! `__oom_kill_process` looks for a thread with an mm (`find_lock_task_mm`) and returns if there
//! is none: "OOM victim … is already exiting. Skip killing the task". Both matter only when a
//! user SIGKILL races the OOM kill (scenario kill `user,oom`); with kill `oom`, V is not dying
//! until K's own SIGKILL, so the shortcut is never taken.
//!
//! Under `task_lock(victim)` it takes a temporary `mmgrab`, sends SIGKILL and marks the victim
//! (`mark_oom_victim`: the long-lived `mmgrab` in `signal->oom_mm`, plus `MMF_OOM_VICTIM` up to
//! v6.0), then queues the reaper once (`MMF_OOM_REAP_QUEUED`). Because V clears `->mm` under the
//! same `task_lock`, `MMF_OOM_VICTIM` cannot appear on an mm whose exit_mmap already started.

use super::*;
use crate::mm::MmFlag;
use crate::program::Pin;

/// `set_bit(MMF_OOM_VICTIM)` inside `mark_oom_victim`'s cmpxchg branch (4837fe37adff, v4.15 …
/// v6.0), in both the kill and the already-exiting shortcut; from v6.1 there is no such line.
fn set_victim(b: Builder, set_victim_flag: bool, id: &'static str, code: &'static str) -> Builder {
    if !set_victim_flag {
        return b;
    }
    b.since("4837fe37adff").step(
        id,
        "set_bit(MMF_OOM_VICTIM)",
        code,
        Op::SetBit(MmFlag::OomVictim),
    )
}

fn program(set_victim_flag: bool, timer: bool) -> ProgramDef {
    let wake_label = if timer {
        "queue_oom_reaper"
    } else {
        "wake_oom_reaper"
    };
    let b = Builder::new(ProgId::OomKill)
        .func("oom_kill_process", OOM_KILL_C)
        // The task_will_free_mem test and __oom_kill_process's find_lock_task_mm, as one step.
        .since("≤ v3.13")
        .step(
            "find_lock",
            "find_lock_task_mm",
            "task_lock(victim); if (task_will_free_mem(victim)) goto exiting; task_unlock(victim); … __oom_kill_process: p = find_lock_task_mm(victim); if (!p) return;  /* already exiting */",
            Op::OomFindVictim {
                if_exiting: to("exiting_mark"),
                on_fail: Target::Return,
            },
        )
        .func("__oom_kill_process", OOM_KILL_C)
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
            if set_victim_flag {
                "mark_oom_victim(victim): if (!cmpxchg(&tsk->signal->oom_mm, NULL, mm)) { mmgrab(tsk->signal->oom_mm);"
            } else {
                "mark_oom_victim(victim): if (!cmpxchg(&tsk->signal->oom_mm, NULL, mm)) mmgrab(tsk->signal->oom_mm);"
            },
            Op::MarkOomMm {
                if_set: to("mark_end"),
            },
        )
        .indent(2);
    let b = set_victim(
        b,
        set_victim_flag,
        "set_victim",
        "set_bit(MMF_OOM_VICTIM, &mm->flags);  /* inside the cmpxchg branch */",
    );
    // signal->oom_mm's mmgrab is dropped by free_signal_struct (kernel/fork.c) when the victim's
    // last task reference goes. No scenario reaches that point: the model ends with V's exit_mm,
    // and K, R and M each still hold a task_struct reference; so in OOM scenarios mm_count never
    // reaches 0 and the mm_struct itself is never freed.
    let b = b
        .indent(1)
        .since(if set_victim_flag {
            "4837fe37adff"
        } else {
            "26db62f179d1"
        })
        .step(
            "mark_end",
            "}",
            if set_victim_flag {
                "}  /* only the first marking pins and flags the mm */"
            } else {
                "/* only the first marking pins the mm */"
            },
            Op::End,
        )
        .func("__oom_kill_process", OOM_KILL_C)
        .since("≤ v3.13")
        .step("task_unlock", "task_unlock", "task_unlock(victim);", Op::TaskUnlock)
        .since(if timer { "e4a38402c36e" } else { "aac453635549" })
        .step(
            "wake_reaper",
            wake_label,
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
        .since("≤ v3.13")
        .step("killed_return", "return", "", Op::Goto(Target::Return));
    // oom_kill_process's shortcut for a victim that is already dying: mark it and queue the
    // reaper, no second SIGKILL (with a wake-up of the reaper by v4.18 at the latest).
    let b = b
        .func("oom_kill_process", OOM_KILL_C)
        .indent(1)
        .since("26db62f179d1")
        .step(
            "exiting_mark",
            "mark_oom_victim",
            "exiting: mark_oom_victim(victim);  /* task_will_free_mem: already dying, no second SIGKILL */",
            // A victim already marked (K's own earlier kill cannot be, but a second K or a
            // marking from another path could) skips the pin and the flag, as in `mark`.
            Op::MarkOomMm {
                if_set: to("exiting_wake"),
            },
        );
    let b = set_victim(
        b,
        set_victim_flag,
        "exiting_set_victim",
        "    set_bit(MMF_OOM_VICTIM, &mm->flags);",
    );
    b.since(if timer { "e4a38402c36e" } else { "≤ v4.18" })
        .step(
            "exiting_wake",
            wake_label,
            if timer {
                "queue_oom_reaper(victim);"
            } else {
                "wake_oom_reaper(victim);"
            },
            Op::WakeOomReaper,
        )
        .since("≤ v3.13")
        .step(
            "exiting_unlock",
            "task_unlock",
            "task_unlock(victim); put_task_struct(victim); return;",
            Op::TaskUnlock,
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
