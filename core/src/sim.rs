//! The one interpreter: the state of the whole model and one atomic step of one actor.
//!
//! [`State`] is plain `Copy` data (mm, VMAs, the victim task, each actor's call stack and
//! locals), so history can keep every state and the explorer can hash them. [`Model::step`]
//! executes the shared op at the actor's program counter, checks the invariants that op could
//! break, then runs the actor's *local* ops (branches on its own variables, calls, returns)
//! until it rests on the next shared op. Actors granted mmap_lock by the step are advanced the
//! same way. So every scheduling point is a shared-memory step, as on a real CPU.

use crate::actor::{ActorId, N_ACTORS};
use crate::check::{self, Event, Violation};
use crate::mm::{Mm, MmFlag, PageTables, Task, VmaIdx, VM_LOCKED, VM_SHARED};
use crate::program::{Errno, Jump, Op, Pc, Pin, ProgId, Step};
use crate::rwsem::{Acquire, WaitKind};
use crate::scenario::Scenario;
use crate::variant::Variant;
use serde::Serialize;
use std::fmt;

/// `MAX_OOM_REAP_RETRIES`.
pub const MAX_OOM_REAP_RETRIES: u8 = 10;
pub(crate) const MAX_FRAMES: usize = 3;
/// Local ops an actor may run between two scheduling points before it counts as spinning.
const MAX_LOCAL_OPS: usize = 1000;

/// One actor's call stack and locals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Actor {
    pub present: bool,
    frames: [Pc; MAX_FRAMES],
    depth: u8,
    /// The VMA the actor's loop is at (`vma` in the kernel function).
    pub cursor: Option<VmaIdx>,
    /// Between `unmap_page_range` and `zap_pte_range`: the VMA, and whether a pmd was loaded.
    pub zap: Option<(VmaIdx, bool)>,
    /// The reaper's `attempts`.
    pub attempts: u8,
    /// `ret` of `__oom_reap_task_mm` / `oom_reap_task_mm`.
    pub ok: bool,
    /// process_mrelease's `reap`.
    pub reap: bool,
    /// process_mrelease's `ret`.
    pub errno: Option<Errno>,
    /// Holds an `mm_users` reference (M in v5.16, G).
    pub pins_users: bool,
    /// Holds an `mm_count` reference of its own (M in v5.17+).
    pub pins_count: bool,
}

const NO_PC: Pc = Pc {
    prog: ProgId::ExitMm,
    idx: 0,
};

impl Actor {
    fn absent() -> Actor {
        Actor {
            present: false,
            frames: [NO_PC; MAX_FRAMES],
            depth: 0,
            cursor: None,
            zap: None,
            attempts: 0,
            ok: false,
            reap: false,
            errno: None,
            pins_users: false,
            pins_count: false,
        }
    }
    pub fn is_done(&self) -> bool {
        self.depth == 0
    }
    /// The step the actor will execute next (its innermost frame).
    #[inline(always)]
    pub fn pc(&self) -> Option<Pc> {
        (self.depth > 0).then(|| self.frames[self.depth as usize - 1])
    }
    /// The call stack, outermost first.
    pub fn frames(&self) -> &[Pc] {
        &self.frames[..self.depth as usize]
    }
    pub fn in_program(&self, p: ProgId) -> bool {
        self.frames().iter().any(|f| f.prog == p)
    }
    /// Inside `__oom_reap_task_mm` with a VMA in hand (what invariant S7 protects).
    pub fn in_walk(&self) -> bool {
        self.pc().is_some_and(|pc| pc.prog == ProgId::OomReapTaskMm)
            && (self.cursor.is_some() || self.zap.is_some())
    }
    #[inline(always)]
    fn set_pc(&mut self, idx: u8) {
        let d = self.depth as usize - 1;
        self.frames[d].idx = idx;
    }
    /// Enters `prog`; false (and nothing happens) when the stack is full — only an edited
    /// program can recurse.
    fn push(&mut self, prog: ProgId) -> bool {
        if self.depth as usize >= MAX_FRAMES {
            return false;
        }
        self.frames[self.depth as usize] = Pc { prog, idx: 0 };
        self.depth += 1;
        true
    }
    fn pop(&mut self) {
        self.depth -= 1;
        self.frames[self.depth as usize] = NO_PC;
    }
}

/// The whole model state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct State {
    pub mm: Mm,
    pub task: Task,
    pub actors: [Actor; N_ACTORS],
}

impl State {
    #[inline(always)]
    pub fn actor(&self, a: ActorId) -> &Actor {
        &self.actors[a as usize]
    }
    /// The actor running `exit_mmap`, if any.
    pub fn exit_mmap_owner(&self) -> Option<ActorId> {
        ActorId::ALL
            .into_iter()
            .find(|a| self.actor(*a).in_program(ProgId::Mmput))
    }
    /// Every present actor has returned.
    pub fn all_done(&self) -> bool {
        self.actors.iter().all(|a| !a.present || a.is_done())
    }
}

/// Why an actor cannot step now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Blocked {
    NotPresent,
    Done,
    /// Queued on mmap_lock; `holder` is who it waits behind.
    QueuedOnMmapLock {
        kind: WaitKind,
    },
    /// Spinning on `task_lock(V)`.
    TaskLock {
        holder: ActorId,
    },
    /// V runs user code until a fatal signal is pending.
    NoFatalSignal,
    /// The oom_reaper sleeps until a victim is queued.
    ReaperIdle,
}

/// The error for stepping an actor that cannot step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepError {
    pub actor: ActorId,
    pub blocked: Blocked,
    pub message: String,
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// How a lock op went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum LockOutcome {
    Acquired,
    Queued,
    TrylockFailed,
    Released,
    /// Removed from the queue by a fatal signal.
    Killed,
}

/// What one step did, in structured form (narration is derived from it lazily).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepInfo {
    pub actor: ActorId,
    /// The shared step executed.
    pub pc: Pc,
    /// The VMA it operated on, for VMA ops.
    pub vma: Option<VmaIdx>,
    /// For a branch: which way it went.
    pub branch: Option<bool>,
    pub lock: Option<LockOutcome>,
    /// Actors that this step granted mmap_lock to.
    pub granted: Vec<ActorId>,
    /// The local steps the actor then passed through, in order.
    pub locals: Vec<Pc>,
    pub events: Vec<Event>,
    pub violations: Vec<Violation>,
}

impl StepInfo {
    /// An empty record, to be filled by [`Model::step_into`].
    pub fn default_for(actor: ActorId) -> StepInfo {
        StepInfo::empty(actor)
    }
    fn empty(actor: ActorId) -> StepInfo {
        StepInfo {
            actor,
            pc: NO_PC,
            vma: None,
            branch: None,
            lock: None,
            granted: Vec::new(),
            locals: Vec::new(),
            events: Vec::new(),
            violations: Vec::new(),
        }
    }
    fn reset(&mut self, actor: ActorId, pc: Pc, vma: Option<VmaIdx>) {
        self.actor = actor;
        self.pc = pc;
        self.vma = vma;
        self.branch = None;
        self.lock = None;
        self.granted.clear();
        self.locals.clear();
        self.events.clear();
        self.violations.clear();
    }
}

/// A variant in a scenario: everything needed to run the interpreter.
#[derive(Clone, Debug)]
pub struct Model {
    pub variant: Variant,
    pub scenario: Scenario,
}

fn bit(a: ActorId) -> u8 {
    1 << a as u8
}

impl Model {
    pub fn new(variant: Variant, scenario: Scenario) -> Model {
        Model { variant, scenario }
    }

    #[inline(always)]
    pub fn step_def(&self, pc: Pc) -> &Step {
        &self.variant.program(pc.prog).steps[pc.idx as usize]
    }

    /// The instance label of an executed step, e.g. `free_pgtables(A)`.
    pub fn label(&self, info: &StepInfo, s: &State) -> String {
        let def = self.step_def(info.pc);
        match info.vma {
            Some(v) if def.op.on_cursor_vma() => format!("{}({})", def.label, s.mm.vma_name(v)),
            _ => def.label.to_string(),
        }
    }

    pub fn initial(&self) -> State {
        let o = &self.scenario.options;
        let mut s = State {
            mm: Mm::new(&o.vmas, o.notifier_fails),
            task: Task {
                has_mm: true,
                group_exit: self.scenario.killed_from_user_space(),
                oom_mm: false,
                task_lock: None,
                reaper_queued: false,
            },
            actors: [Actor::absent(); N_ACTORS],
        };
        for a in self.scenario.actors() {
            let prog = crate::view::entry_program(a);
            let act = &mut s.actors[a as usize];
            act.present = true;
            act.push(prog);
            let mut sink = Vec::new();
            let mut locals = Vec::new();
            self.run_locals(&mut s, a, &mut locals, &mut sink);
        }
        s
    }

    /// Why `a` cannot step, or `None` if it can.
    pub fn blocked(&self, s: &State, a: ActorId) -> Option<Blocked> {
        let act = s.actor(a);
        if !act.present {
            return Some(Blocked::NotPresent);
        }
        let pc = match act.pc() {
            Some(pc) => pc,
            None => return Some(Blocked::Done),
        };
        if let Some(w) = s.mm.mmap_lock.waiters().find(|w| w.actor == a) {
            if w.kind == WaitKind::ReadKillable && self.scenario.options.kill_mrelease {
                return None;
            }
            return Some(Blocked::QueuedOnMmapLock { kind: w.kind });
        }
        match self.step_def(pc).op {
            Op::DoExit if !s.task.group_exit => Some(Blocked::NoFatalSignal),
            Op::WaitReaperList | Op::OomReaperTimer { .. } if !s.task.reaper_queued => {
                Some(Blocked::ReaperIdle)
            }
            Op::FindLockTaskMm { .. }
            | Op::OomFindVictim { .. }
            | Op::ClearTaskMm
            | Op::GetTaskMm { .. } => match s.task.task_lock {
                Some(h) if h != a => Some(Blocked::TaskLock { holder: h }),
                _ => None,
            },
            _ => None,
        }
    }

    /// The actors that can step, in `ActorId` order.
    pub fn enabled(&self, s: &State) -> Vec<ActorId> {
        ActorId::ALL
            .into_iter()
            .filter(|a| self.blocked(s, *a).is_none())
            .collect()
    }

    /// A sentence, in kernel terms, saying why `a` cannot step.
    pub fn why_blocked(&self, s: &State, a: ActorId, b: Blocked) -> String {
        match b {
            Blocked::NotPresent => format!(
                "{a} ({}) does not take part in scenario {}",
                a.title(),
                self.scenario.name()
            ),
            Blocked::Done => format!("{a} ({}) has already returned", a.title()),
            Blocked::QueuedOnMmapLock { kind } => {
                let l = &s.mm.mmap_lock;
                let behind = if let Some(w) = l.writer {
                    format!("{w}'s write")
                } else if l.has_readers() {
                    let r: Vec<String> = l.readers().map(|r| r.to_string()).collect();
                    format!("{}'s read", r.join(" and "))
                } else {
                    "the queue head".to_string()
                };
                let ahead: Vec<String> = l
                    .waiters()
                    .take_while(|w| w.actor != a)
                    .map(|w| format!("{}:{}", w.actor, if w.kind.is_read() { "read" } else { "write" }))
                    .collect();
                format!(
                    "{a} is queued for mmap_lock {} behind {behind}{}",
                    if kind.is_read() { "read" } else { "write" },
                    if ahead.is_empty() {
                        String::new()
                    } else {
                        format!(" (queued ahead of it: {})", ahead.join(", "))
                    }
                )
            }
            Blocked::TaskLock { holder } => {
                format!("{a} is spinning on task_lock(V), held by {holder}")
            }
            Blocked::NoFatalSignal => {
                "V is running in user space; it exits only once SIGKILL is pending (step K to send it)".to_string()
            }
            Blocked::ReaperIdle => match s.actor(a).pc().map(|pc| self.step_def(pc).op) {
                Some(Op::OomReaperTimer { .. }) => {
                    "R (oom_reaper): no victim's wake_oom_reaper timer is armed yet (queue_oom_reaper arms it)".to_string()
                }
                _ => "R (oom_reaper) sleeps in wait_event_freezable until a victim is queued on oom_reaper_list".to_string(),
            },
        }
    }

    /// Executes one step of `a`.
    pub fn step(&self, s: &State, a: ActorId) -> Result<(State, StepInfo), StepError> {
        let mut info = StepInfo::empty(a);
        let n = self.step_into(s, a, &mut info)?;
        Ok((n, info))
    }

    /// [`Model::step`] writing into a reusable `info` (its buffers are kept, so the explorer
    /// does not allocate per transition).
    pub fn step_into(
        &self,
        s: &State,
        a: ActorId,
        info: &mut StepInfo,
    ) -> Result<State, StepError> {
        if let Some(b) = self.blocked(s, a) {
            return Err(StepError {
                actor: a,
                blocked: b,
                message: self.why_blocked(s, a, b),
            });
        }
        Ok(self.step_enabled(s, a, info))
    }

    /// [`Model::step_into`] for an actor the caller knows is enabled (the explorer, which has
    /// just computed [`Model::enabled_mask`]).
    pub fn step_enabled(&self, s: &State, a: ActorId, info: &mut StepInfo) -> State {
        let mut n = *s;
        self.step_in_place(&mut n, a, info);
        n
    }

    /// [`Model::step_enabled`] on `n` itself (the explorer steps a copy it keeps, which saves
    /// copying the state back out).
    pub fn step_in_place(&self, n: &mut State, a: ActorId, info: &mut StepInfo) {
        let pc = n.actor(a).pc().expect("an enabled actor has a pc");
        info.reset(a, pc, n.actor(a).cursor);
        self.exec(n, a, info);
        let mut locals = std::mem::take(&mut info.locals);
        self.run_locals(n, a, &mut locals, &mut info.events);
        info.locals = locals;
        for k in 0..info.granted.len() {
            let g = info.granted[k];
            let mut sink = Vec::new();
            self.run_locals(n, g, &mut sink, &mut info.events);
        }
    }

    /// The actors that can step, as a bitmask by `ActorId`.
    pub fn enabled_mask(&self, s: &State) -> u8 {
        ActorId::ALL
            .into_iter()
            .filter(|a| self.blocked(s, *a).is_none())
            .fold(0, |m, a| m | bit(a))
    }

    fn record(info: &mut StepInfo, v: Violation) {
        if !info.violations.contains(&v) {
            info.violations.push(v);
        }
    }

    /// Continues at `j` in the current frame (or returns).
    #[inline]
    fn jump(&self, s: &mut State, a: ActorId, j: Jump) {
        match j {
            Jump::At(i) => s.actors[a as usize].set_pc(i),
            Jump::Return => self.ret(s, a),
        }
    }

    /// Records which way a test went and continues at the next step or at `if_false`.
    fn branch(&self, s: &mut State, a: ActorId, info: &mut StepInfo, taken: bool, if_false: Jump) {
        info.branch = Some(taken);
        if taken {
            self.next(s, a)
        } else {
            self.jump(s, a, if_false)
        }
    }

    #[inline]
    fn next(&self, s: &mut State, a: ActorId) {
        let pc = s.actor(a).pc().expect("stepping actor has a pc");
        self.jump(s, a, Jump::At(pc.idx + 1));
    }

    /// The VMA in `a`'s hand, for an op on it. With none in hand (only an edited program gets
    /// there) the op does nothing: `a` goes on to the next line and this returns `None`.
    fn cursor_or_next(&self, s: &mut State, a: ActorId) -> Option<VmaIdx> {
        let cursor = s.actor(a).cursor;
        if cursor.is_none() {
            self.next(s, a);
        }
        cursor
    }

    fn ret(&self, s: &mut State, a: ActorId) {
        let act = &mut s.actors[a as usize];
        if act.pc().is_some_and(|p| p.prog == ProgId::OomReapTaskMm) {
            act.cursor = None;
            act.zap = None;
        }
        act.pop();
        if let Some(caller) = act.pc() {
            act.set_pc(caller.idx + 1);
        }
    }

    /// Falls off the end of a program = return.
    fn normalize(&self, s: &mut State, a: ActorId) {
        while let Some(pc) = s.actor(a).pc() {
            if (pc.idx as usize) < self.variant.program(pc.prog).steps.len() {
                break;
            }
            self.ret(s, a);
        }
    }

    /// Runs local ops of `a` until it rests on a shared op or is done.
    fn run_locals(&self, s: &mut State, a: ActorId, trail: &mut Vec<Pc>, events: &mut Vec<Event>) {
        for n in 0.. {
            // Shipped programs run a few dozen local ops at most; an edited program can loop
            // with no scheduling point (a soft lockup): the actor is stopped there.
            if n == MAX_LOCAL_OPS {
                let act = &mut s.actors[a as usize];
                while act.pc().is_some() {
                    act.pop();
                }
                return;
            }
            self.normalize(s, a);
            let Some(pc) = s.actor(a).pc() else { return };
            let op = self.step_def(pc).op;
            if !op.is_local() {
                return;
            }
            trail.push(pc);
            let act = &mut s.actors[a as usize];
            match op {
                Op::ReapAttempt { exhausted } => {
                    let over = act.attempts >= MAX_OOM_REAP_RETRIES;
                    act.attempts = act.attempts.saturating_add(1);
                    if over {
                        self.jump(s, a, exhausted);
                    } else {
                        self.next(s, a);
                    }
                }
                Op::SetReapOk => {
                    act.ok = true;
                    self.next(s, a);
                }
                Op::IfReapOk { if_ok, if_fail } => {
                    let ok = act.ok;
                    self.jump(s, a, if ok { if_ok } else { if_fail });
                }
                Op::IfReap { if_not } => {
                    if act.reap {
                        self.next(s, a)
                    } else {
                        self.jump(s, a, if_not)
                    }
                }
                Op::IfMm { if_null } => {
                    if act.pins_users || act.pins_count {
                        self.next(s, a)
                    } else {
                        self.jump(s, a, if_null)
                    }
                }
                Op::SetErrno(e) => {
                    act.errno = Some(e);
                    self.next(s, a);
                }
                Op::Sleep { to } => self.jump(s, a, to),
                Op::LogUnableToReap => {
                    events.push(Event::UnableToReap);
                    self.next(s, a);
                }
                Op::LogReaped => {
                    if act.ok {
                        events.push(Event::Reaped);
                    }
                    self.next(s, a);
                }
                Op::Call(p) => {
                    if !act.push(p) {
                        self.next(s, a);
                    }
                }
                Op::Goto(j) => self.jump(s, a, j),
                Op::FirstVmaLocal { if_null } => {
                    if s.mm.vma_count() == 0 {
                        s.actors[a as usize].cursor = None;
                        self.jump(s, a, if_null);
                    } else {
                        s.actors[a as usize].cursor = Some(0);
                        self.next(s, a);
                    }
                }
                Op::IfVmaLocked { else_ } => {
                    let Some(v) = act.cursor else {
                        self.jump(s, a, else_);
                        continue;
                    };
                    if s.mm.vma(v).flags & VM_LOCKED != 0 {
                        self.next(s, a)
                    } else {
                        self.jump(s, a, else_)
                    }
                }
                Op::OwnerNextVma { loop_to } => {
                    let Some(v) = self.cursor_or_next(s, a) else {
                        continue;
                    };
                    let nx = s.mm.vm_next(v);
                    s.actors[a as usize].cursor = nx;
                    if nx.is_some() {
                        self.jump(s, a, loop_to)
                    } else {
                        self.next(s, a)
                    }
                }
                Op::TestLockedVm { if_zero } => {
                    if s.mm.locked_vm == 0 {
                        self.jump(s, a, if_zero)
                    } else {
                        self.next(s, a)
                    }
                }
                Op::MunlockAccount => {
                    let Some(v) = self.cursor_or_next(s, a) else {
                        continue;
                    };
                    let pages = s.mm.vma(v).kind.pages();
                    s.mm.locked_vm = s.mm.locked_vm.saturating_sub(pages);
                    self.next(s, a);
                }
                Op::PutTask | Op::End | Op::Nop => self.next(s, a),
                _ => unreachable!("is_local covers exactly the ops above"),
            }
        }
    }

    /// Grants returned by an unlock: those actors' lock ops complete.
    fn granted(&self, s: &mut State, info: &mut StepInfo, who: Vec<ActorId>) {
        for g in who {
            self.next(s, g);
            info.granted.push(g);
        }
    }

    /// Executes the shared op at `a`'s pc, asking the invariants ([`check`]) about the step.
    fn exec(&self, s: &mut State, a: ActorId, info: &mut StepInfo) {
        let op = self.step_def(info.pc).op;
        let c = check::StepCheck {
            before: &*s,
            actor: a,
            op,
        };
        check::before_step(&c, |v| Self::record(info, v));
        self.apply(s, a, op, info);
        for v in check::AFTER_STEP.iter().filter_map(|p| p(s, a, op)) {
            Self::record(info, v);
        }
    }

    /// The op's effect on the state.
    fn apply(&self, s: &mut State, a: ActorId, op: Op<Jump>, info: &mut StepInfo) {
        // A killable waiter picked while queued is receiving its fatal signal.
        if let Op::ReadLockKillable { on_eintr } = op {
            if s.mm.mmap_lock.is_queued(a) {
                let g = s.mm.mmap_lock.kill_waiter(a);
                info.lock = Some(LockOutcome::Killed);
                self.granted(s, info, g);
                info.events.push(Event::Eintr);
                self.jump(s, a, on_eintr);
                return;
            }
        }
        match op {
            Op::DoExit => self.next(s, a),
            Op::ClearTaskMm => {
                s.task.task_lock = Some(a);
                s.task.has_mm = false;
                self.next(s, a);
            }
            Op::FindLockTaskMm { on_fail } => {
                if s.task.has_mm {
                    s.task.task_lock = Some(a);
                }
                self.branch(s, a, info, s.task.has_mm, on_fail);
            }
            Op::OomFindVictim {
                if_exiting,
                on_fail,
            } => {
                if s.task.has_mm {
                    s.task.task_lock = Some(a);
                    // task_will_free_mem(victim): the group is exiting and the mm is not
                    // already of no interest (no other process shares V's mm here).
                    let exiting = s.task.group_exit && !s.mm.test_bit(MmFlag::OomSkip);
                    info.branch = Some(true);
                    if exiting {
                        info.events.push(Event::OomShortcut);
                        self.jump(s, a, if_exiting);
                    } else {
                        self.next(s, a);
                    }
                } else {
                    info.branch = Some(false);
                    self.jump(s, a, on_fail);
                }
            }
            Op::TaskUnlock => {
                s.task.task_lock = None;
                self.next(s, a);
            }
            Op::GetTaskMm { on_null } => {
                if s.task.has_mm {
                    s.mm.users = s.mm.users.saturating_add(1);
                    s.actors[a as usize].pins_users = true;
                }
                self.branch(s, a, info, s.task.has_mm, on_null);
            }
            Op::TaskWillFreeMem { if_false } => {
                let will = s.task.has_mm && s.task.group_exit && !s.mm.test_bit(MmFlag::OomSkip);
                s.actors[a as usize].reap = will;
                self.branch(s, a, info, will, if_false);
            }
            Op::SendSigkill => {
                s.task.group_exit = true;
                self.next(s, a);
            }
            Op::MarkOomMm { if_set } => {
                let first = !s.task.oom_mm;
                if first {
                    s.task.oom_mm = true;
                    s.mm.count = s.mm.count.saturating_add(1);
                }
                self.branch(s, a, info, first, if_set);
            }
            Op::WakeOomReaper => {
                let was = s.mm.test_bit(MmFlag::OomReapQueued);
                info.branch = Some(!was);
                if !was {
                    s.mm.set_bit(MmFlag::OomReapQueued);
                    s.task.reaper_queued = true;
                }
                self.next(s, a);
            }
            Op::OomReaperTimer { if_skip } => {
                // The timer has fired: the victim goes on oom_reaper_list (reaper_queued stays
                // set for `oom_reaper` to pop) unless its mm already has MMF_OOM_SKIP.
                let skip = s.mm.test_bit(MmFlag::OomSkip);
                info.branch = Some(!skip);
                if skip {
                    s.task.reaper_queued = false;
                    self.jump(s, a, if_skip);
                } else {
                    self.next(s, a);
                }
            }
            Op::WaitReaperList => {
                s.task.reaper_queued = false;
                s.actors[a as usize].attempts = 0;
                self.next(s, a);
            }
            Op::ReadLock | Op::ReadLockKillable { .. } => {
                let killable = matches!(op, Op::ReadLockKillable { .. });
                match s.mm.mmap_lock.read_lock(a, killable) {
                    Acquire::Granted => {
                        info.lock = Some(LockOutcome::Acquired);
                        self.next(s, a);
                    }
                    Acquire::Queued => info.lock = Some(LockOutcome::Queued),
                }
            }
            Op::ReadTrylock { on_fail } => {
                if s.mm.mmap_lock.read_trylock(a) {
                    info.lock = Some(LockOutcome::Acquired);
                    self.next(s, a);
                } else {
                    info.lock = Some(LockOutcome::TrylockFailed);
                    info.events.push(Event::TrylockFailed);
                    s.actors[a as usize].ok = false;
                    self.jump(s, a, on_fail);
                }
            }
            Op::WriteLock => match s.mm.mmap_lock.write_lock(a) {
                Acquire::Granted => {
                    info.lock = Some(LockOutcome::Acquired);
                    self.next(s, a);
                }
                Acquire::Queued => info.lock = Some(LockOutcome::Queued),
            },
            Op::ReadUnlock | Op::WriteUnlock => {
                let r = if op == Op::ReadUnlock {
                    s.mm.mmap_lock.read_unlock(a)
                } else {
                    s.mm.mmap_lock.write_unlock(a)
                };
                // An unlock by a non-holder changes nothing; S6 reports it.
                if let Ok(g) = r {
                    info.lock = Some(LockOutcome::Released);
                    self.granted(s, info, g);
                }
                self.next(s, a);
            }
            Op::TestBit {
                flag,
                if_set,
                if_clear,
            } => {
                let set = s.mm.test_bit(flag);
                info.branch = Some(set);
                if set && flag == MmFlag::OomSkip && a == ActorId::R && s.mm.mmap_lock.is_reader(a)
                {
                    info.events.push(Event::ReaperBailedOnSkip);
                }
                self.jump(s, a, if set { if_set } else { if_clear });
            }
            Op::SetBit(f) => {
                s.mm.set_bit(f);
                self.next(s, a);
            }
            Op::ClearBit(f) => {
                s.mm.clear_bit(f);
                self.next(s, a);
            }
            Op::TestCurrentOomVictim { if_false } => {
                let victim = a == ActorId::V && s.task.oom_mm;
                self.branch(s, a, info, victim, if_false);
            }
            Op::Mmgrab(pin) => {
                s.mm.count = s.mm.count.saturating_add(1);
                if pin == Pin::Mrelease {
                    s.actors[a as usize].pins_count = true;
                }
                self.next(s, a);
            }
            Op::Mmdrop(pin) => {
                s.mm.count = s.mm.count.saturating_sub(1);
                if s.mm.count == 0 && !s.mm.freed {
                    s.mm.freed = true;
                    info.events.push(Event::MmFreed);
                }
                if pin == Pin::Mrelease {
                    s.actors[a as usize].pins_count = false;
                }
                self.next(s, a);
            }
            Op::MmgetNotZero { on_zero } => {
                let ok = s.mm.users > 0;
                if ok {
                    s.mm.users = s.mm.users.saturating_add(1);
                    s.actors[a as usize].pins_users = true;
                }
                self.branch(s, a, info, ok, on_zero);
            }
            Op::Mmput => {
                s.mm.users = s.mm.users.saturating_sub(1);
                s.actors[a as usize].pins_users = false;
                if s.mm.users == 0 && !s.mm.exit_started {
                    s.mm.exit_started = true;
                    info.branch = Some(true);
                    info.events.push(Event::ExitMmapIn(a));
                    if !s.actors[a as usize].push(ProgId::Mmput) {
                        self.next(s, a);
                    }
                } else {
                    info.branch = Some(false);
                    self.next(s, a);
                }
            }
            Op::ReapStart => {
                s.mm.set_bit(MmFlag::Unstable);
                s.actors[a as usize].ok = true;
                self.next(s, a);
            }
            Op::LoadHead { if_null } => {
                s.actors[a as usize].cursor = s.mm.head;
                info.vma = s.mm.head;
                if s.mm.head.is_some() {
                    self.next(s, a)
                } else {
                    self.jump(s, a, if_null)
                }
            }
            Op::CanMadvLru { skip_mask, skip } => {
                let Some(v) = self.cursor_or_next(s, a) else {
                    return;
                };
                let vma = *s.mm.vma(v);
                let reapable = vma.flags & skip_mask == 0
                    && (vma.kind.is_anonymous() || vma.flags & VM_SHARED == 0);
                self.branch(s, a, info, reapable, skip);
            }
            Op::ZapBegin { on_notifier_fail } => {
                let Some(v) = self.cursor_or_next(s, a) else {
                    return;
                };
                let vma = *s.mm.vma(v);
                if s.mm.notifiers && self.scenario.options.notifier_fails {
                    s.actors[a as usize].ok = false;
                    info.branch = Some(false);
                    self.jump(s, a, on_notifier_fail);
                } else {
                    info.branch = Some(true);
                    if Self::other_zapping(s, a, v) {
                        info.events.push(Event::DoubleReap(v));
                    }
                    s.actors[a as usize].zap = Some((v, vma.pt == PageTables::Present));
                    self.next(s, a);
                }
            }
            Op::ZapEnd => {
                let Some((v, loaded)) = s.actor(a).zap else {
                    // Only an edited program gets here with no zap begun.
                    self.next(s, a);
                    return;
                };
                if loaded {
                    s.mm.vma_mut(v).mapped = false;
                }
                s.actors[a as usize].zap = None;
                self.next(s, a);
            }
            Op::NextVma { loop_to } => {
                let Some(v) = self.cursor_or_next(s, a) else {
                    return;
                };
                let nx = s.mm.vm_next(v);
                s.actors[a as usize].cursor = nx;
                match nx {
                    Some(_) => self.jump(s, a, loop_to),
                    None => self.next(s, a),
                }
            }
            Op::ExitAio => self.next(s, a),
            Op::MmuNotifierRelease => {
                s.mm.notifiers = false;
                self.next(s, a);
            }
            Op::MunlockBegin => {
                let Some(v) = self.cursor_or_next(s, a) else {
                    return;
                };
                let vma = s.mm.vma_mut(v);
                vma.flags &= !VM_LOCKED;
                vma.munlock_busy = true;
                self.next(s, a);
            }
            Op::MunlockEnd => {
                let Some(v) = self.cursor_or_next(s, a) else {
                    return;
                };
                s.mm.vma_mut(v).munlock_busy = false;
                self.next(s, a);
            }
            Op::ArchExitMmap { if_null } => {
                s.actors[a as usize].cursor = s.mm.head;
                if s.mm.head.is_some() {
                    self.next(s, a)
                } else {
                    self.jump(s, a, if_null)
                }
            }
            Op::UnmapVma => {
                let Some(v) = self.cursor_or_next(s, a) else {
                    return;
                };
                if Self::other_zapping(s, a, v) {
                    info.events.push(Event::DoubleReap(v));
                }
                s.mm.vma_mut(v).mapped = false;
                self.next(s, a);
            }
            Op::FreePgtables => {
                let Some(v) = self.cursor_or_next(s, a) else {
                    return;
                };
                let vma = s.mm.vma_mut(v);
                if vma.pt == PageTables::Present {
                    vma.pt = PageTables::Detached;
                }
                self.next(s, a);
            }
            Op::TlbFinishMmu => {
                for vma in s.mm.vmas.iter_mut().flatten() {
                    if vma.pt == PageTables::Detached {
                        vma.pt = PageTables::Freed;
                    }
                }
                self.next(s, a);
            }
            Op::RemoveVma { loop_to } => {
                let Some(v) = self.cursor_or_next(s, a) else {
                    return;
                };
                s.mm.vma_mut(v).live = false;
                let nx = s.mm.vm_next(v);
                s.actors[a as usize].cursor = nx;
                match nx {
                    Some(_) => self.jump(s, a, loop_to),
                    None => self.next(s, a),
                }
            }
            Op::ResetMmap => {
                s.mm.head = None;
                self.next(s, a);
            }
            _ => unreachable!("local ops never rest at a scheduling point"),
        }
    }

    fn other_zapping(s: &State, a: ActorId, v: VmaIdx) -> bool {
        ActorId::ALL
            .into_iter()
            .any(|b| b != a && s.actor(b).zap.is_some_and(|(z, _)| z == v))
    }
}
