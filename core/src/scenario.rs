//! Scenarios: who kills the victim, which bystanders take part, which VMAs the mm has, and the
//! options (spec §6.8).
//!
//! A scenario is a combination of parts:
//!
//! * **kill** ([`Kill`]) — who kills V: `user` (SIGKILL is pending from the start), `oom` (the OOM
//!   killer K picks V and sends it), or `user,oom` (both race: K may run before or after V's
//!   `exit_mm`, and then does what the kernel does: the `task_will_free_mem` shortcut of
//!   `oom_kill_process` while V still has its mm, `find_lock_task_mm` finding no `->mm` after).
//!   The oom_reaper R exists exactly when an OOM kill is possible.
//! * **mrelease** — 0, 1 or 2 `process_mrelease` callers (M1, M2).
//! * **readers** — 0, 1 or 2 `/proc` readers holding `mm_users` (G1, G2), whose `mmput` can be
//!   the last.
//!
//! The three scenarios of earlier versions are presets ([`ScenarioId`]): `oom-kill` = oom, one M;
//! `user-kill` = user, one M; `proc-reader` = oom, one M, one G. A scenario that equals a preset
//! is named by it, so old links and traces name the same thing.

use crate::actor::ActorId;
use crate::mm::VmaKind;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The preset scenarios (the three fixed scenarios of format version 1).
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
                format!("unknown scenario '{s}'; known scenarios: oom-kill, user-kill, proc-reader (or build one with --kill, --mrelease, --readers)")
            })
    }
    pub fn describe(self) -> &'static str {
        match self {
            ScenarioId::OomKill => "The OOM killer picks V, marks it (MMF_OOM_VICTIM) and queues the oom_reaper; process_mrelease also targets V.",
            ScenarioId::UserKill => "V was SIGKILLed from user space (not an OOM victim) and process_mrelease reaps it; no OOM killer, no reaper.",
            ScenarioId::ProcReader => "As oom-kill, plus a /proc reader holding mm_users whose mmput may be the last.",
        }
    }
    /// The combination this preset stands for.
    pub fn parts(self) -> (Kill, u8, u8) {
        match self {
            ScenarioId::OomKill => (Kill::Oom, 1, 0),
            ScenarioId::UserKill => (Kill::User, 1, 0),
            ScenarioId::ProcReader => (Kill::Oom, 1, 1),
        }
    }
}

/// Who kills the victim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Kill {
    /// SIGKILL from user space, pending before the story starts. No OOM killer, no reaper.
    #[serde(rename = "user")]
    User,
    /// The OOM killer picks V and sends the SIGKILL; the oom_reaper takes part.
    #[serde(rename = "oom")]
    Oom,
    /// Both: a user SIGKILL is pending and the OOM killer picks V too, at any moment.
    #[serde(rename = "user,oom")]
    UserOom,
}

impl Kill {
    pub const ALL: [Kill; 3] = [Kill::User, Kill::Oom, Kill::UserOom];
    pub fn id(self) -> &'static str {
        match self {
            Kill::User => "user",
            Kill::Oom => "oom",
            Kill::UserOom => "user,oom",
        }
    }
    /// Parses `user`, `oom`, `user,oom` (also `oom,user`, `user+oom`).
    pub fn parse(s: &str) -> Result<Kill, String> {
        let mut user = false;
        let mut oom = false;
        for p in s.split([',', '+', ' ']).filter(|p| !p.is_empty()) {
            match p {
                "user" => user = true,
                "oom" => oom = true,
                _ => {
                    return Err(format!(
                        "unknown kill '{p}' in '{s}'; use user, oom or user,oom"
                    ))
                }
            }
        }
        match (user, oom) {
            (true, false) => Ok(Kill::User),
            (false, true) => Ok(Kill::Oom),
            (true, true) => Ok(Kill::UserOom),
            (false, false) => Err(format!("empty kill '{s}'; use user, oom or user,oom")),
        }
    }
    /// A SIGKILL is pending from the start.
    pub fn user(self) -> bool {
        matches!(self, Kill::User | Kill::UserOom)
    }
    /// The OOM killer (and so the oom_reaper) takes part.
    pub fn oom(self) -> bool {
        matches!(self, Kill::Oom | Kill::UserOom)
    }
}

/// Most process_mrelease callers, and most `/proc` readers, in a scenario.
pub const MAX_BYSTANDERS: u8 = 2;

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
}

impl Default for Options {
    fn default() -> Options {
        Options {
            vmas: vec![VmaKind::A, VmaKind::L, VmaKind::F],
            notifier_fails: false,
            kill_mrelease: false,
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

/// A scenario: the combination of kill, bystanders and options.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Scenario {
    pub kill: Kill,
    /// process_mrelease callers: 0, 1 or 2.
    pub mrelease: u8,
    /// `/proc` readers holding `mm_users`: 0, 1 or 2.
    pub readers: u8,
    pub options: Options,
}

impl Scenario {
    /// A preset with default options.
    pub fn new(id: ScenarioId) -> Scenario {
        let (kill, mrelease, readers) = id.parts();
        Scenario {
            kill,
            mrelease,
            readers,
            options: Options::default(),
        }
    }

    /// A combination with default options; counts above [`MAX_BYSTANDERS`] are an error.
    pub fn combination(kill: Kill, mrelease: u8, readers: u8) -> Result<Scenario, String> {
        for (what, n) in [
            ("process_mrelease callers", mrelease),
            ("/proc readers", readers),
        ] {
            if n > MAX_BYSTANDERS {
                return Err(format!(
                    "{n} {what}: a scenario has 0, 1 or {MAX_BYSTANDERS}"
                ));
            }
        }
        Ok(Scenario {
            kill,
            mrelease,
            readers,
            options: Options::default(),
        })
    }

    /// The preset this combination is, if any (options aside).
    pub fn preset(&self) -> Option<ScenarioId> {
        ScenarioId::ALL
            .into_iter()
            .find(|p| p.parts() == (self.kill, self.mrelease, self.readers))
    }

    /// The preset id, or `kill=… mrelease=N readers=N`. [`Scenario::parse_name`] reads it back.
    pub fn name(&self) -> String {
        match self.preset() {
            Some(p) => p.id().to_string(),
            None => format!(
                "kill={} mrelease={} readers={}",
                self.kill.id(),
                self.mrelease,
                self.readers
            ),
        }
    }

    /// Parses a [`Scenario::name`]: a preset id, or `kill=K mrelease=N readers=N` (any order;
    /// missing parts as in `oom-kill`). Options are the defaults.
    pub fn parse_name(s: &str) -> Result<Scenario, String> {
        let s = s.trim();
        if !s.contains('=') {
            return ScenarioId::parse(s).map(Scenario::new);
        }
        let mut sc = Scenario::new(ScenarioId::OomKill);
        for part in s.split([' ', '&', ';']).filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| format!("scenario part '{part}' is not key=value"))?;
            match k {
                "kill" => sc.kill = Kill::parse(v)?,
                "mrelease" => sc.mrelease = parse_count(v, "mrelease")?,
                "readers" => sc.readers = parse_count(v, "readers")?,
                _ => {
                    return Err(format!(
                        "unknown scenario part '{k}'; use kill=, mrelease=, readers="
                    ))
                }
            }
        }
        Ok(sc)
    }

    /// A sentence describing the combination.
    pub fn describe(&self) -> String {
        if let Some(p) = self.preset() {
            return p.describe().to_string();
        }
        let kill = match self.kill {
            Kill::User => "V was SIGKILLed from user space (no OOM killer, no reaper)",
            Kill::Oom => "The OOM killer picks V, marks it and queues the oom_reaper",
            Kill::UserOom => "V was SIGKILLed from user space and the OOM killer picks it too, before or after V's exit_mm; the oom_reaper is queued if K marks V",
        };
        let count = |n: u8, one: &str, many: &str| match n {
            0 => format!("no {one}"),
            1 => format!("one {one}"),
            n => format!("{n} {many}"),
        };
        format!(
            "{kill}; {}; {}.",
            count(
                self.mrelease,
                "process_mrelease caller",
                "process_mrelease callers"
            ),
            count(
                self.readers,
                "/proc reader holding mm_users",
                "/proc readers holding mm_users"
            )
        )
    }

    pub fn actors(&self) -> Vec<ActorId> {
        let mut v = vec![ActorId::V];
        if self.kill.oom() {
            v.extend([ActorId::K, ActorId::R]);
        }
        v.extend(
            [ActorId::M1, ActorId::M2]
                .into_iter()
                .take(self.mrelease as usize),
        );
        v.extend(
            [ActorId::G1, ActorId::G2]
                .into_iter()
                .take(self.readers as usize),
        );
        v
    }

    /// The victim was SIGKILLed before the story starts.
    pub fn killed_from_user_space(&self) -> bool {
        self.kill.user()
    }

    /// How an actor is headed in this scenario: `M1`/`M2` when there are two of its kind, else
    /// its plain name (`M`).
    pub fn actor_heading(&self, a: ActorId) -> &'static str {
        let two = match a.role() {
            crate::actor::Role::Mrelease => self.mrelease > 1,
            crate::actor::Role::ProcReader => self.readers > 1,
            _ => false,
        };
        if two {
            a.numbered()
        } else {
            a.name()
        }
    }
}

fn parse_count(v: &str, what: &str) -> Result<u8, String> {
    v.parse::<u8>()
        .ok()
        .filter(|n| *n <= MAX_BYSTANDERS)
        .ok_or_else(|| format!("bad {what} count '{v}'; use 0, 1 or {MAX_BYSTANDERS}"))
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}
