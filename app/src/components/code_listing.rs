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
use mmrace_core::program::{ProgId, Source};
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

/// The state of line `idx` of frame `f` (`blocked`: the actor cannot run its next line).
fn line_state(f: &FrameView, idx: usize, blocked: bool) -> LineState {
    let at = f.at.map(usize::from);
    if at == Some(idx) {
        if !f.innermost {
            LineState::Calling
        } else if blocked {
            LineState::Waiting
        } else {
            LineState::Current
        }
    } else if f.executed.get(idx).copied().unwrap_or(false) {
        LineState::Done
    } else if at.is_none_or(|a| idx < a) {
        LineState::Skipped
    } else {
        LineState::Pending
    }
}

/// Which rows of the patch a frame shows: all of them for the innermost frame, but a line
/// without code only while it is the current one; only the call site for an outer frame.
#[derive(Clone, Debug, PartialEq, Eq)]
struct FrameShape {
    prog: ProgId,
    full: bool,
    /// Indexes into `patch.rows(prog)`.
    rows: Vec<usize>,
}

/// The rows each frame shows. It changes on a call, a return, or a current line that is shown
/// only while current; an ordinary step changes line states only, not the shape.
fn shape_of(model: &Model, patch: &Patch, fs: &[FrameView]) -> Vec<FrameShape> {
    let n = fs.len();
    fs.iter()
        .enumerate()
        .map(|(i, f)| {
            let full = i + 1 == n;
            let prog = model.variant.program(f.prog);
            let at = f.at.map(usize::from);
            let rows = patch
                .rows(f.prog)
                .iter()
                .enumerate()
                .filter(|(_, row)| match row {
                    Row::Line { idx, .. } => {
                        let here = at == Some(*idx);
                        here || (full && !prog.steps[*idx].code.is_empty())
                    }
                    Row::Removed { code, .. } => full && !code.is_empty(),
                })
                .map(|(k, _)| k)
                .collect();
            FrameShape {
                prog: f.prog,
                full,
                rows,
            }
        })
        .collect()
}

/// `shapes` as one flat list: per frame its program, whether it is full, and its rows.
fn shape_key(shapes: &[FrameShape]) -> Vec<usize> {
    let mut k = Vec::new();
    for sh in shapes {
        k.extend([sh.prog as usize, usize::from(sh.full), sh.rows.len()]);
        k.extend(&sh.rows);
    }
    k
}

/// A shown line: where it is in the stack, its state, and what its attributes are made of. A
/// step sets the attributes of the few lines whose state changed, straight on the element (one
/// write per attribute, no reactive node per attribute: a call or a return builds 20–50 lines,
/// and five render effects a line made that the slowest kind of step).
struct Cell {
    frame: usize,
    idx: usize,
    /// The state the element shows (`None` until the first [`Cell::show`]).
    shown: std::cell::Cell<Option<LineState>>,
    li: NodeRef<html::Li>,
    /// The line's patch class (` patch-added`, …) or nothing.
    patch_class: String,
    /// The parts of the tooltip that do not depend on the line's state.
    notes: Vec<String>,
}

impl Cell {
    fn class(&self, st: LineState) -> String {
        format!("line {}{}", st.slug(), self.patch_class)
    }
    fn title(&self, st: LineState) -> String {
        std::iter::once(st.describe())
            .filter(|d| !d.is_empty())
            .chain(self.notes.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" · ")
    }
    /// Shows state `st` on the line's element (if it changed).
    fn show(&self, st: LineState) {
        if self.shown.get() == Some(st) {
            return;
        }
        self.shown.set(Some(st));
        let Some(li) = self.li.get_untracked() else {
            return;
        };
        let _ = li.set_attribute("class", &self.class(st));
        let _ = li.set_attribute("data-state", st.slug());
        let _ = li.set_attribute("title", &self.title(st));
        let _ = if is_here(st) {
            li.set_attribute("aria-current", "step")
        } else {
            li.remove_attribute("aria-current")
        };
        if let Some(gutter) = li.first_element_child() {
            gutter.set_text_content(Some(st.glyph()));
        }
    }
}

/// The line the actor is at (in any frame): marked `aria-current`.
fn is_here(st: LineState) -> bool {
    matches!(
        st,
        LineState::Current | LineState::Waiting | LineState::Calling
    )
}

/// Renders one frame's shown rows; every program line gets a [`Cell`] in `cells`.
fn frame_lines(
    model: &Model,
    patch: &Patch,
    shape: &FrameShape,
    frame: usize,
    cells: &mut Vec<Cell>,
) -> AnyView {
    let prog = model.variant.program(shape.prog);
    let base = patch.base.unwrap_or("");
    let rows = patch.rows(shape.prog);
    let mut out: Vec<AnyView> = Vec::new();
    let mut last_func = "";
    for &k in &shape.rows {
        match &rows[k] {
            Row::Line { idx, change } => {
                let idx = *idx;
                let st = &prog.steps[idx];
                if st.src.func != last_func {
                    out.push(func_header(model, &st.src, last_func.is_empty()));
                    last_func = st.src.func;
                }
                let mark = change_mark(*change);
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
                let notes = [
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
                .collect::<Vec<_>>();
                let cell = Cell {
                    frame,
                    idx,
                    shown: std::cell::Cell::new(None),
                    li: NodeRef::new(),
                    patch_class: mark.map(|m| format!(" patch-{}", m.1)).unwrap_or_default(),
                    notes,
                };
                // The state's attributes (class, data-state, title, aria-current) and glyph are
                // written by `Cell::show` only, never by the view: when the shape changes, Leptos
                // rebuilds these rows in place, comparing with what it rendered before, so any
                // value it rendered would go stale once `show` had changed it.
                out.push(
                    view! {
                        <li
                            node_ref=cell.li
                            data-testid="line"
                            data-line=st.id
                            data-change=mark.map(|m| m.1).unwrap_or("same")
                        >
                            <span class="gutter" aria-hidden="true"></span>
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
                cells.push(cell);
            }
            Row::Removed { code, indent, src } => {
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
///
/// The rows are rebuilt only when the [shape](shape_of) changes (a call, a return); a step
/// otherwise sets the state of the two or three lines it changes, so that stepping through a
/// long run touches a handful of attributes, not the whole listing.
#[component]
pub fn CodeListing(
    actor: ActorId,
    frames: Memo<Vec<FrameView>>,
    #[prop(into)] blocked: Signal<bool>,
) -> impl IntoView {
    let s = use_session();
    let patch = use_patch();
    let container = NodeRef::<html::Div>::new();
    // The shape, flattened into a `Vec<usize>` (a memo type the app already has): the rows are
    // rebuilt when it changes.
    let shape = Memo::new(move |_| {
        frames.with(|fs| {
            s.model
                .with(|m| patch.with(|p| shape_key(&shape_of(m, p, fs))))
        })
    });
    // Where the current line is (frame count and line, packed into a `usize`, a memo type the
    // app already has): the listing scrolls only when that moves.
    let here = Memo::new(move |_| {
        frames.with(|fs| {
            fs.len() << 9
                | fs.last()
                    .and_then(|f| f.at)
                    .map_or(0, |a| usize::from(a) + 1)
        })
    });
    // Keep the current line in view (scrolling only this listing, never the page): when the
    // current line moves, and when the listing changes size (a banner above it appears, the
    // window is resized), which can push an unchanged current line out of a shorter listing.
    Effect::new(move |_| {
        // `get`, not `track`: a memo nobody reads is never computed, so it never notifies.
        here.get();
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
                shape.with(|_| ());
                let mut cells = Vec::new();
                let rows = frames.with_untracked(|fs| {
                    s.model.with_untracked(|m| {
                        patch.with_untracked(|p| {
                            shape_of(m, p, fs)
                                .iter()
                                .enumerate()
                                .map(|(i, sh)| {
                                    let name = sh.prog.name();
                                    view! {
                                        <div class=if sh.full { "frame inner" } else { "frame outer" } data-prog=name>
                                            {frame_lines(m, p, sh, i, &mut cells)}
                                        </div>
                                    }
                                })
                                .collect_view()
                        })
                    })
                });
                // Lives as long as these rows: sets the lines whose state a step changed.
                Effect::new(move |_| {
                    let b = blocked.get();
                    frames.with(|fs| {
                        for c in &cells {
                            if let Some(f) = fs.get(c.frame) {
                                c.show(line_state(f, c.idx, b));
                            }
                        }
                    });
                });
                rows
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
