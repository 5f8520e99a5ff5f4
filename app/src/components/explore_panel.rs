//! The explorer: every interleaving of the current variant and scenario, breadth first, in
//! slices (yielding to the browser between them) with progress and Cancel; then the verdict
//! ("0 violations in N states") and the bug atlas — outcomes grouped by invariant, with counts
//! and the shortest schedule of each, loadable into the stepper.
//!
//! A slice lasts about [`SLICE_MS`]: its transition budget follows the measured rate, so the
//! page stays responsive on a slow or busy machine too (no task near the 50 ms of a long task;
//! `e2e/long-tasks.test.mjs`). Between slices it yields through a `MessageChannel` message, not
//! `setTimeout(0)`, which browsers clamp to 4 ms once timers nest. While it runs only the counts
//! are shown; the atlas (a replayed schedule per outcome) is built once, at the end or on Cancel.

use crate::components::atlas::Atlas;
use crate::session::{use_session, Session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mmrace_core::explore::{Bounds, Explorer, Progress, Report, Status};
use mmrace_core::view::verdict;
use mmrace_core::Scenario;

/// Wall time a slice aims at before it yields to the browser.
pub const SLICE_MS: f64 = 10.0;
/// Transition budget of the first slice (then adapted to [`SLICE_MS`]).
pub const FIRST_SLICE: u64 = 2_000;

/// The explorer's state, kept across mode switches.
#[derive(Clone, Copy)]
pub struct ExploreState {
    pub report: RwSignal<Option<Report>>,
    /// What the report is about: (variant id, scenario).
    pub subject: RwSignal<Option<(String, Scenario)>>,
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

fn now_ms() -> f64 {
    if cfg!(target_arch = "wasm32") {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    } else {
        0.0
    }
}

/// Starts exploring the session's current model.
pub fn start(s: Session, e: ExploreState) {
    let model = (*s.model.get_untracked()).clone();
    let gen = e.generation.get_untracked() + 1;
    e.generation.set(gen);
    e.subject.set(Some((
        model.variant.info.id.to_string(),
        model.scenario.clone(),
    )));
    e.report.set(None);
    e.running.set(true);
    e.progress.set(Progress::default());
    let t0 = now_ms();
    spawn_local(async move {
        let mut ex = Explorer::new(model, Bounds::default());
        let yielder = crate::dom::Yielder::new();
        let mut budget = FIRST_SLICE;
        loop {
            if e.generation.get_untracked() != gen {
                // Cancelled: keep what was found so far (status Running marks it cancelled),
                // unless a new search has started meanwhile.
                if !e.running.get_untracked() {
                    e.report.set(Some(ex.report()));
                }
                return;
            }
            let t = now_ms();
            let status = ex.run(budget);
            let dt = now_ms() - t;
            budget = next_budget(budget, dt);
            e.elapsed_ms.set(now_ms() - t0);
            if status != Status::Running {
                e.report.set(Some(ex.report()));
                e.running.set(false);
                return;
            }
            e.progress.set(ex.progress());
            yielder.yield_now().await;
        }
    });
}

/// The next slice's transition budget: the last slice's rate times [`SLICE_MS`], changing at
/// most 4× a slice (one slow slice, e.g. a rehash or a busy machine, does not swing it wildly).
pub fn next_budget(budget: u64, dt_ms: f64) -> u64 {
    if dt_ms.is_nan() || dt_ms <= 0.1 {
        return budget.saturating_mul(4).min(1_000_000);
    }
    let aim = (budget as f64 * SLICE_MS / dt_ms) as u64;
    aim.clamp(
        (budget / 4).max(100),
        budget.saturating_mul(4).min(1_000_000),
    )
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
    let current = Memo::new(move |_| (s.variant_id.get(), s.scenario.get()));
    let stale = move || e.subject.get().is_some_and(|subj| subj != current.get());
    let load = move |schedule: String| {
        if s.replay(&schedule).is_ok() {
            if let Some(w) = web_sys::window() {
                w.scroll_to_with_x_and_y(0.0, 0.0);
            }
        }
    };
    view! {
        <section class="explore-panel" data-testid="explore" aria-labelledby="explore-title">
            <header class="explore-head">
                <h2 id="explore-title" tabindex="-1">"Explore every interleaving"</h2>
                <button
                    data-testid="explore-start"
                    disabled=move || e.running.get()
                    on:click=move |_| start(s, e)
                >
                    {move || format!("Explore {} · {}", s.variant_id.get(), s.scenario.with(|sc| sc.name()))}
                </button>
                <button data-testid="explore-cancel" disabled=move || !e.running.get() on:click=move |_| cancel(e)>
                    "Cancel"
                </button>
                <p class="hint">
                    "Breadth-first over all schedules of the untimed model, deduplicating states; the first path to each outcome is a shortest counterexample."
                </p>
            </header>
            {move || {
                e.running.get().then(|| {
                    let p = e.progress.get();
                    let subject = e
                        .subject
                        .get()
                        .map(|(v, sc)| format!("{v} · {}", sc.name()))
                        .unwrap_or_default();
                    view! {
                        <div class="explore-progress" data-testid="explore-progress" data-running="true"
                            data-states=p.states.to_string() data-frontier=p.frontier.to_string()
                            data-depth=p.depth.to_string()>
                            // Expanded states out of those found so far (the frontier is the rest).
                            <progress aria-label="exploration progress: states expanded of states found"
                                value=(p.states - p.frontier).to_string() max=p.states.max(1).to_string()></progress>
                            <span class="explore-subject">{subject}</span>
                            <dl class="explore-figures">
                                <div><dt>"states so far"</dt><dd>{p.states.to_string()}</dd></div>
                                <div><dt>"frontier"</dt><dd title="states found but not yet expanded">{p.frontier.to_string()}</dd></div>
                                <div><dt>"depth"</dt><dd title="steps from the initial state of the states being expanded">{p.depth.to_string()}</dd></div>
                                <div><dt>"transitions"</dt><dd>{p.transitions.to_string()}</dd></div>
                                <div><dt>"time"</dt><dd>{format!("{:.1} s", e.elapsed_ms.get() / 1000.0)}</dd></div>
                            </dl>
                            <span class="explore-status">"running…"</span>
                        </div>
                    }
                })
            }}
            {move || {
                e.report.get().filter(|_| !e.running.get()).map(|r| {
                    let running = false;
                    let cancelled = !running && r.status == Status::Running;
                    let subject = e
                        .subject
                        .get()
                        .map(|(v, sc)| format!("{v} · {}", sc.name()))
                        .unwrap_or_default();
                    let safe = r.is_safe();
                    view! {
                        <div class="explore-progress" data-testid="explore-progress" data-running=running.to_string()
                            data-states=r.states.to_string() data-frontier=r.frontier.to_string()
                            data-depth=r.depth.to_string()>
                            // Expanded states out of those found so far: the share of the known
                            // state space already explored (the frontier is the rest).
                            <progress aria-label="exploration progress: states expanded of states found"
                                value=(r.states - r.frontier).to_string() max=r.states.max(1).to_string()></progress>
                            <span class="explore-subject">{subject.clone()}</span>
                            <dl class="explore-figures">
                                <div><dt>"states so far"</dt><dd data-testid="explore-states">{r.states.to_string()}</dd></div>
                                <div><dt>"frontier"</dt><dd data-testid="explore-frontier"
                                    title="states found but not yet expanded">{r.frontier.to_string()}</dd></div>
                                <div><dt>"depth"</dt><dd data-testid="explore-depth"
                                    title="steps from the initial state of the states being expanded">{r.depth.to_string()}</dd></div>
                                <div><dt>"transitions"</dt><dd>{r.transitions.to_string()}</dd></div>
                                <div><dt>"time"</dt><dd>{format!("{:.1} s", e.elapsed_ms.get() / 1000.0)}</dd></div>
                            </dl>
                            <span class="explore-status">
                                {if running { "running…" } else if cancelled { "cancelled" } else { "complete" }}
                            </span>
                        </div>
                        {(!running && !cancelled).then(|| view! {
                            <p class=if safe { "verdict safe" } else { "verdict unsafe" } data-testid="explore-verdict"
                                data-safe=safe.to_string()>
                                <span aria-hidden="true">{if safe { "✓ " } else { "⚠ " }}</span>
                                {verdict(&r)}
                            </p>
                        })}
                        {stale().then(|| view! {
                            <p class="hint" data-testid="explore-stale">
                                "This result is for " {subject.clone()} "; the stepper now shows another variant or scenario."
                            </p>
                        })}
                        <Atlas report=r.clone() stale=stale() load=load/>
                    }
                })
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_follow_the_measured_rate_within_bounds() {
        // 2,000 transitions in 5 ms: aim at 10 ms.
        assert_eq!(next_budget(2_000, 5.0), 4_000);
        // A slow slice shrinks the next one, but by at most 4×.
        assert_eq!(next_budget(2_000, 20.0), 1_000);
        assert_eq!(next_budget(2_000, 500.0), 500);
        // Too fast to measure: grow 4×, never beyond a million.
        assert_eq!(next_budget(2_000, 0.0), 8_000);
        assert_eq!(next_budget(800_000, 0.0), 1_000_000);
        assert!(next_budget(100, 1_000.0) >= 100);
    }
}
