//! Guided tours for talks: scripted sequences of schedule segments, each with a caption and a
//! promise about the state it lands on. A test replays every tour and checks every promise, so
//! a demo cannot silently drift when the model changes.

use crate::actor::ActorId;
use crate::check::Invariant;
use crate::mm::MmFlag;
use crate::run::Run;
use crate::scenario::{Scenario, ScenarioId};
use crate::schedule::Schedule;
use crate::sim::{Blocked, LockOutcome, Model};
use crate::variant::Variant;

/// What a cue promises about the state it lands on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Nothing beyond replaying.
    Nothing,
    /// The last step fired this invariant.
    Fires(Invariant),
    /// No violation so far.
    Clean,
    /// Only the S7 root-cause warning so far, no crash yet.
    Warning,
    /// This actor is queued on mmap_lock.
    Queued(ActorId),
    /// The last step was a failed `mmap_read_trylock`.
    TrylockFailed,
    /// This flag is set.
    FlagSet(MmFlag),
    /// `mm->mmap` points at a freed VMA.
    Dangling,
    /// `exit_mmap` runs in this actor.
    ExitMmapIn(ActorId),
    /// This actor has returned (on a comparison side: why it cannot follow the cue).
    Returned(ActorId),
    /// Every actor has returned.
    AllDone,
}

#[derive(Clone, Copy, Debug)]
pub struct Cue {
    /// Schedule items applied after the previous cue.
    pub schedule: &'static str,
    pub caption: &'static str,
    /// The promise on the tour's variant.
    pub expect: Expect,
    /// The promise on the comparison variant, if the tour has one.
    pub expect_other: Expect,
}

#[derive(Clone, Copy, Debug)]
pub struct Tour {
    pub id: &'static str,
    pub title: &'static str,
    pub variant: &'static str,
    /// A second variant shown side by side on the same schedule.
    pub compare: Option<&'static str>,
    pub scenario: ScenarioId,
    /// Whether process_mrelease takes part.
    pub mrelease: bool,
    pub cues: &'static [Cue],
}

const fn cue(
    schedule: &'static str,
    caption: &'static str,
    expect: Expect,
    expect_other: Expect,
) -> Cue {
    Cue {
        schedule,
        caption,
        expect,
        expect_other,
    }
}

use Expect::*;

pub const TOURS: &[Tour] = &[
    Tour {
        id: "barrier-2017",
        title: "The race the 2017 barrier closes",
        variant: "b1-no-barrier",
        compare: Some("v5.16"),
        scenario: ScenarioId::OomKill,
        mrelease: false,
        cues: &[
            cue("K*", "The OOM killer picks V: SIGKILL, mark_oom_victim (MMF_OOM_VICTIM, a long-lived mmgrab) and the oom_reaper is queued.", FlagSet(MmFlag::OomVictim), FlagSet(MmFlag::OomVictim)),
            cue("R:unmap_page_range(A)", "The reaper takes mmap_read_trylock, sees MMF_OOM_SKIP clear, and is half-way into A: it has loaded A's pmd.", Clean, Clean),
            cue("V:unmap_vmas(F)", "V exits and runs exit_mmap. In v5.16 it reaps, sets MMF_OOM_SKIP and takes the empty write lock — which must wait for the reaper. Without the barrier V runs on into munlock and unmap: the checker warns (S7) that teardown overlaps the reaper's walk.", Warning, Queued(ActorId::V)),
            cue("V:tlb_finish_mmu", "Without the barrier, exit_mmap frees A's page tables while the reaper holds a pointer into them.", Warning, Queued(ActorId::V)),
            cue("R:zap_pte_range(A)", "The reaper's pte_offset_map_lock touches the freed PTE page: the crash. v5.16 never gets here — V is still waiting for the reaper.", Fires(Invariant::S1), Queued(ActorId::V)),
        ],
    },
    Tour {
        id: "mrelease-mm-users",
        title: "Why process_mrelease pinned mm_users",
        variant: "b4-mrelease-mmgrab",
        compare: Some("v5.16"),
        scenario: ScenarioId::UserKill,
        mrelease: true,
        cues: &[
            cue("M:task_unlock", "lmkd calls process_mrelease on V, killed from user space (not an OOM victim). 5.15-rc1 takes only mmgrab; v5.16 takes mmget_not_zero (mm_users 1 → 2).", Clean, Clean),
            cue("V:unmap_vmas(F)", "V exits. With only mm_count pinned its mmput is the last: exit_mmap runs with no lock. With mm_users pinned, V's mmput is not the last and exit_mmap cannot start.", Clean, Returned(ActorId::V)),
            cue("M:unmap_page_range(A)", "process_mrelease takes mmap_read_lock_killable — nothing stops it — and starts zapping A.", Clean, Clean),
            cue("V:tlb_finish_mmu M:zap_pte_range(A)", "exit_mmap frees A's page tables under the walk: the pte_offset_map_lock crash that 337546e83fc7 fixed by pinning mm_users.", Fires(Invariant::S1), Returned(ActorId::V)),
        ],
    },
    Tour {
        id: "write-lock",
        title: "The write lock in exit_mmap",
        variant: "v5.17",
        compare: Some("v5.16"),
        scenario: ScenarioId::UserKill,
        mrelease: true,
        cues: &[
            cue("M:mmap_read_lock_killable", "process_mrelease holds mmap_read_lock. In v5.17 it pins only mm_count (ba535c1caf3e); in v5.16 it pins mm_users.", Clean, Clean),
            cue("V*", "V exits. In v5.17 its mmput is the last and exit_mmap queues for mmap_write_lock behind M's read lock. In v5.16 V's mmput is not the last: exit_mmap waits for M's mmput.", Queued(ActorId::V), Returned(ActorId::V)),
            cue("M*", "M reaps safely and unlocks. In v5.17 the lock passes to exit_mmap, which frees everything under it; in v5.16 M's own mmput runs exit_mmap — and exit_aio — in process_mrelease's context.", Clean, ExitMmapIn(ActorId::M)),
            cue("V*", "Both end safe; only v5.17 keeps the teardown out of the caller's context.", AllDone, AllDone),
        ],
    },
    Tour {
        id: "syzbot-uaf",
        title: "The syzbot use-after-free after the patch",
        variant: "v5.17-rc1",
        compare: Some("v5.17"),
        scenario: ScenarioId::UserKill,
        mrelease: true,
        cues: &[
            cue("M:task_unlock", "process_mrelease pins the mm with mmgrab only.", Clean, Clean),
            cue("V*", "V runs all of exit_mmap under the write lock and frees every VMA. MMF_OOM_SKIP stays clear: V is not an OOM victim. In rc1, mm->mmap still points at the freed A.", Dangling, Clean),
            cue("M:can_madv_lru_vma", "process_mrelease takes the read lock, re-checks SKIP (clear), loads mm->mmap and reads freed A: KASAN's use-after-free in can_madv_lru_vma. v5.17's mm->mmap = NULL (f798a1d4f94d) leaves nothing to walk.", Fires(Invariant::S2), Returned(ActorId::M)),
        ],
    },
    Tour {
        id: "munlock",
        title: "munlock vs the reaper",
        variant: "b6-munlock-first",
        compare: Some("v5.16"),
        scenario: ScenarioId::OomKill,
        mrelease: false,
        cues: &[
            cue("K*", "The OOM killer marks V and queues the reaper.", Clean, Clean),
            cue("V:munlock_vma_pages_range(L)", "In the 4.14–4.16 order exit_mmap munlocks first: munlock_vma_pages_range clears VM_LOCKED on L, then walks L's page tables. v5.16 reaps and raises the barrier first.", Clean, FlagSet(MmFlag::OomSkip)),
            cue("R:unmap_page_range(L)", "The reaper no longer sees VM_LOCKED on L and zaps it while munlock walks it — the race 27ae357fa82b closed.", Fires(Invariant::S4), Returned(ActorId::R)),
        ],
    },
    Tour {
        id: "v6.1",
        title: "What v6.1 changed",
        variant: "v6.1",
        compare: Some("v5.17"),
        scenario: ScenarioId::OomKill,
        mrelease: false,
        cues: &[
            cue("K*", "The OOM killer marks V (v6.1 sets no MMF_OOM_VICTIM) and arms the reaper.", Clean, Clean),
            cue("V:unmap_vmas(A)", "v6.1's exit_mmap unmaps under mmap_read_lock: no self-reap, no OOM block.", Clean, FlagSet(MmFlag::OomSkip)),
            cue("R:unmap_page_range(A)", "The reaper's trylock succeeds alongside exit_mmap's read lock: both zap concurrently — the concurrency Suren wanted to keep.", Clean, Returned(ActorId::R)),
            cue("V:mmap_write_lock", "exit_mmap drops the read lock, sets MMF_OOM_SKIP unconditionally, and takes the write lock only to free page tables — it waits for the reaper.", Queued(ActorId::V), Returned(ActorId::V)),
            cue("R* V*", "The reaper finishes; exit_mmap frees everything and __mt_destroy empties the maple tree.", AllDone, AllDone),
        ],
    },
];

impl Expect {
    /// The promise as data for other tools (`mmrace tours --json`, the browser tests):
    /// `{"kind": "Fires", "invariant": "S1"}`, `{"kind": "Queued", "actor": "V"}`,
    /// `{"kind": "FlagSet", "flag": "MMF_OOM_SKIP"}`, `{"kind": "AllDone"}`, ….
    pub fn to_json(self) -> serde_json::Value {
        let kind = format!("{self:?}");
        let kind = kind.split('(').next().unwrap_or_default();
        let mut o = serde_json::json!({ "kind": kind });
        match self {
            Fires(inv) => o["invariant"] = inv.id().into(),
            Queued(a) | Returned(a) | ExitMmapIn(a) => o["actor"] = a.to_string().into(),
            FlagSet(f) => o["flag"] = f.name().into(),
            Nothing | Clean | Warning | TrylockFailed | Dangling | AllDone => {}
        }
        o
    }
}

/// Every tour as JSON (`mmrace tours --json`): id, title, variant, compare, scenario,
/// mrelease and the cues with their schedule, caption and promises.
pub fn tours_json() -> serde_json::Value {
    TOURS
        .iter()
        .map(|t| {
            serde_json::json!({
                "id": t.id,
                "title": t.title,
                "variant": t.variant,
                "compare": t.compare,
                "scenario": t.scenario.id(),
                "mrelease": t.mrelease,
                "cues": t.cues.iter().map(|c| serde_json::json!({
                    "schedule": c.schedule,
                    "caption": c.caption,
                    "expect": c.expect.to_json(),
                    "expect_other": c.expect_other.to_json(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

pub fn find(id: &str) -> Option<&'static Tour> {
    TOURS.iter().find(|t| t.id == id)
}

impl Tour {
    /// The tour's scenario: its preset, without process_mrelease when the tour says so.
    pub fn scenario(&self) -> Scenario {
        Scenario {
            mrelease: if self.mrelease { 1 } else { 0 },
            ..Scenario::new(self.scenario)
        }
    }

    pub fn model(&self, variant: &str) -> Result<Model, String> {
        Ok(Model::new(Variant::by_id(variant)?, self.scenario()))
    }
}

/// Applies cue `i`'s schedule to a run; a side that cannot follow stays where it stopped.
pub fn apply_cue(run: &mut Run, cue: &Cue) -> Result<(), String> {
    let s = Schedule::parse(cue.schedule)?;
    run.apply(&s).map_err(|e| e.message)
}

/// Applies a cue to the comparison side and checks its promise there. The comparison may stop
/// short of the cue's schedule (that is often the point), but only where its promise says why:
/// the actor it stopped at is queued on mmap_lock (`Queued`), has returned (`Returned`), or every
/// actor has (`AllDone`). Anything else — a broken promise, an unexplained stop, or a cue that
/// promises nothing — is an error.
pub fn apply_other(run: &mut Run, cue: &Cue) -> Result<(), String> {
    let s = Schedule::parse(cue.schedule)?;
    if cue.expect_other == Nothing {
        return Err(format!(
            "cue '{}' promises nothing on the comparison side",
            cue.schedule
        ));
    }
    if let Err(e) = run.apply(&s) {
        let stuck = s.items[e.item].actor;
        let explained = match cue.expect_other {
            Queued(a) | Returned(a) => a == stuck,
            AllDone => true,
            _ => false,
        };
        if !explained {
            return Err(format!(
                "{} cannot follow '{}' and its promise {:?} does not say why: {}",
                run.model.variant.info.id, cue.schedule, cue.expect_other, e.message
            ));
        }
    }
    check(run, cue.expect_other)
}

/// Checks a cue's promise against a run.
pub fn check(run: &Run, e: Expect) -> Result<(), String> {
    let s = run.state();
    let ok = match e {
        Nothing => true,
        Fires(inv) => run
            .steps_so_far()
            .last()
            .is_some_and(|st| st.violations.iter().any(|v| v.inv == inv)),
        Clean => run.violations().is_empty(),
        Warning => {
            let v = run.violations();
            !v.is_empty() && v.iter().all(|(_, x)| x.inv == Invariant::S7)
        }
        Queued(a) => matches!(
            run.model.blocked(s, a),
            Some(Blocked::QueuedOnMmapLock { .. })
        ),
        TrylockFailed => run
            .steps_so_far()
            .last()
            .is_some_and(|st| st.lock == Some(LockOutcome::TrylockFailed)),
        FlagSet(f) => s.mm.test_bit(f),
        Dangling => s.mm.head.is_some_and(|v| !s.mm.vma(v).live),
        ExitMmapIn(a) => {
            s.actor(a).in_program(crate::program::ProgId::Mmput)
                || run
                    .steps_so_far()
                    .iter()
                    .any(|st| st.events.contains(&crate::check::Event::ExitMmapIn(a)))
        }
        Returned(a) => s.actor(a).present && s.actor(a).is_done(),
        AllDone => s.all_done(),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{} at step {}: expected {e:?}",
            run.model.variant.info.id,
            run.pos()
        ))
    }
}
