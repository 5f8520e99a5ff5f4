//! The stage: what a presenter keeps on screen — the transport controls, the narration and
//! any violation, the mm, and one column per actor.

use crate::components::actor_column::{heading, ActorColumn};
use crate::components::mm_panel::MmPanel;
use crate::components::narration::Narration;
use crate::components::transport::Transport;
use crate::components::violation_alert::ViolationAlert;
use crate::mount::{gate, ready, Part};
use crate::session::use_session;
use leptos::prelude::*;
use mmrace_core::actor::ActorId;
use mmrace_core::sim::StepInfo;
use mmrace_core::view::{self, ActorStatus};

/// The stepper's main view.
#[component]
pub fn Stage() -> impl IntoView {
    let s = use_session();
    let last = Memo::new(move |_| {
        s.run.with(|r| {
            let p = r.pos();
            (p > 0).then(|| (p, r.steps()[p - 1].clone()))
        })
    });
    let last: Signal<Option<(usize, StepInfo)>> = last.into();
    let state: Signal<mmrace_core::sim::State> = s.state.into();
    // The scenario's actors as a memo: a reset (a new model, the same actors) keeps the columns
    // instead of re-creating them, which cost ~2.7 KB of wasm memory per reset, never returned
    // (measured with e2e/bench-memory.mjs).
    let actors = Memo::new(move |_| s.actors());
    let statuses = Statuses::new();
    // Built in turns while the page is hidden (crate::mount): no task builds the whole stage.
    let (transport, narration, mm) = (
        ready(Part::Transport),
        ready(Part::Narration),
        ready(Part::Mm),
    );
    view! {
        <section class="stage" data-testid="stage" aria-label="Stepper">
            {gate(transport, move || view! {
                // On a phone this bar is fixed at the bottom of the screen, under the thumb, with
                // a Step button per actor; on wider screens it is the ordinary transport row.
                <div class="thumb-bar" data-testid="thumb-bar">
                    <Transport/>
                    <div class="thumb-steps" role="group" aria-label="Step an actor">
                        {move || actors.get().into_iter().map(|a| view! { <ThumbStep actor=a status=statuses.of(a)/> }).collect_view()}
                    </div>
                </div>
            })}
            {gate(narration, || view! {
                <Narration/>
                <ViolationAlert/>
            })}
            {gate(mm, move || view! { <MmPanel state=state last=last/> })}
            {gate(narration, move || view! {
                <nav class="actor-tabs" data-testid="actor-tabs" aria-label="Actor columns">
                    {move || actors.get().into_iter().map(|a| view! { <ActorTab actor=a status=statuses.of(a)/> }).collect_view()}
                </nav>
            })}
            <div
                class="actors"
                data-testid="actors"
                style=move || format!("--actors: {}", actors.with(|a| a.len()))
            >
                {move || actors.get().into_iter().enumerate().map(|(i, a)| {
                    let i = i.min(u8::MAX as usize) as u8;
                    let column = ready(Part::Column(i));
                    gate(column, move || view! { <ActorColumn actor=a column=i status=statuses.of(a)/> })
                }).collect_view()}
            </div>
        </section>
    }
}

/// Each actor's status, computed once per step and shared by its column, its tab and its
/// thumb button (each computed it, and each was one more reader of the state to run at every
/// step). The memos belong to the stage, so columns re-created on a reset reuse them.
#[derive(Clone, Copy)]
struct Statuses {
    owner: StoredValue<Option<Owner>>,
    memos: StoredValue<Vec<(ActorId, Memo<ActorStatus>)>>,
}

impl Statuses {
    fn new() -> Statuses {
        Statuses {
            owner: StoredValue::new(Owner::current()),
            memos: StoredValue::new(Vec::new()),
        }
    }

    /// Actor `actor`'s status memo (made on first use, under the stage's owner).
    fn of(self, actor: ActorId) -> Memo<ActorStatus> {
        if let Some(m) = self
            .memos
            .with_value(|v| v.iter().find(|(a, _)| *a == actor).map(|(_, m)| *m))
        {
            return m;
        }
        let s = use_session();
        let make = move || {
            Memo::new(move |_| {
                let st = s.state.get();
                s.model.with(|m| view::actor_status(m, &st, actor))
            })
        };
        let memo = match self.owner.get_value() {
            Some(o) => o.with(make),
            None => make(),
        };
        self.memos.update_value(|v| v.push((actor, memo)));
        memo
    }
}

/// A Step button for the phone's bottom bar (the column's own button is out of the thumb's
/// reach there).
#[component]
fn ThumbStep(actor: ActorId, status: Memo<ActorStatus>) -> impl IntoView {
    let s = use_session();
    let can = move || status.with(|st| st.kind.can_step());
    // Named as the column is (M2, G2 for the second of a kind), coloured by kind.
    let kind = actor.letter();
    view! {
        <button class=format!("thumb-step actor-{kind}") data-testid="thumb-step" data-actor=actor.name()
            disabled=move || !can()
            on:click=move |_| {
                let _ = s.step(actor);
            }>
            <span class="sr-only">"Step "</span>{heading(actor)}
        </button>
    }
}

/// A tab that brings an actor's column into view in the phone's swipeable row of columns.
#[component]
fn ActorTab(actor: ActorId, status: Memo<ActorStatus>) -> impl IntoView {
    // The column's id and `data-actor` use the actor's name (M2 for the second caller), its
    // badge the heading (M1/M2 when the scenario has two of a kind), coloured by kind.
    let name = actor.name();
    let kind = actor.letter();
    view! {
        <button class="actor-tab" data-testid="actor-tab" data-actor=name
            aria-controls=format!("column-{name}")
            on:click=move |_| show_column(name)>
            <span class=format!("actor-badge actor-{kind}")>{heading(actor)}</span>
            <span class="actor-tab-status">{move || status.with(|st| st.kind.label())}</span>
        </button>
    }
}

/// Scrolls the row of columns (only that row) so that actor `name`'s column starts it.
fn show_column(name: &str) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let col = doc
        .get_element_by_id(&format!("column-{name}"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let row = doc
        .query_selector("[data-testid=\"actors\"]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let (Some(col), Some(row)) = (col, row) {
        row.set_scroll_left(col.offset_left() - row.offset_left());
    }
}
