//! Edit lists: a patch to a variant's kernel paths, as plain text.
//!
//! One edit per line; `#` starts a comment. A step is named `FUNCTION:ID` with the `function`
//! and `id` fields of `mmrace program --json` (`exit_mmap:reset_mmap`); an OP is written in the
//! vocabulary of [`crate::op_text`] (`mmrace ops`).
//!
//! ```text
//! delete F:ID
//! move F:ID before|after F:ID          # within one kernel path
//! duplicate F:ID [as NEW_ID]
//! replace F:ID with OP [ATTRS]          # keeps the step id
//! insert before|after F:ID OP [ATTRS]   # the new step belongs to F:ID's function
//! ```
//!
//! ATTRS are optional and exist so that a printed list reproduces a buggy variant exactly:
//! `as ID` (the new step's id; default `new1`, `new2`, … or `ID_dup` for a duplicate),
//! `label "…"`, `code "…"` (the listing line; default the op's text), `since COMMIT`,
//! `indent N`, `func NAME`, `file PATH` (default: those of the step named).
//!
//! Each line becomes a [`variant::Edit`] resolved against the programs as edited so far and is
//! applied by [`variant::apply`], the same code that builds the buggy variants. An edit that
//! cannot apply is refused with an [`EditError`] naming the line, the edit and why; an edit
//! that applies but is wrong kernel code (an unlock without a lock) is the checker's business.
//! [`print`] turns a buggy variant's [`variant::Edit`]s back into this text.

use crate::intern::intern;
use crate::op_text;
use crate::program::{Op, ProgId, ProgramDef, Source, StepDef, Target};
use crate::variant::{self, Edit};
use std::fmt;

/// The most steps a program may have (jumps are stored as `u8` indices).
pub const MAX_STEPS: usize = 200;
/// The most lines an edit list may have.
pub const MAX_LINES: usize = 1000;

/// Why an edit list was refused: the 1-based line, the edit as written, and the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditError {
    pub line: usize,
    pub edit: String,
    pub why: String,
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.edit.is_empty() {
            write!(f, "edit list: {}", self.why)
        } else {
            write!(f, "edit line {} `{}`: {}", self.line, self.edit, self.why)
        }
    }
}

/// `FUNCTION:ID` as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepRef {
    pub func: String,
    pub id: String,
}

impl fmt::Display for StepRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.func, self.id)
    }
}

/// Optional attributes of a new or replaced step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attrs {
    pub id: Option<String>,
    pub label: Option<String>,
    pub code: Option<String>,
    pub since: Option<String>,
    pub indent: Option<u8>,
    pub func: Option<String>,
    pub file: Option<String>,
}

/// One parsed line, before its step names are resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    Delete(StepRef),
    Move {
        step: StepRef,
        after: bool,
        anchor: StepRef,
    },
    Duplicate(StepRef, Attrs),
    Replace(StepRef, Op<Target>, Attrs),
    Insert {
        after: bool,
        anchor: StepRef,
        op: Op<Target>,
        attrs: Attrs,
    },
}

/// Splits a line into words; `"…"` (with `\"` and `\\`) is one word, `#` outside quotes ends
/// the line. Quoted words come back with a leading `"` so they cannot be mistaken for keywords.
fn words(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars();
    let mut in_word = false;
    while let Some(c) = chars.next() {
        match c {
            '#' => break,
            '"' => {
                if in_word {
                    return Err("a quote must start a word".into());
                }
                let mut s = String::from('"');
                loop {
                    match chars.next() {
                        None => return Err("unterminated quoted string".into()),
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(e @ ('"' | '\\')) => s.push(e),
                            _ => {
                                return Err(
                                    "in a quoted string only \\\" and \\\\ are escapes".into()
                                )
                            }
                        },
                        Some(x) => s.push(x),
                    }
                }
                out.push(s);
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    Ok(out)
}

fn step_ref(w: &str) -> Result<StepRef, String> {
    let (func, id) = w.rsplit_once(':').ok_or_else(|| {
        format!("'{w}' is not a step: write FUNCTION:ID, e.g. exit_mmap:reset_mmap")
    })?;
    if func.is_empty() || !op_text::is_id(id) {
        return Err(format!(
            "'{w}' is not a step: write FUNCTION:ID, e.g. exit_mmap:reset_mmap"
        ));
    }
    Ok(StepRef {
        func: func.into(),
        id: id.into(),
    })
}

const ATTR_WORDS: [&str; 7] = ["as", "label", "code", "since", "indent", "func", "file"];

fn quoted(w: &str, what: &str) -> Result<String, String> {
    w.strip_prefix('"')
        .map(str::to_string)
        .ok_or_else(|| format!("{what} takes a quoted string, e.g. {what} \"…\""))
}

fn plain(w: &str) -> bool {
    !w.starts_with('"')
}

/// Parses an OP then its attributes.
fn op_and_attrs(ws: &[String]) -> Result<(Op<Target>, Attrs), String> {
    let end = ws
        .iter()
        .position(|w| plain(w) && ATTR_WORDS.contains(&w.as_str()))
        .unwrap_or(ws.len());
    let op_words: Vec<&str> = ws[..end].iter().map(String::as_str).collect();
    if let Some(q) = op_words.iter().find(|w| !plain(w)) {
        return Err(format!("unexpected quoted string \"{}\" in an op", &q[1..]));
    }
    let op = op_text::parse_words(&op_words)?;
    Ok((op, attrs(&ws[end..])?))
}

fn attrs(ws: &[String]) -> Result<Attrs, String> {
    let mut a = Attrs::default();
    let mut i = 0;
    while i < ws.len() {
        let k = ws[i].as_str();
        let v = ws
            .get(i + 1)
            .ok_or_else(|| format!("'{k}' needs a value"))?
            .as_str();
        let dup = |set: bool| {
            if set {
                Err(format!("'{k}' given twice"))
            } else {
                Ok(())
            }
        };
        match k {
            "as" => {
                dup(a.id.is_some())?;
                if !plain(v) || !op_text::is_id(v) {
                    return Err(format!("'as {v}': a step id is letters, digits and _"));
                }
                a.id = Some(v.into());
            }
            "label" => {
                dup(a.label.is_some())?;
                a.label = Some(quoted(v, k)?);
            }
            "code" => {
                dup(a.code.is_some())?;
                a.code = Some(quoted(v, k)?);
            }
            "since" => {
                dup(a.since.is_some())?;
                a.since = Some(v.trim_start_matches('"').into());
            }
            "func" => {
                dup(a.func.is_some())?;
                a.func = Some(v.trim_start_matches('"').into());
            }
            "file" => {
                dup(a.file.is_some())?;
                a.file = Some(v.trim_start_matches('"').into());
            }
            "indent" => {
                dup(a.indent.is_some())?;
                a.indent = Some(
                    v.parse::<u8>()
                        .ok()
                        .filter(|n| *n <= 8)
                        .ok_or_else(|| format!("'indent {v}': a number 0…8"))?,
                );
            }
            _ => {
                return Err(format!(
                    "unexpected '{}' (attributes: {})",
                    k.trim_start_matches('"'),
                    ATTR_WORDS.join(", ")
                ))
            }
        }
        i += 2;
    }
    Ok(a)
}

fn before_after(w: Option<&String>, edit: &str) -> Result<bool, String> {
    match w.map(String::as_str) {
        Some("before") => Ok(false),
        Some("after") => Ok(true),
        Some(x) => Err(format!("{edit}: expected before or after, got '{x}'")),
        None => Err(format!("{edit}: expected before or after")),
    }
}

/// Parses one line (already without its comment); `None` for a blank line.
pub fn parse_line(line: &str) -> Result<Option<Line>, String> {
    let ws = words(line)?;
    let Some(verb) = ws.first() else {
        return Ok(None);
    };
    let r = |i: usize| -> Result<StepRef, String> {
        let w = ws
            .get(i)
            .ok_or_else(|| format!("{verb}: missing step (FUNCTION:ID)"))?;
        if !plain(w) {
            return Err(format!(
                "{verb}: a step is FUNCTION:ID, not a quoted string"
            ));
        }
        step_ref(w)
    };
    let usage = |u: &str| format!("usage: {u}");
    Ok(Some(match verb.as_str() {
        "delete" => {
            if ws.len() != 2 {
                return Err(usage("delete FUNCTION:ID"));
            }
            Line::Delete(r(1)?)
        }
        "move" => {
            if ws.len() != 4 {
                return Err(usage("move FUNCTION:ID before|after FUNCTION:ID"));
            }
            Line::Move {
                step: r(1)?,
                after: before_after(ws.get(2), "move")?,
                anchor: r(3)?,
            }
        }
        "duplicate" => {
            if ws.len() != 2 && ws.len() != 4 {
                return Err(usage("duplicate FUNCTION:ID [as NEW_ID]"));
            }
            let a = attrs(&ws[2..])?;
            if a.label.is_some() || a.code.is_some() || a.since.is_some() || a.indent.is_some() {
                return Err(usage("duplicate FUNCTION:ID [as NEW_ID]"));
            }
            Line::Duplicate(r(1)?, a)
        }
        "replace" => {
            if ws.get(2).map(String::as_str) != Some("with") || ws.len() < 4 {
                return Err(usage("replace FUNCTION:ID with OP"));
            }
            let (op, a) = op_and_attrs(&ws[3..]).map_err(|e| format!("replace: {e}"))?;
            if a.id.is_some() {
                return Err("replace keeps the step's id: 'as' is for insert and duplicate".into());
            }
            Line::Replace(r(1)?, op, a)
        }
        "insert" => {
            if ws.len() < 4 {
                return Err(usage("insert before|after FUNCTION:ID OP"));
            }
            let after = before_after(ws.get(1), "insert")?;
            let (op, a) = op_and_attrs(&ws[3..]).map_err(|e| format!("insert: {e}"))?;
            Line::Insert {
                after,
                anchor: r(2)?,
                op,
                attrs: a,
            }
        }
        v => {
            return Err(format!(
                "unknown edit '{v}' (delete, move, duplicate, replace, insert)"
            ))
        }
    }))
}

/// Where a named step is: its program and index.
fn locate(defs: &[ProgramDef], r: &StepRef) -> Result<(ProgId, usize), String> {
    let hits: Vec<(ProgId, usize)> = defs
        .iter()
        .flat_map(|d| {
            d.steps
                .iter()
                .enumerate()
                .filter(|(_, s)| s.src.func == r.func && s.id == r.id)
                .map(move |(i, _)| (d.id, i))
        })
        .collect();
    match hits.as_slice() {
        [one] => Ok(*one),
        [] => {
            let all = || defs.iter().flat_map(|d| d.steps.iter());
            let elsewhere: Vec<String> = all()
                .filter(|s| s.id == r.id)
                .map(|s| format!("{}:{}", s.src.func, s.id))
                .collect();
            let in_func: Vec<&str> = all()
                .filter(|s| s.src.func == r.func)
                .map(|s| s.id)
                .collect();
            let mut why = if in_func.is_empty() {
                format!("unknown step {r}: no function {} in this variant", r.func)
            } else {
                format!("unknown step {r}: {} has {}", r.func, in_func.join(", "))
            };
            if !elsewhere.is_empty() {
                why += &format!("; did you mean {}?", elsewhere.join(" or "));
            } else if in_func.is_empty() {
                why += " (`mmrace program --json` lists the steps)";
            }
            Err(why)
        }
        _ => Err(format!(
            "step {r} is ambiguous: it names steps in several kernel paths"
        )),
    }
}

fn fresh_id(d: &ProgramDef, stem: &str) -> &'static str {
    (1..)
        .map(|n| {
            if stem == "new" {
                format!("new{n}")
            } else if n == 1 {
                format!("{stem}_dup")
            } else {
                format!("{stem}_dup{n}")
            }
        })
        .find(|c| d.position(c).is_none())
        .map(|c| intern(&c))
        .expect("some id is free")
}

/// The step an insert or replace makes, from the op, the step it sits next to or replaces,
/// and the attributes given.
fn new_step(
    id: &'static str,
    op: Op<Target>,
    like: &StepDef<Target>,
    a: &Attrs,
) -> StepDef<Target> {
    StepDef {
        id,
        label: intern(a.label.as_deref().unwrap_or(&op_text::head(&op))),
        code: intern(a.code.as_deref().unwrap_or(&op_text::print(&op))),
        indent: a.indent.unwrap_or(like.indent),
        op,
        src: Source {
            func: intern(a.func.as_deref().unwrap_or(like.src.func)),
            file: intern(a.file.as_deref().unwrap_or(like.src.file)),
            since: intern(a.since.as_deref().unwrap_or("")),
        },
    }
}

/// Resolves a parsed line against the programs as they are now.
fn resolve(defs: &[ProgramDef], l: &Line) -> Result<Edit, String> {
    Ok(match l {
        Line::Delete(r) => {
            let (p, i) = locate(defs, r)?;
            Edit::Delete(p, intern_ids(&[defs[p as usize].steps[i].id]))
        }
        Line::Move {
            step,
            after,
            anchor,
        } => {
            let (p, i) = locate(defs, step)?;
            let (q, j) = locate(defs, anchor)?;
            if p != q {
                return Err(format!(
                    "cannot move across functions: {step} is in {} and {anchor} in {} (a step moves within its own kernel path)",
                    p.name(),
                    q.name()
                ));
            }
            if i == j {
                return Err(format!("{step} cannot move relative to itself"));
            }
            let d = &defs[p as usize];
            let (id, at) = (d.steps[i].id, d.steps[j].id);
            if *after {
                Edit::MoveAfter {
                    prog: p,
                    id,
                    after: at,
                }
            } else {
                Edit::Move {
                    prog: p,
                    first: id,
                    last: id,
                    before: at,
                }
            }
        }
        Line::Duplicate(r, a) => {
            let (p, i) = locate(defs, r)?;
            let d = &defs[p as usize];
            let s = d.steps[i];
            let new_id = new_step_id(d, a, s.id)?;
            Edit::Duplicate {
                prog: p,
                id: s.id,
                new_id,
            }
        }
        Line::Replace(r, op, a) => {
            let (p, i) = locate(defs, r)?;
            let old = defs[p as usize].steps[i];
            Edit::Replace(p, new_step(old.id, *op, &old, a))
        }
        Line::Insert {
            after,
            anchor,
            op,
            attrs,
        } => {
            let (p, i) = locate(defs, anchor)?;
            let d = &defs[p as usize];
            let like = d.steps[i];
            let id = new_step_id(d, attrs, "new")?;
            let s = new_step(id, *op, &like, attrs);
            if *after {
                Edit::InsertAfter(p, like.id, vec![s])
            } else {
                Edit::InsertBefore(p, like.id, vec![s])
            }
        }
    })
}

fn intern_ids(ids: &[&'static str]) -> &'static [&'static str] {
    // One-element slices of interned ids: leak the (tiny) slice once per distinct id.
    use std::collections::BTreeMap;
    use std::sync::Mutex;
    static SLICES: Mutex<BTreeMap<&'static str, &'static [&'static str]>> =
        Mutex::new(BTreeMap::new());
    let id = ids[0];
    let mut t = SLICES.lock().unwrap_or_else(|e| e.into_inner());
    t.entry(id)
        .or_insert_with(|| Box::leak(vec![id].into_boxed_slice()))
}

/// The id of a step about to be added to `d`: the one the line asks for (`as ID`), which must be
/// unused, or a fresh one from `stem`; refused when `d` has no room for another step.
fn new_step_id(d: &ProgramDef, a: &Attrs, stem: &str) -> Result<&'static str, String> {
    if d.steps.len() >= MAX_STEPS {
        return Err(format!("{} already has {MAX_STEPS} steps", d.id.name()));
    }
    match &a.id {
        Some(id) if d.position(id).is_some() => {
            Err(format!("{} already has a step {id}", d.id.name()))
        }
        Some(id) => Ok(intern(id)),
        None => Ok(fresh_id(d, stem)),
    }
}

/// Where each step's branch came from, to blame an edit for a dangling jump.
#[derive(Default)]
struct Blame {
    deleted: Vec<(ProgId, &'static str, usize)>,
    introduced: Vec<(ProgId, &'static str, usize)>,
}

/// Applies an edit list to a variant's programs.
pub fn apply_text(defs: Vec<ProgramDef>, text: &str) -> Result<Vec<ProgramDef>, EditError> {
    let mut defs = defs;
    let mut blame = Blame::default();
    let mut lines: Vec<String> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        if line > MAX_LINES {
            return Err(EditError {
                line,
                edit: String::new(),
                why: format!("more than {MAX_LINES} lines"),
            });
        }
        let shown = raw.split('#').next().unwrap_or("").trim();
        let shown: String = if shown.chars().count() > 120 {
            shown.chars().take(117).chain("…".chars()).collect()
        } else {
            shown.to_string()
        };
        lines.push(shown.clone());
        let err = |why: String| EditError {
            line,
            edit: shown.clone(),
            why,
        };
        let Some(l) = parse_line(raw).map_err(err)? else {
            continue;
        };
        let e = resolve(&defs, &l).map_err(err)?;
        match &e {
            Edit::Delete(p, ids) => blame.deleted.extend(ids.iter().map(|i| (*p, *i, line))),
            Edit::Replace(p, s) => blame.introduced.push((*p, s.id, line)),
            Edit::InsertBefore(p, _, ss) | Edit::InsertAfter(p, _, ss) => {
                blame.introduced.extend(ss.iter().map(|s| (*p, s.id, line)))
            }
            Edit::Duplicate { prog, new_id, .. } => blame.introduced.push((*prog, new_id, line)),
            _ => {}
        }
        defs = variant::apply(defs, std::slice::from_ref(&e)).map_err(err)?;
    }
    check_targets(&defs, &blame, &lines)?;
    Ok(defs)
}

/// After all edits: every jump lands on a step that exists.
fn check_targets(defs: &[ProgramDef], blame: &Blame, lines: &[String]) -> Result<(), EditError> {
    for d in defs {
        for s in &d.steps {
            for t in s.jump_targets() {
                let Target::To(id) = t else { continue };
                if d.position(id).is_some() {
                    continue;
                }
                let at = |line: usize, why: String| EditError {
                    line,
                    edit: lines.get(line - 1).cloned().unwrap_or_default(),
                    why,
                };
                if let Some((_, _, line)) = blame
                    .deleted
                    .iter()
                    .rev()
                    .find(|(p, i, _)| *p == d.id && *i == id)
                {
                    return Err(at(
                        *line,
                        format!(
                            "{}:{} still jumps to it; delete or replace that branch too",
                            s.src.func, s.id
                        ),
                    ));
                }
                if let Some((_, _, line)) = blame
                    .introduced
                    .iter()
                    .rev()
                    .find(|(p, i, _)| *p == d.id && *i == s.id)
                {
                    return Err(at(
                        *line,
                        format!("branch target {id} is not a step of {}", d.id.name()),
                    ));
                }
                return Err(EditError {
                    line: 0,
                    edit: String::new(),
                    why: format!("{}:{} jumps to unknown step {id}", s.src.func, s.id),
                });
            }
        }
    }
    Ok(())
}

fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn sref(s: &StepDef<Target>) -> String {
    format!("{}:{}", s.src.func, s.id)
}

/// The attributes that make `s` differ from what `new_step` would give next to `like`.
fn attrs_text(s: &StepDef<Target>, like: &StepDef<Target>, default_id: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(d) = default_id {
        if s.id != d {
            out += &format!(" as {}", s.id);
        }
    }
    if s.label != op_text::head(&s.op) {
        out += &format!(" label {}", q(s.label));
    }
    if s.code != op_text::print(&s.op) {
        out += &format!(" code {}", q(s.code));
    }
    if !s.src.since.is_empty() {
        out += &format!(" since {}", q(s.src.since));
    }
    if s.indent != like.indent {
        out += &format!(" indent {}", s.indent);
    }
    if s.src.func != like.src.func {
        out += &format!(" func {}", q(s.src.func));
    }
    if s.src.file != like.src.file {
        out += &format!(" file {}", q(s.src.file));
    }
    out
}

fn step_at<'a>(defs: &'a [ProgramDef], p: ProgId, id: &str) -> Result<&'a StepDef<Target>, String> {
    let d = &defs[p as usize];
    Ok(&d.steps[d.index_of(id)?])
}

/// The text lines of one edit, against the programs as they are before it.
fn edit_lines(defs: &[ProgramDef], e: &Edit) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    match e {
        Edit::Delete(p, ids) => {
            for id in *ids {
                out.push(format!("delete {}", sref(step_at(defs, *p, id)?)));
            }
        }
        Edit::Move {
            prog,
            first,
            last,
            before,
        } => {
            let d = &defs[*prog as usize];
            let b = sref(step_at(defs, *prog, before)?);
            for s in &d.steps[d.block(first, last)?] {
                out.push(format!("move {} before {b}", sref(s)));
            }
        }
        Edit::MoveAfter { prog, id, after } => out.push(format!(
            "move {} after {}",
            sref(step_at(defs, *prog, id)?),
            sref(step_at(defs, *prog, after)?)
        )),
        Edit::Duplicate { prog, id, new_id } => {
            let s = step_at(defs, *prog, id)?;
            let d = &defs[*prog as usize];
            let mut l = format!("duplicate {}", sref(s));
            if *new_id != fresh_id(d, s.id) {
                l += &format!(" as {new_id}");
            }
            out.push(l);
        }
        Edit::Replace(p, s) => {
            let old = step_at(defs, *p, s.id)?;
            out.push(format!(
                "replace {} with {}{}",
                sref(old),
                op_text::print(&s.op),
                attrs_text(s, old, None)
            ));
        }
        Edit::InsertBefore(p, anchor, ss) | Edit::InsertAfter(p, anchor, ss) => {
            // One line per step, each against the programs with the steps before it inserted:
            // `insert after` chains on the step it just inserted, `insert before` stays put.
            let after = matches!(e, Edit::InsertAfter(..));
            let mut cur = defs.to_vec();
            let mut anchor: &'static str = anchor;
            for s in ss {
                let like = *step_at(&cur, *p, anchor)?;
                let d = &cur[*p as usize];
                out.push(format!(
                    "insert {} {} {}{}",
                    if after { "after" } else { "before" },
                    sref(&like),
                    op_text::print(&s.op),
                    attrs_text(s, &like, Some(fresh_id(d, "new")))
                ));
                let one = if after {
                    Edit::InsertAfter(*p, anchor, vec![*s])
                } else {
                    Edit::InsertBefore(*p, anchor, vec![*s])
                };
                cur = variant::apply(cur, &[one])?;
                if after {
                    anchor = s.id;
                }
            }
        }
        Edit::Program(def) => out.extend(program_lines(&defs[def.id as usize], def)?),
    }
    Ok(out)
}

/// Edits that turn program `base` into `target`: deletes, replaces, then inserts and moves in
/// target order (jumps are only checked once the whole list has applied).
fn program_lines(base: &ProgramDef, target: &ProgramDef) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = base.clone();
    let p = base.id;
    let one = |cur: &mut ProgramDef, e: Edit| -> Result<(), String> {
        let mut all: Vec<ProgramDef> = ProgId::ALL
            .into_iter()
            .map(|q| ProgramDef {
                id: q,
                steps: vec![],
            })
            .collect();
        all[p as usize] = cur.clone();
        let all = variant::apply(all, &[e])?;
        *cur = all[p as usize].clone();
        Ok(())
    };
    let gone: Vec<&'static str> = cur
        .steps
        .iter()
        .filter(|s| target.position(s.id).is_none())
        .map(|s| s.id)
        .collect();
    for id in gone {
        let s = cur.steps[cur.position(id).expect("present")];
        out.push(format!("delete {}", sref(&s)));
        one(&mut cur, Edit::Delete(p, intern_ids(&[id])))?;
    }
    for s in &target.steps {
        if let Some(i) = cur.position(s.id) {
            let old = cur.steps[i];
            if old != *s {
                out.push(format!(
                    "replace {} with {}{}",
                    sref(&old),
                    op_text::print(&s.op),
                    attrs_text(s, &old, None)
                ));
                one(&mut cur, Edit::Replace(p, *s))?;
            }
        }
    }
    for (j, s) in target.steps.iter().enumerate() {
        let prev = j.checked_sub(1).map(|k| target.steps[k].id);
        let here = cur.position(s.id);
        let want = match prev {
            None => 0,
            Some(pid) => cur.position(pid).ok_or("lost a step")? + 1,
        };
        if here == Some(want) {
            continue;
        }
        match (here, prev) {
            (Some(_), Some(pid)) => {
                out.push(format!(
                    "move {} after {}",
                    sref(s),
                    sref(&cur.steps[cur.position(pid).expect("present")])
                ));
                one(
                    &mut cur,
                    Edit::MoveAfter {
                        prog: p,
                        id: s.id,
                        after: pid,
                    },
                )?;
            }
            (Some(_), None) => {
                let first = cur.steps[0];
                out.push(format!("move {} before {}", sref(s), sref(&first)));
                one(
                    &mut cur,
                    Edit::Move {
                        prog: p,
                        first: s.id,
                        last: s.id,
                        before: first.id,
                    },
                )?;
            }
            (None, Some(pid)) => {
                let like = cur.steps[cur.position(pid).expect("present")];
                out.push(format!(
                    "insert after {} {}{}",
                    sref(&like),
                    op_text::print(&s.op),
                    attrs_text(s, &like, Some(fresh_id(&cur, "new")))
                ));
                one(&mut cur, Edit::InsertAfter(p, pid, vec![*s]))?;
            }
            (None, None) => {
                let like = *cur
                    .steps
                    .first()
                    .ok_or("cannot insert into an empty program")?;
                out.push(format!(
                    "insert before {} {}{}",
                    sref(&like),
                    op_text::print(&s.op),
                    attrs_text(s, &like, Some(fresh_id(&cur, "new")))
                ));
                one(&mut cur, Edit::InsertBefore(p, like.id, vec![*s]))?;
            }
        }
    }
    Ok(out)
}

/// A variant's edits as an edit list against `base` (the programs of its base variant).
pub fn print(base: &[ProgramDef], edits: &[Edit]) -> Result<String, String> {
    let mut defs = base.to_vec();
    let mut out = String::new();
    for e in edits {
        for l in edit_lines(&defs, e)? {
            out.push_str(&l);
            out.push('\n');
        }
        defs = variant::apply(defs, std::slice::from_ref(e))?;
    }
    Ok(out)
}

/// The edit list that makes buggy variant `id` from its base, with a header comment.
pub fn variant_text(id: &str) -> Result<String, String> {
    let info = variant::info(id).ok_or_else(|| variant::unknown_variant(id))?;
    let Some(base) = info.base else {
        return Err(format!(
            "{id} is a kernel release, not an edit of another variant"
        ));
    };
    let edits = variant::edits(id).unwrap_or_default();
    let body = if edits.is_empty() {
        // A release based on another (v5.17 on v5.17-rc1): its difference as edits.
        let (b, t) = (variant::defs(base)?, variant::defs(id)?);
        let progs: Vec<Edit> = t
            .into_iter()
            .zip(&b)
            .filter(|(t, b)| t != *b)
            .map(|(t, _)| Edit::Program(t))
            .collect();
        print(&b, &progs)?
    } else {
        print(&variant::defs(base)?, &edits)?
    };
    Ok(format!(
        "# {}: {}\n# apply to --variant {base}\n{body}",
        info.id, info.title
    ))
}

/// Whether a step's function exists in the programs (for the app's menus).
pub fn functions(defs: &[ProgramDef]) -> Vec<&'static str> {
    let mut f: Vec<&'static str> = defs
        .iter()
        .flat_map(|d| d.steps.iter().map(|s| s.src.func))
        .collect();
    f.sort_unstable();
    f.dedup();
    f
}

/// Whether `text` has at least one edit line (not only blanks and comments).
pub fn has_edits(text: &str) -> bool {
    text.lines()
        .any(|l| !l.split('#').next().unwrap_or("").trim().is_empty())
}

/// Version of the compact form an edit list takes in a permalink.
pub const LINK_FORMAT: &str = "1";

const ABBREV: [(&str, &str); 8] = [
    ("delete", "d"),
    ("move", "m"),
    ("duplicate", "u"),
    ("replace", "r"),
    ("insert", "i"),
    ("before", "b"),
    ("after", "a"),
    ("with", "w"),
];

/// The positions of keywords (verb, before/after, with) in a line's first words.
fn keyword_slots(verb: &str) -> &'static [usize] {
    match verb {
        "delete" | "d" | "duplicate" | "u" => &[0],
        "move" | "m" => &[0, 2],
        "replace" | "r" => &[0, 2],
        "insert" | "i" => &[0, 1],
        _ => &[],
    }
}

fn swap_keywords(line: &str, long_to_short: bool) -> String {
    let verb = line.split_whitespace().next().unwrap_or("");
    let slots = keyword_slots(verb);
    let mut words: Vec<&str> = line.splitn(5, ' ').collect();
    for &i in slots {
        if let Some(w) = words.get_mut(i) {
            if let Some((l, s)) = ABBREV
                .iter()
                .find(|(l, s)| if long_to_short { l == w } else { s == w })
            {
                *w = if long_to_short { s } else { l };
            }
        }
    }
    words.join(" ")
}

/// The compact form of an edit list for a permalink: `1.` then the edit lines (comments and
/// blank lines dropped, words single-spaced, keywords abbreviated) joined by newlines.
pub fn to_link(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .filter(|l| has_edits(l))
        .map(|l| {
            let l = if l.contains('"') {
                l.trim().to_string()
            } else {
                l.split('#')
                    .next()
                    .unwrap_or("")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            swap_keywords(&l, true)
        })
        .collect();
    format!("{LINK_FORMAT}.{}", lines.join("\n"))
}

/// The edit list of a permalink's compact form.
pub fn from_link(s: &str) -> Result<String, String> {
    let (v, body) = s
        .split_once('.')
        .ok_or("the edit list in the link has no format version")?;
    if v != LINK_FORMAT {
        return Err(format!(
            "the link's edit list is in format {v}; this site reads format {LINK_FORMAT}"
        ));
    }
    let mut out = String::new();
    for l in body.lines() {
        out.push_str(&swap_keywords(l, false));
        out.push('\n');
    }
    Ok(out)
}
