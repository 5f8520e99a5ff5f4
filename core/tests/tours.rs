//! Every guided tour's cue lands on the state it promises, on both variants it shows: every cue
//! promises something on the comparison variant, and a comparison that stops short of a cue
//! must be explained by its promise (queued, returned).

use mmrace_core::run::Run;
use mmrace_core::tour::{apply_cue, apply_other, check, Expect, TOURS};

#[test]
fn every_cue_lands_where_it_promises() {
    assert!(TOURS.len() >= 6);
    for t in TOURS {
        let mut main = Run::new(t.model(t.variant).unwrap());
        let mut other = t.compare.map(|v| Run::new(t.model(v).unwrap()));
        for (i, c) in t.cues.iter().enumerate() {
            apply_cue(&mut main, c).unwrap_or_else(|e| panic!("{} cue {}: {e}", t.id, i + 1));
            check(&main, c.expect).unwrap_or_else(|e| panic!("{} cue {}: {e}", t.id, i + 1));
            if let Some(o) = other.as_mut() {
                // The comparison side may stop short only where its promise says why.
                apply_other(o, c)
                    .unwrap_or_else(|e| panic!("{} cue {} (compare): {e}", t.id, i + 1));
            } else {
                assert_eq!(
                    c.expect_other,
                    Expect::Nothing,
                    "{}: nothing to compare",
                    t.id
                );
            }
            assert!(!c.caption.is_empty());
        }
        let last = t.cues.last().unwrap();
        assert!(
            last.expect != Expect::Nothing,
            "{}: the last cue promises something",
            t.id
        );
    }
}

#[test]
fn a_comparison_that_stops_or_breaks_its_promise_fails() {
    use mmrace_core::actor::ActorId;
    use mmrace_core::tour::Cue;
    let t = mmrace_core::tour::find("barrier-2017").unwrap();
    let fresh = || {
        let mut o = Run::new(t.model("v5.16").unwrap());
        for c in &t.cues[..2] {
            apply_other(&mut o, c).unwrap();
        }
        o
    };
    let cue = |expect_other| Cue {
        expect_other,
        ..t.cues[2]
    };
    // On v5.16, V queues behind the reaper and cannot reach unmap_vmas(F).
    assert!(apply_other(&mut fresh(), &cue(Expect::Queued(ActorId::V))).is_ok());
    let e = apply_other(&mut fresh(), &cue(Expect::Clean)).unwrap_err();
    assert!(e.contains("cannot follow"), "{e}");
    assert!(apply_other(&mut fresh(), &cue(Expect::Queued(ActorId::R))).is_err());
    assert!(apply_other(&mut fresh(), &cue(Expect::Nothing)).is_err());
}

#[test]
fn the_tours_export_carries_every_cue_and_promise() {
    let j = mmrace_core::tour::tours_json();
    let tours = j.as_array().unwrap();
    assert_eq!(tours.len(), TOURS.len());
    for (t, e) in TOURS.iter().zip(tours) {
        assert_eq!(e["id"], t.id);
        assert_eq!(e["variant"], t.variant);
        assert_eq!(e["compare"].as_str(), t.compare);
        let cues = e["cues"].as_array().unwrap();
        assert_eq!(cues.len(), t.cues.len());
        for (c, ce) in t.cues.iter().zip(cues) {
            assert_eq!(ce["caption"], c.caption);
            assert_eq!(ce["schedule"], c.schedule);
        }
    }
    let kinds = |e: Expect| e.to_json();
    assert_eq!(
        kinds(Expect::Fires(mmrace_core::Invariant::S1)),
        serde_json::json!({"kind": "Fires", "invariant": "S1"})
    );
    assert_eq!(
        kinds(Expect::FlagSet(mmrace_core::mm::MmFlag::OomSkip)),
        serde_json::json!({"kind": "FlagSet", "flag": "MMF_OOM_SKIP"})
    );
    assert_eq!(
        kinds(Expect::ExitMmapIn(mmrace_core::ActorId::M)),
        serde_json::json!({"kind": "ExitMmapIn", "actor": "M"})
    );
    assert_eq!(
        kinds(Expect::TrylockFailed),
        serde_json::json!({"kind": "TrylockFailed"})
    );
}
