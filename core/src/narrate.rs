//! One plain-English sentence per step, in kernel terms, for the UI, screen readers and the CLI;
//! and the cause analysis that names the earlier steps a violation depended on.

use crate::actor::ActorId;
use crate::check::{Event, Invariant, Violation};
use crate::mm::{vm_flags_names, MmFlag, PageTables};
use crate::program::{Op, Pin, ProgId};
use crate::sim::{LockOutcome, Model, State, StepInfo};

fn names(actors: &[ActorId]) -> String {
    let v: Vec<String> = actors.iter().map(|a| a.to_string()).collect();
    v.join(" and ")
}

fn holders(s: &State) -> String {
    let l = &s.mm.mmap_lock;
    if let Some(w) = l.writer {
        return format!("{w} holds it for write");
    }
    let r: Vec<ActorId> = l.readers().collect();
    let q: Vec<String> = l
        .waiters()
        .map(|w| {
            format!(
                "{} ({})",
                w.actor,
                if w.kind.is_read() { "read" } else { "write" }
            )
        })
        .collect();
    match (r.is_empty(), q.is_empty()) {
        (false, true) => format!(
            "{} hold{} it for read",
            names(&r),
            if r.len() == 1 { "s" } else { "" }
        ),
        (false, false) => format!(
            "{} hold{} it for read and {} wait{} (RWSEM_FLAG_WAITERS)",
            names(&r),
            if r.len() == 1 { "s" } else { "" },
            q.join(", "),
            if q.len() == 1 { "s" } else { "" }
        ),
        (true, false) => format!(
            "{} wait{} for it (RWSEM_FLAG_WAITERS)",
            q.join(", "),
            if q.len() == 1 { "s" } else { "" }
        ),
        (true, true) => "it is free".into(),
    }
}

/// The sentence for one executed step. `before` is the state the step ran in.
pub fn sentence(model: &Model, before: &State, info: &StepInfo, after: &State) -> String {
    let a = info.actor;
    let def = model.step_def(info.pc);
    let vma = info.vma.map(|v| before.mm.vma_name(v)).unwrap_or('?');
    let yes = info.branch.unwrap_or(false);
    let mut s = match def.op {
        Op::DoExit => format!("{a}: do_exit() — the fatal signal is acted on; the victim thread starts tearing itself down."),
        Op::ClearTaskMm => format!("{a}: task_lock(V) and current->mm = NULL — from now on find_lock_task_mm() no longer finds this thread."),
        Op::FindLockTaskMm { .. } => if yes {
            format!("{a}: find_lock_task_mm(V) finds V with ->mm still set and holds task_lock(V).")
        } else {
            format!("{a}: find_lock_task_mm(V) finds no thread with an mm — the victim already left it.")
        },
        Op::OomFindVictim { .. } => if !yes {
            format!("{a}: oom_kill_process: task_will_free_mem(V) is false and find_lock_task_mm(V) finds no thread with an mm — \"OOM victim is already exiting. Skip killing the task\"; no SIGKILL, no reaper.")
        } else if info.events.contains(&Event::OomShortcut) {
            format!("{a}: oom_kill_process: task_lock(V); task_will_free_mem(V) is true — V already has a fatal signal pending and still its mm — so it only marks V and queues the reaper, holding task_lock(V).")
        } else {
            format!("{a}: oom_kill_process: task_will_free_mem(V) is false (V is not dying), so __oom_kill_process: find_lock_task_mm(V) finds V with ->mm still set and holds task_lock(V).")
        },
        Op::TaskUnlock => format!("{a}: task_unlock(V)."),
        Op::GetTaskMm { .. } => if yes {
            format!("{a}: get_task_mm(V) takes an mm_users reference (mm_users {} → {}).", before.mm.users, after.mm.users)
        } else {
            format!("{a}: get_task_mm(V) returns NULL — V has already dropped its mm.")
        },
        Op::TaskWillFreeMem { .. } => if yes {
            format!("{a}: task_will_free_mem(V) is true — V is exiting with a fatal signal and MMF_OOM_SKIP is clear, so it will reap.")
        } else {
            format!("{a}: task_will_free_mem(V) is false ({}), so there is nothing to reap.", if !before.task.group_exit { "V is not dying" } else { "MMF_OOM_SKIP is set" })
        },
        Op::SendSigkill => format!("{a}: sends SIGKILL to V."),
        Op::MarkOomMm { .. } => if before.task.oom_mm {
            format!("{a}: mark_oom_victim(V): signal->oom_mm is already set.")
        } else {
            format!("{a}: mark_oom_victim(V) stores the mm in signal->oom_mm and pins it with mmgrab (mm_count {} → {}) — this reference is what the reaper will use.", before.mm.count, after.mm.count)
        },
        Op::WakeOomReaper => if yes {
            format!("{a}: {} sets MMF_OOM_REAP_QUEUED and hands V to the oom_reaper.", def.label)
        } else {
            format!("{a}: {}: MMF_OOM_REAP_QUEUED was already set, nothing to do.", def.label)
        },
        Op::OomReaperTimer { .. } => if yes {
            format!("{a}: the wake_oom_reaper timer fires: MMF_OOM_SKIP is clear, so V goes on oom_reaper_list and the oom_reaper is woken.")
        } else {
            format!("{a}: the wake_oom_reaper timer fires, but MMF_OOM_SKIP is already set (\"the victim managed to terminate on its own\"): V is not queued and the reaper never touches its mm.")
        },
        Op::WaitReaperList => format!("{a}: the oom_reaper wakes up and takes V off oom_reaper_list; it holds only mm_count (signal->oom_mm), not mm_users."),
        Op::ReadLock | Op::ReadLockKillable { .. } | Op::WriteLock => {
            let kind = if def.op == Op::WriteLock { "write" } else { "read" };
            match info.lock {
                Some(LockOutcome::Acquired) => format!("{a}: {} succeeds — {a} now holds mmap_lock for {kind}.", def.label),
                Some(LockOutcome::Queued) => format!("{a}: {} must wait — {}; {a} is queued for {kind}.", def.label, holders(before)),
                Some(LockOutcome::Killed) => format!("{a}: a fatal signal arrives while {a} waits in {}: it leaves the queue and returns -EINTR.", def.label),
                _ => format!("{a}: {}.", def.label),
            }
        }
        Op::ReadTrylock { .. } => match info.lock {
            Some(LockOutcome::Acquired) => format!("{a}: mmap_read_trylock succeeds — no writer holds or waits for mmap_lock."),
            _ => format!(
                "{a}: mmap_read_trylock fails — {}; the reaper will sleep HZ/10 and retry (attempt {} of {}).",
                holders(before),
                before.actor(a).attempts,
                crate::sim::MAX_OOM_REAP_RETRIES
            ),
        },
        Op::ReadUnlock | Op::WriteUnlock => {
            let mut t = format!("{a}: {}.", def.label);
            if !info.granted.is_empty() {
                t.push_str(&format!(" The lock passes to {} (queued until now).", names(&info.granted)));
            }
            t
        }
        Op::TestBit { flag, .. } => {
            let what = if yes { "set" } else { "clear" };
            let under = if before.mm.mmap_lock.is_reader(a) || before.mm.mmap_lock.writer == Some(a) { " under mmap_lock" } else { "" };
            let conseq = match (flag, yes, info.pc.prog) {
                (MmFlag::OomSkip, true, ProgId::OomReaper) if def.id == "give_up" => " — exit_mmap already set it, so no 'unable to reap' message".to_string(),
                (MmFlag::OomSkip, true, ProgId::OomReaper) => " — exit_mmap has passed its barrier; the reaper leaves the mm alone".to_string(),
                (MmFlag::OomSkip, false, ProgId::OomReaper) if def.id == "give_up" => " — so it logs 'unable to reap'".to_string(),
                (MmFlag::OomSkip, false, ProgId::OomReaper) => " — the reaper will walk the VMAs".to_string(),
                (MmFlag::OomSkip, true, ProgId::ProcessMrelease) => " — exit_mmap already did the work".to_string(),
                (MmFlag::OomSkip, false, ProgId::ProcessMrelease) => String::new(),
                (MmFlag::OomVictim, true, _) => " — this mm belongs to an OOM victim, so exit_mmap reaps it itself and raises the barrier".to_string(),
                (MmFlag::OomVictim, false, _) => " — not an OOM victim, so exit_mmap skips the OOM block".to_string(),
                _ => String::new(),
            };
            format!("{a}: test_bit({}) is {what}{under}{conseq}.", flag.name())
        }
        Op::SetBit(f) => {
            let why = match f {
                MmFlag::OomSkip if info.pc.prog == ProgId::Mmput => " — later reapers must see it and stay away",
                MmFlag::OomSkip => " — the OOM killer will ignore this mm from now on",
                MmFlag::OomVictim => " — exit_mmap will recognise an OOM victim's mm whoever runs it",
                _ => "",
            };
            format!("{a}: set_bit({}){why}.", f.name())
        }
        Op::ClearBit(f) => format!("{a}: clear_bit({}) — no kernel path clears it; this is an edit.", f.name()),
        Op::TestCurrentOomVictim { .. } => format!(
            "{a}: tsk_is_oom_victim(current) is {} — current is {a}{}.",
            if yes { "true" } else { "false" },
            if yes { "" } else { ", not the OOM victim, so the barrier is skipped even though the mm belongs to one" }
        ),
        Op::Mmgrab(pin) => format!(
            "{a}: mmgrab{} (mm_count {} → {}){}.",
            match pin { Pin::LazyTlb => " for current->active_mm", Pin::Temporary => " (temporary)", _ => "" },
            before.mm.count,
            after.mm.count,
            if pin == Pin::Mrelease { " — this pins the mm_struct but not the address space" } else { "" }
        ),
        Op::Mmdrop(pin) => format!(
            "{a}: mmdrop{} (mm_count {} → {}){}.",
            match pin {
                Pin::LazyTlb => " of current->active_mm as the dead task schedules away",
                Pin::Temporary => " of the temporary reference",
                Pin::UsersShared => " of the reference all mm_users shared (end of __mmput)",
                Pin::Mrelease => "",
            },
            before.mm.count,
            after.mm.count,
            if after.mm.freed && !before.mm.freed { " — the last reference: __mmdrop frees the mm_struct" } else { "" }
        ),
        Op::MmgetNotZero { .. } => if yes {
            format!("{a}: mmget_not_zero raises mm_users {} → {} — exit_mmap cannot start while {a} holds it.", before.mm.users, after.mm.users)
        } else {
            format!("{a}: mmget_not_zero fails — mm_users is already 0.")
        },
        Op::Mmput => if yes {
            format!("{a}: mmput drops the last mm_users reference ({} → 0) — __mmput and exit_mmap now run in {a}'s context.", before.mm.users)
        } else {
            format!("{a}: mmput (mm_users {} → {}).", before.mm.users, after.mm.users)
        },
        Op::ReapStart => format!("{a}: __oom_reap_task_mm begins: set_bit(MMF_UNSTABLE)."),
        Op::LoadHead { .. } => match info.vma {
            Some(v) if !before.mm.vma(v).live => format!("{a}: vma = mm->mmap reads {} — a VMA exit_mmap already freed: mm->mmap is dangling.", before.mm.vma_name(v)),
            Some(v) => format!("{a}: vma = mm->mmap → {}.", before.mm.vma_name(v)),
            None => format!("{a}: vma = mm->mmap is NULL — there is nothing to walk."),
        },
        Op::CanMadvLru { .. } => {
            let v = before.mm.vma(info.vma.expect("walk vma"));
            if yes {
                format!("{a}: reads {vma}'s vm_flags ({}) — reapable, so it will zap it.", vm_flags_names(v.flags))
            } else {
                format!("{a}: reads {vma}'s vm_flags ({}) — skipped.", vm_flags_names(v.flags))
            }
        }
        Op::ZapBegin { .. } => if !yes {
            format!("{a}: mmu_notifier_invalidate_range_start_nonblock fails for {vma} — skipped; ret = false.")
        } else if before.mm.vma(info.vma.expect("vma")).pt == PageTables::Present {
            format!("{a}: unmap_page_range({vma}) walks pgd → pmd and loads the pmd of {vma}'s page tables.")
        } else {
            format!("{a}: unmap_page_range({vma}) finds the pmd already cleared (pmd_none) — nothing to zap.")
        },
        Op::ZapEnd => match before.actor(a).zap {
            Some((_, true)) => format!("{a}: zap_pte_range({vma}): pte_offset_map_lock on the PTE page it loaded, and clear the PTEs; {vma}'s pages are unmapped."),
            _ => format!("{a}: zap_pte_range({vma}): no pmd was loaded, nothing to clear."),
        },
        Op::NextVma { .. } => match after.actor(a).cursor {
            Some(n) => format!("{a}: vma = {vma}->vm_next → {}.", after.mm.vma_name(n)),
            None => format!("{a}: {vma}->vm_next is NULL — the walk is over."),
        },
        Op::ExitAio => format!("{a}: __mmput: exit_aio() and friends (may wait for I/O){}.", if a.role() == crate::actor::Role::Mrelease { " — in process_mrelease's context, the cost ba535c1caf3e removes" } else { "" }),
        Op::MmuNotifierRelease => format!("{a}: mmu_notifier_release — notifier callbacks can no longer fail or block."),
        Op::MunlockBegin => format!("{a}: munlock_vma_pages_range({vma}) clears VM_LOCKED first (mm->locked_vm is now {})…", after.mm.locked_vm),
        Op::MunlockEnd => format!("{a}: …then walks {vma}'s page tables with follow_page_mask, munlocking pages."),
        Op::ArchExitMmap { .. } => format!("{a}: arch_exit_mmap; vma = {}.", match before.mm.head { Some(v) => before.mm.vma_name(v).to_string(), None => "NULL".into() }),
        Op::UnmapVma => format!("{a}: unmap_vmas: unmap_single_vma({vma}) zaps its pages (page tables stay)."),
        Op::FreePgtables => format!("{a}: free_pgtables({vma}) unlinks {vma}'s page tables and queues them for freeing."),
        Op::TlbFinishMmu => format!("{a}: tlb_finish_mmu — the queued page-table pages are freed."),
        Op::RemoveVma { .. } => format!("{a}: remove_vma({vma}) — vm_area_free() frees the VMA."),
        Op::ResetMmap => format!("{a}: {} — no walker can reach a freed VMA through the mm any more.", def.code.trim_end_matches(';')),
        _ => format!("{a}: {}.", def.label),
    };
    if info.lock == Some(LockOutcome::Killed) && !matches!(def.op, Op::ReadLockKillable { .. }) {
        s.push_str(" (killed while queued)");
    }
    for e in &info.events {
        match e {
            Event::UnableToReap => s.push_str(" The reaper gives up: \"oom_reaper: unable to reap\"."),
            Event::DoubleReap(v) => s.push_str(&format!(" {} is being zapped by two tasks at once (benign: the page-table lock serializes them).", before.mm.vma_name(*v))),
            Event::Reaped if !matches!(def.op, Op::ReadUnlock) => {}
            _ => {}
        }
    }
    for v in &info.violations {
        s.push_str(&format!(" ⚠ {}: {}.", v.inv.id(), v.inv.name()));
    }
    s
}

/// The earlier steps (indices into `steps`) that made violation `v` at step `at` possible.
pub fn causes(
    model: &Model,
    befores: &[State],
    steps: &[StepInfo],
    at: usize,
    v: &Violation,
) -> Vec<usize> {
    let label_is = |i: usize, ops: &dyn Fn(&Op<crate::program::Jump>) -> bool| {
        ops(&model.step_def(steps[i].pc).op)
    };
    let on_vma = |i: usize| v.vma.is_none() || steps[i].vma == v.vma;
    let mut out = Vec::new();
    let last = |pred: &dyn Fn(usize) -> bool| (0..at).rev().find(|i| pred(*i));
    match v.inv {
        Invariant::S1 => {
            if let Some(i) = last(&|i| {
                steps[i].actor == v.actor
                    && on_vma(i)
                    && label_is(i, &|o| matches!(o, Op::ZapBegin { .. }))
            }) {
                out.push(i);
            }
            if let Some(i) = last(&|i| on_vma(i) && label_is(i, &|o| matches!(o, Op::FreePgtables)))
            {
                out.push(i);
            }
            if let Some(i) = last(&|i| label_is(i, &|o| matches!(o, Op::TlbFinishMmu))) {
                out.push(i);
            }
        }
        Invariant::S2 => {
            if let Some(i) =
                last(&|i| on_vma(i) && label_is(i, &|o| matches!(o, Op::RemoveVma { .. })))
            {
                out.push(i);
            }
            if let Some(i) = last(&|i| {
                steps[i].actor == v.actor && label_is(i, &|o| matches!(o, Op::LoadHead { .. }))
            }) {
                out.push(i);
            }
        }
        Invariant::S4 => {
            if let Some(i) = last(&|i| on_vma(i) && label_is(i, &|o| matches!(o, Op::MunlockBegin)))
            {
                out.push(i);
            }
        }
        Invariant::S7 => {
            for w in v.others() {
                if let Some(i) = last(&|i| {
                    steps[i].actor == w && label_is(i, &|o| matches!(o, Op::LoadHead { .. }))
                }) {
                    out.push(i);
                }
            }
        }
        Invariant::S3 => {
            if let Some(i) = last(&|i| steps[i].events.contains(&Event::MmFreed)) {
                out.push(i);
            }
        }
        Invariant::S5 | Invariant::S6 => {}
    }
    // How the walker got in: its lock acquisition or the pin it holds instead of mm_users.
    if matches!(v.inv, Invariant::S1 | Invariant::S2 | Invariant::S4) {
        if let Some(i) = last(&|i| {
            steps[i].actor == v.actor
                && (steps[i].lock == Some(LockOutcome::Acquired)
                    || steps[i].granted.contains(&v.actor))
        }) {
            out.push(i);
        }
    }
    let _ = befores;
    out.sort_unstable();
    out.dedup();
    out
}

/// A paragraph explaining a violation: what, where, who, and the steps behind it.
pub fn explain_violation(
    model: &Model,
    befores: &[State],
    steps: &[StepInfo],
    at: usize,
    v: &Violation,
) -> String {
    let label = model.label(&steps[at], &befores[at]);
    let mut t = format!(
        "{} {} at step {} ({} {label}): {}",
        v.inv.id(),
        v.inv.name(),
        at + 1,
        v.actor,
        v.inv.explain()
    );
    let others = v.others();
    if !others.is_empty() {
        t.push_str(&format!(" Involves {}.", names(&others)));
    }
    let c = causes(model, befores, steps, at, v);
    if !c.is_empty() {
        let list: Vec<String> = c
            .iter()
            .map(|i| {
                format!(
                    "{} {} {}",
                    i + 1,
                    steps[*i].actor,
                    model.label(&steps[*i], &befores[*i])
                )
            })
            .collect();
        t.push_str(&format!(" Made possible by steps {}.", list.join("; ")));
    }
    t
}
