//! Compare mode: one schedule run against two variants side by side, stepped in lockstep, with
//! the first divergence explained (all computed by `mmrace_core::compare`).

use crate::components::mm_panel::MmPanel;
use crate::session::use_session;
use crate::text::status_glyph;
use leptos::prelude::*;
use mmrace_core::compare::{compare, Comparison};
use mmrace_core::history::Run;
use mmrace_core::narrate::sentence;
use mmrace_core::schedule::Schedule;
use mmrace_core::sim::{State, StepInfo};
use mmrace_core::variant::{Kind, VARIANTS};
use mmrace_core::view;
use mmrace_core::{Model, Variant};
use std::sync::Arc;

/// Compare mode's state (kept across mode switches; keyboard ←/→ move its cursor).
#[derive(Clone, Copy)]
pub struct CompareCtl {
    pub a: RwSignal<String>,
    pub b: RwSignal<String>,
    pub schedule: RwSignal<String>,
    pub result: RwSignal<Option<Arc<Comparison>>>,
    /// Rows shown as executed: `0..=rows.len()`.
    pub row: RwSignal<usize>,
    pub error: RwSignal<Option<String>>,
}

impl CompareCtl {
    fn rows(&self) -> usize {
        self.result
            .with_untracked(|r| r.as_ref().map_or(0, |c| c.rows.len()))
    }
    pub fn back(&self) {
        self.row.update(|r| *r = r.saturating_sub(1));
    }
    pub fn forward(&self) {
        let n = self.rows();
        self.row.update(|r| *r = (*r + 1).min(n));
    }
    pub fn to_start(&self) {
        self.row.set(0);
    }
    pub fn to_end(&self) {
        self.row.set(self.rows());
    }
}

/// The variant to compare `a` with by default: its first descendant (the fix), else its base.
pub fn default_other(a: &str) -> String {
    VARIANTS
        .iter()
        .find(|v| v.base == Some(a) && v.kind == Kind::Real)
        .or_else(|| VARIANTS.iter().find(|v| v.base == Some(a)))
        .map(|v| v.id)
        .or_else(|| mmrace_core::variant::info(a).and_then(|i| i.base))
        .unwrap_or("v5.17")
        .to_string()
}

/// Provides the compare state; `b` preselects the other variant and `schedule` the schedule.
pub fn provide_compare(b: Option<String>, schedule: Option<String>) {
    let ctl = CompareCtl {
        a: RwSignal::new(String::new()),
        b: RwSignal::new(b.unwrap_or_default()),
        schedule: RwSignal::new(schedule.unwrap_or_default()),
        result: RwSignal::new(None),
        row: RwSignal::new(0),
        error: RwSignal::new(None),
    };
    provide_context(ctl);
}

pub fn use_compare() -> CompareCtl {
    expect_context::<CompareCtl>()
}

fn run_compare(ctl: CompareCtl, scenario: &mmrace_core::Scenario) {
    let build = |id: &str| Variant::by_id(id).map(|v| Model::new(v, scenario.clone()));
    let text = ctl.schedule.get_untracked();
    let result = (|| -> Result<Comparison, String> {
        let a = build(&ctl.a.get_untracked())?;
        let b = build(&ctl.b.get_untracked())?;
        let sched = Schedule::parse(&text)?;
        Ok(compare(a, b, &sched))
    })();
    match result {
        Ok(c) => {
            ctl.error.set(None);
            let first = c.divergence.as_ref().map(|d| d.row + 1);
            let n = c.rows.len();
            ctl.result.set(Some(Arc::new(c)));
            // Open at the first divergence, where the story is.
            ctl.row.set(first.unwrap_or(n));
        }
        Err(e) => {
            ctl.error.set(Some(e));
            ctl.result.set(None);
        }
    }
}

/// Position of each side after the first `row` rows.
fn side_pos(c: &Comparison, row: usize, side: usize) -> usize {
    c.rows[..row.min(c.rows.len())]
        .iter()
        .filter_map(|r| if side == 0 { r.a } else { r.b })
        .map(|i| i + 1)
        .max()
        .unwrap_or(0)
}

fn variant_select(
    sig: RwSignal<String>,
    testid: &'static str,
    label: &'static str,
    on_change: impl Fn() + Copy + 'static,
) -> impl IntoView {
    view! {
        <label class="picker">
            {label}
            <select data-testid=testid on:change=move |ev| {
                sig.set(event_target_value(&ev));
                on_change();
            }>
                {VARIANTS.iter().map(|v| {
                    let id = v.id;
                    view! { <option value=id selected=move || sig.get() == id>{id}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// Two variants, one schedule, in lockstep.
#[component]
pub fn CompareView() -> impl IntoView {
    let s = use_session();
    let ctl = use_compare();
    // Defaults on entry: A = the stepper's variant, B = its fix or base, the stepper's run.
    if ctl.a.get_untracked().is_empty() {
        ctl.a.set(s.variant_id.get_untracked());
    }
    if ctl.b.get_untracked().is_empty() {
        ctl.b.set(default_other(&ctl.a.get_untracked()));
    }
    if ctl.schedule.get_untracked().trim().is_empty() {
        ctl.schedule.set(s.schedule_text());
    }
    let recompute = move || run_compare(ctl, &s.scenario.get_untracked());
    if ctl.result.get_untracked().is_none() && !ctl.schedule.get_untracked().trim().is_empty() {
        recompute();
    }
    let rows_len = move || ctl.result.with(|r| r.as_ref().map_or(0, |c| c.rows.len()));
    view! {
        <section class="compare" data-testid="compare" aria-label="Compare two variants">
            <div class="compare-bar">
            <div class="compare-controls">
                {variant_select(ctl.a, "compare-a", "A ", recompute)}
                {variant_select(ctl.b, "compare-b", "B ", recompute)}
                <span class="compare-scenario">{move || format!("scenario {}", s.scenario.with(|sc| sc.id.id()))}</span>
                <label class="compare-schedule">
                    "Schedule "
                    <input
                        data-testid="compare-schedule"
                        spellcheck="false"
                        prop:value=move || ctl.schedule.get()
                        on:input=move |ev| ctl.schedule.set(event_target_value(&ev))
                        on:keydown=move |ev| if ev.key() == "Enter" { recompute() }
                    />
                </label>
                <button data-testid="compare-run" on:click=move |_| recompute()>"Compare"</button>
                <button data-testid="compare-use-run" title="Use the stepper's recorded run as the schedule"
                    on:click=move |_| { ctl.schedule.set(s.schedule_text()); recompute(); }>
                    "Stepper's run"
                </button>
            </div>
            <div class="transport" role="toolbar" aria-label="Lockstep controls">
                <button data-testid="compare-start" on:click=move |_| ctl.to_start()>
                    <span aria-hidden="true">"|◀"</span><span class="sr-only">"To start"</span></button>
                <button data-testid="compare-back" on:click=move |_| ctl.back()>
                    <span aria-hidden="true">"◀"</span><span class="sr-only">"Step back"</span></button>
                <button data-testid="compare-forward" on:click=move |_| ctl.forward()>
                    <span aria-hidden="true">"▶"</span><span class="sr-only">"Step forward"</span></button>
                <button data-testid="compare-end" on:click=move |_| ctl.to_end()>
                    <span aria-hidden="true">"▶|"</span><span class="sr-only">"To end"</span></button>
                <span class="position" data-testid="compare-position" data-row=move || ctl.row.get().to_string()>
                    {move || format!("row {} of {}", ctl.row.get(), rows_len())}
                </span>
            </div>
            </div>
            {move || ctl.error.get().map(|e| view! {
                <p class="field-error" role="alert" data-testid="compare-error"><span aria-hidden="true">"✗ "</span>{e}</p>
            })}
            {move || ctl.result.get().map(|c| {
                let div = c.divergence.clone();
                view! {
                    <div class=if div.is_some() { "divergence found" } else { "divergence none" }
                        data-testid="compare-divergence" role="status">
                        {match div.clone() {
                            Some(d) => {
                                let row = d.row;
                                view! {
                                    <strong>"⇄ Row " {(row + 1).to_string()} ": "</strong>
                                    <span>{d.explanation.clone()}</span>
                                    " "
                                    <button class="linklike" data-testid="compare-goto-divergence"
                                        on:click=move |_| ctl.row.set(row + 1)>"show"</button>
                                }.into_any()
                            }
                            None => view! { <span>"The two variants take the same steps on this schedule."</span> }.into_any(),
                        }}
                    </div>
                    <div class="compare-sides">
                        <CompareSide c=c.clone() side=0/>
                        <CompareSide c=c.clone() side=1/>
                    </div>
                    <CompareRows c=c.clone()/>
                }
            })}
        </section>
    }
}

/// One side of the comparison at the current row.
#[component]
fn CompareSide(c: Arc<Comparison>, side: usize) -> impl IntoView {
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
                <span data-testid="compare-variant">{info.id}</span>
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
            <MmPanel state=state last=last before=before compact=true/>
        </section>
    }
}

/// The paired steps, divergence marked; click a row to step there.
#[component]
fn CompareRows(c: Arc<Comparison>) -> impl IntoView {
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
                                <td class="num">{(k + 1).to_string()}{is_div.then_some(" ⇄")}</td>
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
