//! Permalinks: round trips, short links, clear notices for bad or foreign links. (Fuzzed
//! fragments: `fuzz.rs`.)

mod common;
use common::*;
use mmrace_core::link::{decode, decode_choices, encode, encode_choices, link_for, load};
use mmrace_core::policy::Policy;
use mmrace_core::run::Run;
use mmrace_core::trace::model_version;
use mmrace_core::ActorId::{K, M1 as M, V};
use mmrace_core::ScenarioId;
use std::collections::BTreeMap;

#[test]
fn choices_are_run_length_encoded() {
    assert_eq!(encode_choices(&[K, K, K, M, V, V]), "K3MV2");
    assert_eq!(decode_choices("K3MV2").unwrap(), vec![K, K, K, M, V, V]);
    assert!(decode_choices("K0")
        .unwrap_err()
        .contains("bad repeat count"));
    assert!(decode_choices("Kx")
        .unwrap_err()
        .contains("'x' is not an actor"));
    assert!(decode_choices("K99999999999").is_err());
}

#[test]
fn a_run_round_trips_through_its_link() {
    let mut run = Run::new(model_with("b4-mrelease-mmgrab", ScenarioId::OomKill, |o| {
        o.kill_mrelease = true
    }));
    run.autoplay(&mut Policy::random(3), 10_000);
    run.jump(12);
    let mut view = BTreeMap::new();
    view.insert("theme".to_string(), "dark".to_string());
    let frag = encode(&link_for(&run, view.clone()));
    assert!(frag.len() < 200, "short: {frag}");
    let d = decode(&format!("#{frag}"));
    assert!(
        d.notices.is_empty() && d.other_model.is_none(),
        "{:?}",
        d.notices
    );
    assert_eq!(d.link.view, view);
    let (back, notices) = load(&d);
    assert!(notices.is_empty());
    assert_eq!(back.choices(), run.choices());
    assert_eq!(back.pos(), 12);
    assert_eq!(back.state(), run.state());
}

#[test]
fn bad_links_load_what_they_can_with_notices() {
    let d = decode("v=1&variant=v9.9&sc=nope&vmas=AZ&opt=q&s=K6M4Q&at=zz&%ZZ=1");
    let n = d.notices.join(" | ");
    for want in [
        "unknown variant 'v9.9'",
        "unknown scenario 'nope'",
        "bad VMA list 'AZ'",
        "unknown option letter 'q'",
        "ignored the steps",
        "ignored step position 'zz'",
        "ignored unknown field",
    ] {
        assert!(n.contains(want), "{want} in {n}");
    }
    let (run, _) = load(&d);
    assert_eq!(run.model.variant.info.id, "v5.16");
}

#[test]
fn a_link_that_cannot_be_replayed_fully_says_how_far_it_got() {
    // user-kill has no K: the third step names an actor that is not there.
    let d = decode("v=1&variant=v5.17&sc=user-kill&s=M2K3");
    let (run, notices) = load(&d);
    assert_eq!(run.len(), 2);
    assert!(
        notices[0].starts_with(
            "replayed to step 2 of 5: step 3 cannot be taken: K (OOM killer) does not take part"
        ),
        "{notices:?}"
    );
}

#[test]
fn a_link_from_another_model_version_is_flagged() {
    let d = decode("v=1&m=deadbeef&variant=v5.17&sc=user-kill&s=M2");
    assert_eq!(d.other_model.as_deref(), Some("deadbeef"));
    let (_, notices) = load(&d);
    assert!(notices
        .iter()
        .any(|n| n.contains("model version deadbeef") && n.contains(&model_version())));
    let d = decode("v=7&variant=v5.17");
    assert!(d.notices[0].contains("link format version '7'"));
}

#[test]
fn the_percent_codec_round_trips_and_refuses_bad_escapes() {
    use mmrace_core::link::{percent_decode, percent_encode};
    for s in [
        "M:mmgrab M:task_unlock V* free_pgtables(A)",
        "→ é & = # ? % +",
        "",
    ] {
        assert_eq!(percent_decode(&percent_encode(s)).as_deref(), Some(s));
    }
    assert_eq!(percent_encode("V* M:x(A)"), "V*%20M:x(A)");
    assert_eq!(
        percent_decode("M%3Ammgrab+V*").as_deref(),
        Some("M:mmgrab V*")
    );
    assert_eq!(percent_decode("%E2%86%92").as_deref(), Some("→"));
    for bad in ["100%", "%zz", "%E2%86", "%4"] {
        assert_eq!(percent_decode(bad), None, "{bad}");
    }
}
