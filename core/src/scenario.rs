//! Scenarios: which actors exist, which VMAs the mm has, and the options (spec §6.8).
//!
//! * `oom-kill`: the OOM killer (K) picks V, marks it and queues the reaper (R); a
//!   process_mrelease caller (M) also targets V.
//! * `user-kill`: V was SIGKILLed from user space (not an OOM victim); M reaps it. No K, no R.
//! * `proc-reader`: as `oom-kill`, plus a `/proc` reader (G) holding `mm_users`, whose `mmput`
//!   can be the last.

use crate::actor::ActorId;
use crate::mm::VmaKind;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ScenarioId {
    #[serde(rename = "oom-kill")]
    OomKill,
    #[serde(rename = "user-kill")]
    UserKill,
    #[serde(rename = "proc-reader")]
    ProcReader,
}

impl ScenarioId {
    pub const ALL: [ScenarioId; 3] = [
        ScenarioId::OomKill,
        ScenarioId::UserKill,
        ScenarioId::ProcReader,
    ];
    pub fn id(self) -> &'static str {
        match self {
            ScenarioId::OomKill => "oom-kill",
            ScenarioId::UserKill => "user-kill",
            ScenarioId::ProcReader => "proc-reader",
        }
    }
    pub fn parse(s: &str) -> Result<ScenarioId, String> {
        ScenarioId::ALL
            .into_iter()
            .find(|x| x.id() == s)
            .ok_or_else(|| {
                format!("unknown scenario '{s}'; known scenarios: oom-kill, user-kill, proc-reader")
            })
    }
    pub fn describe(self) -> &'static str {
        match self {
            ScenarioId::OomKill => "The OOM killer picks V, marks it (MMF_OOM_VICTIM) and queues the oom_reaper; process_mrelease also targets V.",
            ScenarioId::UserKill => "V was SIGKILLed from user space (not an OOM victim) and process_mrelease reaps it; no OOM killer, no reaper.",
            ScenarioId::ProcReader => "As oom-kill, plus a /proc reader holding mm_users whose mmput may be the last.",
        }
    }
}

/// Options a user can set on a scenario.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Options {
    /// The VMAs of the mm, in `vm_next` order.
    pub vmas: Vec<VmaKind>,
    /// An mmu notifier is registered whose non-blocking start fails (until
    /// `mmu_notifier_release`), so walkers skip VMAs and return -EAGAIN / retry.
    pub notifier_fails: bool,
    /// process_mrelease may receive a fatal signal while queued for mmap_lock (-EINTR).
    pub kill_mrelease: bool,
    /// Whether a process_mrelease caller takes part.
    pub mrelease: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            vmas: vec![VmaKind::A, VmaKind::L, VmaKind::F],
            notifier_fails: false,
            kill_mrelease: false,
            mrelease: true,
        }
    }
}

impl Options {
    /// Parses a VMA list such as `ALF` or `A,L,F,H`.
    pub fn parse_vmas(s: &str) -> Result<Vec<VmaKind>, String> {
        let mut out = Vec::new();
        for c in s.chars().filter(|c| !matches!(c, ',' | ' ')) {
            let k = VmaKind::from_letter(c).ok_or_else(|| {
                format!("unknown VMA '{c}' in '{s}'; use letters from A (anon), L (mlocked), F (shared file), H (hugetlb)")
            })?;
            if out.contains(&k) {
                return Err(format!("VMA '{c}' appears twice in '{s}'"));
            }
            out.push(k);
        }
        Ok(out)
    }
    pub fn vmas_string(&self) -> String {
        self.vmas.iter().map(|k| k.letter()).collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Scenario {
    pub id: ScenarioId,
    pub options: Options,
}

impl Scenario {
    pub fn new(id: ScenarioId) -> Scenario {
        Scenario {
            id,
            options: Options::default(),
        }
    }

    pub fn actors(&self) -> Vec<ActorId> {
        let mut v = vec![ActorId::V];
        if self.id != ScenarioId::UserKill {
            v.extend([ActorId::K, ActorId::R]);
        }
        if self.options.mrelease {
            v.push(ActorId::M);
        }
        if self.id == ScenarioId::ProcReader {
            v.push(ActorId::G);
        }
        v
    }

    /// The victim was SIGKILLed before the story starts.
    pub fn killed_from_user_space(&self) -> bool {
        self.id == ScenarioId::UserKill
    }
}
