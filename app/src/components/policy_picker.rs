//! The scheduler policy: manual (you pick every step), round-robin, or seeded random (the seed
//! is shown and editable, so a random run can be reproduced). `n` steps the policy's pick.

use crate::session::use_session;
use leptos::prelude::*;
use mmrace_core::policy::Policy;

/// Choose the scheduler policy and step its pick.
#[component]
pub fn PolicyPicker() -> impl IntoView {
    let s = use_session();
    let kind = move || match s.policy.get() {
        Policy::Manual => "manual",
        Policy::RoundRobin { .. } => "round-robin",
        Policy::Random { .. } => "random",
    };
    let seed = move || match s.policy.get() {
        Policy::Random { seed, .. } => seed,
        _ => 1,
    };
    view! {
        <div class="policy">
            <label>
                "Scheduler "
                <select data-testid="policy-select" on:change=move |ev| {
                    let p = match event_target_value(&ev).as_str() {
                        "round-robin" => Policy::round_robin(),
                        "random" => Policy::random(seed()),
                        _ => Policy::Manual,
                    };
                    s.policy.set(p);
                }>
                    {["manual", "round-robin", "random"]
                        .into_iter()
                        .map(|k| view! { <option value=k selected=move || kind() == k>{k}</option> })
                        .collect_view()}
                </select>
            </label>
            <Show when=move || kind() == "random">
                <label>
                    "seed "
                    <input
                        class="seed-input"
                        data-testid="seed-input"
                        type="number"
                        min="0"
                        prop:value=move || seed().to_string()
                        on:input=move |ev| {
                            if let Ok(n) = event_target_value(&ev).trim().parse::<u64>() {
                                s.policy.set(Policy::random(n));
                            }
                        }
                    />
                </label>
            </Show>
            <button
                data-testid="policy-step"
                aria-keyshortcuts="n"
                title="Step the actor the policy picks (n)"
                disabled=move || kind() == "manual"
                on:click=move |_| {
                    s.step_by_policy();
                }
            >
                "Step pick"
            </button>
        </div>
    }
}
