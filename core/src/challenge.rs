//! Challenges: small patch puzzles for teaching and talks, after Deadlock Empire's levels.
//!
//! Each challenge names a variant, the scenarios it is judged in, how many edit lines (and
//! which kinds) it allows, and a [`Goal`] over the explorer's [`Report`] for each scenario.
//! [`Challenge::judge`] applies a user's edit list and explores every interleaving; the
//! challenge is solved when every scenario's report meets the goal within the edit budget.
//! Nothing here is hard-coded per answer: any list that meets the goal solves it.

use crate::edit::{has_edits, EditError};
use crate::explore::{Explorer, Report, Status};
use crate::{Invariant, Model, Scenario, ScenarioId, Variant};

/// What the explorer must report for each scenario of a challenge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goal {
    /// Some interleaving violates this invariant.
    Violates(Invariant),
    /// No interleaving violates anything and none deadlocks.
    Safe,
    /// Some interleaving leaves an actor blocked forever.
    Deadlock,
}

impl Goal {
    pub fn met(self, r: &Report) -> bool {
        r.status == Status::Complete
            && match self {
                Goal::Violates(i) => r.violated().contains(&i),
                Goal::Safe => r.is_safe(),
                Goal::Deadlock => r.deadlocks > 0,
            }
    }
    pub fn describe(self) -> String {
        match self {
            Goal::Violates(i) => format!("some interleaving violates {} ({})", i.id(), i.name()),
            Goal::Safe => "every interleaving is safe (no violation, no deadlock)".into(),
            Goal::Deadlock => "some interleaving deadlocks".into(),
        }
    }
}

/// One puzzle.
#[derive(Clone, Copy, Debug)]
pub struct Challenge {
    /// Stable id used by links and tests.
    pub id: &'static str,
    pub title: &'static str,
    /// The variant the edits apply to.
    pub variant: &'static str,
    pub scenarios: &'static [ScenarioId],
    /// At most this many edit lines.
    pub max_edits: usize,
    /// The edit verbs allowed (`delete`, `move`, …); empty = any.
    pub verbs: &'static [&'static str],
    pub goal: Goal,
    /// Why it matters, shown once solved.
    pub lesson: &'static str,
}

pub const CHALLENGES: &[Challenge] = &[
    Challenge {
        id: "syzbot",
        title: "v5.17: delete one line to bring back the syzbot use-after-free",
        variant: "v5.17",
        scenarios: &[ScenarioId::UserKill],
        max_edits: 1,
        verbs: &["delete"],
        goal: Goal::Violates(Invariant::S2),
        lesson: "f798a1d4f94d added mm->mmap = NULL after remove_vma: without it process_mrelease walks a freed VMA list (syzbot, 5.17-rc3).",
    },
    Challenge {
        id: "overlap",
        title: "v5.16: make the reaper and exit_mmap overlap with one move",
        variant: "v5.16",
        scenarios: &[ScenarioId::OomKill],
        max_edits: 1,
        verbs: &["move"],
        goal: Goal::Violates(Invariant::S7),
        lesson: "The pre-5.17 protocol needs MMF_OOM_SKIP set before the empty write lock/unlock: any reader that got in earlier is waited for, any later one sees SKIP.",
    },
    Challenge {
        id: "fix-b4",
        title: "b4: fix 5.15-rc1's process_mrelease with at most two edits",
        variant: "b4-mrelease-mmgrab",
        scenarios: &[ScenarioId::OomKill, ScenarioId::UserKill],
        max_edits: 2,
        verbs: &[],
        goal: Goal::Safe,
        lesson: "337546e83fc7: before exit_mmap took the write lock, a walker had to pin mm_users (mmget_not_zero … mmput) so exit_mmap could not run under it.",
    },
    Challenge {
        id: "fix-b1",
        title: "b1: rebuild exit_mmap's OOM barrier with at most three inserts",
        variant: "b1-no-barrier",
        scenarios: &[ScenarioId::OomKill, ScenarioId::ProcReader],
        max_edits: 3,
        verbs: &["insert"],
        goal: Goal::Safe,
        lesson: "212925802454's barrier: set_bit(MMF_OOM_SKIP), then mmap_write_lock + mmap_write_unlock to wait out a reaper already inside its walk.",
    },
    Challenge {
        id: "hang",
        title: "v5.17: make process_mrelease hang forever with one delete",
        variant: "v5.17",
        scenarios: &[ScenarioId::UserKill],
        max_edits: 1,
        verbs: &["delete"],
        goal: Goal::Deadlock,
        lesson: "With exit_mmap holding mmap_write_lock, a missing unlock is a hang, not a crash: the checker reports the blocked actor.",
    },
    Challenge {
        id: "munlock",
        title: "v5.17: bring back the munlock race (S4) by moving one line",
        variant: "v5.17",
        scenarios: &[ScenarioId::OomKill],
        max_edits: 1,
        verbs: &["move"],
        goal: Goal::Violates(Invariant::S4),
        lesson: "64591e8605d6 keeps unlock_range under mmap_write_lock: a reaper under mmap_read_lock must never see a VMA whose VM_LOCKED munlock just cleared.",
    },
];

pub fn by_id(id: &str) -> Option<&'static Challenge> {
    CHALLENGES.iter().find(|c| c.id == id)
}

/// The scenarios a re-check explores: the stepper's `current` one first, then the other
/// scenarios the challenge is judged in, when the challenge is played on `variant`.
pub fn scenarios_to_check(
    current: &Scenario,
    variant: &str,
    challenge: Option<&str>,
) -> Vec<Scenario> {
    let mut out = vec![current.clone()];
    if let Some(c) = challenge.and_then(by_id).filter(|c| c.variant == variant) {
        for id in c.scenarios {
            let sc = Scenario::new(*id);
            if !out.contains(&sc) {
                out.push(sc);
            }
        }
    }
    out
}

/// The outcome of judging an edit list.
#[derive(Clone, Debug)]
pub struct Judgement {
    pub solved: bool,
    /// Edit lines used.
    pub edits: usize,
    /// One line per reason it is not solved (empty when solved).
    pub missing: Vec<String>,
    pub reports: Vec<Report>,
}

impl Challenge {
    /// Every edit line's verb is allowed and there are at most `max_edits` of them.
    pub fn budget(&self, text: &str) -> (usize, Vec<String>) {
        let mut n = 0;
        let mut bad = Vec::new();
        for l in text.lines().filter(|l| has_edits(l)) {
            n += 1;
            let verb = l.split_whitespace().next().unwrap_or("");
            if !self.verbs.is_empty() && !self.verbs.contains(&verb) {
                bad.push(format!(
                    "'{verb}' is not allowed here (only {})",
                    self.verbs.join(", ")
                ));
            }
        }
        if n > self.max_edits {
            bad.push(format!("{n} edits; at most {} allowed", self.max_edits));
        }
        (n, bad)
    }

    /// The edited variant for `text` (a refusal is an [`EditError`]).
    pub fn variant(&self, text: &str) -> Result<Variant, EditError> {
        let v = Variant::by_id(self.variant).map_err(|why| EditError {
            line: 0,
            edit: String::new(),
            why,
        })?;
        v.with_edits(text)
    }

    /// Applies `text` and explores every scenario of the challenge.
    pub fn judge(&self, text: &str) -> Result<Judgement, EditError> {
        let v = self.variant(text)?;
        let reports: Vec<Report> = self
            .scenarios
            .iter()
            .map(|sc| {
                let mut e = Explorer::new(
                    Model::new(v.clone(), Scenario::new(*sc)),
                    Default::default(),
                );
                e.run(u64::MAX);
                e.report()
            })
            .collect();
        Ok(self.judge_reports(text, reports))
    }

    /// Judges reports the caller already has (the app explores in slices).
    pub fn judge_reports(&self, text: &str, reports: Vec<Report>) -> Judgement {
        let (edits, mut missing) = self.budget(text);
        if edits == 0 {
            missing.push("no edits yet".into());
        }
        for r in &reports {
            if !self.goal.met(r) {
                missing.push(format!(
                    "{}: not yet — want {}",
                    r.scenario,
                    self.goal.describe()
                ));
            }
        }
        Judgement {
            solved: missing.is_empty(),
            edits,
            missing,
            reports,
        }
    }
}
