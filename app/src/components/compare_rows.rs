//! Compare mode's table of paired steps (schedule item, side A's step, side B's step), the
//! first divergence marked; each row's button moves the lockstep cursor there.

use crate::components::compare_view::use_compare;
use leptos::prelude::*;
use mmrace_core::compare::Comparison;
use mmrace_core::run::Run;
use std::sync::Arc;

/// The paired steps, divergence marked; click a row to step there.
#[component]
pub fn CompareRows(c: Arc<Comparison>) -> impl IntoView {
    let ctl = use_compare();
    let div = c.divergence.as_ref().map(|d| d.row);
    let label = |run: &Run, i: Option<usize>| {
        i.map(|i| format!("{} {}", run.steps()[i].actor, run.label(i)))
            .unwrap_or_else(|| "—".into())
    };
    let rows: Vec<(usize, usize, String, String)> = c
        .rows
        .iter()
        .enumerate()
        .map(|(k, r)| (k, r.item, label(&c.a, r.a), label(&c.b, r.b)))
        .collect();
    let a_id = c.a.model.variant.info.id;
    let b_id = c.b.model.variant.info.id;
    view! {
        <div class="compare-rows-wrap" tabindex="0">
            <table class="compare-rows" data-testid="compare-rows">
                <thead><tr><th scope="col">"#"</th><th scope="col">"item"</th><th scope="col">{format!("A: {a_id}")}</th><th scope="col">{format!("B: {b_id}")}</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|(k, item, a, b)| {
                        let is_div = div == Some(k);
                        view! {
                            <tr class=move || format!("{}{}{}",
                                    if is_div { "diverges" } else { "" },
                                    if ctl.row.get() == k + 1 { " current" } else { "" },
                                    if k + 1 > ctl.row.get() { " future" } else { "" })
                                data-testid="compare-row" data-row=k.to_string()
                                on:click=move |_| ctl.row.set(k + 1)>
                                <td class="num">
                                    <button class="row-btn" data-testid="compare-row-go"
                                        on:click=move |ev| {
                                            ev.stop_propagation();
                                            ctl.row.set(k + 1)
                                        }>
                                        <span class="sr-only">"row "</span>
                                        {(k + 1).to_string()}{is_div.then_some(" ⇄")}
                                    </button>
                                </td>
                                <td class="num">{(item + 1).to_string()}</td>
                                <td><code>{a}</code></td>
                                <td><code>{b}</code></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
