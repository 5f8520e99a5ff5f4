//! The five kernel contexts of the model and what each one is, in the kernel's terms.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An actor: one kernel execution context that the scheduler can step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ActorId {
    /// The victim's last thread: `do_exit` → `exit_mm` → `mmput`.
    V = 0,
    /// The OOM killer: `__oom_kill_process` → `mark_oom_victim` → `wake_oom_reaper`.
    K = 1,
    /// The `oom_reaper` kthread: `oom_reap_task` → `oom_reap_task_mm`.
    R = 2,
    /// A `process_mrelease(pidfd)` caller, e.g. Android's lmkd.
    M = 3,
    /// Another `mm_users` holder, e.g. a `/proc/<pid>/` reader (`get_task_mm` … `mmput`).
    G = 4,
}

pub const N_ACTORS: usize = 5;

impl ActorId {
    pub const ALL: [ActorId; N_ACTORS] =
        [ActorId::V, ActorId::K, ActorId::R, ActorId::M, ActorId::G];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_letter(c: char) -> Option<ActorId> {
        match c.to_ascii_uppercase() {
            'V' => Some(ActorId::V),
            'K' => Some(ActorId::K),
            'R' => Some(ActorId::R),
            'M' => Some(ActorId::M),
            'G' => Some(ActorId::G),
            _ => None,
        }
    }

    pub fn letter(self) -> char {
        match self {
            ActorId::V => 'V',
            ActorId::K => 'K',
            ActorId::R => 'R',
            ActorId::M => 'M',
            ActorId::G => 'G',
        }
    }

    /// The kernel context, as a column heading.
    pub fn title(self) -> &'static str {
        match self {
            ActorId::V => "victim exit (exit_mm → mmput)",
            ActorId::K => "OOM killer",
            ActorId::R => "oom_reaper",
            ActorId::M => "process_mrelease",
            ActorId::G => "/proc reader (get_task_mm)",
        }
    }

    /// A short name for sentences ("the oom_reaper").
    pub fn who(self) -> &'static str {
        match self {
            ActorId::V => "the exiting victim thread",
            ActorId::K => "the OOM killer",
            ActorId::R => "the oom_reaper",
            ActorId::M => "process_mrelease",
            ActorId::G => "the /proc reader",
        }
    }
}

impl fmt::Display for ActorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}
