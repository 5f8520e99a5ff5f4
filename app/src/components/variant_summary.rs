//! The line under the header: the variant's kernel release, its commits (linked to
//! git.kernel.org) and its one-line summary.

use crate::session::use_session;
use leptos::prelude::*;
use mmrace_core::variant::{commit_url, info};

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
                        let edited = s.model.with(|m| m.variant.edits.is_some().then(|| m.variant.label()));
                        view! {
                            {edited.map(|label| view! {
                                <button type="button" class="linklike edited-tag" data-testid="edited-tag"
                                    title="This run is of the variant with your edits: open edit mode to see or change them"
                                    on:click=move |_| if !s.editing.get_untracked() {
                                        crate::components::patch_editor::toggle_edit_mode(s)
                                    }>
                                    {format!("✎ {label}")}
                                </button>
                            })}
                            <span class="kernel" data-testid="variant-kernel">{v.kernel}</span>
                            <span class="commits">{commits}</span>
                            <span class="summary" title=v.summary>{v.summary}</span>
                        }
                    })
            }}
        </p>
    }
}
