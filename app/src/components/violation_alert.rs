//! Violations so far, as an alert: each invariant that fired, named (id, name and the core's
//! explanation), where it fired, and the earlier steps that made it possible (clickable).

use crate::session::use_session;
use leptos::prelude::*;
use mmrace_core::check::Invariant;
use mmrace_core::view::violation_groups;

/// Provides the cause and violation step indices for highlighting elsewhere.
#[derive(Clone, Copy)]
pub struct Highlights {
    pub causes: Memo<Vec<usize>>,
    pub violations: Memo<Vec<usize>>,
}

/// Shown whenever an invariant has been violated at or before the current position.
#[component]
pub fn ViolationAlert() -> impl IntoView {
    let s = use_session();
    let groups = Memo::new(move |_| s.run.with(|r| violation_groups(r, r.pos())));
    // Violations recorded after the current position (after stepping back, or in a loaded
    // counterexample): a quiet note, not an alert.
    let ahead = Memo::new(move |_| {
        s.run.with(|r| {
            let now: Vec<Invariant> = violation_groups(r, r.pos()).iter().map(|g| g.inv).collect();
            violation_groups(r, r.len())
                .into_iter()
                .filter(|g| !now.contains(&g.inv))
                .map(|g| (g.inv, g.at[0].0))
                .collect::<Vec<_>>()
        })
    });
    view! {
        {move || {
            let a = ahead.get();
            (!a.is_empty()).then(|| {
                let links = a
                    .into_iter()
                    .map(|(inv, at)| {
                        view! {
                            <button class="cause-link" on:click=move |_| s.jump(at + 1)>
                                {format!("{} {} at step {}", inv.id(), inv.name(), at + 1)}
                            </button>
                        }
                    })
                    .collect_view();
                view! { <p class="ahead" data-testid="violations-ahead">"Later in this run: " {links}</p> }
            })
        }}
        <div class="violations" role="alert" data-testid="violations">
            {move || {
                groups
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(idx, g)| {
                        let first = g.at[0].clone();
                        let warning = g.inv.is_warning();
                        let more = g.at.len() - 1;
                        let cause_links = g
                            .causes
                            .iter()
                            .map(|(c, a, l)| {
                                let c = *c;
                                view! {
                                    <button class="cause-link" data-testid="cause-link" data-step=c.to_string()
                                        on:click=move |_| s.jump(c + 1)>
                                        {format!("step {} {a} {l}", c + 1)}
                                    </button>
                                }
                            })
                            .collect_view();
                        let has_causes = !g.causes.is_empty();
                        let others = g.others.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(" and ");
                        let title = view! {
                            <h2 class="violation-title">
                                <span aria-hidden="true">{if warning { "△ " } else { "⚠ " }}</span>
                                <span class="inv-id">{g.inv.id()}</span>
                                " "
                                {g.inv.name()}
                                {if warning { " (root-cause warning)" } else { "" }}
                            </h2>
                        };
                        let body = view! {
                                <p class="violation-where">
                                    <button class="cause-link strong" on:click=move |_| s.jump(first.0 + 1)>
                                        {format!("step {} · {} {}", first.0 + 1, first.1, first.2)}
                                    </button>
                                    {(more > 0).then(|| format!(" (and {more} later step{})", if more == 1 { "" } else { "s" }))}
                                    {(!others.is_empty()).then(|| format!(" · involves {others}"))}
                                </p>
                                <p class="violation-explain">{g.inv.explain()}</p>
                                {has_causes.then(|| view! {
                                    <p class="violation-causes">"Made possible by " {cause_links}</p>
                                })}
                        };
                        let class = if warning { "violation warning" } else { "violation" };
                        // The most important violation is shown in full; the others fold to
                        // one line each so the stage keeps room for the code.
                        if idx == 0 {
                            view! {
                                <article class=class data-testid="violation" data-inv=g.inv.id()>
                                    {title}
                                    {body}
                                </article>
                            }
                            .into_any()
                        } else {
                            let brief = format!(" — step {} · {} {}", first.0 + 1, first.1, first.2);
                            view! {
                                <article class=format!("{class} folded") data-testid="violation" data-inv=g.inv.id()>
                                    <details>
                                        <summary>{title}<span class="brief">{brief}</span></summary>
                                        {body}
                                    </details>
                                </article>
                            }
                            .into_any()
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}

/// Creates the highlight memos (cause and violation steps of the whole recorded run).
pub fn highlights(s: crate::session::Session) -> Highlights {
    let causes_memo = Memo::new(move |_| {
        s.run.with(|r| {
            let mut out: Vec<usize> = violation_groups(r, r.len())
                .iter()
                .flat_map(|g| g.causes.iter().map(|c| c.0))
                .collect();
            out.sort_unstable();
            out.dedup();
            out
        })
    });
    let violations = Memo::new(move |_| s.run.with(|r| r.violating_steps().to_vec()));
    Highlights {
        causes: causes_memo,
        violations,
    }
}
