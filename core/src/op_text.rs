//! The step vocabulary as text: every [`Op`] the interpreter runs, parsed and printed.
//!
//! An op is written `NAME` or `NAME(ARG)`, then its branch targets as `KEY=TARGET` words, where
//! a target is a step id of the same program, `(next)` or `(return)` (an omitted key means
//! `(next)`; the parentheses keep them apart from steps that are called `next` or `return`):
//!
//! ```text
//! mmap_read_lock
//! mmap_read_trylock fail=(return)
//! test_bit(MMF_OOM_SKIP) set=unlock
//! mmgrab(mrelease)
//! mm->mmap=NULL
//! ```
//!
//! [`VOCABULARY`] lists every op with one line of help (`mmrace ops`); [`parse`] and [`print`]
//! are inverse on every op of every shipped program (tested), so an edit list can name any step
//! a kernel path has.

use crate::intern::intern;
use crate::mm::{MmFlag, VM_HUGETLB, VM_LOCKED, VM_PFNMAP};
use crate::program::{Errno, Op, Pin, ProgId, Target};

/// What goes between an op's parentheses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    None,
    /// An `mm->flags` bit: `MMF_OOM_SKIP`, `MMF_UNSTABLE`, `MMF_OOM_VICTIM`, `MMF_OOM_REAP_QUEUED`.
    Flag,
    /// Whose `mm_count` reference: `lazy_tlb`, `temporary`, `mrelease`, `users`.
    Pin,
    /// vm_flags the reaper skips, `|`-separated: `VM_LOCKED`, `VM_HUGETLB`, `VM_PFNMAP`.
    Mask,
    /// A program that can be called: `__oom_reap_task_mm`, `__mmput`.
    Prog,
}

/// One entry of the vocabulary.
#[derive(Clone, Copy, Debug)]
pub struct OpSpec {
    pub name: &'static str,
    pub arg: Arg,
    /// Branch target keys, in print order.
    pub keys: &'static [&'static str],
    /// Runs without a scheduling point (touches only the actor's locals).
    pub local: bool,
    pub help: &'static str,
}

const fn spec(
    name: &'static str,
    arg: Arg,
    keys: &'static [&'static str],
    local: bool,
    help: &'static str,
) -> OpSpec {
    OpSpec {
        name,
        arg,
        keys,
        local,
        help,
    }
}

/// Every op the interpreter runs, grouped like the kernel paths use them.
pub const VOCABULARY: &[OpSpec] = &[
    // mmap_lock
    spec("mmap_read_lock", Arg::None, &[], false, "take mmap_lock for read; waits behind a writer or a queued writer"),
    spec("mmap_read_lock_killable", Arg::None, &["eintr"], false, "as mmap_read_lock, but a fatal signal while queued leaves the queue and goes to eintr"),
    spec("mmap_read_trylock", Arg::None, &["fail"], false, "take mmap_lock for read if free of writers and waiters, else go to fail"),
    spec("mmap_read_unlock", Arg::None, &[], false, "release a read hold (S6 if this actor holds none); wakes waiters"),
    spec("mmap_write_lock", Arg::None, &[], false, "take mmap_lock for write; waits for readers and earlier waiters"),
    spec("mmap_write_unlock", Arg::None, &[], false, "release the write hold (S6 if this actor is not the writer); wakes waiters"),
    // mm->flags
    spec("test_bit", Arg::Flag, &["set", "clear"], false, "test an mm->flags bit, e.g. test_bit(MMF_OOM_SKIP) set=out_unlock"),
    spec("set_bit", Arg::Flag, &[], false, "set an mm->flags bit, e.g. set_bit(MMF_OOM_SKIP)"),
    spec("clear_bit", Arg::Flag, &[], false, "clear an mm->flags bit (no shipped variant clears one; MMF_OOM_SKIP is never cleared in the kernel)"),
    spec("tsk_is_oom_victim(current)", Arg::None, &["false"], false, "4.14's test on the task running exit_mmap (B7): true only for the OOM-killed victim itself"),
    // reference counts
    spec("mmgrab", Arg::Pin, &[], false, "mm_count++ ; the pin says whose: mmgrab(mrelease) is process_mrelease's own reference"),
    spec("mmdrop", Arg::Pin, &[], false, "mm_count-- ; the last one frees the mm_struct (S3 for later users, S5 below zero)"),
    spec("mmget_not_zero", Arg::None, &["zero"], false, "mm_users++ unless it is already 0 (then go to zero)"),
    spec("mmput", Arg::None, &[], false, "mm_users-- ; the last one runs __mmput/exit_mmap in this actor's context"),
    // tasks
    spec("do_exit", Arg::None, &[], false, "the victim starts exiting (runs only once a fatal signal is pending)"),
    spec("current->mm=NULL", Arg::None, &[], false, "task_lock(current); current->mm = NULL (exit_mm; task_lock stays held)"),
    spec("find_lock_task_mm", Arg::None, &["fail"], false, "task_lock the victim if it still has an mm, else go to fail"),
    spec("oom_find_victim", Arg::None, &["exiting", "fail"], false, "oom_kill_process: task_lock the victim if it has an mm; go to exiting if task_will_free_mem (already dying), to fail if it has no mm"),
    spec("task_unlock", Arg::None, &[], false, "release task_lock"),
    spec("get_task_mm", Arg::None, &["null"], false, "task_lock; mm_users++ if the task still has an mm (else go to null); task_unlock"),
    spec("task_will_free_mem", Arg::None, &["false"], false, "process_mrelease: will the victim free its mm by itself? sets the local reap, else go to false"),
    spec("do_send_sig_info(SIGKILL)", Arg::None, &[], false, "the OOM killer sends SIGKILL to the victim"),
    spec("mark_oom_victim", Arg::None, &["set"], false, "if (!cmpxchg(&signal->oom_mm, NULL, mm)) the long-lived mmgrab (and, to v6.0, MMF_OOM_VICTIM); go to set if signal->oom_mm was already set"),
    spec("wake_oom_reaper", Arg::None, &[], false, "test_and_set_bit(MMF_OOM_REAP_QUEUED); queue the victim for the oom_reaper"),
    spec("wake_oom_reaper(timer)", Arg::None, &["skip"], false, "v5.18+: the queue_oom_reaper timer fires; go to skip if MMF_OOM_SKIP is set, else queue the victim"),
    spec("oom_reaper_list", Arg::None, &[], false, "the oom_reaper waits for a queued victim and pops it"),
    // the reaper's VMA walk
    spec("set_bit(MMF_UNSTABLE)", Arg::None, &[], false, "__oom_reap_task_mm entry: set MMF_UNSTABLE, ret = true"),
    spec("vma=mm->mmap", Arg::None, &["null"], false, "a walker loads the VMA list head (go to null if empty); S2 if it dangles"),
    spec("can_madv_lru_vma", Arg::Mask, &["skip"], false, "a walker reads the VMA: skip those with the masked vm_flags or shared file ones (S2 if freed)"),
    spec("unmap_page_range", Arg::None, &["notifier_fail"], false, "zap, first half: mmu notifier start (may fail, go to notifier_fail), load the pmd"),
    spec("zap_pte_range", Arg::None, &[], false, "zap, second half: pte_offset_map_lock and clear the PTEs (S1 if the page tables were freed)"),
    spec("vma->vm_next", Arg::None, &["loop"], false, "a walker moves to the next VMA and goes to loop, or falls through at the end"),
    // exit_mmap
    spec("exit_aio", Arg::None, &[], false, "__mmput: exit_aio, ksm_exit, khugepaged_exit (may block on I/O)"),
    spec("mmu_notifier_release", Arg::None, &[], false, "exit_mmap: release the mm's mmu notifiers"),
    spec("mm->locked_vm", Arg::None, &["zero"], true, "exit_mmap: if (mm->locked_vm) — go to zero when nothing is mlocked"),
    spec("vma=first", Arg::None, &["null"], true, "exit_mmap's own loops: vma = the first VMA (go to null if none)"),
    spec("VM_LOCKED", Arg::None, &["else"], true, "unlock_range: if (vma->vm_flags & VM_LOCKED), else go to else"),
    spec("mm->locked_vm-=vma_pages", Arg::None, &[], true, "unlock_range: mm->locked_vm -= vma_pages(vma) (only the owner reads it)"),
    spec("munlock_vma_pages_range", Arg::None, &[], false, "munlock, first half: clear VM_LOCKED and mm->locked_vm (destructive)"),
    spec("follow_page_mask", Arg::None, &[], false, "munlock, second half: walk the VMA's page tables munlocking pages"),
    spec("owner:vma->vm_next", Arg::None, &["loop"], true, "exit_mmap's own loops: next VMA and go to loop, or fall through"),
    spec("arch_exit_mmap", Arg::None, &["null"], false, "arch_exit_mmap; vma = mm->mmap; go to null if there is none"),
    spec("unmap_vmas", Arg::None, &[], false, "unmap_single_vma on the current VMA"),
    spec("free_pgtables", Arg::None, &[], false, "unlink and detach the current VMA's page tables (destructive)"),
    spec("tlb_finish_mmu", Arg::None, &[], false, "the detached page-table pages are really freed"),
    spec("remove_vma", Arg::None, &["loop"], false, "vm_area_free the current VMA, go to loop while there is a next one (destructive)"),
    spec("mm->mmap=NULL", Arg::None, &[], false, "f798a1d4f94d: forget the freed VMA list (v6.1: __mt_destroy)"),
    // locals
    spec("attempts++", Arg::None, &["exhausted"], true, "the reaper's retry loop: go to exhausted after MAX_OOM_REAP_RETRIES"),
    spec("ret=true", Arg::None, &[], true, "set the local ret"),
    spec("if(ret)", Arg::None, &["ok", "fail"], true, "branch on the local ret"),
    spec("if(reap)", Arg::None, &["not"], true, "process_mrelease: go to not unless task_will_free_mem said reap"),
    spec("if(mm)", Arg::None, &["null"], true, "branch on whether this actor still holds an mm reference"),
    spec("ret=-ESRCH", Arg::None, &[], true, "set the return value (also -EINVAL, -EINTR, -EAGAIN)"),
    spec("schedule_timeout_idle", Arg::None, &["to"], true, "sleep (untimed in the model) and go to to"),
    spec("pr_info(unable_to_reap)", Arg::None, &[], true, "log that the reaper gave up"),
    spec("pr_info(reaped)", Arg::None, &[], true, "log a successful reap (if ret)"),
    spec("put_task_struct", Arg::None, &[], true, "drop the local task reference"),
    spec("call", Arg::Prog, &[], true, "call a sub-program: call(__oom_reap_task_mm) or call(__mmput)"),
    spec("goto", Arg::None, &["to"], true, "jump: goto to=STEP"),
    spec("}", Arg::None, &[], true, "the end of a block: a jump target that moves with its block"),
    spec("nop", Arg::None, &[], true, "a line with no effect on shared state"),
];

const ERRNOS: [Errno; 4] = [Errno::Esrch, Errno::Einval, Errno::Eintr, Errno::Eagain];

fn pin_name(p: Pin) -> &'static str {
    match p {
        Pin::LazyTlb => "lazy_tlb",
        Pin::Temporary => "temporary",
        Pin::Mrelease => "mrelease",
        Pin::UsersShared => "users",
    }
}

fn pin_from(s: &str) -> Option<Pin> {
    [
        Pin::LazyTlb,
        Pin::Temporary,
        Pin::Mrelease,
        Pin::UsersShared,
    ]
    .into_iter()
    .find(|p| pin_name(*p) == s)
}

/// The name a program has in `call(…)`.
pub fn prog_slug(p: ProgId) -> &'static str {
    match p {
        ProgId::ExitMm => "exit_mm",
        ProgId::OomKill => "__oom_kill_process",
        ProgId::OomReaper => "oom_reaper",
        ProgId::ProcessMrelease => "process_mrelease",
        ProgId::ProcReader => "proc_reader",
        ProgId::Mmput => "__mmput",
        ProgId::OomReapTaskMm => "__oom_reap_task_mm",
    }
}

const MASK_BITS: [(u8, &str); 3] = [
    (VM_LOCKED, "VM_LOCKED"),
    (VM_HUGETLB, "VM_HUGETLB"),
    (VM_PFNMAP, "VM_PFNMAP"),
];

fn mask_text(m: u8) -> String {
    let names: Vec<&str> = MASK_BITS
        .iter()
        .filter(|(b, _)| m & b != 0)
        .map(|(_, n)| *n)
        .collect();
    if names.is_empty() {
        "0".into()
    } else {
        names.join("|")
    }
}

fn mask_from(s: &str) -> Result<u8, String> {
    if s == "0" {
        return Ok(0);
    }
    s.split('|').try_fold(0u8, |m, n| {
        MASK_BITS
            .iter()
            .find(|(_, x)| *x == n.trim())
            .map(|(b, _)| m | b)
            .ok_or_else(|| format!("unknown vm_flag '{n}' (VM_LOCKED, VM_HUGETLB, VM_PFNMAP)"))
    })
}

fn flag_from(s: &str) -> Result<MmFlag, String> {
    MmFlag::ALL
        .into_iter()
        .find(|f| f.name() == s)
        .ok_or_else(|| {
            let all: Vec<&str> = MmFlag::ALL.iter().map(|f| f.name()).collect();
            format!("unknown mm->flags bit '{s}' ({})", all.join(", "))
        })
}

fn target_text(t: Target) -> &'static str {
    match t {
        Target::Next => "(next)",
        Target::Return => "(return)",
        Target::To(id) => id,
    }
}

/// Is `s` a usable step id (what `F:ID` and jump targets name)?
pub fn is_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn target_from(s: &str) -> Result<Target, String> {
    match s {
        "(next)" => Ok(Target::Next),
        "(return)" => Ok(Target::Return),
        _ if is_id(s) => Ok(Target::To(intern(s))),
        _ => Err(format!(
            "bad branch target '{s}': a step id ([A-Za-z0-9_]), (next) or (return)"
        )),
    }
}

/// The op's name and its argument if any (its targets are keyed by [`VOCABULARY`]).
fn name_and_arg(op: &Op<Target>) -> (&'static str, Option<String>) {
    use Op::*;
    let none = |n: &'static str| (n, None);
    match *op {
        DoExit => none("do_exit"),
        ClearTaskMm => none("current->mm=NULL"),
        FindLockTaskMm { .. } => none("find_lock_task_mm"),
        OomFindVictim { .. } => none("oom_find_victim"),
        TaskUnlock => none("task_unlock"),
        GetTaskMm { .. } => none("get_task_mm"),
        TaskWillFreeMem { .. } => none("task_will_free_mem"),
        SendSigkill => none("do_send_sig_info(SIGKILL)"),
        MarkOomMm { .. } => none("mark_oom_victim"),
        WakeOomReaper => none("wake_oom_reaper"),
        OomReaperTimer { .. } => none("wake_oom_reaper(timer)"),
        WaitReaperList => none("oom_reaper_list"),
        ReadLock => none("mmap_read_lock"),
        ReadLockKillable { .. } => none("mmap_read_lock_killable"),
        ReadTrylock { .. } => none("mmap_read_trylock"),
        ReadUnlock => none("mmap_read_unlock"),
        WriteLock => none("mmap_write_lock"),
        WriteUnlock => none("mmap_write_unlock"),
        TestBit { flag, .. } => ("test_bit", Some(flag.name().into())),
        SetBit(f) => ("set_bit", Some(f.name().into())),
        ClearBit(f) => ("clear_bit", Some(f.name().into())),
        TestCurrentOomVictim { .. } => none("tsk_is_oom_victim(current)"),
        Mmgrab(p) => ("mmgrab", Some(pin_name(p).into())),
        Mmdrop(p) => ("mmdrop", Some(pin_name(p).into())),
        MmgetNotZero { .. } => none("mmget_not_zero"),
        Mmput => none("mmput"),
        ReapStart => none("set_bit(MMF_UNSTABLE)"),
        LoadHead { .. } => none("vma=mm->mmap"),
        CanMadvLru { skip_mask, .. } => ("can_madv_lru_vma", Some(mask_text(skip_mask))),
        ZapBegin { .. } => none("unmap_page_range"),
        ZapEnd => none("zap_pte_range"),
        NextVma { .. } => none("vma->vm_next"),
        ExitAio => none("exit_aio"),
        MmuNotifierRelease => none("mmu_notifier_release"),
        TestLockedVm { .. } => none("mm->locked_vm"),
        FirstVmaLocal { .. } => none("vma=first"),
        IfVmaLocked { .. } => none("VM_LOCKED"),
        MunlockAccount => none("mm->locked_vm-=vma_pages"),
        MunlockBegin => none("munlock_vma_pages_range"),
        MunlockEnd => none("follow_page_mask"),
        OwnerNextVma { .. } => none("owner:vma->vm_next"),
        ArchExitMmap { .. } => none("arch_exit_mmap"),
        UnmapVma => none("unmap_vmas"),
        FreePgtables => none("free_pgtables"),
        TlbFinishMmu => none("tlb_finish_mmu"),
        RemoveVma { .. } => none("remove_vma"),
        ResetMmap => none("mm->mmap=NULL"),
        ReapAttempt { .. } => none("attempts++"),
        SetReapOk => none("ret=true"),
        IfReapOk { .. } => none("if(ret)"),
        IfReap { .. } => none("if(reap)"),
        IfMm { .. } => none("if(mm)"),
        SetErrno(e) => (
            match e {
                Errno::Esrch => "ret=-ESRCH",
                Errno::Einval => "ret=-EINVAL",
                Errno::Eintr => "ret=-EINTR",
                Errno::Eagain => "ret=-EAGAIN",
            },
            None,
        ),
        Sleep { .. } => none("schedule_timeout_idle"),
        LogUnableToReap => none("pr_info(unable_to_reap)"),
        LogReaped => none("pr_info(reaped)"),
        PutTask => none("put_task_struct"),
        Call(p) => ("call", Some(prog_slug(p).into())),
        Goto(_) => none("goto"),
        End => none("}"),
        Nop => none("nop"),
    }
}

/// The op's head: `NAME` or `NAME(ARG)` (the label a new step gets).
pub fn head(op: &Op<Target>) -> String {
    let (name, arg) = name_and_arg(op);
    match arg {
        Some(a) => format!("{name}({a})"),
        None => name.to_string(),
    }
}

/// The op as text; targets equal to `next` are left out.
pub fn print(op: &Op<Target>) -> String {
    let (name, _) = name_and_arg(op);
    let keys = VOCABULARY
        .iter()
        .find(|s| s.name == name)
        .map_or(&[][..], |s| s.keys);
    let targets = op.targets();
    debug_assert_eq!(keys.len(), targets.len(), "{name}: VOCABULARY's keys");
    let mut s = head(op);
    for (k, t) in keys.iter().zip(targets) {
        if t != Target::Next {
            s.push(' ');
            s.push_str(k);
            s.push('=');
            s.push_str(target_text(t));
        }
    }
    s
}

/// Splits `NAME(ARG)` into name and argument (names that themselves contain parentheses, like
/// `if(ret)`, are matched whole first).
fn split_head(h: &str) -> (&str, Option<&str>) {
    if VOCABULARY.iter().any(|s| s.name == h) || h.starts_with("ret=-") {
        return (h, None);
    }
    match h.find('(') {
        Some(i) if h.ends_with(')') => (&h[..i], Some(&h[i + 1..h.len() - 1])),
        _ => (h, None),
    }
}

/// Parses an op from its words (`NAME[(ARG)]` then `KEY=TARGET`…).
pub fn parse_words(words: &[&str]) -> Result<Op<Target>, String> {
    let Some((h, rest)) = words.split_first() else {
        return Err("missing op (see `mmrace ops`)".into());
    };
    let (name, arg) = split_head(h);
    let spec = VOCABULARY.iter().find(|s| s.name == name);
    let errno = ERRNOS
        .into_iter()
        .find(|e| format!("ret={}", e.name()) == name);
    if spec.is_none() && errno.is_none() {
        let near: Vec<&str> = VOCABULARY
            .iter()
            .map(|s| s.name)
            .filter(|n| n.contains(name) || name.contains(n))
            .take(4)
            .collect();
        let hint = if near.is_empty() {
            String::new()
        } else {
            format!(" (did you mean {}?)", near.join(", "))
        };
        return Err(format!("unknown op '{h}'{hint}; `mmrace ops` lists them"));
    }
    if let Some(e) = errno {
        if !rest.is_empty() {
            return Err(format!("'{name}' takes no branch targets"));
        }
        return Ok(Op::SetErrno(e));
    }
    let spec = spec.expect("checked above");
    let arg_needed = spec.arg != Arg::None;
    let arg = match (arg_needed, arg) {
        (true, None) => {
            return Err(format!(
                "'{name}' needs an argument: {}",
                match spec.arg {
                    Arg::Flag => "test_bit(MMF_OOM_SKIP) — MMF_OOM_SKIP, MMF_UNSTABLE, MMF_OOM_VICTIM, MMF_OOM_REAP_QUEUED",
                    Arg::Pin => "mmgrab(mrelease) — lazy_tlb, temporary, mrelease, users",
                    Arg::Mask => "can_madv_lru_vma(VM_LOCKED|VM_HUGETLB|VM_PFNMAP)",
                    Arg::Prog => "call(__oom_reap_task_mm) or call(__mmput)",
                    Arg::None => "",
                }
            ))
        }
        (false, Some(_)) => return Err(format!("'{name}' takes no argument")),
        (_, a) => a.unwrap_or(""),
    };
    let mut targets: Vec<Target> = vec![Target::Next; spec.keys.len()];
    for w in rest {
        let (k, v) = w.split_once('=').ok_or_else(|| {
            format!(
                "unexpected '{w}' after '{name}': branch targets are written KEY=STEP ({})",
                if spec.keys.is_empty() {
                    "this op has none".to_string()
                } else {
                    format!("keys: {}", spec.keys.join(", "))
                }
            )
        })?;
        let i = spec.keys.iter().position(|x| *x == k).ok_or_else(|| {
            if spec.keys.is_empty() {
                format!("'{name}' has no branch targets (got '{k}=')")
            } else {
                format!(
                    "'{name}' has no target '{k}' (keys: {})",
                    spec.keys.join(", ")
                )
            }
        })?;
        targets[i] = target_from(v)?;
    }
    let t = |i: usize| targets[i];
    use Op::*;
    Ok(match name {
        "do_exit" => DoExit,
        "current->mm=NULL" => ClearTaskMm,
        "find_lock_task_mm" => FindLockTaskMm { on_fail: t(0) },
        "oom_find_victim" => OomFindVictim {
            if_exiting: t(0),
            on_fail: t(1),
        },
        "task_unlock" => TaskUnlock,
        "get_task_mm" => GetTaskMm { on_null: t(0) },
        "task_will_free_mem" => TaskWillFreeMem { if_false: t(0) },
        "do_send_sig_info(SIGKILL)" => SendSigkill,
        "mark_oom_victim" => MarkOomMm { if_set: t(0) },
        "wake_oom_reaper" => WakeOomReaper,
        "wake_oom_reaper(timer)" => OomReaperTimer { if_skip: t(0) },
        "oom_reaper_list" => WaitReaperList,
        "mmap_read_lock" => ReadLock,
        "mmap_read_lock_killable" => ReadLockKillable { on_eintr: t(0) },
        "mmap_read_trylock" => ReadTrylock { on_fail: t(0) },
        "mmap_read_unlock" => ReadUnlock,
        "mmap_write_lock" => WriteLock,
        "mmap_write_unlock" => WriteUnlock,
        "test_bit" => TestBit {
            flag: flag_from(arg)?,
            if_set: t(0),
            if_clear: t(1),
        },
        "set_bit" => SetBit(flag_from(arg)?),
        "clear_bit" => ClearBit(flag_from(arg)?),
        "tsk_is_oom_victim(current)" => TestCurrentOomVictim { if_false: t(0) },
        "mmgrab" | "mmdrop" => {
            let p = pin_from(arg).ok_or_else(|| {
                format!("unknown pin '{arg}' (lazy_tlb, temporary, mrelease, users)")
            })?;
            if name == "mmgrab" {
                Mmgrab(p)
            } else {
                Mmdrop(p)
            }
        }
        "mmget_not_zero" => MmgetNotZero { on_zero: t(0) },
        "mmput" => Mmput,
        "set_bit(MMF_UNSTABLE)" => ReapStart,
        "vma=mm->mmap" => LoadHead { if_null: t(0) },
        "can_madv_lru_vma" => CanMadvLru {
            skip_mask: mask_from(arg)?,
            skip: t(0),
        },
        "unmap_page_range" => ZapBegin {
            on_notifier_fail: t(0),
        },
        "zap_pte_range" => ZapEnd,
        "vma->vm_next" => NextVma { loop_to: t(0) },
        "exit_aio" => ExitAio,
        "mmu_notifier_release" => MmuNotifierRelease,
        "mm->locked_vm" => TestLockedVm { if_zero: t(0) },
        "vma=first" => FirstVmaLocal { if_null: t(0) },
        "VM_LOCKED" => IfVmaLocked { else_: t(0) },
        "mm->locked_vm-=vma_pages" => MunlockAccount,
        "munlock_vma_pages_range" => MunlockBegin,
        "follow_page_mask" => MunlockEnd,
        "owner:vma->vm_next" => OwnerNextVma { loop_to: t(0) },
        "arch_exit_mmap" => ArchExitMmap { if_null: t(0) },
        "unmap_vmas" => UnmapVma,
        "free_pgtables" => FreePgtables,
        "tlb_finish_mmu" => TlbFinishMmu,
        "remove_vma" => RemoveVma { loop_to: t(0) },
        "mm->mmap=NULL" => ResetMmap,
        "attempts++" => ReapAttempt { exhausted: t(0) },
        "ret=true" => SetReapOk,
        "if(ret)" => IfReapOk {
            if_ok: t(0),
            if_fail: t(1),
        },
        "if(reap)" => IfReap { if_not: t(0) },
        "if(mm)" => IfMm { if_null: t(0) },
        "schedule_timeout_idle" => Sleep { to: t(0) },
        "pr_info(unable_to_reap)" => LogUnableToReap,
        "pr_info(reaped)" => LogReaped,
        "put_task_struct" => PutTask,
        "call" => Call(
            ProgId::ALL
                .into_iter()
                .filter(|p| matches!(p, ProgId::Mmput | ProgId::OomReapTaskMm))
                .find(|p| prog_slug(*p) == arg)
                .ok_or_else(|| {
                    format!("cannot call '{arg}' (call(__oom_reap_task_mm) or call(__mmput))")
                })?,
        ),
        "goto" => Goto(t(0)),
        "}" => End,
        "nop" => Nop,
        _ => return Err(format!("unknown op '{name}'; `mmrace ops` lists them")),
    })
}

/// Parses an op from a line of text.
pub fn parse(s: &str) -> Result<Op<Target>, String> {
    let words: Vec<&str> = s.split_whitespace().collect();
    parse_words(&words)
}
