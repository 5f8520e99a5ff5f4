//! The mount in turns: the page is built over several tasks of the event loop, a part per task,
//! so that no task is long enough to hold up input (a phone at Lighthouse's 4× slowdown turns a
//! 12 ms task into a 50 ms "long task").
//!
//! The first screen (header and bars, the stage's transport, narration, mm and one column per
//! actor, then each column's listing, in that order) is built while the `<main>` is hidden (`data-mounting`, `display: none` in main.css),
//! so a half-built stage is never on screen and nothing is laid out twice. On the bare URL the
//! pre-rendered copy of the same view (scripts/prerender.mjs) stays on screen meanwhile. At
//! [`Part::Shown`] the copy is removed and the live page shown in the same task, so the swap does
//! not move anything. The panels below the first screen then follow, a turn each.
//!
//! Outside the browser (the native unit tests) every part is ready at once.

use crate::dom;
use leptos::prelude::*;

/// The parts of the page, in the order they are built (one turn each; a column per actor).
/// Turn 0, the mount itself, sets up the session and builds the stage's frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    /// The header's first row: title, pickers, reset, modes.
    Header,
    /// The header's second row: the variant's summary, theme and help.
    Summary,
    /// The bars under the header: embed, notices, presenter.
    Bars,
    /// The orientation card (bare URL only).
    Orientation,
    /// The stage's transport bar.
    Transport,
    /// The narration, the violation alert and the actor tabs.
    Narration,
    /// The mm panel.
    Mm,
    /// Actor column `n` without its code listing (0-based; columns from [`MAX_COLUMNS`] on are
    /// built with the last one).
    Column(u8),
    /// Actor column `n`'s code listing.
    Listing(u8),
    /// The live page replaces the pre-rendered copy.
    Shown,
    Timeline,
    StepList,
    Schedule,
    Explore,
    Tools,
}

/// Columns with turns of their own (no scenario has more actors).
pub const MAX_COLUMNS: u8 = 7;

impl Part {
    /// The turn in which this part is built.
    pub fn turn(self) -> u8 {
        const COLUMNS: u8 = 8;
        const SHOWN: u8 = COLUMNS + 2 * MAX_COLUMNS;
        match self {
            Part::Header => 1,
            Part::Summary => 2,
            Part::Bars => 3,
            Part::Orientation => 4,
            Part::Transport => 5,
            Part::Narration => 6,
            Part::Mm => 7,
            Part::Column(n) => COLUMNS + 2 * n.min(MAX_COLUMNS - 1),
            Part::Listing(n) => COLUMNS + 2 * n.min(MAX_COLUMNS - 1) + 1,
            Part::Shown => SHOWN,
            Part::Timeline => SHOWN + 1,
            Part::StepList => SHOWN + 2,
            Part::Schedule => SHOWN + 3,
            Part::Explore => SHOWN + 4,
            Part::Tools => SHOWN + 5,
        }
    }
}

/// The turn counter, provided by the app root.
#[derive(Clone, Copy)]
struct Turn(ReadSignal<u8>);

/// Starts the turns (call once, in the app root) and provides them to the components.
pub fn provide_turns() {
    provide_context(Turn(dom::turns(Part::Tools.turn())));
}

/// Whether `part` has had its turn: a memo, so that it changes once, and a view gated on it is
/// built once, not again on every later turn. Without the app root (a component alone in a
/// test), every part is ready.
pub fn ready(part: Part) -> Memo<bool> {
    let turn = use_context::<Turn>();
    Memo::new(move |_| match turn {
        Some(Turn(t)) => t.get() >= part.turn(),
        None => true,
    })
}

/// `build`'s view once `when` holds, built once (`when` is a memo). The view is type-erased, so
/// every gated part shares one `Option<AnyView>` rendering in the wasm instead of one per part.
pub fn gate<V, F>(when: Memo<bool>, build: F) -> impl IntoView
where
    V: IntoView + 'static,
    F: Fn() -> V + Send + Sync + 'static,
{
    move || when.get().then(|| build().into_any())
}

/// `build`'s view from `part`'s turn on (see [`gate`]).
pub fn in_turn<V, F>(part: Part, build: F) -> impl IntoView
where
    V: IntoView + 'static,
    F: Fn() -> V + Send + Sync + 'static,
{
    gate(ready(part), build)
}
