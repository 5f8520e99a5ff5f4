//! One side of compare mode: a variant's state at the lockstep cursor — its last step's
//! sentence, each actor's status and current line, its violations so far, and the mm.

use crate::components::compare_view::{side_pos, use_compare};
use crate::components::mm_panel::MmPanel;
use crate::text::status_glyph;
use leptos::prelude::*;
use mmrace_core::compare::Comparison;
use mmrace_core::narrate::sentence;
use mmrace_core::run::Run;
use mmrace_core::sim::{State, StepInfo};
use mmrace_core::view;
use std::sync::Arc;

/// One side of the comparison at the current row.
#[component]
pub fn CompareSide(c: Arc<Comparison>, side: usize) -> impl IntoView {
    let ctl = use_compare();
    let c2 = c.clone();
    let run = move |c: &Comparison| -> Run {
        if side == 0 {
            c.a.clone()
        } else {
            c.b.clone()
        }
    };
    let r = Arc::new(run(&c2));
    let r1 = r.clone();
    let pos = Memo::new(move |_| side_pos(&c, ctl.row.get(), side));
    let state: Signal<State> = {
        let r = r1.clone();
        Signal::derive(move || *r.state_at(pos.get()))
    };
    let last: Signal<Option<(usize, StepInfo)>> = {
        let r = r1.clone();
        Signal::derive(move || {
            let p = pos.get();
            (p > 0).then(|| (p, r.steps()[p - 1].clone()))
        })
    };
    let before: Signal<Option<State>> = {
        let r = r1.clone();
        Signal::derive(move || {
            let p = pos.get();
            (p > 0).then(|| *r.state_at(p - 1))
        })
    };
    let info = r.model.variant.info;
    let absent: Signal<Vec<mmrace_core::mm::MmFlag>> = {
        let flags = crate::components::mm_panel::absent_flags_of(&r.model.variant);
        Signal::derive(move || flags.clone())
    };
    let err = c2.errors[side].clone();
    let rs = r1.clone();
    let narration = move || {
        let p = pos.get();
        if p == 0 {
            "initial state".to_string()
        } else {
            sentence(
                &rs.model,
                rs.state_at(p - 1),
                &rs.steps()[p - 1],
                rs.state_at(p),
            )
        }
    };
    let ra = r1.clone();
    let actors = move || {
        let st = state.get();
        ra.model
            .scenario
            .actors()
            .into_iter()
            .map(|a| {
                let status = view::actor_status(&ra.model, &st, a);
                let line = st.actor(a).pc().map(|pc| {
                    let d = ra.model.step_def(pc);
                    if d.code.is_empty() { d.label } else { d.code }
                });
                view! {
                    <li class=format!("compare-actor status-{}", status.kind.slug()) data-actor=a.to_string()>
                        <span class=format!("actor-badge actor-{a}")>{a.to_string()}</span>
                        <span class="status"><span aria-hidden="true">{status_glyph(status.kind)}</span>" "{status.kind.label()}</span>
                        <span class="call-path">{view::call_path(&st, a)}</span>
                        <code class="cur-line">{line.unwrap_or("")}</code>
                    </li>
                }
            })
            .collect_view()
    };
    let rv = r1.clone();
    let violations = move || {
        let p = pos.get();
        let mut v: Vec<&'static str> = rv.steps()[..p]
            .iter()
            .flat_map(|s| s.violations.iter().map(|x| x.inv.id()))
            .collect();
        v.dedup();
        v.sort_unstable();
        v.dedup();
        v
    };
    view! {
        <section class="compare-side" data-testid=if side == 0 { "compare-side-a" } else { "compare-side-b" }>
            <h2>
                <span class="side-letter">{if side == 0 { "A" } else { "B" }}</span>" "
                <span data-testid="compare-variant">{r.model.variant.label()}</span>
                <span class="muted">{format!(" — {}", info.kernel)}</span>
            </h2>
            <p class="position">{move || format!("step {} of {}", pos.get(), r.len())}</p>
            <p class="sentence" data-testid="compare-narration">{narration}</p>
            {move || {
                let v = violations();
                (!v.is_empty()).then(|| view! {
                    <p class="violation-chip" data-testid="compare-violations">{format!("⚠ {}", v.join(", "))}</p>
                })
            }}
            {err.map(|e| view! { <p class="field-error">{format!("stopped: {}", e.message)}</p> })}
            <ul class="compare-actors">{actors}</ul>
            <MmPanel state=state last=last before=before compact=true absent_flags=absent/>
        </section>
    }
}
