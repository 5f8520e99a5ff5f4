//! The scripted scenarios of spec §6.8, each asserting its exact outcome.

mod common;
use common::*;
use mmrace_core::mm::{MmFlag, PageTables};
use mmrace_core::program::{Errno, ProgId};
use mmrace_core::sim::LockOutcome;
use mmrace_core::ActorId::{M1 as M, R, V};
use mmrace_core::Event;
use mmrace_core::ScenarioId::{OomKill, UserKill};

fn events(r: &mmrace_core::run::Run) -> Vec<Event> {
    r.steps().iter().flat_map(|s| s.events.clone()).collect()
}

fn step_of(r: &mmrace_core::run::Run, who: &str) -> usize {
    labels(r)
        .iter()
        .position(|l| l == who)
        .unwrap_or_else(|| panic!("no step {who}: {:?}", labels(r)))
}

fn all_torn_down(r: &mmrace_core::run::Run) {
    let s = r.state();
    assert!(s.all_done(), "every actor returned");
    assert_eq!(s.mm.users, 0);
    for v in s.mm.vmas.iter().flatten() {
        assert!(!v.live && v.pt == PageTables::Freed && !v.mapped, "{v:?}");
    }
}

#[test]
fn pre1_reaper_first_blocks_the_barrier() {
    let r = run(
        model_no_m("v5.16", OomKill),
        "K* R:unmap_page_range(A) V:mmap_write_lock R* V*",
    );
    assert!(violations(&r).is_empty());
    let wl = step_of(&r, "V mmap_write_lock");
    assert_eq!(
        r.steps()[wl].lock,
        Some(LockOutcome::Queued),
        "the barrier waits for the reaper"
    );
    let unlock = step_of(&r, "R mmap_read_unlock");
    assert_eq!(r.steps()[unlock].granted, vec![V]);
    assert!(unlock > wl);
    assert!(events(&r).contains(&Event::Reaped));
    all_torn_down(&r);
    assert!(r.state().mm.test_bit(MmFlag::OomSkip));
    assert_eq!(
        r.state().mm.count,
        1,
        "signal->oom_mm still pins the mm_struct"
    );
}

#[test]
fn pre2_exit_first_reaper_bails_on_skip() {
    let r = run(model_no_m("v5.16", OomKill), "K* V* R*");
    assert!(violations(&r).is_empty());
    let ev = events(&r);
    assert!(ev.contains(&Event::ReaperBailedOnSkip));
    assert!(!ev.contains(&Event::Reaped) && !ev.contains(&Event::UnableToReap));
    assert_eq!(r.state().actor(R).attempts, 1);
    all_torn_down(&r);
}

#[test]
fn pre3_trylock_fails_while_exit_mmap_holds_the_write_lock() {
    let r = run(
        model_no_m("v5.16", OomKill),
        "K* V:mmap_write_lock R:mmap_read_trylock V* R*",
    );
    assert!(violations(&r).is_empty());
    let t = step_of(&r, "R mmap_read_trylock");
    assert_eq!(r.steps()[t].lock, Some(LockOutcome::TrylockFailed));
    assert!(events(&r).contains(&Event::ReaperBailedOnSkip));
    assert_eq!(
        r.state().actor(R).attempts,
        2,
        "one failed attempt, one that saw SKIP"
    );
    all_torn_down(&r);
}

#[test]
fn pre4_double_reap_is_benign() {
    let r = run(
        model_no_m("v5.16", OomKill),
        "K* R:unmap_page_range(A) V:unmap_page_range(A) R* V*",
    );
    assert!(violations(&r).is_empty());
    assert!(events(&r).contains(&Event::DoubleReap(0)));
    all_torn_down(&r);
}

#[test]
fn pre5_process_mrelease_does_the_last_mmput() {
    let r = run(model("v5.16", UserKill), "M:task_unlock V* M*");
    assert!(violations(&r).is_empty());
    let vput = step_of(&r, "V mmput");
    assert_eq!(
        r.steps()[vput].branch,
        Some(false),
        "V's mmput only takes mm_users 2 → 1"
    );
    assert!(events(&r).contains(&Event::ExitMmapIn(M)));
    let x = labels(&r);
    let first_free = x
        .iter()
        .position(|l| l == "M free_pgtables(A)")
        .expect("M frees");
    assert!(first_free > step_of(&r, "M mmap_read_unlock"));
    all_torn_down(&r);
    assert!(
        r.state().mm.freed,
        "user kill: the last mmdrop frees the mm_struct"
    );
}

#[test]
fn post1_process_mrelease_before_exit_mmap() {
    let r = run(model("v5.17", UserKill), "M:mmap_read_lock_killable V*");
    let wl = step_of(&r, "V mmap_write_lock");
    assert_eq!(r.steps()[wl].lock, Some(LockOutcome::Queued));
    assert_eq!(
        r.model
            .why_blocked(r.state(), V, r.model.blocked(r.state(), V).unwrap()),
        "V is queued for mmap_lock write behind M's read"
    );
    let r2 = {
        let mut r = r;
        r.apply(&mmrace_core::schedule::Schedule::parse("M* V*").unwrap())
            .unwrap();
        r
    };
    assert!(violations(&r2).is_empty());
    assert!(events(&r2).contains(&Event::ExitMmapIn(V)));
    assert!(
        !events(&r2).contains(&Event::ExitMmapIn(M)),
        "v5.17: M never runs exit_mmap"
    );
    all_torn_down(&r2);
    assert!(r2.state().mm.freed);
    assert_eq!(r2.state().actor(M).errno, None);
}

#[test]
fn post1b_a_waiting_writer_fails_the_reapers_trylock() {
    let r = run(
        model("v5.17", OomKill),
        "K* M:mmap_read_lock_killable V:mmap_write_lock R:mmap_read_trylock M* V* R*",
    );
    assert!(violations(&r).is_empty());
    let wl = step_of(&r, "V mmap_write_lock");
    assert_eq!(r.steps()[wl].lock, Some(LockOutcome::Queued));
    let t = step_of(&r, "R mmap_read_trylock");
    assert_eq!(r.steps()[t].lock, Some(LockOutcome::TrylockFailed));
    assert!(
        r.state_at(t).mm.mmap_lock.has_waiters() && r.state_at(t).mm.mmap_lock.writer.is_none(),
        "the trylock failed only because V was queued (RWSEM_FLAG_WAITERS)"
    );
    assert!(events(&r).contains(&Event::ReaperBailedOnSkip));
    all_torn_down(&r);
}

#[test]
fn post2_process_mrelease_after_exit_mmap_needs_the_mmap_reset() {
    let fixed = run(model("v5.17", UserKill), "M:task_unlock V* M*");
    assert!(violations(&fixed).is_empty());
    assert_eq!(fixed.state().mm.head, None);
    let m_labels: Vec<String> = labels(&fixed)
        .into_iter()
        .filter(|l| l.starts_with('M'))
        .collect();
    assert!(m_labels.contains(&"M mm->mmap".to_string()));
    assert!(
        !m_labels.iter().any(|l| l.contains("can_madv_lru_vma")),
        "the walk finds no VMA"
    );

    let rc1 = run(model("v5.17-rc1", UserKill), "M:task_unlock V* M*");
    assert_eq!(first_violations(&rc1), vec!["S2@M can_madv_lru_vma(A)"]);
}

#[test]
fn post3_reaper_exhausts_its_retries_without_a_message() {
    let r = run(model_no_m("v5.17", OomKill), "K* V:mmap_write_lock R* V*");
    assert!(violations(&r).is_empty());
    let ev = events(&r);
    assert_eq!(
        ev.iter().filter(|e| **e == Event::TrylockFailed).count(),
        10
    );
    assert!(
        !ev.contains(&Event::UnableToReap),
        "SKIP was set by exit_mmap's OOM block"
    );
    assert_eq!(r.state().actor(R).attempts, 11);
    all_torn_down(&r);
}

#[test]
fn unable_to_reap_when_every_notifier_start_fails() {
    let r = run(
        model_sc("v5.16", OomKill, |s| {
            s.mrelease = 0;
            s.options.notifier_fails = true
        }),
        "K* R*",
    );
    let ev = events(&r);
    assert!(ev.contains(&Event::UnableToReap));
    assert!(!ev.contains(&Event::Reaped));
    assert!(
        r.state().mm.test_bit(MmFlag::OomSkip),
        "set at done: even after giving up"
    );
    assert!(r.state().actor(R).is_done());
}

#[test]
fn v6_1_unmap_runs_concurrently_with_the_reaper() {
    let r = run(
        model_no_m("v6.1", OomKill),
        "K* V:unmap_vmas(A) R:unmap_page_range(A) V:set_bit(MMF_OOM_SKIP) V:mmap_write_lock R* V*",
    );
    assert!(violations(&r).is_empty());
    let t = step_of(&r, "R mmap_read_trylock");
    assert!(
        r.state_at(t).mm.mmap_lock.is_reader(V),
        "V held the read lock when R joined it"
    );
    let wl = step_of(&r, "V mmap_write_lock");
    assert_eq!(r.steps()[wl].lock, Some(LockOutcome::Queued));
    assert!(events(&r).contains(&Event::Reaped));
    all_torn_down(&r);
    assert!(
        !r.state().mm.test_bit(MmFlag::OomVictim),
        "v6.1 has no MMF_OOM_VICTIM"
    );
}

#[test]
fn process_mrelease_killed_while_queued_returns_eintr() {
    let r = run(
        model_with("v5.17", UserKill, |o| o.kill_mrelease = true),
        "M:task_unlock V:mmap_write_lock M:mmap_read_lock_killable M V* M*",
    );
    assert!(violations(&r).is_empty());
    assert!(events(&r).contains(&Event::Eintr));
    assert_eq!(r.state().actor(M).errno, Some(Errno::Eintr));
    assert!(
        r.state().mm.freed,
        "M's mmdrop still runs on the -EINTR path"
    );
}

#[test]
fn exit_mmap_frames_show_who_runs_it() {
    let r = run(
        model("v5.16", UserKill),
        "M:task_unlock V* M:free_pgtables(A)",
    );
    let frames: Vec<ProgId> = r.state().actor(M).frames().iter().map(|f| f.prog).collect();
    assert_eq!(frames, vec![ProgId::ProcessMrelease, ProgId::Mmput]);
    assert_eq!(r.state().exit_mmap_owner(), Some(M));
}
