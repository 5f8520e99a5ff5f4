//! Relays of the session signals that list rows (timeline columns, step-list rows) read.
//!
//! A row's reactive attributes subscribe to what they read, and Leptos 0.8 never removes a
//! dropped effect from its sources' subscriber lists. Rows that read `Session::pos` directly
//! would leave an entry behind in it for every row ever removed. Rows read these memos
//! instead; they are created per generation of a [`BoundedFor`](super::bounded_for::BoundedFor)
//! and disposed with it, dead subscribers and all.

use crate::components::violation_alert::Highlights;
use leptos::prelude::*;

/// The session's position and the violating steps, as seen by list rows.
#[derive(Clone, Copy)]
pub struct RowSignals {
    /// `Session::pos`: states stepped so far (the current row).
    pub pos: Memo<usize>,
    /// `Highlights::violations`: indexes of the steps that violate an invariant, sorted.
    pub violations: Memo<Vec<usize>>,
}

impl RowSignals {
    /// Creates the relays in the current reactive scope and provides them as context; `pos` is
    /// the position the list shows (it may lag `Session::pos` while the list is off screen, see
    /// [`crate::components::offscreen`]).
    pub fn provide(pos: Memo<usize>) {
        let hl = expect_context::<Highlights>();
        provide_context(RowSignals {
            pos: Memo::new(move |_| pos.get()),
            violations: Memo::new(move |_| hl.violations.get()),
        });
    }
}

/// The relays provided by the enclosing [`BoundedFor`](super::bounded_for::BoundedFor).
pub fn use_row_signals() -> RowSignals {
    expect_context::<RowSignals>()
}
