//! Old permalinks (format version 1) and old traces (version 1), made before scenarios were
//! combinations, still open and replay to the same story; the presets stand for the three old
//! scenarios. The traces in `fixtures/` were written by the v1 model (`mmrace run --json` at
//! 4b2e6fb).

use mmrace_core::link::{decode, encode, link_for, load};
use mmrace_core::policy::Policy;
use mmrace_core::run::Run;
use mmrace_core::scenario::Kill;
use mmrace_core::trace::{export, import, to_json};
use mmrace_core::ActorId::{G1, G2, K, M1, M2, R, V};
use mmrace_core::{Invariant, Scenario, ScenarioId};
use std::collections::BTreeMap;

#[test]
fn v1_links_open_the_same_view() {
    // The README's example link and the embed test's, as version 1 wrote them.
    for (frag, sc, steps, at, inv) in [
        (
            "#v=1&m=32a1a0a3&variant=v5.17-rc1&sc=user-kill&s=M4V27M5&at=32",
            ScenarioId::UserKill,
            36,
            32,
            Some(Invariant::S2),
        ),
        (
            "#v=1&m=32a1a0a3&variant=b4-mrelease-mmgrab&sc=user-kill&s=M5V16M5V4M&at=29&embed=1",
            ScenarioId::UserKill,
            31,
            29,
            Some(Invariant::S1),
        ),
        (
            "#v=1&m=32a1a0a3&variant=v5.16&sc=proc-reader&opt=x&s=K8G2R2V22",
            ScenarioId::ProcReader,
            34,
            34,
            None,
        ),
    ] {
        let d = decode(frag);
        let (run, notices) = load(&d);
        assert!(
            notices.iter().all(|n| n.contains("model version")),
            "{frag}: {notices:?}"
        );
        let want = if frag.contains("opt=x") {
            Scenario {
                mrelease: 0,
                ..Scenario::new(sc)
            }
        } else {
            Scenario::new(sc)
        };
        assert_eq!(run.model.scenario, want, "{frag}");
        assert_eq!((run.len(), run.pos()), (steps, at), "{frag}");
        let mut end = run.clone();
        end.jump(end.len());
        let found = end
            .violations()
            .iter()
            .map(|(_, v)| v.inv)
            .find(|i| !i.is_warning());
        assert_eq!(found, inv, "{frag}");
        // Re-encoded, it is a version 2 link naming the preset, and the same run.
        let again = encode(&link_for(&run, BTreeMap::new()));
        assert!(again.starts_with("v=2&"), "{again}");
        assert!(
            again.contains(&format!("&sc={}", sc.id())) || again.contains("&kill="),
            "{again}"
        );
        assert_eq!(load(&decode(&again)).0.choices(), run.choices());
    }
}

#[test]
fn v1_links_read_choice_letters_as_the_first_of_a_kind() {
    let d = decode("v=1&variant=v5.17&sc=proc-reader&s=MG");
    assert_eq!(d.link.choices, vec![M1, G1]);
    // Lower case was never written by version 1 and is refused there…
    let d = decode("v=1&variant=v5.17&sc=proc-reader&s=mg");
    assert!(d.link.choices.is_empty() && d.notices.iter().any(|n| n.contains("not an actor")));
    // …and means the second of a kind in version 2.
    let d = decode("v=2&variant=v5.17&kill=oom&mr=2&rd=2&s=mg");
    assert_eq!(d.link.choices, vec![M2, G2]);
    assert!(d.notices.is_empty(), "{:?}", d.notices);
}

#[test]
fn v2_links_carry_a_combination_and_numbered_actors() {
    let mut sc = Scenario::combination(Kill::UserOom, 2, 2).unwrap();
    sc.options.kill_mrelease = true;
    let m = mmrace_core::Model::new(mmrace_core::Variant::by_id("v5.17").unwrap(), sc.clone());
    let mut run = Run::new(m);
    run.autoplay(&mut Policy::random(11), 10_000);
    assert!(run.choices().contains(&M2) && run.choices().contains(&G2));
    let frag = encode(&link_for(&run, BTreeMap::new()));
    assert!(frag.contains("&kill=user,oom&mr=2&rd=2&"), "{frag}");
    assert!(frag.contains('m') && frag.contains("opt=k"), "{frag}");
    let d = decode(&frag);
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    assert_eq!(d.link.scenario, sc);
    let (back, notices) = load(&d);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(back.choices(), run.choices());
    assert_eq!(back.state(), run.state());
}

#[test]
fn bad_combination_fields_are_notices() {
    let d = decode("v=2&variant=v5.17&kill=nobody&mr=3&rd=x");
    let n = d.notices.join(" | ");
    for want in [
        "unknown kill 'nobody'",
        "bad process_mrelease count '3'",
        "bad /proc reader count 'x'",
    ] {
        assert!(n.contains(want), "{want} in {n}");
    }
    assert_eq!(d.link.scenario, Scenario::new(ScenarioId::OomKill));
}

#[test]
fn v1_traces_import_and_replay() {
    // The fixtures were written by the version 1 model. Their format is read; a step the
    // model now executes differently (exit_mm's unlock order was corrected since) is refused
    // with the documented message naming the step and the model versions, never a format error.
    for file in [
        "trace-v1-user-kill.json",
        "trace-v1-proc-reader-no-mrelease.json",
    ] {
        let text = std::fs::read_to_string(format!(
            "{}/tests/fixtures/{file}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        match import(&text) {
            Ok(run) => assert_eq!(run.len(), text.matches("\"step\":").count(), "{file}"),
            Err(e) => assert!(
                e.contains("the trace says") && e.contains("model version 32a1a0a3"),
                "{file}: {e}"
            ),
        }
    }
    // A version 1 trace of today's model (what version 1 would write now) imports and replays.
    for (sc, mrelease) in [(ScenarioId::UserKill, 1), (ScenarioId::ProcReader, 0)] {
        let mut s = Scenario::new(sc);
        s.mrelease = mrelease;
        let m = mmrace_core::Model::new(mmrace_core::Variant::by_id("v5.16").unwrap(), s.clone());
        let mut run = Run::new(m);
        run.autoplay(&mut Policy::random(7), 10_000);
        let mut t = export(&run);
        t.version = 1;
        t.scenario = sc.id().to_string();
        (t.kill, t.mrelease, t.readers) = (None, None, None);
        t.options.mrelease = Some(mrelease == 1);
        let v1 = serde_json::to_string(&t).unwrap();
        assert!(v1.contains("\"version\":1") && !v1.contains("\"kill\""));
        let back = import(&v1).unwrap();
        assert_eq!(back.model.scenario, s);
        assert_eq!(back.choices(), run.choices());
        // Exported again it is a version 2 trace of the same run.
        assert_eq!(export(&back).version, 2);
    }
}

#[test]
fn v2_traces_of_combinations_round_trip() {
    let sc = Scenario::combination(Kill::UserOom, 2, 1).unwrap();
    let m = mmrace_core::Model::new(
        mmrace_core::Variant::by_id("b4-mrelease-mmgrab").unwrap(),
        sc.clone(),
    );
    let mut run = Run::new(m);
    run.autoplay(&mut Policy::random(5), 10_000);
    let json = to_json(&run);
    assert!(
        json.contains("\"scenario\": \"kill=user,oom mrelease=2 readers=1\""),
        "{}",
        &json[..400]
    );
    assert!(json.contains("\"kill\": \"user,oom\""));
    let back = import(&json).unwrap();
    assert_eq!(back.model.scenario, sc);
    assert_eq!(back.choices(), run.choices());
    // A version 2 trace that asks for three callers is refused with a reason.
    let bad = json.replacen("\"mrelease\": 2", "\"mrelease\": 3", 1);
    assert!(import(&bad).unwrap_err().contains("at most 2"));
}

#[test]
fn presets_are_the_old_scenarios() {
    let actors = |sc: ScenarioId| Scenario::new(sc).actors();
    assert_eq!(actors(ScenarioId::OomKill), vec![V, K, R, M1]);
    assert_eq!(actors(ScenarioId::UserKill), vec![V, M1]);
    assert_eq!(actors(ScenarioId::ProcReader), vec![V, K, R, M1, G1]);
    let all = Scenario::combination(Kill::UserOom, 2, 2).unwrap();
    assert_eq!(all.actors(), vec![V, K, R, M1, M2, G1, G2]);
    assert_eq!(all.name(), "kill=user,oom mrelease=2 readers=2");
    assert_eq!(Scenario::parse_name(&all.name()).unwrap(), all);
    assert_eq!(
        Scenario::parse_name("user-kill").unwrap().name(),
        "user-kill"
    );
    assert!(Scenario::combination(Kill::User, 3, 0).is_err());
    // A tour without process_mrelease is the preset minus M.
    let t = mmrace_core::tour::TOURS
        .iter()
        .find(|t| !t.mrelease)
        .unwrap();
    assert_eq!(t.scenario().mrelease, 0);
}
