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
    lazy_view_with(what, load, true)
}

/// [`lazy_view`], with the "Loading …" line shown or not (`announce`).
fn lazy_view_with(what: &'static str, load: fn() -> Loading, announce: bool) -> impl IntoView {
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
        State::Loading if !announce => ().into_any(),
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

/// Like [`lazy_view`], mounted the first time `shown` is true and kept from then on (a chunk's
/// piece that is hidden again keeps its state, as it did when it was in the main module).
pub fn lazy_view_once(
    what: &'static str,
    shown: impl Fn() -> bool + Send + Sync + 'static,
    load: fn() -> Loading,
) -> impl IntoView {
    let ever = Memo::new(move |was: Option<&bool>| was.copied().unwrap_or(false) || shown());
    move || ever.get().then(|| lazy_view(what, load))
}

/// Like [`lazy_view`] for a piece below the fold that is always there: its chunk is fetched
/// once the first paint is done and the browser is idle (at most `crate::dom::when_idle`'s
/// timeout later), so it never competes with the main view. Nobody asked for it, so nothing
/// says "Loading …" meanwhile: a line that came and went at the page's foot made a projector's
/// page scroll for the fetch's duration (the talk layout hides the piece, not the line). A
/// failure still shows its line with Retry.
pub fn lazy_view_idle(what: &'static str, load: fn() -> Loading) -> impl IntoView {
    let idle = RwSignal::new(!cfg!(target_arch = "wasm32"));
    crate::dom::when_idle(IDLE_LOAD_TIMEOUT_MS, move || idle.set(true));
    move || idle.get().then(|| lazy_view_with(what, load, false))
}

/// Longest a below-the-fold piece waits for the browser to be idle before its chunk is fetched.
pub const IDLE_LOAD_TIMEOUT_MS: u32 = 2000;

/// Declares a split function `$name` in chunk `$chunk` that hands back the renderer of `$view`
/// (a component), for [`lazy_view`] and friends.
#[macro_export]
macro_rules! lazy_piece {
    ($chunk:ident, $name:ident, $view:expr) => {
        #[leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        pub fn $name() -> Result<$crate::lazy::Mount, $crate::lazy::SplitLoaderError> {
            Ok(|| leptos::prelude::IntoAny::into_any($view))
        }
    };
}
