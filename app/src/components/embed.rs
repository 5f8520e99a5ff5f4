//! The embed view (`embed=1` in the fragment or `?embed=1`): minimal chrome for an iframe in a
//! documentation page. The header and the tools are hidden by CSS (`html[data-embed]`), the
//! panels are chosen by `panels=`, the run starts paused, and a bar names the view and links to
//! the full view (the same fragment without `embed`/`panels`).
//!
//! In a frame the page reports its height to the parent with
//! `postMessage({type: 'mmrace:height', height}, '*')` whenever it changes. It installs no
//! `message` listener at all: no other page can change its state.

use crate::permalink::{current_fragment, query_without_embed, use_view, without_keys};
use crate::session::use_session;
use leptos::prelude::*;

/// The bar at the top of an embed.
#[component]
pub fn EmbedBar() -> impl IntoView {
    let s = use_session();
    let v = use_view();
    let full_href = Memo::new(move |_| {
        if !v.embed.get() {
            return String::new();
        }
        s.run.track();
        s.speed.track();
        let frag = without_keys(&current_fragment(s, v), &["embed", "panels"]);
        let search = query_without_embed(&crate::dom::location_search());
        let page = crate::dom::page_url_without_hash();
        let path = page.split('?').next().unwrap_or("");
        format!("{path}{search}#{frag}")
    });
    view! {
        <Show when=move || v.embed.get()>
            <div class="embed-bar" data-testid="embed-bar">
                <h1 class="embed-title">
                    <span class="brand">"mmrace"</span>
                    <span class="embed-what">
                        {move || format!("{} · {}", s.variant_id.get(), s.scenario.with(|sc| sc.name()))}
                    </span>
                </h1>
                <a class="open-full" data-testid="open-full" href=move || full_href.get()
                    target="_blank" rel="noopener">
                    "Open full view"<span aria-hidden="true">" ↗"</span>
                    <span class="sr-only">" (opens in a new tab)"</span>
                </a>
            </div>
        </Show>
    }
}

/// Starts the height reports when the page is in a frame.
pub fn install() {
    crate::dom::report_height_to_parent();
}
