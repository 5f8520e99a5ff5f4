//! The scenario picker and its options: which actors take part (oom-kill, user-kill,
//! proc-reader), the VMAs of the mm, a failing mmu notifier, and a fatal signal for
//! process_mrelease while it waits for mmap_lock.

use crate::session::use_session;
use leptos::prelude::*;
use mmrace_core::{Options, Scenario, ScenarioId};

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
    view! {
        <div class="picker scenario-picker">
            <label for="scenario-select" class="sr-only">"Scenario"</label>
            <select
                id="scenario-select"
                data-testid="scenario-select"
                title=move || s.scenario.with(|sc| sc.id.describe())
                on:change=move |ev| {
                    if let Ok(id) = ScenarioId::parse(&event_target_value(&ev)) {
                        let options = s.scenario.get_untracked().options;
                        s.set_scenario(Scenario { id, options });
                    }
                }
            >
                {ScenarioId::ALL
                    .into_iter()
                    .map(|id| {
                        view! {
                            <option value=id.id() selected=move || s.scenario.with(|sc| sc.id == id)>
                                {id.id()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <details class="options" data-testid="scenario-options">
            <summary title="Scenario options">
                {move || s.scenario.with(|sc| {
                    let o = &sc.options;
                    let mut t = format!("⚙ VMAs {}", o.vmas_string());
                    if o.notifier_fails { t.push_str(" · notifier fails"); }
                    if o.kill_mrelease { t.push_str(" · kill M"); }
                    if !o.mrelease { t.push_str(" · no M"); }
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
            {checkbox(
                "process_mrelease (M) takes part",
                "opt-mrelease",
                "Whether a process_mrelease caller (M) takes part",
                |o| o.mrelease,
                |o, v| o.mrelease = v,
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
