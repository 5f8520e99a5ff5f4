//! The stage: what a presenter keeps on screen — the transport controls, the narration and
//! any violation, the mm, and one column per actor.

use crate::components::actor_column::ActorColumn;
use crate::components::mm_panel::MmPanel;
use crate::components::narration::Narration;
use crate::components::transport::Transport;
use crate::components::violation_alert::ViolationAlert;
use crate::session::use_session;
use leptos::prelude::*;
use mmrace_core::sim::StepInfo;

/// The stepper's main view.
#[component]
pub fn Stage() -> impl IntoView {
    let s = use_session();
    let last = Memo::new(move |_| {
        s.run.with(|r| {
            let p = r.pos();
            (p > 0).then(|| (p, r.steps()[p - 1].clone()))
        })
    });
    let last: Signal<Option<(usize, StepInfo)>> = last.into();
    let state: Signal<mmrace_core::sim::State> = s.state.into();
    // The scenario's actors as a memo: a reset (a new model, the same actors) keeps the columns
    // instead of re-creating them, which cost ~2.7 KB of wasm memory per reset, never returned
    // (measured with e2e/bench-memory.mjs).
    let actors = Memo::new(move |_| s.actors());
    view! {
        <section class="stage" data-testid="stage" aria-label="Stepper">
            <Transport/>
            <Narration/>
            <ViolationAlert/>
            <MmPanel state=state last=last/>
            <div
                class="actors"
                data-testid="actors"
                style=move || format!("--actors: {}", actors.with(|a| a.len()))
            >
                {move || actors.get().into_iter().map(|a| view! { <ActorColumn actor=a/> }).collect_view()}
            </div>
        </section>
    }
}
