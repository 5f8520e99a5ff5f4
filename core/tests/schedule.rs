//! The schedule text format: parsing, errors that say what is wrong, replay errors in kernel
//! terms, and writing runs back.

mod common;
use common::*;
use mmrace_core::run::Run;
use mmrace_core::schedule::{Item, Schedule, Until};
use mmrace_core::ActorId::{K, M1 as M, R, V};
use mmrace_core::ScenarioId::{OomKill, UserKill};

#[test]
fn parses_all_three_item_forms_with_spaces_or_commas() {
    let s = Schedule::parse(" V, k:mmap_read_trylock  R*,M:zap_pte_range(A,B)\n").unwrap();
    assert_eq!(
        s.items,
        vec![
            Item {
                actor: V,
                until: Until::One
            },
            Item {
                actor: K,
                until: Until::Label("mmap_read_trylock".into())
            },
            Item {
                actor: R,
                until: Until::Blocked
            },
            Item {
                actor: M,
                until: Until::Label("zap_pte_range(A,B)".into())
            },
        ]
    );
    assert_eq!(
        s.to_string(),
        "V K:mmap_read_trylock R* M:zap_pte_range(A,B)"
    );
    assert_eq!(Schedule::parse("").unwrap().items, vec![]);
}

#[test]
fn malformed_items_say_what_and_where() {
    let cases = [
        ("V X", "schedule item 2 'X': unknown actor 'X'"),
        ("V:", "a label must follow ':'"),
        ("VV", "expected 'V', 'V*' or 'V:label'"),
        ("R+", "expected 'R', 'R*' or 'R:label'"),
    ];
    for (text, want) in cases {
        let e = Schedule::parse(text).unwrap_err();
        assert!(e.contains(want), "{text:?} → {e}");
    }
}

#[test]
fn stepping_a_blocked_actor_explains_why_in_kernel_terms() {
    let cases = [
        (
            OomKill,
            "V",
            "V is running in user space; it exits only once SIGKILL is pending",
        ),
        (
            OomKill,
            "R",
            "sleeps in wait_event_freezable until a victim is queued",
        ),
        (OomKill, "K M", "M is spinning on task_lock(V), held by K"),
        (
            UserKill,
            "K",
            "K (OOM killer) does not take part in scenario user-kill",
        ),
        (
            UserKill,
            "M* M",
            "M (process_mrelease) has already returned",
        ),
        (UserKill, "V:nonexistent_label", "V stopped after"),
    ];
    for (sc, text, want) in cases {
        let mut r = Run::new(model("v5.17", sc));
        let e = r.apply(&Schedule::parse(text).unwrap()).unwrap_err();
        assert!(e.message.contains(want), "{text}: {}", e.message);
        assert_eq!(e.item, text.split(' ').count() - 1);
    }
}

#[test]
fn queued_actor_error_names_the_holder() {
    let mut r = Run::new(model("v5.17", UserKill));
    let e = r
        .apply(&Schedule::parse("M:mmap_read_lock_killable V:mmap_write_lock V").unwrap())
        .unwrap_err();
    assert!(
        e.message
            .contains("V is queued for mmap_lock write behind M's read"),
        "{}",
        e.message
    );
    assert_eq!(e.steps_done, r.len());
}

#[test]
fn labels_match_instance_base_and_local_lines() {
    // Instance label, plain label and a local line all stop the item.
    let r = run(
        model("v5.16", OomKill),
        "K* V:mmap_write_lock R:schedule_timeout_idle",
    );
    let last = r.steps().last().unwrap();
    assert_eq!(
        r.label(r.len() - 1),
        "mmap_read_trylock",
        "the trylock failed…"
    );
    assert!(
        last.locals
            .iter()
            .any(|pc| r.model.step_def(*pc).label == "schedule_timeout_idle"),
        "…and R went to sleep"
    );
    let a = run(model("v5.16", OomKill), "K* V:free_pgtables");
    let b = run(model("v5.16", OomKill), "K* V:free_pgtables(A)");
    assert_eq!(a.choices(), b.choices());
    assert_eq!(a.label(a.len() - 1), "free_pgtables(A)");
}

#[test]
fn compressed_schedules_are_short_and_replay_exactly() {
    let mut r = Run::new(model("v5.17-rc1", UserKill));
    r.apply(&Schedule::parse("M:task_unlock V* M*").unwrap())
        .unwrap();
    let text = r.schedule().to_string();
    assert!(text.split(' ').count() <= 6, "{text}");
    assert_eq!(
        run(model("v5.17-rc1", UserKill), &text).choices(),
        r.choices()
    );
}

#[test]
fn numbered_actors_parse_and_m_g_mean_the_first() {
    use mmrace_core::ActorId::{G1, G2, M1, M2};
    let s = Schedule::parse("M1:task_unlock m2* G2 g G1:mmput M").unwrap();
    let actors: Vec<_> = s.items.iter().map(|i| i.actor).collect();
    assert_eq!(actors, vec![M1, M2, G2, G1, G1, M1]);
    assert_eq!(s.items[0].until, Until::Label("task_unlock".into()));
    assert_eq!(s.items[1].until, Until::Blocked);
    // Written back, the first of a kind keeps its old name.
    assert_eq!(s.to_string(), "M:task_unlock M2* G2 G G:mmput M");
    for bad in ["M3", "V2:mmput", "K1", "G22*"] {
        let e = Schedule::parse(bad).unwrap_err();
        assert!(e.contains("unknown actor"), "{bad}: {e}");
    }
}

#[test]
fn a_second_mrelease_caller_steps_on_its_own() {
    let m = model_sc("v5.17", UserKill, |s| s.mrelease = 2);
    let r = run(m, "M2:task_unlock M:find_lock_task_mm");
    let l = labels(&r);
    assert_eq!(l[0], "M2 find_lock_task_mm");
    assert!(
        l[..l.len() - 1].iter().all(|x| x.starts_with("M2 ")),
        "{l:?}"
    );
    assert_eq!(l.last().unwrap(), "M find_lock_task_mm");
    // M2 has dropped task_lock(V); the first caller holds it now.
    assert_eq!(r.state().task.task_lock, Some(M));
}
