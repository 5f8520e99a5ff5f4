//! Edit mode, the patch playground: one kernel path of the variant at a time, every line with
//! its actions (move up/down, duplicate, delete, replace by an op, insert an op above or
//! below), the edit list as text (copy, paste, undo), and the re-check of the result.
//!
//! Every action becomes an edit line through `mmrace_core::edit_action`; the session applies
//! the whole list (`Session::set_edits`), so a click and a typed line are the same thing and a
//! refusal is the core's one-line reason, shown as an alert. The listing is the variant's
//! patch against the variant as shipped (`crate::patch`), in the same marks as the buggy
//! variants'.

use crate::components::recheck_view::{RecheckAtlas, RecheckView};
use crate::patch::{use_patch, Row};
use crate::session::{use_session, Session};
use crate::text::{change_mark, split_comment};
use leptos::prelude::*;
use mmrace_core::challenge::CHALLENGES;
use mmrace_core::edit_action::{self, op_menu, step_name, Action};
use mmrace_core::program::ProgId;

/// Which op form is open: on which line, for which action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OpKind {
    Replace,
    Above,
    Below,
}

impl OpKind {
    fn action(self, text: String) -> Action {
        match self {
            OpKind::Replace => Action::Replace(text),
            OpKind::Above => Action::InsertAbove(text),
            OpKind::Below => Action::InsertBelow(text),
        }
    }
    fn verb(self) -> &'static str {
        match self {
            OpKind::Replace => "Replace",
            OpKind::Above => "Insert above",
            OpKind::Below => "Insert below",
        }
    }
}

/// Opens or closes edit mode (the patch playground); opening it shows the stepper and moves
/// the keyboard focus to the editor.
pub fn toggle_edit_mode(s: crate::session::Session) {
    let open = !s.editing.get_untracked();
    s.editing.set(open);
    if open {
        s.playing.set(false);
        if s.mode.get_untracked() != crate::session::Mode::Stepper {
            s.mode.set(crate::session::Mode::Stepper);
        }
        crate::dom::focus_after_render(vec!["#editor-title".into()], true);
    }
}

/// The editor's local state.
#[derive(Clone, Copy)]
struct Ed {
    s: Session,
    prog: RwSignal<ProgId>,
    /// The last refusal, shown as an alert until the next successful edit.
    refusal: RwSignal<Option<String>>,
    form: RwSignal<Option<(usize, OpKind)>>,
    op_text: RwSignal<String>,
}

impl Ed {
    /// Applies one action on line `idx` of the chosen path; then moves the keyboard focus to
    /// the same control of the line that now holds the step (the list is re-rendered).
    fn act(&self, idx: usize, a: Action, focus: &'static str) {
        let prog = self.prog.get_untracked();
        let base = self.s.model.with_untracked(|m| m.variant.clone());
        let text = self.s.edits.get_untracked();
        let res = edit_action::act(&base, &text, prog, idx, &a).and_then(|t| self.s.set_edits(&t));
        match res {
            Ok(()) => {
                self.refusal.set(None);
                self.form.set(None);
                let at = match a {
                    Action::MoveUp => idx.saturating_sub(1),
                    Action::MoveDown | Action::InsertAbove(_) => idx + 1,
                    _ => idx,
                };
                focus_later(format!("[data-edit-line=\"{at}\"] [data-act=\"{focus}\"]"));
            }
            Err(e) => self.refusal.set(Some(format!("{} refused: {e}", a.verb()))),
        }
    }
}

/// Focuses the element `selector` names once the DOM has been updated (or the editor's
/// listing, if that element no longer exists).
fn focus_later(selector: String) {
    crate::dom::focus_after_render(
        vec![selector, "[data-testid=\"edit-listing\"]".into()],
        false,
    );
}

/// One line's action buttons.
fn line_actions(ed: Ed, idx: usize, name: String, first: bool, last: bool) -> impl IntoView {
    let btn = move |act: &'static str,
                    glyph: &'static str,
                    label: String,
                    disabled: bool,
                    f: Box<dyn Fn() + Send + Sync>| {
        view! {
            <button type="button" class="edit-act" data-act=act disabled=disabled
                aria-label=label.clone() title=label on:click=move |_| f()>
                <span aria-hidden="true">{glyph}</span>
            </button>
        }
    };
    let open = move |k: OpKind| {
        move || {
            let text = match k {
                OpKind::Replace => ed.s.model.with_untracked(|m| {
                    mmrace_core::op_text::print(
                        &m.variant.defs[ed.prog.get_untracked() as usize].steps[idx].op,
                    )
                }),
                _ => String::new(),
            };
            ed.op_text.set(text);
            ed.form.set(Some((idx, k)));
            focus_later("[data-testid=\"op-select\"]".into());
        }
    };
    view! {
        <span class="edit-acts" role="group" aria-label=format!("Edit {name}")>
            {btn("up", "↑", format!("Move {name} up"), first, Box::new(move || ed.act(idx, Action::MoveUp, "up")))}
            {btn("down", "↓", format!("Move {name} down"), last, Box::new(move || ed.act(idx, Action::MoveDown, "down")))}
            {btn("duplicate", "2×", format!("Duplicate {name}"), false, Box::new(move || ed.act(idx, Action::Duplicate, "duplicate")))}
            {btn("delete", "✕", format!("Delete {name}"), false, Box::new(move || ed.act(idx, Action::Delete, "delete")))}
            {btn("replace", "✎", format!("Replace {name} by another op"), false, Box::new(open(OpKind::Replace)))}
            {btn("above", "+↑", format!("Insert a line above {name}"), false, Box::new(open(OpKind::Above)))}
            {btn("below", "+↓", format!("Insert a line below {name}"), false, Box::new(open(OpKind::Below)))}
        </span>
    }
}

/// The op form under a line: a menu of ops that fit, the op text (editable), Apply and Cancel.
fn op_form(ed: Ed, idx: usize, kind: OpKind, name: String) -> impl IntoView {
    let menu =
        ed.s.model
            .with_untracked(|m| op_menu(&m.variant.defs, ed.prog.get_untracked(), idx));
    let (here, other): (Vec<_>, Vec<_>) = menu.into_iter().partition(|m| m.in_path);
    let options = |ms: Vec<edit_action::MenuOp>| {
        ms.into_iter()
            .map(|m| {
                let value = m.text.clone();
                view! { <option value=value title=m.help>{m.text}</option> }
            })
            .collect_view()
    };
    let apply = move || ed.act(idx, kind.action(ed.op_text.get_untracked()), "replace");
    let cancel = move || {
        ed.form.set(None);
        focus_later(format!("[data-edit-line=\"{idx}\"] [data-act=\"replace\"]"));
    };
    let keys = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Enter" => {
            ev.prevent_default();
            apply();
        }
        "Escape" => {
            ev.prevent_default();
            cancel();
        }
        _ => {}
    };
    view! {
        <div class="op-form" role="group" aria-label=format!("{} {name}", kind.verb()) data-testid="op-form" on:keydown=keys>
            <label>
                {format!("{} {name}: ", kind.verb())}
                <select data-testid="op-select" on:change=move |ev| ed.op_text.set(event_target_value(&ev))>
                    <option value="" disabled=true selected=true>"choose an op…"</option>
                    <optgroup label="ops this kernel path uses">{options(here)}</optgroup>
                    <optgroup label="every other op">{options(other)}</optgroup>
                </select>
            </label>
            <label>
                "op "
                <input data-testid="op-text" spellcheck="false" prop:value=move || ed.op_text.get()
                    on:input=move |ev| ed.op_text.set(event_target_value(&ev))
                    placeholder="e.g. mmap_read_lock or test_bit(MMF_OOM_SKIP) set=(return)"/>
            </label>
            <button type="button" data-testid="op-apply" on:click=move |_| apply()>"Apply"</button>
            <button type="button" on:click=move |_| cancel()>"Cancel"</button>
            <span class="hint">"`mmrace ops` lists every op; a branch names its targets by step id."</span>
        </div>
    }
}

/// The chosen kernel path's lines with their actions.
fn listing(ed: Ed) -> impl IntoView {
    let patch = use_patch();
    move || {
        let prog = ed.prog.get();
        let form = ed.form.get();
        let base = ed.s.model.with(|m| m.variant.label());
        patch.with(|p| {
            let n = ed
                .s
                .model
                .with_untracked(|m| m.variant.defs[prog as usize].steps.len());
            let mut last_func = "";
            let mut out: Vec<AnyView> = Vec::new();
            for row in p.rows(prog) {
                match row {
                    Row::Line { idx, change } => {
                        let idx = *idx;
                        let st = ed.s.model.with_untracked(|m| m.variant.defs[prog as usize].steps[idx]);
                        if st.src.func != last_func {
                            last_func = st.src.func;
                            out.push(view! { <li class="func"><code>{st.src.func}</code><span class="file">{st.src.file}</span></li> }.into_any());
                        }
                        let mark = change_mark(*change);
                        let name = step_name(&st);
                        let code = if st.code.is_empty() { st.label } else { st.code };
                        let (c, comment) = split_comment(code);
                        out.push(view! {
                            <li class=format!("line edit-line{}", mark.map(|m| format!(" patch-{}", m.1)).unwrap_or_default())
                                data-edit-line=idx.to_string() data-step=name.clone()
                                data-change=mark.map(|m| m.1).unwrap_or("same")>
                                <span class="patch-mark" aria-hidden="true">{mark.map(|m| m.0).unwrap_or("")}</span>
                                <span class="text" style=format!("--indent: {}", st.indent)>
                                    {mark.map(|m| view! { <span class="sr-only">{format!("{}: ", m.2)}</span> })}
                                    <code class="src">{c}</code>
                                    {comment.map(|t| view! { <span class="comment">{format!("/* {t} */")}</span> })}
                                    <span class="step-name">{name.clone()}</span>
                                </span>
                                {line_actions(ed, idx, name.clone(), idx == 0, idx + 1 == n)}
                            </li>
                        }.into_any());
                        if let Some((_, kind)) = form.filter(|(at, _)| *at == idx) {
                            out.push(view! { <li class="op-form-row">{op_form(ed, idx, kind, name)}</li> }.into_any());
                        }
                    }
                    Row::Removed { code, indent, .. } => {
                        if code.is_empty() {
                            continue;
                        }
                        out.push(view! {
                            <li class="line edit-line removed patch-removed" data-change="removed"
                                title=format!("removed by your edits (vs {base})")>
                                <span class="patch-mark" aria-hidden="true">"−"</span>
                                <span class="text" style=format!("--indent: {indent}")>
                                    <span class="sr-only">"removed: "</span>
                                    <del><code class="src">{*code}</code></del>
                                </span>
                            </li>
                        }.into_any());
                    }
                }
            }
            view! { <ol class="lines edit-lines" data-testid="edit-listing" tabindex="-1"
                aria-label=format!("{} as edited", prog.name())>{out}</ol> }
        })
    }
}

/// The edit list as text: shown, editable, applied as a whole; copy, undo, clear.
fn edit_list_box(ed: Ed) -> impl IntoView {
    let s = ed.s;
    let draft = RwSignal::new(s.edits.get_untracked());
    // The list the session holds wins whenever it changes (an action, a link, a challenge).
    Effect::new(move |_| draft.set(s.edits.get()));
    let copied = RwSignal::new(String::new());
    let apply = move || match s.set_edits(&draft.get_untracked()) {
        Ok(()) => ed.refusal.set(None),
        Err(e) => ed
            .refusal
            .set(Some(format!("The edit list was not applied: {e}"))),
    };
    let set = move |t: String| {
        if let Err(e) = s.set_edits(&t) {
            ed.refusal.set(Some(e));
        } else {
            ed.refusal.set(None);
        }
    };
    view! {
        <div class="edit-list">
            <label for="edit-text"><strong>"Edit list"</strong>
                <span class="hint">" — one edit per line; paste one here and Apply"</span></label>
            <textarea id="edit-text" data-testid="edit-text" rows="6" spellcheck="false"
                placeholder="# e.g.\ndelete exit_mmap:reset_mmap\nmove exit_mmap:set_skip before exit_mmap:victim_end"
                prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
            <div class="edit-list-buttons">
                <button type="button" data-testid="edit-apply" on:click=move |_| apply()
                    disabled=move || draft.get() == s.edits.get()>"Apply list"</button>
                <button type="button" data-testid="edit-copy" on:click=move |_| {
                    crate::dom::copy_text(&s.edits.get_untracked(), move |ok| {
                        copied.set(if ok { "Edit list copied.".into() } else { "Could not reach the clipboard: select the text and copy it.".into() })
                    })
                }>"Copy"</button>
                <button type="button" data-testid="edit-undo" disabled=move || !mmrace_core::edit::has_edits(&s.edits.get())
                    on:click=move |_| set(edit_action::undo_last(&s.edits.get_untracked()))>"Undo last edit"</button>
                <button type="button" data-testid="edit-clear" disabled=move || s.edits.with(|e| e.is_empty())
                    on:click=move |_| set(String::new())>"Clear"</button>
                <span role="status" class="hint">{move || copied.get()}</span>
            </div>
        </div>
    }
}

/// The challenge picker.
fn challenge_picker(s: Session) -> impl IntoView {
    view! {
        <label class="picker">
            "Challenge "
            <select data-testid="challenge-select" on:change=move |ev| {
                let v = event_target_value(&ev);
                s.set_challenge((!v.is_empty()).then_some(v.as_str()));
            }>
                <option value="" selected=move || s.challenge.get().is_none()>"none: free editing"</option>
                {CHALLENGES.iter().map(|c| {
                    let id = c.id;
                    view! { <option value=id selected=move || s.challenge.get() == Some(id)>{c.title}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// Edit mode.
#[component]
pub fn PatchEditor() -> impl IntoView {
    // Edit mode applies edit lists from here on; its chunk holds the parser.
    crate::edits::register();
    let s = use_session();
    let ed = Ed {
        s,
        prog: RwSignal::new(ProgId::Mmput),
        refusal: RwSignal::new(None),
        form: RwSignal::new(None),
        op_text: RwSignal::new(String::new()),
    };
    let patch = use_patch();
    view! {
        <section class="patch-editor" data-testid="editor" aria-labelledby="editor-title">
            <header class="editor-head">
                <h2 id="editor-title" tabindex="-1">"Edit the kernel paths"</h2>
                <span class="editor-subject" data-testid="editor-subject">
                    {move || s.model.with(|m| format!("{} · {}", m.variant.label(), m.scenario.name()))}
                </span>
                {challenge_picker(s)}
                <button type="button" data-testid="editor-close" on:click=move |_| s.editing.set(false)>"Close edit mode"</button>
            </header>
            <div class="editor-body">
                <div class="editor-code">
                    <label class="picker">
                        "Kernel path "
                        <select data-testid="edit-prog" on:change=move |ev| {
                            let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                            ed.form.set(None);
                            ed.prog.set(ProgId::ALL.get(i).copied().unwrap_or(ProgId::Mmput));
                        }>
                            {ProgId::ALL.into_iter().enumerate().map(|(i, p)| view! {
                                <option value=i.to_string() selected=move || ed.prog.get() == p>
                                    {move || {
                                        // Marked only for the user's edits (an unedited buggy
                                        // variant's listing shows its diff against its base).
                                        let changed = s.edits.with(|e| mmrace_core::edit::has_edits(e))
                                            && patch.with(|x| x.touches(p));
                                        format!("{}{}", p.name(), if changed { " (edited)" } else { "" })
                                    }}
                                </option>
                            }).collect_view()}
                        </select>
                    </label>
                    {move || ed.refusal.get().map(|r| view! {
                        <p class="field-error" role="alert" data-testid="edit-error"><span aria-hidden="true">"✗ "</span>{r}</p>
                    })}
                    {listing(ed)}
                </div>
                <div class="editor-side">
                    {edit_list_box(ed)}
                    <RecheckView/>
                </div>
            </div>
            <RecheckAtlas/>
        </section>
    }
}

crate::lazy_piece!(edit, patch_editor_lazy, view! { <PatchEditor/> });
