//! Partial-order reduction: at a state where the steps of some of the actors commute with
//! everything the other actors can still do, the explorer expands only those steps.
//!
//! **Footprints.** Every op has a static footprint ([`op_footprint`]): the shared objects it
//! reads and writes — `mm_users` (with "`__mmput` began"), `mm_count`, "the mm is freed",
//! mmap_lock (holders and queue), each `mm->flags` bit, `task->mm`, the pending SIGKILL,
//! `signal->oom_mm`, `task_lock`, the reaper list, `mm->mmap`, the notifiers, `locked_vm`, and
//! of the VMAs their `vm_flags`, page tables, liveness and munlock walk (one object each for
//! all VMAs). The reads include what decides whether the actor may step ([`Model::blocked`]:
//! SIGKILL for `do_exit`, `task_lock`, the reaper list; a queued waiter's queue entry is
//! mmap_lock) and what the invariants read of the state before the step (S3 reads "freed" for
//! every op that dereferences the mm, S2 liveness, S4 the munlock walk, S1 the page tables, S5
//! the counts). Some checks read other actors: S7 asks whether anyone else is *inside a VMA
//! walk*, one object per actor ("walk(b)"), written only by b's own steps; S4 compares with
//! exit_mmap's owner only to ask whether the stepping actor is it (its own frames: only one
//! actor can enter `__mmput` through `mmput`; an edit that calls `__mmput` directly turns the
//! reduction off); S6's exclusivity is judged after steps that change mmap_lock only
//! (`check::mmap_lock_exclusive`).
//! Left out on purpose: `vma->mapped` (every write stores `false` and no step or check reads
//! it, so two writes commute) and the informational events (`DoubleReap`,
//! `ReaperBailedOnSkip`), which are neither state nor outcomes.
//!
//! **Futures.** For an actor b outside the chosen set A, [`Reduction`] over-approximates every
//! op b can execute before an actor of A moves: everything reachable from each of its frames
//! (jumps, calls, `mmput` entering `__mmput` while `__mmput` has not begun anywhere —
//! `exit_started` never clears), the local ops in between, and what a grant of mmap_lock makes
//! b run (b's own next ops). Three refinements, all facts about a path on which A does not move:
//! * while an actor of A holds mmap_lock for read, no `mmap_write_lock` of b can complete
//!   (`rwsem.rs` grants a writer only a free lock), so b's future stops at it; while one holds
//!   it for write, no acquisition completes (only a trylock's failure and a killable waiter's
//!   EINTR continue);
//! * `mm_count` is a counter: if what the others can take off it (for each, the largest
//!   excess of `mmdrop`s over `mmgrab`s on any prefix of any path from where it is — a grab
//!   that comes before a drop offsets it, a loop that drops more than it grabs counts as
//!   unbounded; `__mmput`'s drops once, as only one actor runs it) plus A's `mmdrop` cannot
//!   take it to 0, no `mmdrop` frees the mm or trips S5, and increments and decrements
//!   commute, so `mm_count` and "freed" are no conflict;
//! * mmap_lock's read side is a set of per-actor bits: with no writer holding it, no one
//!   queued, and no `mmap_write_lock`/`mmap_write_unlock` among A's steps or in any future
//!   ([`MMAP_LOCK_WRITER`]), the lock stays so along the path; every read acquisition is
//!   granted at once, a release grants no one, and a read-side step only sets or clears its
//!   own actor's reader bit, which no other step or check reads (S6's unlock check reads the
//!   stepping actor's own bit; exclusivity cannot break without a writer). Read-side steps of
//!   different actors then commute, and mmap_lock is no conflict.
//!
//! **The set.** A is closed: grown from one enabled actor, it takes in every live actor whose
//! future conflicts with the next op of an actor in A ([`Reduction::closed_set`]); the
//! explorer tries the closed sets with the fewest enabled actors first. Before using one it
//! steps each enabled actor of A and checks the footprint of what the step actually ran (the
//! op, the local ops in `StepInfo`'s trail, "walk(a)" if it entered or left a walk; a step
//! that granted mmap_lock to someone is never used), plus the next ops of A's blocked actors,
//! against the others' futures ([`Reduction::confirm`]).
//!
//! **Why the verdicts stay exact.** Take any path w from s in the full graph. Until an actor
//! of A moves, only outsiders step, each within its future, so each of their steps commutes
//! with every step of A's enabled actors (same enabledness either order, same resulting state
//! — disjoint writes, no write read by the other, the steps being deterministic functions of
//! what they read — and the same invariant checks and step labels, as a check reads only what
//! the footprints list), and cannot enable a blocked actor of A (its enabledness is in its next
//! op's reads). (1) If an actor of A moves in w, the first such move is the step t the
//! explorer took from s for that actor (no outsider changes its locals: it is not queued, so no
//! grant moves it), and t can be moved to the front: w ≡ t·w', one step shorter from t(s),
//! with the same labelled transitions and end state. (2) If none moves, any enabled a of A
//! stays enabled along w, and w is a path from t_a(s) with the same labels; w cannot end in a
//! terminal state, since a is still enabled there. The explorer reduces s only when one of the
//! successors it takes, t_a(s), is a state not stored yet (the BFS proviso): t_a(s) is then one
//! level deeper in the breadth-first tree, so by induction on (|w|, the reduced graph's depth
//! minus the depth of s) every (invariant, label) on some path from s occurs on a path of the
//! reduced graph, and by (1) every terminal state reachable from s is reachable there: the
//! deadlock and final-state counts are exactly those of the full search. `core/tests/reduction.rs`
//! compares both searches on every preset and affordable combination, and checks that a
//! reduction blind to a real dependency is caught.

use crate::actor::{ActorId, N_ACTORS};
use crate::check::touches_mm;
use crate::mm::MmFlag;
use crate::program::Pc;
use crate::program::{Jump, Op, ProgId, N_PROGS};
use crate::sim::{Model, State, StepInfo};

/// A set of shared objects, one bit each.
pub type Objects = u64;

pub const MM_USERS: Objects = 1 << 0;
pub const MM_COUNT: Objects = 1 << 1;
/// `__mmdrop` has freed the mm_struct (read by S3 before every op that dereferences it).
pub const MM_FREED: Objects = 1 << 2;
pub const MMAP_LOCK: Objects = 1 << 3;
/// `mm->flags`: four bits from here, in [`flag`] order.
const MM_FLAGS: u32 = 4;
pub const TASK_MM: Objects = 1 << 8;
/// SIGKILL pending (`signal->flags & SIGNAL_GROUP_EXIT`).
pub const SIGKILL: Objects = 1 << 9;
pub const OOM_MM: Objects = 1 << 10;
pub const TASK_LOCK: Objects = 1 << 11;
pub const REAPER_LIST: Objects = 1 << 12;
pub const MM_MMAP: Objects = 1 << 13;
pub const NOTIFIERS: Objects = 1 << 14;
pub const LOCKED_VM: Objects = 1 << 15;
pub const VM_FLAGS: Objects = 1 << 16;
pub const PAGE_TABLES: Objects = 1 << 17;
pub const VMA_LIVE: Objects = 1 << 18;
pub const MUNLOCK: Objects = 1 << 19;
/// "Inside a VMA walk" of each actor, from here ([`walk`]).
const WALK0: u32 = 20;
pub const WALK_ALL: Objects = ((1 << N_ACTORS) - 1) << WALK0;
/// In a static future: "writes walk(b)" for the actor b it is the future of.
const WALK_SELF: Objects = 1 << 30;
/// The writer side of mmap_lock: written by `mmap_write_lock` and `mmap_write_unlock`, in
/// addition to [`MMAP_LOCK`]. Where no one can run either, the read side is a set of
/// per-actor bits ([`Reduction::conflicts`]).
pub const MMAP_LOCK_WRITER: Objects = 1 << 31;
/// Everything: the footprint of what cannot be analysed (a recursive edited program).
const ALL: Objects = (1 << 32) - 1;

pub fn flag(f: MmFlag) -> Objects {
    let i = match f {
        MmFlag::OomSkip => 0,
        MmFlag::Unstable => 1,
        MmFlag::OomVictim => 2,
        MmFlag::OomReapQueued => 3,
    };
    1 << (MM_FLAGS + i)
}

pub fn walk(a: ActorId) -> Objects {
    1 << (WALK0 + a as u32)
}

/// What a step reads and writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Footprint {
    pub reads: Objects,
    pub writes: Objects,
}

impl Footprint {
    fn rw(reads: Objects, writes: Objects) -> Footprint {
        Footprint { reads, writes }
    }
    pub fn add(&mut self, o: Footprint) {
        self.reads |= o.reads;
        self.writes |= o.writes;
    }
    /// Whether the two cannot be swapped: a write meets a read or a write.
    pub fn conflicts(&self, o: &Footprint) -> bool {
        self.writes & (o.reads | o.writes) != 0 || self.reads & o.writes != 0
    }
}

/// The static footprint of one op, checks and enabledness included (VMA-independent: the
/// VMA objects stand for every VMA). `notifier_fails`: the scenario's failing MMU notifier
/// (without it, `unmap_page_range` never looks at the notifiers).
pub fn op_footprint(op: &Op<Jump>, notifier_fails: bool) -> Footprint {
    let mut f = match *op {
        Op::DoExit => Footprint::rw(SIGKILL, 0),
        Op::ClearTaskMm => Footprint::rw(TASK_LOCK, TASK_LOCK | TASK_MM),
        Op::FindLockTaskMm { .. } => Footprint::rw(TASK_LOCK | TASK_MM, TASK_LOCK),
        Op::OomFindVictim { .. } => Footprint::rw(
            TASK_LOCK | TASK_MM | SIGKILL | flag(MmFlag::OomSkip),
            TASK_LOCK,
        ),
        Op::TaskUnlock => Footprint::rw(0, TASK_LOCK),
        Op::GetTaskMm { .. } => Footprint::rw(TASK_LOCK | TASK_MM | MM_USERS, MM_USERS),
        Op::TaskWillFreeMem { .. } => Footprint::rw(TASK_MM | SIGKILL | flag(MmFlag::OomSkip), 0),
        Op::SendSigkill => Footprint::rw(0, SIGKILL),
        Op::MarkOomMm { .. } => Footprint::rw(OOM_MM | MM_COUNT, OOM_MM | MM_COUNT),
        Op::WakeOomReaper => {
            let o = flag(MmFlag::OomReapQueued) | REAPER_LIST;
            Footprint::rw(o, o)
        }
        Op::OomReaperTimer { .. } => {
            Footprint::rw(REAPER_LIST | flag(MmFlag::OomSkip), REAPER_LIST)
        }
        Op::WaitReaperList => Footprint::rw(REAPER_LIST, REAPER_LIST),
        Op::ReadLock | Op::ReadLockKillable { .. } | Op::ReadTrylock { .. } | Op::ReadUnlock => {
            Footprint::rw(MMAP_LOCK, MMAP_LOCK)
        }
        Op::WriteLock | Op::WriteUnlock => {
            let o = MMAP_LOCK | MMAP_LOCK_WRITER;
            Footprint::rw(o, o)
        }
        Op::TestBit { flag: f, .. } => Footprint::rw(flag(f), 0),
        Op::SetBit(f) | Op::ClearBit(f) => Footprint::rw(0, flag(f)),
        Op::TestCurrentOomVictim { .. } => Footprint::rw(OOM_MM, 0),
        Op::Mmgrab(_) => Footprint::rw(MM_COUNT, MM_COUNT),
        Op::Mmdrop(_) => Footprint::rw(MM_COUNT | MM_FREED, MM_COUNT | MM_FREED),
        Op::MmgetNotZero { .. } | Op::Mmput => Footprint::rw(MM_USERS, MM_USERS),
        Op::ReapStart => Footprint::rw(0, flag(MmFlag::Unstable)),
        Op::LoadHead { .. } | Op::ArchExitMmap { .. } => Footprint::rw(MM_MMAP, 0),
        Op::CanMadvLru { .. } => Footprint::rw(VM_FLAGS | VMA_LIVE, 0),
        Op::ZapBegin { .. } => {
            let notifiers = if notifier_fails { NOTIFIERS } else { 0 };
            Footprint::rw(notifiers | PAGE_TABLES | VMA_LIVE | MUNLOCK, 0)
        }
        Op::ZapEnd => Footprint::rw(PAGE_TABLES | VMA_LIVE | MUNLOCK, 0),
        Op::NextVma { .. } => Footprint::rw(VMA_LIVE, 0),
        Op::ExitAio => Footprint::default(),
        Op::MmuNotifierRelease => Footprint::rw(0, NOTIFIERS),
        Op::MunlockBegin => Footprint::rw(0, VM_FLAGS | MUNLOCK),
        Op::MunlockEnd => Footprint::rw(0, MUNLOCK),
        Op::UnmapVma => Footprint::default(),
        Op::FreePgtables | Op::TlbFinishMmu => Footprint::rw(PAGE_TABLES, PAGE_TABLES),
        Op::RemoveVma { .. } => Footprint::rw(0, VMA_LIVE),
        Op::ResetMmap => Footprint::rw(0, MM_MMAP),
        // Locals: only these read or write anything shared.
        Op::IfVmaLocked { .. } => Footprint::rw(VM_FLAGS, 0),
        Op::TestLockedVm { .. } => Footprint::rw(LOCKED_VM, 0),
        Op::MunlockAccount => Footprint::rw(LOCKED_VM, LOCKED_VM),
        Op::FirstVmaLocal { .. }
        | Op::OwnerNextVma { .. }
        | Op::ReapAttempt { .. }
        | Op::SetReapOk
        | Op::IfReapOk { .. }
        | Op::IfReap { .. }
        | Op::IfMm { .. }
        | Op::SetErrno(_)
        | Op::Sleep { .. }
        | Op::LogUnableToReap
        | Op::LogReaped
        | Op::PutTask
        | Op::Call(_)
        | Op::Goto(_)
        | Op::End
        | Op::Nop => Footprint::default(),
    };
    if !op.is_local() && touches_mm(op) {
        f.reads |= MM_FREED;
    }
    if op.is_destructive() {
        f.reads |= WALK_ALL;
    }
    f
}

/// Which acquisitions of mmap_lock cannot complete while the chosen actor does not move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Held {
    /// The chosen actor holds nothing: every future is whole.
    No,
    /// It holds mmap_lock for read: no writer can be granted.
    Read,
    /// It holds it for write: no one can be granted.
    Write,
}

/// An unbounded number of `mmdrop`s.
const MANY: u8 = u8::MAX;

/// An over-approximation of what an actor does from one pc on.
#[derive(Clone, Copy, Debug, Default)]
pub struct Future {
    fp: Footprint,
    /// The frame can return to its caller.
    returns: bool,
    /// By how much at most the actor's own `mmgrab`s and `mmdrop`s can lower `mm_count` below
    /// where it is now, at any point of any path (the largest prefix sum of drops minus grabs;
    /// [`MANY`]: unbounded), not counting `__mmput`'s.
    drops: u8,
    /// Can enter `__mmput` (an `mmput` while `__mmput` has not begun).
    enters_mmput: bool,
}

/// The futures of one state's actors, computed once per (hold, actor) when first asked.
#[derive(Default)]
pub struct Futures([[Option<Future>; N_ACTORS]; 3]);

/// The per-model tables of futures, built once.
pub struct Reduction {
    /// By `[held][exit may still begin][prog][pc]`; one extra pc per program = returned.
    futures: [[[Vec<Future>; N_PROGS]; 2]; 3],
    /// Every step's [`op_footprint`] and whether it is an `mmdrop`, by `[prog][pc]`: asked
    /// for several times per state.
    ops: [Vec<(Footprint, bool)>; N_PROGS],
    /// The `mmdrop`s of a whole `__mmput`, by `held`.
    mmput_drops: [u8; 3],
    /// Objects the reduction pretends no one touches (empty but in [`Reduction::blind_to`]).
    blind: Objects,
    /// Treat mmap_lock's read side as per-actor bits even with a writer about (only in
    /// [`Reduction::blind_to_lock_writers`]).
    blind_writers: bool,
    /// An edited program calls `__mmput` directly: more than one actor can be in `exit_mmap`,
    /// and S4 then reads which one is first (other actors' frames); no reduction.
    off: bool,
}

impl Reduction {
    pub fn new(model: &Model) -> Reduction {
        let mut futures: [[[Vec<Future>; N_PROGS]; 2]; 3] = Default::default();
        let mut mmput_drops = [0; 3];
        for (h, held) in [Held::No, Held::Read, Held::Write].into_iter().enumerate() {
            for (e, exit) in [false, true].into_iter().enumerate() {
                let mut b = Builder {
                    model,
                    held,
                    exit,
                    entry: [None; N_PROGS],
                    busy: [false; N_PROGS],
                };
                for p in ProgId::ALL {
                    let n = model.variant.program(p).steps.len();
                    futures[h][e][p as usize] = (0..=n).map(|i| b.from(p, i)).collect();
                }
                if exit {
                    mmput_drops[h] = b.entry(ProgId::Mmput).drops;
                }
            }
        }
        let notifier_fails = model.scenario.options.notifier_fails;
        let ops = ProgId::ALL.map(|p| {
            let steps = &model.variant.program(p).steps;
            steps
                .iter()
                .map(|st| {
                    (
                        op_footprint(&st.op, notifier_fails),
                        matches!(st.op, Op::Mmdrop(_)),
                    )
                })
                .collect()
        });
        Reduction {
            futures,
            ops,
            mmput_drops,
            blind: 0,
            blind_writers: false,
            off: ProgId::ALL.into_iter().any(|p| {
                model
                    .variant
                    .program(p)
                    .steps
                    .iter()
                    .any(|st| st.op == Op::Call(ProgId::Mmput))
            }),
        }
    }

    /// A deliberately wrong reduction that ignores `objects` in every footprint: for the test
    /// that shows comparing reduced and full searches catches a missed dependency.
    pub fn blind_to(mut self, objects: Objects) -> Reduction {
        self.blind = objects;
        self
    }

    /// A deliberately wrong reduction whose reader-only rule for mmap_lock ignores writers and
    /// waiters: for the test that shows the comparison catches it.
    pub fn blind_to_lock_writers(mut self) -> Reduction {
        self.blind_writers = true;
        self
    }

    #[inline]
    fn op(&self, pc: Pc) -> (Footprint, bool) {
        self.ops[pc.prog as usize][pc.idx as usize]
    }

    /// The strongest hold on mmap_lock among the actors of `set` (a bitmask by `ActorId`).
    fn held(s: &State, set: u8) -> Held {
        let l = &s.mm.mmap_lock;
        if l.writer.is_some_and(|w| set & bit(w) != 0) {
            Held::Write
        } else if l.readers_mask() & set != 0 {
            Held::Read
        } else {
            Held::No
        }
    }

    /// What actor `b` can still do while no actor of `set` moves (holding what it holds).
    fn future(&self, s: &State, b: ActorId, held: Held) -> Future {
        let tables = &self.futures[held as usize][!s.mm.exit_started as usize];
        let mut fb = Future::default();
        // The innermost frame from its pc; a caller from the step after its call, if
        // everything above it can return.
        for (k, pc) in s.actor(b).frames().iter().rev().enumerate() {
            let idx = pc.idx as usize + usize::from(k > 0);
            let t = &tables[pc.prog as usize];
            let f = t[idx.min(t.len() - 1)];
            fb.fp.add(f.fp);
            fb.drops = fb.drops.saturating_add(f.drops);
            fb.enters_mmput |= f.enters_mmput;
            if !f.returns {
                break;
            }
        }
        if fb.fp.writes & WALK_SELF != 0 {
            fb.fp.writes = fb.fp.writes & !WALK_SELF | walk(b);
        }
        fb
    }

    /// Whether steps with footprint `t` (of the actors in `set`; `drops`: one of them is an
    /// `mmdrop`) commute with everything the other live actors can do while `set` does not
    /// move; if not, the actors they conflict with.
    fn conflicts(
        &self,
        s: &State,
        set: u8,
        mut t: Footprint,
        drops: bool,
        cache: &mut Futures,
    ) -> u8 {
        let held = Self::held(s, set);
        let mut futures = [(ActorId::V, Future::default()); N_ACTORS];
        let mut n = 0;
        let mut total: u32 = u32::from(drops);
        let mut enters_mmput = false;
        for b in ActorId::ALL {
            let act = s.actor(b);
            if set & bit(b) != 0 || !act.present || act.is_done() {
                continue;
            }
            let f =
                *cache.0[held as usize][b as usize].get_or_insert_with(|| self.future(s, b, held));
            total += u32::from(f.drops);
            enters_mmput |= f.enters_mmput;
            futures[n] = (b, f);
            n += 1;
        }
        // Only one actor can run `__mmput`: its `mmdrop`s count once.
        if enters_mmput {
            total += u32::from(self.mmput_drops[held as usize]);
        }
        // `mm_count` is a counter: when all these `mmdrop`s together cannot take it to 0, none
        // frees the mm or trips S5, and increments and decrements commute.
        let mut ignore = self.blind;
        if total < s.mm.count.max(0) as u32 {
            ignore |= MM_COUNT | MM_FREED;
        }
        // With no writer, no waiter, and no `mmap_write_lock`/`mmap_write_unlock` among these
        // steps or anyone's future, mmap_lock stays so: a read acquisition is granted at once,
        // a release grants no one, and each only flips its own actor's reader bit, which no
        // one else's step or check reads. Read-side steps of different actors then commute.
        let lock = &s.mm.mmap_lock;
        let writes_lock = |f: &Footprint| (f.reads | f.writes) & MMAP_LOCK_WRITER != 0;
        let no_writer = lock.writer.is_none()
            && !lock.has_waiters()
            && !writes_lock(&t)
            && !futures[..n].iter().any(|(_, f)| writes_lock(&f.fp));
        if no_writer || self.blind_writers {
            ignore |= MMAP_LOCK;
        }
        t.reads &= !ignore;
        t.writes &= !ignore;
        let mut out = 0;
        for (b, f) in &futures[..n] {
            let o = Footprint::rw(f.fp.reads & !ignore, f.fp.writes & !ignore);
            if t.conflicts(&o) {
                out |= bit(*b);
            }
        }
        out
    }

    /// The static footprint of the next op of every actor in `set`, and whether one is an
    /// `mmdrop`.
    fn next_ops(&self, s: &State, set: u8) -> (Footprint, bool) {
        let mut t = Footprint::default();
        let mut drops = false;
        for m in ActorId::ALL.into_iter().filter(|m| set & bit(*m) != 0) {
            if let Some(pc) = s.actor(m).pc() {
                let (f, d) = self.op(pc);
                t.add(f);
                drops |= d;
            }
        }
        (t, drops)
    }

    /// A set of live actors closed under "its next op conflicts with your future", grown from
    /// `seed`, and its enabled part. The explorer may expand the enabled part alone, once
    /// [`Reduction::confirm`] has checked the steps it actually takes.
    pub fn closed_set(&self, s: &State, seed: u8, enabled: u8, cache: &mut Futures) -> (u8, u8) {
        let mut set = seed;
        loop {
            let (t, drops) = self.next_ops(s, set);
            let more = self.conflicts(s, set, t, drops, cache);
            if more == 0 {
                return (set, set & enabled);
            }
            set |= more;
        }
    }

    /// The closed sets grown from each enabled actor whose enabled part is not all of
    /// `enabled`, as (set, enabled part), smallest enabled part first (then in `ActorId` order
    /// of the seed), without repeats.
    pub fn candidates(&self, s: &State, enabled: u8, cache: &mut Futures) -> Vec<(u8, u8)> {
        let mut c: Vec<(u8, u8)> = Vec::new();
        // A closed set holds its seed, an enabled actor: with one enabled actor, its enabled
        // part is all of `enabled`, and growing it would be wasted work.
        if self.off || enabled.count_ones() < 2 {
            return c;
        }
        for a in ActorId::ALL.into_iter().filter(|a| enabled & bit(*a) != 0) {
            let (set, e) = self.closed_set(s, bit(a), enabled, cache);
            if e != enabled && !c.iter().any(|x| x.1 == e) {
                c.push((set, e));
            }
        }
        c.sort_by_key(|x| x.1.count_ones());
        c
    }

    /// The footprint of one step as it ran from `s` to `n` (`info`): its op, the local ops
    /// it passed through, and "walk(a)" if it entered or left a VMA walk; `None` for a step
    /// that granted mmap_lock to someone or was a queued waiter's.
    pub fn step_footprint(
        &self,
        s: &State,
        n: &State,
        info: &StepInfo,
    ) -> Option<(Footprint, bool)> {
        let a = info.actor;
        if !info.granted.is_empty() || s.mm.mmap_lock.is_queued(a) {
            return None;
        }
        let (mut t, drops) = self.op(info.pc);
        for pc in &info.locals {
            t.add(self.op(*pc).0);
        }
        let walking = |x: &State| x.actor(a).present && x.actor(a).in_walk();
        if walking(s) != walking(n) {
            t.writes |= walk(a);
        }
        Some((t, drops))
    }

    /// Whether the steps the enabled actors of `set` take (their footprints `steps`, from
    /// [`Reduction::step_footprint`], and whether one is an `mmdrop`) and the next ops of its blocked actors commute with
    /// everything the actors outside `set` can do.
    pub fn confirm(
        &self,
        s: &State,
        set: u8,
        enabled: u8,
        (steps, drops): (Footprint, bool),
        cache: &mut Futures,
    ) -> bool {
        let (mut t, blocked_drops) = self.next_ops(s, set & !enabled);
        t.add(steps);
        self.conflicts(s, set, t, drops || blocked_drops, cache) == 0
    }
}

fn bit(a: ActorId) -> u8 {
    1 << a as u8
}

/// Computes [`Future`]s for one (held, exit) pair.
struct Builder<'m> {
    model: &'m Model,
    held: Held,
    exit: bool,
    /// Memoised futures of whole programs (from their first step).
    entry: [Option<Future>; N_PROGS],
    /// Programs whose entry is being computed (a recursive edited program).
    busy: [bool; N_PROGS],
}

impl Builder<'_> {
    fn entry(&mut self, p: ProgId) -> Future {
        if let Some(f) = self.entry[p as usize] {
            return f;
        }
        if self.busy[p as usize] {
            return Future {
                fp: Footprint::rw(ALL, ALL),
                returns: true,
                drops: MANY,
                enters_mmput: true,
            };
        }
        self.busy[p as usize] = true;
        let f = self.from(p, 0);
        self.busy[p as usize] = false;
        self.entry[p as usize] = Some(f);
        f
    }

    /// The pcs that can follow `i` in its program while the chosen actor does not move, and
    /// whether it can return from there.
    fn successors(&self, op: &Op<Jump>, i: usize) -> (Vec<usize>, bool) {
        let mut next = Vec::new();
        let mut returns = false;
        let mut to = |j: Jump| match j {
            Jump::At(k) => next.push(k as usize),
            Jump::Return => returns = true,
        };
        let fall = Jump::At((i + 1) as u8);
        match (*op, self.held) {
            (Op::WriteLock, Held::Read | Held::Write) | (Op::ReadLock, Held::Write) => {}
            (Op::ReadLockKillable { on_eintr }, Held::Write) => to(on_eintr),
            (Op::ReadTrylock { on_fail }, Held::Write) => to(on_fail),
            (Op::Goto(j) | Op::Sleep { to: j }, _) => to(j),
            (Op::IfReapOk { if_ok, if_fail }, _) => {
                to(if_ok);
                to(if_fail);
            }
            (
                Op::TestBit {
                    if_set, if_clear, ..
                },
                _,
            ) => {
                to(if_set);
                to(if_clear);
            }
            _ => {
                for j in op.targets() {
                    to(j);
                }
                to(fall);
            }
        }
        (next, returns)
    }

    /// The future of a frame of program `p` at step `i`.
    fn from(&mut self, p: ProgId, i: usize) -> Future {
        let steps = &self.model.variant.program(p).steps;
        let n = steps.len();
        let mut f = Future::default();
        let mut seen = vec![false; n + 1];
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); n + 1];
        // Each step's effect on mm_count: +1 per drop, -1 per grab (a callee: its whole bound).
        let mut dropping = vec![0i32; n + 1];
        let mut stack = vec![i];
        while let Some(k) = stack.pop() {
            if k >= n {
                // Falling off the end returns.
                f.returns = true;
                continue;
            }
            if std::mem::replace(&mut seen[k], true) {
                continue;
            }
            let op = steps[k].op;
            f.fp.add(op_footprint(
                &op,
                self.model.scenario.options.notifier_fails,
            ));
            if p == ProgId::OomReapTaskMm {
                f.fp.writes |= WALK_SELF;
            }
            dropping[k] = match op {
                Op::Mmdrop(_) => 1,
                Op::Mmgrab(_) => -1,
                Op::Call(q) => {
                    let c = self.entry(q);
                    f.fp.add(c.fp);
                    f.enters_mmput |= c.enters_mmput;
                    i32::from(c.drops)
                }
                Op::Mmput if self.exit => {
                    let c = self.entry(ProgId::Mmput);
                    f.fp.add(c.fp);
                    f.enters_mmput = true;
                    // Its drops are counted once for all actors ([`Reduction::conflicts`]); on a
                    // loop, an `mmput` can still enter `__mmput` only once.
                    0
                }
                _ => 0,
            };
            let (next, returns) = self.successors(&op, k);
            f.returns |= returns;
            for &m in &next {
                stack.push(m);
            }
            edges[k] = next;
        }
        f.drops = max_decrease(&edges, &seen, &dropping, i);
        f
    }
}

/// The largest prefix sum of `weight` along any path from `i` (0 for the empty one), over the
/// steps `seen`; [`MANY`] when a cycle can raise it without bound. A longest-path
/// relaxation: without a positive cycle it settles within one round per step.
fn max_decrease(edges: &[Vec<usize>], seen: &[bool], weight: &[i32], i: usize) -> u8 {
    let cap = i32::from(MANY);
    let mut m = vec![0i32; edges.len()];
    for _ in 0..=edges.len() {
        let mut changed = false;
        for k in (0..edges.len()).filter(|k| seen[*k]) {
            let next = edges[k].iter().map(|j| m[*j]).max().unwrap_or(0);
            let v = (weight[k] + next).clamp(0, cap);
            if v > m[k] {
                m[k] = v;
                changed = true;
            }
        }
        if !changed {
            return m[i].min(cap) as u8;
        }
    }
    MANY
}
