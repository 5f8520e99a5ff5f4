//! Panels below the fold (the timeline, the step list) follow the run lazily: at once while
//! they are on screen, in the browser's idle time while they are not.
//!
//! At 1280×720 the stage fills the screen and these panels are off it, skipped by rendering
//! (`content-visibility: auto`). Re-rendering their rows on every step still cost script and
//! DOM work on the way from a key press to the next frame (a jump replaced ~30 timeline columns
//! and ~20 step rows). Off screen they now catch up once the page is idle, within
//! [`IDLE_TIMEOUT_MS`] at most; as soon as they come into view they follow every step at once.

use leptos::prelude::*;

/// Longest an off-screen panel lags behind the run (the idle callback's timeout).
pub const IDLE_TIMEOUT_MS: u32 = 1000;

/// A counter that moves whenever `track` reports a change: at once while `visible`, otherwise
/// when the browser is next idle. Read it (`.track()`) instead of the session signals, and read
/// those untracked.
pub fn follow(
    track: impl Fn() + Send + Sync + 'static,
    visible: RwSignal<bool>,
) -> RwSignal<usize> {
    // A `usize` signal, a type the app already instantiates (each new signal type costs wasm).
    let tick = RwSignal::new(0usize);
    let pending = StoredValue::new(false);
    Effect::new(move |_| {
        track();
        if visible.get() || !cfg!(target_arch = "wasm32") {
            pending.set_value(false);
            tick.update(|t| *t = t.wrapping_add(1));
        } else if !pending.get_value() {
            pending.set_value(true);
            crate::dom::when_idle(IDLE_TIMEOUT_MS, move || {
                if pending.try_get_value() == Some(true) {
                    pending.set_value(false);
                    tick.try_update(|t| *t = t.wrapping_add(1));
                }
            });
        }
    });
    tick
}

/// A panel's view of the run: a [`follow`] tick over the run and the violation highlights, and
/// the position and length read through it (so they too move at once while `visible`, in idle
/// time while not).
pub fn follow_run(
    s: crate::session::Session,
    hl: crate::components::violation_alert::Highlights,
    visible: RwSignal<bool>,
) -> (RwSignal<usize>, Memo<usize>, Memo<usize>) {
    let tick = follow(
        move || {
            s.run.track();
            hl.causes.with(|_| ());
        },
        visible,
    );
    let pos = Memo::new(move |_| {
        tick.track();
        s.pos.get_untracked()
    });
    let len = Memo::new(move |_| {
        tick.track();
        s.len.get_untracked()
    });
    (tick, pos, len)
}

/// Keeps `visible` up to date with whether `el` intersects the viewport. The observer is
/// disconnected when the component is unmounted. Without IntersectionObserver (or outside
/// wasm32) the element counts as visible.
pub fn watch_visibility(el: &web_sys::Element, visible: RwSignal<bool>) {
    if !cfg!(target_arch = "wasm32") {
        visible.set(true);
        return;
    }
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        if let Some(e) = entries
            .iter()
            .last()
            .and_then(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
        {
            let _ = visible.try_set(e.is_intersecting());
        }
    });
    let Ok(observer) = web_sys::IntersectionObserver::new(cb.as_ref().unchecked_ref()) else {
        visible.set(true);
        return;
    };
    observer.observe(el);
    let held = StoredValue::new_local((observer, cb));
    on_cleanup(move || {
        held.with_value(|(o, _)| o.disconnect());
        held.dispose();
    });
}
