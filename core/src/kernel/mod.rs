//! The kernel paths, one file each, written as [`ProgramDef`]s per kernel version.
//!
//! Each function returns the program *as that release has it*; `variant.rs` picks them per
//! variant and applies the small edits that make the instructive buggy variants. Pseudo-code
//! lines paraphrase the kernel (the project links to the real source instead of copying it).

pub mod exit_mm;
pub mod exit_mmap;
pub mod oom_kill;
pub mod oom_reaper;
pub mod proc_reader;
pub mod process_mrelease;
pub mod reap;

pub use crate::program::{to, Builder, Op, ProgId, ProgramDef, Target};

pub const EXIT_C: &str = "kernel/exit.c";
pub const FORK_C: &str = "kernel/fork.c";
pub const MMAP_C: &str = "mm/mmap.c";
pub const MLOCK_C: &str = "mm/mlock.c";
pub const MEMORY_C: &str = "mm/memory.c";
pub const OOM_KILL_C: &str = "mm/oom_kill.c";

/// `since` of a line already in Linux 2.6.11, i.e. older than the git history (v2.6.12-rc2).
pub const BEFORE_GIT: &str = "≤ v2.6.12";

/// `test_bit(MMF_OOM_SKIP, &mm->flags)` that jumps to `if_set` when the bit is set and falls
/// through when it is clear: how the reaper and process_mrelease ask whether the mm is done.
pub fn if_oom_skip(if_set: &'static str) -> Op<Target> {
    Op::TestBit {
        flag: crate::mm::MmFlag::OomSkip,
        if_set: to(if_set),
        if_clear: Target::Next,
    }
}
