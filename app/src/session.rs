//! The stepper's session: the chosen variant and scenario, the recorded run, the scheduler
//! policy and autoplay, as Leptos signals shared through context.
//!
//! Every operation here is a thin call into `mmrace-core` (`Run::step`, `back`, `jump`,
//! `apply`, `Policy::choose`); the session only decides which signal to update.

use leptos::prelude::*;
use mmrace_core::actor::ActorId;
use mmrace_core::policy::Policy;
use mmrace_core::run::Run;
use mmrace_core::schedule::Schedule;
use mmrace_core::sim::State;
use mmrace_core::{Model, Scenario, ScenarioId, Variant};
use std::sync::Arc;

/// The variant a fresh page starts with: the patch without its fix, where the story is.
pub const DEFAULT_VARIANT: &str = "v5.17-rc1";

/// Which big view is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Stepper,
    Compare,
}

/// Autoplay speeds in milliseconds per step, slowest first.
pub const SPEEDS_MS: [u32; 6] = [2000, 1200, 800, 500, 250, 100];

/// All signals of one stepper session. `Copy`: pass it around freely.
#[derive(Clone, Copy)]
pub struct Session {
    pub variant_id: RwSignal<String>,
    pub scenario: RwSignal<Scenario>,
    /// The model of the current run (changes only on reset).
    pub model: RwSignal<Arc<Model>>,
    pub run: RwSignal<Run>,
    pub policy: RwSignal<Policy>,
    pub playing: RwSignal<bool>,
    /// Index into [`SPEEDS_MS`].
    pub speed: RwSignal<usize>,
    /// The last error of a user action (a schedule that failed, a bad option), shown by the UI.
    pub error: RwSignal<Option<String>>,
    pub help_open: RwSignal<bool>,
    pub mode: RwSignal<Mode>,
    /// The patch playground's edit list on top of the variant (empty: the variant as shipped).
    pub edits: RwSignal<String>,
    /// The patch playground (edit mode) is open.
    pub editing: RwSignal<bool>,
    /// The challenge being played (`mmrace_core::challenge`), by id.
    pub challenge: RwSignal<Option<&'static str>>,
    /// Current position in the run (0 = initial state).
    pub pos: Memo<usize>,
    /// Number of recorded steps.
    pub len: Memo<usize>,
    /// The state at the current position.
    pub state: Memo<State>,
}

impl Session {
    /// A session on `variant` × `scenario`; an unknown variant falls back to the default.
    pub fn new(variant: &str, scenario: Scenario) -> Session {
        let (id, model) = match build_model(variant, "", &scenario) {
            Ok(m) => (variant.to_string(), m),
            Err(_) => (
                DEFAULT_VARIANT.to_string(),
                build_model(DEFAULT_VARIANT, "", &scenario).expect("the default variant builds"),
            ),
        };
        let run = RwSignal::new(Run::new(model.clone()));
        Session {
            variant_id: RwSignal::new(id),
            scenario: RwSignal::new(scenario),
            model: RwSignal::new(Arc::new(model)),
            run,
            policy: RwSignal::new(Policy::Manual),
            playing: RwSignal::new(false),
            speed: RwSignal::new(2),
            error: RwSignal::new(None),
            help_open: RwSignal::new(false),
            mode: RwSignal::new(Mode::Stepper),
            edits: RwSignal::new(String::new()),
            editing: RwSignal::new(false),
            challenge: RwSignal::new(None),
            pos: Memo::new(move |_| run.with(|r| r.pos())),
            len: Memo::new(move |_| run.with(|r| r.len())),
            state: Memo::new(move |_| run.with(|r| *r.state())),
        }
    }

    /// Starts a fresh run of the chosen variant and scenario (the policy restarts too).
    pub fn reset(&self) {
        self.playing.set(false);
        let id = self.variant_id.get_untracked();
        let scenario = self.scenario.get_untracked();
        let edits = self.edits.get_untracked();
        match build_model(&id, &edits, &scenario) {
            Ok(m) => self.load_model(m),
            Err(e) => self.error.set(Some(e)),
        }
    }

    /// Replaces the model (used by reset and by the benchmark hook).
    pub fn load_model(&self, model: Model) {
        self.playing.set(false);
        self.error.set(None);
        self.run.set(Run::new(model.clone()));
        self.model.set(Arc::new(model));
        self.policy.update(restart_policy);
    }

    /// Replaces the model and the run (a permalink's run, the benchmark hook's long one); the
    /// edit list follows the run's variant.
    pub fn load_run(&self, run: Run) {
        self.playing.set(false);
        self.error.set(None);
        let edits = run.model.variant.edits.clone().unwrap_or_default();
        if self.edits.get_untracked() != edits {
            self.edits.set(edits);
        }
        self.model.set(Arc::new(run.model.clone()));
        self.run.set(run);
    }

    /// Switches variant; an edit list belongs to its variant, so it is dropped, and so is a
    /// challenge played on another variant.
    pub fn set_variant(&self, id: &str) {
        self.variant_id.set(id.to_string());
        self.edits.set(String::new());
        let other = self
            .challenge
            .get_untracked()
            .and_then(mmrace_core::challenge::by_id)
            .is_some_and(|c| c.variant != id);
        if other {
            self.challenge.set(None);
        }
        self.reset();
    }

    /// Starts a challenge: its variant, its first scenario, no edits yet, edit mode open.
    /// `None` leaves the challenge (the variant and edits stay).
    pub fn set_challenge(&self, id: Option<&str>) {
        let Some(c) = id.and_then(mmrace_core::challenge::by_id) else {
            self.challenge.set(None);
            return;
        };
        self.challenge.set(Some(c.id));
        self.variant_id.set(c.variant.to_string());
        self.edits.set(String::new());
        if let Some(first) = c.scenarios.first() {
            self.scenario.set(Scenario::new(*first));
        }
        self.editing.set(true);
        self.reset();
    }

    /// Applies an edit list to the chosen variant and starts a fresh run of the result. A list
    /// that cannot apply is refused with the core's one-line reason and changes nothing.
    pub fn set_edits(&self, text: &str) -> Result<(), String> {
        let id = self.variant_id.get_untracked();
        let m = build_model(&id, text, &self.scenario.get_untracked())?;
        self.edits.set(text.to_string());
        self.load_model(m);
        Ok(())
    }

    pub fn set_scenario(&self, scenario: Scenario) {
        self.scenario.set(scenario);
        self.reset();
    }

    /// Steps actor `a`; a blocked actor leaves the run unchanged and reports why.
    pub fn step(&self, a: ActorId) -> Result<(), String> {
        let mut out = Ok(());
        self.run.update(|r| {
            if let Err(e) = r.step(a) {
                out = Err(e.message);
            }
        });
        match &out {
            // Only when there is one to clear: setting a signal notifies its readers.
            Ok(()) => {
                if self.error.with_untracked(Option::is_some) {
                    self.error.set(None)
                }
            }
            Err(e) => self.error.set(Some(e.clone())),
        }
        out
    }

    /// One step "forward": replays the next recorded step if there is one, otherwise lets the
    /// policy pick an actor. Returns false when nothing happened (manual policy at the end, or
    /// every actor blocked or done).
    pub fn advance(&self) -> bool {
        if self.pos.get_untracked() < self.len.get_untracked() {
            self.forward();
            return true;
        }
        self.step_by_policy()
    }

    /// Lets the scheduler policy choose the next actor and steps it.
    pub fn step_by_policy(&self) -> bool {
        let enabled = self.run.with_untracked(|r| r.enabled());
        let mut pick = None;
        self.policy.update(|p| pick = p.choose(&enabled));
        match pick {
            Some(a) => self.step(a).is_ok(),
            None => false,
        }
    }

    pub fn back(&self) {
        if self.pos.get_untracked() > 0 {
            self.run.update(|r| {
                r.back();
            });
        }
    }

    pub fn forward(&self) {
        if self.pos.get_untracked() < self.len.get_untracked() {
            self.run.update(|r| {
                r.forward();
            });
        }
    }

    /// Moves to position `i` (clamped to the recorded steps).
    pub fn jump(&self, i: usize) {
        if i != self.pos.get_untracked() {
            self.run.update(|r| r.jump(i));
        }
    }

    pub fn to_start(&self) {
        self.jump(0);
    }

    pub fn to_end(&self) {
        self.jump(self.len.get_untracked());
    }

    /// Resets, then replays `text` as a schedule. On failure the run stays where the replay
    /// stopped and the error says which item failed and why.
    pub fn replay(&self, text: &str) -> Result<(), String> {
        let schedule = match Schedule::parse(text) {
            Ok(s) => s,
            Err(e) => {
                self.error.set(Some(e.clone()));
                return Err(e);
            }
        };
        self.reset();
        let mut out = Ok(());
        self.run.update(|r| {
            if let Err(e) = r.apply(&schedule) {
                out = Err(e.message);
            }
        });
        if let Err(e) = &out {
            self.error.set(Some(e.clone()));
        }
        out
    }

    /// The recorded run written as a schedule.
    pub fn schedule_text(&self) -> String {
        self.run.with(|r| r.schedule().to_string())
    }

    /// The actors of the scenario, in column order.
    pub fn actors(&self) -> Vec<ActorId> {
        self.model.with(|m| m.scenario.actors())
    }

    pub fn speed_ms(&self) -> u32 {
        SPEEDS_MS[self.speed.get().min(SPEEDS_MS.len() - 1)]
    }

    pub fn faster(&self) {
        self.speed
            .update(|s| *s = (*s + 1).min(SPEEDS_MS.len() - 1));
    }

    pub fn slower(&self) {
        self.speed.update(|s| *s = s.saturating_sub(1));
    }
}

/// Starts a policy over again (the random one from its seed).
pub fn restart_policy(p: &mut Policy) {
    *p = match p {
        Policy::Manual => Policy::Manual,
        Policy::RoundRobin { .. } => Policy::round_robin(),
        Policy::Random { seed, .. } => Policy::random(*seed),
    };
}

/// The model for a variant id with an edit list (may be empty) and a scenario, or the core's
/// error message.
pub fn build_model(variant: &str, edits: &str, scenario: &Scenario) -> Result<Model, String> {
    let v = crate::edits::with_edits(&Variant::by_id(variant)?, edits)?;
    Ok(Model::new(v, scenario.clone()))
}

/// The default scenario for a fresh page.
pub fn default_scenario() -> Scenario {
    Scenario::new(ScenarioId::UserKill)
}

/// Provides the session to the component tree.
pub fn provide_session(s: Session) {
    provide_context(s);
}

/// The session provided by the app root.
pub fn use_session() -> Session {
    expect_context::<Session>()
}
