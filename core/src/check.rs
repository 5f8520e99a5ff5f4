//! Safety invariants S1–S7 (spec §6.6) as named properties, and the informational events of a
//! step.
//!
//! Each property is a predicate over one step: the state before it, the stepping actor and the
//! op at its pc ([`StepCheck`]); S6's lock exclusion also looks at the state after. The
//! interpreter ([`crate::sim::Model`]) executes the op and asks [`BEFORE_STEP`] and
//! [`AFTER_STEP`], so a violation is reported on the exact step where the kernel would crash,
//! KASAN would complain, or (S7) the root cause happens one step earlier. Violations do not
//! stop the simulation: like a kernel with KASAN, the model reports and carries on, so later
//! consequences (S1 then S2) are seen too.

use crate::actor::ActorId;
use crate::mm::{PageTables, VmaIdx};
use crate::program::{Jump, Op};
use crate::sim::State;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A safety invariant of the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Invariant {
    /// Page tables freed under a walker (`pte_offset_map_lock` on a freed PTE page).
    S1,
    /// A VMA used after `remove_vma` freed it (incl. through a dangling `mm->mmap`).
    S2,
    /// The mm_struct used after `__mmdrop` freed it.
    S3,
    /// A walker zapped a VMA while `munlock_vma_pages_range` was walking it.
    S4,
    /// Reference-count sanity (`mm_users`, `mm_count`).
    S5,
    /// mmap_lock sanity (reader and writer together, unlock by a non-holder).
    S6,
    /// A destructive teardown step ran while another actor was inside a VMA walk.
    S7,
}

impl Invariant {
    pub const ALL: [Invariant; 7] = [
        Invariant::S1,
        Invariant::S2,
        Invariant::S3,
        Invariant::S4,
        Invariant::S5,
        Invariant::S6,
        Invariant::S7,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Invariant::S1 => "S1",
            Invariant::S2 => "S2",
            Invariant::S3 => "S3",
            Invariant::S4 => "S4",
            Invariant::S5 => "S5",
            Invariant::S6 => "S6",
            Invariant::S7 => "S7",
        }
    }

    pub fn from_id(s: &str) -> Option<Invariant> {
        Invariant::ALL
            .into_iter()
            .find(|i| i.id().eq_ignore_ascii_case(s))
    }

    pub fn name(self) -> &'static str {
        match self {
            Invariant::S1 => "page tables freed under a walker (PT use-after-free)",
            Invariant::S2 => "VMA use-after-free",
            Invariant::S3 => "mm_struct use-after-free",
            Invariant::S4 => "munlock raced with a reaper",
            Invariant::S5 => "refcount sanity",
            Invariant::S6 => "mmap_lock sanity",
            Invariant::S7 => "teardown overlapped a VMA walk",
        }
    }

    /// One sentence for a reader who has not read the spec.
    pub fn explain(self) -> &'static str {
        match self {
            Invariant::S1 => "A walker loaded a pmd, then exit_mmap's free_pgtables freed the PTE page under it, so zap_pte_range's pte_offset_map_lock touches freed memory — the crash 4837fe37adff and 337546e83fc7 describe.",
            Invariant::S2 => "A vm_area_struct was read after remove_vma freed it — KASAN's use-after-free in __oom_reap_task_mm (can_madv_lru_vma), as syzbot reported against 5.17-rc3.",
            Invariant::S3 => "The mm_struct (and with it mmap_lock) was touched after the last mmdrop freed it; every walker must pin mm_count.",
            Invariant::S4 => "munlock_vma_pages_range had already cleared VM_LOCKED and was walking the VMA's page tables when a reaper zapped it — the race 27ae357fa82b closed.",
            Invariant::S5 => "A reference count went negative, or mm_users was raised again after it reached zero.",
            Invariant::S6 => "mmap_lock was held by a reader and a writer at once, or released by a task that did not hold it.",
            Invariant::S7 => "exit_mmap ran a destructive step (munlock, free_pgtables, remove_vma) while another task was inside a VMA walk: the root cause of S1, S2 and S4.",
        }
    }

    /// S7 is the root-cause warning; the others are crashes or corruption.
    pub fn is_warning(self) -> bool {
        self == Invariant::S7
    }
}

impl fmt::Display for Invariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// One violation, as found by the interpreter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Violation {
    pub inv: Invariant,
    /// The actor whose step broke the invariant.
    pub actor: ActorId,
    /// Other actors involved (e.g. the walker S7 overlapped), as a bitmask by `ActorId`.
    pub others: u8,
    pub vma: Option<VmaIdx>,
}

impl Violation {
    pub fn others(&self) -> Vec<ActorId> {
        ActorId::ALL
            .into_iter()
            .filter(|a| self.others & (1 << *a as u8) != 0)
            .collect()
    }
}

/// Informational events (not violations) worth surfacing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Event {
    /// The reaper exhausted its 10 attempts with `MMF_OOM_SKIP` still clear.
    UnableToReap,
    /// "oom_reaper: reaped process".
    Reaped,
    /// The reaper found `MMF_OOM_SKIP` under the read lock and left the mm alone.
    ReaperBailedOnSkip,
    /// `process_mrelease` returned `-EINTR` (killed while queued for mmap_lock).
    Eintr,
    /// The last `mmput` happened in this actor, which now runs `__mmput`/`exit_mmap`.
    ExitMmapIn(ActorId),
    /// Two actors zapped the same VMA (benign, serialized by the page-table lock).
    DoubleReap(VmaIdx),
    /// A `mmap_read_trylock` failed.
    TrylockFailed,
    /// The last `mmdrop`: the mm_struct is freed.
    MmFreed,
    /// `oom_kill_process` found the victim already dying (`task_will_free_mem`): it marks it
    /// and queues the reaper without killing again.
    OomShortcut,
}

/// What a property sees of one step: the state before it, who steps, and the op it executes.
pub struct StepCheck<'a> {
    pub before: &'a State,
    pub actor: ActorId,
    pub op: Op<Jump>,
}

impl StepCheck<'_> {
    fn violation(&self, inv: Invariant, others: u8, vma: Option<VmaIdx>) -> Violation {
        Violation {
            inv,
            actor: self.actor,
            others,
            vma,
        }
    }

    /// The VMA under the actor's cursor, for the ops that walk one (none only in an edited
    /// program that walks before loading a VMA; the step then does nothing).
    fn cursor(&self) -> Option<VmaIdx> {
        self.before.actor(self.actor).cursor
    }
}

fn bit(a: ActorId) -> u8 {
    1 << a as u8
}

/// A property of one step; `Some` is a violation.
pub type Property = fn(&StepCheck) -> Option<Violation>;

/// Defines [`BEFORE_STEP`] and [`before_step`] from one list, so the two cannot disagree.
macro_rules! before_step_properties {
    ($($p:ident),* $(,)?) => {
        /// The properties of the state before a step, in the order their violations are
        /// reported.
        pub const BEFORE_STEP: [Property; [$(stringify!($p)),*].len()] = [$($p),*];

        /// [`BEFORE_STEP`] asked of one step, as direct calls the compiler can inline and merge
        /// (each property first matches on the op; the explorer asks them on every
        /// transition): `report` gets each violation in the table's order.
        /// `tests/check_order.rs` checks it answers as the table does.
        #[inline]
        pub fn before_step(c: &StepCheck, mut report: impl FnMut(Violation)) {
            $(if let Some(v) = $p(c) {
                report(v);
            })*
        }
    };
}

before_step_properties!(
    mm_used_after_free,
    teardown_during_walk,
    refcount_sane,
    mmap_lock_released_by_holder,
    vma_used_after_free,
    munlock_raced_with_reaper,
    page_tables_freed_under_walker,
);

/// A property of the state after a step, given who stepped and the op it executed.
pub type AfterProperty = fn(&State, ActorId, Op<Jump>) -> Option<Violation>;

/// The properties of the state after a step.
pub const AFTER_STEP: [AfterProperty; 1] = [mmap_lock_exclusive];

/// Whether an op dereferences the mm_struct (what S3 guards; the partial-order reduction reads
/// the same list, [`crate::por`]).
pub fn touches_mm<J: Copy>(op: &Op<J>) -> bool {
    !matches!(
        op,
        Op::DoExit
            | Op::ClearTaskMm
            | Op::FindLockTaskMm { .. }
            | Op::OomFindVictim { .. }
            | Op::TaskUnlock
            | Op::SendSigkill
            | Op::WaitReaperList
            | Op::OomReaperTimer { .. }
            | Op::CanMadvLru { .. }
            | Op::ZapBegin { .. }
            | Op::ZapEnd
            | Op::NextVma { .. }
            | Op::MunlockEnd
            | Op::UnmapVma
            | Op::RemoveVma { .. }
            | Op::GetTaskMm { .. }
    )
}

/// S3: an op that dereferences the mm_struct runs after the last `mmdrop` freed it.
pub fn mm_used_after_free(c: &StepCheck) -> Option<Violation> {
    (c.before.mm.freed && touches_mm(&c.op)).then(|| c.violation(Invariant::S3, 0, None))
}

/// S7: exit_mmap's destructive step (munlock, free_pgtables, remove_vma) while another actor
/// is inside a VMA walk.
pub fn teardown_during_walk(c: &StepCheck) -> Option<Violation> {
    if !c.op.is_destructive() {
        return None;
    }
    let walkers = ActorId::ALL
        .into_iter()
        .filter(|b| *b != c.actor && c.before.actor(*b).present && c.before.actor(*b).in_walk())
        .fold(0u8, |m, b| m | bit(b));
    (walkers != 0).then(|| c.violation(Invariant::S7, walkers, c.before.actor(c.actor).cursor))
}

/// S5: `mm_count` or `mm_users` drops below zero, or `get_task_mm` raises `mm_users` again
/// after it reached zero (once `__mmput` began).
pub fn refcount_sane(c: &StepCheck) -> Option<Violation> {
    let b = c.before;
    let broken = match c.op {
        Op::Mmdrop(_) => b.mm.count <= 0,
        Op::Mmput => b.mm.users <= 0,
        Op::GetTaskMm { .. } => b.task.has_mm && (b.mm.users <= 0 || b.mm.exit_started),
        _ => false,
    };
    broken.then(|| c.violation(Invariant::S5, 0, None))
}

/// S6: mmap_lock released by a task that does not hold it that way.
pub fn mmap_lock_released_by_holder(c: &StepCheck) -> Option<Violation> {
    let l = &c.before.mm.mmap_lock;
    let not_holder = match c.op {
        Op::ReadUnlock => !l.is_reader(c.actor),
        Op::WriteUnlock => l.writer != Some(c.actor),
        _ => false,
    };
    not_holder.then(|| c.violation(Invariant::S6, 0, None))
}

/// S6: a reader and a writer hold mmap_lock at once, judged after each step that changes
/// mmap_lock (a step that leaves the lock alone cannot make it non-exclusive, so the first
/// step that breaks it is always reported; asking only these steps keeps every other step
/// independent of the lock, which the partial-order reduction relies on, [`crate::por`]).
pub fn mmap_lock_exclusive(after: &State, actor: ActorId, op: Op<Jump>) -> Option<Violation> {
    if !op.writes_mmap_lock() {
        return None;
    }
    let l = &after.mm.mmap_lock;
    (l.writer.is_some() && l.has_readers()).then_some(Violation {
        inv: Invariant::S6,
        actor,
        others: 0,
        vma: None,
    })
}

/// S2: a walker reads a VMA that `remove_vma` freed (`can_madv_lru_vma`, the zap, `vm_next`).
pub fn vma_used_after_free(c: &StepCheck) -> Option<Violation> {
    let v = match c.op {
        Op::CanMadvLru { .. } | Op::ZapBegin { .. } | Op::NextVma { .. } => c.cursor()?,
        Op::ZapEnd => c.before.actor(c.actor).zap?.0,
        _ => return None,
    };
    (!c.before.mm.vma(v).live).then(|| c.violation(Invariant::S2, 0, Some(v)))
}

/// S4: a walker zaps a VMA that `munlock_vma_pages_range` (run by exit_mmap's owner) is
/// walking.
pub fn munlock_raced_with_reaper(c: &StepCheck) -> Option<Violation> {
    let v = match c.op {
        Op::ZapBegin { .. } => c.cursor()?,
        Op::ZapEnd => c.before.actor(c.actor).zap?.0,
        _ => return None,
    };
    let owner = c.before.exit_mmap_owner();
    (c.before.mm.vma(v).munlock_busy && owner != Some(c.actor))
        .then(|| c.violation(Invariant::S4, owner.map_or(0, bit), Some(v)))
}

/// S1: `zap_pte_range` maps a PTE page loaded before `free_pgtables` detached (and the TLB
/// flush freed) it.
pub fn page_tables_freed_under_walker(c: &StepCheck) -> Option<Violation> {
    let Op::ZapEnd = c.op else { return None };
    let (v, loaded) = c.before.actor(c.actor).zap?;
    (loaded && c.before.mm.vma(v).pt != PageTables::Present)
        .then(|| c.violation(Invariant::S1, 0, Some(v)))
}
