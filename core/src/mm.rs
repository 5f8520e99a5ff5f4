//! The simulated `struct mm_struct`, its VMAs and the victim task (spec §1.1, §6.1).
//!
//! Only what the race touches is kept: the two reference counts, four `mm->flags` bits, the
//! `mm->mmap` list head (which can be left pointing at a freed VMA — the 5.17-rc bug), the
//! `mmap_lock`, and for each VMA its flags, whether its page tables are present, detached by
//! `free_pgtables` (queued in the mmu_gather) or freed by `tlb_finish_mmu`, whether its pages are
//! still mapped, whether the `vm_area_struct` itself is live, and whether a munlock walk is in
//! progress on it. The VMA list is static (nothing maps or unmaps during exit), so `vm_next` is
//! the next VMA of the scenario's list.

use crate::actor::ActorId;
use crate::rwsem::RwSem;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A bit of `mm->flags` (include/linux/sched/coredump.h, v5.15–v6.0 numbering).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MmFlag {
    /// Bit 21: "mm is of no interest for the OOM killer". Never cleared.
    OomSkip,
    /// Bit 22: set by `__oom_reap_task_mm`; faults then return `VM_FAULT_SIGBUS`.
    Unstable,
    /// Bit 25: set once by `mark_oom_victim` (4837fe37adff); deleted in v6.1 (b3541d912a84).
    OomVictim,
    /// Bit 26: `test_and_set` by `wake_oom_reaper` so an mm is queued once.
    OomReapQueued,
}

impl MmFlag {
    pub const ALL: [MmFlag; 4] = [
        MmFlag::OomVictim,
        MmFlag::OomSkip,
        MmFlag::Unstable,
        MmFlag::OomReapQueued,
    ];
    fn bit(self) -> u8 {
        match self {
            MmFlag::OomSkip => 1,
            MmFlag::Unstable => 2,
            MmFlag::OomVictim => 4,
            MmFlag::OomReapQueued => 8,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            MmFlag::OomSkip => "MMF_OOM_SKIP",
            MmFlag::Unstable => "MMF_UNSTABLE",
            MmFlag::OomVictim => "MMF_OOM_VICTIM",
            MmFlag::OomReapQueued => "MMF_OOM_REAP_QUEUED",
        }
    }
}

impl fmt::Display for MmFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The four VMAs a scenario can contain (spec §6.1): together they exercise every branch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum VmaKind {
    /// Anonymous private memory: reaped by everyone.
    A,
    /// Anonymous `VM_LOCKED` (mlocked): skipped by the pre-5.18 reaper, munlocked by exit_mmap.
    L,
    /// A `VM_SHARED` file mapping: never reaped, only torn down by exit_mmap.
    F,
    /// `VM_HUGETLB`: always skipped by the reaper.
    H,
}

impl VmaKind {
    pub const ALL: [VmaKind; 4] = [VmaKind::A, VmaKind::L, VmaKind::F, VmaKind::H];
    pub fn letter(self) -> char {
        match self {
            VmaKind::A => 'A',
            VmaKind::L => 'L',
            VmaKind::F => 'F',
            VmaKind::H => 'H',
        }
    }
    pub fn from_letter(c: char) -> Option<VmaKind> {
        VmaKind::ALL
            .into_iter()
            .find(|k| k.letter() == c.to_ascii_uppercase())
    }
    pub fn describe(self) -> &'static str {
        match self {
            VmaKind::A => "anonymous private",
            VmaKind::L => "anonymous, mlocked (VM_LOCKED)",
            VmaKind::F => "shared file (VM_SHARED)",
            VmaKind::H => "hugetlbfs (VM_HUGETLB)",
        }
    }
    /// A few words for a VMA card's title (its vm_flags are shown under it).
    pub fn short(self) -> &'static str {
        match self {
            VmaKind::A => "anonymous",
            VmaKind::L => "mlocked anon",
            VmaKind::F => "shared file",
            VmaKind::H => "hugetlbfs",
        }
    }
    /// Pages mapped at the start, for display and `mm->locked_vm`.
    pub fn pages(self) -> u16 {
        match self {
            VmaKind::A => 512,
            VmaKind::L => 16,
            VmaKind::F => 64,
            VmaKind::H => 512,
        }
    }
    fn initial_flags(self) -> u8 {
        match self {
            VmaKind::A => 0,
            VmaKind::L => VM_LOCKED,
            VmaKind::F => VM_SHARED,
            VmaKind::H => VM_HUGETLB,
        }
    }
    pub fn is_anonymous(self) -> bool {
        matches!(self, VmaKind::A | VmaKind::L)
    }
}

impl fmt::Display for VmaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}

pub const VM_LOCKED: u8 = 1;
pub const VM_HUGETLB: u8 = 2;
pub const VM_PFNMAP: u8 = 4;
pub const VM_SHARED: u8 = 8;

/// Renders `vm_flags` bits, e.g. `VM_LOCKED|VM_SHARED`, or `0`.
pub fn vm_flags_names(flags: u8) -> String {
    let names: Vec<&str> = [
        (VM_LOCKED, "VM_LOCKED"),
        (VM_HUGETLB, "VM_HUGETLB"),
        (VM_PFNMAP, "VM_PFNMAP"),
        (VM_SHARED, "VM_SHARED"),
    ]
    .into_iter()
    .filter(|(b, _)| flags & b != 0)
    .map(|(_, n)| n)
    .collect();
    if names.is_empty() {
        "0".into()
    } else {
        names.join("|")
    }
}

/// The page-table pages that cover one VMA.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PageTables {
    /// Linked into the pgd; a walker can load and lock them.
    Present,
    /// Unlinked by `free_pgtables` and queued in the mmu_gather; not yet freed.
    Detached,
    /// Freed by `tlb_finish_mmu`.
    Freed,
}

/// One `vm_area_struct`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Vma {
    pub kind: VmaKind,
    /// `vm_flags` (only the bits this model uses).
    pub flags: u8,
    pub pt: PageTables,
    /// Pages still mapped (cleared by any zap or by `unmap_vmas`).
    pub mapped: bool,
    /// `false` once `remove_vma` → `vm_area_free` has run.
    pub live: bool,
    /// Between `munlock_vma_pages_range` clearing `VM_LOCKED` and the end of its page walk.
    pub munlock_busy: bool,
}

impl Vma {
    pub fn new(kind: VmaKind) -> Vma {
        Vma {
            kind,
            flags: kind.initial_flags(),
            pt: PageTables::Present,
            mapped: true,
            live: true,
            munlock_busy: false,
        }
    }
}

/// Index of a VMA in the scenario's list (which is also the `vm_next` order).
pub type VmaIdx = u8;

pub const MAX_VMAS: usize = 4;

/// The simulated `struct mm_struct`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Mm {
    /// `mm_users`: pins the address space (VMAs and page tables).
    pub users: i8,
    /// `mm_count`: pins the `struct mm_struct` itself (and so the mmap_lock memory).
    pub count: i8,
    /// `__mmdrop` has run: the mm_struct, its pgd and its mmap_lock are gone.
    pub freed: bool,
    /// `mm_users` reached zero: `__mmput` began.
    pub exit_started: bool,
    flags: u8,
    /// `mm->mmap`: the head of the VMA list; may point at a freed VMA (dangling).
    pub head: Option<VmaIdx>,
    /// `mm->locked_vm` in pages.
    pub locked_vm: u16,
    /// An mmu notifier is still registered (until `mmu_notifier_release`).
    pub notifiers: bool,
    pub mmap_lock: RwSem,
    pub vmas: [Option<Vma>; MAX_VMAS],
}

impl Mm {
    pub fn new(kinds: &[VmaKind], notifiers: bool) -> Mm {
        let mut vmas = [None; MAX_VMAS];
        for (slot, k) in vmas.iter_mut().zip(kinds) {
            *slot = Some(Vma::new(*k));
        }
        Mm {
            users: 1,
            count: 1,
            freed: false,
            exit_started: false,
            flags: 0,
            head: if kinds.is_empty() { None } else { Some(0) },
            locked_vm: kinds
                .iter()
                .filter(|k| **k == VmaKind::L)
                .map(|k| k.pages())
                .sum(),
            notifiers,
            mmap_lock: RwSem::default(),
            vmas,
        }
    }
    /// The raw flag bits (for the explorer's packed encoding).
    pub fn flag_bits(&self) -> u8 {
        self.flags
    }
    pub fn test_bit(&self, f: MmFlag) -> bool {
        self.flags & f.bit() != 0
    }
    pub fn set_bit(&mut self, f: MmFlag) {
        self.flags |= f.bit();
    }
    pub fn clear_bit(&mut self, f: MmFlag) {
        self.flags &= !f.bit();
    }
    #[inline(always)]
    pub fn vma(&self, i: VmaIdx) -> &Vma {
        self.vmas[i as usize]
            .as_ref()
            .expect("VMA index within the scenario's list")
    }
    #[inline(always)]
    pub fn vma_mut(&mut self, i: VmaIdx) -> &mut Vma {
        self.vmas[i as usize]
            .as_mut()
            .expect("VMA index within the scenario's list")
    }
    pub fn vma_count(&self) -> usize {
        self.vmas.iter().filter(|v| v.is_some()).count()
    }
    /// `vma->vm_next` (the list is static).
    pub fn vm_next(&self, i: VmaIdx) -> Option<VmaIdx> {
        let n = i + 1;
        ((n as usize) < self.vma_count()).then_some(n)
    }
    pub fn vma_name(&self, i: VmaIdx) -> char {
        self.vma(i).kind.letter()
    }
    pub fn flag_names(&self) -> Vec<&'static str> {
        MmFlag::ALL
            .into_iter()
            .filter(|f| self.test_bit(*f))
            .map(|f| f.name())
            .collect()
    }
}

/// The victim process's one thread (`task_struct` + `signal_struct` fields the race reads).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Task {
    /// `task->mm != NULL`.
    pub has_mm: bool,
    /// SIGKILL pending / `SIGNAL_GROUP_EXIT`.
    pub group_exit: bool,
    /// `task->signal->oom_mm` set by `mark_oom_victim` (`tsk_is_oom_victim`).
    pub oom_mm: bool,
    /// Who holds `task_lock(task)` (alloc_lock spinlock).
    pub task_lock: Option<ActorId>,
    /// The task is on `oom_reaper_list` (or its 2*HZ timer is armed, v5.18+).
    pub reaper_queued: bool,
}
