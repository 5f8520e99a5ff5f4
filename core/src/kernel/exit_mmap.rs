//! `__mmput` → `exit_mmap` (kernel/fork.c, mm/mmap.c), per release. Runs in whichever actor
//! dropped the last `mm_users` reference: normally V, in v5.16 possibly process_mrelease, and
//! with a `/proc` reader possibly that reader.
//!
//! * **v5.16** (spec §1.3): no mmap_lock at all for the teardown. OOM victims are protected by
//!   the self-reap, `set_bit(MMF_OOM_SKIP)` and an empty `mmap_write_lock`/`unlock` barrier
//!   *before* `unlock_range` (27ae357fa82b).
//! * **v5.17-rc1** (64591e8605d6): `mmap_write_lock` taken unconditionally before `unlock_range`
//!   and held through `remove_vma`; the barrier pair is gone. `mm->mmap` is left dangling.
//! * **v5.17** (+ f798a1d4f94d): `mm->mmap = NULL` before `mmap_write_unlock`.
//! * **v6.1** (+ a213e5cf71cb, bf3980c85212): no munlock, no OOM block; `unmap_vmas` under the
//!   read lock, `set_bit(MMF_OOM_SKIP)` unconditionally, the write lock only for
//!   `free_pgtables` and `remove_vma`; `__mt_destroy` clears the maple tree.

use super::*;
use crate::mm::MmFlag;
use crate::program::Pin;

fn mmput_head(b: Builder) -> Builder {
    b.func("__mmput", FORK_C)
        .since(BEFORE_GIT)
        .step(
            "exit_aio",
            "exit_aio",
            "uprobe_clear_state(mm); exit_aio(mm); ksm_exit(mm); khugepaged_exit(mm);  /* may wait for I/O. __ksm_exit/__khugepaged_exit take mmap_write_lock; mmap_write_unlock only if MMF_VM_MERGEABLE/MMF_VM_HUGEPAGE is set and ksmd/khugepaged still holds the mm's slot: never in these scenarios (no MADV_MERGEABLE, no THP registration) */",
            Op::ExitAio,
        )
        .func("exit_mmap", MMAP_C)
        .indent(1)
        .since("cddb8a5c14aa")
        .step(
            "notifier_release",
            "mmu_notifier_release",
            "mmu_notifier_release(mm);",
            Op::MmuNotifierRelease,
        )
}

/// The OOM-victim block: `if (mm_is_oom_victim(mm)) { self-reap; set_bit(MMF_OOM_SKIP); [barrier] }`.
fn oom_victim_block(b: Builder, with_barrier: bool) -> Builder {
    let b = b
        .since("4837fe37adff")
        .step(
            "victim",
            "test_bit(MMF_OOM_VICTIM)",
            "if (unlikely(mm_is_oom_victim(mm))) {",
            Op::TestBit {
                flag: MmFlag::OomVictim,
                if_set: Target::Next,
                if_clear: to("victim_end"),
            },
        )
        .indent(2)
        .since("27ae357fa82b")
        .step(
            "self_reap",
            "__oom_reap_task_mm",
            "(void)__oom_reap_task_mm(mm);  /* no lock held */",
            Op::Call(ProgId::OomReapTaskMm),
        )
        .since("212925802454")
        .step(
            "set_skip",
            "set_bit(MMF_OOM_SKIP)",
            "set_bit(MMF_OOM_SKIP, &mm->flags);",
            Op::SetBit(MmFlag::OomSkip),
        );
    let b = if with_barrier {
        b.since("212925802454")
            .step(
                "barrier_lock",
                "mmap_write_lock",
                "mmap_write_lock(mm);  /* waits for any reader (the reaper) to leave */",
                Op::WriteLock,
            )
            .since("212925802454")
            .step(
                "barrier_unlock",
                "mmap_write_unlock",
                "mmap_write_unlock(mm);  /* later readers see MMF_OOM_SKIP */",
                Op::WriteUnlock,
            )
    } else {
        b
    };
    b.indent(1)
        .since("4837fe37adff")
        .step("victim_end", "}", "}", Op::End)
}

/// `if (mm->locked_vm) unlock_range(mm->mmap, ULONG_MAX);` — munlock every VM_LOCKED VMA.
/// In 4.16 already (its origin is not established); 64591e8605d6 only put it under the lock.
fn unlock_range(b: Builder) -> Builder {
    b.since("≤ v4.16")
        .step(
            "locked_vm",
            "mm->locked_vm",
            "if (mm->locked_vm) {",
            Op::TestLockedVm {
                if_zero: to("unlock_range_end"),
            },
        )
        .indent(2)
        .func("unlock_range", MMAP_C)
        .since("≤ v4.16")
        .step(
            "munlock_first",
            "unlock_range",
            "unlock_range(mm->mmap, ULONG_MAX): for (vma = mm->mmap; vma; vma = vma->vm_next) {",
            Op::FirstVmaLocal {
                if_null: to("unlock_range_end"),
            },
        )
        .indent(3)
        .since("≤ v4.16")
        .step(
            "munlock_if",
            "VM_LOCKED",
            "if (vma->vm_flags & VM_LOCKED) {",
            Op::IfVmaLocked {
                else_: to("munlock_next"),
            },
        )
        .indent(4)
        // unlock_range() ('mm/mmap: introduce unlock_range() for code cleanup', hash not
        // established) brought munmap's locked_vm accounting to exit_mmap.
        .since("≤ v5.16")
        .step(
            "munlock_account",
            "mm->locked_vm-=",
            "mm->locked_vm -= vma_pages(vma);",
            Op::MunlockAccount,
        )
        .func("munlock_vma_pages_range", MLOCK_C)
        .since("≤ v5.16")
        .step(
            "munlock_begin",
            "munlock_vma_pages_range",
            "munlock_vma_pages_all(vma) → munlock_vma_pages_range(): vma->vm_flags &= VM_LOCKED_CLEAR_MASK;  /* FIRST clears VM_LOCKED */",
            Op::MunlockBegin,
        )
        .since("≤ v5.16")
        .step(
            "munlock_end",
            "follow_page_mask",
            "while (addr < end) { page = follow_page(vma, addr, FOLL_GET|FOLL_DUMP); munlock … }  /* THEN walks the page tables */",
            Op::MunlockEnd,
        )
        .func("unlock_range", MMAP_C)
        .indent(2)
        .since("≤ v4.16")
        .step(
            "munlock_next",
            "vma->vm_next",
            "} }  /* vma = vma->vm_next */",
            Op::OwnerNextVma {
                loop_to: to("munlock_if"),
            },
        )
        .func("exit_mmap", MMAP_C)
        .indent(1)
        .since("≤ v4.16")
        .step("unlock_range_end", "}", "}", Op::End)
}

/// `unmap_vmas`, `free_pgtables`, `tlb_finish_mmu` (and, unless `split_unmap`, the
/// `remove_vma` loop), over the list captured by `arch_exit_mmap`.
fn teardown_unmap(b: Builder, early_exit: &'static str, maple_tree: bool) -> Builder {
    // The no-vma exit is in 4.16 (not in 2.6.11); v6.1's mas_find() is a maple-tree rewrite whose
    // commit is not established.
    b.since(if maple_tree { "≤ v6.1" } else { "≤ v4.16" })
        .step(
            "arch_exit_mmap",
            if maple_tree { "mas_find" } else { "mm->mmap" },
            if maple_tree {
                "arch_exit_mmap(mm); vma = mas_find(&mas, ULONG_MAX); if (!vma) goto out;"
            } else {
                "arch_exit_mmap(mm); vma = mm->mmap; if (!vma) goto out;  /* dup_mmap() failure */"
            },
            Op::ArchExitMmap {
                if_null: to(early_exit),
            },
        )
        .since(BEFORE_GIT)
        .step(
            "unmap_vmas",
            "unmap_vmas",
            if maple_tree {
                "lru_add_drain(); tlb_gather_mmu_fullmm(&tlb, mm); unmap_vmas(&tlb, &mm->mm_mt, vma, 0, ULONG_MAX): unmap_single_vma(vma)"
            } else {
                "lru_add_drain(); tlb_gather_mmu_fullmm(&tlb, mm); unmap_vmas(&tlb, vma, 0, -1): unmap_single_vma(vma)"
            },
            Op::UnmapVma,
        )
        .since(BEFORE_GIT)
        .step(
            "unmap_next",
            "vma->vm_next",
            "  … for each vma",
            Op::OwnerNextVma {
                loop_to: to("unmap_vmas"),
            },
        )
}

fn teardown_free(
    b: Builder,
    reset_mmap: Option<(&'static str, &'static str, &'static str)>,
    maple_tree: bool,
) -> Builder {
    let b = b
        .since(BEFORE_GIT)
        .step(
            "free_first",
            "vma",
            "/* back to the first vma */",
            Op::FirstVmaLocal {
                if_null: to("tlb_finish_mmu"),
            },
        )
        .since(BEFORE_GIT)
        .step(
            "free_pgtables",
            "free_pgtables",
            if maple_tree {
                "free_pgtables(&tlb, &mm->mm_mt, vma, FIRST_USER_ADDRESS, USER_PGTABLES_CEILING): unlink + free_pgd_range(vma)"
            } else {
                "free_pgtables(&tlb, vma, FIRST_USER_ADDRESS, USER_PGTABLES_CEILING): unlink + free_pgd_range(vma)"
            },
            Op::FreePgtables,
        )
        .since(BEFORE_GIT)
        .step(
            "free_next",
            "vma->vm_next",
            "  … for each vma",
            Op::OwnerNextVma {
                loop_to: to("free_pgtables"),
            },
        )
        .since(BEFORE_GIT)
        .step(
            "tlb_finish_mmu",
            "tlb_finish_mmu",
            "tlb_finish_mmu(&tlb);  /* the page-table pages are really freed */",
            Op::TlbFinishMmu,
        )
        .since(BEFORE_GIT)
        .step(
            "remove_first",
            "vma",
            if maple_tree {
                "/* Walk the list again, actually closing and freeing it … besides the unreachable mmap_write_lock. */"
            } else {
                "/* Walk the list again, actually closing and freeing it. */"
            },
            Op::FirstVmaLocal {
                if_null: to("remove_end"),
            },
        )
        .since(BEFORE_GIT)
        .step(
            "remove_vma",
            "remove_vma",
            if maple_tree {
                "do { nr_accounted += …; remove_vma(vma); count++; cond_resched(); } while ((vma = mas_find(&mas, ULONG_MAX)) != NULL);  /* vm_area_free */"
            } else {
                "while (vma) { nr_accounted += …; vma = remove_vma(vma); cond_resched(); }  /* vm_area_free */"
            },
            Op::RemoveVma {
                loop_to: to("remove_vma"),
            },
        )
        .since(BEFORE_GIT)
        .step("remove_end", "}", "", Op::End);
    match reset_mmap {
        Some((label, code, since)) => b
            .since(since)
            .step("reset_mmap", label, code, Op::ResetMmap),
        None => b,
    }
}

/// `mmap_write_unlock` after the teardown (64591e8605d6), and the early exit taken when there is
/// no VMA (which releases whichever lock the release holds at that point; `early.3` cites it).
fn unlock_tail(
    b: Builder,
    early: (&'static str, &'static str, Op<Target>, &'static str),
) -> Builder {
    b.since("64591e8605d6")
        .step(
            "wunlock",
            "mmap_write_unlock",
            "mmap_write_unlock(mm);",
            Op::WriteUnlock,
        )
        .since("64591e8605d6")
        .step("after_unlock", "}", "", Op::Goto(to("vm_unacct")))
        .since(early.3)
        .step("early_unlock", early.0, early.1, early.2)
        .since(early.3)
        .step("early_out", "return", "", Op::Goto(to("mmdrop")))
}

fn mmput_tail(b: Builder) -> Builder {
    b.since(BEFORE_GIT)
        .step(
            "vm_unacct",
            "vm_unacct_memory",
            "vm_unacct_memory(nr_accounted);",
            Op::Goto(to("mmdrop")),
        )
        .func("__mmput", FORK_C)
        .indent(0)
        .since(BEFORE_GIT)
        .step(
            "mmdrop",
            "mmdrop",
            "… set_mm_exe_file(mm, NULL); mmdrop(mm);  /* the users' shared mm_count */",
            Op::Mmdrop(Pin::UsersShared),
        )
}

/// v5.16 (≡ v5.15.16): the pre-patch exit_mmap.
pub fn v5_16() -> ProgramDef {
    let b = mmput_head(Builder::new(ProgId::Mmput));
    let b = oom_victim_block(b, true);
    let b = unlock_range(b);
    let b = teardown_unmap(b, "vm_unacct", false);
    let b = teardown_free(b, None, false);
    mmput_tail(b).build()
}

/// The post-patch shape, with or without f798a1d4f94d's `mm->mmap = NULL`.
fn post_patch(reset_mmap: bool) -> ProgramDef {
    let b = mmput_head(Builder::new(ProgId::Mmput));
    let b = oom_victim_block(b, false);
    let b = b.since("64591e8605d6").step(
        "wlock",
        "mmap_write_lock",
        "mmap_write_lock(mm);  /* taken unconditionally */",
        Op::WriteLock,
    );
    let b = unlock_range(b);
    let b = teardown_unmap(b, "early_unlock", false);
    let b = teardown_free(
        b,
        reset_mmap.then_some(("mm->mmap=NULL", "mm->mmap = NULL;", "f798a1d4f94d")),
        false,
    );
    let b = unlock_tail(
        b,
        (
            "mmap_write_unlock",
            "out: mmap_write_unlock(mm); return;  /* no vma */",
            Op::WriteUnlock,
            "64591e8605d6",
        ),
    );
    mmput_tail(b).build()
}

/// v5.17-rc1 … rc5: 64591e8605d6 without f798a1d4f94d.
pub fn v5_17_rc1() -> ProgramDef {
    post_patch(false)
}

/// v5.17 final.
pub fn v5_17() -> ProgramDef {
    post_patch(true)
}

/// v6.1: bf3980c85212 (and a213e5cf71cb: no unlock_range), maple tree.
pub fn v6_1() -> ProgramDef {
    let b = mmput_head(Builder::new(ProgId::Mmput));
    let b = b.since("bf3980c85212").step(
        "rlock",
        "mmap_read_lock",
        "mmap_read_lock(mm);  /* the non-destructive part */",
        Op::ReadLock,
    );
    let b = teardown_unmap(b, "early_unlock", true);
    let b = b
        .since("bf3980c85212")
        .step(
            "runlock",
            "mmap_read_unlock",
            "mmap_read_unlock(mm);",
            Op::ReadUnlock,
        )
        .since("bf3980c85212")
        .step(
            "set_skip",
            "set_bit(MMF_OOM_SKIP)",
            "set_bit(MMF_OOM_SKIP, &mm->flags);  /* unconditional */",
            Op::SetBit(MmFlag::OomSkip),
        )
        .since("bf3980c85212")
        .step(
            "wlock",
            "mmap_write_lock",
            "mmap_write_lock(mm);  /* only for freeing page tables and VMAs */",
            Op::WriteLock,
        );
    let b = teardown_free(
        b,
        Some(("__mt_destroy", "__mt_destroy(&mm->mm_mt);", "≤ v6.1")),
        true,
    );
    let b = unlock_tail(
        b,
        (
            "mmap_read_unlock",
            "out: mmap_read_unlock(mm); return;  /* no vma */",
            Op::ReadUnlock,
            "bf3980c85212",
        ),
    );
    mmput_tail(b).build()
}
