//! The page header: title, variant and scenario pickers, reset, mode switch, theme, help.

use crate::components::scenario_picker::ScenarioPicker;
use crate::components::theme_toggle::ThemeToggle;
use crate::components::variant_picker::VariantPicker;
use crate::components::variant_summary::VariantSummary;
use crate::session::{use_session, Mode};
use leptos::prelude::*;

/// The top bar of the page.
#[component]
pub fn AppHeader() -> impl IntoView {
    let s = use_session();
    let mode_button = move |m: Mode, label: &'static str, testid: &'static str| {
        view! {
            <button
                class="mode-btn"
                data-testid=testid
                aria-pressed=move || (s.mode.get() == m).to_string()
                on:click=move |_| {
                    s.playing.set(false);
                    s.mode.set(m)
                }
            >
                {label}
            </button>
        }
    };
    view! {
        <header class="topbar">
            <div class="topbar-row">
            <h1 class="brand">"mmrace"</h1>
            <VariantPicker/>
            <ScenarioPicker/>
            <button class="reset-btn" data-testid="reset" on:click=move |_| s.reset()
                title="Start the run again from the initial state">
                "↺ Reset"
            </button>
            <div class="mode-switch" role="group" aria-label="View">
                {mode_button(Mode::Stepper, "Stepper", "mode-stepper")}
                {mode_button(Mode::Compare, "Compare", "mode-compare")}
            </div>
            <ThemeToggle/>
            <button class="help-btn" data-testid="help-button" aria-keyshortcuts="?"
                on:click=move |_| s.help_open.update(|h| *h = !*h)>
                "? Keys"
            </button>
            </div>
            <VariantSummary/>
        </header>
    }
}
