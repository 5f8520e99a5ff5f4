//! Tests of the UI's derived view data (core/src/view.rs).

use mmrace_core::actor::ActorId;
use mmrace_core::explore::{explore, Bounds};
use mmrace_core::mm::MmFlag;
use mmrace_core::program::ProgId;
use mmrace_core::run::Run;
use mmrace_core::schedule::Schedule;
use mmrace_core::sim::LockOutcome;
use mmrace_core::view::*;
use mmrace_core::{Model, Scenario, ScenarioId, Variant};

fn run(variant: &str, scenario: ScenarioId) -> Run {
    Run::new(Model::new(
        Variant::by_id(variant).unwrap(),
        Scenario::new(scenario),
    ))
}

#[test]
fn status_of_each_actor_at_the_start_of_oom_kill() {
    let r = run("v5.16", ScenarioId::OomKill);
    let s = r.state();
    let st = |a| actor_status(&r.model, s, a);
    assert_eq!(st(ActorId::V).kind, StatusKind::UserSpace);
    assert!(st(ActorId::V).reason.unwrap().contains("SIGKILL"));
    assert_eq!(st(ActorId::K).kind, StatusKind::Runnable);
    assert_eq!(st(ActorId::K).reason, None);
    assert_eq!(st(ActorId::R).kind, StatusKind::Sleeping);
    assert_eq!(st(ActorId::G).kind, StatusKind::Absent);
}

#[test]
fn queued_writer_and_spinning_task_lock_are_reported() {
    // v5.17 user-kill: M reads, V queues for write in exit_mmap.
    let mut r = run("v5.17", ScenarioId::UserKill);
    r.apply(&Schedule::parse("M:mmap_read_lock_killable V:mmap_write_lock").unwrap())
        .unwrap();
    let s = r.state();
    assert_eq!(hold(s, ActorId::M), Hold::Read);
    assert_eq!(hold(s, ActorId::V), Hold::QueuedWrite);
    let v = actor_status(&r.model, s, ActorId::V);
    assert_eq!(v.kind, StatusKind::QueuedWrite);
    assert!(v.reason.unwrap().contains("mmap_lock write"));
    assert_eq!(call_path(s, ActorId::V), "exit_mm → __mmput / exit_mmap");

    let mut r = run("v5.17", ScenarioId::UserKill);
    r.apply(&Schedule::parse("M:find_lock_task_mm").unwrap())
        .unwrap();
    r.apply(&Schedule::parse("V:mmgrab").unwrap()).unwrap();
    let v = actor_status(&r.model, r.state(), ActorId::V);
    assert_eq!(v.kind, StatusKind::SpinningTaskLock);
}

#[test]
fn frames_track_calls_and_executed_lines() {
    let mut r = run("v5.16", ScenarioId::OomKill);
    // K marks and queues; R takes the read lock and starts the walk.
    r.apply(&Schedule::parse("K* R:set_bit(MMF_UNSTABLE)").unwrap())
        .unwrap();
    let f = frame_views(&r.model, r.steps_so_far(), r.state(), ActorId::R);
    assert_eq!(f.len(), 2);
    assert_eq!(f[0].prog, ProgId::OomReaper);
    assert!(!f[0].innermost && f[1].innermost);
    assert_eq!(f[1].prog, ProgId::OomReapTaskMm);
    let prog = r.model.variant.program(ProgId::OomReapTaskMm);
    // set_bit(MMF_UNSTABLE) ran; the walk's later lines did not yet.
    assert!(f[1].executed[0]);
    assert_eq!(prog.steps[f[1].at.unwrap() as usize].label, "mm->mmap");
    assert!(!f[1].executed[f[1].at.unwrap() as usize]);
    // The reaper's outer frame is at its call site and has run the trylock.
    let outer = r.model.variant.program(ProgId::OomReaper);
    let trylock = outer
        .steps
        .iter()
        .position(|s| s.label == "mmap_read_trylock")
        .unwrap();
    assert!(f[0].executed[trylock]);
    assert_eq!(
        call_path(r.state(), ActorId::R),
        "oom_reaper → __oom_reap_task_mm"
    );
    // Walkers and locals.
    r.apply(&Schedule::parse("R:mm->mmap").unwrap()).unwrap();
    assert_eq!(walkers_at(r.state(), 0), vec![(ActorId::R, false)]);
    let l = locals(&r.model, r.state(), ActorId::R);
    assert!(l.iter().any(|x| x.name == "vma" && x.value == "A"));
    assert!(l
        .iter()
        .any(|x| x.name == "attempts" && x.value == "1 of 10"));
    assert!(l
        .iter()
        .any(|x| x.name == "pins" && x.value.contains("signal->oom_mm")));
}

#[test]
fn a_new_call_starts_a_fresh_executed_set() {
    // exit_mmap's self-reap calls __oom_reap_task_mm after the reaper already ran it once:
    // each actor's invocation is its own.
    let mut r = run("v5.16", ScenarioId::OomKill);
    r.apply(&Schedule::parse("K* R*").unwrap()).unwrap();
    let done = frame_views(&r.model, r.steps_so_far(), r.state(), ActorId::R);
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].at, None, "R has returned");
    r.apply(&Schedule::parse("V:set_bit(MMF_UNSTABLE)").unwrap())
        .unwrap();
    let f = frame_views(&r.model, r.steps_so_far(), r.state(), ActorId::V);
    let inner = f.last().unwrap();
    assert_eq!(inner.prog, ProgId::OomReapTaskMm);
    assert_eq!(inner.executed.iter().filter(|x| **x).count(), 1);
}

#[test]
fn the_entry_programs_leading_noop_counts_as_executed() {
    let r = run("v5.17", ScenarioId::UserKill);
    let f = frame_views(&r.model, r.steps_so_far(), r.state(), ActorId::M);
    assert_eq!(f.len(), 1);
    assert!(
        f[0].executed[0],
        "pidfd_get_task ran while the model was built"
    );
    assert_eq!(f[0].at, Some(1));
}

#[test]
fn mm_changes_name_refcounts_flags_page_tables_and_the_head() {
    let mut r = run("v5.17-rc1", ScenarioId::UserKill);
    r.apply(&Schedule::parse("M:mmgrab").unwrap()).unwrap();
    let i = r.pos() - 1;
    let c = mm_changes(r.state_at(i), r.state_at(i + 1));
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].kind, ChangeKind::Refcount);
    assert_eq!(c[0].text, "mm_count 1 → 2");
    assert_eq!(c[0].glyph, "c↑");

    r.apply(&Schedule::parse("M:task_unlock V*").unwrap())
        .unwrap();
    let all: Vec<MmChange> = (0..r.pos())
        .flat_map(|i| mm_changes(r.state_at(i), r.state_at(i + 1)))
        .collect();
    let texts: Vec<&str> = all.iter().map(|c| c.text.as_str()).collect();
    assert!(texts.contains(&"mm_users 1 → 0"), "{texts:?}");
    assert!(texts.contains(&"A's page tables PRESENT → DETACHED"));
    assert!(texts.contains(&"A's page tables DETACHED → FREED"));
    assert!(texts.contains(&"VMA A freed (vm_area_free)"));
    // v5.17-rc1 never resets mm->mmap: it now dangles.
    assert!(!all.iter().any(|c| c.kind == ChangeKind::Head));
    assert!(head_dangles(r.state()));

    let mut fixed = run("v5.17", ScenarioId::UserKill);
    fixed
        .apply(&Schedule::parse("M:mmgrab M:task_unlock V*").unwrap())
        .unwrap();
    assert!(!head_dangles(fixed.state()));
    let heads: Vec<MmChange> = (0..fixed.pos())
        .flat_map(|i| mm_changes(fixed.state_at(i), fixed.state_at(i + 1)))
        .filter(|c| c.kind == ChangeKind::Head)
        .collect();
    assert_eq!(heads.len(), 1);
    assert_eq!(heads[0].text, "mm->mmap = NULL");
}

#[test]
fn flag_changes_are_reported() {
    let mut r = run("v5.16", ScenarioId::OomKill);
    r.apply(&Schedule::parse("K:set_bit(MMF_OOM_VICTIM)").unwrap())
        .unwrap();
    let i = r.pos() - 1;
    let c = mm_changes(r.state_at(i), r.state_at(i + 1));
    assert_eq!(c[0].short, "+VICTIM");
    assert_eq!(c[0].glyph, "+V");
    assert!(r.state().mm.test_bit(MmFlag::OomVictim));
}

#[test]
fn verdicts() {
    let safe = explore(
        Model::new(
            Variant::by_id("v5.17").unwrap(),
            Scenario::new(ScenarioId::UserKill),
        ),
        Bounds::default(),
    );
    let v = verdict(&safe);
    assert!(v.starts_with("0 violations in "), "{v}");
    assert!(v.contains("every interleaving"));

    let buggy = explore(
        Model::new(
            Variant::by_id("v5.17-rc1").unwrap(),
            Scenario::new(ScenarioId::UserKill),
        ),
        Bounds::default(),
    );
    let v = verdict(&buggy);
    assert!(v.contains("violating S2"), "{v}");
}

#[test]
fn status_labels_and_slugs_are_distinct() {
    let all = [
        StatusKind::Runnable,
        StatusKind::QueuedRead,
        StatusKind::QueuedWrite,
        StatusKind::SpinningTaskLock,
        StatusKind::Sleeping,
        StatusKind::UserSpace,
        StatusKind::Done,
        StatusKind::Absent,
    ];
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            assert_ne!(a.label(), b.label());
            assert_ne!(a.slug(), b.slug());
        }
    }
    assert!(StatusKind::Runnable.can_step());
    assert!(!StatusKind::Done.can_step());
}

#[test]
fn pins_read_off_the_position_in_the_program() {
    let pins = |r: &Run, a| {
        locals(&r.model, r.state(), a)
            .into_iter()
            .find(|l| l.name == "pins")
            .unwrap()
            .value
    };
    let mut r = run("v5.16", ScenarioId::OomKill);
    assert_eq!(pins(&r, ActorId::V), "mm_users (its task->mm)");
    r.apply(&Schedule::parse("K:mmgrab").unwrap()).unwrap();
    assert_eq!(pins(&r, ActorId::K), "mm_count (temporary)");
    r.apply(&Schedule::parse("K* V:mmgrab").unwrap()).unwrap();
    assert_eq!(
        pins(&r, ActorId::K),
        "nothing",
        "K dropped its temporary reference"
    );
    assert_eq!(
        pins(&r, ActorId::V),
        "mm_users (its task->mm), mm_count (active_mm)"
    );
    // The last mmput: V is now inside __mmput and no longer holds mm_users.
    r.apply(&Schedule::parse("V:mmput").unwrap()).unwrap();
    assert_eq!(pins(&r, ActorId::V), "mm_count (active_mm)");
    r.apply(&Schedule::parse("R* V*").unwrap()).unwrap();
    assert_eq!(pins(&r, ActorId::V), "nothing");
}

#[test]
fn v6_1_has_no_oom_victim_flag() {
    let old = Variant::by_id("v5.16").unwrap();
    let new = Variant::by_id("v6.1").unwrap();
    for f in MmFlag::ALL {
        assert!(variant_uses_flag(&old, f), "{f} in v5.16");
    }
    assert!(!variant_uses_flag(&new, MmFlag::OomVictim));
    assert!(variant_uses_flag(&new, MmFlag::OomSkip));
}

#[test]
fn timeline_steps_show_each_recorded_step_with_every_actors_hold() {
    // b1 (no barrier), oom-kill without process_mrelease: K kills and queues the victim, R takes
    // the read lock and loads A's pmd, V exits, self-reaps and tears down under R's walk (S7 at
    // each destructive step), then R's zap_pte_range lands in freed page tables (S1).
    let mut sc = Scenario::new(ScenarioId::OomKill);
    sc.mrelease = 0;
    let mut r = Run::new(Model::new(Variant::by_id("b1-no-barrier").unwrap(), sc));
    let s =
        Schedule::parse("K* R:unmap_page_range(A) V:tlb_finish_mmu R:zap_pte_range(A)").unwrap();
    r.apply(&s).unwrap();
    // Expected columns, written out by hand: actor, label, the lock outcome, who holds
    // mmap_lock after the step, the violations.
    let expected = "\
        K find_lock_task_mm | - | | ; K mmgrab | - | | ; K do_send_sig_info(SIGKILL) | - | | ; \
        K mark_oom_victim | - | | ; K set_bit(MMF_OOM_VICTIM) | - | | ; K task_unlock | - | | ; \
        K wake_oom_reaper | - | | ; K mmdrop | - | | ; R oom_reaper_list | - | | ; \
        R mmap_read_trylock | acquired | R:read | ; R test_bit(MMF_OOM_SKIP) | - | R:read | ; \
        R set_bit(MMF_UNSTABLE) | - | R:read | ; R mm->mmap | - | R:read | ; \
        R can_madv_lru_vma(A) | - | R:read | ; R unmap_page_range(A) | - | R:read | ; \
        V do_exit | - | R:read | ; V mmap_read_lock | acquired | V:read R:read | ; \
        V mmgrab | - | V:read R:read | ; V current->mm=NULL | - | V:read R:read | ; \
        V task_unlock | - | V:read R:read | ; V mmap_read_unlock | released | R:read | ; \
        V mmput | - | R:read | ; V exit_aio | - | R:read | ; V mmu_notifier_release | - | R:read | ; \
        V test_bit(MMF_OOM_VICTIM) | - | R:read | ; V set_bit(MMF_UNSTABLE) | - | R:read | ; \
        V mm->mmap | - | R:read | ; V can_madv_lru_vma(A) | - | R:read | ; \
        V unmap_page_range(A) | - | R:read | ; V zap_pte_range(A) | - | R:read | ; \
        V vma->vm_next(A) | - | R:read | ; V can_madv_lru_vma(L) | - | R:read | ; \
        V vma->vm_next(L) | - | R:read | ; V can_madv_lru_vma(F) | - | R:read | ; \
        V vma->vm_next(F) | - | R:read | ; V munlock_vma_pages_range(L) | - | R:read | S7; \
        V follow_page_mask(L) | - | R:read | ; V mm->mmap | - | R:read | ; \
        V unmap_vmas(A) | - | R:read | ; V unmap_vmas(L) | - | R:read | ; \
        V unmap_vmas(F) | - | R:read | ; V free_pgtables(A) | - | R:read | S7; \
        V free_pgtables(L) | - | R:read | S7; V free_pgtables(F) | - | R:read | S7; \
        V tlb_finish_mmu | - | R:read | ; R zap_pte_range(A) | - | R:read | S1";
    let expected: Vec<String> = expected
        .split(';')
        .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let causes = [1, 3];
    let cols = timeline_steps(&r, 0..r.len(), &causes);
    let got: Vec<String> = cols
        .iter()
        .map(|c| {
            let lock = match c.lock {
                None => "-",
                Some(LockOutcome::Acquired) => "acquired",
                Some(LockOutcome::Released) => "released",
                Some(o) => panic!("step {}: unexpected lock outcome {o:?}", c.i),
            };
            let holds: Vec<String> = c
                .holds
                .iter()
                .filter(|(_, h)| *h != Hold::None)
                .map(|(a, h)| format!("{a}:{}", h.slug()))
                .collect();
            format!(
                "{} {} | {lock} | {} | {}",
                c.actor,
                c.label,
                holds.join(" "),
                c.violations.join(" ")
            )
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
        })
        .collect();
    assert_eq!(got, expected);
    assert_eq!(
        cols.iter().map(|c| c.i).collect::<Vec<_>>(),
        (0..r.len()).collect::<Vec<_>>()
    );
    assert_eq!(
        cols.iter()
            .filter(|c| c.cause)
            .map(|c| c.i)
            .collect::<Vec<_>>(),
        causes
    );
    // Every column lists every actor of the scenario (V K R here: no process_mrelease).
    for c in &cols {
        let actors: Vec<ActorId> = c.holds.iter().map(|(a, _)| *a).collect();
        assert_eq!(actors, [ActorId::V, ActorId::K, ActorId::R], "step {}", c.i);
    }
    // What changed in the mm, for two steps a reader knows: the last mmput and the TLB flush.
    let texts = |i: usize| {
        cols[i]
            .changes
            .iter()
            .map(|c| c.text.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(texts(21), ["mm_users 1 → 0"]);
    assert_eq!(
        texts(44),
        [
            "A's page tables DETACHED → FREED",
            "L's page tables DETACHED → FREED",
            "F's page tables DETACHED → FREED"
        ]
    );
    // A sub-range starts at its own first step.
    assert_eq!(
        timeline_steps(&r, 40..42, &causes)[0].label,
        "unmap_vmas(F)"
    );
}

#[test]
fn every_frame_an_actor_enters_is_among_its_reachable_programs() {
    use mmrace_core::policy::Policy;
    use mmrace_core::variant::VARIANTS;
    let mut frames_seen = 0;
    for info in VARIANTS {
        for id in ScenarioId::ALL {
            for seed in 0..8 {
                let mut r = run(info.id, id);
                let reachable: Vec<(ActorId, Vec<ProgId>)> = r
                    .model
                    .scenario
                    .actors()
                    .into_iter()
                    .map(|a| (a, reachable_programs(&r.model.variant, a)))
                    .collect();
                let mut policy = Policy::random(seed);
                while r.autoplay(&mut policy, 1) == 1 {
                    for (a, progs) in &reachable {
                        assert_eq!(progs[0], entry_program(*a));
                        for f in frame_views(&r.model, r.steps_so_far(), r.state(), *a) {
                            frames_seen += 1;
                            assert!(
                                progs.contains(&f.prog),
                                "{} {id:?}: {a} entered {:?}, not in {progs:?}",
                                info.id,
                                f.prog
                            );
                        }
                    }
                }
            }
        }
    }
    assert!(frames_seen > 10_000);
}

#[test]
fn a_proc_reader_can_reach_the_last_mmput_and_exit_mmaps_reap() {
    // v5.17's exit_mmap reaps an OOM victim's mm itself (`__oom_reap_task_mm`), so a reader
    // that drops the last `mm_users` can be three frames deep.
    let v = Variant::by_id("v5.17").unwrap();
    assert_eq!(
        reachable_programs(&v, ActorId::G1),
        vec![ProgId::ProcReader, ProgId::Mmput, ProgId::OomReapTaskMm]
    );
    assert_eq!(
        reachable_programs(&v, ActorId::M1),
        vec![ProgId::ProcessMrelease, ProgId::OomReapTaskMm]
    );
    assert_eq!(reachable_programs(&v, ActorId::K), vec![ProgId::OomKill]);
}
