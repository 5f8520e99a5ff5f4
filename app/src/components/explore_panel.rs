//! The explorer: every interleaving of the current variant and scenario, breadth first, in
//! slices (yielding to the browser between them) with progress and Cancel; then the verdict
//! ("0 violations in N states") and the bug atlas — outcomes grouped by invariant, with counts
//! and the shortest schedule of each, loadable into the stepper.
//!
//! This file is the panel's shell, in the main module; the search and its results are in
//! [`crate::components::explore_results`], a lazily loaded chunk.

use crate::components::explore_results::{results_lazy, start_lazy};
use crate::lazy::{lazy_action, lazy_view};
use crate::session::{use_session, Session};
use leptos::prelude::*;
use mmrace_core::explore::{Progress, Report};
use mmrace_core::{Model, Scenario};

/// What a search is about: the variant (with its edit list) and the scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    /// As shown: `v5.17` or `v5.17 + 2 edits`.
    pub label: String,
    pub edits: Option<String>,
    pub scenario: Scenario,
}

impl Subject {
    pub fn of(m: &Model) -> Subject {
        Subject {
            label: m.variant.label(),
            edits: m.variant.edits.clone(),
            scenario: m.scenario.clone(),
        }
    }
    /// `v5.17 + 2 edits · user-kill`.
    pub fn name(&self) -> String {
        format!("{} · {}", self.label, self.scenario.name())
    }
}

/// The explorer's state, kept across mode switches.
#[derive(Clone, Copy)]
pub struct ExploreState {
    pub report: RwSignal<Option<Report>>,
    pub subject: RwSignal<Option<Subject>>,
    pub running: RwSignal<bool>,
    /// Bumped to cancel a running search.
    pub generation: RwSignal<u64>,
    pub elapsed_ms: RwSignal<f64>,
    /// While running: how far the search has come.
    pub progress: RwSignal<Progress>,
}

pub fn provide_explore() {
    provide_context(ExploreState {
        report: RwSignal::new(None),
        subject: RwSignal::new(None),
        running: RwSignal::new(false),
        generation: RwSignal::new(0),
        elapsed_ms: RwSignal::new(0.0),
        progress: RwSignal::new(Progress::default()),
    });
}

/// Starts exploring the session's current model (its code is fetched by the first search).
pub fn start(s: Session, e: ExploreState) {
    lazy_action("the explorer", s.error, start_lazy(s, e));
}

/// Cancels a running search (its partial report stays, marked as cancelled).
pub fn cancel(e: ExploreState) {
    e.generation.update(|g| *g += 1);
    e.running.set(false);
}

/// The explore panel.
#[component]
pub fn ExplorePanel() -> impl IntoView {
    let s = use_session();
    let e = expect_context::<ExploreState>();
    let current = Memo::new(move |_| s.model.with(|m| Subject::of(m)));
    let searched = Memo::new(move |_| e.subject.with(Option::is_some));
    // The first search should not wait for its worker to start (crate::search); an embed that
    // hides the explorer does not fetch it.
    let v = crate::permalink::use_view();
    crate::dom::when_idle(crate::lazy::IDLE_LOAD_TIMEOUT_MS, move || {
        if v.shows("explore") {
            crate::search::warm();
        }
    });
    view! {
        <section class="explore-panel" data-testid="explore" aria-labelledby="explore-title">
            <header class="explore-head">
                <h2 id="explore-title" tabindex="-1">"Explore every interleaving"</h2>
                <button
                    data-testid="explore-start"
                    disabled=move || e.running.get()
                    on:click=move |_| start(s, e)
                >
                    {move || format!("Explore {}", current.with(|c| c.name()))}
                </button>
                <button data-testid="explore-cancel" disabled=move || !e.running.get() on:click=move |_| cancel(e)>
                    "Cancel"
                </button>
                <p class="hint">
                    "Breadth-first over all schedules of the untimed model, deduplicating states; the first path to each outcome is a shortest counterexample."
                </p>
            </header>
            // The explorer's code (the search, the figures, the atlas) is in a chunk of its own,
            // fetched by the first search (see crate::lazy).
            {move || searched.get().then(|| lazy_view("the explorer", || Box::pin(results_lazy())))}
        </section>
    }
}
