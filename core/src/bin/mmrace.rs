//! `mmrace`: the model checker and stepper on the command line.
//!
//! Exit codes: 0 no violation, 1 violation found, 2 bad input (with a one-line message on
//! stderr saying what was wrong).

use clap::{Args, Parser, Subcommand, ValueEnum};
use mmrace_core::compare::compare;
use mmrace_core::explore::{Bounds, Explorer, Report, Status};
use mmrace_core::narrate::{explain_violation, sentence};
use mmrace_core::policy::Policy;
use mmrace_core::program::ProgId;
use mmrace_core::run::Run;
use mmrace_core::scenario::Kill;
use mmrace_core::schedule::Schedule;
use mmrace_core::tour;
use mmrace_core::trace;
use mmrace_core::variant::{Change, VARIANTS};
use mmrace_core::{edit, op_text};
use mmrace_core::{ActorId, Model, Options, Scenario, ScenarioId, Variant};
use serde_json::json;
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

/// `println!` for everything the CLI prints: when the reader has gone (`mmrace program … | head`)
/// the command stops quietly with status 0 instead of panicking on the closed pipe.
macro_rules! out {
    () => { out!("") };
    ($($arg:tt)*) => { emit(format_args!($($arg)*)) };
}

fn emit(line: std::fmt::Arguments) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_fmt(line)
        .and_then(|()| stdout.write_all(b"\n"))
    {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("mmrace: cannot write to stdout: {e}");
        std::process::exit(2);
    }
}

#[derive(Parser)]
#[command(
    name = "mmrace",
    version,
    about = "exit_mmap vs oom_reaper / process_mrelease: step it, check it"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Args, Clone)]
struct ScenarioArgs {
    /// Preset scenario: oom-kill, user-kill or proc-reader; --kill, --mrelease and --readers
    /// change its parts.
    #[arg(long, default_value = "oom-kill")]
    scenario: String,
    /// Who kills the victim: user (SIGKILL pending from the start), oom (the OOM killer, with
    /// the oom_reaper) or user,oom (both, racing).
    #[arg(long)]
    kill: Option<String>,
    /// How many process_mrelease callers: 0, 1 or 2.
    #[arg(long)]
    mrelease: Option<u8>,
    /// How many /proc readers holding mm_users: 0, 1 or 2.
    #[arg(long)]
    readers: Option<u8>,
    /// The mm's VMAs in vm_next order, from A (anon), L (mlocked), F (shared file), H (hugetlb).
    #[arg(long, default_value = "ALF")]
    vmas: String,
    /// An mmu notifier whose non-blocking start fails until mmu_notifier_release.
    #[arg(long)]
    notifier_fails: bool,
    /// process_mrelease may be killed while queued for mmap_lock (-EINTR).
    #[arg(long)]
    kill_mrelease: bool,
    /// Leave process_mrelease out of the scenario (the same as --mrelease 0).
    #[arg(long)]
    no_mrelease: bool,
    /// An edit list applied on top of --variant (a FILE, or - for stdin); on compare, to the
    /// second variant only, so `--variants X,X --edits F` compares X with its edited self.
    #[arg(long, value_name = "FILE")]
    edits: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum PolicyArg {
    RoundRobin,
    Random,
}

#[derive(Subcommand)]
enum Cmd {
    /// List the variants: ids, base, kernel version, commits, summary.
    Variants {
        #[arg(long)]
        json: bool,
        /// Print variant ID as an edit list against its base (`--edits` input).
        #[arg(long, value_name = "ID")]
        edits: Option<String>,
    },
    /// The step vocabulary of edit lists: every op the interpreter runs, one line of help each.
    Ops,
    /// Print a variant's programs: the step labels schedules use, and the changes vs its base.
    Program {
        #[arg(long)]
        variant: String,
        /// Only this actor's program (V, K, R, M, G); V also shows __mmput/exit_mmap and the walk.
        #[arg(long)]
        actor: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Explore every interleaving; print the verdict, the atlas and a minimal counterexample each.
    Check {
        #[arg(long)]
        variant: String,
        #[command(flatten)]
        sc: ScenarioArgs,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 5_000_000)]
        max_states: usize,
        #[arg(long, default_value_t = 10_000)]
        max_depth: usize,
        /// Store every state, not one per swap of identical actors (M1/M2, G1/G2).
        #[arg(long)]
        no_symmetry: bool,
        /// Expand every interleaving, without the partial-order reduction.
        #[arg(long)]
        no_reduction: bool,
    },
    /// Replay a schedule and print the narrated trace, violations and final state.
    Run {
        #[arg(long)]
        variant: String,
        #[command(flatten)]
        sc: ScenarioArgs,
        /// Items: V (one step), V:label (until that step ran), V* (until it blocks or ends).
        #[arg(long, default_value = "")]
        schedule: String,
        /// After the schedule, let a policy finish the run.
        #[arg(long, value_enum)]
        then: Option<PolicyArg>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 10_000)]
        max_steps: usize,
        /// Print the JSON trace (the documented, re-importable format).
        #[arg(long)]
        json: bool,
        /// Print the commit-message race diagram.
        #[arg(long)]
        diagram: bool,
    },
    /// Re-import a JSON trace file, replay it and print it.
    Replay {
        file: String,
        #[arg(long)]
        diagram: bool,
    },
    /// Run one schedule on two variants in lockstep and explain the first divergence.
    Compare {
        /// Two variant ids separated by a comma, e.g. v5.16,v5.17.
        #[arg(long)]
        variants: String,
        #[command(flatten)]
        sc: ScenarioArgs,
        #[arg(long)]
        schedule: String,
        #[arg(long)]
        json: bool,
    },
    /// Print the fingerprint of a seeded random run (the native half of the wasm determinism check).
    Fingerprint {
        #[arg(long)]
        variant: String,
        #[arg(long, default_value = "oom-kill")]
        scenario: String,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 10_000)]
        steps: usize,
    },
    /// List the guided tours: id, variant, comparison and every cue (--json: all of it).
    Tours {
        #[arg(long)]
        json: bool,
    },
    /// Explore every variant × scenario and print states, transitions, time and states/second.
    Bench {
        #[arg(long)]
        json: bool,
        /// Repeat each exploration this many times and report the best.
        #[arg(long, default_value_t = 3)]
        repeat: u32,
        /// Instead of the presets, explore the combinations with two identical actors (2 M,
        /// 2 G), with and without the symmetry reduction.
        #[arg(long)]
        symmetry: bool,
        /// With --symmetry: stop each exploration at this many states.
        #[arg(long, default_value_t = 5_000_000)]
        max_states: usize,
        /// Instead of the presets, explore every combination the scenario picker offers
        /// (kill × 0–2 process_mrelease callers × 0–2 /proc readers) on every variant: the
        /// slowest, and how many take over a second.
        #[arg(long, conflicts_with = "symmetry")]
        combinations: bool,
    },
}

type Res<T> = Result<T, String>;

fn scenario(a: &ScenarioArgs) -> Res<Scenario> {
    let mut sc = Scenario::new(ScenarioId::parse(&a.scenario)?);
    if let Some(k) = &a.kill {
        sc.kill = Kill::parse(k)?;
    }
    if a.no_mrelease && a.mrelease.is_some_and(|n| n > 0) {
        return Err("--no-mrelease contradicts --mrelease; use --mrelease 0".into());
    }
    let mrelease = if a.no_mrelease { Some(0) } else { a.mrelease };
    sc = Scenario {
        options: sc.options.clone(),
        ..Scenario::combination(
            sc.kill,
            mrelease.unwrap_or(sc.mrelease),
            a.readers.unwrap_or(sc.readers),
        )?
    };
    sc.options = Options {
        vmas: Options::parse_vmas(&a.vmas)?,
        notifier_fails: a.notifier_fails,
        kill_mrelease: a.kill_mrelease,
    };
    trace::validate_options(&sc.options)?;
    Ok(sc)
}

fn model(variant: &str, a: &ScenarioArgs) -> Res<Model> {
    let v = Variant::by_id(variant)?;
    let v = match &a.edits {
        Some(f) => edited(&v, f)?,
        None => v,
    };
    Ok(Model::new(v, scenario(a)?))
}

/// Reads an edit list (FILE or `-`) and applies it to `v`.
fn edited(v: &Variant, file: &str) -> Res<Variant> {
    let text = if file == "-" {
        let mut t = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut t)
            .map_err(|e| format!("cannot read the edit list from stdin: {e}"))?;
        t
    } else {
        std::fs::read_to_string(file).map_err(|e| format!("cannot read edit list {file}: {e}"))?
    };
    v.with_edits(&text).map_err(|e| e.to_string())
}

fn cmd_ops() -> Res<bool> {
    out!("Ops of an edit list (`insert before F:ID OP`, `replace F:ID with OP`).");
    out!("Targets: KEY=STEP_ID, KEY=(next) or KEY=(return); an omitted key is (next).\n");
    for s in op_text::VOCABULARY {
        let arg = match s.arg {
            op_text::Arg::None => "",
            op_text::Arg::Flag => "(MMF_…)",
            op_text::Arg::Pin => "(PIN)",
            op_text::Arg::Mask => "(VM_…|…)",
            op_text::Arg::Prog => "(PROG)",
        };
        let keys: Vec<String> = s.keys.iter().map(|k| format!("{k}=STEP")).collect();
        let head = format!("{}{arg} {}", s.name, keys.join(" "));
        out!(
            "{:44} {}{}",
            head.trim_end(),
            if s.local { "(local) " } else { "" },
            s.help
        );
    }
    Ok(false)
}

fn cmd_variants(json_out: bool, edits: Option<&str>) -> Res<bool> {
    if let Some(id) = edits {
        out!("{}", edit::variant_text(id)?.trim_end());
        return Ok(false);
    }
    if json_out {
        out!(
            "{}",
            serde_json::to_string_pretty(VARIANTS).map_err(|e| e.to_string())?
        );
        return Ok(false);
    }
    for v in VARIANTS {
        out!(
            "{:28} base {:10} {:?}\n    kernel: {}\n    commits: {}\n    {}\n",
            v.id,
            v.base.unwrap_or("-"),
            v.kind,
            v.kernel,
            if v.commits.is_empty() {
                "-".to_string()
            } else {
                v.commits.join(", ")
            },
            v.summary
        );
    }
    Ok(false)
}

fn progs_for(actor: Option<&str>) -> Res<Vec<ProgId>> {
    Ok(match actor {
        None => ProgId::ALL.to_vec(),
        Some(a) => {
            use mmrace_core::actor::Role;
            match ActorId::parse(a).map(|a| a.role()) {
                Some(Role::Victim) => vec![ProgId::ExitMm, ProgId::Mmput, ProgId::OomReapTaskMm],
                Some(Role::OomKiller) => vec![ProgId::OomKill],
                Some(Role::OomReaper) => vec![ProgId::OomReaper, ProgId::OomReapTaskMm],
                Some(Role::Mrelease) => vec![ProgId::ProcessMrelease, ProgId::OomReapTaskMm],
                Some(Role::ProcReader) => vec![ProgId::ProcReader, ProgId::Mmput],
                None => {
                    return Err(format!(
                        "unknown actor '{a}'; actors are V, K, R, M (M1, M2) and G (G1, G2)"
                    ))
                }
            }
        }
    })
}

fn cmd_program(variant_id: &str, actor: Option<&str>, json_out: bool) -> Res<bool> {
    let v = Variant::by_id(variant_id)?;
    let progs = progs_for(actor)?;
    if json_out {
        let out: Vec<_> = progs
            .iter()
            .map(|p| {
                json!({
                    "program": p.name(),
                    "steps": v.program(*p).steps.iter().map(|s| json!({
                        "id": s.id, "label": s.label, "code": s.code, "function": s.src.func,
                        "file": s.src.file, "since": s.src.since, "local": s.op.is_local(),
                        "source": v.source_url(&s.src),
                    })).collect::<Vec<_>>(),
                    "diff": v.diff(*p),
                })
            })
            .collect();
        out!(
            "{}",
            serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
        );
        return Ok(false);
    }
    out!("{} — {}\n", v.info.id, v.info.title);
    let base = v.base();
    for p in progs {
        out!("== {} ==", p.name());
        let prog = v.program(p);
        for line in v.diff_with(base.as_ref(), p) {
            let (mark, step) = match (line.change, line.this, line.base) {
                (Change::Removed, _, Some(b)) => (
                    '-',
                    &base
                        .as_ref()
                        .expect("removed implies base")
                        .program(p)
                        .steps[b],
                ),
                (c, Some(t), _) => (
                    match c {
                        Change::Same => ' ',
                        Change::Added => '+',
                        Change::Changed => '~',
                        Change::Moved => '>',
                        Change::Removed => '-',
                    },
                    &prog.steps[t],
                ),
                _ => continue,
            };
            if step.code.is_empty() {
                continue;
            }
            let label = if step.op.is_local() {
                format!("({})", step.label)
            } else {
                step.label.to_string()
            };
            out!(
                "{mark} {:30} {}{}",
                label,
                "  ".repeat(step.indent as usize),
                step.code
            );
        }
        out!();
    }
    out!("legend: + added, - removed, ~ changed, > moved vs {}; (label) = local step, not a scheduling point", v.info.base.unwrap_or("nothing"));
    Ok(false)
}

fn report_json(r: &Report, secs: f64) -> serde_json::Value {
    json!({
        "variant": r.variant, "scenario": r.scenario, "status": r.status,
        "verdict": if r.is_safe() { "safe" } else { "violation" },
        "states": r.states, "transitions": r.transitions, "max_depth": r.max_depth,
        "final_states": r.final_states, "deadlocks": r.deadlocks, "deadlock_schedule": r.deadlock_schedule,
        "bytes_per_state": r.bytes_per_state, "seconds": secs, "bound_hit": r.bound_hit,
        "symmetry": r.symmetry, "reduction": r.reduction, "reduced_states": r.reduced_states,
        "violated": r.violated().iter().map(|i| i.id()).collect::<Vec<_>>(),
        "shortest": r.violated().iter().map(|i| {
            let o = r.shortest(*i).expect("violated invariant has an outcome");
            json!({"invariant": i.id(), "name": i.name(), "at": o.at, "steps": o.steps, "schedule": o.schedule})
        }).collect::<Vec<_>>(),
        "atlas": r.outcomes,
    })
}

fn cmd_check(m: Model, bounds: Bounds, json_out: bool) -> Res<bool> {
    let edits = m.variant.edits.clone();
    let t = Instant::now();
    let mut e = Explorer::new(m, bounds);
    e.run(u64::MAX);
    let r = e.report();
    let secs = t.elapsed().as_secs_f64();
    let bad = !r.outcomes.is_empty() || r.deadlocks > 0;
    if json_out {
        out!(
            "{}",
            serde_json::to_string_pretty(&report_json(&r, secs)).map_err(|e| e.to_string())?
        );
        return Ok(bad);
    }
    out!("variant {} · scenario {}", r.variant, r.scenario);
    if !r.symmetry.is_empty() {
        out!(
            "symmetry reduction: states equal up to swapping {} are stored once (--no-symmetry to turn it off)",
            r.symmetry.join(" and ")
        );
    }
    if r.reduction {
        out!(
            "partial-order reduction: {} states expanded through only the steps of a set of actors independent of the rest; counts are of the reduced graph (--no-reduction to turn it off)",
            r.reduced_states
        );
    }
    if let Some(e) = &edits {
        out!(
            "with the edit list ({} edits)",
            e.lines().filter(|l| edit::has_edits(l)).count()
        );
    }
    out!(
        "{} states, {} transitions, max depth {}, {} final states, {} deadlocks, {} bytes/state, {:.3} s ({:.0} states/s)",
        r.states, r.transitions, r.max_depth, r.final_states, r.deadlocks, r.bytes_per_state, secs,
        r.states as f64 / secs.max(1e-9)
    );
    if r.status == Status::Incomplete {
        out!(
            "INCOMPLETE: stopped at {}; the verdict covers only the states explored",
            r.bound_hit.clone().unwrap_or_default()
        );
    }
    if !bad {
        out!("verdict: SAFE — 0 violations in {} states", r.states);
        return Ok(false);
    }
    out!(
        "verdict: VIOLATION — {}",
        r.violated()
            .iter()
            .map(|i| format!("{} ({})", i.id(), i.name()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    out!("\natlas (invariant · where it fires · transitions · states · shortest steps):");
    for o in &r.outcomes {
        out!(
            "  {} · {:32} · {:6} · {:6} · {}",
            o.inv,
            o.at,
            o.transitions,
            o.states,
            o.steps
        );
    }
    out!("\nminimal counterexamples (replay with `mmrace run --schedule ...`):");
    for i in r.violated() {
        let o = r.shortest(i).expect("violated invariant has an outcome");
        out!(
            "  {} {} at {} ({} steps):\n    {}",
            i.id(),
            i.name(),
            o.at,
            o.steps,
            o.schedule
        );
    }
    if let Some(d) = &r.deadlock_schedule {
        out!("  deadlock: {d}");
    }
    Ok(true)
}

fn print_run(run: &Run, json_out: bool, diagram: bool) -> Res<bool> {
    let bad = !run.violations().is_empty();
    if json_out {
        out!("{}", trace::to_json(run));
        return Ok(bad);
    }
    let m = &run.model;
    out!(
        "variant {} · scenario {} · {} steps\n",
        m.variant.info.id,
        m.scenario.name(),
        run.len()
    );
    for (i, info) in run.steps().iter().enumerate() {
        out!(
            "{:4}  {}",
            i + 1,
            sentence(m, run.state_at(i), info, run.state_at(i + 1))
        );
    }
    if diagram {
        out!("\n{}", trace::diagram(run));
    }
    let vs = run.violations();
    if vs.is_empty() {
        out!("\nno violation");
    } else {
        out!("\nviolations:");
        let mut shown: Vec<(mmrace_core::Invariant, ActorId)> = Vec::new();
        for (i, v) in &vs {
            if shown.contains(&(v.inv, v.actor)) {
                continue;
            }
            shown.push((v.inv, v.actor));
            out!(
                "  {}",
                explain_violation(m, run.befores(), run.steps(), *i, v)
            );
            let again: Vec<String> = vs
                .iter()
                .filter(|(j, w)| j > i && w.inv == v.inv && w.actor == v.actor)
                .map(|(j, _)| (j + 1).to_string())
                .collect();
            if !again.is_empty() {
                out!(
                    "    … and {} again by {} at steps {}",
                    v.inv.id(),
                    v.actor,
                    again.join(", ")
                );
            }
        }
    }
    let s = trace::summarize(run.state());
    out!(
        "\nfinal state: mm_users={} mm_count={}{} flags=[{}] mm->mmap={} mmap_lock: {}",
        s.mm_users,
        s.mm_count,
        if s.mm_freed { " (mm freed)" } else { "" },
        s.flags.join(","),
        s.mmap,
        s.mmap_lock
    );
    for v in &s.vmas {
        out!(
            "  VMA {} [{}]: page tables {}, pages {}, {}{}",
            v.name,
            v.vm_flags,
            v.page_tables,
            if v.mapped { "mapped" } else { "unmapped" },
            if v.live { "live" } else { "FREED" },
            if v.munlock_busy {
                ", munlock in progress"
            } else {
                ""
            }
        );
    }
    for a in ActorId::ALL {
        let act = run.state().actor(a);
        if act.present {
            let status = match m.blocked(run.state(), a) {
                None => "can step".to_string(),
                Some(b) => m.why_blocked(run.state(), a, b),
            };
            out!(
                "  {a}: {status}{}",
                act.errno
                    .map_or(String::new(), |e| format!(" (ret {})", e.name()))
            );
        }
    }
    Ok(bad)
}

fn cmd_run(
    m: Model,
    schedule: &str,
    then: Option<PolicyArg>,
    seed: u64,
    max_steps: usize,
    json_out: bool,
    diagram: bool,
) -> Res<bool> {
    let sched = Schedule::parse(schedule)?;
    let mut run = Run::new(m);
    run.apply(&sched).map_err(|e| e.message)?;
    if let Some(p) = then {
        let mut policy = match p {
            PolicyArg::RoundRobin => Policy::round_robin(),
            PolicyArg::Random => Policy::random(seed),
        };
        while run.len() < max_steps {
            let Some(a) = policy.choose(&run.enabled()) else {
                break;
            };
            run.step(a).map_err(|e| e.message)?;
        }
    }
    print_run(&run, json_out, diagram)
}

fn cmd_compare(variants: &str, sc: &ScenarioArgs, schedule: &str, json_out: bool) -> Res<bool> {
    let ids: Vec<&str> = variants.split(',').map(str::trim).collect();
    if ids.len() != 2 {
        return Err(format!(
            "--variants takes two ids separated by a comma, got '{variants}'"
        ));
    }
    let sched = Schedule::parse(schedule)?;
    let plain = ScenarioArgs {
        edits: None,
        ..sc.clone()
    };
    let c = compare(model(ids[0], &plain)?, model(ids[1], sc)?, &sched);
    let bad = !c.a.violations().is_empty() || !c.b.violations().is_empty();
    if json_out {
        let side = |r: &Run| {
            json!({
                "variant": r.model.variant.info.id, "steps": r.len(),
                "violations": r.violations().iter().map(|(i, v)| json!({"step": i + 1, "invariant": v.inv.id()})).collect::<Vec<_>>(),
            })
        };
        out!("{}", serde_json::to_string_pretty(&json!({
            "a": side(&c.a), "b": side(&c.b),
            "errors": c.errors.iter().map(|e| e.as_ref().map(|e| e.message.clone())).collect::<Vec<_>>(),
            "divergence": c.divergence,
        })).map_err(|e| e.to_string())?);
        return Ok(bad);
    }
    let w = 60;
    let b_name = if c.b.model.variant.edits.is_some() {
        format!("{} + edits", ids[1])
    } else {
        ids[1].to_string()
    };
    out!("{:w$} | {}", ids[0], b_name);
    out!("{}", "-".repeat(2 * w + 3));
    for (r, row) in c.rows.iter().enumerate() {
        let cell = |run: &Run, i: Option<usize>| {
            i.map_or(String::new(), |i| {
                let mut t = format!("{} {}", run.steps()[i].actor, run.label(i));
                for v in &run.steps()[i].violations {
                    t.push_str(&format!(" <-- {}", v.inv.id()));
                }
                t
            })
        };
        let mark = if c.divergence.as_ref().is_some_and(|d| d.row == r) {
            "  <== first divergence"
        } else {
            ""
        };
        out!("{:w$} | {}{mark}", cell(&c.a, row.a), cell(&c.b, row.b));
    }
    for (side, e) in c.errors.iter().enumerate() {
        if let Some(e) = e {
            out!("{} stopped: {}", ids[side], e.message);
        }
    }
    match &c.divergence {
        Some(d) => out!("\n{}", d.explanation),
        None => out!("\nno divergence: both variants take the same steps"),
    }
    for (id, run) in [(ids[0], &c.a), (ids[1], &c.b)] {
        let v = run.violations();
        out!(
            "{id}: {}",
            if v.is_empty() {
                "no violation".to_string()
            } else {
                v.iter()
                    .map(|(i, x)| format!("{} at step {}", x.inv.id(), i + 1))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
    }
    Ok(bad)
}

/// Explores `model` to the end `repeat` times (at least once): the best wall time in seconds
/// and the last report.
fn best_of(repeat: u32, model: impl Fn() -> Res<Model>, bounds: Bounds) -> Res<(f64, Report)> {
    let mut best = f64::MAX;
    let mut rep = None;
    for _ in 0..repeat.max(1) {
        let m = model()?;
        let t = Instant::now();
        let mut e = Explorer::new(m, bounds);
        e.run(u64::MAX);
        best = best.min(t.elapsed().as_secs_f64());
        rep = Some(e.report());
    }
    Ok((best, rep.expect("at least one repetition")))
}

fn print_json_rows(rows: &[serde_json::Value]) -> Res<()> {
    out!(
        "{}",
        serde_json::to_string_pretty(rows).map_err(|e| e.to_string())?
    );
    Ok(())
}

fn cmd_bench(json_out: bool, repeat: u32) -> Res<bool> {
    let mut rows = Vec::new();
    let (mut tot_states, mut tot_secs) = (0u64, 0f64);
    for v in VARIANTS {
        for sc in ScenarioId::ALL {
            let model = || Ok(Model::new(Variant::by_id(v.id)?, Scenario::new(sc)));
            let (best, r) = best_of(repeat, model, Bounds::default())?;
            tot_states += r.states;
            tot_secs += best;
            if !json_out {
                out!(
                    "{:28} {:12} {:>9} states {:>10} transitions {:>8.1} ms {:>12.0} states/s {:>12.0} transitions/s  {}",
                    v.id, sc.id(), r.states, r.transitions, best * 1e3, r.states as f64 / best, r.transitions as f64 / best,
                    if r.outcomes.is_empty() { "safe".to_string() } else { r.violated().iter().map(|i| i.id()).collect::<Vec<_>>().join(",") }
                );
            }
            rows.push(json!({"variant": v.id, "scenario": sc.id(), "states": r.states, "transitions": r.transitions,
                "seconds": best, "states_per_second": r.states as f64 / best, "bytes_per_state": r.bytes_per_state}));
        }
    }
    if json_out {
        print_json_rows(&rows)?;
    } else {
        out!(
            "total: {tot_states} states in {:.3} s = {:.0} states/s (best of {repeat})",
            tot_secs,
            tot_states as f64 / tot_secs
        );
    }
    Ok(false)
}

/// Every (variant, combination) explored once per repetition, best time kept; lists those
/// over half a second and sums up.
fn cmd_bench_combinations(json_out: bool, repeat: u32) -> Res<bool> {
    let mut rows = Vec::new();
    let (mut total, mut over, mut slowest) = (0f64, 0, (0f64, String::new()));
    for v in VARIANTS {
        for kill in Kill::ALL {
            for (mr, rd) in (0..=2).flat_map(|m| (0..=2).map(move |r| (m, r))) {
                let sc = Scenario::combination(kill, mr, rd)?;
                let model = || Ok(Model::new(Variant::by_id(v.id)?, sc.clone()));
                let (best, r) = best_of(repeat, model, Bounds::default())?;
                let states = r.states;
                let what = format!("{} {}", v.id, sc.name());
                total += best;
                over += usize::from(best > 1.0);
                if best > slowest.0 {
                    slowest = (best, what.clone());
                }
                if !json_out && best > 0.5 {
                    out!("{what:64} {states:>9} states {:>8.3} s", best);
                }
                rows.push(json!({"variant": v.id, "scenario": sc.name(), "states": states, "seconds": best}));
            }
        }
    }
    if json_out {
        print_json_rows(&rows)?;
    } else {
        out!(
            "{} combinations in {total:.1} s (best of {repeat} each); {over} over 1 s; slowest {}: {:.3} s",
            rows.len(),
            slowest.1,
            slowest.0
        );
    }
    Ok(false)
}

/// The combinations with two identical actors that `bench --symmetry` measures.
const SYMMETRY_BENCH: [(Kill, u8, u8); 3] =
    [(Kill::User, 2, 0), (Kill::Oom, 2, 0), (Kill::Oom, 1, 2)];

fn cmd_bench_symmetry(json_out: bool, repeat: u32, max_states: usize) -> Res<bool> {
    let mut rows = Vec::new();
    for v in VARIANTS {
        for (kill, mr, rd) in SYMMETRY_BENCH {
            let sc = Scenario::combination(kill, mr, rd)?;
            let mut line = Vec::new();
            for symmetry in [true, false] {
                let model = || Ok(Model::new(Variant::by_id(v.id)?, sc.clone()));
                let bounds = Bounds {
                    max_states,
                    symmetry,
                    ..Bounds::default()
                };
                let (best, r) = best_of(repeat, model, bounds)?;
                let verdict = if r.is_safe() {
                    "safe".to_string()
                } else {
                    r.violated()
                        .iter()
                        .map(|i| i.id())
                        .collect::<Vec<_>>()
                        .join(",")
                };
                line.push(format!(
                    "{:>9}{} states {:>8.1} ms {}",
                    r.states,
                    if r.status == Status::Incomplete {
                        "+"
                    } else {
                        " "
                    },
                    best * 1e3,
                    verdict
                ));
                rows.push(
                    json!({"variant": v.id, "scenario": sc.name(), "symmetry": symmetry,
                    "complete": r.status == Status::Complete, "states": r.states,
                    "transitions": r.transitions, "seconds": best, "verdict": verdict}),
                );
            }
            if !json_out {
                out!(
                    "{:28} {:36} with: {}   without: {}",
                    v.id,
                    sc.name(),
                    line[0],
                    line[1]
                );
            }
        }
    }
    if json_out {
        print_json_rows(&rows)?;
    } else {
        out!("('+': stopped at --max-states {max_states})");
    }
    Ok(false)
}

fn cmd_tours(json_out: bool) -> Res<bool> {
    if json_out {
        out!(
            "{}",
            serde_json::to_string_pretty(&tour::tours_json()).map_err(|e| e.to_string())?
        );
        return Ok(false);
    }
    for t in tour::TOURS {
        out!(
            "{:20} {} (on {}{})",
            t.id,
            t.title,
            t.variant,
            t.compare
                .map(|c| format!(", compared with {c}"))
                .unwrap_or_default()
        );
        for (i, c) in t.cues.iter().enumerate() {
            out!("  {:2}. {:40} {}", i + 1, c.schedule, c.caption);
        }
    }
    Ok(false)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.cmd {
        Cmd::Variants { json, edits } => cmd_variants(*json, edits.as_deref()),
        Cmd::Ops => cmd_ops(),
        Cmd::Program {
            variant,
            actor,
            json,
        } => cmd_program(variant, actor.as_deref(), *json),
        Cmd::Check {
            variant,
            sc,
            json,
            max_states,
            max_depth,
            no_symmetry,
            no_reduction,
        } => model(variant, sc).and_then(|m| {
            cmd_check(
                m,
                Bounds {
                    max_states: *max_states,
                    max_depth: *max_depth,
                    symmetry: !*no_symmetry,
                    reduction: !*no_reduction,
                },
                *json,
            )
        }),
        Cmd::Run {
            variant,
            sc,
            schedule,
            then,
            seed,
            max_steps,
            json,
            diagram,
        } => model(variant, sc)
            .and_then(|m| cmd_run(m, schedule, *then, *seed, *max_steps, *json, *diagram)),
        Cmd::Replay { file, diagram } => std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {file}: {e}"))
            .and_then(|t| trace::import(&t))
            .and_then(|run| print_run(&run, false, *diagram)),
        Cmd::Compare {
            variants,
            sc,
            schedule,
            json,
        } => cmd_compare(variants, sc, schedule, *json),
        Cmd::Bench {
            json,
            repeat,
            combinations: true,
            ..
        } => cmd_bench_combinations(*json, *repeat),
        Cmd::Bench {
            json,
            repeat,
            symmetry: false,
            ..
        } => cmd_bench(*json, *repeat),
        Cmd::Bench {
            json,
            repeat,
            max_states,
            ..
        } => cmd_bench_symmetry(*json, *repeat, *max_states),
        Cmd::Tours { json } => cmd_tours(*json),
        Cmd::Fingerprint {
            variant,
            scenario,
            seed,
            steps,
        } => ScenarioId::parse(scenario)
            .and_then(|sc| trace::seeded_fingerprint(variant, sc, *seed, *steps))
            .map(|f| {
                out!("{f}");
                false
            }),
    };
    match result {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(1),
        Err(e) => {
            eprintln!("mmrace: {e}");
            ExitCode::from(2)
        }
    }
}

/// The command line under generated arguments: clap's parser and the input checks every
/// command starts with (variant, scenario and options, schedule, actor), without running the
/// commands. No panic, and every rejection carries a message. The default test run tries
/// 2,000 argument lists; `cargo test --release -p mmrace-core -- --ignored fuzz` a million.
#[cfg(test)]
mod fuzz {
    use super::*;
    use mmrace_core::policy::SplitMix64;

    const COMMANDS: &[&str] = &[
        "variants",
        "program",
        "check",
        "run",
        "replay",
        "compare",
        "fingerprint",
        "tours",
        "bench",
    ];
    const FLAGS: &[&str] = &[
        "--variant",
        "--variant",
        "--scenario",
        "--schedule",
        "--actor",
        "--variants",
        "--vmas",
        "--then",
        "--seed",
        "--steps",
        "--max-steps",
        "--max-states",
        "--max-depth",
        "--repeat",
        "--json",
        "--diagram",
        "--notifier-fails",
        "--kill-mrelease",
        "--no-mrelease",
        "--help",
        "-h",
        "--version",
        "--",
        "--bogus",
    ];
    const VALUES: &[&str] = &[
        "v5.16",
        "v5.17-rc1",
        "v6.1",
        "b4-mrelease-mmgrab",
        "v5.16,v5.17",
        "v5.16,nope",
        "oom-kill",
        "user-kill",
        "proc-reader",
        "ALF",
        "ALFH",
        "AAAAA",
        "Z",
        "",
        "V",
        "K",
        "R",
        "M",
        "G",
        "Q",
        "K* V:mmap_write_lock",
        "V:no_such_step",
        "M:task_unlock V*",
        "round-robin",
        "random",
        "0",
        "-1",
        "3",
        "99999999999999999999",
        "é",
        "=",
        "trace.json",
    ];

    /// A command, then flags each with a value most of the time; one word in twenty reversed.
    fn args(rng: &mut SplitMix64) -> Vec<String> {
        let mut a = vec!["mmrace".to_string()];
        if rng.below(20) != 0 {
            a.push(COMMANDS[rng.below(COMMANDS.len())].to_string());
        }
        for _ in 0..rng.below(6) {
            a.push(FLAGS[rng.below(FLAGS.len())].to_string());
            if rng.below(5) != 0 {
                a.push(VALUES[rng.below(VALUES.len())].to_string());
            }
        }
        for w in a.iter_mut().skip(1) {
            if rng.below(20) == 0 {
                *w = w.chars().rev().collect();
            }
        }
        a
    }

    /// The input checks each command makes before it runs.
    fn resolve(cmd: &Cmd) -> Res<()> {
        match cmd {
            Cmd::Program { variant, actor, .. } => {
                Variant::by_id(variant)?;
                progs_for(actor.as_deref())?;
            }
            Cmd::Check { variant, sc, .. } => drop(model(variant, sc)?),
            Cmd::Run {
                variant,
                sc,
                schedule,
                ..
            } => {
                model(variant, sc)?;
                Schedule::parse(schedule)?;
            }
            Cmd::Compare {
                variants,
                sc,
                schedule,
                ..
            } => {
                for v in variants.split(',') {
                    model(v, sc)?;
                }
                Schedule::parse(schedule)?;
            }
            Cmd::Fingerprint {
                variant, scenario, ..
            } => {
                Variant::by_id(variant)?;
                ScenarioId::parse(scenario)?;
            }
            Cmd::Variants { .. }
            | Cmd::Replay { .. }
            | Cmd::Tours { .. }
            | Cmd::Bench { .. }
            | Cmd::Ops => {}
        }
        Ok(())
    }

    fn fuzz_cli(n: usize) -> (usize, usize) {
        let mut rng = SplitMix64::new(5);
        let (mut parsed, mut rejected) = (0, 0);
        for _ in 0..n {
            let args = args(&mut rng);
            match Cli::try_parse_from(&args) {
                Err(e) => {
                    assert!(!e.to_string().trim().is_empty(), "{args:?}");
                    rejected += 1;
                }
                Ok(cli) => {
                    parsed += 1;
                    if let Err(e) = resolve(&cli.cmd) {
                        assert!(!e.trim().is_empty(), "{args:?}");
                        rejected += 1;
                    }
                }
            }
        }
        (parsed, rejected)
    }

    #[test]
    fn fuzz_cli_small() {
        let (parsed, rejected) = fuzz_cli(20_000);
        assert!(
            parsed > 500 && rejected > 5_000,
            "{parsed} parsed, {rejected} rejected"
        );
    }

    #[test]
    #[ignore = "a million inputs: cargo test --release -p mmrace-core -- --ignored fuzz"]
    fn fuzz_cli_full() {
        let t = Instant::now();
        let (parsed, rejected) = fuzz_cli(1_000_000);
        eprintln!(
            "cli: 1000000 inputs, {parsed} parsed, {rejected} rejected, {:.1?}",
            t.elapsed()
        );
    }
}
