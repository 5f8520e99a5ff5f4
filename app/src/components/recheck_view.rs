//! The re-check's result in edit mode ([`crate::recheck`]): a verdict per scenario with its
//! time, the bug atlas of the stepper's scenario with a Load button per counterexample, the
//! challenge being played with what it still needs (or its lesson, once solved), and the way
//! to compare the edited variant with the variant as shipped.

use crate::components::atlas::Atlas;
use crate::components::compare_view::compare_edited;
use crate::recheck::{use_recheck, Checked};
use crate::session::{use_session, Session};
use leptos::prelude::*;
use mmrace_core::challenge::{self, Challenge};
use mmrace_core::view::verdict;

fn verdict_row(name: String, c: Option<Checked>, running: bool) -> impl IntoView {
    let attr = name.clone();
    match c {
        Some(c) => {
            let safe = c.report.is_safe();
            let text = verdict(&c.report);
            view! {
                <li class=if safe { "verdict safe" } else { "verdict unsafe" } data-testid="recheck-verdict"
                    data-scenario=attr data-safe=safe.to_string() data-ms=format!("{:.0}", c.ms)>
                    <span aria-hidden="true">{if safe { "✓ " } else { "⚠ " }}</span>
                    <strong>{name}</strong>": "{text}
                    <span class="muted">{format!(" ({:.2} s)", c.ms / 1000.0)}</span>
                </li>
            }
            .into_any()
        }
        None => view! {
            <li class="verdict pending" data-testid="recheck-pending" data-scenario=attr>
                <strong>{name}</strong>{if running { ": checking every interleaving…" } else { ": waiting" }}
            </li>
        }
        .into_any(),
    }
}

/// The challenge card: goal, budget, and solved or not.
fn challenge_card(s: Session, c: &'static Challenge) -> impl IntoView {
    let r = use_recheck();
    let judgement = move || {
        let text = s.edits.get();
        let reports: Option<Vec<_>> = c
            .scenarios
            .iter()
            .map(|id| {
                r.result_for(&mmrace_core::Scenario::new(*id))
                    .map(|x| x.report)
            })
            .collect();
        reports.map(|rs| c.judge_reports(&text, rs))
    };
    let verbs = if c.verbs.is_empty() {
        "any edit".to_string()
    } else {
        c.verbs.join(", ")
    };
    let on_variant = move || s.variant_id.get() == c.variant;
    view! {
        <section class="challenge" data-testid="challenge" data-challenge=c.id
            data-solved=move || judgement().is_some_and(|j| j.solved).to_string()>
            <h3>"Challenge: "{c.title}</h3>
            <p>{format!("Goal, in {}: {}. At most {} edit{} ({verbs}).",
                c.scenarios.iter().map(|x| x.id()).collect::<Vec<_>>().join(" and "),
                c.goal.describe(), c.max_edits, if c.max_edits == 1 { "" } else { "s" })}</p>
            {move || if !on_variant() {
                view! { <p class="hint">{format!("This challenge is played on {}.", c.variant)}</p> }.into_any()
            } else {
                match judgement() {
                    None => view! { <p class="hint" data-testid="challenge-status">"Checking…"</p> }.into_any(),
                    Some(j) if j.solved => view! {
                        <p class="verdict safe" data-testid="challenge-status" role="status">
                            <span aria-hidden="true">"★ "</span>
                            {format!("Solved with {} edit{}. ", j.edits, if j.edits == 1 { "" } else { "s" })}
                            {c.lesson}
                        </p>
                    }.into_any(),
                    Some(j) => view! {
                        <ul class="challenge-missing" data-testid="challenge-status">
                            {j.missing.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            }}
        </section>
    }
}

/// The re-check panel of edit mode.
#[component]
pub fn RecheckView() -> impl IntoView {
    let s = use_session();
    let r = use_recheck();
    view! {
        <section class="recheck" data-testid="recheck" aria-labelledby="recheck-title">
            <h3 id="recheck-title">"Re-check"</h3>
            <p class="hint">"Every interleaving is explored again after each edit."</p>
            <ul class="recheck-verdicts" aria-live="polite">
                {move || {
                    let running = r.running.get();
                    let list = s.model.with(|m| {
                        challenge::scenarios_to_check(&m.scenario, m.variant.info.id, s.challenge.get())
                    });
                    list.into_iter()
                        .map(|sc| {
                            let name = sc.name();
                            let busy = running.as_deref() == Some(name.as_str());
                            verdict_row(name, r.result_for(&sc), busy)
                        })
                        .collect_view()
                }}
            </ul>
            {move || s.challenge.get().and_then(challenge::by_id).map(|c| challenge_card(s, c))}
        </section>
    }
}

/// The bug atlas of the stepper's scenario, with a Load button per counterexample, and the way
/// to compare the edited variant with the variant as shipped (full width, below the editor).
#[component]
pub fn RecheckAtlas() -> impl IntoView {
    let s = use_session();
    let r = use_recheck();
    let load = move |schedule: String| {
        let _ = s.replay(&schedule);
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    };
    let current = move || {
        let sc = s.scenario.get();
        r.result_for(&sc)
    };
    view! {
        <section class="recheck-atlas" data-testid="recheck-atlas">
            {move || current().map(|c| {
                let shortest = c.report.outcomes.first().map(|o| o.schedule.clone())
                    .or_else(|| c.report.deadlock_schedule.clone());
                let edited = s.edits.with(|e| mmrace_core::edit::has_edits(e));
                view! {
                    {edited.then(|| {
                        let sched = shortest.clone().unwrap_or_else(|| s.schedule_text());
                        view! {
                            <p>
                                <button type="button" data-testid="compare-edited"
                                    title="Compare mode: this schedule on your edited variant (A) and on the variant as shipped (B)"
                                    on:click=move |_| compare_edited(s, sched.clone())>
                                    {if shortest.is_some() { "Compare the counterexample with the variant as shipped" } else { "Compare with the variant as shipped" }}
                                </button>
                            </p>
                        }
                    })}
                    <Atlas report=c.report.clone() stale=false load=load/>
                }
            })}
        </section>
    }
}
