//! A run: the states and steps of one interleaving, with cheap step-back and jump.
//!
//! Every [`State`] is a small `Copy` value, so the run simply keeps all of them: stepping back
//! or jumping to step *k* of a 10,000-step trace is an index, never a replay. Stepping from a
//! position before the end discards the steps after it (a new branch), as an editor's undo does.

use crate::actor::ActorId;
use crate::check::Violation;
use crate::schedule::{step_matches, Item, Schedule, Until};
use crate::sim::{Model, State, StepError, StepInfo};

/// Most steps one schedule item may take (every program terminates far sooner).
const MAX_STEPS_PER_ITEM: usize = 10_000;

#[derive(Clone, Debug)]
pub struct Run {
    pub model: Model,
    /// `states[0]` is the initial state; `states[i + 1]` follows `steps[i]`.
    states: Vec<State>,
    steps: Vec<StepInfo>,
    /// Indexes of the recorded steps that violate an invariant, ascending. Kept as the run
    /// grows so that the UI's per-step violation views cost O(violations), not O(run length).
    violating: Vec<usize>,
    /// The current position, `0..=steps.len()`.
    pos: usize,
}

/// Replaying a schedule failed at one item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayError {
    /// 0-based index of the failing item.
    pub item: usize,
    /// Steps that were executed before the failure.
    pub steps_done: usize,
    pub message: String,
}

impl std::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl Run {
    pub fn new(model: Model) -> Run {
        let s0 = model.initial();
        Run {
            model,
            states: vec![s0],
            steps: Vec::new(),
            violating: Vec::new(),
            pos: 0,
        }
    }

    /// The state at the current position.
    pub fn state(&self) -> &State {
        &self.states[self.pos]
    }
    pub fn state_at(&self, i: usize) -> &State {
        &self.states[i]
    }
    pub fn pos(&self) -> usize {
        self.pos
    }
    /// Number of recorded steps (the current position may be earlier).
    pub fn len(&self) -> usize {
        self.steps.len()
    }
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
    /// All recorded steps.
    pub fn steps(&self) -> &[StepInfo] {
        &self.steps
    }
    /// The steps up to the current position.
    pub fn steps_so_far(&self) -> &[StepInfo] {
        &self.steps[..self.pos]
    }
    /// The state *before* each recorded step.
    pub fn befores(&self) -> &[State] {
        &self.states[..self.steps.len()]
    }

    pub fn enabled(&self) -> Vec<ActorId> {
        self.model.enabled(self.state())
    }

    /// Steps `a` from the current position (discarding any later recorded steps).
    pub fn step(&mut self, a: ActorId) -> Result<&StepInfo, StepError> {
        let (next, info) = self.model.step(self.state(), a)?;
        self.states.truncate(self.pos + 1);
        self.steps.truncate(self.pos);
        let kept = self.violating.partition_point(|&i| i < self.pos);
        self.violating.truncate(kept);
        if !info.violations.is_empty() {
            self.violating.push(self.pos);
        }
        self.states.push(next);
        self.steps.push(info);
        self.pos += 1;
        Ok(&self.steps[self.pos - 1])
    }

    pub fn back(&mut self) -> bool {
        if self.pos > 0 {
            self.pos -= 1;
            true
        } else {
            false
        }
    }
    pub fn forward(&mut self) -> bool {
        if self.pos < self.steps.len() {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    /// Moves to position `i` (clamped to the recorded length).
    pub fn jump(&mut self, i: usize) {
        self.pos = i.min(self.steps.len());
    }

    /// Executes one schedule item.
    pub fn apply_item(&mut self, item: &Item) -> Result<usize, String> {
        let mut n = 0;
        loop {
            let before = *self.state();
            if let Some(b) = self.model.blocked(&before, item.actor) {
                if item.until == Until::Blocked && n > 0 {
                    return Ok(n);
                }
                let why = self.model.why_blocked(&before, item.actor, b);
                return Err(match &item.until {
                    Until::Label(l) if n > 0 => {
                        format!(
                            "{item}: {} stopped after {n} step(s) before executing '{l}': {why}",
                            item.actor
                        )
                    }
                    _ => format!("{item}: {why}"),
                });
            }
            let info = self.step(item.actor).map_err(|e| e.message)?.clone();
            n += 1;
            match &item.until {
                Until::One => return Ok(n),
                Until::Label(l) => {
                    if step_matches(&self.model, &before, &info, l) {
                        return Ok(n);
                    }
                }
                Until::Blocked => {}
            }
            if n >= MAX_STEPS_PER_ITEM {
                return Err(format!("{item}: gave up after {n} steps"));
            }
        }
    }

    /// Replays a schedule from the current position; stops at the first failing item.
    pub fn apply(&mut self, schedule: &Schedule) -> Result<(), ReplayError> {
        for (i, item) in schedule.items.iter().enumerate() {
            if let Err(message) = self.apply_item(item) {
                return Err(ReplayError {
                    item: i,
                    steps_done: self.pos,
                    message: format!("item {} of {}: {message}", i + 1, schedule.items.len()),
                });
            }
        }
        Ok(())
    }

    /// Lets `policy` pick up to `max_steps` steps; stops early when nothing can step or the
    /// policy is manual. Returns the number of steps taken.
    pub fn autoplay(&mut self, policy: &mut crate::policy::Policy, max_steps: usize) -> usize {
        let mut n = 0;
        while n < max_steps {
            let Some(a) = policy.choose(&self.enabled()) else {
                break;
            };
            if self.step(a).is_err() {
                break;
            }
            n += 1;
        }
        n
    }

    /// The recorded steps written back as a compact schedule.
    pub fn schedule(&self) -> Schedule {
        crate::schedule::compress(&self.model, self.befores(), &self.steps)
    }

    /// The actor of each recorded step.
    pub fn choices(&self) -> Vec<ActorId> {
        self.steps.iter().map(|s| s.actor).collect()
    }

    /// Indexes of the recorded steps (up to the end, past the current position too) that
    /// violate an invariant, ascending.
    pub fn violating_steps(&self) -> &[usize] {
        &self.violating
    }

    /// Indexes of the violating steps among the first `upto` recorded steps.
    pub fn violating_steps_before(&self, upto: usize) -> &[usize] {
        &self.violating[..self.violating.partition_point(|&i| i < upto)]
    }

    /// Violations up to the current position, with the step index where each fired.
    pub fn violations(&self) -> Vec<(usize, Violation)> {
        self.violating_steps_before(self.pos)
            .iter()
            .flat_map(|&i| self.steps[i].violations.iter().map(move |v| (i, *v)))
            .collect()
    }

    /// The instance label of recorded step `i`.
    pub fn label(&self, i: usize) -> String {
        self.model.label(&self.steps[i], &self.states[i])
    }
}
