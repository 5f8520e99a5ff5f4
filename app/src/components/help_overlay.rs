//! The keyboard help overlay (`?`), a modal dialog listing every shortcut.

use crate::keys::SHORTCUTS;
use crate::session::use_session;
use leptos::html;
use leptos::prelude::*;

/// Lists the keyboard shortcuts; closes with Esc, `?` or the button.
#[component]
pub fn HelpOverlay() -> impl IntoView {
    let s = use_session();
    let close = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if s.help_open.get() {
            if let Some(b) = close.get() {
                let _ = b.focus();
            }
        }
    });
    view! {
        <Show when=move || s.help_open.get()>
            <div class="overlay" on:click=move |_| s.help_open.set(false)>
                <div
                    class="dialog"
                    role="dialog"
                    aria-modal="true"
                    aria-labelledby="help-title"
                    data-testid="help-overlay"
                    on:click=|ev| ev.stop_propagation()
                >
                    <h2 id="help-title">"Keyboard shortcuts"</h2>
                    <table class="keys">
                        <tbody>
                            {SHORTCUTS
                                .iter()
                                .map(|(k, what)| view! { <tr><th scope="row"><kbd>{*k}</kbd></th><td>{*what}</td></tr> })
                                .collect_view()}
                        </tbody>
                    </table>
                    <h3 class="keys-subtitle">"Presenter keys (projector mode or a running tour)"</h3>
                    <table class="keys" data-testid="presenter-keys">
                        <tbody>
                            {crate::components::talk::PRESENTER_KEYS
                                .iter()
                                .map(|(k, what)| view! { <tr><th scope="row"><kbd>{*k}</kbd></th><td>{*what}</td></tr> })
                                .collect_view()}
                        </tbody>
                    </table>
                    <p class="note">
                        "The model is untimed: the HZ/10 sleeps and the 2·HZ reaper delay are not modelled, so every interleaving the real code allows (and a few it would make unlikely) can be stepped."
                    </p>
                    <button node_ref=close data-testid="help-close" on:click=move |_| s.help_open.set(false)>
                        "Close"
                    </button>
                </div>
            </div>
        </Show>
    }
}
