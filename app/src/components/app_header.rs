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
    // The second row is built in a turn of its own (crate::mount).
    let summary = crate::mount::ready(crate::mount::Part::Summary);
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
            </div>
            // The summary line carries the theme and help buttons at its end, so the first row
            // (pickers, reset, modes, edit) fits 1280 px.
            {crate::mount::gate(summary, move || view! {
                <div class="topbar-row topbar-row2">
                <VariantSummary/>
                <div class="topbar-tools">
                <ThemeToggle/>
                <button class="help-btn" data-testid="help-button" aria-keyshortcuts="?" title="Keyboard shortcuts (?)"
                    on:click=move |_| s.help_open.update(|h| *h = !*h)>
                    <span aria-hidden="true">"?"</span><span class="sr-only">"Keys"</span>
                </button>
                </div>
                </div>
            })}
        </header>
    }
}
