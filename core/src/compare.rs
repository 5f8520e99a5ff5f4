//! Running one schedule against two variants in lockstep, and explaining the first divergence.
//!
//! Each variant interprets the schedule's items in its own programs (so `V:mmap_write_lock`
//! means "until V has taken or queued for the write lock" in both). Rows pair the steps each
//! item produced on either side; the first row whose steps differ (another label, another lock
//! outcome or branch, a violation on one side only, or a side that cannot step at all) is the
//! divergence, explained with both sides' sentences.

use crate::narrate::sentence;
use crate::run::{ReplayError, Run};
use crate::schedule::Schedule;
use crate::sim::{Model, StepInfo};
use serde::Serialize;

/// One row: the i-th step produced by one schedule item on side A and on side B.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    pub item: usize,
    pub a: Option<usize>,
    pub b: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Divergence {
    /// Index into `rows`.
    pub row: usize,
    pub explanation: String,
}

pub struct Comparison {
    pub a: Run,
    pub b: Run,
    pub rows: Vec<Row>,
    /// Where each side stopped replaying, if it did.
    pub errors: [Option<ReplayError>; 2],
    pub divergence: Option<Divergence>,
}

fn same(ma: &Model, a: &Run, ia: usize, mb: &Model, b: &Run, ib: usize) -> bool {
    let (sa, sb): (&StepInfo, &StepInfo) = (&a.steps()[ia], &b.steps()[ib]);
    let inv = |s: &StepInfo| s.violations.iter().map(|v| v.inv).collect::<Vec<_>>();
    sa.actor == sb.actor
        && ma.label(sa, a.state_at(ia)) == mb.label(sb, b.state_at(ib))
        && sa.lock == sb.lock
        && sa.branch == sb.branch
        && inv(sa) == inv(sb)
}

fn side(run: &Run, i: usize) -> String {
    sentence(
        &run.model,
        run.state_at(i),
        &run.steps()[i],
        run.state_at(i + 1),
    )
}

/// Replays `schedule` on both models and pairs their steps.
pub fn compare(a: Model, b: Model, schedule: &Schedule) -> Comparison {
    let (na, nb) = (a.variant.label(), b.variant.label());
    let mut ra = Run::new(a);
    let mut rb = Run::new(b);
    let mut rows = Vec::new();
    let mut errors: [Option<ReplayError>; 2] = [None, None];
    for (k, item) in schedule.items.iter().enumerate() {
        let mut spans = [(0, 0); 2];
        for (side, run) in [&mut ra, &mut rb].into_iter().enumerate() {
            if errors[side].is_some() {
                spans[side] = (run.len(), run.len());
                continue;
            }
            let start = run.len();
            if let Err(message) = run.apply_item(item) {
                errors[side] = Some(ReplayError {
                    item: k,
                    steps_done: run.len(),
                    message,
                });
            }
            spans[side] = (start, run.len());
        }
        let (la, lb) = (spans[0].1 - spans[0].0, spans[1].1 - spans[1].0);
        for j in 0..la.max(lb).max(1) {
            let a = (j < la).then_some(spans[0].0 + j);
            let b = (j < lb).then_some(spans[1].0 + j);
            if a.is_some()
                || b.is_some()
                || errors
                    .iter()
                    .any(|e| e.as_ref().is_some_and(|e| e.item == k))
            {
                rows.push(Row { item: k, a, b });
            }
        }
    }
    let mut divergence = None;
    for (r, row) in rows.iter().enumerate() {
        let text = match (row.a, row.b) {
            (Some(x), Some(y)) if same(&ra.model, &ra, x, &rb.model, &rb, y) => continue,
            (Some(x), Some(y)) => format!("{na}: {} {nb}: {}", side(&ra, x), side(&rb, y)),
            (Some(x), None) => format!(
                "{na}: {} {nb}: {}",
                side(&ra, x),
                errors[1]
                    .as_ref()
                    .map_or("no corresponding step".into(), |e| e.message.clone())
            ),
            (None, Some(y)) => format!(
                "{na}: {} {nb}: {}",
                errors[0]
                    .as_ref()
                    .map_or("no corresponding step".into(), |e| e.message.clone()),
                side(&rb, y)
            ),
            (None, None) => format!(
                "{na}: {} {nb}: {}",
                errors[0]
                    .as_ref()
                    .map_or("ok".into(), |e| e.message.clone()),
                errors[1]
                    .as_ref()
                    .map_or("ok".into(), |e| e.message.clone())
            ),
        };
        divergence = Some(Divergence {
            row: r,
            explanation: format!(
                "First divergence at schedule item {} ({}): {text}",
                row.item + 1,
                schedule.items[row.item]
            ),
        });
        break;
    }
    Comparison {
        a: ra,
        b: rb,
        rows,
        errors,
        divergence,
    }
}

/// The variant to compare `a` with by default: the release that fixes it (its first descendant
/// that is a real kernel), else any descendant, else its base; `v5.17` for an unknown id.
pub fn default_other(a: &str) -> &'static str {
    use crate::variant::{info, Kind, VARIANTS};
    VARIANTS
        .iter()
        .find(|v| v.base == Some(a) && v.kind == Kind::Real)
        .or_else(|| VARIANTS.iter().find(|v| v.base == Some(a)))
        .map(|v| v.id)
        .or_else(|| info(a).and_then(|i| i.base))
        .unwrap_or("v5.17")
}

/// What compare mode opens on when nothing chose a schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Opening {
    /// The variant whose counterexample it is (side A).
    pub a: &'static str,
    /// The variant it is replayed on (side B).
    pub b: &'static str,
    /// The counterexample: a shortest schedule to `inv`.
    pub schedule: String,
    pub inv: crate::check::Invariant,
    /// Where it fires, e.g. `M can_madv_lru_vma(A)`.
    pub at: String,
    /// Why this one, in a sentence.
    pub why: String,
}

/// The shortest counterexample of a complete search: a crash (not the S7 warning) if there is
/// one, shortest first, ties broken by invariant then label (the atlas order).
pub fn shortest_counterexample(
    report: &crate::explore::Report,
) -> Option<&crate::explore::Outcome> {
    let pick = |warning: bool| {
        report
            .outcomes
            .iter()
            .filter(|o| o.inv.is_warning() == warning)
            .min_by(|x, y| (x.steps, x.inv, &x.at).cmp(&(y.steps, y.inv, &y.at)))
    };
    pick(false).or_else(|| pick(true))
}

/// Compare mode's opening: the shortest counterexample of `variant` in `scenario`, replayed on
/// its fix (or base); when `variant` has none, the shortest counterexample of the first variant
/// (in [`VARIANTS`](crate::variant::VARIANTS) order) that has one, replayed on `variant`. None
/// when no variant can fail in this scenario.
///
/// Each candidate is explored exhaustively (breadth first, so the counterexample is a shortest
/// one); the searches are the same as `mmrace check`.
pub fn opening(variant: &str, scenario: &crate::scenario::Scenario) -> Option<Opening> {
    use crate::explore::{explore, Bounds};
    use crate::variant::{Variant, VARIANTS};
    let search = |id: &'static str| {
        let v = Variant::by_id(id).ok()?;
        let report = explore(Model::new(v, scenario.clone()), Bounds::default());
        shortest_counterexample(&report).cloned()
    };
    let own = VARIANTS.iter().find(|v| v.id == variant).map(|v| v.id);
    // `lead` says whose counterexample it is; the rest of the sentence is the same for both.
    let open =
        |a: &'static str, b: &'static str, lead: String, o: crate::explore::Outcome| Opening {
            a,
            b,
            why: format!(
                "{lead} ({} {} at {}, {} steps), replayed on {b}.",
                o.inv.id(),
                o.inv.name(),
                o.at,
                o.steps
            ),
            schedule: o.schedule,
            inv: o.inv,
            at: o.at,
        };
    if let Some(a) = own {
        if let Some(o) = search(a) {
            let lead = format!("The shortest counterexample of {a} in {}", scenario.name());
            return Some(open(a, default_other(a), lead, o));
        }
    }
    for v in VARIANTS.iter().filter(|v| Some(v.id) != own) {
        if let Some(o) = search(v.id) {
            let lead = format!(
                "{} has no counterexample in {}; this is the shortest one of {}",
                own.unwrap_or(variant),
                scenario.name(),
                v.id
            );
            let b = own.unwrap_or_else(|| default_other(v.id));
            return Some(open(v.id, b, lead, o));
        }
    }
    None
}
