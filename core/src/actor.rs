//! The kernel contexts of the model and what each one is, in the kernel's terms.
//!
//! There is one victim exit path (V), one OOM killer (K) and one oom_reaper (R), and up to two
//! of each of the two kinds of bystander a scenario can add: process_mrelease callers (M1, M2)
//! and `/proc` readers holding `mm_users` (G1, G2). The first of each kind is written `M` and `G`
//! (as in every schedule, link and trace made before there could be two); `M1`/`G1` are accepted
//! as the same actor.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An actor: one kernel execution context that the scheduler can step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ActorId {
    /// The victim's last thread: `do_exit` → `exit_mm` → `mmput`.
    V = 0,
    /// The OOM killer: `oom_kill_process` → `__oom_kill_process` → `mark_oom_victim` → `wake_oom_reaper`.
    K = 1,
    /// The `oom_reaper` kthread: `oom_reap_task` → `oom_reap_task_mm`.
    R = 2,
    /// The first `process_mrelease(pidfd)` caller, e.g. Android's lmkd (written `M`).
    M1 = 3,
    /// A second, concurrent `process_mrelease(pidfd)` caller on the same victim.
    M2 = 4,
    /// The first other `mm_users` holder, e.g. a `/proc/<pid>/` reader (`get_task_mm` …
    /// `mmput`; written `G`).
    G1 = 5,
    /// A second `/proc` reader.
    G2 = 6,
}

pub const N_ACTORS: usize = 7;

/// The kinds of actor; actors of one kind run the same program and are interchangeable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Role {
    Victim,
    OomKiller,
    OomReaper,
    Mrelease,
    ProcReader,
}

#[allow(non_upper_case_globals)]
impl ActorId {
    /// The first process_mrelease caller, by its old name.
    pub const M: ActorId = ActorId::M1;
    /// The first `/proc` reader, by its old name.
    pub const G: ActorId = ActorId::G1;

    pub const ALL: [ActorId; N_ACTORS] = [
        ActorId::V,
        ActorId::K,
        ActorId::R,
        ActorId::M1,
        ActorId::M2,
        ActorId::G1,
        ActorId::G2,
    ];

    /// Groups of identical actors (same program, same initial locals): swapping the members of
    /// a group maps reachable states onto reachable states.
    pub const SYMMETRIC: [[ActorId; 2]; 2] =
        [[ActorId::M1, ActorId::M2], [ActorId::G1, ActorId::G2]];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_index(i: usize) -> Option<ActorId> {
        ActorId::ALL.get(i).copied()
    }

    pub fn role(self) -> Role {
        match self {
            ActorId::V => Role::Victim,
            ActorId::K => Role::OomKiller,
            ActorId::R => Role::OomReaper,
            ActorId::M1 | ActorId::M2 => Role::Mrelease,
            ActorId::G1 | ActorId::G2 => Role::ProcReader,
        }
    }

    /// The first actor of a letter: `V K R M G` (case-insensitive, as schedules always were).
    pub fn from_letter(c: char) -> Option<ActorId> {
        match c.to_ascii_uppercase() {
            'V' => Some(ActorId::V),
            'K' => Some(ActorId::K),
            'R' => Some(ActorId::R),
            'M' => Some(ActorId::M1),
            'G' => Some(ActorId::G1),
            _ => None,
        }
    }

    /// An actor's name as schedules write it: `V`, `M`, `M1`, `m2`, `G2`, … (case-insensitive;
    /// `M` and `M1` are the same actor).
    pub fn parse(s: &str) -> Option<ActorId> {
        let mut cs = s.chars();
        let first = ActorId::from_letter(cs.next()?)?;
        match (first, cs.as_str()) {
            (a, "") => Some(a),
            (ActorId::M1, "1") | (ActorId::G1, "1") => Some(first),
            (ActorId::M1, "2") => Some(ActorId::M2),
            (ActorId::G1, "2") => Some(ActorId::G2),
            _ => None,
        }
    }

    /// The kind letter: `V K R M G`.
    pub fn letter(self) -> char {
        match self.role() {
            Role::Victim => 'V',
            Role::OomKiller => 'K',
            Role::OomReaper => 'R',
            Role::Mrelease => 'M',
            Role::ProcReader => 'G',
        }
    }

    /// One character per actor for the compact choice strings of traces and links: the kind
    /// letter for the first of a kind (so old strings still read), lower case for the second
    /// (`m` = M2, `g` = G2).
    pub fn choice_char(self) -> char {
        match self {
            ActorId::M2 => 'm',
            ActorId::G2 => 'g',
            a => a.letter(),
        }
    }

    /// The inverse of [`ActorId::choice_char`] (case-sensitive).
    pub fn from_choice_char(c: char) -> Option<ActorId> {
        match c {
            'm' => Some(ActorId::M2),
            'g' => Some(ActorId::G2),
            c if c.is_ascii_uppercase() => ActorId::from_letter(c),
            _ => None,
        }
    }

    /// The name used everywhere text names an actor: `V K R M M2 G G2`.
    pub fn name(self) -> &'static str {
        match self {
            ActorId::V => "V",
            ActorId::K => "K",
            ActorId::R => "R",
            ActorId::M1 => "M",
            ActorId::M2 => "M2",
            ActorId::G1 => "G",
            ActorId::G2 => "G2",
        }
    }

    /// The name with its number when the scenario has two of its kind (`M1`, `M2`), for
    /// column headings.
    pub fn numbered(self) -> &'static str {
        match self {
            ActorId::M1 => "M1",
            ActorId::G1 => "G1",
            a => a.name(),
        }
    }

    /// The kernel context, as a column heading.
    pub fn title(self) -> &'static str {
        match self.role() {
            Role::Victim => "victim exit (exit_mm → mmput)",
            Role::OomKiller => "OOM killer",
            Role::OomReaper => "oom_reaper",
            Role::Mrelease => "process_mrelease",
            Role::ProcReader => "/proc reader (get_task_mm)",
        }
    }

    /// A short name for sentences ("the oom_reaper").
    pub fn who(self) -> &'static str {
        match self {
            ActorId::V => "the exiting victim thread",
            ActorId::K => "the OOM killer",
            ActorId::R => "the oom_reaper",
            ActorId::M1 => "process_mrelease",
            ActorId::M2 => "the second process_mrelease caller",
            ActorId::G1 => "the /proc reader",
            ActorId::G2 => "the second /proc reader",
        }
    }
}

impl fmt::Display for ActorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
