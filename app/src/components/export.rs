//! Export and import: the trace as JSON (download, copy; re-import by file or paste), the
//! commit-message race diagram as text, and the current state and the timeline as SVG.
//!
//! Everything is computed by the core (`trace::to_json`, `trace::import`, `trace::diagram`,
//! `svg::state`, `svg::timeline`) when asked for, never on every step. An import that fails
//! shows the core's message and leaves the current run untouched.

use crate::components::share::{CopyButton, SharePanel};
use crate::permalink::{load_run_into, use_view};
use crate::session::{use_session, Session};
use leptos::prelude::*;
use mmrace_core::{svg, trace};

/// A file name for an export of the current run: `mmrace-v5.17-rc1-user-kill-step32.json`.
pub fn export_name(s: Session, ext: &str) -> String {
    s.run.with_untracked(|r| {
        format!(
            "mmrace-{}-{}-step{}.{ext}",
            r.model.variant.info.id,
            r.model.scenario.name(),
            r.pos()
        )
    })
}

/// Imports a trace (JSON text) into the session; on failure the session is left as it was.
/// Returns a message for the user.
pub fn import_into(s: Session, text: &str) -> Result<String, String> {
    let run = trace::import(text)?;
    let msg = format!(
        "Imported a trace of {} steps on {} · {}.",
        run.len(),
        run.model.variant.info.id,
        run.model.scenario.name()
    );
    load_run_into(s, run);
    Ok(msg)
}

/// The export and import tools.
/// A button that downloads `content` of the current run as `<variant>-<scenario>-….<ext>`.
#[component]
fn DownloadButton(
    testid: &'static str,
    label: &'static str,
    title: &'static str,
    ext: &'static str,
    mime: &'static str,
    content: fn(&mmrace_core::run::Run) -> String,
) -> impl IntoView {
    let s = use_session();
    view! {
        <button data-testid=testid title=title
            on:click=move |_| {
                let text = s.run.with_untracked(content);
                crate::dom::download_text(&export_name(s, ext), mime, &text);
            }>
            <span aria-hidden="true">"↓ "</span>{label}
        </button>
    }
}

#[component]
pub fn ExportPanel() -> impl IntoView {
    let s = use_session();
    let v = use_view();
    let import_msg = RwSignal::new(None::<Result<String, String>>);
    let paste = RwSignal::new(String::new());
    let diagram_open = RwSignal::new(false);
    let diagram = Memo::new(move |_| {
        if diagram_open.get() {
            s.run.with(trace::diagram)
        } else {
            String::new()
        }
    });
    let do_import = move |text: String| {
        let r = import_into(s, &text);
        if r.is_ok() {
            v.tour.set(None);
        }
        import_msg.set(Some(r));
    };
    let on_file = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        if !cfg!(target_arch = "wasm32") {
            return;
        }
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let name = file.name();
        if file.size() > trace::MAX_TRACE_BYTES as f64 {
            import_msg.set(Some(Err(format!(
                "{name}: {} bytes is more than the {} a trace may have",
                file.size(),
                trace::MAX_TRACE_BYTES
            ))));
            input.set_value("");
            return;
        }
        let promise = file.text();
        input.set_value("");
        wasm_bindgen_futures::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(t) => {
                    let text = t.as_string().unwrap_or_default();
                    let r = import_into(s, &text).map_err(|e| format!("{name}: {e}"));
                    if r.is_ok() {
                        v.tour.set(None);
                    }
                    import_msg.set(Some(r));
                }
                Err(_) => import_msg.set(Some(Err(format!("{name}: the file could not be read")))),
            }
        });
    };
    view! {
        <section class="tool export" aria-labelledby="export-title" data-testid="export">
            <h3 id="export-title">"Export"</h3>
            <div class="tool-row">
                <DownloadButton testid="export-json" label="Trace JSON" ext="json" mime="application/json"
                    title="The trace as JSON: re-import it here or with `mmrace replay`" content=trace::to_json/>
                <CopyButton label="Copy JSON" testid="copy-json"
                    text=Callback::new(move |_| s.run.with_untracked(trace::to_json))/>
            </div>
            <div class="tool-row">
                <DownloadButton testid="export-state-svg" label="State SVG" ext="state.svg" mime="image/svg+xml"
                    title="A schematic of the current state" content=svg::state/>
                <DownloadButton testid="export-timeline-svg" label="Timeline SVG" ext="timeline.svg" mime="image/svg+xml"
                    title="The lock and refcount timeline up to the current step" content=svg::timeline/>
            </div>
            <details class="diagram" data-testid="diagram-details"
                on:toggle=move |ev| {
                    use wasm_bindgen::JsCast;
                    let open = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
                        .is_some_and(|d| d.open());
                    diagram_open.set(open);
                }>
                <summary>"Race diagram (for a commit message)"</summary>
                <label class="field">
                    <span class="sr-only">"Race diagram"</span>
                    <textarea readonly rows="14" wrap="off" spellcheck="false" class="diagram-text"
                        data-testid="diagram-text" prop:value=move || diagram.get()></textarea>
                </label>
                <CopyButton label="Copy diagram" testid="copy-diagram"
                    text=Callback::new(move |_| s.run.with_untracked(trace::diagram))/>
            </details>
        </section>
        <section class="tool import" aria-labelledby="import-title" data-testid="import">
            <h3 id="import-title">"Import a trace"</h3>
            <label class="field">
                <span>"Trace file (JSON)"</span>
                <input type="file" accept=".json,application/json" data-testid="import-file" on:change=on_file/>
            </label>
            <label class="field">
                <span>"…or paste a trace"</span>
                <textarea rows="3" spellcheck="false" data-testid="import-text"
                    placeholder="{\"format\": \"mmrace-trace\", …}"
                    prop:value=move || paste.get()
                    on:input=move |ev| paste.set(event_target_value(&ev))></textarea>
            </label>
            <div class="tool-row">
                <button data-testid="import-paste" on:click=move |_| do_import(paste.get_untracked())>
                    "Import pasted trace"
                </button>
            </div>
            <div class="import-result" role="status" data-testid="import-status">
                {move || import_msg.get().map(|r| match r {
                    Ok(m) => view! { <p class="import-ok" data-testid="import-ok"><span aria-hidden="true">"✓ "</span>{m}</p> }.into_any(),
                    Err(e) => view! {
                        <p class="field-error" data-testid="import-error">
                            <span aria-hidden="true">"✗ "</span>"Not imported; the current run is unchanged. "{e}
                        </p>
                    }.into_any(),
                })}
            </div>
        </section>
    }
}

/// The share, export and import tools, in one region below the stepper.
#[component]
pub fn ToolsPanel() -> impl IntoView {
    view! {
        <section class="tools" aria-labelledby="tools-title" data-testid="tools">
            <h2 id="tools-title" class="panel-title">"Share, export, import"</h2>
            <div class="tools-grid">
                <SharePanel/>
                <ExportPanel/>
            </div>
        </section>
    }
}

crate::lazy_piece!(tools, tools_panel_lazy, view! { <ToolsPanel/> });
