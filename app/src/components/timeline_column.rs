//! One step of the timeline: a button (jump there) with a cell per lane — violations and
//! causes, each actor's mmap_lock hold or wait (and what the stepping actor did), the mm
//! changes, and the step number.

use crate::components::row_signals::use_row_signals;
use crate::session::use_session;
use crate::text::hold_letter;
use leptos::prelude::*;
use mmrace_core::sim::LockOutcome;
use mmrace_core::view::TimelineStep;

fn lock_glyph(l: Option<LockOutcome>) -> &'static str {
    match l {
        Some(LockOutcome::Acquired) => "⊕",
        Some(LockOutcome::Queued) => "‖",
        Some(LockOutcome::TrylockFailed) => "✗",
        Some(LockOutcome::Released) => "⊖",
        Some(LockOutcome::Killed) => "☠",
        None => "●",
    }
}

/// One step of the timeline: a button (jump here) with a cell per lane.
#[component]
pub fn TimelineColumn(c: TimelineStep) -> impl IntoView {
    let s = use_session();
    let rows = use_row_signals();
    let i = c.i;
    let changes_text = c
        .changes
        .iter()
        .map(|x| x.text.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    let aria = format!(
        "Step {}: {} {}{}{}. Jump here.",
        i + 1,
        c.actor,
        c.label,
        if changes_text.is_empty() {
            String::new()
        } else {
            format!("; {changes_text}")
        },
        if c.violations.is_empty() {
            String::new()
        } else {
            format!("; violates {}", c.violations.join(", "))
        },
    );
    let glyphs: Vec<String> = c.changes.iter().map(|x| x.glyph.clone()).collect();
    let mm_lines: Vec<String> = if glyphs.len() > 2 {
        vec![glyphs[0].clone(), format!("+{}", glyphs.len() - 1)]
    } else {
        glyphs
    };
    let events = if !c.violations.is_empty() {
        c.violations.join(" ")
    } else if c.cause {
        "◆".to_string()
    } else {
        String::new()
    };
    let cause = c.cause;
    let current = move || rows.pos.get() == i + 1;
    view! {
        <li class="tl-col">
            <button
                class=move || {
                    let pos = rows.pos.get();
                    let bad = rows.violations.with(|v| v.binary_search(&i).is_ok());
                    format!(
                        "tl-step{}{}{}{}",
                        if pos == i + 1 { " current" } else { "" },
                        if i + 1 > pos { " future" } else { "" },
                        if cause { " cause" } else { "" },
                        if bad { " violation" } else { "" },
                    )
                }
                data-testid="timeline-step"
                data-step=i.to_string()
                aria-current=move || current().then_some("step")
                title=format!("{} {} {}", i + 1, c.actor, c.label)
                on:click=move |_| s.jump(i + 1)
            >
                <span class="sr-only">{aria}</span>
                <span class="tl-cell events" aria-hidden="true">{events}</span>
                {c.holds
                    .iter()
                    .map(|(a, h)| {
                        let stepped = *a == c.actor;
                        view! {
                            <span aria-hidden="true" class=format!(
                                "tl-cell hold-{}{}",
                                h.slug(),
                                if stepped { " stepped" } else { "" }
                            )>
                                {if stepped { lock_glyph(c.lock).to_string() } else { hold_letter(*h).to_string() }}
                            </span>
                        }
                    })
                    .collect_view()}
                <span class="tl-cell mm" aria-hidden="true">
                    {mm_lines.into_iter().map(|g| view! { <span class="g">{g}</span> }).collect_view()}
                </span>
                <span class="tl-num" aria-hidden="true">{(i + 1).to_string()}</span>
            </button>
        </li>
    }
}
