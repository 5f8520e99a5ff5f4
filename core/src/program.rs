//! Kernel code paths as data.
//!
//! A [`Program`] is a list of [`Step`]s: one per line of pseudo-code, each with a stable `id`
//! (unique within its program, used by variant edits and jumps), a `label` in the kernel's own
//! vocabulary (`mmap_write_lock`, `free_pgtables`, `test_bit(MMF_OOM_SKIP)` — what schedules and
//! narration use), the [`Op`] the interpreter executes, and where it comes from in the kernel
//! (function, file, the commit that introduced it).
//!
//! Control flow is explicit: an op that branches names its targets by step id ([`Target`]), and
//! [`Program::resolve`] turns them into indices. `if` blocks end in an `End` marker step so that
//! a variant can move a whole block (`unlock_range`'s loop, the OOM-victim block) without
//! re-targeting jumps. Ops that touch only the actor's own locals are *local*: the interpreter
//! runs them immediately after the preceding shared step, so they never form a scheduling point
//! of their own (another CPU cannot observe them) but still appear in the listing.

use crate::mm::{MmFlag, VM_HUGETLB, VM_LOCKED, VM_PFNMAP};
use serde::Serialize;

/// A jump target while a program is being written: a step id, the next step, or return.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Target {
    Next,
    To(&'static str),
    Return,
}

/// A resolved jump: a step index or return.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Jump {
    At(u8),
    Return,
}

/// Which sub-program a `Call` enters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ProgId {
    /// `do_exit` → `exit_mm` (actor V).
    ExitMm = 0,
    /// `__oom_kill_process` (actor K).
    OomKill = 1,
    /// `oom_reaper` → `oom_reap_task` (actor R).
    OomReaper = 2,
    /// `process_mrelease` (actor M).
    ProcessMrelease = 3,
    /// `get_task_mm` … `mmput` (actor G).
    ProcReader = 4,
    /// `__mmput` → `exit_mmap`: run by whichever actor drops the last `mm_users`.
    Mmput = 5,
    /// `__oom_reap_task_mm`: called by the reaper, process_mrelease and exit_mmap.
    OomReapTaskMm = 6,
}

pub const N_PROGS: usize = 7;

impl ProgId {
    pub const ALL: [ProgId; N_PROGS] = [
        ProgId::ExitMm,
        ProgId::OomKill,
        ProgId::OomReaper,
        ProgId::ProcessMrelease,
        ProgId::ProcReader,
        ProgId::Mmput,
        ProgId::OomReapTaskMm,
    ];
    pub fn name(self) -> &'static str {
        match self {
            ProgId::ExitMm => "exit_mm",
            ProgId::OomKill => "__oom_kill_process",
            ProgId::OomReaper => "oom_reaper",
            ProgId::ProcessMrelease => "process_mrelease",
            ProgId::ProcReader => "proc reader",
            ProgId::Mmput => "__mmput / exit_mmap",
            ProgId::OomReapTaskMm => "__oom_reap_task_mm",
        }
    }
}

/// An `errno` a kernel path can return.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Errno {
    Esrch,
    Einval,
    Eintr,
    Eagain,
}

impl Errno {
    pub fn name(self) -> &'static str {
        match self {
            Errno::Esrch => "-ESRCH",
            Errno::Einval => "-EINVAL",
            Errno::Eintr => "-EINTR",
            Errno::Eagain => "-EAGAIN",
        }
    }
}

/// How a reference count pin is held, for narration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Pin {
    /// `exit_mm`: `current->active_mm`, dropped when the dead task schedules away.
    LazyTlb,
    /// The OOM killer's temporary reference in `__oom_kill_process`.
    Temporary,
    /// `process_mrelease`'s reference on the victim's mm.
    Mrelease,
    /// `__mmput`'s drop of the reference all `mm_users` share.
    UsersShared,
}

/// The vm_flags that make the reaper skip a VMA (`can_madv_lru_vma`), per kernel version.
pub const REAP_SKIP_PRE_5_18: u8 = VM_LOCKED | VM_HUGETLB | VM_PFNMAP;
pub const REAP_SKIP_5_18: u8 = VM_HUGETLB | VM_PFNMAP;

/// One atomic step of a kernel path. `J` is [`Target`] while writing and [`Jump`] once resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Op<J> {
    // ----- the victim task ------------------------------------------------------------------
    /// `do_exit`: runs only once a fatal signal is pending.
    DoExit,
    /// `task_lock(current); current->mm = NULL; task_unlock(current)`.
    ClearTaskMm,
    /// `find_lock_task_mm(victim)`: takes `task_lock` if the task still has an mm.
    FindLockTaskMm {
        on_fail: J,
    },
    /// `oom_kill_process`: `task_lock(victim); if (task_will_free_mem(victim)) { … }
    /// task_unlock(victim); … __oom_kill_process: p = find_lock_task_mm(victim); if (!p) return;`
    /// in one step. Takes `task_lock` when V still has its mm; jumps to `if_exiting` (the
    /// shortcut, lock held) when V is already dying (SIGKILL pending, `MMF_OOM_SKIP` clear), to
    /// `on_fail` when V has no mm. One step is exact here: when the shortcut test fails, nothing
    /// another CPU does before `find_lock_task_mm` can change its outcome (without a pending
    /// SIGKILL V cannot exit, and a task whose `->mm` is gone never gets it back).
    OomFindVictim {
        if_exiting: J,
        on_fail: J,
    },
    /// `task_unlock`.
    TaskUnlock,
    /// `get_task_mm`: `task_lock; if (task->mm) mmget(mm); task_unlock`.
    GetTaskMm {
        on_null: J,
    },
    /// `task_will_free_mem(p)` (caller holds task_lock): sets the local `reap`.
    TaskWillFreeMem {
        if_false: J,
    },
    /// `do_send_sig_info(SIGKILL, …)`.
    SendSigkill,
    /// `mark_oom_victim`: `if (!cmpxchg(&signal->oom_mm, NULL, mm))` { the long-lived `mmgrab`
    /// … }; jumps to `if_set` when `signal->oom_mm` was already set.
    MarkOomMm {
        if_set: J,
    },
    /// `wake_oom_reaper` / `queue_oom_reaper`: `test_and_set_bit(MMF_OOM_REAP_QUEUED)`; queue.
    WakeOomReaper,
    /// `wake_oom_reaper`, the v5.18+ timer callback armed by `queue_oom_reaper` (2*HZ later):
    /// `if (test_bit(MMF_OOM_SKIP)) { put_task_struct; return; }` else `list_add; wake_up`.
    OomReaperTimer {
        if_skip: J,
    },
    /// `oom_reaper`: wait until `oom_reaper_list` is non-empty, pop the victim.
    WaitReaperList,
    // ----- mmap_lock -----------------------------------------------------------------------
    ReadLock,
    ReadLockKillable {
        on_eintr: J,
    },
    ReadTrylock {
        on_fail: J,
    },
    ReadUnlock,
    WriteLock,
    WriteUnlock,
    // ----- mm->flags -----------------------------------------------------------------------
    TestBit {
        flag: MmFlag,
        if_set: J,
        if_clear: J,
    },
    SetBit(MmFlag),
    /// `clear_bit`: no shipped path clears these bits; an edit may.
    ClearBit(MmFlag),
    /// `tsk_is_oom_victim(current)`: the 4.14 test that 4837fe37adff replaced (bug B7).
    TestCurrentOomVictim {
        if_false: J,
    },
    // ----- reference counts ----------------------------------------------------------------
    Mmgrab(Pin),
    Mmdrop(Pin),
    /// `mmget_not_zero(mm)`; on failure the local `mm` is NULL.
    MmgetNotZero {
        on_zero: J,
    },
    /// `mmput(mm)`: the last one calls `__mmput` in this actor's context.
    Mmput,
    // ----- the VMA walk of __oom_reap_task_mm ---------------------------------------------------
    /// `set_bit(MMF_UNSTABLE)`; `ret = true`.
    ReapStart,
    /// `vma = mm->mmap` (or the first maple-tree entry); return if NULL.
    LoadHead {
        if_null: J,
    },
    /// `if (!can_madv_lru_vma(vma)) continue; if (vma_is_anonymous(vma) || !(vm_flags & VM_SHARED))`.
    CanMadvLru {
        skip_mask: u8,
        skip: J,
    },
    /// `mmu_notifier_invalidate_range_start_nonblock` + `unmap_page_range` loads the pmd.
    ZapBegin {
        on_notifier_fail: J,
    },
    /// `zap_pte_range`: `pte_offset_map_lock` and clear the PTEs.
    ZapEnd,
    /// `vma = vma->vm_next`; loop while non-NULL.
    NextVma {
        loop_to: J,
    },
    // ----- exit_mmap (the owner) -------------------------------------------------------------
    /// `__mmput`: `exit_aio`, `ksm_exit`, `khugepaged_exit` (can block on I/O).
    ExitAio,
    /// `mmu_notifier_release(mm)`.
    MmuNotifierRelease,
    /// `if (mm->locked_vm)`.
    TestLockedVm {
        if_zero: J,
    },
    /// Owner's loop start: `vma = mm->mmap` captured once (a local).
    FirstVmaLocal {
        if_null: J,
    },
    /// `if (vma->vm_flags & VM_LOCKED)` inside `unlock_range`.
    IfVmaLocked {
        else_: J,
    },
    /// `mm->locked_vm -= vma_pages(vma)` in `unlock_range` (only the owner reads it).
    MunlockAccount,
    /// `munlock_vma_pages_range`: first clears `VM_LOCKED` …
    MunlockBegin,
    /// … then walks the range munlocking pages.
    MunlockEnd,
    /// Owner's `vma = vma->vm_next` in a loop over its own list.
    OwnerNextVma {
        loop_to: J,
    },
    /// `arch_exit_mmap(mm); vma = mm->mmap; if (!vma) …`.
    ArchExitMmap {
        if_null: J,
    },
    /// `unmap_vmas` → `unmap_single_vma(vma)`.
    UnmapVma,
    /// `free_pgtables`: unlink and free the page tables under `vma`.
    FreePgtables,
    /// `tlb_finish_mmu`: the detached page-table pages are really freed.
    TlbFinishMmu,
    /// `vma = remove_vma(vma)`: `vm_area_free`; loops to `loop_to` while non-NULL.
    RemoveVma {
        loop_to: J,
    },
    /// `mm->mmap = NULL` (f798a1d4f94d) or `__mt_destroy(&mm->mm_mt)` (v6.1).
    ResetMmap,
    // ----- locals ------------------------------------------------------------------------
    /// `while (attempts++ < MAX_OOM_REAP_RETRIES && …)`.
    ReapAttempt {
        exhausted: J,
    },
    /// `ret = true` (start of `oom_reap_task_mm`).
    SetReapOk,
    /// Branch on the local `ret` of `__oom_reap_task_mm` / `oom_reap_task_mm`.
    IfReapOk {
        if_ok: J,
        if_fail: J,
    },
    /// `if (!reap) goto drop_mm`.
    IfReap {
        if_not: J,
    },
    /// `if (mm)`: branch on the local `mm` pointer.
    IfMm {
        if_null: J,
    },
    SetErrno(Errno),
    /// `schedule_timeout_idle(HZ/10)`, then retry.
    Sleep {
        to: J,
    },
    /// `pr_info("oom_reaper: unable to reap …")`.
    LogUnableToReap,
    /// `pr_info("oom_reaper: reaped process …")`.
    LogReaped,
    /// `put_task_struct` / `put_pid`: the local task reference.
    PutTask,
    Call(ProgId),
    Goto(J),
    /// The closing brace of a block: a jump target that moves with its block.
    End,
    /// A line with no effect on shared state (e.g. `pidfd_get_task`).
    Nop,
}

/// Writes [`Op::map`]'s `match` from one list per shape of variant, so that each op's jump
/// fields are named once: `plain` ops carry nothing, `one_value` ops one non-jump value,
/// `one_jump` ops one unnamed jump, and each `jumps` op lists its jump fields (in the order `f`
/// sees them), then after `;` its other fields. The match stays exhaustive: a new op that is
/// not listed fails to compile.
macro_rules! map_jumps {
    ($op:expr, $f:ident;
     plain: $($plain:ident),*;
     one_value: $($value:ident),*;
     one_jump: $($jump:ident),*;
     jumps: $($op_name:ident { $($j:ident),* $(; $($other:ident),*)? }),* $(,)?) => {
        match $op {
            $(Op::$plain => Op::$plain,)*
            $(Op::$value(v) => Op::$value(v),)*
            $(Op::$jump(j) => Op::$jump($f(j)),)*
            $(Op::$op_name { $($j,)* $($($other,)*)? } => Op::$op_name {
                $($j: $f($j),)*
                $($($other,)*)?
            },)*
        }
    };
}

impl<J: Copy> Op<J> {
    /// Runs without a scheduling point: touches only the actor's own locals.
    pub fn is_local(&self) -> bool {
        matches!(
            self,
            Op::ReapAttempt { .. }
                | Op::SetReapOk
                | Op::IfReapOk { .. }
                | Op::IfReap { .. }
                | Op::IfMm { .. }
                | Op::SetErrno(_)
                | Op::Sleep { .. }
                | Op::LogUnableToReap
                | Op::LogReaped
                | Op::PutTask
                | Op::Call(_)
                | Op::Goto(_)
                | Op::End
                | Op::Nop
                | Op::FirstVmaLocal { .. }
                | Op::IfVmaLocked { .. }
                | Op::OwnerNextVma { .. }
                | Op::TestLockedVm { .. }
                | Op::MunlockAccount
        )
    }

    /// Every jump target of the op, in the order [`Op::map`] visits them (the order of the keys
    /// in [`crate::op_text::VOCABULARY`]).
    pub fn targets(&self) -> Vec<J> {
        let mut v = Vec::new();
        self.map(|j| v.push(j));
        v
    }

    /// The same op with every jump target passed through `f`, in the order the fields are listed
    /// here: the one place that says which fields of which op are jumps.
    fn map<K: Copy>(&self, mut f: impl FnMut(J) -> K) -> Op<K> {
        map_jumps!(*self, f;
            plain: DoExit, ClearTaskMm, TaskUnlock, SendSigkill, WakeOomReaper, WaitReaperList,
                ReadLock, ReadUnlock, WriteLock, WriteUnlock, Mmput, ReapStart, ZapEnd, ExitAio,
                MmuNotifierRelease, MunlockAccount, MunlockBegin, MunlockEnd, UnmapVma,
                FreePgtables, TlbFinishMmu, ResetMmap, SetReapOk, LogUnableToReap, LogReaped,
                PutTask, End, Nop;
            one_value: SetBit, ClearBit, Mmgrab, Mmdrop, SetErrno, Call;
            one_jump: Goto;
            jumps: FindLockTaskMm { on_fail },
                OomFindVictim { if_exiting, on_fail },
                GetTaskMm { on_null },
                TaskWillFreeMem { if_false },
                MarkOomMm { if_set },
                OomReaperTimer { if_skip },
                ReadLockKillable { on_eintr },
                ReadTrylock { on_fail },
                TestBit { if_set, if_clear; flag },
                TestCurrentOomVictim { if_false },
                MmgetNotZero { on_zero },
                LoadHead { if_null },
                CanMadvLru { skip; skip_mask },
                ZapBegin { on_notifier_fail },
                NextVma { loop_to },
                TestLockedVm { if_zero },
                FirstVmaLocal { if_null },
                IfVmaLocked { else_ },
                OwnerNextVma { loop_to },
                ArchExitMmap { if_null },
                RemoveVma { loop_to },
                ReapAttempt { exhausted },
                IfReapOk { if_ok, if_fail },
                IfReap { if_not },
                IfMm { if_null },
                Sleep { to },
        )
    }

    /// Takes, releases or queues on mmap_lock (a killable waiter's EINTR leaves its queue).
    pub fn writes_mmap_lock(&self) -> bool {
        matches!(
            self,
            Op::ReadLock
                | Op::ReadLockKillable { .. }
                | Op::ReadTrylock { .. }
                | Op::ReadUnlock
                | Op::WriteLock
                | Op::WriteUnlock
        )
    }

    /// Destructive to the address space (invariant S7): the ops a walker must never overlap.
    pub fn is_destructive(&self) -> bool {
        matches!(
            self,
            Op::MunlockBegin | Op::FreePgtables | Op::RemoveVma { .. }
        )
    }

    /// Operates on the VMA under the actor's cursor (its executed label names the VMA).
    pub fn on_cursor_vma(&self) -> bool {
        matches!(
            self,
            Op::CanMadvLru { .. }
                | Op::ZapBegin { .. }
                | Op::ZapEnd
                | Op::NextVma { .. }
                | Op::IfVmaLocked { .. }
                | Op::MunlockAccount
                | Op::MunlockBegin
                | Op::MunlockEnd
                | Op::UnmapVma
                | Op::FreePgtables
                | Op::RemoveVma { .. }
        )
    }
}

/// Where a step comes from in the kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The kernel function the line belongs to.
    pub func: &'static str,
    /// Its file in the kernel tree.
    pub file: &'static str,
    /// The commit that introduced this line (12 hex digits, e.g. `64591e8605d6`), or `≤ vX.Y`
    /// where the commit is not established: the rule and the evidence are in `docs/citations.md`.
    pub since: &'static str,
}

/// One line of a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct StepDef<J> {
    /// Stable and unique within its program; used by jumps, variant edits and the patch view.
    pub id: &'static str,
    /// The kernel-vocabulary label used by schedules and narration.
    pub label: &'static str,
    /// The pseudo-code line shown in the UI.
    pub code: &'static str,
    /// Nesting depth for display.
    pub indent: u8,
    pub op: Op<J>,
    pub src: Source,
}

/// A resolved step.
pub type Step = StepDef<Jump>;

/// A program as written, before its jumps are resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramDef {
    pub id: ProgId,
    pub steps: Vec<StepDef<Target>>,
}

/// A resolved program.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Program {
    pub id: ProgId,
    pub steps: Vec<Step>,
}

impl ProgramDef {
    pub fn position(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.id == id)
    }

    /// The index of step `id`, or an error naming the step and this program.
    pub fn index_of(&self, id: &str) -> Result<usize, String> {
        self.position(id)
            .ok_or_else(|| format!("no step {id} in {}", self.id.name()))
    }

    /// The indices of the contiguous block `first..=last`, as a move takes it.
    pub fn block(
        &self,
        first: &str,
        last: &str,
    ) -> Result<std::ops::RangeInclusive<usize>, String> {
        let (f, l) = (self.index_of(first)?, self.index_of(last)?);
        if l < f {
            return Err(format!("{last} comes before {first}"));
        }
        Ok(f..=l)
    }

    /// Resolves step-id jumps to indices; fails on a duplicate id or an unknown target.
    pub fn resolve(&self) -> Result<Program, String> {
        for (i, s) in self.steps.iter().enumerate() {
            if self.steps[..i].iter().any(|t| t.id == s.id) {
                return Err(format!("{}: duplicate step id {}", self.id.name(), s.id));
            }
        }
        let mut steps = Vec::with_capacity(self.steps.len());
        for (i, s) in self.steps.iter().enumerate() {
            let mut err = None;
            let op = s.op.map(|t| match t {
                Target::Next => Jump::At((i + 1) as u8),
                Target::Return => Jump::Return,
                Target::To(id) => match self.position(id) {
                    Some(p) => Jump::At(p as u8),
                    None => {
                        err = Some(format!(
                            "{}: step {} jumps to unknown step {id}",
                            self.id.name(),
                            s.id
                        ));
                        Jump::Return
                    }
                },
            });
            if let Some(e) = err {
                return Err(e);
            }
            steps.push(StepDef {
                id: s.id,
                label: s.label,
                code: s.code,
                indent: s.indent,
                op,
                src: s.src,
            });
        }
        Ok(Program { id: self.id, steps })
    }
}

impl<J: Copy> StepDef<J> {
    pub fn jump_targets(&self) -> Vec<J> {
        self.op.targets()
    }
}

/// A small builder so kernel programs read like the code they model.
///
/// A step can only be added through [`Builder::since`]: every line names the commit that
/// introduced it (see `docs/citations.md`), none inherits the citation of the line above.
pub struct Builder {
    id: ProgId,
    func: &'static str,
    file: &'static str,
    indent: u8,
    steps: Vec<StepDef<Target>>,
}

impl Builder {
    pub fn new(id: ProgId) -> Builder {
        Builder {
            id,
            func: "",
            file: "",
            indent: 0,
            steps: Vec::new(),
        }
    }
    /// Subsequent steps belong to this kernel function.
    pub fn func(mut self, func: &'static str, file: &'static str) -> Builder {
        self.func = func;
        self.file = file;
        self
    }
    /// The next step (and only it) was introduced by this commit, or, where the commit is not
    /// established, is known to be in this release (`≤ v4.16`).
    pub fn since(self, since: &'static str) -> Cited {
        Cited { b: self, since }
    }
    pub fn indent(mut self, indent: u8) -> Builder {
        self.indent = indent;
        self
    }
    pub fn build(self) -> ProgramDef {
        ProgramDef {
            id: self.id,
            steps: self.steps,
        }
    }
}

/// A [`Builder`] holding the citation of the one step about to be added.
#[must_use = "a citation applies to the step that follows it"]
pub struct Cited {
    b: Builder,
    since: &'static str,
}

impl Cited {
    pub fn step(
        self,
        id: &'static str,
        label: &'static str,
        code: &'static str,
        op: Op<Target>,
    ) -> Builder {
        let mut b = self.b;
        b.steps.push(StepDef {
            id,
            label,
            code,
            indent: b.indent,
            op,
            src: Source {
                func: b.func,
                file: b.file,
                since: self.since,
            },
        });
        b
    }
}

/// Shorthand for a jump to a step id.
pub fn to(id: &'static str) -> Target {
    Target::To(id)
}

/// One step of a [`Program`] addressed from outside: which program, which index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Pc {
    pub prog: ProgId,
    pub idx: u8,
}
