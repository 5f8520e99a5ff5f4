//! A search run from a request (what the page's explore worker does) reports exactly what the
//! explorer reports for the same model, and bad requests are errors that say what was wrong.

mod common;

use mmrace_core::explore::{explore, Bounds, Report, Status};
use mmrace_core::search::{Search, SearchReply, SearchRequest};
use mmrace_core::{Model, Scenario, ScenarioId, Variant};

const EDITS: &str = "# syzbot\ndelete exit_mmap:reset_mmap\ninsert after exit_mmap:wlock test_bit(MMF_OOM_SKIP) set=wunlock code \"a b # c\" as x\n";

fn model(id: &str, edits: &str, scenario: Scenario) -> Model {
    let v = Variant::by_id(id).unwrap().with_edits(edits).unwrap();
    Model::new(v, scenario)
}

/// Runs a request to the end in small budgets, as the worker does, and returns its report.
fn run_request(request: &str, budget: u64) -> Report {
    let mut s = Search::start(request).unwrap();
    let mut progress = 0;
    while !s.run(budget) {
        match SearchReply::from_json(&s.progress()).unwrap() {
            SearchReply::Progress(p) => assert!(p.states > 0),
            other => panic!("expected progress, got {other:?}"),
        }
        progress += 1;
    }
    assert!(
        progress > 0,
        "a budget of {budget} finishes no search at once"
    );
    match SearchReply::from_json(&s.report()).unwrap() {
        SearchReply::Done(r) => r,
        other => panic!("expected a report, got {other:?}"),
    }
}

#[test]
fn a_request_reports_what_the_explorer_reports() {
    let two_callers = Scenario::parse_name("kill=oom mrelease=2 readers=1").unwrap();
    for (id, edits, sc) in [
        ("v5.16", "", Scenario::new(ScenarioId::OomKill)),
        ("v5.17-rc1", "", Scenario::new(ScenarioId::UserKill)),
        ("v5.17", EDITS, Scenario::new(ScenarioId::UserKill)),
        ("b2-skip-after-unlock", "", two_callers),
    ] {
        let m = model(id, edits, sc);
        let request = SearchRequest::of(&m).expect("a model built from its id and edits");
        assert_eq!(request.edits, edits);
        let json = request.to_json();
        assert_eq!(SearchRequest::from_json(&json).unwrap(), request);
        let direct = explore(m, Bounds::default());
        assert_eq!(direct.status, Status::Complete);
        assert_eq!(run_request(&json, 20), direct, "{id} {edits}");
    }
}

#[test]
fn a_reply_round_trips_through_json() {
    let r = explore(
        model("v5.17-rc1", "", Scenario::new(ScenarioId::UserKill)),
        Bounds::default(),
    );
    assert!(!r.outcomes.is_empty());
    let reply = SearchReply::Done(r);
    assert_eq!(SearchReply::from_json(&reply.to_json()).unwrap(), reply);
}

#[test]
fn a_search_stopped_early_reports_what_it_found_so_far() {
    let request = SearchRequest::of(&model("v5.16", "", Scenario::new(ScenarioId::OomKill)))
        .unwrap()
        .to_json();
    let mut s = Search::start(&request).unwrap();
    assert!(!s.run(100));
    match SearchReply::from_json(&s.report()).unwrap() {
        SearchReply::Done(r) => {
            assert_eq!(r.status, Status::Running);
            assert!(r.frontier > 0 && r.states > 1);
        }
        other => panic!("expected a report, got {other:?}"),
    }
}

#[test]
fn a_model_not_built_from_its_name_has_no_request() {
    assert_eq!(SearchRequest::of(&common::mrelease_mutant(false)), None);
}

#[test]
fn bad_requests_say_what_was_wrong() {
    let err = |text: &str| Search::start(text).err().expect("an error");
    assert!(err("").contains("not a search request"), "{}", err(""));
    assert!(err("{\"variant\":\"v5.17\"}").contains("missing field"));
    let mut req =
        SearchRequest::of(&model("v5.17", "", Scenario::new(ScenarioId::UserKill))).unwrap();
    req.variant = "v9.99".into();
    let e = err(&req.to_json());
    assert!(e.contains("v9.99"), "{e}");
    req.variant = "v5.17".into();
    req.edits = "delete exit_mmap:no_such_label\n".into();
    let e = err(&req.to_json());
    assert!(
        e.contains("edit list does not apply") && e.contains("no_such_label"),
        "{e}"
    );
    let e = SearchReply::from_json("{\"Done\":3}").unwrap_err();
    assert!(e.contains("not a search reply"), "{e}");
}
