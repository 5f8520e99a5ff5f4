//! An actor's program as readable pseudo-code: grouped by kernel function (each linking to the
//! source at the variant's release), indented, the current line highlighted, executed lines
//! ticked, untaken lines dimmed, and the patch view's marks (added, changed, moved; removed
//! lines struck through). Outer frames of the call stack collapse to their call site.

use crate::patch::{use_patch, Patch, Row};
use crate::session::use_session;
use crate::text::{change_mark, split_comment};
use leptos::html;
use leptos::prelude::*;
use mmrace_core::actor::ActorId;
use mmrace_core::program::Source;
use mmrace_core::sim::Model;
use mmrace_core::view::FrameView;

#[derive(Clone, Copy, PartialEq, Eq)]
enum LineState {
    Current,
    Waiting,
    Calling,
    Done,
    Skipped,
    Pending,
}

impl LineState {
    fn slug(self) -> &'static str {
        match self {
            LineState::Current => "current",
            LineState::Waiting => "waiting",
            LineState::Calling => "calling",
            LineState::Done => "done",
            LineState::Skipped => "skipped",
            LineState::Pending => "pending",
        }
    }
    fn glyph(self) -> &'static str {
        match self {
            LineState::Current => "▶",
            LineState::Waiting => "‖",
            LineState::Calling => "↳",
            LineState::Done => "✓",
            LineState::Skipped => "·",
            LineState::Pending => "",
        }
    }
    fn describe(self) -> &'static str {
        match self {
            LineState::Current => "next to execute",
            LineState::Waiting => "next, but blocked",
            LineState::Calling => "call in progress",
            LineState::Done => "executed",
            LineState::Skipped => "not executed (branch not taken)",
            LineState::Pending => "",
        }
    }
}

fn func_header(model: &Model, src: &Source, first: bool) -> AnyView {
    let url = model.variant.source_url(src);
    let tag = model.variant.info.tag;
    view! {
        <li class=if first { "func first" } else { "func" }>
            <a href=url target="_blank" rel="noopener noreferrer"
                title=format!("{} in {} at {tag} (Elixir)", src.func, src.file)>
                <code>{src.func}</code>
                <span class="file">{src.file}</span>
                <span aria-hidden="true">" ↗"</span>
            </a>
        </li>
    }
    .into_any()
}

fn code_text(code: &'static str) -> AnyView {
    let (c, comment) = split_comment(code);
    view! {
        <code class="src">{c}</code>
        {comment.map(|t| view! { <span class="comment">{format!("/* {t} */")}</span> })}
    }
    .into_any()
}

/// Renders one frame's program (all of it, or only the call site for an outer frame).
fn frame_lines(model: &Model, patch: &Patch, f: &FrameView, blocked: bool, full: bool) -> AnyView {
    let prog = model.variant.program(f.prog);
    let base = patch.base.unwrap_or("");
    let mut out: Vec<AnyView> = Vec::new();
    let mut last_func = "";
    for row in patch.rows(f.prog) {
        match row {
            Row::Line { idx, change } => {
                let idx = *idx;
                let st = &prog.steps[idx];
                let at = f.at.map(usize::from);
                let state = if at == Some(idx) {
                    if !f.innermost {
                        LineState::Calling
                    } else if blocked {
                        LineState::Waiting
                    } else {
                        LineState::Current
                    }
                } else if f.executed[idx] {
                    LineState::Done
                } else if at.is_none_or(|a| idx < a) {
                    LineState::Skipped
                } else {
                    LineState::Pending
                };
                let is_here = matches!(
                    state,
                    LineState::Current | LineState::Waiting | LineState::Calling
                );
                if st.code.is_empty() && !is_here {
                    continue;
                }
                if !full && !is_here {
                    continue;
                }
                if st.src.func != last_func {
                    out.push(func_header(model, &st.src, last_func.is_empty()));
                    last_func = st.src.func;
                }
                let mark = change_mark(*change);
                let cls = format!(
                    "line {}{}",
                    state.slug(),
                    mark.map(|m| format!(" patch-{}", m.1)).unwrap_or_default()
                );
                let code = if st.code.is_empty() {
                    st.label
                } else {
                    st.code
                };
                let url = model.variant.source_url(&st.src);
                let src_label = format!(
                    "{} in {} at {} (source)",
                    st.src.func, st.src.file, model.variant.info.tag
                );
                let title = [
                    state.describe().to_string(),
                    mark.map(|m| format!("{} (vs {base})", m.2))
                        .unwrap_or_default(),
                    if st.src.since.is_empty() {
                        String::new()
                    } else {
                        format!("since {}", st.src.since)
                    },
                ]
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
                out.push(
                    view! {
                        <li
                            class=cls
                            data-testid="line"
                            data-line=st.id
                            data-state=state.slug()
                            data-change=mark.map(|m| m.1).unwrap_or("same")
                            title=title
                            aria-current=is_here.then_some("step")
                        >
                            <span class="gutter" aria-hidden="true">{state.glyph()}</span>
                            <span class="patch-mark" aria-hidden="true">{mark.map(|m| m.0).unwrap_or("")}</span>
                            <span class="text" style=format!("--indent: {}", st.indent)>
                                {mark.map(|m| view! { <span class="sr-only">{format!("{}: ", m.2)}</span> })}
                                {code_text(code)}
                            </span>
                            <a class="line-src" href=url target="_blank" rel="noopener noreferrer"
                                tabindex="-1" aria-label=src_label.clone() title=src_label>
                                "↗"
                            </a>
                        </li>
                    }
                    .into_any(),
                );
            }
            Row::Removed { code, indent, src } => {
                if !full || code.is_empty() {
                    continue;
                }
                if src.func != last_func {
                    out.push(func_header(model, src, last_func.is_empty()));
                    last_func = src.func;
                }
                out.push(
                    view! {
                        <li class="line removed patch-removed" data-testid="line" data-state="removed"
                            data-change="removed" title=format!("removed by this variant (vs {base})")>
                            <span class="gutter" aria-hidden="true"></span>
                            <span class="patch-mark" aria-hidden="true">"−"</span>
                            <span class="text" style=format!("--indent: {indent}")>
                                <span class="sr-only">"removed: "</span>
                                <del>{code_text(code)}</del>
                            </span>
                        </li>
                    }
                    .into_any(),
                );
            }
        }
    }
    view! { <ol class="lines">{out}</ol> }.into_any()
}

/// The listing of `actor`'s call stack: outer frames as their call site, the innermost in full.
#[component]
pub fn CodeListing(
    actor: ActorId,
    frames: Memo<Vec<FrameView>>,
    #[prop(into)] blocked: Signal<bool>,
) -> impl IntoView {
    let s = use_session();
    let patch = use_patch();
    let container = NodeRef::<html::Div>::new();
    // Keep the current line in view (scrolling only this listing, never the page): when the
    // stack changes, and when the listing changes size (a banner above it appears, the window
    // is resized), which can push an unchanged current line out of a shorter listing.
    Effect::new(move |_| {
        frames.track();
        request_animation_frame(move || {
            if let Some(div) = container.try_get_untracked().flatten() {
                keep_current_line_in_view(&div);
            }
        });
    });
    Effect::new(move |_| {
        if let Some(div) = container.get() {
            watch_size(&div);
        }
    });
    view! {
        <div class="listing" node_ref=container tabindex="0" data-testid="listing"
            aria-label=format!("{}'s code", actor.who())>
            {move || {
                let fs = frames.get();
                let b = blocked.get();
                s.model.with(|m| {
                    patch.with(|p| {
                        let n = fs.len();
                        fs.iter()
                            .enumerate()
                            .map(|(i, f)| {
                                let full = i + 1 == n;
                                let name = f.prog.name();
                                view! {
                                    <div class=if full { "frame inner" } else { "frame outer" } data-prog=name>
                                        {frame_lines(m, p, f, b, full)}
                                    </div>
                                }
                            })
                            .collect_view()
                    })
                })
            }}
        </div>
    }
}

fn keep_current_line_in_view(div: &web_sys::HtmlDivElement) {
    let Ok(Some(line)) = div.query_selector(".frame.inner [aria-current]") else {
        return;
    };
    let Ok(line) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(line) else {
        return;
    };
    let top = line.offset_top();
    let bottom = top + line.offset_height();
    let view_top = div.scroll_top();
    let view_h = div.client_height();
    // Keep the line in the upper part of the listing, with context below it.
    if top < view_top + view_h / 10 || bottom > view_top + view_h * 4 / 5 {
        div.set_scroll_top((top - view_h / 3).max(0));
    }
}

/// Re-checks the current line whenever the listing is resized. The observer lives as long as
/// the listing: it is disconnected (and its callback dropped) when the listing is unmounted.
fn watch_size(div: &web_sys::HtmlDivElement) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let target = div.clone();
    let cb = Closure::<dyn FnMut()>::new(move || keep_current_line_in_view(&target));
    let Ok(observer) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) else {
        return;
    };
    observer.observe(div);
    let held = StoredValue::new_local((observer, cb));
    on_cleanup(move || {
        held.with_value(|(o, _)| o.disconnect());
        held.dispose();
    });
}
