//! `__oom_reap_task_mm` (mm/oom_kill.c): the VMA walk shared by the oom_reaper,
//! process_mrelease and exit_mmap's own unlocked self-reap.
//!
//! The walk is split so that "mid-walk" is observable: `can_madv_lru_vma` reads a VMA,
//! `unmap_page_range` loads its pmd, `zap_pte_range` takes `pte_offset_map_lock` on the PTE page
//! it loaded, and `vma->vm_next` reads the next pointer. Before v5.18 `VM_LOCKED` VMAs are
//! skipped; a213e5cf71cb (v5.18) lets the reaper reap them. v6.1 iterates the maple tree.

use super::*;
use crate::program::{REAP_SKIP_5_18, REAP_SKIP_PRE_5_18};

fn walk(maple_tree: bool) -> ProgramDef {
    // The reaper skipped hugetlb and VM_LOCKED VMAs from its first version (aac453635549);
    // a213e5cf71cb stopped skipping VM_LOCKED.
    let (skip_mask, skip_code, skip_since) = if maple_tree {
        (
            REAP_SKIP_5_18,
            "if (vma->vm_flags & (VM_HUGETLB|VM_PFNMAP)) continue;  /* VM_LOCKED reaped since 5.18 */ if (vma_is_anonymous(vma) || !(vma->vm_flags & VM_SHARED))",
            "a213e5cf71cb",
        )
    } else {
        (
            REAP_SKIP_PRE_5_18,
            "if (!can_madv_lru_vma(vma)) continue;  /* VM_LOCKED|VM_HUGETLB|VM_PFNMAP */ if (anon || !VM_SHARED)",
            "aac453635549",
        )
    };
    // The mm->mmap list walk is the reaper's own (aac453635549); e1c2c775d448 rewrote it for the
    // maple tree.
    let (head_code, next_label, next_code, walk_since) = if maple_tree {
        (
            "for_each_vma(vmi, vma) {  /* maple tree */",
            "for_each_vma",
            "}  /* next vma from the maple tree */",
            "e1c2c775d448",
        )
    } else {
        (
            "for (vma = mm->mmap; vma; vma = vma->vm_next) {",
            "vma->vm_next",
            "}  /* vma = vma->vm_next */",
            "aac453635549",
        )
    };
    Builder::new(ProgId::OomReapTaskMm)
        .func("__oom_reap_task_mm", OOM_KILL_C)
        .since("3f70dc38cec2")
        .step(
            "unstable",
            "set_bit(MMF_UNSTABLE)",
            "bool ret = true; set_bit(MMF_UNSTABLE, &mm->flags);",
            Op::ReapStart,
        )
        .since(walk_since)
        .step(
            "head",
            if maple_tree { "vma_find" } else { "mm->mmap" },
            head_code,
            Op::LoadHead {
                if_null: Target::Return,
            },
        )
        .indent(1)
        .since(skip_since)
        .step(
            "can_madv",
            "can_madv_lru_vma",
            skip_code,
            Op::CanMadvLru {
                skip_mask,
                skip: to("next"),
            },
        )
        .indent(2)
        .since("aac453635549")
        .step(
            "zap_begin",
            "unmap_page_range",
            "if (mmu_notifier_invalidate_range_start_nonblock(&range)) { ret = false; continue; } unmap_page_range(&tlb, vma, …);",
            Op::ZapBegin {
                on_notifier_fail: to("next"),
            },
        )
        .since("aac453635549")
        .step(
            "zap_end",
            "zap_pte_range",
            "zap_pte_range(): pte = pte_offset_map_lock(mm, pmd, addr, &ptl); clear PTEs",
            Op::ZapEnd,
        )
        .indent(0)
        .since(walk_since)
        .step(
            "next",
            next_label,
            next_code,
            Op::NextVma {
                loop_to: to("can_madv"),
            },
        )
        .since("93065ac753e4")
        .step("return", "return", "return ret;", Op::End)
        .build()
}

/// v4.19 … v6.0: `mm->mmap` list, VM_LOCKED skipped (v5.18 and later differ only in the mask).
pub fn mmap_list() -> ProgramDef {
    walk(false)
}

/// v6.1: maple tree, VM_LOCKED reaped.
pub fn maple_tree() -> ProgramDef {
    walk(true)
}
