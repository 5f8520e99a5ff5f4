//! The explorer: every interleaving of the current variant and scenario, breadth first, in
//! slices (yielding to the browser between them) with progress and Cancel; then the verdict
//! ("0 violations in N states") and the bug atlas — outcomes grouped by invariant, with counts
//! and the shortest schedule of each, loadable into the stepper.

use crate::components::atlas::Atlas;
use crate::session::{use_session, Session};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mmrace_core::explore::{Bounds, Explorer, Report, Status};
use mmrace_core::view::verdict;
use mmrace_core::Scenario;

/// Transitions explored per slice before yielding to the browser.
pub const SLICE: u64 = 20_000;

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
}

pub fn provide_explore() {
    provide_context(ExploreState {
        report: RwSignal::new(None),
        subject: RwSignal::new(None),
        running: RwSignal::new(false),
        generation: RwSignal::new(0),
        elapsed_ms: RwSignal::new(0.0),
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
    let t0 = now_ms();
    spawn_local(async move {
        let mut ex = Explorer::new(model, Bounds::default());
        loop {
            if e.generation.get_untracked() != gen {
                return;
            }
            let status = ex.run(SLICE);
            e.report.set(Some(ex.report()));
            e.elapsed_ms.set(now_ms() - t0);
            if status != Status::Running {
                e.running.set(false);
                return;
            }
            TimeoutFuture::new(0).await;
        }
    });
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
                <h2 id="explore-title">"Explore every interleaving"</h2>
                <button
                    data-testid="explore-start"
                    disabled=move || e.running.get()
                    on:click=move |_| start(s, e)
                >
                    {move || format!("Explore {} · {}", s.variant_id.get(), s.scenario.with(|sc| sc.id.id()))}
                </button>
                <button data-testid="explore-cancel" disabled=move || !e.running.get() on:click=move |_| cancel(e)>
                    "Cancel"
                </button>
                <p class="hint">
                    "Breadth-first over all schedules of the untimed model, deduplicating states; the first path to each outcome is a shortest counterexample."
                </p>
            </header>
            {move || {
                e.report.get().map(|r| {
                    let running = e.running.get();
                    let cancelled = !running && r.status == Status::Running;
                    let subject = e
                        .subject
                        .get()
                        .map(|(v, sc)| format!("{v} · {}", sc.id.id()))
                        .unwrap_or_default();
                    let safe = r.is_safe();
                    view! {
                        <div class="explore-progress" data-testid="explore-progress" data-running=running.to_string()>
                            <progress aria-label="exploration progress"
                                value=if running { None } else { Some("1") } max="1"></progress>
                            <span>
                                {format!(
                                    "{}: {} states · {} transitions · depth {} · {:.1} s{}",
                                    subject,
                                    r.states,
                                    r.transitions,
                                    r.max_depth,
                                    e.elapsed_ms.get() / 1000.0,
                                    if running { " · running…" } else if cancelled { " · cancelled" } else { "" },
                                )}
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
