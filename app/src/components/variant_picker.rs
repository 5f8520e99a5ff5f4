//! The variant picker: every kernel version and instructive bug, with its kernel release and
//! the commits that make it differ from its base (linked to git.kernel.org).

use crate::session::use_session;
use leptos::prelude::*;
use mmrace_core::variant::{commit_url, info, Kind, VARIANTS};

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

/// One line under the header: the variant's kernel release, its commits (linked to
/// git.kernel.org) and its one-line summary.
#[component]
pub fn VariantSummary() -> impl IntoView {
    let s = use_session();
    let current = move || info(&s.variant_id.get());
    view! {
        <p class="variant-summary" data-testid="variant-meta">
            {move || {
                current()
                    .map(|v| {
                        let commits = v
                            .commits
                            .iter()
                            .map(|c| {
                                view! {
                                    <a class="commit" href=commit_url(c) target="_blank" rel="noopener noreferrer"
                                        title="the commit on git.kernel.org">
                                        {*c}
                                    </a>
                                }
                            })
                            .collect_view();
                        view! {
                            <span class="kernel" data-testid="variant-kernel">{v.kernel}</span>
                            <span class="commits">{commits}</span>
                            <span class="summary" title=v.summary>{v.summary}</span>
                        }
                    })
            }}
        </p>
    }
}
