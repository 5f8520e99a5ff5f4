//! Actor M: `process_mrelease(pidfd, 0)` (mm/oom_kill.c), in its three historical shapes.
//!
//! * **5.15-rc1** (884a7e5964e0): `mmgrab` only, `MMF_OOM_SKIP` tested once before the lock —
//!   nothing keeps exit_mmap from freeing page tables under the walk (bug B4, fixed by
//!   337546e83fc7).
//! * **v5.15 final / v5.16** (337546e83fc7): `mmget_not_zero` pins `mm_users`, so exit_mmap cannot
//!   start while M walks — and M's `mmput` may be the last, running exit_mmap (and `exit_aio`) in
//!   M's context.
//! * **v5.17+** (ba535c1caf3e): back to `mmgrab`, with `MMF_OOM_SKIP` re-tested under
//!   `mmap_read_lock`; safe because exit_mmap now frees under the write lock.

use super::*;
use crate::program::{Errno, Pin};

/// 884a7e5964e0 "mm: introduce process_mrelease system call" (v5.15-rc1).
const MRELEASE: &str = "884a7e5964e0";
/// 337546e83fc7 "mm/oom_kill.c: prevent a race between process_mrelease and exit_mmap" (v5.15).
const MMGET_FIX: &str = "337546e83fc7";
/// ba535c1caf3e "mm/oom_kill: allow process_mrelease to run under mmap_lock protection" (v5.17).
const MMGRAB_AGAIN: &str = "ba535c1caf3e";

/// How the syscall finds its task: 5.15.x (which the `v5.16` variant follows, modelled on
/// 5.15.16) and 5.15-rc1 go through the pid (`pidfd_get_pid` + `get_pid_task`, `put_pid` on
/// the way out); ee9955d61a0a "mm: use pidfd_get_task()" (the pidfd pull for 5.16, so mainline
/// v5.16 already has it) switched to the helper, which v5.17 and v6.1 use.
#[derive(Clone, Copy, PartialEq)]
enum Lookup {
    Pid,
    PidfdGetTask,
}

fn head(b: Builder, lookup: Lookup) -> Builder {
    let b = b.func("process_mrelease", OOM_KILL_C);
    let b = match lookup {
        Lookup::Pid => b.since(MRELEASE).step(
            "get_task",
            "get_pid_task",
            "pid = pidfd_get_pid(pidfd, &f_flags); if (IS_ERR(pid)) return PTR_ERR(pid); task = get_pid_task(pid, PIDTYPE_TGID); if (!task) { ret = -ESRCH; goto put_pid; }",
            Op::Nop,
        ),
        Lookup::PidfdGetTask => b.since("ee9955d61a0a").step(
            "get_task",
            "pidfd_get_task",
            "task = pidfd_get_task(pidfd, &f_flags); if (IS_ERR(task)) return PTR_ERR(task);",
            Op::Nop,
        ),
    };
    b.since(MRELEASE).step(
        "find_lock",
        "find_lock_task_mm",
        "p = find_lock_task_mm(task); if (!p) { ret = -ESRCH; goto put_task; }",
        Op::FindLockTaskMm {
            on_fail: to("esrch"),
        },
    )
}

/// `if (task_will_free_mem(p)) reap = true; else if (!test_bit(MMF_OOM_SKIP)) ret = -EINVAL;`
fn will_free(b: Builder) -> Builder {
    b.since(MMGET_FIX)
        .step(
            "will_free",
            "task_will_free_mem",
            "if (task_will_free_mem(p)) reap = true;",
            Op::TaskWillFreeMem {
                if_false: to("einval_skip"),
            },
        )
        .since(MMGET_FIX)
        .step("will_free_ok", "}", "", Op::Goto(to("task_unlock")))
        .since(MMGET_FIX)
        .step(
            "einval_skip",
            "test_bit(MMF_OOM_SKIP)",
            "else if (!test_bit(MMF_OOM_SKIP, &mm->flags)) /* error only if not done already */",
            if_oom_skip("task_unlock"),
        )
        .since(MRELEASE)
        .step(
            "einval",
            "ret=-EINVAL",
            "    ret = -EINVAL;",
            Op::SetErrno(Errno::Einval),
        )
}

fn lock_and_unlock(b: Builder, recheck_skip: bool) -> Builder {
    let b = b
        .indent(0)
        .since(MRELEASE)
        .step(
            "task_unlock",
            "task_unlock",
            "task_unlock(p);",
            Op::TaskUnlock,
        )
        .since(MRELEASE)
        .step(
            "if_reap",
            "reap",
            "if (!reap) goto drop_mm;",
            Op::IfReap {
                if_not: to("drop_mm"),
            },
        )
        .since(MRELEASE)
        .step(
            "lock",
            "mmap_read_lock_killable",
            "if (mmap_read_lock_killable(mm)) { ret = -EINTR; goto drop_mm; }",
            Op::ReadLockKillable {
                on_eintr: to("eintr"),
            },
        )
        .since(MRELEASE)
        .step("ret_true", "ret=true", "", Op::SetReapOk);
    let b = if recheck_skip {
        b.since(MMGRAB_AGAIN).step(
            "recheck_skip",
            "test_bit(MMF_OOM_SKIP)",
            "if (!test_bit(MMF_OOM_SKIP, &mm->flags)  /* again, under mmap_read_lock */",
            if_oom_skip("unlock"),
        )
    } else {
        b
    };
    b.since(MRELEASE)
        .step(
            "reap",
            "__oom_reap_task_mm",
            "if (!__oom_reap_task_mm(mm))",
            Op::Call(ProgId::OomReapTaskMm),
        )
        .since(MRELEASE)
        .step(
            "eagain",
            "ret=-EAGAIN",
            "    ret = -EAGAIN;",
            Op::IfReapOk {
                if_ok: to("unlock"),
                if_fail: to("set_eagain"),
            },
        )
        .since(MRELEASE)
        .step("set_eagain", "ret=-EAGAIN", "", Op::SetErrno(Errno::Eagain))
        .since(MRELEASE)
        .step(
            "unlock",
            "mmap_read_unlock",
            "mmap_read_unlock(mm);",
            Op::ReadUnlock,
        )
        .since(MRELEASE)
        .step("unlock_done", "goto", "", Op::Goto(to("drop_mm")))
        .since(MRELEASE)
        .step("eintr", "ret=-EINTR", "", Op::SetErrno(Errno::Eintr))
}

/// `drop_mm:` and the exit. `drop_since` cites the drop line of this shape (`mmput` 337546e83fc7,
/// `mmdrop` 884a7e5964e0 or, re-added, ba535c1caf3e).
fn tail(
    b: Builder,
    drop: Op<Target>,
    drop_code: &'static str,
    drop_label: &'static str,
    drop_since: &'static str,
    lookup: Lookup,
) -> Builder {
    b.since(drop_since)
        .step("drop_mm", drop_label, drop_code, drop)
        .since(drop_since)
        .step("drop_done", "goto", "", Op::Goto(to("put_task")))
        .since(MRELEASE)
        .step("esrch", "ret=-ESRCH", "", Op::SetErrno(Errno::Esrch))
        .since(MRELEASE)
        .step(
            "put_task",
            "put_task_struct",
            if lookup == Lookup::Pid {
                "put_task: put_task_struct(task); put_pid: put_pid(pid); return ret;"
            } else {
                "put_task: put_task_struct(task); return ret;"
            },
            Op::PutTask,
        )
}

/// `mm = p->mm; mmgrab(mm);`: the pin of 5.15-rc1 (884a7e5964e0) and, re-added, of v5.17
/// (ba535c1caf3e).
fn mmgrab(b: Builder, since: &'static str) -> Builder {
    b.since(since).step(
        "mmgrab",
        "mmgrab",
        "mm = p->mm; mmgrab(mm);",
        Op::Mmgrab(Pin::Mrelease),
    )
}

/// `drop_mm: mmdrop(mm);` and the exit of the `mmgrab` shapes; `since` cites their `mmdrop`.
fn mmdrop_tail(b: Builder, since: &'static str, lookup: Lookup) -> Builder {
    tail(
        b,
        Op::Mmdrop(Pin::Mrelease),
        "drop_mm: mmdrop(mm);",
        "mmdrop",
        since,
        lookup,
    )
}

/// v5.15 final / v5.16: `mmget_not_zero` (337546e83fc7).
pub fn v5_16() -> ProgramDef {
    let b = head(Builder::new(ProgId::ProcessMrelease), Lookup::Pid)
        .since(MMGET_FIX)
        .step(
            "mmget",
            "mmget_not_zero",
            "if (mmget_not_zero(p->mm)) { mm = p->mm;",
            Op::MmgetNotZero {
                on_zero: to("task_unlock"),
            },
        )
        .indent(1);
    let b = will_free(b);
    let b = lock_and_unlock(b, false);
    let b = b.since(MMGET_FIX).step(
        "if_mm",
        "if(mm)",
        "drop_mm: if (mm)",
        Op::IfMm {
            if_null: to("put_task"),
        },
    );
    tail(
        b,
        Op::Mmput,
        "    mmput(mm);  /* may be the last: exit_mmap runs here */",
        "mmput",
        MMGET_FIX,
        Lookup::Pid,
    )
    .build()
}

/// v5.17+: `mmgrab` and the SKIP re-check under the lock (ba535c1caf3e).
pub fn v5_17() -> ProgramDef {
    let b = head(Builder::new(ProgId::ProcessMrelease), Lookup::PidfdGetTask);
    let b = mmgrab(b, MMGRAB_AGAIN);
    let b = will_free(b);
    let b = lock_and_unlock(b, true);
    mmdrop_tail(b, MMGRAB_AGAIN, Lookup::PidfdGetTask).build()
}

/// 5.15-rc1 (884a7e5964e0): `mmgrab`, SKIP tested once before the lock, never again.
pub fn v5_15_rc1() -> ProgramDef {
    let b = head(Builder::new(ProgId::ProcessMrelease), Lookup::Pid);
    let b = mmgrab(b, MRELEASE)
        .since(MRELEASE)
        .step(
            "pre_skip",
            "test_bit(MMF_OOM_SKIP)",
            "if (test_bit(MMF_OOM_SKIP, &mm->flags)) { reap = false; }  /* only before the lock */",
            if_oom_skip("task_unlock"),
        )
        .since(MRELEASE)
        .step(
            "will_free",
            "task_will_free_mem",
            "else if (!task_will_free_mem(p)) { reap = false; ret = -EINVAL; }",
            Op::TaskWillFreeMem {
                if_false: to("einval"),
            },
        )
        .since(MRELEASE)
        .step("will_free_ok", "}", "", Op::Goto(to("task_unlock")))
        .since(MRELEASE)
        .step("einval", "ret=-EINVAL", "", Op::SetErrno(Errno::Einval));
    let b = lock_and_unlock(b, false);
    mmdrop_tail(b, MRELEASE, Lookup::Pid).build()
}
