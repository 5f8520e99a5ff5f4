//! Small browser helpers for sharing and exporting: the URL fragment and the history, attributes
//! on `<html>`, downloads, the clipboard, full screen and the iframe height report.
//!
//! Every function is a no-op (or returns `None`/`false`) outside wasm32, so the code that calls
//! them still compiles and runs in native tests. None of them ever inserts text as HTML: text
//! goes into text nodes, attributes, form values or a `Blob`.

use wasm_bindgen::{JsCast, JsValue};

fn in_browser() -> bool {
    cfg!(target_arch = "wasm32")
}

fn window() -> Option<web_sys::Window> {
    if in_browser() {
        web_sys::window()
    } else {
        None
    }
}

/// The page's document (`None` outside the browser).
pub fn document() -> Option<web_sys::Document> {
    window()?.document()
}

/// The location's fragment without the leading `#` (empty when there is none).
pub fn location_hash() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// The location's query string, with its `?`.
pub fn location_search() -> String {
    window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// The page's URL without its fragment (`https://host/path/index.html?x=1`).
pub fn page_url_without_hash() -> String {
    window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or("").to_string())
        .unwrap_or_default()
}

/// Writes `#fragment` into the address bar: a new history entry when `push`, else in place.
pub fn set_fragment(fragment: &str, push: bool) {
    let Some(h) = window().and_then(|w| w.history().ok()) else {
        return;
    };
    let url = format!("#{fragment}");
    let _ = if push {
        h.push_state_with_url(&JsValue::NULL, "", Some(&url))
    } else {
        h.replace_state_with_url(&JsValue::NULL, "", Some(&url))
    };
}

/// Runs `f` when the browser is idle (`requestIdleCallback`, at most `timeout_ms` later), so
/// work that can wait (rewriting the address bar) never delays the handling of an input or the
/// next frame. Falls back to a timeout where there is no idle callback; outside wasm32 it does
/// nothing.
pub fn when_idle(timeout_ms: u32, f: impl FnOnce() + 'static) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let cb = wasm_bindgen::closure::Closure::once_into_js(f);
    let ric = js_sys::Reflect::get(&window, &JsValue::from_str("requestIdleCallback"))
        .ok()
        .and_then(|v| v.dyn_into::<js_sys::Function>().ok());
    match ric {
        Some(ric) => {
            let opts = js_sys::Object::new();
            let _ = js_sys::Reflect::set(
                &opts,
                &JsValue::from_str("timeout"),
                &JsValue::from(timeout_ms),
            );
            let _ = ric.call2(&window, &cb, &opts);
        }
        None => {
            let _ = window.set_timeout_with_callback(cb.unchecked_ref());
        }
    }
}

/// Sets (or with `None` removes) an attribute of the `<html>` element.
pub fn set_root_attr(name: &str, value: Option<&str>) {
    let Some(root) = document().and_then(|d| d.document_element()) else {
        return;
    };
    let _ = match value {
        Some(v) => root.set_attribute(name, v),
        None => root.remove_attribute(name),
    };
}

/// Offers `text` as a file download named `filename`.
pub fn download_text(filename: &str, mime: &str, text: &str) {
    let Some(doc) = document() else {
        return;
    };
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = doc
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(filename);
        let _ = a.style().set_property("display", "none");
        if let Some(body) = doc.body() {
            let _ = body.append_child(&a);
            a.click();
            let _ = body.remove_child(&a);
        }
    }
    // Revoke later: the download has to start from the URL first.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(w) = window() {
        let _ =
            w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    }
}

/// Copies `text` to the clipboard. Tries the async Clipboard API, then (when that is missing or
/// refused) `execCommand("copy")` on a temporary textarea. `done` is called with whether it
/// worked.
pub fn copy_text(text: &str, done: impl FnOnce(bool) + 'static) {
    let Some(w) = window() else {
        done(false);
        return;
    };
    let clipboard = w.navigator().clipboard();
    let has_api = js_sys::Reflect::get(&w.navigator(), &JsValue::from_str("clipboard"))
        .map(|v| !v.is_undefined() && !v.is_null())
        .unwrap_or(false);
    if !has_api {
        done(copy_with_exec_command(text));
        return;
    }
    let promise = clipboard.write_text(text);
    let text = text.to_string();
    wasm_bindgen_futures::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        done(ok || copy_with_exec_command(&text));
    });
}

fn copy_with_exec_command(text: &str) -> bool {
    let Some(doc) = document() else {
        return false;
    };
    let Some(ta) = doc
        .create_element("textarea")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        return false;
    };
    ta.set_value(text);
    let _ = ta.set_attribute("readonly", "");
    let _ = ta.set_attribute("aria-hidden", "true");
    let _ = ta
        .style()
        .set_property("position", "fixed")
        .and_then(|_| ta.style().set_property("left", "-9999px"));
    let Some(body) = doc.body() else {
        return false;
    };
    let _ = body.append_child(&ta);
    ta.select();
    let ok = doc
        .dyn_ref::<web_sys::HtmlDocument>()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false);
    let _ = body.remove_child(&ta);
    ok
}

/// Enters full screen, or leaves it when already there.
pub fn toggle_fullscreen() {
    let Some(doc) = document() else {
        return;
    };
    if doc.fullscreen_element().is_some() {
        doc.exit_fullscreen();
    } else if let Some(root) = doc.document_element() {
        let _ = root.request_fullscreen();
    }
}

/// True when the page runs inside a frame.
pub fn in_iframe() -> bool {
    let Some(w) = window() else {
        return false;
    };
    match w.parent() {
        Ok(Some(p)) => p != w,
        _ => false,
    }
}

/// Reports the page's height to the embedding page as `{type: 'mmrace:height', height}`
/// whenever the body's size changes (a ResizeObserver). Only ever sends; the app installs no
/// `message` listener, so no other page can change its state.
pub fn report_height_to_parent() {
    if !in_iframe() {
        return;
    }
    let Some(body) = document().and_then(|d| d.body()) else {
        return;
    };
    let send = move || {
        let (Some(w), Some(body)) = (window(), document().and_then(|d| d.body())) else {
            return;
        };
        let height = body.get_bounding_client_rect().height().ceil();
        let msg = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&msg, &"type".into(), &"mmrace:height".into());
        let _ = js_sys::Reflect::set(&msg, &"height".into(), &JsValue::from_f64(height));
        if let Ok(Some(parent)) = w.parent() {
            let _ = parent.post_message(&msg, "*");
        }
    };
    let cb =
        wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(move |_entries: JsValue| send());
    if let Ok(observer) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) {
        observer.observe(&body);
        // The observer lives as long as the page.
        std::mem::forget(observer);
    }
    cb.forget();
}

/// The WebAssembly memory's size in bytes (for the memory measurement hook).
pub fn wasm_memory_bytes() -> f64 {
    if !in_browser() {
        return 0.0;
    }
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| {
            m.buffer()
                .dyn_into::<js_sys::ArrayBuffer>()
                .map(|b| b.byte_length() as f64)
                .unwrap_or(0.0)
        })
        .unwrap_or(0.0)
}

/// Yields to the browser between slices of work: one `MessageChannel` message per yield, so
/// input and rendering get their turn without `setTimeout(0)`'s 4 ms clamp for nested timers.
/// Outside wasm32 `yield_now` returns at once.
pub struct Yielder {
    channel: Option<web_sys::MessageChannel>,
}

impl Yielder {
    pub fn new() -> Yielder {
        Yielder {
            channel: in_browser()
                .then(|| web_sys::MessageChannel::new().ok())
                .flatten(),
        }
    }

    /// Resolves in a later task of the page's event loop.
    pub async fn yield_now(&self) {
        let Some(ch) = &self.channel else {
            return;
        };
        let port1 = ch.port1();
        let port2 = ch.port2();
        let p = js_sys::Promise::new(&mut |resolve, _reject| {
            port1.set_onmessage(Some(&resolve));
            let _ = port2.post_message(&JsValue::NULL);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(p).await;
        port1.set_onmessage(None);
    }
}

impl Default for Yielder {
    fn default() -> Yielder {
        Yielder::new()
    }
}

/// A User Timing mark (`performance.mark`): e2e/bench-mount.mjs finds the mount's turns in a
/// trace by these.
pub fn mark(name: &str) {
    if let Some(p) = window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// The promise stored on `window` under `name`, if there is one.
pub fn window_promise(name: &str) -> Option<js_sys::Promise> {
    js_sys::Reflect::get(&window()?.into(), &JsValue::from_str(name))
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()
}

/// A counter that goes from 0 to `n`, one step per later task of the event loop, so the page
/// can mount its parts in turns (each in a task of its own, with a chance to paint and take
/// input between them) instead of in one long task. Outside the browser it is `n` at once.
pub fn turns(n: u8) -> leptos::prelude::ReadSignal<u8> {
    use leptos::prelude::*;
    let (turn, set_turn) = signal(if in_browser() { 0 } else { n });
    if in_browser() {
        leptos::task::spawn_local(async move {
            let yielder = Yielder::new();
            for i in 1..=n {
                yielder.yield_now().await;
                mark(&format!("mmrace turn {i}"));
                set_turn.set(i);
            }
        });
    }
    turn
}

/// After the next render, moves the keyboard focus to the first element that one of `selectors`
/// matches (scrolling it into view first when `scroll`). A piece whose code is still loading
/// (crate::lazy) is not there yet: then it tries again each frame, for up to
/// [`FOCUS_WAIT_FRAMES`] frames. Does nothing outside the browser.
pub fn focus_after_render(selectors: Vec<String>, scroll: bool) {
    if !in_browser() {
        return;
    }
    focus_in_frames(selectors, scroll, FOCUS_WAIT_FRAMES);
}

/// How many frames [`focus_after_render`] waits for its element (about 5 s at 60 frames/s).
pub const FOCUS_WAIT_FRAMES: u32 = 300;

fn focus_in_frames(selectors: Vec<String>, scroll: bool, frames: u32) {
    leptos::prelude::request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let el = selectors
            .iter()
            .find_map(|s| doc.query_selector(s).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        match el {
            Some(el) => {
                if scroll {
                    el.scroll_into_view();
                }
                let _ = el.focus();
            }
            None if frames > 1 => focus_in_frames(selectors, scroll, frames - 1),
            None => {}
        }
    });
}
