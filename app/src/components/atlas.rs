//! The bug atlas of an exploration: outcomes grouped by invariant, each with where it fires,
//! how many transitions and states reach it, and its shortest schedule with a Load button.

use leptos::prelude::*;
use mmrace_core::check::Invariant;
use mmrace_core::explore::{Outcome, Report};

/// The bug atlas: outcomes grouped by invariant.
#[component]
pub fn Atlas(
    report: Report,
    stale: bool,
    load: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let groups: Vec<(Invariant, Vec<Outcome>)> = report
        .by_invariant()
        .into_iter()
        .map(|(inv, os)| (inv, os.into_iter().cloned().collect()))
        .collect();
    let deadlock = report.deadlock_schedule.clone();
    view! {
        <div class="atlas" data-testid="atlas">
            {(!groups.is_empty()).then(|| view! {
                <p class="hint atlas-legend" data-testid="atlas-legend">
                    "Each row is one place a violation fires. "<strong>"transitions"</strong>": steps (a state and the actor that moves) that fire it; "
                    <strong>"states reached"</strong>": distinct states those steps lead to; "
                    <strong>"shortest"</strong>": the length of the shortest schedule, shown next to it."
                </p>
            })}
            {groups
                .into_iter()
                .map(|(inv, os)| {
                    let total: u64 = os.iter().map(|o| o.transitions).sum();
                    let n = os.len();
                    view! {
                        <section class=if inv.is_warning() { "atlas-group warning" } else { "atlas-group" }
                            data-testid="atlas-group" data-inv=inv.id()>
                            <h3>
                                <span class="inv-id">{inv.id()}</span>" "{inv.name()}
                                <span class="count">{format!(" — {n} place{} · {total} transitions", if n == 1 { "" } else { "s" })}</span>
                            </h3>
                            <p class="violation-explain">{inv.explain()}</p>
                            <table class="outcomes">
                                <thead>
                                    <tr><th scope="col">"fires at"</th><th scope="col"><abbr title="steps (a state and the actor that moves) that fire it">"transitions"</abbr></th><th scope="col"><abbr title="distinct states in which this violation has just happened (states the firing steps lead to)">"states reached"</abbr></th>
                                        <th scope="col">"shortest"</th><th scope="col">"schedule"</th><th scope="col"><span class="sr-only">"load"</span></th></tr>
                                </thead>
                                <tbody>
                                    {os.into_iter().map(|o| {
                                        let sched = o.schedule.clone();
                                        view! {
                                            <tr data-testid="outcome" data-inv=o.inv.id() data-at=o.at.clone()>
                                                <td><code>{o.at.clone()}</code></td>
                                                <td class="num">{o.transitions.to_string()}</td>
                                                <td class="num" data-testid="outcome-states">{o.states.to_string()}</td>
                                                <td class="num">{format!("{} steps", o.steps)}</td>
                                                <td><code class="sched">{o.schedule.clone()}</code></td>
                                                <td>
                                                    <button data-testid="outcome-load" disabled=stale
                                                        title="Reset the stepper and replay this schedule"
                                                        on:click=move |_| load(sched.clone())>
                                                        "Load"
                                                    </button>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    }
                })
                .collect_view()}
            {deadlock.map(|d| view! {
                <section class="atlas-group" data-testid="atlas-deadlock">
                    <h3>"Deadlock"</h3>
                    <p><code>{d.clone()}</code></p>
                    <button disabled=stale on:click=move |_| load(d.clone())>"Load"</button>
                </section>
            })}
        </div>
    }
}
