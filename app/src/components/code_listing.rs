//! An actor's program as readable pseudo-code: grouped by kernel function (each linking to the
//! source at the variant's release), indented, the current line highlighted, executed lines
//! ticked, untaken lines dimmed, and the patch view's marks (added, changed, moved; removed
//! lines struck through). Outer frames of the call stack collapse to their call site.

use crate::patch::{use_patch, Patch, Row as PatchRow};
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

/// A shown element whose `hidden` attribute a step may flip (written only when it changes).
struct Toggle<E: leptos::tachys::html::element::ElementType + 'static> {
    el: NodeRef<E>,
    hidden: std::cell::Cell<Option<bool>>,
}

impl<E> Toggle<E>
where
    E: leptos::tachys::html::element::ElementType + 'static,
    E::Output: wasm_bindgen::JsCast + Clone + 'static,
{
    fn new() -> Self {
        Toggle {
            el: NodeRef::new(),
            hidden: std::cell::Cell::new(None),
        }
    }
    /// Hides or shows the element; returns whether it changed.
    fn set_hidden(&self, hidden: bool) -> bool {
        if self.hidden.get() == Some(hidden) {
            return false;
        }
        self.hidden.set(Some(hidden));
        if let Some(el) = self.el.get_untracked() {
            let el: &web_sys::Element = wasm_bindgen::JsCast::unchecked_ref(&el);
            let _ = if hidden {
                el.set_attribute("hidden", "")
            } else {
                el.remove_attribute("hidden")
            };
        }
        true
    }
}

/// A program line: its place, its state and what its attributes are made of. A step sets the
/// attributes of the few lines whose state changed, straight on the element (one write per
/// attribute, no reactive node per attribute).
struct Cell {
    idx: usize,
    /// A line without code (a label only) is shown only while it is the current one.
    has_code: bool,
    /// The state the element shows (`None` until the first [`Cell::show`]).
    shown: std::cell::Cell<Option<LineState>>,
    row: Toggle<html::Li>,
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
        let Some(li) = self.row.el.get_untracked() else {
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

/// A row of a frame: a program line, or a line the variant removed (patch view).
enum FrameRow {
    Line(Cell),
    Removed {
        row: Toggle<html::Li>,
        has_code: bool,
    },
}

impl FrameRow {
    /// The row's element, for showing or hiding it.
    fn toggle(&self) -> &Toggle<html::Li> {
        match self {
            FrameRow::Line(c) => &c.row,
            FrameRow::Removed { row, .. } => row,
        }
    }
}

/// One kernel function's header and the rows under it.
struct Group {
    func: &'static str,
    header: Toggle<html::Li>,
    /// Whether the header is the frame's first shown one (no rule above it).
    first: std::cell::Cell<Option<bool>>,
    rows: Vec<FrameRow>,
}

/// A frame's built rows, grouped by kernel function.
struct Frame {
    el: Toggle<html::Div>,
    /// Shown as the innermost frame (`Some(true)`), an outer one (`Some(false)`), or not yet set.
    inner: std::cell::Cell<Option<bool>>,
    groups: Vec<Group>,
}

impl Frame {
    /// Shows the frame as frame `f` of the stack (`full`: the innermost, shown whole; an outer
    /// frame shows only its call site), or hides it (`None`: the program is not on the stack).
    fn show(&self, f: Option<(&FrameView, bool)>, blocked: bool) {
        let Some((f, full)) = f else {
            if self.el.set_hidden(true) {
                // Off the stack: nothing in it is the current line any more.
                for g in &self.groups {
                    for r in &g.rows {
                        if let FrameRow::Line(c) = r {
                            if c.shown.get().is_some_and(is_here) {
                                c.show(LineState::Pending);
                            }
                        }
                    }
                }
            }
            return;
        };
        self.el.set_hidden(false);
        if self.inner.get() != Some(full) {
            self.inner.set(Some(full));
            if let Some(div) = self.el.el.get_untracked() {
                div.set_class_name(if full { "frame inner" } else { "frame outer" });
            }
        }
        let at = f.at.map(usize::from);
        let mut first = true;
        for g in &self.groups {
            let mut any = false;
            for r in &g.rows {
                let shown = match r {
                    FrameRow::Line(c) => {
                        let st = line_state(f, c.idx, blocked);
                        c.show(st);
                        at == Some(c.idx) || (full && c.has_code)
                    }
                    FrameRow::Removed { has_code, .. } => full && *has_code,
                };
                r.toggle().set_hidden(!shown);
                any |= shown;
            }
            g.header.set_hidden(!any);
            if any {
                if g.first.get() != Some(first) {
                    g.first.set(Some(first));
                    if let Some(li) = g.header.el.get_untracked() {
                        li.set_class_name(if first { "func first" } else { "func" });
                    }
                }
                first = false;
            }
        }
    }
}

fn func_header(model: &Model, src: &Source, el: NodeRef<html::Li>) -> AnyView {
    let url = model.variant.source_url(src);
    let tag = model.variant.info.tag;
    view! {
        <li class="func" node_ref=el>
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

/// Builds every row of program `prog` (with the patch's removed lines), each in its function's
/// group; which of them show is [`Frame::show`]'s business.
fn frame_rows(model: &Model, patch: &Patch, prog_id: ProgId) -> (AnyView, Vec<Group>) {
    let prog = model.variant.program(prog_id);
    let base = patch.base.unwrap_or("");
    let mut out: Vec<AnyView> = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    // Opens a new group where the kernel function changes; returns the group a row goes in.
    fn group_for<'g>(
        model: &Model,
        src: &Source,
        groups: &'g mut Vec<Group>,
        out: &mut Vec<AnyView>,
    ) -> &'g mut Group {
        if groups.last().is_none_or(|g| g.func != src.func) {
            let header = Toggle::new();
            out.push(func_header(model, src, header.el));
            groups.push(Group {
                func: src.func,
                header,
                first: std::cell::Cell::new(None),
                rows: Vec::new(),
            });
        }
        groups.last_mut().expect("a group was just pushed")
    }
    for row in patch.rows(prog_id) {
        match row {
            PatchRow::Line { idx, change } => {
                let idx = *idx;
                let st = &prog.steps[idx];
                let group = group_for(model, &st.src, &mut groups, &mut out);
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
                    idx,
                    has_code: !st.code.is_empty(),
                    shown: std::cell::Cell::new(None),
                    row: Toggle::new(),
                    patch_class: mark.map(|m| format!(" patch-{}", m.1)).unwrap_or_default(),
                    notes,
                };
                // The state's attributes (class, data-state, title, aria-current), the glyph
                // and `hidden` are written by `Frame::show` only, never by the view.
                out.push(
                    view! {
                        <li
                            node_ref=cell.row.el
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
                group.rows.push(FrameRow::Line(cell));
            }
            PatchRow::Removed { code, indent, src } => {
                let group = group_for(model, src, &mut groups, &mut out);
                let row = Toggle::new();
                out.push(
                    view! {
                        <li class="line removed patch-removed" data-testid="line" data-state="removed"
                            node_ref=row.el
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
                group.rows.push(FrameRow::Removed {
                    row,
                    has_code: !code.is_empty(),
                });
            }
        }
    }
    (view! { <ol class="lines">{out}</ol> }.into_any(), groups)
}

/// A frame of the listing, keyed by the model it was built for (`gen`), its program and which
/// occurrence of that program on the stack it shows (a program on the stack twice, which only an
/// edited variant can do, gets a frame per occurrence).
type FrameKey = (u32, ProgId, u8);

/// The stack's frames as keys, outermost first.
fn stack_keys(gen: u32, fs: &[FrameView]) -> Vec<FrameKey> {
    let mut keys: Vec<FrameKey> = Vec::with_capacity(fs.len());
    for f in fs {
        let k = keys.iter().filter(|(_, p, _)| *p == f.prog).count() as u8;
        keys.push((gen, f.prog, k));
    }
    keys
}

/// The listing of `actor`'s call stack: outer frames as their call site, the innermost in full.
///
/// Every program the actor can run is built once (those on the stack at once, the others when
/// the page is idle) and kept: a call or a return then shows, hides or reorders built frames
/// and flips a few `hidden` attributes, instead of building 20–50 lines; an ordinary step sets
/// the state of the two or three lines it changes. Everything is built again only when the
/// model or the patch view changes.
#[component]
pub fn CodeListing(
    actor: ActorId,
    frames: Memo<Vec<FrameView>>,
    #[prop(into)] blocked: Signal<bool>,
) -> impl IntoView {
    let s = use_session();
    let patch = use_patch();
    let container = NodeRef::<html::Div>::new();
    // What the frames are built from: the variant's programs (a reset or another scenario
    // loads a new model with the same programs, and keeps the frames).
    let programs = Memo::new(move |_| {
        s.model.with(|m| {
            format!(
                "{}\n{}",
                m.variant.info.id,
                m.variant.edits.as_deref().unwrap_or("")
            )
        })
    });
    // Bumped when that or the patch view changes.
    let gen = Memo::new(move |prev: Option<&u32>| {
        // `with`, not `track`: a memo nobody reads is never computed, so it never notifies.
        programs.with(|_| ());
        patch.with(|_| ());
        prev.map_or(0, |g| g.wrapping_add(1))
    });
    // Frames built so far, stack or not (of older generations too, pruned when seen).
    let built = RwSignal::new(Vec::<FrameKey>::new());
    // The frames in page order: the stack's, outermost first, then the hidden ones.
    let order = Memo::new(move |_| {
        let g = gen.get();
        let mut keys = frames.with(|fs| stack_keys(g, fs));
        built.with(|b| {
            for k in b {
                if k.0 == g && !keys.contains(k) {
                    keys.push(*k);
                }
            }
        });
        keys
    });
    // A frame stays built once it has been on the stack.
    Effect::new(move |_| {
        let keys = order.get();
        let g = gen.get_untracked();
        let stale = built
            .with_untracked(|b| keys.iter().any(|k| !b.contains(k)) || b.iter().any(|k| k.0 != g));
        if stale {
            built.update(|b| {
                b.retain(|k| k.0 == g);
                for k in &keys {
                    if !b.contains(k) {
                        b.push(*k);
                    }
                }
            });
        }
    });
    // Build the frames of every program the actor can reach while the page is idle, one a
    // turn, once the page is shown.
    let shown = crate::mount::ready(crate::mount::Part::Shown);
    Effect::new(move |_| {
        gen.get();
        if shown.get() {
            prebuild(actor, gen, built, s.model);
        }
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
            <For each=move || order.get() key=|k| *k let:key>
                {frame_view(key, frames, blocked)}
            </For>
        </div>
    }
}

/// Builds frame `key` and keeps it showing its place on the stack (or hidden).
fn frame_view(key: FrameKey, frames: Memo<Vec<FrameView>>, blocked: Signal<bool>) -> AnyView {
    let s = use_session();
    let patch = use_patch();
    let (_, prog, nth) = key;
    let (rows, groups) = s
        .model
        .with_untracked(|m| patch.with_untracked(|p| frame_rows(m, p, prog)));
    let frame = Frame {
        el: Toggle::new(),
        inner: std::cell::Cell::new(None),
        groups,
    };
    let el = frame.el.el;
    // Lives as long as the frame: shows it as its place on the stack, or hides it.
    Effect::new(move |_| {
        let b = blocked.get();
        frames.with(|fs| {
            let place = fs
                .iter()
                .enumerate()
                .filter(|(_, f)| f.prog == prog)
                .nth(usize::from(nth))
                .map(|(i, f)| (f, i + 1 == fs.len()));
            frame.show(place, b);
        });
    });
    view! {
        <div class="frame" node_ref=el data-prog=prog.name()>{rows}</div>
    }
    .into_any()
}

/// Adds the next program `actor` can reach and has no frame yet to `built`, then asks again the
/// next time the page is idle, until all are built or the model has changed (`gen`).
fn prebuild(
    actor: ActorId,
    gen: Memo<u32>,
    built: RwSignal<Vec<FrameKey>>,
    model: RwSignal<std::sync::Arc<Model>>,
) {
    let Some(now) = gen.try_get_untracked() else {
        return;
    };
    crate::dom::when_idle(2_000, move || {
        if gen.try_get_untracked() != Some(now) {
            return;
        }
        let Some(progs) =
            model.try_with_untracked(|m| mmrace_core::view::reachable_programs(&m.variant, actor))
        else {
            return;
        };
        let next = built.try_with_untracked(|b| {
            progs
                .into_iter()
                .map(|p| (now, p, 0))
                .find(|k| !b.contains(k))
        });
        if let Some(Some(k)) = next {
            built.update(|b| b.push(k));
            prebuild(actor, gen, built, model);
        }
    });
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
    // Keep the line in the upper part of the listing, with context below it; in a listing too
    // short for that (a projector's short screen), the whole line before any context above it.
    if top < view_top + view_h / 10 || bottom > view_top + view_h * 4 / 5 {
        let above = (view_h / 3).min((view_h - (bottom - top)).max(0));
        div.set_scroll_top((top - above).max(0));
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
