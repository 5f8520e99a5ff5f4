//! Where the page's searches run: in the explore worker when it can, on the page's own thread
//! in slices ([`crate::slices`]) when it cannot.
//!
//! The worker (`worker/explore-worker.js` over crate `mmrace-worker`, whose URL index.html
//! names in its start script's `data-worker`) gets a [`SearchRequest`] — the model by variant
//! id, edit list and scenario — and answers with [`SearchReply`]s: progress about every 100 ms,
//! then the report. One worker per search, terminated once the report is in, so the memory a
//! large visited set took is given back. Cancelling posts `stop`; the worker answers with what
//! it found so far, as the sliced search does.
//!
//! A worker takes tens of milliseconds to start (its module instantiated, at opt-level 3 about
//! 130 KiB gzip to fetch the first time), so one is kept started ahead ([`warm`]): once the page
//! with the explore panel is idle, and again after each search.
//!
//! The page falls back to the sliced search, with the same result (the same deterministic
//! explorer on the same model), when the model has no request (it was not built from its name),
//! when there is no worker URL (a page built without it) or no module workers, and when the
//! worker fails before its first report (its script or module did not load). A worker that dies
//! after it has reported (out of memory, most likely) is an error for the caller to show.

use crate::slices::explore_sliced;
use futures::channel::mpsc;
use futures::StreamExt;
use mmrace_core::explore::{Bounds, Explorer, Progress, Report, Status};
use mmrace_core::search::{SearchReply, SearchRequest};
use mmrace_core::Model;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Explores `model` to the end, or until `alive()` says stop (asked at every progress report);
/// `on_progress` sees the figures as they grow. Returns the report and whether the search ran
/// to its end (false: stopped, and the report is what was found so far, status `Running`), or
/// why the search died: its worker stopped while it was searching (out of memory, most likely;
/// the page does not search again itself, which would take its own memory down with it).
pub async fn explore(
    model: Model,
    alive: impl Fn() -> bool,
    mut on_progress: impl FnMut(Progress),
) -> Result<(Report, bool), String> {
    if let (Some(request), Some(url)) = (SearchRequest::of(&model), worker_url()) {
        match in_worker(&url, &request, &alive, &mut on_progress).await {
            Ok(r) => return Ok(r),
            Err(Failed::Crashed(why)) => return Err(why),
            Err(Failed::Unavailable(why)) => {
                web_sys::console::warn_1(&JsValue::from_str(&format!(
                    "mmrace: the explore worker failed ({why}); exploring on the page instead"
                )))
            }
        }
    }
    let ex = Explorer::new(model, Bounds::default());
    let (ex, finished) = explore_sliced(ex, alive, |ex| on_progress(ex.progress())).await;
    Ok((ex.report(), finished))
}

/// How a search in a worker failed.
enum Failed {
    /// Before it reported anything: the worker could not run here.
    Unavailable(String),
    /// While it was searching.
    Crashed(String),
}

/// The worker script's URL, from the start script's `data-worker`.
fn worker_url() -> Option<String> {
    web_sys::window()?
        .document()?
        .query_selector("script[data-worker]")
        .ok()??
        .get_attribute("data-worker")
}

/// A worker started ahead of its search, and whether it failed while it waited (its script or
/// module did not load).
struct Warm {
    worker: web_sys::Worker,
    failed: Rc<Cell<bool>>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

thread_local! {
    static WARM: RefCell<Option<Warm>> = const { RefCell::new(None) };
}

fn spawn(url: &str) -> Result<web_sys::Worker, String> {
    let opts = web_sys::WorkerOptions::new();
    opts.set_type(web_sys::WorkerType::Module);
    web_sys::Worker::new_with_options(url, &opts)
        .map_err(|e| format!("could not start {url}: {e:?}"))
}

/// Starts a worker for the next search, unless one is waiting already (or the page has no
/// worker URL).
pub fn warm() {
    if WARM.with_borrow(Option::is_some) {
        return;
    }
    let Some(worker) = worker_url().and_then(|url| spawn(&url).ok()) else {
        return;
    };
    let failed = Rc::new(Cell::new(false));
    let on_error = {
        let failed = failed.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| failed.set(true))
    };
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    WARM.set(Some(Warm {
        worker,
        failed,
        _on_error: on_error,
    }));
}

/// The waiting worker if there is one, else a new one.
fn take_or_spawn(url: &str) -> Result<web_sys::Worker, String> {
    let Some(w) = WARM.take() else {
        return spawn(url);
    };
    w.worker.set_onerror(None);
    if w.failed.get() {
        w.worker.terminate();
        return Err("the worker started ahead did not load".into());
    }
    Ok(w.worker)
}

/// A worker and its handlers, terminated when dropped (on every way out of [`in_worker`]).
struct Running {
    worker: web_sys::Worker,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// One search in a worker started ahead, or a new one.
async fn in_worker(
    url: &str,
    request: &SearchRequest,
    alive: &impl Fn() -> bool,
    on_progress: &mut impl FnMut(Progress),
) -> Result<(Report, bool), Failed> {
    let mut reported = false;
    let failed = |reported: bool, why: String| {
        if reported {
            Failed::Crashed(format!(
                "the explorer's worker stopped while it was searching ({why}); a search this large may need more memory than this browser gives it: try a smaller scenario, or the mmrace command line"
            ))
        } else {
            Failed::Unavailable(why)
        }
    };
    let worker = take_or_spawn(url).map_err(Failed::Unavailable)?;
    let (tx, mut rx) = mpsc::unbounded::<Result<String, String>>();
    let on_message = {
        let tx = tx.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let text = e
                .data()
                .as_string()
                .ok_or("a reply that is not text".to_string());
            let _ = tx.unbounded_send(text);
        })
    };
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        let why = e
            .dyn_ref::<web_sys::ErrorEvent>()
            .map_or_else(|| "its script did not load".to_string(), |e| e.message());
        let _ = tx.unbounded_send(Err(why));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let running = Running {
        worker,
        _on_message: on_message,
        _on_error: on_error,
    };
    running
        .worker
        .post_message(&JsValue::from_str(&request.to_json()))
        .map_err(|e| Failed::Unavailable(format!("could not post the request: {e:?}")))?;
    let mut stopping = false;
    while let Some(message) = rx.next().await {
        let reply = message.and_then(|m| SearchReply::from_json(&m));
        match reply.map_err(|why| failed(reported, why))? {
            SearchReply::Progress(p) => {
                reported = true;
                on_progress(p);
                if !stopping && !alive() {
                    stopping = true;
                    let _ = running.worker.post_message(&JsValue::from_str("stop"));
                }
            }
            SearchReply::Done(report) => {
                drop(running);
                warm();
                // A small search can end before its first progress report, so `alive` may not
                // have been asked: a search no longer wanted did not finish for its caller.
                let finished = report.status != Status::Running && alive();
                return Ok((report, finished));
            }
            SearchReply::Failed(why) => return Err(failed(reported, why)),
        }
    }
    Err(failed(reported, "the worker went away".into()))
}
