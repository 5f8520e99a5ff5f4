//! Pieces of the UI that load later: their code lives in separate wasm chunks, cut out of the
//! main module by `scripts/build.sh` (the `mmrace-wasm-split` tool, before wasm-bindgen) at the
//! `#[wasm_split]` functions of the `*_lazy` modules. The main view (header, stage, mm panel,
//! transport, timeline, step list) is in the main module; a chunk is fetched the first time its
//! piece is shown or its action is taken.
//!
//! A chunk that fails to load (offline, a deploy that replaced the files) shows one line saying
//! so, with a Retry button; nothing panics and nothing is left blank. The loader does not cache a
//! failure, so Retry fetches again. Natively (tests, clippy) the functions are called directly.

use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::pin::Pin;

pub use leptos::wasm_split::SplitLoaderError;

/// What a lazy chunk hands back: the function that renders its piece (it lives in the chunk).
pub type Mount = fn() -> AnyView;

/// A lazily loaded piece: the split function's future.
pub type Loading = Pin<Box<dyn Future<Output = Result<Mount, SplitLoaderError>>>>;

/// The one-line message for a chunk that did not load.
pub fn failure_text(what: &str) -> String {
    format!(
        "Could not load {what} (the network failed, or the site was updated since this page was opened): try again, or reload the page."
    )
}

#[derive(Clone, Copy)]
enum State {
    Loading,
    Ready(Mount),
    Failed,
}

/// Renders the piece `load` fetches: "Loading …" until its chunk is there, then the piece, or a
/// failure line with Retry.
pub fn lazy_view(what: &'static str, load: fn() -> Loading) -> impl IntoView {
    let state = RwSignal::new(State::Loading);
    let fetch = move || {
        state.set(State::Loading);
        spawn_local(async move {
            state.set(match load().await {
                Ok(mount) => State::Ready(mount),
                Err(_) => State::Failed,
            })
        });
    };
    fetch();
    move || {
        match state.get() {
        State::Loading => view! {
            <p class="lazy-loading hint" data-testid="lazy-loading" aria-live="polite">{format!("Loading {what}…")}</p>
        }
        .into_any(),
        State::Ready(mount) => mount(),
        State::Failed => view! {
            <p class="lazy-failed" role="alert" data-testid="lazy-failed">
                {failure_text(what)} " "
                <button data-testid="lazy-retry" on:click=move |_| fetch()>"Retry"</button>
            </p>
        }
        .into_any(),
    }
    }
}

/// Runs an action whose code is in a chunk (`run` is its split function); a chunk that does not
/// load puts [`failure_text`] in `error` (the session's error line).
pub fn lazy_action(
    what: &'static str,
    error: RwSignal<Option<String>>,
    run: impl Future<Output = Result<(), SplitLoaderError>> + 'static,
) {
    spawn_local(async move {
        if run.await.is_err() {
            error.set(Some(failure_text(what)));
        }
    });
}
