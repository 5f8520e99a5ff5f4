//! The transport controls: to start, back, forward, to end, the scrubber over the recorded
//! steps, autoplay with its speed, and the scheduler policy.

use crate::components::policy_picker::PolicyPicker;
use crate::session::{use_session, SPEEDS_MS};
use leptos::prelude::*;

/// Step back/forward through the run, scrub, autoplay.
#[component]
pub fn Transport() -> impl IntoView {
    let s = use_session();
    let at_start = move || s.pos.get() == 0;
    let at_end = move || s.pos.get() >= s.len.get();
    view! {
        <div class="transport" role="toolbar" aria-label="Run controls">
            <button data-testid="to-start" aria-keyshortcuts="Home" title="To the initial state (Home)"
                disabled=at_start on:click=move |_| s.to_start()>
                <span aria-hidden="true">"|◀"</span><span class="sr-only">"To start"</span>
            </button>
            <button data-testid="back" aria-keyshortcuts="ArrowLeft" title="Step back (←)"
                disabled=at_start on:click=move |_| s.back()>
                <span aria-hidden="true">"◀"</span><span class="sr-only">"Step back"</span>
            </button>
            <button data-testid="forward" aria-keyshortcuts="ArrowRight"
                title="Step forward (→): the next recorded step, or the policy's pick at the end"
                on:click=move |_| { s.advance(); }>
                <span aria-hidden="true">"▶"</span><span class="sr-only">"Step forward"</span>
            </button>
            <button data-testid="to-end" aria-keyshortcuts="End" title="To the last recorded step (End)"
                disabled=at_end on:click=move |_| s.to_end()>
                <span aria-hidden="true">"▶|"</span><span class="sr-only">"To end"</span>
            </button>
            <label class="scrubber">
                <span class="sr-only">"Position in the run"</span>
                <input
                    type="range"
                    data-testid="scrubber"
                    min="0"
                    max=move || s.len.get().to_string()
                    prop:value=move || s.pos.get().to_string()
                    on:input=move |ev| {
                        if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                            s.jump(i);
                        }
                    }
                />
            </label>
            <button
                class="play-btn"
                data-testid="play"
                aria-keyshortcuts="Space"
                aria-pressed=move || s.playing.get().to_string()
                on:click=move |_| s.playing.update(|p| *p = !*p)
            >
                {move || if s.playing.get() { "❚❚ Pause" } else { "▶ Play" }}
            </button>
            <label class="speed" title="Autoplay speed ([ slower, ] faster)">
                "Speed "
                <select data-testid="speed" on:change=move |ev| {
                    if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                        s.speed.set(i);
                    }
                }>
                    {SPEEDS_MS
                        .iter()
                        .enumerate()
                        .map(|(i, ms)| {
                            view! {
                                <option value=i.to_string() selected=move || s.speed.get() == i>
                                    // Integer arithmetic: a float's Display would link
                                    // core's float formatting (11 KB) into the main module.
                                    {format!("{}.{} s", ms / 1000, ms % 1000 / 100)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <PolicyPicker/>
        </div>
    }
}
