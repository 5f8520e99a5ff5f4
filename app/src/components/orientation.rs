//! The first-visit orientation: what the three kernel paths are, what went wrong in 5.17-rc,
//! and three ways in (the syzbot tour, stepping by hand, the exhaustive check).
//!
//! It shows on the bare URL only: never in an embed or a frame, never when the link carries a
//! state (a fragment or a query string: someone sent this exact view), and never again once
//! dismissed or used (remembered in localStorage under [`KEY`]).

use crate::components::explore_panel::{start as start_explore, ExploreState};
use crate::permalink::use_view;
use crate::session::use_session;
use leptos::prelude::*;
use mmrace_core::tour::TOURS;

/// The localStorage key that remembers a dismissed orientation.
pub const KEY: &str = "mmrace-orientation";

/// The tour "Take the tour" starts.
pub const FIRST_TOUR: &str = "syzbot-uaf";

fn storage() -> Option<web_sys::Storage> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    web_sys::window()?.local_storage().ok()?
}

/// Whether the page opened on a URL that carries no state (no fragment, no query string).
pub fn bare_url() -> bool {
    crate::dom::location_hash().is_empty()
        && crate::dom::location_search()
            .trim_start_matches('?')
            .is_empty()
}

fn remembered() -> bool {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .is_some_and(|v| v == "dismissed")
}

fn remember() {
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, "dismissed");
    }
}

/// The orientation card above the stage.
#[component]
pub fn Orientation(
    /// The page opened on a URL with no fragment and no query string.
    bare_url: bool,
) -> impl IntoView {
    let s = use_session();
    let v = use_view();
    let e = expect_context::<ExploreState>();
    let eligible = cfg!(target_arch = "wasm32")
        && bare_url
        && !crate::dom::in_iframe()
        && !v.embed.get_untracked()
        && !remembered();
    let open = RwSignal::new(eligible);
    let close = move || {
        remember();
        open.set(false);
    };
    let tour = TOURS.iter().position(|t| t.id == FIRST_TOUR).unwrap_or(0);
    view! {
        <Show when=move || open.get() && !v.embed.get() && v.tour.get().is_none()>
            <section class="orientation" data-testid="orientation" aria-labelledby="orientation-title">
                <div class="orientation-text">
                    <h2 id="orientation-title">"A use-after-free that shipped in Linux 5.17-rc1, one step at a time"</h2>
                    <p data-testid="orientation-story">
                        "When a process dies, three kernel paths can tear down its memory (its "<code>"mm"</code>") at once: "
                        <strong>"exit_mmap"</strong>", run by the last "<code>"mmput"</code>" of the exiting task; the "
                        <strong>"oom_reaper"</strong>" kthread, which frees an OOM victim's memory early; and "
                        <strong>"process_mrelease()"</strong>", a system call that lets a user-space killer do the same. "
                        "They coordinate through "<code>"mmap_lock"</code>", two reference counts and a few flags. "
                        "v5.17-rc1 made exit_mmap hold "<code>"mmap_lock"</code>" for writing while it frees page tables, "
                        "but left "<code>"mm->mmap"</code>" pointing at the VMAs it had just freed: process_mrelease, "
                        "coming in after it, walked them (syzbot found it; fixed in v5.17). Each column below is one kernel path; "
                        "you choose who runs next."
                    </p>
                </div>
                <div class="orientation-ways" role="group" aria-label="Ways in">
                    <button class="way way-tour" data-testid="orientation-tour"
                        on:click=move |_| {
                            close();
                            crate::components::talk::start_tour(s, v, tour);
                        }>
                        <span class="way-title"><span aria-hidden="true">"▶ "</span>"Take the tour"</span>
                        <span class="way-what">"The syzbot use-after-free, cue by cue"</span>
                    </button>
                    <button class="way" data-testid="orientation-step"
                        on:click=move |_| {
                            close();
                            crate::dom::focus_after_render(vec!["[data-testid=\"step-button\"]:not([disabled])".into()], true);
                        }>
                        <span class="way-title"><span aria-hidden="true">"▷ "</span>"Step it yourself"</span>
                        <span class="way-what">"Press Step on any column (or its letter key)"</span>
                    </button>
                    <button class="way" data-testid="orientation-explore"
                        on:click=move |_| {
                            close();
                            start_explore(s, e);
                            crate::dom::focus_after_render(vec!["[data-testid=\"explore\"] h2".into()], true);
                        }>
                        <span class="way-title"><span aria-hidden="true">"∀ "</span>"Check every interleaving"</span>
                        <span class="way-what">"Explore all schedules; load the shortest crash"</span>
                    </button>
                </div>
                <button class="orientation-close" data-testid="orientation-dismiss"
                    title="Hide this introduction (it will not come back)"
                    on:click=move |_| close()>
                    <span aria-hidden="true">"✕"</span><span class="sr-only">"Dismiss the introduction"</span>
                </button>
            </section>
        </Show>
    }
}
