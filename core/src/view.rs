//! Derived view data for the web UI: small pure functions over the model's state and history.
//!
//! Nothing here changes the model. These helpers turn a [`State`] and the recorded steps into
//! what a visualizer shows: each actor's status line, the lines of each stack frame it has
//! executed, its locals, who holds or waits for `mmap_lock`, what a step changed in the mm, the
//! violations grouped by invariant with their causes, and the verdict of an exploration.
//! Keeping them here (not in the UI crate) means they are tested natively and the UI stays a
//! thin rendering layer.

use crate::actor::{ActorId, Role};
use crate::check::Invariant;
use crate::explore::{Report, Status};
use crate::mm::{vm_flags_names, MmFlag, PageTables, VmaIdx};
use crate::narrate::causes;
use crate::program::{Op, Pc, Pin, ProgId};
use crate::run::Run;
use crate::rwsem::WaitKind;
use crate::sim::{Blocked, LockOutcome, Model, State, StepInfo, MAX_OOM_REAP_RETRIES};
use serde::Serialize;

/// What an actor is doing, in the scheduler's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum StatusKind {
    /// Can be stepped now.
    Runnable,
    /// Waiting in mmap_lock's queue for read.
    QueuedRead,
    /// Waiting in mmap_lock's queue for write.
    QueuedWrite,
    /// Spinning on `task_lock(V)`.
    SpinningTaskLock,
    /// The oom_reaper kthread sleeps until a victim is queued.
    Sleeping,
    /// The victim runs user code until a fatal signal is pending.
    UserSpace,
    /// Returned.
    Done,
    /// Not part of the scenario.
    Absent,
}

impl StatusKind {
    /// A short label, e.g. for a badge.
    pub fn label(self) -> &'static str {
        match self {
            StatusKind::Runnable => "runnable",
            StatusKind::QueuedRead => "queued on mmap_lock (read)",
            StatusKind::QueuedWrite => "queued on mmap_lock (write)",
            StatusKind::SpinningTaskLock => "spinning on task_lock",
            StatusKind::Sleeping => "sleeping",
            StatusKind::UserSpace => "in user space",
            StatusKind::Done => "done",
            StatusKind::Absent => "not in this scenario",
        }
    }
    /// A stable machine-readable name (for `data-` attributes and CSS).
    pub fn slug(self) -> &'static str {
        match self {
            StatusKind::Runnable => "runnable",
            StatusKind::QueuedRead => "queued-read",
            StatusKind::QueuedWrite => "queued-write",
            StatusKind::SpinningTaskLock => "spinning",
            StatusKind::Sleeping => "sleeping",
            StatusKind::UserSpace => "user-space",
            StatusKind::Done => "done",
            StatusKind::Absent => "absent",
        }
    }
    pub fn can_step(self) -> bool {
        self == StatusKind::Runnable
    }
}

/// An actor's status and, when it cannot step, the reason in kernel terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActorStatus {
    pub kind: StatusKind,
    /// `Model::why_blocked`'s sentence when the actor cannot step.
    pub reason: Option<String>,
}

/// The status line of actor `a` in state `s`.
pub fn actor_status(model: &Model, s: &State, a: ActorId) -> ActorStatus {
    let Some(b) = model.blocked(s, a) else {
        return ActorStatus {
            kind: StatusKind::Runnable,
            reason: None,
        };
    };
    let kind = match b {
        Blocked::NotPresent => StatusKind::Absent,
        Blocked::Done => StatusKind::Done,
        Blocked::QueuedOnMmapLock { kind } if kind.is_read() => StatusKind::QueuedRead,
        Blocked::QueuedOnMmapLock { .. } => StatusKind::QueuedWrite,
        Blocked::TaskLock { .. } => StatusKind::SpinningTaskLock,
        Blocked::NoFatalSignal => StatusKind::UserSpace,
        Blocked::ReaperIdle => StatusKind::Sleeping,
    };
    ActorStatus {
        kind,
        reason: Some(model.why_blocked(s, a, b)),
    }
}

/// The call stack as one line, outermost first: `exit_mm → __mmput / exit_mmap → __oom_reap_task_mm`.
pub fn call_path(s: &State, a: ActorId) -> String {
    let names: Vec<&str> = s.actor(a).frames().iter().map(|f| f.prog.name()).collect();
    names.join(" → ")
}

/// The program an actor starts in.
pub fn entry_program(a: ActorId) -> ProgId {
    match a.role() {
        Role::Victim => ProgId::ExitMm,
        Role::OomKiller => ProgId::OomKill,
        Role::OomReaper => ProgId::OomReaper,
        Role::Mrelease => ProgId::ProcessMrelease,
        Role::ProcReader => ProgId::ProcReader,
    }
}

/// The programs actor `a` can ever run, entry first, then depth-first in call order: the
/// targets of its `Call`s and, wherever it calls `mmput` (which may be the last), `__mmput`. A
/// listing builds these ahead of time (hidden), so a call or a return shows a built frame
/// instead of building one.
pub fn reachable_programs(variant: &crate::variant::Variant, a: ActorId) -> Vec<ProgId> {
    fn visit(variant: &crate::variant::Variant, p: ProgId, out: &mut Vec<ProgId>) {
        if out.contains(&p) {
            return;
        }
        out.push(p);
        for st in &variant.program(p).steps {
            match st.op {
                Op::Call(q) => visit(variant, q, out),
                Op::Mmput => visit(variant, ProgId::Mmput, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    visit(variant, entry_program(a), &mut out);
    out
}

/// One frame of an actor's call stack, as a listing shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FrameView {
    pub prog: ProgId,
    /// The line the frame is at: the next step for the innermost frame, the call site for the
    /// others; `None` once the actor has returned.
    pub at: Option<u8>,
    /// Whether this is the frame the actor executes next.
    pub innermost: bool,
    /// `executed[i]`: line `i` ran in the current invocation of this program.
    pub executed: Vec<bool>,
}

/// Whether `pc` (executed as part of `info`) is the call that entered `prog`.
fn enters(model: &Model, info: &StepInfo, pc: Pc, prog: ProgId) -> bool {
    match model.step_def(pc).op {
        Op::Call(p) => p == prog,
        Op::Mmput => prog == ProgId::Mmput && pc == info.pc && info.branch == Some(true),
        _ => false,
    }
}

/// The lines of `prog` that actor `a` executed in its latest invocation of `prog`, from the
/// steps recorded so far (scanning back to the call that entered it).
pub fn executed_lines(model: &Model, steps: &[StepInfo], a: ActorId, prog: ProgId) -> Vec<bool> {
    let n = model.variant.program(prog).steps.len();
    let mut done = vec![false; n];
    let mut left = n;
    let mut entered = false;
    'scan: for info in steps.iter().rev().filter(|s| s.actor == a) {
        // Every line already marked: older steps cannot change the answer (an actor looping
        // in one program would otherwise make this a walk over the whole run at every step).
        if left == 0 {
            break;
        }
        for pc in info.locals.iter().rev().chain(std::iter::once(&info.pc)) {
            if pc.prog == prog {
                if let Some(d) = done.get_mut(pc.idx as usize) {
                    if !*d {
                        *d = true;
                        left -= 1;
                    }
                }
            } else if enters(model, info, *pc, prog) {
                entered = true;
                break 'scan;
            }
        }
    }
    // The entry program's leading no-op lines run while the model is built (`Model::initial`),
    // before any recorded step.
    if !entered && prog == entry_program(a) {
        for (i, st) in model.variant.program(prog).steps.iter().enumerate() {
            if !matches!(st.op, Op::Nop | Op::End) {
                break;
            }
            done[i] = true;
        }
    }
    done
}

/// Every frame of actor `a` (outermost first), or its entry program once it has returned.
pub fn frame_views(model: &Model, steps: &[StepInfo], s: &State, a: ActorId) -> Vec<FrameView> {
    let act = s.actor(a);
    if !act.present {
        return Vec::new();
    }
    let frames = act.frames();
    if frames.is_empty() {
        let prog = entry_program(a);
        return vec![FrameView {
            prog,
            at: None,
            innermost: true,
            executed: executed_lines(model, steps, a, prog),
        }];
    }
    frames
        .iter()
        .enumerate()
        .map(|(i, f)| FrameView {
            prog: f.prog,
            at: Some(f.idx),
            innermost: i + 1 == frames.len(),
            executed: executed_lines(model, steps, a, f.prog),
        })
        .collect()
}

/// How an actor stands with `mmap_lock`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Hold {
    None,
    Read,
    Write,
    QueuedRead,
    QueuedWrite,
}

impl Hold {
    pub fn slug(self) -> &'static str {
        match self {
            Hold::None => "none",
            Hold::Read => "read",
            Hold::Write => "write",
            Hold::QueuedRead => "queued-read",
            Hold::QueuedWrite => "queued-write",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Hold::None => "",
            Hold::Read => "holds mmap_lock for read",
            Hold::Write => "holds mmap_lock for write",
            Hold::QueuedRead => "waits for mmap_lock (read)",
            Hold::QueuedWrite => "waits for mmap_lock (write)",
        }
    }
}

/// `a`'s relation to `mmap_lock` in `s`.
pub fn hold(s: &State, a: ActorId) -> Hold {
    let l = &s.mm.mmap_lock;
    if l.writer == Some(a) {
        Hold::Write
    } else if l.is_reader(a) {
        Hold::Read
    } else if let Some(w) = l.waiters().find(|w| w.actor == a) {
        if w.kind == WaitKind::Write {
            Hold::QueuedWrite
        } else {
            Hold::QueuedRead
        }
    } else {
        Hold::None
    }
}

/// One local variable of an actor, for display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Local {
    pub name: &'static str,
    pub value: String,
}

fn local(name: &'static str, value: impl Into<String>) -> Local {
    Local {
        name,
        value: value.into(),
    }
}

/// References an actor holds without a flag in its locals, read off its position in its entry
/// program: the victim's own `mm_users` (until its `mmput`), the lazy-TLB `mmgrab` of
/// `exit_mm` and the OOM killer's temporary `mmgrab` (each until the matching `mmdrop`).
fn positional_pins(model: &Model, s: &State, a: ActorId) -> Vec<&'static str> {
    let act = s.actor(a);
    let Some(outer) = act.frames().first() else {
        return Vec::new();
    };
    let prog = model.variant.program(outer.prog);
    let at = outer.idx as usize;
    let inside_call = act.frames().len() > 1;
    // The step at `i` has run: the actor is past it, or inside the call it makes.
    let ran = |i: usize| at > i || (at == i && inside_call);
    let find = |want: &dyn Fn(&Op<crate::program::Jump>) -> bool| {
        prog.steps.iter().position(|st| want(&st.op))
    };
    let mut out = Vec::new();
    if a == ActorId::V {
        if let Some(m) = find(&|o| matches!(o, Op::Mmput)) {
            if !ran(m) {
                out.push("mm_users (its task->mm)");
            }
        }
    }
    for (pin, name) in [
        (Pin::LazyTlb, "mm_count (active_mm)"),
        (Pin::Temporary, "mm_count (temporary)"),
    ] {
        let grab = find(&|o| *o == Op::Mmgrab(pin));
        let drop = find(&|o| *o == Op::Mmdrop(pin));
        if let (Some(g), Some(d)) = (grab, drop) {
            if ran(g) && !ran(d) {
                out.push(name);
            }
        }
    }
    out
}

/// The locals worth showing for actor `a`: its walk cursor and zap, the reaper's attempts,
/// process_mrelease's `reap` and `ret`, and the references it pins.
pub fn locals(model: &Model, s: &State, a: ActorId) -> Vec<Local> {
    let act = s.actor(a);
    if !act.present {
        return Vec::new();
    }
    let vma_name = |v: VmaIdx| {
        let vma = s.mm.vma(v);
        if vma.live {
            vma.kind.letter().to_string()
        } else {
            format!("{} (freed!)", vma.kind.letter())
        }
    };
    let mut out = Vec::new();
    if a == ActorId::R && (act.attempts > 0 || !act.is_done()) {
        out.push(local(
            "attempts",
            format!(
                "{} of {MAX_OOM_REAP_RETRIES}",
                act.attempts.min(MAX_OOM_REAP_RETRIES)
            ),
        ));
    }
    if let Some(v) = act.cursor {
        out.push(local("vma", vma_name(v)));
    }
    if let Some((v, loaded)) = act.zap {
        out.push(local(
            "zapping",
            format!(
                "{} ({})",
                vma_name(v),
                if loaded { "pmd loaded" } else { "pmd_none" }
            ),
        ));
    }
    if act.in_program(ProgId::OomReapTaskMm) || (a == ActorId::R && act.attempts > 0) {
        out.push(local("ret (walk)", if act.ok { "true" } else { "false" }));
    }
    if a.role() == Role::Mrelease {
        out.push(local("reap", if act.reap { "true" } else { "false" }));
        out.push(local("ret", act.errno.map_or("0", |e| e.name())));
    }
    let mut pins = positional_pins(model, s, a);
    if act.pins_users {
        pins.push("mm_users");
    }
    if act.pins_count {
        pins.push("mm_count");
    }
    if a == ActorId::R && s.task.oom_mm {
        pins.push("mm_count via signal->oom_mm");
    }
    out.push(local(
        "pins",
        if pins.is_empty() {
            "nothing".to_string()
        } else {
            pins.join(", ")
        },
    ));
    out
}

/// What kind of mm change a [`MmChange`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum ChangeKind {
    Refcount,
    Flag,
    PageTables,
    Vma,
    Head,
    Freed,
}

impl ChangeKind {
    pub fn slug(self) -> &'static str {
        match self {
            ChangeKind::Refcount => "refcount",
            ChangeKind::Flag => "flag",
            ChangeKind::PageTables => "pagetables",
            ChangeKind::Vma => "vma",
            ChangeKind::Head => "head",
            ChangeKind::Freed => "freed",
        }
    }
}

/// One change a step made to the mm.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MmChange {
    pub kind: ChangeKind,
    /// A few characters, for a timeline cell (`users 1→0`, `+SKIP`).
    pub short: String,
    /// Two or three characters, for a narrow cell (`u↓`, `+S`, `A:F`, `A✖`).
    pub glyph: String,
    /// A phrase (`mm_users 1 → 0`, `set MMF_OOM_SKIP`).
    pub text: String,
}

fn change(kind: ChangeKind, glyph: String, short: String, text: String) -> MmChange {
    MmChange {
        kind,
        short,
        glyph,
        text,
    }
}

fn arrow(from: i8, to: i8) -> char {
    if to < from {
        '↓'
    } else {
        '↑'
    }
}

fn pt_name(p: PageTables) -> &'static str {
    match p {
        PageTables::Present => "PRESENT",
        PageTables::Detached => "DETACHED",
        PageTables::Freed => "FREED",
    }
}

fn short_flag(f: MmFlag) -> &'static str {
    match f {
        MmFlag::OomSkip => "SKIP",
        MmFlag::Unstable => "UNSTABLE",
        MmFlag::OomVictim => "VICTIM",
        MmFlag::OomReapQueued => "QUEUED",
    }
}

/// What changed in the mm between two states: reference counts, flags, page tables, VMAs,
/// `mm->mmap`, and the mm_struct itself.
pub fn mm_changes(before: &State, after: &State) -> Vec<MmChange> {
    let (b, a) = (&before.mm, &after.mm);
    let mut out = Vec::new();
    for (tag, short, field, was, now) in [
        ("u", "users", "mm_users", b.users, a.users),
        ("c", "count", "mm_count", b.count, a.count),
    ] {
        if was != now {
            out.push(change(
                ChangeKind::Refcount,
                format!("{tag}{}", arrow(was, now)),
                format!("{short} {was}→{now}"),
                format!("{field} {was} → {now}"),
            ));
        }
    }
    for f in MmFlag::ALL {
        if b.test_bit(f) != a.test_bit(f) {
            let set = a.test_bit(f);
            let sign = if set { "+" } else { "−" };
            out.push(change(
                ChangeKind::Flag,
                format!("{sign}{}", &short_flag(f)[..1]),
                format!("{sign}{}", short_flag(f)),
                format!("{} {}", if set { "set" } else { "cleared" }, f.name()),
            ));
        }
    }
    for (vb, va) in b.vmas.iter().zip(a.vmas.iter()) {
        let (Some(vb), Some(va)) = (vb, va) else {
            continue;
        };
        let name = va.kind.letter();
        if vb.pt != va.pt {
            out.push(change(
                ChangeKind::PageTables,
                format!("{name}:{}", &pt_name(va.pt)[..1]),
                format!("{name} pt {}", pt_name(va.pt)),
                format!(
                    "{name}'s page tables {} → {}",
                    pt_name(vb.pt),
                    pt_name(va.pt)
                ),
            ));
        }
        if vb.live && !va.live {
            out.push(change(
                ChangeKind::Vma,
                format!("{name}✖"),
                format!("{name} freed"),
                format!("VMA {name} freed (vm_area_free)"),
            ));
        }
        if vb.mapped && !va.mapped {
            out.push(change(
                ChangeKind::Vma,
                format!("{name}∅"),
                format!("{name} unmapped"),
                format!("{name}'s pages unmapped"),
            ));
        }
        if vb.flags != va.flags {
            out.push(change(
                ChangeKind::Vma,
                format!("{name}:f"),
                format!("{name} flags"),
                format!(
                    "{name}'s vm_flags {} → {}",
                    vm_flags_names(vb.flags),
                    vm_flags_names(va.flags)
                ),
            ));
        }
        if vb.munlock_busy != va.munlock_busy {
            out.push(change(
                ChangeKind::Vma,
                format!("{name}:m"),
                format!(
                    "{name} munlock{}",
                    if va.munlock_busy { "…" } else { " done" }
                ),
                format!(
                    "munlock of {name} {}",
                    if va.munlock_busy {
                        "in progress"
                    } else {
                        "finished"
                    }
                ),
            ));
        }
    }
    if b.head != a.head {
        let to = a
            .head
            .map_or("NULL".to_string(), |v| a.vma_name(v).to_string());
        out.push(change(
            ChangeKind::Head,
            if a.head.is_none() {
                "h∅".to_string()
            } else {
                "h".to_string()
            },
            format!("mmap→{to}"),
            format!("mm->mmap = {to}"),
        ));
    }
    if !b.freed && a.freed {
        out.push(change(
            ChangeKind::Freed,
            "☠".into(),
            "mm freed".into(),
            "the mm_struct is freed (__mmdrop)".into(),
        ));
    }
    out
}

/// Whether any program of `variant` sets or tests `flag` (v6.1 has no `MMF_OOM_VICTIM`).
pub fn variant_uses_flag(variant: &crate::variant::Variant, flag: MmFlag) -> bool {
    variant
        .programs
        .iter()
        .flat_map(|p| p.steps.iter())
        .any(|st| match st.op {
            Op::SetBit(f) | Op::ClearBit(f) => f == flag,
            Op::TestBit { flag: f, .. } => f == flag,
            Op::ReapStart => flag == MmFlag::Unstable,
            Op::WakeOomReaper => flag == MmFlag::OomReapQueued,
            Op::OomReaperTimer { .. } => flag == MmFlag::OomSkip,
            _ => false,
        })
}

/// `mm->mmap` points at a VMA that `remove_vma` already freed (the 5.17-rc bug).
pub fn head_dangles(s: &State) -> bool {
    s.mm.head.is_some_and(|v| !s.mm.vma(v).live)
}

/// Which actors' walks are at VMA `v`: `(actor, zapping)` where `zapping` means it is between
/// `unmap_page_range` and `zap_pte_range` on it.
pub fn walkers_at(s: &State, v: VmaIdx) -> Vec<(ActorId, bool)> {
    ActorId::ALL
        .into_iter()
        .filter(|a| s.actor(*a).present)
        .filter_map(|a| {
            let act = s.actor(a);
            let zapping = act.zap.is_some_and(|(z, _)| z == v);
            (zapping || act.cursor == Some(v)).then_some((a, zapping))
        })
        .collect()
}

/// One sentence summarizing an exploration: `0 violations in N states` for a safe variant.
pub fn verdict(r: &Report) -> String {
    let scope = match r.status {
        Status::Complete => format!(
            "{} states, {} transitions — every interleaving",
            r.states, r.transitions
        ),
        Status::Running => format!("{} states so far", r.states),
        Status::Incomplete => format!(
            "{} states — incomplete ({})",
            r.states,
            r.bound_hit.as_deref().unwrap_or("bound hit")
        ),
    };
    let deadlocks = if r.deadlocks > 0 {
        format!("; {} deadlocked states", r.deadlocks)
    } else {
        String::new()
    };
    let invs = r.violated();
    if invs.is_empty() {
        return format!("0 violations in {scope}{deadlocks}.");
    }
    let names: Vec<&str> = invs.iter().map(|i| i.id()).collect();
    format!(
        "{} outcome{} violating {} in {scope}{deadlocks}.",
        r.outcomes.len(),
        if r.outcomes.len() == 1 { "" } else { "s" },
        names.join(", ")
    )
}

/// One invariant's violations up to the current position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViolationGroup {
    pub inv: Invariant,
    /// (step index, actor, label) of each firing, in order.
    pub at: Vec<(usize, ActorId, String)>,
    /// (step index, actor, label) of the steps behind the first firing.
    pub causes: Vec<(usize, ActorId, String)>,
    pub others: Vec<ActorId>,
}

/// The violations of the first `upto` recorded steps, grouped by invariant (crashes first,
/// then the S7 warning).
pub fn violation_groups(r: &Run, upto: usize) -> Vec<ViolationGroup> {
    let mut groups: Vec<ViolationGroup> = Vec::new();
    let found = r
        .violating_steps_before(upto)
        .iter()
        .flat_map(|&i| r.steps()[i].violations.iter().map(move |v| (i, *v)));
    for (i, v) in found {
        let label = (i, r.steps()[i].actor, r.label(i));
        if let Some(g) = groups.iter_mut().find(|g| g.inv == v.inv) {
            if g.at.last().map(|x| x.0) != Some(i) {
                g.at.push(label);
            }
            continue;
        }
        let c = causes(&r.model, r.befores(), r.steps(), i, &v)
            .into_iter()
            .map(|c| (c, r.steps()[c].actor, r.label(c)))
            .collect();
        groups.push(ViolationGroup {
            inv: v.inv,
            at: vec![label],
            causes: c,
            others: v.others(),
        });
    }
    groups.sort_by_key(|g| (g.inv.is_warning(), g.at[0].0));
    groups
}

/// What one timeline column shows: recorded step `i`, who took it and how, every actor's
/// mmap_lock hold after it, what it changed in the mm, what it violated, and whether it is a
/// cause of a violation.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineStep {
    pub i: usize,
    pub actor: ActorId,
    pub label: String,
    pub lock: Option<LockOutcome>,
    pub holds: Vec<(ActorId, Hold)>,
    pub changes: Vec<MmChange>,
    pub violations: Vec<&'static str>,
    pub cause: bool,
}

impl TimelineStep {
    /// Identity for keyed rendering: a column is re-created only when its content changes.
    pub fn key(&self) -> (usize, String) {
        (
            self.i,
            format!(
                "{}{}{:?}{:?}{}{}{}",
                self.actor,
                self.label,
                self.lock,
                self.holds,
                self.cause,
                self.violations.join(","),
                self.changes.len()
            ),
        )
    }
}

/// The timeline columns of recorded steps `range`; `causes` are the indexes of the steps behind
/// a violation (sorted), marked with ◆.
pub fn timeline_steps(
    r: &Run,
    range: std::ops::Range<usize>,
    causes: &[usize],
) -> Vec<TimelineStep> {
    let actors = r.model.scenario.actors();
    range
        .map(|i| {
            let info = &r.steps()[i];
            let (before, after) = (r.state_at(i), r.state_at(i + 1));
            TimelineStep {
                i,
                actor: info.actor,
                label: r.model.label(info, before),
                lock: info.lock,
                holds: actors.iter().map(|a| (*a, hold(after, *a))).collect(),
                changes: mm_changes(before, after),
                violations: info.violations.iter().map(|v| v.inv.id()).collect(),
                cause: causes.binary_search(&i).is_ok(),
            }
        })
        .collect()
}
