//! Helpers shared by the integration tests.
#![allow(dead_code)]

use mmrace_core::policy::SplitMix64;
use mmrace_core::program::{Op, ProgId};
use mmrace_core::run::Run;
use mmrace_core::schedule::Schedule;
use mmrace_core::variant;
use mmrace_core::{Invariant, Model, Options, Scenario, ScenarioId, Variant};

pub fn model(variant: &str, scenario: ScenarioId) -> Model {
    Model::new(Variant::by_id(variant).unwrap(), Scenario::new(scenario))
}

pub fn model_with(variant: &str, scenario: ScenarioId, f: impl FnOnce(&mut Options)) -> Model {
    let mut sc = Scenario::new(scenario);
    f(&mut sc.options);
    Model::new(Variant::by_id(variant).unwrap(), sc)
}

/// A preset with no process_mrelease caller (`--mrelease 0`).
pub fn model_no_m(variant: &str, scenario: ScenarioId) -> Model {
    let mut sc = Scenario::new(scenario);
    sc.mrelease = 0;
    Model::new(Variant::by_id(variant).unwrap(), sc)
}

/// A preset changed by `f` (its parts and options).
pub fn model_sc(variant: &str, scenario: ScenarioId, f: impl FnOnce(&mut Scenario)) -> Model {
    let mut sc = Scenario::new(scenario);
    f(&mut sc);
    Model::new(Variant::by_id(variant).unwrap(), sc)
}

/// Replays a schedule that must replay completely.
pub fn run(m: Model, schedule: &str) -> Run {
    let mut r = Run::new(m);
    let s = Schedule::parse(schedule).unwrap();
    if let Err(e) = r.apply(&s) {
        panic!("schedule {schedule:?} failed: {e}");
    }
    r
}

/// (1-based step, invariant, instance label) of every violation.
pub fn violations(r: &Run) -> Vec<(usize, Invariant, String)> {
    r.violations()
        .into_iter()
        .map(|(i, v)| (i + 1, v.inv, format!("{} {}", v.actor, r.label(i))))
        .collect()
}

/// The first violation of each invariant, as "S1@R zap_pte_range(A)".
pub fn first_violations(r: &Run) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, inv, at) in violations(r) {
        let s = format!("{inv}@{at}");
        if !out.iter().any(|o| o.starts_with(inv.id())) {
            out.push(s);
        }
    }
    out
}

pub fn labels(r: &Run) -> Vec<String> {
    (0..r.len())
        .map(|i| format!("{} {}", r.steps()[i].actor, r.label(i)))
        .collect()
}

/// v5.17 under user-kill with process_mrelease's `mmdrop` made a no-op and, with
/// `without_mmgrab`, its `mmgrab` deleted: a mutant built from its programs, not from an edit
/// list.
pub fn mrelease_mutant(without_mmgrab: bool) -> Model {
    let info = variant::info("v5.17").unwrap();
    let base = variant::defs("v5.17").unwrap();
    let pm = &base[ProgId::ProcessMrelease as usize];
    let mut no_drop = pm.steps[pm.position("drop_mm").unwrap()];
    no_drop.op = Op::Nop;
    let mut edits = Vec::new();
    if without_mmgrab {
        edits.push(variant::Edit::Delete(ProgId::ProcessMrelease, &["mmgrab"]));
    }
    edits.push(variant::Edit::Replace(ProgId::ProcessMrelease, no_drop));
    let defs = variant::apply(base.clone(), &edits).unwrap();
    Model::new(
        Variant::from_defs(info, defs).unwrap(),
        Scenario::new(ScenarioId::UserKill),
    )
}

/// A fuzz input: a copy of `start` with one to eight byte deletions, insertions from `alphabet`
/// or replacements and, given a `splice_from`, splices of up to 40 of its bytes (which repeat
/// lines and words). Deterministic in `rng`.
pub fn mutate(
    rng: &mut SplitMix64,
    start: &[u8],
    alphabet: &[u8],
    splice_from: Option<&[u8]>,
) -> String {
    let mut b = start.to_vec();
    for _ in 0..1 + rng.below(8) {
        let pos = rng.below(b.len() + 1);
        match rng.below(if splice_from.is_some() { 4 } else { 3 }) {
            0 if pos < b.len() => {
                b.remove(pos);
            }
            1 => b.insert(pos, alphabet[rng.below(alphabet.len())]),
            2 if pos < b.len() => b[pos] = alphabet[rng.below(alphabet.len())],
            _ => {
                if let Some(seed) = splice_from {
                    let a = rng.below(seed.len() + 1);
                    let z = (a + rng.below(40)).min(seed.len());
                    b.splice(pos..pos, seed[a..z].iter().copied());
                }
            }
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

/// Runs the `mmrace` binary with `args` and `stdin`: (exit code, stdout, stderr).
pub fn mmrace_in(args: &[&str], stdin: &str) -> (i32, String, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut c = Command::new(env!("CARGO_BIN_EXE_mmrace"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let o = c.wait_with_output().unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Runs the `mmrace` binary with `args` and an empty stdin: (exit code, stdout, stderr).
pub fn mmrace(args: &[&str]) -> (i32, String, String) {
    mmrace_in(args, "")
}
