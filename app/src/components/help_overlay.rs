//! The keyboard help overlay (`?`), a modal dialog listing every shortcut.
//!
//! A real modal: Tab and Shift+Tab cycle inside it (a focus that lands outside is pulled back),
//! and closing it (Esc, `?`, the button, a click outside) returns the focus to the element that
//! had it when it opened.

use crate::keys::SHORTCUTS;
use crate::session::use_session;
use leptos::html;
use leptos::prelude::*;

/// Lists the keyboard shortcuts; closes with Esc, `?` or the button.
#[component]
pub fn HelpOverlay() -> impl IntoView {
    let s = use_session();
    let close = NodeRef::<html::Button>::new();
    let dialog = NodeRef::<html::Div>::new();
    Effect::new(move |was_open: Option<bool>| {
        let open = s.help_open.get();
        if open && was_open != Some(true) {
            remember_focus();
            if let Some(b) = close.get() {
                let _ = b.focus();
            }
        } else if !open && was_open == Some(true) {
            restore_focus();
        }
        open
    });
    install_focus_guard(s, dialog);
    view! {
        <Show when=move || s.help_open.get()>
            <div class="overlay" on:click=move |_| s.help_open.set(false)>
                <div
                    node_ref=dialog
                    on:keydown=move |ev| trap_tab(&ev, dialog)
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

thread_local! {
    /// The element focused when the dialog opened (DOM handles are not `Send`).
    static OPENER: std::cell::RefCell<Option<web_sys::HtmlElement>> = const { std::cell::RefCell::new(None) };
}

fn active_element() -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    web_sys::window()?
        .document()?
        .active_element()?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
}

fn remember_focus() {
    let el = active_element();
    OPENER.with(|o| *o.borrow_mut() = el);
}

fn restore_focus() {
    if let Some(el) = OPENER.with(|o| o.borrow_mut().take()) {
        if el.is_connected() {
            let _ = el.focus();
        }
    }
}

/// The dialog's focusable elements, in document order.
fn focusables(dialog: &web_sys::HtmlElement) -> Vec<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    let Ok(list) = dialog.query_selector_all(
        "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex=\"-1\"])",
    ) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

/// Tab on the last focusable goes to the first, Shift+Tab on the first to the last.
fn trap_tab(ev: &web_sys::KeyboardEvent, dialog: NodeRef<html::Div>) {
    if ev.key() != "Tab" {
        return;
    }
    let Some(d) = dialog.get() else {
        return;
    };
    let items = focusables(&d);
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        ev.prevent_default();
        return;
    };
    let active = active_element();
    let at = |x: &web_sys::HtmlElement| active.as_ref().is_some_and(|a| a == x);
    let inside = active
        .as_ref()
        .is_some_and(|a| d.contains(Some(AsRef::<web_sys::Node>::as_ref(a))));
    if ev.shift_key() && (at(first) || !inside) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && (at(last) || !inside) {
        ev.prevent_default();
        let _ = first.focus();
    }
}

/// While the dialog is open, a focus that reaches anything outside it goes back to its first
/// focusable element (e.g. after clicking the page behind, or a focus() from elsewhere).
fn install_focus_guard(s: crate::session::Session, dialog: NodeRef<html::Div>) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let cb = Closure::<dyn FnMut(web_sys::FocusEvent)>::new(move |ev: web_sys::FocusEvent| {
        if !s.help_open.get_untracked() {
            return;
        }
        let Some(d) = dialog.get_untracked() else {
            return;
        };
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        if target.is_some_and(|t| !d.contains(Some(&t))) {
            if let Some(first) = focusables(&d).first() {
                let _ = first.focus();
            }
        }
    });
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        let _ = doc.add_event_listener_with_callback_and_bool(
            "focusin",
            cb.as_ref().unchecked_ref(),
            true,
        );
    }
    // One listener for the page's lifetime.
    cb.forget();
}

crate::lazy_piece!(help, help_overlay_lazy, view! { <HelpOverlay/> });
