//! `mm->mmap_lock`: the strict deterministic rw_semaphore abstraction of spec §5.
//!
//! The kernel's rwsem (kernel/locking/rwsem.c) is modelled as a writer slot, a set of readers and
//! a FIFO wait queue. The rules that matter for this race:
//!
//! * `mmap_read_trylock` fails when a writer holds the lock **or anyone is queued**
//!   (`RWSEM_FLAG_WAITERS` is in `RWSEM_READ_FAILED_MASK`) — this is why the oom_reaper backs off
//!   while exit_mmap is merely *waiting* for the write lock;
//! * a blocking reader or writer that cannot take the lock at once joins the tail of the queue;
//!   a queued writer therefore blocks every later reader;
//! * on release, a writer at the head of the queue is granted alone once no reader remains; a
//!   reader at the head wakes **all** queued readers together (the "phase-fair" batch of
//!   `rwsem_mark_wake`), skipping over queued writers;
//! * a killable waiter (`mmap_read_lock_killable`) may be removed from the queue by a fatal
//!   signal, after which the queue is re-examined.
//!
//! Optimistic spinning and lock stealing are not modelled: neither can put a reader and a writer
//! in the lock together, so no safety outcome of this race depends on them (spec §5, [I]).

use crate::actor::ActorId;
use serde::Serialize;

/// How a queued task waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum WaitKind {
    /// `down_read` / `mmap_read_lock`.
    Read,
    /// `down_read_killable` / `mmap_read_lock_killable`.
    ReadKillable,
    /// `down_write` / `mmap_write_lock` (not killable).
    Write,
}

impl WaitKind {
    pub fn is_read(self) -> bool {
        matches!(self, WaitKind::Read | WaitKind::ReadKillable)
    }
}

/// One entry of the wait queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Waiter {
    pub actor: ActorId,
    pub kind: WaitKind,
}

/// Maximum number of tasks in the model, and so of waiters.
pub const MAX_WAITERS: usize = crate::actor::N_ACTORS;

/// The rw_semaphore state. Plain data: `Copy`, compared and hashed by the explorer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct RwSem {
    /// The writer holding the lock (`RWSEM_WRITER_LOCKED` plus owner).
    pub writer: Option<ActorId>,
    /// Bitmask of readers holding the lock (bit = `ActorId as u8`).
    readers: u8,
    /// FIFO wait queue, oldest first; only the first `len` entries are valid.
    queue: [Option<Waiter>; MAX_WAITERS],
}

/// An unlock by a task that does not hold the lock (invariant S6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotHolder;

/// Result of a blocking acquisition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Acquire {
    Granted,
    Queued,
}

impl RwSem {
    pub fn readers(&self) -> impl Iterator<Item = ActorId> + '_ {
        ActorId::ALL
            .into_iter()
            .filter(|a| self.readers & (1 << *a as u8) != 0)
    }
    /// The readers as a bitmask by `ActorId`.
    pub fn readers_mask(&self) -> u8 {
        self.readers
    }
    /// The wait queue as stored (oldest first, `None` after the last waiter).
    pub fn queue_slots(&self) -> &[Option<Waiter>; MAX_WAITERS] {
        &self.queue
    }
    pub fn has_readers(&self) -> bool {
        self.readers != 0
    }
    pub fn is_reader(&self, a: ActorId) -> bool {
        self.readers & (1 << a as u8) != 0
    }
    pub fn waiters(&self) -> impl Iterator<Item = Waiter> + '_ {
        self.queue.iter().map_while(|w| *w)
    }
    pub fn has_waiters(&self) -> bool {
        self.queue[0].is_some()
    }
    pub fn is_queued(&self, a: ActorId) -> bool {
        self.waiters().any(|w| w.actor == a)
    }
    pub fn is_free(&self) -> bool {
        self.writer.is_none() && self.readers == 0 && !self.has_waiters()
    }

    /// `down_read_trylock`: succeeds iff no writer holds the lock and nobody is queued.
    pub fn read_trylock(&mut self, a: ActorId) -> bool {
        if self.writer.is_none() && !self.has_waiters() {
            self.readers |= 1 << a as u8;
            true
        } else {
            false
        }
    }

    /// `down_read` / `down_read_killable`: take the lock or join the queue.
    pub fn read_lock(&mut self, a: ActorId, killable: bool) -> Acquire {
        if self.read_trylock(a) {
            Acquire::Granted
        } else {
            let kind = if killable {
                WaitKind::ReadKillable
            } else {
                WaitKind::Read
            };
            self.enqueue(Waiter { actor: a, kind });
            Acquire::Queued
        }
    }

    /// `down_write`: take a completely free lock or join the queue.
    pub fn write_lock(&mut self, a: ActorId) -> Acquire {
        if self.is_free() {
            self.writer = Some(a);
            Acquire::Granted
        } else {
            self.enqueue(Waiter {
                actor: a,
                kind: WaitKind::Write,
            });
            Acquire::Queued
        }
    }

    /// `up_read`. Returns the tasks granted the lock by this release, or `Err` when `a` held no
    /// read lock (an S6 violation; the state is left unchanged).
    pub fn read_unlock(&mut self, a: ActorId) -> Result<Vec<ActorId>, NotHolder> {
        if !self.is_reader(a) {
            return Err(NotHolder);
        }
        self.readers &= !(1 << a as u8);
        Ok(if self.readers == 0 {
            self.grant()
        } else {
            Vec::new()
        })
    }

    /// `up_write`. Same contract as [`RwSem::read_unlock`].
    pub fn write_unlock(&mut self, a: ActorId) -> Result<Vec<ActorId>, NotHolder> {
        if self.writer != Some(a) {
            return Err(NotHolder);
        }
        self.writer = None;
        Ok(self.grant())
    }

    /// A fatal signal to a killable waiter: it leaves the queue (`rwsem_del_waiter`) and the
    /// queue is re-examined, because the departing waiter may have been what held others back.
    pub fn kill_waiter(&mut self, a: ActorId) -> Vec<ActorId> {
        let kept: Vec<Waiter> = self.waiters().filter(|w| w.actor != a).collect();
        self.set_queue(&kept);
        if self.writer.is_none() {
            self.grant()
        } else {
            Vec::new()
        }
    }

    /// `rwsem_mark_wake`: hand the lock to the head of the queue if it can have it.
    fn grant(&mut self) -> Vec<ActorId> {
        let Some(head) = self.queue[0] else {
            return Vec::new();
        };
        if self.writer.is_some() {
            return Vec::new();
        }
        if head.kind == WaitKind::Write {
            if self.readers != 0 {
                return Vec::new();
            }
            self.writer = Some(head.actor);
            let rest: Vec<Waiter> = self.waiters().skip(1).collect();
            self.set_queue(&rest);
            return vec![head.actor];
        }
        // A reader heads the queue: every queued reader is granted together.
        let (granted, rest): (Vec<Waiter>, Vec<Waiter>) =
            self.waiters().partition(|w| w.kind.is_read());
        for w in &granted {
            self.readers |= 1 << w.actor as u8;
        }
        self.set_queue(&rest);
        granted.into_iter().map(|w| w.actor).collect()
    }

    fn enqueue(&mut self, w: Waiter) {
        if let Some(slot) = self.queue.iter_mut().find(|s| s.is_none()) {
            *slot = Some(w);
        }
    }

    fn set_queue(&mut self, ws: &[Waiter]) {
        self.queue = [None; MAX_WAITERS];
        for (slot, w) in self.queue.iter_mut().zip(ws) {
            *slot = Some(*w);
        }
    }

    /// The same lock with actors renamed by `f` (a permutation): holders and waiters keep their
    /// places, for the explorer's symmetry reduction.
    pub fn renamed(&self, f: impl Fn(ActorId) -> ActorId) -> RwSem {
        let mut r = RwSem {
            writer: self.writer.map(&f),
            readers: 0,
            queue: [None; MAX_WAITERS],
        };
        for a in self.readers() {
            r.readers |= 1 << f(a) as u8;
        }
        for (slot, w) in r.queue.iter_mut().zip(self.queue.iter()) {
            *slot = w.map(|w| Waiter {
                actor: f(w.actor),
                kind: w.kind,
            });
        }
        r
    }

    /// A one-line description in kernel terms, e.g. `write: V; readers: -; queue: [M:R]`.
    pub fn describe(&self) -> String {
        let w = self.writer.map_or("-".to_string(), |a| a.to_string());
        let r: Vec<String> = self.readers().map(|a| a.to_string()).collect();
        let q: Vec<String> = self
            .waiters()
            .map(|w| format!("{}:{}", w.actor, if w.kind.is_read() { "R" } else { "W" }))
            .collect();
        format!(
            "writer: {w}; readers: {}; queue: [{}]",
            if r.is_empty() {
                "-".into()
            } else {
                r.join(",")
            },
            q.join(", ")
        )
    }
}
