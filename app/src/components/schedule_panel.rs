//! The schedule box: write or paste a schedule (`M:mmgrab M:task_unlock V* M*`), reset and
//! replay it; see the recorded run written as a schedule. Errors name the failing item and
//! why, and never stop the page.

use crate::session::use_session;
use leptos::prelude::*;

/// Replay a schedule; show the current run as one.
#[component]
pub fn SchedulePanel() -> impl IntoView {
    let s = use_session();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let ok = RwSignal::new(None::<String>);
    let replay = move || {
        let t = text.get_untracked();
        match s.replay(&t) {
            Ok(()) => {
                error.set(None);
                ok.set(Some(format!("Replayed {} steps.", s.len.get_untracked())));
            }
            Err(e) => {
                ok.set(None);
                error.set(Some(e));
            }
        }
    };
    view! {
        <section class="schedule-panel" aria-labelledby="schedule-title">
            <h2 id="schedule-title">"Schedule"</h2>
            <p class="hint">
                "Items: " <code>"V"</code> " one step · " <code>"V:label"</code> " until that step ran · "
                <code>"V*"</code> " until blocked or done. Actors V K R M G."
            </p>
            <label class="sr-only" for="schedule-input">"Schedule to replay"</label>
            <textarea
                id="schedule-input"
                data-testid="schedule-input"
                rows="3"
                spellcheck="false"
                placeholder="e.g. M:mmgrab M:task_unlock V* M*"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                on:keydown=move |ev| {
                    if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                        ev.prevent_default();
                        replay();
                    }
                }
            ></textarea>
            <div class="schedule-actions">
                <button data-testid="schedule-replay" on:click=move |_| replay() title="Reset, then replay (Ctrl+Enter)">
                    "Reset and replay"
                </button>
                <button data-testid="schedule-current" on:click=move |_| {
                    text.set(s.schedule_text());
                    error.set(None);
                    ok.set(None);
                }>
                    "Current run → box"
                </button>
            </div>
            {move || error.get().map(|e| view! {
                <p class="field-error" role="alert" data-testid="schedule-error">
                    <span aria-hidden="true">"✗ "</span>{e}
                </p>
            })}
            {move || ok.get().map(|m| view! { <p class="ok" data-testid="schedule-ok" role="status">{m}</p> })}
        </section>
    }
}
