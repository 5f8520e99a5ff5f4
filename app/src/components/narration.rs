//! The narration: one sentence (from the core's narrator) for the step that led to the
//! current state, read out to screen readers; at the start, what the variant and scenario are.

use crate::session::use_session;
use leptos::prelude::*;
use mmrace_core::narrate::sentence;
use mmrace_core::view::mm_changes;

/// The current step's sentence, the position, and the last user error.
#[component]
pub fn Narration() -> impl IntoView {
    let s = use_session();
    let text = Memo::new(move |_| {
        s.run.with(|r| {
            let p = r.pos();
            if p == 0 {
                let m = &r.model;
                format!(
                    "Initial state of {} in scenario {}: {} Step an actor to begin — its button, its letter, or its column number.",
                    m.variant.info.id,
                    m.scenario.name(),
                    m.scenario.describe()
                )
            } else {
                sentence(&r.model, r.state_at(p - 1), &r.steps()[p - 1], r.state_at(p))
            }
        })
    });
    // What the step changed in the mm, in one line (refcounts, flags, page tables, VMAs).
    let changed = Memo::new(move |_| {
        s.run.with(|r| {
            let p = r.pos();
            if p == 0 {
                return String::new();
            }
            mm_changes(r.state_at(p - 1), r.state_at(p))
                .iter()
                .map(|c| c.text.clone())
                .collect::<Vec<_>>()
                .join("; ")
        })
    });
    let who = Memo::new(move |_| {
        s.run.with(|r| {
            let p = r.pos();
            (p > 0).then(|| r.steps()[p - 1].actor.name().to_string())
        })
    });
    view! {
        <div class="narration">
            <p class="position" data-testid="position" data-pos=move || s.pos.get().to_string()
                data-len=move || s.len.get().to_string()>
                {move || {
                    let (p, n) = (s.pos.get(), s.len.get());
                    if p == 0 { format!("initial state · {n} recorded") } else { format!("step {p} of {n}") }
                }}
            </p>
            <p class="sentence" data-testid="narration" aria-live="polite"
                data-actor=move || who.get().unwrap_or_default()>
                {move || text.get()}
                {move || {
                    let c = changed.get();
                    (!c.is_empty()).then(|| view! {
                        <span class="step-changes" data-testid="step-changes">"mm: " {c}</span>
                    })
                }}
            </p>
            {move || {
                s.error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="user-error" role="status" data-testid="user-error">
                                <span aria-hidden="true">"✗ "</span>
                                {e}
                                <button class="linklike" on:click=move |_| s.error.set(None) aria-label="Dismiss">
                                    "dismiss"
                                </button>
                            </p>
                        }
                    })
            }}
        </div>
    }
}
