//! Traces: the versioned JSON form of a run (export and re-import), and the two-column race
//! diagram kernel developers put in commit messages.
//!
//! The JSON records the model version, the variant, the scenario and options, and the exact
//! actor choices; each step carries its label, sentence, events, violations and a summary of the
//! state after it. Import replays the choices and checks every recorded label, so a trace from
//! another model version fails with a clear message instead of silently meaning something else.

use crate::actor::ActorId;
use crate::check::Event;
use crate::mm::{PageTables, VmaKind};
use crate::narrate::sentence;
use crate::run::Run;
use crate::scenario::{Kill, Options, Scenario, ScenarioId, MAX_BYSTANDERS};
use crate::sim::{Model, State};
use crate::variant::Variant;
use serde::{Deserialize, Serialize};

pub const TRACE_FORMAT: &str = "mmrace-trace";
/// Version 2 names the scenario as a combination (`kill`, `mrelease`, `readers`) and writes M2 and
/// G2 as `m` and `g` in `choices`; version 1 traces (a preset `scenario`, `options.mrelease` as a
/// boolean) still import.
pub const TRACE_VERSION: u32 = 2;
/// Largest trace file accepted by [`import`] (bytes).
pub const MAX_TRACE_BYTES: usize = 16 << 20;

/// The model version: a content hash of every variant's programs
/// ([`model_version_of_programs`]), which changes whenever the model's semantics could. It is
/// kept as a constant so that the page need not format every program when it starts (~13 ms in
/// the browser, ~50 ms on a phone); `core/tests/determinism.rs` fails, naming the new value, when
/// the programs change and this constant does not.
pub const MODEL_VERSION: &str = "c8b8657c";

/// The model version ([`MODEL_VERSION`]) as links and traces carry it.
pub fn model_version() -> String {
    MODEL_VERSION.to_string()
}

/// Computes the model version from the programs: FNV-1a over the Debug form of every variant's
/// program definitions, deterministic natively and in wasm.
pub fn model_version_of_programs() -> String {
    let mut all = String::new();
    for v in crate::variant::VARIANTS {
        let defs = crate::variant::defs(v.id).expect("built-in variants build");
        all.push_str(&format!("{}{:?}", v.id, defs));
    }
    let h = fnv1a(all.as_bytes());
    format!("{:08x}", (h >> 32) as u32 ^ h as u32)
}

/// 64-bit FNV-1a: a small, fixed hash, the same natively and in wasm.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ *b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VmaSummary {
    pub name: String,
    pub vm_flags: String,
    pub page_tables: String,
    pub mapped: bool,
    pub live: bool,
    pub munlock_busy: bool,
}

/// The observable state after a step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateSummary {
    pub mm_users: i8,
    pub mm_count: i8,
    pub mm_freed: bool,
    pub flags: Vec<String>,
    /// `mm->mmap`: a VMA name, `NULL`, or `A (freed)` when dangling.
    pub mmap: String,
    pub mmap_lock: String,
    pub vmas: Vec<VmaSummary>,
}

pub fn summarize(s: &State) -> StateSummary {
    StateSummary {
        mm_users: s.mm.users,
        mm_count: s.mm.count,
        mm_freed: s.mm.freed,
        flags: s.mm.flag_names().into_iter().map(String::from).collect(),
        mmap: match s.mm.head {
            None => "NULL".into(),
            Some(v) if !s.mm.vma(v).live => format!("{} (freed)", s.mm.vma_name(v)),
            Some(v) => s.mm.vma_name(v).to_string(),
        },
        mmap_lock: s.mm.mmap_lock.describe(),
        vmas: s
            .mm
            .vmas
            .iter()
            .flatten()
            .map(|v| VmaSummary {
                name: v.kind.letter().to_string(),
                vm_flags: crate::mm::vm_flags_names(v.flags),
                page_tables: match v.pt {
                    PageTables::Present => "present",
                    PageTables::Detached => "detached",
                    PageTables::Freed => "freed",
                }
                .into(),
                mapped: v.mapped,
                live: v.live,
                munlock_busy: v.munlock_busy,
            })
            .collect(),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceViolation {
    pub invariant: String,
    pub name: String,
    pub actor: String,
    pub vma: Option<String>,
    pub explanation: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceStep {
    /// 1-based step number.
    pub step: usize,
    pub actor: String,
    pub label: String,
    pub function: String,
    pub sentence: String,
    pub events: Vec<String>,
    pub violations: Vec<TraceViolation>,
    pub state: StateSummary,
}

/// The scenario options as a trace records them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceOptions {
    pub vmas: Vec<VmaKind>,
    pub notifier_fails: bool,
    pub kill_mrelease: bool,
    /// Version 1 only: whether a process_mrelease caller took part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mrelease: Option<bool>,
}

/// The JSON trace document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trace {
    pub format: String,
    pub version: u32,
    pub model: String,
    pub variant: String,
    /// The scenario's name: a preset id or `kill=… mrelease=N readers=N`.
    pub scenario: String,
    /// The combination (version 2; absent in version 1, where `scenario` is a preset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kill: Option<Kill>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mrelease: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readers: Option<u8>,
    pub options: TraceOptions,
    /// The run as a compact schedule (for people).
    pub schedule: String,
    /// The exact actor choices, one letter per step (for replay).
    pub choices: String,
    /// The edit list applied on top of `variant` (the patch playground), if any. Optional, so
    /// traces without it stay valid at the same version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edits: Option<String>,
    pub steps: Vec<TraceStep>,
}

fn event_text(e: &Event, s: &State) -> String {
    match e {
        Event::UnableToReap => "unable to reap".into(),
        Event::Reaped => "oom_reaper: reaped process".into(),
        Event::ReaperBailedOnSkip => "reaper bailed on MMF_OOM_SKIP".into(),
        Event::Eintr => "process_mrelease: -EINTR".into(),
        Event::ExitMmapIn(a) => format!("exit_mmap runs in {a}'s context"),
        Event::DoubleReap(v) => format!("double reap of {}", s.mm.vma_name(*v)),
        Event::TrylockFailed => "mmap_read_trylock failed".into(),
        Event::MmFreed => "mm_struct freed".into(),
        Event::OomShortcut => {
            "oom_kill_process: victim already exiting (task_will_free_mem)".into()
        }
    }
}

/// Exports the run's recorded steps.
pub fn export(run: &Run) -> Trace {
    let m = &run.model;
    let steps = run
        .steps()
        .iter()
        .enumerate()
        .map(|(i, info)| {
            let (before, after) = (run.state_at(i), run.state_at(i + 1));
            TraceStep {
                step: i + 1,
                actor: info.actor.to_string(),
                label: m.label(info, before),
                function: m.step_def(info.pc).src.func.to_string(),
                sentence: sentence(m, before, info, after),
                events: info.events.iter().map(|e| event_text(e, before)).collect(),
                violations: info
                    .violations
                    .iter()
                    .map(|v| TraceViolation {
                        invariant: v.inv.id().into(),
                        name: v.inv.name().into(),
                        actor: v.actor.to_string(),
                        vma: v.vma.map(|x| before.mm.vma_name(x).to_string()),
                        explanation: crate::narrate::explain_violation(
                            m,
                            run.befores(),
                            run.steps(),
                            i,
                            v,
                        ),
                    })
                    .collect(),
                state: summarize(after),
            }
        })
        .collect();
    Trace {
        format: TRACE_FORMAT.into(),
        version: TRACE_VERSION,
        model: model_version(),
        variant: m.variant.info.id.into(),
        scenario: m.scenario.name(),
        kill: Some(m.scenario.kill),
        mrelease: Some(m.scenario.mrelease),
        readers: Some(m.scenario.readers),
        options: TraceOptions {
            vmas: m.scenario.options.vmas.clone(),
            notifier_fails: m.scenario.options.notifier_fails,
            kill_mrelease: m.scenario.options.kill_mrelease,
            mrelease: None,
        },
        schedule: run.schedule().to_string(),
        edits: m.variant.edits.clone(),
        choices: run.choices().iter().map(|a| a.choice_char()).collect(),
        steps,
    }
}

/// A short hash of a run's exported trace: equal fingerprints mean equal traces (used to check
/// that native and wasm builds produce the same run for the same seed).
pub fn fingerprint(run: &Run) -> String {
    let json = serde_json::to_string(&export(run)).expect("a trace serializes");
    format!("{:016x}", fnv1a(json.as_bytes()))
}

/// The canonical determinism check: `steps` steps of the seeded random policy from the
/// initial state of (variant, scenario), fingerprinted.
pub fn seeded_fingerprint(
    variant: &str,
    scenario: ScenarioId,
    seed: u64,
    steps: usize,
) -> Result<String, String> {
    let model = Model::new(Variant::by_id(variant)?, Scenario::new(scenario));
    let mut run = Run::new(model);
    run.autoplay(&mut crate::policy::Policy::random(seed), steps);
    Ok(fingerprint(&run))
}

pub fn to_json(run: &Run) -> String {
    serde_json::to_string_pretty(&export(run)).expect("a trace serializes")
}

/// Imports a JSON trace: checks format, version, model, options; replays the choices and
/// verifies every recorded label. On success returns the run, positioned at its end.
pub fn import(text: &str) -> Result<Run, String> {
    if text.len() > MAX_TRACE_BYTES {
        return Err(format!(
            "trace file is {} bytes; the limit is {MAX_TRACE_BYTES}",
            text.len()
        ));
    }
    let t: Trace =
        serde_json::from_str(text).map_err(|e| format!("not an mmrace trace (JSON error: {e})"))?;
    if t.format != TRACE_FORMAT {
        return Err(format!(
            "not an mmrace trace: format is '{}', expected '{TRACE_FORMAT}'",
            t.format
        ));
    }
    if !(1..=TRACE_VERSION).contains(&t.version) {
        return Err(format!(
            "trace format version {} is not supported (this build reads versions 1 to {TRACE_VERSION})",
            t.version
        ));
    }
    let variant = Variant::by_id(&t.variant)?;
    let variant = match &t.edits {
        Some(e) => variant
            .with_edits(e)
            .map_err(|e| format!("the trace's edit list no longer applies: {e}"))?,
        None => variant,
    };
    let scenario = trace_scenario(&t)?;
    validate_options(&scenario.options)?;
    let model = Model::new(variant, scenario);
    let mut run = Run::new(model);
    let mv = model_version();
    for (i, c) in t.choices.chars().enumerate() {
        let a = if t.version >= 2 {
            ActorId::from_choice_char(c)
        } else {
            ActorId::from_letter(c)
        }
        .ok_or_else(|| {
            format!(
                "choices: character {} '{c}' is not an actor (V, K, R, M, m, G, g)",
                i + 1
            )
        })?;
        let before = *run.state();
        let info = run
            .step(a)
            .map_err(|e| format!("step {}: cannot replay: {}", i + 1, e.message))?
            .clone();
        if let Some(rec) = t.steps.get(i) {
            let label = run.model.label(&info, &before);
            if rec.label != label || rec.actor != a.to_string() {
                let why = if t.model != mv {
                    format!(
                        " (the trace was made by model version {}, this is {mv})",
                        t.model
                    )
                } else {
                    String::new()
                };
                return Err(format!(
                    "step {}: the trace says {} {} but this model executes {a} {label}{why}",
                    i + 1,
                    rec.actor,
                    rec.label
                ));
            }
        }
    }
    Ok(run)
}

/// Checks user-supplied options (VMAs within the model's limits).
/// The scenario a trace describes: version 1 names a preset (and `options.mrelease: false`
/// means no process_mrelease), version 2 writes the combination.
fn trace_scenario(t: &Trace) -> Result<Scenario, String> {
    let mut sc = if t.version == 1 {
        let mut sc = Scenario::new(ScenarioId::parse(&t.scenario)?);
        if t.options.mrelease == Some(false) {
            sc.mrelease = 0;
        }
        sc
    } else {
        let mut sc = Scenario::parse_name(&t.scenario)?;
        if let Some(k) = t.kill {
            sc.kill = k;
        }
        sc.mrelease = t.mrelease.unwrap_or(sc.mrelease);
        sc.readers = t.readers.unwrap_or(sc.readers);
        if sc.mrelease > MAX_BYSTANDERS || sc.readers > MAX_BYSTANDERS {
            return Err(format!(
                "a scenario has at most {MAX_BYSTANDERS} process_mrelease callers and {MAX_BYSTANDERS} /proc readers"
            ));
        }
        sc
    };
    sc.options = Options {
        vmas: t.options.vmas.clone(),
        notifier_fails: t.options.notifier_fails,
        kill_mrelease: t.options.kill_mrelease,
    };
    Ok(sc)
}

pub fn validate_options(o: &Options) -> Result<(), String> {
    if o.vmas.len() > crate::mm::MAX_VMAS {
        return Err(format!("at most {} VMAs", crate::mm::MAX_VMAS));
    }
    let mut seen = Vec::new();
    for v in &o.vmas {
        if seen.contains(v) {
            return Err(format!("VMA {v} appears twice"));
        }
        seen.push(*v);
    }
    Ok(())
}

/// The two-column (one column per actor) race diagram of a run, time downwards, as kernel
/// developers draw it in commit messages. Violations are marked where they fire.
pub fn diagram(run: &Run) -> String {
    let m = &run.model;
    let steps = run.steps_so_far();
    let mut cols: Vec<ActorId> = Vec::new();
    for s in steps {
        if !cols.contains(&s.actor) {
            cols.push(s.actor);
        }
    }
    cols.sort();
    if cols.is_empty() {
        return "(no steps)\n".into();
    }
    let cells: Vec<String> = steps
        .iter()
        .enumerate()
        .map(|(i, info)| {
            let before = run.state_at(i);
            let mut c = m.label(info, before);
            match (info.lock, info.branch) {
                (Some(crate::sim::LockOutcome::Queued), _) => c.push_str(" (waits)"),
                (Some(crate::sim::LockOutcome::TrylockFailed), _) => c.push_str(" -> fails"),
                (Some(crate::sim::LockOutcome::Killed), _) => c.push_str(" -> -EINTR"),
                (_, Some(b))
                    if matches!(
                        m.step_def(info.pc).op,
                        crate::program::Op::TestBit { .. }
                            | crate::program::Op::TestCurrentOomVictim { .. }
                    ) =>
                {
                    c.push_str(if b { " -> set" } else { " -> clear" })
                }
                _ => {}
            }
            if !info.granted.is_empty() {
                let g: Vec<String> = info.granted.iter().map(|a| a.to_string()).collect();
                c.push_str(&format!(" (wakes {})", g.join(",")));
            }
            c
        })
        .collect();
    let width = cells
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(10)
        .clamp(18, 44)
        + 2;
    let mut out = String::new();
    let head: Vec<String> = cols
        .iter()
        .map(|a| pad(&format!("{a}: {}", a.title()), width))
        .collect();
    out.push_str(head.join("").trim_end());
    out.push('\n');
    let rule: Vec<String> = cols
        .iter()
        .map(|_| pad(&"-".repeat(width - 2), width))
        .collect();
    out.push_str(rule.join("").trim_end());
    out.push('\n');
    for (i, info) in steps.iter().enumerate() {
        let col = cols
            .iter()
            .position(|a| *a == info.actor)
            .expect("actor has a column");
        let mut line = " ".repeat(col * width);
        line.push_str(&cells[i]);
        for v in &info.violations {
            line.push_str(&format!("   <-- {} {}", v.inv.id(), v.inv.name()));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let last = run.state();
    out.push_str(&format!(
        "\nfinal: mm_users={} mm_count={}{} flags=[{}] mm->mmap={}\n",
        last.mm.users,
        last.mm.count,
        if last.mm.freed { " (freed)" } else { "" },
        last.mm.flag_names().join(","),
        summarize(last).mmap
    ));
    out
}

fn pad(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n >= w {
        let t: String = s.chars().take(w - 1).collect();
        format!("{t} ")
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}
