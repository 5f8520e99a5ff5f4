//! The explorer's search and results, in a lazily loaded chunk (see [`crate::lazy`]): the
//! search runs in the explore worker, or in slices on the page ([`crate::search`]); while it
//! runs only the counts are shown; the atlas (a replayed schedule per outcome) is built once,
//! at the end or on Cancel.

use crate::components::atlas::Atlas;
use crate::components::explore_panel::{ExploreState, Subject};
use crate::lazy::{Mount, SplitLoaderError};
use crate::search::explore;
use crate::session::{use_session, Session};
use crate::slices::now_ms;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mmrace_core::explore::{Progress, Report, Status};
use mmrace_core::view::verdict;

/// Starts a search, once the chunk is loaded.
#[leptos::wasm_split::wasm_split(explore, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn start_lazy(s: Session, e: ExploreState) -> Result<(), SplitLoaderError> {
    start(s, e);
    Ok(())
}

/// The results view (figures, verdict, atlas), once the chunk is loaded.
#[leptos::wasm_split::wasm_split(explore, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn results_lazy() -> Result<Mount, SplitLoaderError> {
    Ok(|| view! { <ExploreResults/> }.into_any())
}

/// Starts exploring the session's current model.
fn start(s: Session, e: ExploreState) {
    let model = (*s.model.get_untracked()).clone();
    let gen = e.generation.get_untracked() + 1;
    e.generation.set(gen);
    e.subject.set(Some(Subject::of(&model)));
    e.report.set(None);
    e.running.set(true);
    e.progress.set(Progress::default());
    let t0 = now_ms();
    spawn_local(async move {
        let alive = move || e.generation.get_untracked() == gen;
        let searched = explore(model, alive, |p| {
            e.elapsed_ms.set(now_ms() - t0);
            e.progress.set(p);
        })
        .await;
        e.elapsed_ms.set(now_ms() - t0);
        let (report, finished) = match searched {
            Ok(r) => r,
            Err(why) => {
                if alive() {
                    s.error.set(Some(why));
                    e.subject.set(None);
                    e.running.set(false);
                }
                return;
            }
        };
        // Cancelled: keep what was found so far (status Running marks it cancelled), unless a
        // new search has started meanwhile.
        if finished || !e.running.get_untracked() {
            e.report.set(Some(report));
        }
        if finished {
            e.running.set(false);
        }
    });
}

/// The progress bar, the subject and the figures of a search, running (`status` "running…")
/// or stopped; a stopped search's figures carry test ids.
fn figures(p: Progress, subject: String, elapsed_ms: f64, status: &'static str) -> impl IntoView {
    let running = status == "running…";
    let id = move |t: &'static str| (!running).then_some(t);
    view! {
        <div class="explore-progress" data-testid="explore-progress" data-running=running.to_string()
            data-states=p.states.to_string() data-frontier=p.frontier.to_string()
            data-depth=p.depth.to_string()>
            // Expanded states out of those found so far: the share of the known state space
            // already explored (the frontier is the rest).
            <progress aria-label="exploration progress: states expanded of states found"
                value=(p.states - p.frontier).to_string() max=p.states.max(1).to_string()></progress>
            <span class="explore-subject">{subject}</span>
            <dl class="explore-figures">
                <div><dt>"states so far"</dt><dd data-testid=id("explore-states")>{p.states.to_string()}</dd></div>
                <div><dt>"frontier"</dt><dd data-testid=id("explore-frontier")
                    title="states found but not yet expanded">{p.frontier.to_string()}</dd></div>
                <div><dt>"depth"</dt><dd data-testid=id("explore-depth")
                    title="steps from the initial state of the states being expanded">{p.depth.to_string()}</dd></div>
                <div><dt>"transitions"</dt><dd>{p.transitions.to_string()}</dd></div>
                <div><dt>"time"</dt><dd>{format!("{:.1} s", elapsed_ms / 1000.0)}</dd></div>
            </dl>
            <span class="explore-status">{status}</span>
        </div>
    }
}

/// A report's figures as a [`Progress`].
fn progress_of(r: &Report) -> Progress {
    Progress {
        states: r.states,
        transitions: r.transitions,
        frontier: r.frontier,
        depth: r.depth,
    }
}

/// The running search's figures, or the finished (or cancelled) search's verdict and atlas.
#[component]
fn ExploreResults() -> impl IntoView {
    let s = use_session();
    let e = expect_context::<ExploreState>();
    let current = Memo::new(move |_| s.model.with(|m| Subject::of(m)));
    let stale = move || e.subject.get().is_some_and(|subj| subj != current.get());
    let load = move |schedule: String| {
        if s.replay(&schedule).is_ok() {
            if let Some(w) = web_sys::window() {
                w.scroll_to_with_x_and_y(0.0, 0.0);
            }
        }
    };
    let subject_name = move || e.subject.get().map(|x| x.name()).unwrap_or_default();
    view! {
        {move || {
            e.running
                .get()
                .then(|| figures(e.progress.get(), subject_name(), e.elapsed_ms.get(), "running…"))
        }}
        {move || {
            e.report.get().filter(|_| !e.running.get()).map(|r| {
                let cancelled = r.status == Status::Running;
                let subject = subject_name();
                let safe = r.is_safe();
                view! {
                    {figures(progress_of(&r), subject.clone(), e.elapsed_ms.get(),
                        if cancelled { "cancelled" } else { "complete" })}
                    {(!cancelled).then(|| view! {
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
    }
}
