//! The scenario picker: a preset (oom-kill, user-kill, proc-reader) or a combination built from
//! its parts — who kills V (user, oom, user,oom), how many process_mrelease callers (0–2) and
//! `/proc` readers (0–2) — and the options: the VMAs of the mm, a failing mmu notifier, and a
//! fatal signal for process_mrelease while it waits for mmap_lock. The actor columns follow the
//! combination (they are the scenario's actors).

use crate::session::use_session;
use leptos::prelude::*;
use mmrace_core::scenario::{Kill, MAX_BYSTANDERS};
use mmrace_core::{Options, Scenario, ScenarioId};

/// The preset select's value for a combination that is no preset.
const CUSTOM: &str = "custom";

/// Select the scenario and set its options (each change resets the run).
#[component]
pub fn ScenarioPicker() -> impl IntoView {
    let s = use_session();
    let vmas_error = RwSignal::new(None::<String>);
    let with_options = move |f: &dyn Fn(&mut Options)| {
        let mut sc = s.scenario.get_untracked();
        f(&mut sc.options);
        s.set_scenario(sc);
    };
    let with_parts = move |f: &dyn Fn(&mut Scenario)| {
        let mut sc = s.scenario.get_untracked();
        f(&mut sc);
        s.set_scenario(sc);
    };
    let checkbox = move |label: &'static str,
                         testid: &'static str,
                         title: &'static str,
                         get: fn(&Options) -> bool,
                         set: fn(&mut Options, bool)| {
        view! {
            <label class="opt" title=title>
                <input
                    type="checkbox"
                    data-testid=testid
                    prop:checked=move || s.scenario.with(|sc| get(&sc.options))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        with_options(&|o| set(o, on));
                    }
                />
                {label}
            </label>
        }
    };
    let count = move |id: &'static str,
                      label: &'static str,
                      title: &'static str,
                      get: fn(&Scenario) -> u8,
                      set: fn(&mut Scenario, u8)| {
        view! {
            <label class="part" for=id title=title>{label}</label>
            <select
                id=id
                data-testid=id
                title=title
                on:change=move |ev| {
                    if let Ok(n) = event_target_value(&ev).parse::<u8>() {
                        with_parts(&|sc| set(sc, n.min(MAX_BYSTANDERS)));
                    }
                }
            >
                {(0..=MAX_BYSTANDERS)
                    .map(|n| {
                        view! {
                            <option value=n.to_string() selected=move || s.scenario.with(|sc| get(sc) == n)>
                                {n.to_string()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        }
    };
    view! {
        <div class="picker scenario-picker" data-testid="scenario-picker">
            <label for="scenario-select" class="sr-only">"Scenario"</label>
            <select
                id="scenario-select"
                data-testid="scenario-select"
                title=move || s.scenario.with(|sc| sc.describe())
                on:change=move |ev| {
                    if let Ok(id) = ScenarioId::parse(&event_target_value(&ev)) {
                        let options = s.scenario.get_untracked().options;
                        s.set_scenario(Scenario { options, ..Scenario::new(id) });
                    }
                }
            >
                {ScenarioId::ALL
                    .into_iter()
                    .map(|id| {
                        view! {
                            <option value=id.id() selected=move || s.scenario.with(|sc| sc.preset() == Some(id))>
                                {id.id()}
                            </option>
                        }
                    })
                    .collect_view()}
                <option value=CUSTOM disabled=true selected=move || s.scenario.with(|sc| sc.preset().is_none())>
                    "combination"
                </option>
            </select>
            <span class="parts" role="group" aria-label="Scenario parts" data-testid="scenario-parts">
                <label class="part" for="kill-select" title="Who kills the victim">"kill"</label>
                <select
                    id="kill-select"
                    data-testid="kill-select"
                    title="Who kills V: user (SIGKILL pending from the start), oom (the OOM killer K, with the oom_reaper R), or user,oom (both race)"
                    on:change=move |ev| {
                        if let Ok(k) = Kill::parse(&event_target_value(&ev)) {
                            with_parts(&|sc| sc.kill = k);
                        }
                    }
                >
                    {Kill::ALL
                        .into_iter()
                        .map(|k| {
                            view! {
                                <option value=k.id() selected=move || s.scenario.with(|sc| sc.kill == k)>
                                    {k.id()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                {count(
                    "mrelease-count",
                    "M×",
                    "How many process_mrelease callers (M1, M2) target V",
                    |sc| sc.mrelease,
                    |sc, n| sc.mrelease = n,
                )}
                {count(
                    "readers-count",
                    "G×",
                    "How many /proc readers (G1, G2) hold an mm_users reference",
                    |sc| sc.readers,
                    |sc, n| sc.readers = n,
                )}
            </span>
            <details class="options" data-testid="scenario-options">
            <summary title="Scenario options">
                {move || s.scenario.with(|sc| {
                    let o = &sc.options;
                    let mut t = format!("⚙ VMAs {}", o.vmas_string());
                    if o.notifier_fails { t.push_str(" · notifier fails"); }
                    if o.kill_mrelease { t.push_str(" · kill M"); }
                    t
                })}
            </summary>
            <div class="options-panel">
            <label class="opt" title="The VMAs of the mm in vm_next order: A anon, L mlocked, F shared file, H hugetlb">
                "VMAs "
                <input
                    class="vmas-input"
                    data-testid="vmas-input"
                    size="4"
                    maxlength="4"
                    spellcheck="false"
                    aria-invalid=move || vmas_error.get().is_some().to_string()
                    prop:value=move || s.scenario.with(|sc| sc.options.vmas_string())
                    on:change=move |ev| {
                        match Options::parse_vmas(&event_target_value(&ev)) {
                            Ok(v) if !v.is_empty() => {
                                vmas_error.set(None);
                                with_options(&|o| o.vmas = v.clone());
                            }
                            Ok(_) => vmas_error.set(Some("the mm needs at least one VMA".into())),
                            Err(e) => vmas_error.set(Some(e)),
                        }
                    }
                />
            </label>
            {checkbox(
                "notifier fails",
                "opt-notifier",
                "An mmu notifier whose non-blocking start fails until mmu_notifier_release: walkers skip VMAs",
                |o| o.notifier_fails,
                |o, v| o.notifier_fails = v,
            )}
            {checkbox(
                "kill M while queued",
                "opt-kill",
                "process_mrelease may get a fatal signal while queued for mmap_lock (-EINTR)",
                |o| o.kill_mrelease,
                |o, v| o.kill_mrelease = v,
            )}
            </div>
            </details>
            {move || {
                vmas_error
                    .get()
                    .map(|e| view! { <span class="field-error" role="alert" data-testid="vmas-error">{e}</span> })
            }}
        </div>
    }
}
