//! mmrace web front end: a stepper for the Linux kernel paths that tear down a dying
//! process's memory (exit_mmap, the oom_reaper, process_mrelease), before and after the v5.17
//! patch "mm: protect free_pgtables with mmap_lock write lock in exit_mmap".
//!
//! The UI is a thin layer over `mmrace-core`: stepping, narration, invariant checking, diffs,
//! exploration and comparison all come from the core crate; this crate renders them. The root
//! [`App`] reads the query string, creates the [`session::Session`], installs the keyboard
//! shortcuts and autoplay, and lays out the components. A panic is always shown on the page
//! ([`install_panic_hook`]).

use leptos::prelude::*;

#[cfg(feature = "test-hooks")]
pub mod alloc_count;
pub mod autoplay;
#[cfg(feature = "test-hooks")]
pub mod bench;
pub mod components;
pub mod dom;
pub mod edits;
pub mod keys;
pub mod lazy;
pub mod mount;
pub mod patch;
pub mod permalink;
pub mod query;
pub mod recheck;
pub mod search;
pub mod session;
pub mod slices;
#[cfg(feature = "test-hooks")]
pub mod testhook;
pub mod text;
#[cfg(feature = "test-hooks")]
pub mod wasm_exports;

use components::app_header::AppHeader;
use components::compare_view::compare_view_lazy;
use components::embed::EmbedBar;
use components::explore_panel::ExplorePanel;
use components::export::tools_panel_lazy;
use components::help_overlay::help_overlay_lazy;
use components::orientation::Orientation;
use components::patch_editor::patch_editor_lazy;
use components::schedule_panel::SchedulePanel;
use components::share::NoticeBanner;
use components::stage::Stage;
use components::step_list::StepList;
use components::talk::{tour_panel_lazy, PresentBar};
use components::timeline::Timeline;
use lazy::{lazy_view, lazy_view_idle, lazy_view_once};
use mount::Part;
use session::{default_scenario, provide_session, Mode, Session, DEFAULT_VARIANT};

// Test-only code (the counting allocator, `testhook`, `bench`, `wasm_exports` and the deliberate
// panic) is compiled only with the `test-hooks` feature: `scripts/build.sh --test-hooks` builds
// it into dist-test/ for the browser tests and benchmarks; the site in dist/ leaves it out.
#[cfg(feature = "test-hooks")]
#[global_allocator]
static ALLOCATOR: alloc_count::Counting = alloc_count::Counting;

/// The element id of the visible panic message (see [`install_panic_hook`]).
pub const PANIC_ELEMENT_ID: &str = "panic";

/// Query-string flag that makes [`start`] panic on purpose after mounting, so the browser
/// tests can prove the panic hook shows the message instead of leaving a blank page.
pub const TEST_PANIC_FLAG: &str = "mmrace-test-panic";

/// Root component: header, then either the stepper (stage, timeline, step list, schedule,
/// explorer) or the compare view, and the help overlay.
#[component]
pub fn App() -> impl IntoView {
    let q = query::parse(&location_search());
    let session = Session::new(
        q.variant.as_deref().unwrap_or(DEFAULT_VARIANT),
        q.scenario.clone().unwrap_or_else(default_scenario),
    );
    provide_session(session);
    patch::provide_patch(session);
    provide_context(components::violation_alert::highlights(session));
    components::explore_panel::provide_explore();
    recheck::provide_recheck(session);
    let mut notes = q.warnings.clone();
    if let Some(v) = &q.variant {
        if session.variant_id.get_untracked() != *v {
            notes.push(format!(
                "{}; showing {DEFAULT_VARIANT}",
                mmrace_core::variant::unknown_variant(v)
            ));
        }
    }
    if let Some(n) = q.bench {
        #[cfg(feature = "test-hooks")]
        match bench::long_run(n) {
            Ok(run) => session.load_run(run),
            Err(e) => notes.push(format!("benchmark hook: {e}")),
        }
        #[cfg(not(feature = "test-hooks"))]
        notes.push(format!(
            "bench={n}: the benchmark hook is only in the test build (scripts/build.sh --test-hooks)"
        ));
    } else if let Some(text) = &q.schedule {
        if let Err(e) = session.replay(text) {
            notes.push(format!("schedule from the link: {e}"));
        }
        if let Some(at) = q.at {
            session.jump(at);
        }
    }
    if let Some(b) = q.compare.clone() {
        components::compare_view::provide_compare(Some(b), q.schedule.clone());
        session.mode.set(Mode::Compare);
    } else {
        components::compare_view::provide_compare(None, None);
    }
    if !notes.is_empty() {
        session.error.set(Some(notes.join(" ")));
    }
    // Read before the fragment is first rewritten: did the visitor come by the bare URL?
    let bare_url = components::orientation::bare_url();
    // The view in the URL fragment (loaded over the query string), presenter keys,
    // tours, the embed height report and the memory-measurement hook.
    let view = permalink::install(session, Vec::new());
    components::talk::install_presenter_keys(session, view);
    components::talk::install_tour_guard(session, view);
    components::embed::install();
    #[cfg(feature = "test-hooks")]
    testhook::install(session);
    keys::install(session);
    autoplay::install(session);
    mount::provide_turns();
    let ready = |part: Part| {
        let r = mount::ready(part);
        Memo::new(move |_| session.mode.get() == Mode::Stepper && r.get())
    };
    let (header, orientation) = (mount::ready(Part::Header), mount::ready(Part::Orientation));
    let (bars, timeline, step_list, schedule, explore, tools) = (
        mount::ready(Part::Bars),
        ready(Part::Timeline),
        ready(Part::StepList),
        ready(Part::Schedule),
        ready(Part::Explore),
        ready(Part::Tools),
    );
    let shown = mount::ready(Part::Shown);
    let main_ref = NodeRef::<leptos::html::Main>::new();
    // One effect does both, so that no moment shows both the copy and the page, or neither. A
    // link still waiting for its edit chunk keeps the page hidden (see `ViewCtl::pending`).
    Effect::new(move |_| {
        if let (true, false, Some(main)) = (shown.get(), view.pending.get(), main_ref.get()) {
            let _ = main.remove_attribute("data-mounting");
            if let Some(copy) = prerendered_copy() {
                copy.remove();
            }
        }
    });
    view! {
        // Hidden until the first screen is built (crate::mount); the pre-rendered copy, if any,
        // is on screen meanwhile and leaves in the same task the page is shown.
        <main data-testid="app" class="app" data-mounting="" node_ref=main_ref>
            <div class=move || match session.mode.get() {
                Mode::Stepper => "screen stepper",
                Mode::Compare => "screen",
            }>
                {mount::gate(header, || view! { <AppHeader/> })}
                {mount::gate(bars, || view! {
                    <EmbedBar/>
                    <NoticeBanner/>
                    <PresentBar/>
                })}
                {move || (orientation.get() && session.mode.get() == Mode::Stepper).then(|| view! { <Orientation bare_url=bare_url/> })}
                // Pieces the first screen does not need are in chunks loaded when first used
                // (see crate::lazy): the tour, compare, edit mode, the tools, the help.
                {lazy_view_once("the tour", move || view.tour.with(Option::is_some), || Box::pin(tour_panel_lazy()))}
                {move || match session.mode.get() {
                    Mode::Stepper => view! { <Stage/> }.into_any(),
                    Mode::Compare => lazy_view("the compare view", || Box::pin(compare_view_lazy())).into_any(),
                }}
            </div>
            {move || (session.mode.get() == Mode::Stepper && session.editing.get())
                .then(|| lazy_view("edit mode", || Box::pin(patch_editor_lazy())))}
            // Below the first screen: mounted in later tasks, one part per task (crate::mount).
            {mount::gate(timeline, || view! { <Timeline/> })}
            {mount::gate(step_list, move || view! {
                <div class="lower">
                    <StepList/>
                    {mount::gate(schedule, || view! { <SchedulePanel/> })}
                </div>
            })}
            {mount::gate(explore, || view! { <ExplorePanel/> })}
            {move || tools.get().then(|| lazy_view_idle("the share, export and import tools", || Box::pin(tools_panel_lazy())))}
            {lazy_view_once("the help", move || session.help_open.get(), || Box::pin(help_overlay_lazy()))}
        </main>
    }
}

fn location_search() -> String {
    if cfg!(target_arch = "wasm32") {
        web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default()
    } else {
        String::new()
    }
}

/// Entry point used by `main.rs` in the browser: installs the panic hooks and mounts [`App`].
pub fn start() {
    install_panic_hook();
    // The pre-rendered copy stays until its paint is reported (index.html's `mmracePainted`),
    // however fast the wasm came: a reader sees the page at the first paint either way, and the
    // largest paint is the copy's.
    // The app removes the copy when its own first screen is built (crate::mount).
    match prerendered_copy() {
        // Leptos's executor starts with the mount, so this waits on wasm-bindgen's own.
        Some(_) => wasm_bindgen_futures::spawn_local(async move {
            if let Some(painted) = dom::window_promise("mmracePainted") {
                let _ = wasm_bindgen_futures::JsFuture::from(painted).await;
            }
            // The module's instantiation ends the task it came in; the mount starts a new one.
            dom::Yielder::new().yield_now().await;
            mount();
        }),
        None => mount(),
    }
}

fn mount() {
    dom::mark("mmrace turn 0");
    leptos::mount::mount_to_body(App);
    if test_panic_requested() {
        panic!("deliberate test panic ({TEST_PANIC_FLAG} in the URL)");
    }
}

/// The element id of the static copy of the default view that `scripts/prerender.mjs` writes
/// into index.html, shown while the wasm loads.
pub const PRERENDER_ELEMENT_ID: &str = "prerender";

/// The pre-rendered copy, if index.html still has it. The app takes its place (same markup, same
/// CSS: nothing moves on screen).
fn prerendered_copy() -> Option<web_sys::Element> {
    dom::document()?.get_element_by_id(PRERENDER_ELEMENT_ID)
}

/// Installs `console_error_panic_hook` plus a hook that writes the panic message into the
/// page as `<div role="alert" id="panic">`, so a panic never leaves a blank page.
///
/// Does nothing outside wasm32 (there is no page there; native tests keep Rust's hook). The
/// code still compiles natively, so native clippy and tests cover it.
pub fn install_panic_hook() {
    if cfg!(target_arch = "wasm32") {
        std::panic::set_hook(Box::new(|info| {
            console_error_panic_hook::hook(info);
            show_panic_message(&info.to_string());
        }));
    }
}

/// Text shown to the user for a panic message.
pub fn panic_text(message: &str) -> String {
    format!(
        "mmrace stopped because of an internal error. Reloading the page may help.\n\n{message}"
    )
}

fn show_panic_message(message: &str) {
    // Never panic in here: we are already inside the panic hook.
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let element = match document.get_element_by_id(PANIC_ELEMENT_ID) {
        Some(element) => element,
        None => {
            let Ok(element) = document.create_element("div") else {
                return;
            };
            element.set_id(PANIC_ELEMENT_ID);
            let _ = element.set_attribute("role", "alert");
            let parent = document
                .body()
                .map(web_sys::Node::from)
                .or_else(|| document.document_element().map(web_sys::Node::from));
            match parent {
                Some(parent) => {
                    let _ = parent.append_child(&element);
                }
                None => return,
            }
            element
        }
    };
    element.set_text_content(Some(&panic_text(message)));
}

fn test_panic_requested() -> bool {
    // web_sys calls only work in wasm32; natively there is no page to ask.
    cfg!(all(target_arch = "wasm32", feature = "test-hooks"))
        && web_sys::window()
            .and_then(|w| w.location().search().ok())
            .is_some_and(|search| search.contains(TEST_PANIC_FLAG))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_text_contains_message() {
        let text = panic_text("index out of bounds");
        assert!(text.contains("index out of bounds"));
        assert!(text.starts_with("mmrace stopped"));
    }
}
