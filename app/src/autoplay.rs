//! Autoplay: while `playing`, advance one step per tick (replaying recorded steps first, then
//! letting the scheduler policy choose). The interval is rebuilt whenever `playing` or the speed
//! changes; an Effect drops (and so clears) the previous gloo-timers interval first.

use crate::session::Session;
use gloo_timers::callback::Interval;
use leptos::prelude::*;

/// Autoplay stops when the run has this many steps. A run keeps every state (so stepping back
/// is an index), about 280 bytes a step (`e2e/bench-memory.mjs`); without a cap an endless run
/// (the benchmark's looping reaper) would grow memory without bound. Links carry at most as
/// many steps.
pub const MAX_AUTOPLAY_STEPS: usize = mmrace_core::link::MAX_STEPS;

/// One autoplay tick (also driven by the memory-measurement hook, `testhook.rs`): advances one
/// step; false when autoplay should stop.
pub fn tick(s: Session) -> bool {
    if s.pos.get_untracked() >= MAX_AUTOPLAY_STEPS {
        s.error.set(Some(format!(
            "autoplay stops at {MAX_AUTOPLAY_STEPS} steps (every step is kept in memory)"
        )));
        return false;
    }
    s.advance()
}

/// Installs the autoplay effect for the session.
pub fn install(s: Session) {
    let timer: StoredValue<Option<Interval>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        let playing = s.playing.get();
        let ms = s.speed_ms();
        // Clear the previous timer before (maybe) starting a new one.
        timer.update_value(|t| {
            if let Some(old) = t.take() {
                old.cancel();
            }
        });
        if playing {
            let tick = Interval::new(ms, move || {
                if !tick(s) {
                    s.playing.set(false);
                }
            });
            timer.set_value(Some(tick));
        }
    });
    on_cleanup(move || {
        timer.update_value(|t| {
            if let Some(old) = t.take() {
                old.cancel();
            }
        })
    });
}
