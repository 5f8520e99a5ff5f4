//! A hook for the memory measurement script (`e2e/bench-memory.mjs`). Only with
//! `mmrace-test-hook` in the query string does the page get `window.__mmrace`:
//!
//! | member              | what it does                                                      |
//! |---------------------|-------------------------------------------------------------------|
//! | `tick()`            | one autoplay tick (the same `Session::advance` autoplay runs); at the end of a run it resets, so ticks go on across resets. Returns the run's length. |
//! | `reset()`           | back to the start of the run (the Reset button)                   |
//! | `random(seed)`      | the random scheduler policy with this seed                        |
//! | `looping()`         | load the benchmark variant whose reaper loops forever (one endless run) |
//! | `len()`             | recorded steps                                                    |
//! | `wasmMemoryBytes()` | the size of the WebAssembly memory                                |
//! | `liveHeapBytes()`   | bytes allocated on the Rust heap right now ([`crate::alloc_count`]) |

use crate::session::Session;
use leptos::prelude::*;

/// The query-string flag that installs the hook.
pub const TEST_HOOK_FLAG: &str = "mmrace-test-hook";

/// Installs `window.__mmrace` when the query string asks for it.
pub fn install(s: Session) {
    if !cfg!(target_arch = "wasm32") || !crate::dom::location_search().contains(TEST_HOOK_FLAG) {
        return;
    }
    use js_sys::{Object, Reflect};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsValue;
    let obj = Object::new();
    let set = |name: &str, f: JsValue| {
        let _ = Reflect::set(&obj, &JsValue::from_str(name), &f);
    };
    set(
        "tick",
        Closure::<dyn FnMut() -> f64>::new(move || {
            if !crate::autoplay::tick(s) {
                s.reset();
            }
            s.len.get_untracked() as f64
        })
        .into_js_value(),
    );
    set(
        "reset",
        Closure::<dyn FnMut()>::new(move || s.reset()).into_js_value(),
    );
    set(
        "random",
        Closure::<dyn FnMut(f64)>::new(move |seed: f64| {
            s.policy
                .set(mmrace_core::policy::Policy::random(seed as u64));
        })
        .into_js_value(),
    );
    set(
        "looping",
        Closure::<dyn FnMut()>::new(move || {
            if let Ok(m) = crate::bench::looping_model() {
                s.load_model(m);
                s.policy.set(mmrace_core::policy::Policy::round_robin());
            }
        })
        .into_js_value(),
    );
    set(
        "len",
        Closure::<dyn FnMut() -> f64>::new(move || s.len.get_untracked() as f64).into_js_value(),
    );
    set(
        "wasmMemoryBytes",
        Closure::<dyn FnMut() -> f64>::new(crate::dom::wasm_memory_bytes).into_js_value(),
    );
    set(
        "liveHeapBytes",
        Closure::<dyn FnMut() -> f64>::new(|| crate::alloc_count::live_bytes() as f64)
            .into_js_value(),
    );
    if let Some(w) = web_sys::window() {
        let _ = Reflect::set(&w, &JsValue::from_str("__mmrace"), &obj);
    }
}
