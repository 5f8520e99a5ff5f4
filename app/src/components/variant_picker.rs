//! The variant picker: every kernel version and instructive bug, with its kernel release and
//! the commits that make it differ from its base (linked to git.kernel.org).

use crate::session::use_session;
use leptos::prelude::*;
use mmrace_core::variant::{Kind, VARIANTS};

/// Select a variant; shows its kernel version and commits.
#[component]
pub fn VariantPicker() -> impl IntoView {
    let s = use_session();
    let group = move |kind: Kind, label: &'static str| {
        let options = VARIANTS
            .iter()
            .filter(|v| v.kind == kind)
            .map(|v| {
                let id = v.id;
                view! {
                    <option value=id selected=move || s.variant_id.get() == id>
                        {format!("{} — {}", v.id, v.title.split_once(": ").map_or(v.title, |x| x.1))}
                    </option>
                }
            })
            .collect_view();
        view! { <optgroup label=label>{options}</optgroup> }
    };
    view! {
        <div class="picker variant-picker">
            <label for="variant-select" class="sr-only">"Variant"</label>
            <select
                id="variant-select"
                data-testid="variant-select"
                title="Kernel version or instructive bug"
                on:change=move |ev| s.set_variant(&event_target_value(&ev))
            >
                {group(Kind::Real, "Real kernels")}
                {group(Kind::HistoricalBug, "Historical bugs")}
                {group(Kind::HypotheticalBug, "Hypothetical bugs")}
            </select>
        </div>
    }
}
