//! Exploration on the page's own thread, in slices: every interleaving of a model, breadth
//! first (`mmrace_core::explore::Explorer`), run a slice at a time, yielding to the browser
//! between slices so the page stays responsive. Used by the explore panel and by the patch
//! playground's re-check.
//!
//! A slice lasts about [`SLICE_MS`]: its transition budget follows the measured rate, so the
//! page stays responsive on a slow or busy machine too (no task near the 50 ms of a long task;
//! `e2e/long-tasks.test.mjs`). Between slices it yields through a `MessageChannel` message, not
//! `setTimeout(0)`, which browsers clamp to 4 ms once timers nest.

use mmrace_core::explore::{Explorer, Status};

/// Wall time a slice aims at before it yields to the browser.
pub const SLICE_MS: f64 = 10.0;
/// Transition budget of the first slice (then adapted to [`SLICE_MS`]).
pub const FIRST_SLICE: u64 = 2_000;

/// Milliseconds since the page started (0 outside the browser).
pub fn now_ms() -> f64 {
    if cfg!(target_arch = "wasm32") {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    } else {
        0.0
    }
}

/// The next slice's transition budget: the last slice's rate times [`SLICE_MS`], changing at
/// most 4× a slice (one slow slice, e.g. a rehash or a busy machine, does not swing it wildly).
pub fn next_budget(budget: u64, dt_ms: f64) -> u64 {
    if dt_ms.is_nan() || dt_ms <= 0.1 {
        return budget.saturating_mul(4).min(1_000_000);
    }
    let aim = (budget as f64 * SLICE_MS / dt_ms) as u64;
    aim.clamp(
        (budget / 4).max(100),
        budget.saturating_mul(4).min(1_000_000),
    )
}

/// Runs `ex` to the end in slices. Before each slice `alive()` is asked whether the search is
/// still wanted; after each unfinished slice `on_slice` sees the explorer (progress). Returns
/// the explorer and whether it finished (false: `alive()` said stop; its report is partial).
pub async fn explore_sliced(
    mut ex: Explorer,
    alive: impl Fn() -> bool,
    mut on_slice: impl FnMut(&Explorer),
) -> (Explorer, bool) {
    let yielder = crate::dom::Yielder::new();
    let mut budget = FIRST_SLICE;
    loop {
        if !alive() {
            return (ex, false);
        }
        let t = now_ms();
        let status = ex.run(budget);
        budget = next_budget(budget, now_ms() - t);
        if status != Status::Running {
            return (ex, true);
        }
        on_slice(&ex);
        yielder.yield_now().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_follow_the_measured_rate_within_bounds() {
        // 2,000 transitions in 5 ms: aim at 10 ms.
        assert_eq!(next_budget(2_000, 5.0), 4_000);
        // A slow slice shrinks the next one, but by at most 4×.
        assert_eq!(next_budget(2_000, 20.0), 1_000);
        assert_eq!(next_budget(2_000, 500.0), 500);
        // Too fast to measure: grow 4×, never beyond a million.
        assert_eq!(next_budget(2_000, 0.0), 8_000);
        assert_eq!(next_budget(800_000, 0.0), 1_000_000);
        assert!(next_budget(100, 1_000.0) >= 100);
    }
}
