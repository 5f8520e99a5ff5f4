//! The timeline: one swimlane per actor across the steps, showing who stepped, mmap_lock
//! holds (read hatched, write solid, waits dotted), trylock failures, violations and their
//! causes, and a lane of mm changes (refcounts, flags, page tables, VMAs). Only a window of
//! steps is rendered, so long runs stay fast; click a step to jump there.

use crate::components::bounded_for::BoundedFor;
use crate::components::offscreen::{follow_run, watch_visibility};
use crate::components::row_signals::RowSignals;
use crate::components::timeline_column::TimelineColumn;
use crate::components::violation_alert::Highlights;
use crate::session::use_session;
use leptos::prelude::*;
use mmrace_core::view;

/// Steps rendered at once.
pub const WINDOW: usize = 30;

/// Swimlanes per actor over a window of steps.
#[component]
pub fn Timeline() -> impl IntoView {
    let s = use_session();
    let hl = expect_context::<Highlights>();
    let section = NodeRef::<leptos::html::Section>::new();
    let visible = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(el) = section.get() {
            watch_visibility(&el, visible);
        }
    });
    // What the timeline shows follows the run at once while on screen, in idle time while not.
    let (tick, pos, len) = follow_run(s, hl, visible);
    // A manual page (start, at which position it was chosen); forgotten once the position moves.
    let manual = RwSignal::new(None::<(usize, usize)>);
    let start = Memo::new(move |prev: Option<&usize>| {
        let p = pos.get();
        let len = len.get();
        let max_start = len.saturating_sub(WINDOW);
        if let Some((st, at)) = manual.get() {
            if at == p {
                return st.min(max_start);
            }
        }
        let prev = prev.copied().unwrap_or(0);
        let cur = p.saturating_sub(1);
        let st = if cur < prev || cur >= prev + WINDOW {
            cur.saturating_sub(WINDOW * 2 / 3)
        } else {
            prev
        };
        st.min(max_start)
    });
    let cols = Memo::new(move |_| {
        let st = start.get();
        tick.track();
        let causes = hl.causes.get_untracked();
        s.run
            .with_untracked(|r| view::timeline_steps(r, st..(st + WINDOW).min(r.len()), &causes))
    });
    let page = move |delta: isize| {
        let st = start.get_untracked() as isize + delta;
        let max = len.get_untracked().saturating_sub(WINDOW) as isize;
        manual.set(Some((
            st.clamp(0, max.max(0)) as usize,
            pos.get_untracked(),
        )));
    };
    let actors = move || s.actors();
    view! {
        <section class="timeline" data-testid="timeline" node_ref=section aria-labelledby="timeline-title">
            <header class="tl-head">
                <h2 id="timeline-title">"Timeline"</h2>
                <button data-testid="timeline-earlier" disabled=move || start.get() == 0
                    on:click=move |_| page(-(WINDOW as isize) / 2)>"◀ earlier"</button>
                <span class="tl-range" data-testid="timeline-range">
                    {move || {
                        let n = len.get();
                        if n == 0 {
                            "no steps yet".to_string()
                        } else {
                            format!("steps {}–{} of {n}", start.get() + 1, (start.get() + WINDOW).min(n))
                        }
                    }}
                </span>
                <button data-testid="timeline-later"
                    disabled=move || { start.get() + WINDOW >= len.get() }
                    on:click=move |_| page(WINDOW as isize / 2)>"later ▶"</button>
                <span class="tl-legend" aria-label="legend">
                    <span class="key hold-read">"R"</span>" read hold "
                    <span class="key hold-write">"W"</span>" write hold "
                    <span class="key hold-queued-write">"w…"</span>" waiting "
                    "✗ trylock failed · ⊕ lock taken · ⊖ released · ◆ cause · u/c mm_users/mm_count · +S SKIP, +V VICTIM, +U UNSTABLE, +Q REAP_QUEUED · A:D/A:F page tables · A✖ VMA freed · h∅ mm->mmap = NULL · ☠ mm freed"
                </span>
            </header>
            <div class="tl-body">
                <div class="tl-lanes" aria-hidden="true">
                    <span class="tl-lane-label events">"!"</span>
                    {move || actors().into_iter().map(|a| view! {
                        <span class=format!("tl-lane-label actor-{a}")>{a.to_string()}</span>
                    }).collect_view()}
                    <span class="tl-lane-label">"mm"</span>
                </div>
                <ol class="tl-steps" style=format!("--window: {WINDOW}")>
                    <BoundedFor each=move || cols.get() key=|c| c.key() scope=move || RowSignals::provide(pos) let:c>
                        <TimelineColumn c=c/>
                    </BoundedFor>
                </ol>
            </div>
        </section>
    }
}
