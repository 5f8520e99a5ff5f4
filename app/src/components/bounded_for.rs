//! `BoundedFor`: Leptos's keyed `For`, with its bookkeeping kept bounded.
//!
//! Leptos 0.8's `For` gives every row a reactive owner created as a child of the `For`'s own
//! owner. The parent keeps a weak reference to each child it ever had and only drops that list
//! when the parent itself is cleaned up, so a removed row leaves ~150 bytes behind (the owner's
//! allocation, kept alive by the weak reference). The timeline and the step list replace a
//! few rows on every step, so a long autoplay leaked without bound (about 350 bytes a step,
//! measured with `e2e/bench-memory.mjs`), even across resets.
//!
//! A second, larger leak has the same shape: a row's reactive attributes (`class=move || …`)
//! subscribe to the signals they read, and a dropped effect stays in its sources' subscriber
//! lists (as a weak reference that keeps its allocation) until the source is disposed. For the
//! session's long-lived `pos` that is forever, and every notification walks the dead entries.
//!
//! `BoundedFor` therefore renders its rows in generations. Each generation is a reactive
//! closure that first calls `scope` — where the caller creates the memos its rows read (relays
//! of the session signals, see [`crate::components::row_signals`]) — and then renders a fresh
//! `For`. After [`ROWS_PER_GENERATION`] rows have been created the closure re-runs: cleaning up
//! its owner drops the `For`'s list of row owners and disposes the relays together with their
//! dead subscribers. The live rows are rebuilt once (a few dozen elements, about every 150
//! autoplay steps); if the keyboard focus was on a row, it is put back on the same row. What a
//! generation holds before it is released stays under ~150 KB.

use leptos::prelude::*;
use std::hash::Hash;
use wasm_bindgen::JsCast;

/// Rows a `For` may create before it is replaced by a fresh one (the timeline creates about
/// two rows per step: the new column, and the window sliding).
pub const ROWS_PER_GENERATION: usize = 300;

/// A keyed list like `For` (same props) whose memory does not grow with the rows it has
/// replaced over time.
#[component]
pub fn BoundedFor<IF, I, T, SF, EF, N, KF, K>(
    /// Items over which the component should iterate.
    each: IF,
    /// A key function that will be applied to each item.
    key: KF,
    /// Runs at the start of every generation, in its reactive scope: create (and provide as
    /// context) the memos the rows subscribe to there, so they are disposed with the rows.
    scope: SF,
    /// A function that takes the item, and returns the view that will be displayed for each item.
    children: EF,
) -> impl IntoView
where
    IF: Fn() -> I + Send + Sync + Clone + 'static,
    I: IntoIterator<Item = T> + Send + 'static,
    EF: Fn(T) -> N + Send + Sync + Clone + 'static,
    N: IntoView + 'static,
    KF: Fn(&T) -> K + Send + Sync + Clone + 'static,
    K: Eq + Hash + 'static,
    T: Send + 'static,
    SF: Fn() + Send + Sync + Clone + 'static,
{
    let generation = RwSignal::new(0u64);
    let created = StoredValue::new(0usize);
    move || {
        generation.track();
        created.set_value(0);
        scope();
        let children = children.clone();
        let counted = move |item: T| {
            created.update_value(|n| *n += 1);
            if created.get_value() == ROWS_PER_GENERATION {
                // After this render, not during it.
                queue_microtask(move || {
                    let focus = focused_row_selector();
                    generation.try_update(|g| *g += 1);
                    if let Some(selector) = focus {
                        request_animation_frame(move || refocus(&selector));
                    }
                });
            }
            children(item)
        };
        view! { <For each=each.clone() key=key.clone() children=counted/> }
    }
}

/// A selector for the focused element if it is a list row that the rebuild would replace
/// (identified by its `data-testid` and `data-step`, as the timeline and step list rows are).
fn focused_row_selector() -> Option<String> {
    let active = web_sys::window()?.document()?.active_element()?;
    let testid = active.get_attribute("data-testid")?;
    let step = active.get_attribute("data-step")?;
    Some(format!("[data-testid=\"{testid}\"][data-step=\"{step}\"]"))
}

fn refocus(selector: &str) {
    let found = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = found {
        let _ = el.focus();
    }
}
