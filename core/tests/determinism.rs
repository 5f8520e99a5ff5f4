//! Determinism: the same seed gives the same run, every time, and a recorded run replays.

mod common;
use common::*;
use mmrace_core::policy::{Policy, SplitMix64};
use mmrace_core::run::Run;
use mmrace_core::trace::{
    fingerprint, fnv1a, model_version_of_programs, seeded_fingerprint, MODEL_VERSION,
};
use mmrace_core::variant::VARIANTS;
use mmrace_core::ScenarioId;

#[test]
fn splitmix64_matches_its_reference_sequence() {
    // Reference values of SplitMix64 seeded with 1234567 (from the algorithm's published C code).
    let mut r = SplitMix64::new(1234567);
    assert_eq!(r.next_u64(), 6457827717110365317);
    assert_eq!(r.next_u64(), 3203168211198807973);
    assert_eq!(r.next_u64(), 9817491932198370423);
}

/// What a seeded run did, independent of citations and narration: its steps (actor and
/// label) and the violations each fired, hashed (FNV-1a, as the trace fingerprint).
fn behaviour(variant: &str, sc: ScenarioId, seed: u64) -> String {
    let mut run = Run::new(model(variant, sc));
    run.autoplay(&mut Policy::random(seed), 500);
    let mut text = String::new();
    for (i, info) in run.steps().iter().enumerate() {
        text.push_str(&format!("{} {}", info.actor, run.label(i)));
        for v in &info.violations {
            text.push_str(&format!(" {}", v.inv));
        }
        text.push('\n');
    }
    format!("{:016x}", fnv1a(text.as_bytes()))
}

const RECORDED: &str = "tests/determinism_fingerprints.txt";

/// Seed 42, 500 steps of the random policy, every variant and scenario: the same runs as
/// recorded in `determinism_fingerprints.txt`, in this process and any other (a pure function
/// called twice in one process could not tell). A change of the model's behaviour shows up
/// here; when it is intended, re-record with
/// `MMRACE_RECORD=1 cargo test -p mmrace-core --test determinism`.
#[test]
fn seeded_runs_match_their_recorded_fingerprints() {
    let mut got = String::new();
    for v in VARIANTS {
        for sc in ScenarioId::ALL {
            got.push_str(&format!(
                "{} {} {}\n",
                v.id,
                sc.id(),
                behaviour(v.id, sc, 42)
            ));
        }
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(RECORDED);
    if std::env::var_os("MMRACE_RECORD").is_some() {
        std::fs::write(&path, &got).unwrap();
        return;
    }
    let recorded = std::fs::read_to_string(&path).unwrap();
    for (want, have) in recorded.lines().zip(got.lines()) {
        assert_eq!(
            have, want,
            "a seeded run differs from its recorded fingerprint; if the model's behaviour was \
             meant to change, re-record: MMRACE_RECORD=1 cargo test -p mmrace-core --test determinism"
        );
    }
    assert_eq!(
        recorded.lines().count(),
        got.lines().count(),
        "variants or scenarios were added or removed; re-record (see above)"
    );
    // The trace fingerprint (what the browser test compares with `mmrace fingerprint`) is
    // stable within a process too.
    assert_eq!(
        seeded_fingerprint("v5.17-rc1", ScenarioId::UserKill, 42, 500),
        seeded_fingerprint("v5.17-rc1", ScenarioId::UserKill, 42, 500)
    );
}

#[test]
fn different_seeds_explore_different_interleavings() {
    let fps: std::collections::BTreeSet<String> = (0..20)
        .map(|seed| seeded_fingerprint("v5.16", ScenarioId::ProcReader, seed, 500).unwrap())
        .collect();
    assert!(
        fps.len() > 10,
        "only {} distinct runs out of 20 seeds",
        fps.len()
    );
}

#[test]
fn a_recorded_run_replays_step_for_step_from_its_choices_and_its_schedule() {
    for seed in 0..30 {
        let mut run = Run::new(model("b4-mrelease-mmgrab", ScenarioId::OomKill));
        run.autoplay(&mut Policy::random(seed), 10_000);
        let mut again = Run::new(model("b4-mrelease-mmgrab", ScenarioId::OomKill));
        for a in run.choices() {
            again.step(a).unwrap();
        }
        assert_eq!(fingerprint(&run), fingerprint(&again));
        let text = run.schedule().to_string();
        let replayed = common::run(model("b4-mrelease-mmgrab", ScenarioId::OomKill), &text);
        assert_eq!(replayed.choices(), run.choices(), "schedule {text}");
    }
}

#[test]
fn round_robin_is_fair_and_finishes() {
    let mut run = Run::new(model("v5.17", ScenarioId::ProcReader));
    let n = run.autoplay(&mut Policy::round_robin(), 10_000);
    assert!(
        n > 20
            && run
                .state()
                .actors
                .iter()
                .filter(|a| a.present)
                .all(|a| a.is_done()),
        "{n}"
    );
    // K holds task_lock(V) for its first steps, so only K can run; afterwards the turn passes.
    let c = run.choices();
    assert_eq!(&c[..3], &[mmrace_core::ActorId::K; 3]);
    for a in run.model.scenario.actors() {
        assert!(c.contains(&a), "{a} got a turn");
    }
    let k_done = c
        .iter()
        .position(|a| *a != mmrace_core::ActorId::K)
        .unwrap();
    assert_ne!(
        c[k_done],
        c[k_done + 1],
        "round-robin alternates once several can run"
    );
}

#[test]
fn step_back_and_jump_are_exact_and_cheap() {
    let mut run = Run::new(model("v5.16", ScenarioId::ProcReader));
    run.autoplay(&mut Policy::random(7), 10_000);
    let n = run.len();
    let end = *run.state();
    run.jump(3);
    let s3 = *run.state();
    run.back();
    run.forward();
    assert_eq!(*run.state(), s3);
    run.jump(n);
    assert_eq!(*run.state(), end);
    // Every program terminates, so one run is short (under 100 steps); history keeps every state.
    assert!(n < 100, "{n}");
}

#[test]
fn fnv1a_matches_its_reference_values() {
    assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
}

#[test]
fn the_model_version_constant_is_the_hash_of_the_programs() {
    let computed = model_version_of_programs();
    assert_eq!(
        MODEL_VERSION, computed,
        "the programs changed: set MODEL_VERSION in core/src/trace.rs to \"{computed}\""
    );
}
