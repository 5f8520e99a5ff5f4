//! One actor's column: who it is, whether it can run (and if not, why, in kernel terms), its
//! call stack and locals, a Step button, and its program with the current line highlighted.

use crate::components::code_listing::CodeListing;
use crate::session::use_session;
use crate::text::status_glyph;
use leptos::prelude::*;
use mmrace_core::actor::ActorId;
use mmrace_core::view::{self, Hold};

/// The actor's name as its badge shows it: `M1`/`M2` when the scenario has two of a kind
/// (`Scenario::actor_heading`), for the column, its tab and its thumb button alike.
pub(crate) fn heading(actor: ActorId) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let s = use_session();
    move || s.model.with(|m| m.scenario.actor_heading(actor))
}

/// The column of actor `actor` in the stepper.
#[component]
pub fn ActorColumn(
    actor: ActorId,
    /// The column's place on the stage: its listing is built in a turn of its own
    /// (crate::mount).
    column: u8,
    /// The actor's status (the stage's memo, shared with its tab and thumb button).
    status: Memo<view::ActorStatus>,
) -> impl IntoView {
    let s = use_session();
    let listing = crate::mount::ready(crate::mount::Part::Listing(column));
    let frames = Memo::new(move |_| {
        s.run
            .with(|r| view::frame_views(&r.model, r.steps_so_far(), r.state(), actor))
    });
    let locals = Memo::new(move |_| {
        let st = s.state.get();
        s.model.with(|m| view::locals(m, &st, actor))
    });
    let call = Memo::new(move |_| view::call_path(&s.state.get(), actor));
    let hold = Memo::new(move |_| view::hold(&s.state.get(), actor));
    let stepped_last = Memo::new(move |_| {
        s.run
            .with(|r| r.pos() > 0 && r.steps()[r.pos() - 1].actor == actor)
    });
    // `data-actor` and the Step button use the actor's name (V … M, M2, G, G2); the badge
    // shows M1/M2 when the scenario has two of a kind, coloured by kind.
    let letter = actor.name().to_string();
    let kind = actor.letter();
    let badge = Memo::new({
        let h = heading(actor);
        move |_| h()
    });
    let heading_id = format!("actor-{letter}");
    // The letter key steps the first actor of a kind; every column also has a digit key.
    let key = if actor.name().len() == 1 {
        letter.to_ascii_lowercase()
    } else {
        String::new()
    };
    let heading_id2 = heading_id.clone();
    view! {
        <section
            class=move || {
                format!(
                    "actor status-{}{}",
                    status.get().kind.slug(),
                    if stepped_last.get() { " stepped" } else { "" },
                )
            }
            data-testid="actor-column"
            id=format!("column-{letter}")
            data-actor=letter.clone()
            data-status=move || status.get().kind.slug()
            aria-labelledby=heading_id2
        >
            <header class="actor-head">
                <h2 class="actor-title" id=heading_id.clone()>
                    <span class=format!("actor-badge actor-{kind}")>{move || badge.get()}</span>
                    <span class="actor-name">{actor.title()}</span>
                </h2>
                <button
                    class="step-btn"
                    data-testid="step-button"
                    data-actor=letter.clone()
                    aria-keyshortcuts=(!key.is_empty()).then_some(key)
                    disabled=move || !status.get().kind.can_step()
                    title=move || status.get().reason.unwrap_or_else(|| format!("Execute {}'s next step", actor))
                    on:click=move |_| {
                        let _ = s.step(actor);
                    }
                >
                    // In a narrow column (seven actors on a projector) the word goes to the
                    // screen reader only, so the badge and the actor's name keep their room.
                    <span class="step-word">"Step "</span>{move || badge.get()}
                </button>
            </header>
            <p class="actor-status" data-testid="actor-status" data-status=move || status.get().kind.slug()>
                <span class="glyph" aria-hidden="true">{move || status_glyph(status.get().kind)}</span>
                <strong>{move || status.get().kind.label()}</strong>
                {move || {
                    let h = hold.get();
                    (matches!(h, Hold::Read | Hold::Write))
                        .then(|| view! { <span class=format!("hold-chip chip-{}", h.slug())>{h.label()}</span> })
                }}
                {move || {
                    let st = status.get();
                    st.reason
                        .filter(|_| st.kind != view::StatusKind::Done)
                        .map(|r| view! { <span class="reason" data-testid="actor-reason">{r}</span> })
                }}
            </p>
            <p class="call-path" data-testid="call-path">
                <span class="sr-only">"Call stack: "</span>
                {move || {
                    let c = call.get();
                    if c.is_empty() { "returned".to_string() } else { c }
                }}
            </p>
            <dl class="locals" data-testid="locals">
                {move || {
                    locals
                        .get()
                        .into_iter()
                        .map(|l| {
                            let bad = l.value.contains("freed");
                            view! {
                                <div class=if bad { "local bad" } else { "local" } data-local=l.name>
                                    <dt>{l.name}</dt>
                                    <dd>{l.value}</dd>
                                </div>
                            }
                        })
                        .collect_view()
                }}
            </dl>
            {crate::mount::gate(listing, move || view! {
                <CodeListing actor=actor frames=frames blocked=Signal::derive(move || !status.get().kind.can_step())/>
            })}
        </section>
    }
}
