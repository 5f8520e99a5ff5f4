//! One row of the step list: position, actor, instance label, lock outcome, violations and
//! cause marks; the full sentence as its tooltip; click to jump there.

use crate::components::row_signals::use_row_signals;
use crate::session::use_session;
use leptos::prelude::*;

/// Height of a row in pixels (the list is virtualized on it).
pub const ROW_H: i32 = 30;

/// What one row of the step list shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowData {
    pub k: usize,
    pub who: String,
    pub label: String,
    pub extra: String,
    pub title: String,
    pub cause: bool,
}

impl RowData {
    pub fn key(&self) -> (usize, String, String) {
        (self.k, self.label.clone(), self.extra.clone())
    }
}

/// One row: position `k` (0 = the initial state); click to jump there.
#[component]
pub fn StepRow(r: RowData) -> impl IntoView {
    let s = use_session();
    let rows = use_row_signals();
    let k = r.k;
    let top = k as i32 * ROW_H;
    let bad = r.extra.contains('⚠');
    let cause = r.cause;
    view! {
        <li class="step-row-item" style=format!("top: {top}px; height: {ROW_H}px")>
            <button
                class=move || {
                    let pos = rows.pos.get();
                    format!(
                        "step-row{}{}{}{}",
                        if k == pos { " current" } else { "" },
                        if k > pos { " future" } else { "" },
                        if cause { " cause" } else { "" },
                        if bad { " violation" } else { "" },
                    )
                }
                data-testid="step-row"
                data-step=k.to_string()
                aria-current=move || (rows.pos.get() == k).then_some("step")
                title=r.title
                on:click=move |_| s.jump(k)
            >
                <span class="num">{k.to_string()}</span>
                <span class=format!("who actor-{}", r.who)>{r.who.clone()}</span>
                <span class="label">{r.label}</span>
                <span class="extra">{r.extra}</span>
            </button>
        </li>
    }
}
