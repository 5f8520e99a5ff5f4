//! The patch playground's per-line actions, as edit lines.
//!
//! The app's edit mode offers, on every line of a kernel path's listing: delete, move up or
//! down, duplicate, replace by an op, insert an op above or below. Each action becomes one line
//! of the edit-list text of [`crate::edit`], so what a user clicks is exactly what they could
//! have typed, the list can be copied and pasted, and one parser ([`crate::edit::apply_text`])
//! decides what applies. [`op_menu`] lists the ops a line can be replaced by or get next to it.

use crate::edit::{apply_text, has_edits, EditError};
use crate::op_text::{self, Arg, VOCABULARY};
use crate::program::{Op, ProgId, ProgramDef, StepDef, Target};
use crate::{mm::MmFlag, variant::Variant};

/// One action on one line of a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Delete,
    MoveUp,
    MoveDown,
    Duplicate,
    /// Replace the line's op by this op text (`mmrace ops` vocabulary).
    Replace(String),
    InsertAbove(String),
    InsertBelow(String),
}

impl Action {
    /// The verb the edit line starts with (what a challenge's budget counts).
    pub fn verb(&self) -> &'static str {
        match self {
            Action::Delete => "delete",
            Action::MoveUp | Action::MoveDown => "move",
            Action::Duplicate => "duplicate",
            Action::Replace(_) => "replace",
            Action::InsertAbove(_) | Action::InsertBelow(_) => "insert",
        }
    }
}

/// `FUNCTION:ID`, the name an edit list gives a step.
pub fn step_name(s: &StepDef<Target>) -> String {
    format!("{}:{}", s.src.func, s.id)
}

/// The edit line for `action` on step `idx` of program `prog` (as the programs are now). Moving
/// the first line up or the last line down is refused here, with the reason; everything else
/// is left to [`crate::edit::apply_text`], which refuses what cannot apply.
pub fn line_for(
    defs: &[ProgramDef],
    prog: ProgId,
    idx: usize,
    action: &Action,
) -> Result<String, String> {
    let steps = &defs
        .get(prog as usize)
        .ok_or_else(|| format!("no program {}", prog.name()))?
        .steps;
    let step = steps
        .get(idx)
        .ok_or_else(|| format!("{} has no line {}", prog.name(), idx + 1))?;
    let me = step_name(step);
    let op = |text: &str| -> Result<String, String> {
        let text = text.trim();
        op_text::parse(text).map(|_| text.to_string())
    };
    Ok(match action {
        Action::Delete => format!("delete {me}"),
        Action::Duplicate => format!("duplicate {me}"),
        Action::MoveUp => {
            let prev = idx
                .checked_sub(1)
                .and_then(|i| steps.get(i))
                .ok_or_else(|| format!("{me} is the first line of {}", prog.name()))?;
            format!("move {me} before {}", step_name(prev))
        }
        Action::MoveDown => {
            let next = steps
                .get(idx + 1)
                .ok_or_else(|| format!("{me} is the last line of {}", prog.name()))?;
            format!("move {me} after {}", step_name(next))
        }
        Action::Replace(t) => format!("replace {me} with {}", op(t)?),
        Action::InsertAbove(t) => format!("insert before {me} {}", op(t)?),
        Action::InsertBelow(t) => format!("insert after {me} {}", op(t)?),
    })
}

/// `text` with `line` added at the end (on a line of its own).
pub fn append(text: &str, line: &str) -> String {
    let mut out = text.trim_end().to_string();
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(line);
    out.push('\n');
    out
}

/// `text` without its last edit line (comments and blank lines stay).
pub fn undo_last(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    match lines.iter().rposition(|l| has_edits(l)) {
        Some(i) => {
            let mut out: Vec<&str> = lines[..i].to_vec();
            out.extend_from_slice(&lines[i + 1..]);
            let s = out.join("\n");
            if s.trim().is_empty() {
                String::new()
            } else {
                s + "\n"
            }
        }
        None => text.to_string(),
    }
}

/// The variant `base` with `text` applied, or the refusal.
pub fn try_text(base: &Variant, text: &str) -> Result<Variant, EditError> {
    base.unedited().with_edits(text)
}

/// Applies `action` on top of `text`: the new edit-list text, or a one-line reason it cannot
/// apply (the edit list then stays as it was).
pub fn act(
    base: &Variant,
    text: &str,
    prog: ProgId,
    idx: usize,
    action: &Action,
) -> Result<String, String> {
    let now = try_text(base, text).map_err(|e| e.to_string())?;
    let line = line_for(&now.defs, prog, idx, action)?;
    let next = append(text, &line);
    apply_text(base.unedited().defs, &next)
        .map(|_| next)
        .map_err(|e| e.to_string())
}

/// Every argument an op of this kind can take.
fn args(arg: Arg) -> Vec<String> {
    match arg {
        Arg::None => vec![String::new()],
        Arg::Flag => MmFlag::ALL.iter().map(|f| f.name().to_string()).collect(),
        Arg::Pin => ["lazy_tlb", "temporary", "mrelease", "users"]
            .map(String::from)
            .to_vec(),
        Arg::Mask => [
            "VM_LOCKED|VM_HUGETLB|VM_PFNMAP",
            "VM_HUGETLB|VM_PFNMAP",
            "0",
        ]
        .map(String::from)
        .to_vec(),
        Arg::Prog => ["__oom_reap_task_mm", "__mmput"].map(String::from).to_vec(),
    }
}

/// One entry of the op menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MenuOp {
    /// The op text to apply (parses with [`op_text::parse`]).
    pub text: String,
    /// One line of help from the vocabulary.
    pub help: &'static str,
    /// The op (by name) already occurs in this kernel path.
    pub in_path: bool,
}

/// The ops a line of `prog` can be replaced by, or get next to it, with a line of help each:
/// every op of the vocabulary with each argument it takes, those this kernel path already uses
/// first. A branch keeps the line's own target for the same key when it has one; otherwise its
/// first key goes to `(return)`, so a new test does something visible (edit the text to aim it
/// elsewhere).
pub fn op_menu(defs: &[ProgramDef], prog: ProgId, idx: usize) -> Vec<MenuOp> {
    let Some(def) = defs.get(prog as usize) else {
        return Vec::new();
    };
    let here: Option<&StepDef<Target>> = def.steps.get(idx);
    let here_targets: Vec<(String, String)> =
        here.map(|s| targets_by_key(&s.op)).unwrap_or_default();
    let used: Vec<String> = def
        .steps
        .iter()
        .map(|s| op_name(&op_text::head(&s.op)))
        .collect();
    let mut out: Vec<MenuOp> = Vec::new();
    for spec in VOCABULARY {
        for a in args(spec.arg) {
            let mut text = if a.is_empty() {
                spec.name.to_string()
            } else {
                format!("{}({a})", spec.name)
            };
            for (n, key) in spec.keys.iter().enumerate() {
                let t = here_targets
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, t)| t.clone())
                    .or_else(|| (n == 0).then(|| "(return)".to_string()));
                if let Some(t) = t {
                    text.push_str(&format!(" {key}={t}"));
                }
            }
            if op_text::parse(&text).is_err() {
                continue;
            }
            out.push(MenuOp {
                in_path: used.iter().any(|u| u == spec.name),
                text,
                help: spec.help,
            });
        }
    }
    // Stable: the path's own ops first, each group in vocabulary order.
    out.sort_by_key(|m| !m.in_path);
    out
}

fn op_name(head: &str) -> String {
    if VOCABULARY.iter().any(|s| s.name == head) {
        return head.to_string();
    }
    head.split('(').next().unwrap_or(head).to_string()
}

/// The op's printed branch targets, `key=target` split.
fn targets_by_key(op: &Op<Target>) -> Vec<(String, String)> {
    op_text::print(op)
        .split_whitespace()
        .skip(1)
        .filter_map(|w| w.split_once('='))
        .map(|(k, t)| (k.to_string(), t.to_string()))
        .collect()
}
