//! Bad input never panics and is always rejected with a message: the schedule parser, the
//! trace importer and random stepping of every variant. At least 100,000 generated or mutated
//! inputs per decoder.

mod common;
use common::*;
use mmrace_core::policy::{Policy, SplitMix64};
use mmrace_core::run::Run;
use mmrace_core::schedule::Schedule;
use mmrace_core::trace::{import, to_json};
use mmrace_core::variant::VARIANTS;
use mmrace_core::{Invariant, ScenarioId};
use proptest::prelude::*;

const ALPHABET: &[u8] =
    b"VKRMGvkrmgx*:,() _-(ABLFH)mmap_read_trylockfree_pgtables{}[]\"0123456789\n\t\\\x7f";

fn random_text(rng: &mut SplitMix64, max: usize) -> String {
    let n = rng.below(max + 1);
    let bytes: Vec<u8> = (0..n)
        .map(|_| ALPHABET[rng.below(ALPHABET.len())])
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn mutate(rng: &mut SplitMix64, s: &str) -> String {
    let mut b = s.as_bytes().to_vec();
    for _ in 0..1 + rng.below(4) {
        if b.is_empty() {
            break;
        }
        let i = rng.below(b.len());
        match rng.below(4) {
            0 => {
                b.remove(i);
            }
            1 => b.insert(i, ALPHABET[rng.below(ALPHABET.len())]),
            2 => b[i] = ALPHABET[rng.below(ALPHABET.len())],
            _ => b.truncate(i),
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

#[test]
fn schedule_parser_survives_100k_generated_and_mutated_inputs() {
    let mut rng = SplitMix64::new(2022);
    let seeds = [
        "K* R:unmap_page_range(A) V:tlb_finish_mmu R:zap_pte_range(A)",
        "M:task_unlock V* M*",
        "V, K, R*",
    ];
    let mut rejected = 0;
    for i in 0..100_000 {
        let text = if i % 2 == 0 {
            random_text(&mut rng, 40)
        } else {
            mutate(&mut rng, seeds[i % seeds.len()])
        };
        match Schedule::parse(&text) {
            Ok(s) => {
                // Whatever parses also replays without panicking: success or a clear error.
                let mut r = Run::new(model("v5.16", ScenarioId::ProcReader));
                if let Err(e) = r.apply(&s) {
                    assert!(!e.message.is_empty());
                }
            }
            Err(e) => {
                rejected += 1;
                assert!(e.starts_with("schedule item"), "{text:?}: {e}");
            }
        }
    }
    assert!(rejected > 10_000);
}

#[test]
fn trace_import_survives_100k_mutated_traces() {
    let mut r = Run::new(model("v5.17-rc1", ScenarioId::UserKill));
    r.apply(&Schedule::parse("M:task_unlock V:mmap_read_lock").unwrap())
        .unwrap();
    let good = to_json(&r);
    let back = import(&good).unwrap();
    assert_eq!(back.choices(), r.choices());
    let mut rng = SplitMix64::new(17);
    let mut ok = 0;
    for i in 0..100_000 {
        let text = if i % 10 == 0 {
            random_text(&mut rng, 60)
        } else {
            mutate(&mut rng, &good)
        };
        match import(&text) {
            Ok(_) => ok += 1,
            Err(e) => assert!(!e.is_empty()),
        }
    }
    assert!(ok < 100_000);
}

#[test]
fn trace_import_rejects_with_clear_messages() {
    let mut r = Run::new(model("v5.17", ScenarioId::UserKill));
    r.apply(&Schedule::parse("M:task_unlock V* M*").unwrap())
        .unwrap();
    let good = to_json(&r);
    let cases = [
        ("hello", "not an mmrace trace (JSON error"),
        (
            &good.replacen("mmrace-trace", "other", 1)[..],
            "format is 'other'",
        ),
        (
            &good.replacen("\"version\": 1", "\"version\": 9", 1)[..],
            "version 9 is not supported",
        ),
        (
            &good.replacen("\"variant\": \"v5.17\"", "\"variant\": \"v9\"", 1)[..],
            "unknown variant 'v9'",
        ),
        (
            &good.replacen("\"choices\": \"M", "\"choices\": \"Q", 1)[..],
            "is not an actor",
        ),
        (
            &good.replacen("\"label\": \"mmgrab\"", "\"label\": \"mmap_read_lock\"", 1)[..],
            "the trace says M mmap_read_lock",
        ),
    ];
    for (text, want) in cases {
        let e = import(text).unwrap_err();
        assert!(e.contains(want), "{want}: {e}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random interleavings of every variant never panic; the real kernels never break
    /// refcount or lock sanity (S5, S6) or anything else; recorded choices replay exactly.
    #[test]
    fn random_schedules_never_panic(seed in any::<u64>(), vi in 0..VARIANTS.len(), si in 0..3usize) {
        let v = VARIANTS[vi].id;
        let sc = ScenarioId::ALL[si];
        let mut r = Run::new(model_with(v, sc, |o| { o.kill_mrelease = seed % 3 == 0; o.notifier_fails = seed % 5 == 0; }));
        r.autoplay(&mut Policy::random(seed), 10_000);
        prop_assert!(r.enabled().is_empty(), "runs end: every program terminates");
        let invs: Vec<Invariant> = r.violations().iter().map(|(_, v)| v.inv).collect();
        prop_assert!(!invs.contains(&Invariant::S5) && !invs.contains(&Invariant::S6) && !invs.contains(&Invariant::S3));
        if ["v5.16", "v5.17", "v6.1"].contains(&v) {
            prop_assert!(invs.is_empty(), "{} {:?} seed {}: {:?}", v, sc, seed, invs);
        }
        let mut again = Run::new(r.model.clone());
        for a in r.choices() { again.step(a).unwrap(); }
        prop_assert_eq!(again.state(), r.state());
    }
}
