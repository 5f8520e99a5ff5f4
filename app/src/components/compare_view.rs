//! Compare mode: one schedule run against two variants side by side, stepped in lockstep, with
//! the first divergence explained (all computed by `mmrace_core::compare`).

use crate::components::compare_rows::CompareRows;
use crate::components::compare_side::CompareSide;
use crate::session::build_model;
use crate::session::use_session;
use leptos::prelude::*;
use mmrace_core::compare::{compare, Comparison};
use mmrace_core::schedule::Schedule;
use mmrace_core::variant::VARIANTS;
use std::sync::Arc;

/// Compare mode's state (kept across mode switches; keyboard ←/→ move its cursor).
#[derive(Clone, Copy)]
pub struct CompareCtl {
    pub a: RwSignal<String>,
    /// The patch playground's edit list on side A (empty: A as shipped).
    pub a_edits: RwSignal<String>,
    pub b: RwSignal<String>,
    pub schedule: RwSignal<String>,
    pub result: RwSignal<Option<Arc<Comparison>>>,
    /// Rows shown as executed: `0..=rows.len()`.
    pub row: RwSignal<usize>,
    pub error: RwSignal<Option<String>>,
    /// Why the schedule on screen was chosen, when compare mode chose it.
    pub why: RwSignal<Option<String>>,
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

/// The variant to compare `a` with by default: its fix, else a descendant, else its base
/// (`mmrace_core::compare::default_other`).
pub fn default_other(a: &str) -> String {
    mmrace_core::compare::default_other(a).to_string()
}

/// Provides the compare state; `b` preselects the other variant and `schedule` the schedule.
pub fn provide_compare(b: Option<String>, schedule: Option<String>) {
    let ctl = CompareCtl {
        a: RwSignal::new(String::new()),
        a_edits: RwSignal::new(String::new()),
        b: RwSignal::new(b.unwrap_or_default()),
        schedule: RwSignal::new(schedule.unwrap_or_default()),
        result: RwSignal::new(None),
        row: RwSignal::new(0),
        error: RwSignal::new(None),
        why: RwSignal::new(None),
    };
    provide_context(ctl);
}

pub fn use_compare() -> CompareCtl {
    expect_context::<CompareCtl>()
}

fn run_compare(ctl: CompareCtl, scenario: &mmrace_core::Scenario) {
    let text = ctl.schedule.get_untracked();
    let result = (|| -> Result<Comparison, String> {
        let a = build_model(
            &ctl.a.get_untracked(),
            &ctl.a_edits.get_untracked(),
            scenario,
        )?;
        let b = build_model(&ctl.b.get_untracked(), "", scenario)?;
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

/// Opens compare mode on the session's edited variant (A) against the same variant as shipped
/// (B), with `schedule` (e.g. the edited variant's shortest counterexample).
pub fn compare_edited(s: crate::session::Session, schedule: String) {
    let ctl = use_compare();
    let id = s.variant_id.get_untracked();
    ctl.a.set(id.clone());
    ctl.a_edits.set(s.edits.get_untracked());
    ctl.b.set(id);
    ctl.schedule.set(schedule);
    ctl.why.set(Some(
        "A is the variant with your edits, B the same variant as shipped.".into(),
    ));
    run_compare(ctl, &s.scenario.get_untracked());
    s.playing.set(false);
    s.mode.set(crate::session::Mode::Compare);
}

/// Loads compare mode's opening (`mmrace_core::compare::opening`): the shortest counterexample
/// of the stepper's variant, or of the first variant that has one, against the other side.
fn load_opening(ctl: CompareCtl, variant: &str, scenario: &mmrace_core::Scenario) -> bool {
    match mmrace_core::compare::opening(variant, scenario) {
        Some(o) => {
            ctl.a.set(o.a.to_string());
            ctl.a_edits.set(String::new());
            ctl.b.set(o.b.to_string());
            ctl.schedule.set(o.schedule);
            ctl.why.set(Some(o.why));
            true
        }
        None => false,
    }
}

/// Position of each side after the first `row` rows.
pub fn side_pos(c: &Comparison, row: usize, side: usize) -> usize {
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
    // Defaults on entry: a schedule from the link, else the stepper's run, else the opening
    // (the shortest counterexample), so the stage is never empty.
    if ctl.schedule.get_untracked().trim().is_empty() {
        ctl.schedule.set(s.schedule_text());
    }
    if ctl.schedule.get_untracked().trim().is_empty() {
        let (variant, scenario) = (s.variant_id.get_untracked(), s.scenario.get_untracked());
        load_opening(ctl, &variant, &scenario);
    }
    if ctl.a.get_untracked().is_empty() {
        ctl.a.set(s.variant_id.get_untracked());
    }
    if ctl.b.get_untracked().is_empty() {
        ctl.b.set(default_other(&ctl.a.get_untracked()));
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
                {variant_select(ctl.a, "compare-a", "A ", move || { ctl.why.set(None); ctl.a_edits.set(String::new()); recompute() })}
                {move || (!ctl.a_edits.with(|e| e.trim().is_empty())).then(|| view! {
                    <span class="tag" data-testid="compare-a-edited" title=ctl.a_edits.get()>"+ your edits"</span>
                })}
                {variant_select(ctl.b, "compare-b", "B ", move || { ctl.why.set(None); recompute() })}
                <span class="compare-scenario">{move || format!("scenario {}", s.scenario.with(|sc| sc.name()))}</span>
                <label class="compare-schedule">
                    "Schedule "
                    <input
                        data-testid="compare-schedule"
                        spellcheck="false"
                        prop:value=move || ctl.schedule.get()
                        on:input=move |ev| {
                            ctl.why.set(None);
                            ctl.schedule.set(event_target_value(&ev));
                        }
                        on:keydown=move |ev| if ev.key() == "Enter" { recompute() }
                    />
                </label>
                <button data-testid="compare-run" on:click=move |_| recompute()>"Compare"</button>
                <button data-testid="compare-use-run" title="Use the stepper's recorded run as the schedule"
                    on:click=move |_| { ctl.why.set(None); ctl.schedule.set(s.schedule_text()); recompute(); }>
                    "Stepper's run"
                </button>
                <button data-testid="compare-opening"
                    title="The shortest counterexample of A (or of the first variant that has one), replayed on the other side"
                    on:click=move |_| {
                        let scenario = s.scenario.get_untracked();
                        if load_opening(ctl, &ctl.a.get_untracked(), &scenario) {
                            recompute();
                        }
                    }>
                    "Shortest counterexample"
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
            {move || ctl.why.get().map(|w| view! {
                <p class="compare-why" data-testid="compare-why">{w}</p>
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

crate::lazy_piece!(compare, compare_view_lazy, view! { <CompareView/> });
