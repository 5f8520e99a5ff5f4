//! The schedule text format, and writing a recorded run back into it.
//!
//! A schedule is a list of items separated by spaces or commas:
//!
//! | item      | meaning                                                                  |
//! |-----------|--------------------------------------------------------------------------|
//! | `V`       | one step of V                                                            |
//! | `V:label` | step V until it has executed a step with that label                      |
//! | `V*`      | step V until it blocks or finishes                                       |
//!
//! Actors are `V K R M G` (case-insensitive). A label matches a step's instance label
//! (`free_pgtables(A)`), its plain label (`free_pgtables`), or the label of a local line the step
//! passed through (`schedule_timeout_idle`). Example, the v5.17-rc1 syzbot use-after-free:
//! `M:mmgrab M:task_unlock V* M*`.

use crate::actor::ActorId;
use crate::sim::{Model, State, StepInfo};
use serde::Serialize;
use std::fmt;

/// What an item asks of its actor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Until {
    /// Exactly one step.
    One,
    /// Until a step with this label has executed.
    Label(String),
    /// Until the actor blocks or finishes.
    Blocked,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Item {
    pub actor: ActorId,
    pub until: Until,
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.until {
            Until::One => write!(f, "{}", self.actor),
            Until::Label(l) => write!(f, "{}:{l}", self.actor),
            Until::Blocked => write!(f, "{}*", self.actor),
        }
    }
}

/// A parsed schedule.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct Schedule {
    pub items: Vec<Item>,
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s: Vec<String> = self.items.iter().map(|i| i.to_string()).collect();
        f.write_str(&s.join(" "))
    }
}

/// Longest label accepted in a schedule item.
pub const MAX_LABEL: usize = 80;
/// Most items accepted in one schedule.
pub const MAX_ITEMS: usize = 100_000;

/// Splits on whitespace and commas, but not inside a label's parentheses (`zap(A,B)` is one).
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = None;
    for (i, c) in text.char_indices() {
        let sep = depth == 0 && (c.is_whitespace() || c == ',');
        if sep {
            if let Some(s) = start.take() {
                out.push(&text[s..i]);
            }
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

impl Schedule {
    pub fn parse(text: &str) -> Result<Schedule, String> {
        let mut items = Vec::new();
        for (n, tok) in tokens(text).into_iter().enumerate() {
            if items.len() >= MAX_ITEMS {
                return Err(format!("schedule has more than {MAX_ITEMS} items"));
            }
            let bad = |why: String| format!("schedule item {} '{}': {why}", n + 1, tok);
            let c = tok.chars().next().expect("tokens are non-empty");
            // An actor name is a letter, then for M and G an optional instance number.
            let name_len = c.len_utf8()
                + tok[c.len_utf8()..]
                    .chars()
                    .take_while(|d| d.is_ascii_digit())
                    .count();
            let name = &tok[..name_len];
            let actor = ActorId::parse(name).ok_or_else(|| {
                bad(format!(
                    "unknown actor '{name}'; actors are V, K, R, M (or M1), M2, G (or G1) and G2"
                ))
            })?;
            let c = actor.name();
            let rest = &tok[name_len..];
            let until = if rest.is_empty() {
                Until::One
            } else if rest == "*" {
                Until::Blocked
            } else if let Some(label) = rest.strip_prefix(':') {
                let label = label.trim();
                if label.is_empty() {
                    return Err(bad("a label must follow ':' (e.g. V:free_pgtables)".into()));
                }
                if label.len() > MAX_LABEL {
                    return Err(bad(format!("label longer than {MAX_LABEL} characters")));
                }
                if label.chars().any(|c| c.is_control()) {
                    return Err(bad("label contains a control character".into()));
                }
                Until::Label(label.to_string())
            } else {
                return Err(bad(format!(
                    "expected '{c}', '{c}*' or '{c}:label' (e.g. {c}:mmap_read_trylock)"
                )));
            };
            items.push(Item { actor, until });
        }
        Ok(Schedule { items })
    }
}

/// Whether an executed step satisfies a `V:label` item.
pub fn step_matches(model: &Model, before: &State, info: &StepInfo, label: &str) -> bool {
    let def = model.step_def(info.pc);
    model.label(info, before) == label
        || def.label == label
        || info
            .locals
            .iter()
            .any(|pc| model.step_def(*pc).label == label)
}

/// Writes a run (the states before each step and the steps) as a compact schedule: each run of
/// consecutive steps by one actor becomes `A:label` where that replays exactly, else single
/// steps.
pub fn compress(model: &Model, befores: &[State], steps: &[StepInfo]) -> Schedule {
    let mut items = Vec::new();
    let mut i = 0;
    while i < steps.len() {
        let a = steps[i].actor;
        let mut end = i;
        while end + 1 < steps.len() && steps[end + 1].actor == a {
            end += 1;
        }
        // Try the longest prefix [i..=j] that a label item replays exactly.
        let mut j = end;
        loop {
            let label = model.label(&steps[j], &befores[j]);
            let first_match =
                (i..=j).find(|k| step_matches(model, &befores[*k], &steps[*k], &label));
            if first_match == Some(j) && j > i {
                items.push(Item {
                    actor: a,
                    until: Until::Label(label),
                });
                break;
            }
            if j == i {
                items.push(Item {
                    actor: a,
                    until: Until::One,
                });
                break;
            }
            j -= 1;
        }
        i = j + 1;
    }
    Schedule { items }
}
