//! Theme toggle: follow the system (prefers-color-scheme), or force light or dark. The choice
//! is kept in localStorage and applied as `<html data-theme>`.

use leptos::prelude::*;

const KEY: &str = "mmrace-theme";

fn storage() -> Option<web_sys::Storage> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    web_sys::window()?.local_storage().ok()?
}

fn apply(theme: &str) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match theme {
        "light" | "dark" => root.set_attribute("data-theme", theme),
        _ => root.remove_attribute("data-theme"),
    };
}

/// Cycles auto → light → dark.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let saved = storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .filter(|t| t == "light" || t == "dark")
        .unwrap_or_else(|| "auto".to_string());
    let theme = RwSignal::new(saved);
    Effect::new(move |_| {
        let t = theme.get();
        apply(&t);
        if let Some(s) = storage() {
            let _ = s.set_item(KEY, &t);
        }
    });
    view! {
        <button
            class="theme-btn"
            data-testid="theme-toggle"
            title=move || format!("Colour theme: {} (click: follow the system → light → dark)", theme.get())
            on:click=move |_| {
                theme.update(|t| {
                    *t = match t.as_str() {
                        "auto" => "light",
                        "light" => "dark",
                        _ => "auto",
                    }
                    .to_string()
                })
            }
        >
            // The glyph alone keeps the header on one row at 1280 px; the theme is in the name.
            <span aria-hidden="true">"◐"</span>
            <span class="sr-only">{move || format!("Colour theme: {}", theme.get())}</span>
        </button>
    }
}
