//! Partial-order reduction: at a state where one actor's next step commutes with everything
//! every other actor can still do, the explorer expands that step alone.
//!
//! **Footprints.** Every op has a static footprint ([`op_footprint`]): the shared objects it
//! reads and writes — `mm_users` (with "`__mmput` began"), `mm_count`, "the mm is freed",
//! mmap_lock (holders and queue), each `mm->flags` bit, `task->mm`, the pending SIGKILL,
//! `signal->oom_mm`, `task_lock`, the reaper list, `mm->mmap`, the notifiers, `locked_vm`, and
//! of the VMAs their `vm_flags`, page tables, liveness and munlock walk. The reads include
//! what decides whether the actor may step ([`Model::blocked`]: SIGKILL for `do_exit`,
//! `task_lock`, the reaper list; a queued waiter's own queue entry is mmap_lock) and what the
//! invariants read of the state before the step (S3 reads "freed" for every op that
//! dereferences the mm, S2 liveness, S4 the munlock walk, S1 the page tables, S5 the counts).
//! Some checks read other actors: S7 asks whether anyone else is *inside a VMA walk*; that is
//! one object per actor ("walk(b)"), written only by b's own steps. S4 compares with
//! exit_mmap's owner only to ask whether the stepping actor is it (its own frames). S6's
//! exclusivity is judged after steps that change mmap_lock only (`check::mmap_lock_exclusive`).
//! Two things are left out on purpose: `vma->mapped` (every write stores `false` and no step
//! or check reads it, so two writes commute) and the informational events (`DoubleReap`,
//! `ReaperBailedOnSkip`), which are neither state nor outcomes.
//!
//! **Futures.** For another actor b, [`Reduction`] over-approximates every op b can still
//! execute: everything reachable from each of its frames (jumps, calls, `mmput` entering
//! `__mmput` while `__mmput` has not begun anywhere — `exit_started` never clears), the
//! local ops in between, and what a grant of mmap_lock makes b run (those are b's own next
//! ops). Two refinements make it useful, both facts about a path on which the chosen actor
//! a does not move:
//! * while a holds mmap_lock for read, no other actor's `mmap_write_lock` can complete
//!   (`rwsem.rs` grants a writer only a free lock), so b's future stops at it; while a holds it
//!   for write, no acquisition completes (only a trylock's failure and a killable waiter's
//!   EINTR continue);
//! * "the mm is freed" can only be written by the `mmdrop` that takes `mm_count` to 0; if the
//!   others can together run fewer `mmdrop`s than `mm_count` is now (an `mmdrop` on a loop
//!   counts as unbounded), none of them frees the mm.
//!
//! **The step.** a's next step t at state s is its op plus the local ops it runs after it;
//! its footprint is computed from what t actually ran (the op, the locals in `StepInfo`'s
//! trail, "walk(a)" if t changed whether a is inside a walk). A step that granted mmap_lock to
//! someone is never chosen. t is *independent* when it writes nothing another actor's future
//! reads or writes and reads nothing it writes.
//!
//! **Why the verdicts stay exact.** Let t be independent at s. Take any path w from s in the
//! full graph. Until a moves, only other actors step, each within its future, so each of their
//! steps commutes with t: same enabledness either order, same resulting state (disjoint writes,
//! no write read by the other — the steps are deterministic functions of what they read), and
//! the same invariant checks and step labels (a check reads only what the footprints list).
//! (1) If a moves in w, its first move is t (nothing else changes a's locals: a is not queued,
//! so no grant moves it), and t can be moved to the front: w ≡ t·w', a path from t(s) one step
//! shorter with the same labelled transitions and the same end state. (2) If a never moves in
//! w, t stays enabled along w and w is a path from t(s) with the same labels; w cannot end in
//! a terminal state, since a is still enabled there. The explorer expands s through t alone
//! only when t(s) is a *new* state (the BFS proviso), so a chain of reduced states is a chain
//! of tree edges and ends in a fully expanded state; an induction on (|w|, length of that
//! chain) then shows every (invariant, label) on some path from s occurs on a path of the
//! reduced graph, and by (1) every terminal state (final or deadlock) reachable from s is
//! reachable there too, so the deadlock and final-state counts are exactly those of the full
//! search. `core/tests/reduction.rs` compares both searches on every preset and combination,
//! and checks that a wrong footprint makes the comparison fail.

use crate::actor::{ActorId, N_ACTORS};
use crate::check::touches_mm;
use crate::mm::MmFlag;
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
/// Everything: the footprint of what cannot be analysed (a recursive edited program).
const ALL: Objects = (1 << 31) - 1;

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
    fn add(&mut self, o: Footprint) {
        self.reads |= o.reads;
        self.writes |= o.writes;
    }
    /// Whether the two cannot be swapped: a write meets a read or a write.
    pub fn conflicts(&self, o: &Footprint) -> bool {
        self.writes & (o.reads | o.writes) != 0 || self.reads & o.writes != 0
    }
}

/// The static footprint of one op, checks and enabledness included (VMA-independent: the
/// VMA objects stand for every VMA).
pub fn op_footprint(op: &Op<Jump>) -> Footprint {
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
        Op::ReadLock
        | Op::ReadLockKillable { .. }
        | Op::ReadTrylock { .. }
        | Op::ReadUnlock
        | Op::WriteLock
        | Op::WriteUnlock => Footprint::rw(MMAP_LOCK, MMAP_LOCK),
        Op::TestBit { flag: f, .. } => Footprint::rw(flag(f), 0),
        Op::SetBit(f) | Op::ClearBit(f) => Footprint::rw(0, flag(f)),
        Op::TestCurrentOomVictim { .. } => Footprint::rw(OOM_MM, 0),
        Op::Mmgrab(_) => Footprint::rw(MM_COUNT, MM_COUNT),
        Op::Mmdrop(_) => Footprint::rw(MM_COUNT | MM_FREED, MM_COUNT | MM_FREED),
        Op::MmgetNotZero { .. } | Op::Mmput => Footprint::rw(MM_USERS, MM_USERS),
        Op::ReapStart => Footprint::rw(0, flag(MmFlag::Unstable)),
        Op::LoadHead { .. } | Op::ArchExitMmap { .. } => Footprint::rw(MM_MMAP, 0),
        Op::CanMadvLru { .. } => Footprint::rw(VM_FLAGS | VMA_LIVE, 0),
        Op::ZapBegin { .. } => Footprint::rw(NOTIFIERS | PAGE_TABLES | VMA_LIVE | MUNLOCK, 0),
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
struct Future {
    fp: Footprint,
    /// The frame can return to its caller.
    returns: bool,
    /// At most this many `mmdrop`s ([`MANY`]: unbounded), not counting `__mmput`'s.
    drops: u8,
    /// Can enter `__mmput` (an `mmput` while `__mmput` has not begun).
    enters_mmput: bool,
}

/// The per-model tables of futures, built once.
pub struct Reduction {
    /// By `[held][exit may still begin][prog][pc]`; one extra pc per program = returned.
    futures: [[[Vec<Future>; N_PROGS]; 2]; 3],
    /// The `mmdrop`s of a whole `__mmput`, by `held`.
    mmput_drops: [u8; 3],
    /// Objects the reduction pretends no one touches (empty but in [`Reduction::blind_to`]).
    blind: Objects,
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
        Reduction {
            futures,
            mmput_drops,
            blind: 0,
        }
    }

    /// A deliberately wrong reduction that ignores `objects` in every footprint: for the test
    /// that shows comparing reduced and full searches catches a missed dependency.
    pub fn blind_to(mut self, objects: Objects) -> Reduction {
        self.blind = objects;
        self
    }

    /// What every present actor other than `a` can still do while `a` does not move, as one
    /// footprint, and how many `mmdrop`s they can run at most together.
    fn others(&self, s: &State, a: ActorId) -> (Footprint, u32) {
        let l = &s.mm.mmap_lock;
        let held = if l.writer == Some(a) {
            Held::Write
        } else if l.is_reader(a) {
            Held::Read
        } else {
            Held::No
        };
        let exit = !s.mm.exit_started;
        let tables = &self.futures[held as usize][exit as usize];
        let mut all = Footprint::default();
        let mut drops: u32 = 0;
        let mut enters_mmput = false;
        for b in ActorId::ALL {
            let act = s.actor(b);
            if b == a || !act.present || act.is_done() {
                continue;
            }
            let frames = act.frames();
            let mut fb = Footprint::default();
            // The innermost frame from its pc; a caller from the step after its call, if
            // everything above it can return.
            for (k, pc) in frames.iter().rev().enumerate() {
                let idx = pc.idx as usize + usize::from(k > 0);
                let t = &tables[pc.prog as usize];
                let f = t[idx.min(t.len() - 1)];
                fb.add(f.fp);
                drops += u32::from(f.drops);
                enters_mmput |= f.enters_mmput;
                if !f.returns {
                    break;
                }
            }
            if fb.writes & WALK_SELF != 0 {
                fb.writes = fb.writes & !WALK_SELF | walk(b);
            }
            all.add(fb);
        }
        // Only one of them can run `__mmput`: its `mmdrop`s count once.
        if enters_mmput {
            drops += u32::from(self.mmput_drops[held as usize]);
        }
        (all, drops)
    }

    /// A cheap first test of `a`'s next step (its op alone) against the others' futures.
    pub fn may_be_independent(&self, model: &Model, s: &State, a: ActorId) -> bool {
        let Some(pc) = s.actor(a).pc() else {
            return false;
        };
        let op = model.step_def(pc).op;
        self.commutes(s, a, op_footprint(&op), matches!(op, Op::Mmdrop(_)))
    }

    /// Whether `a`'s step from `s` to `n` (described by `info`) commutes with everything the
    /// other actors can still do.
    pub fn independent(&self, model: &Model, s: &State, n: &State, info: &StepInfo) -> bool {
        let a = info.actor;
        if !info.granted.is_empty() || s.mm.mmap_lock.is_queued(a) {
            return false;
        }
        let op = model.step_def(info.pc).op;
        let mut t = op_footprint(&op);
        for pc in &info.locals {
            t.add(op_footprint(&model.step_def(*pc).op));
        }
        let walking = |x: &State| x.actor(a).present && x.actor(a).in_walk();
        if walking(s) != walking(n) {
            t.writes |= walk(a);
        }
        self.commutes(s, a, t, matches!(op, Op::Mmdrop(_)))
    }

    /// Whether a step of `a` with footprint `t` (an `mmdrop` if `drops`) commutes with the
    /// others' futures. `mm_count` is a counter: when the others' `mmdrop`s and this one
    /// together cannot take it to 0, no `mmdrop` frees the mm or trips S5 before `a` moves
    /// again, and increments and decrements commute, so neither it nor "freed" is a conflict.
    fn commutes(&self, s: &State, a: ActorId, mut t: Footprint, drops: bool) -> bool {
        let (mut o, others_drops) = self.others(s, a);
        t.reads &= !self.blind;
        t.writes &= !self.blind;
        o.reads &= !self.blind;
        o.writes &= !self.blind;
        if others_drops + u32::from(drops) < s.mm.count.max(0) as u32 {
            let counter = !(MM_COUNT | MM_FREED);
            t.reads &= counter;
            t.writes &= counter;
            o.reads &= counter;
            o.writes &= counter;
        }
        !t.conflicts(&o)
    }
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
        let mut dropping = vec![0u8; n + 1];
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
            f.fp.add(op_footprint(&op));
            if p == ProgId::OomReapTaskMm {
                f.fp.writes |= WALK_SELF;
            }
            dropping[k] = match op {
                Op::Mmdrop(_) => 1,
                Op::Call(q) => {
                    let c = self.entry(q);
                    f.fp.add(c.fp);
                    f.enters_mmput |= c.enters_mmput;
                    c.drops
                }
                Op::Mmput if self.exit => {
                    let c = self.entry(ProgId::Mmput);
                    f.fp.add(c.fp);
                    f.enters_mmput = true;
                    // Its drops are counted once for all actors ([`Reduction::others`]); on a
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
        f.drops = 0;
        for k in (0..n).filter(|k| seen[*k] && dropping[*k] > 0) {
            let bound = if on_cycle(&edges, k) {
                MANY
            } else {
                dropping[k]
            };
            f.drops = f.drops.saturating_add(bound);
        }
        f
    }
}

/// Whether step `k` can reach itself.
fn on_cycle(edges: &[Vec<usize>], k: usize) -> bool {
    let mut seen = vec![false; edges.len()];
    let mut stack: Vec<usize> = edges[k].clone();
    while let Some(m) = stack.pop() {
        if m == k {
            return true;
        }
        if m >= edges.len() || std::mem::replace(&mut seen[m], true) {
            continue;
        }
        stack.extend(edges[m].iter().copied());
    }
    false
}
