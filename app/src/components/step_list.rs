//! The step list: every recorded step (label, lock outcome, violations), the current one
//! highlighted and the causes of a violation marked. Virtualized: only the visible rows exist
//! in the DOM, so a 10,000-step run scrolls as fast as a 10-step one.

use crate::components::bounded_for::BoundedFor;
use crate::components::offscreen::{follow_run, watch_visibility};
use crate::components::row_signals::RowSignals;
use crate::components::step_row::{RowData, StepRow, ROW_H};
use crate::components::violation_alert::Highlights;
use crate::session::use_session;
use leptos::html;
use leptos::prelude::*;
use mmrace_core::narrate::sentence;
use mmrace_core::sim::LockOutcome;

const VIEW_H: i32 = 300;
const OVERSCAN: usize = 4;

/// Scrollable list of steps; click one to jump there.
#[component]
pub fn StepList() -> impl IntoView {
    let s = use_session();
    let hl = expect_context::<Highlights>();
    // Where the list is scrolled to, as far as this component knows: it follows the current
    // row without reading the layout (rows have a fixed height), and reads the DOM only when
    // the user scrolls.
    let scroll_top = RwSignal::new(0i32);
    let container = NodeRef::<html::Div>::new();
    // Whether the list is on screen. Below the stage it usually is not: its panel is then
    // skipped by rendering (`content-visibility: auto`), and scrolling it would force the layout
    // of everything in it on every step. The scroll is applied once it comes into view.
    let visible = RwSignal::new(false);
    // The scroll offset the list element has (as last written or read), and whether a scroll
    // event is the echo of a write.
    let applied = StoredValue::new(0i32);
    let echo = StoredValue::new(false);
    // What the list shows follows the run at once while on screen, in idle time while not.
    let (tick, pos, len) = follow_run(s, hl, visible);
    // Keep the current row in view when the position changes.
    Effect::new(move |_| {
        let p = pos.get() as i32;
        let n = len.get() as i32;
        let st = scroll_top.get_untracked();
        let top = p * ROW_H;
        if top < st || top + ROW_H > st + VIEW_H {
            let max = ((n + 1) * ROW_H - VIEW_H).max(0);
            scroll_top.set((top - VIEW_H / 2).clamp(0, max));
        }
    });
    // Apply it to the element while it is on screen, after the DOM has its new height (next
    // frame), so the browser does not clamp the scroll.
    Effect::new(move |_| {
        let want = scroll_top.get();
        if !visible.get() || applied.get_value() == want {
            return;
        }
        request_animation_frame(move || {
            if let Some(div) = container.try_get_untracked().flatten() {
                applied.set_value(want);
                echo.set_value(true);
                div.set_scroll_top(want);
            }
        });
    });
    Effect::new(move |_| {
        if let Some(div) = container.get() {
            watch_visibility(&div, visible);
        }
    });
    let rows = Memo::new(move |_| {
        let n = len.get() + 1;
        let first = (scroll_top.get() / ROW_H).max(0) as usize;
        let first = first.saturating_sub(OVERSCAN).min(n.saturating_sub(1));
        let last = (first + (VIEW_H / ROW_H) as usize + 2 * OVERSCAN + 1).min(n);
        (first, last)
    });
    let row_data = Memo::new(move |_| {
        let (first, last) = rows.get();
        tick.track();
        let causes = hl.causes.get_untracked();
        s.run.with_untracked(|r| {
            (first..last)
                .map(|k| {
                    if k == 0 {
                        return RowData {
                            k,
                            who: String::new(),
                            label: "initial state".to_string(),
                            extra: String::new(),
                            title: String::new(),
                            cause: false,
                        };
                    }
                    let i = k - 1;
                    let info = &r.steps()[i];
                    let mut extra = Vec::new();
                    match info.lock {
                        Some(LockOutcome::TrylockFailed) => {
                            extra.push("✗ trylock failed".to_string())
                        }
                        Some(LockOutcome::Queued) => extra.push("‖ queued".to_string()),
                        Some(LockOutcome::Killed) => extra.push("☠ killed".to_string()),
                        _ => {}
                    }
                    if !info.granted.is_empty() {
                        let g: Vec<String> = info.granted.iter().map(|a| a.to_string()).collect();
                        extra.push(format!("→ lock to {}", g.join(",")));
                    }
                    for v in &info.violations {
                        extra.push(format!("⚠ {}", v.inv.id()));
                    }
                    let cause = causes.binary_search(&i).is_ok();
                    if cause {
                        extra.push("◆ cause".to_string());
                    }
                    RowData {
                        k,
                        who: info.actor.to_string(),
                        label: r.label(i),
                        extra: extra.join(" "),
                        title: sentence(&r.model, r.state_at(i), info, r.state_at(i + 1)),
                        cause,
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="steps-panel" aria-labelledby="steps-title">
            <h2 id="steps-title">"Steps"</h2>
            <div
                class="steplist"
                data-testid="step-list"
                node_ref=container
                tabindex="0"
                style=format!("height: {VIEW_H}px")
                on:scroll=move |_| {
                    // The echo of our own write needs no read (it would force a layout).
                    if echo.get_value() {
                        echo.set_value(false);
                        return;
                    }
                    if let Some(div) = container.try_get_untracked().flatten() {
                        let top = div.scroll_top();
                        applied.set_value(top);
                        scroll_top.set(top);
                    }
                }
            >
                <ol
                    class="steplist-inner"
                    style=move || format!("height: {}px", (len.get() as i32 + 1) * ROW_H)
                >
                    <BoundedFor each=move || row_data.get() key=|r| r.key() scope=move || RowSignals::provide(pos) let:r>
                        <StepRow r=r/>
                    </BoundedFor>
                </ol>
            </div>
        </section>
    }
}
