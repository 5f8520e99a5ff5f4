//! Safety invariants S1–S7 (spec §6.6) and the informational events of a step.
//!
//! The interpreter evaluates every invariant at the step that could break it, so a violation
//! is reported on the exact step where the kernel would crash, KASAN would complain, or (S7)
//! the root cause happens one step earlier. Violations do not stop the simulation: like a
//! kernel with KASAN, the model reports and carries on, so later consequences (S1 then S2) are
//! seen too.

use crate::actor::ActorId;
use crate::mm::VmaIdx;
use serde::Serialize;
use std::fmt;

/// A safety invariant of the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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
