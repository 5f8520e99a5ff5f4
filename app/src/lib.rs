//! mmrace web front end: a minimal shell for now.
//!
//! The real UI comes later. This crate only mounts [`App`] into `<body>` and makes sure a
//! panic is always visible on the page (never a blank page), via [`install_panic_hook`].

use leptos::prelude::*;

/// The element id of the visible panic message (see [`install_panic_hook`]).
pub const PANIC_ELEMENT_ID: &str = "panic";

/// Query-string flag that makes [`start`] panic on purpose after mounting, so the browser
/// tests can prove the panic hook shows the message instead of leaving a blank page.
pub const TEST_PANIC_FLAG: &str = "mmrace-test-panic";

/// Root component.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <main data-testid="app" class="app">
            <header class="app-header">
                <h1>"mmrace"</h1>
            </header>
        </main>
    }
}

/// Entry point used by `main.rs` in the browser: installs the panic hooks and mounts [`App`].
pub fn start() {
    install_panic_hook();
    leptos::mount::mount_to_body(App);
    if test_panic_requested() {
        panic!("deliberate test panic ({TEST_PANIC_FLAG} in the URL)");
    }
}

/// Installs `console_error_panic_hook` plus a hook that writes the panic message into the
/// page as `<div role="alert" id="panic">`, so a panic never leaves a blank page.
///
/// Does nothing outside wasm32 (there is no page there; native tests keep Rust's hook). The
/// code still compiles natively, so native clippy and tests cover it.
pub fn install_panic_hook() {
    if cfg!(target_arch = "wasm32") {
        std::panic::set_hook(Box::new(|info| {
            console_error_panic_hook::hook(info);
            show_panic_message(&info.to_string());
        }));
    }
}

/// Text shown to the user for a panic message.
pub fn panic_text(message: &str) -> String {
    format!(
        "mmrace stopped because of an internal error. Reloading the page may help.\n\n{message}"
    )
}

fn show_panic_message(message: &str) {
    // Never panic in here: we are already inside the panic hook.
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let element = match document.get_element_by_id(PANIC_ELEMENT_ID) {
        Some(element) => element,
        None => {
            let Ok(element) = document.create_element("div") else {
                return;
            };
            element.set_id(PANIC_ELEMENT_ID);
            let _ = element.set_attribute("role", "alert");
            let parent = document
                .body()
                .map(web_sys::Node::from)
                .or_else(|| document.document_element().map(web_sys::Node::from));
            match parent {
                Some(parent) => {
                    let _ = parent.append_child(&element);
                }
                None => return,
            }
            element
        }
    };
    element.set_text_content(Some(&panic_text(message)));
}

fn test_panic_requested() -> bool {
    // web_sys calls only work in wasm32; natively there is no page to ask.
    cfg!(target_arch = "wasm32")
        && web_sys::window()
            .and_then(|w| w.location().search().ok())
            .is_some_and(|search| search.contains(TEST_PANIC_FLAG))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_text_contains_message() {
        let text = panic_text("index out of bounds");
        assert!(text.contains("index out of bounds"));
        assert!(text.starts_with("mmrace stopped"));
    }
}
