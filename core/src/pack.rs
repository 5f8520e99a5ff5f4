//! A compact, injective encoding of [`State`] for the explorer's visited set.
//!
//! The derived `Hash` of the full state walks ~140 bytes field by field (enums, options,
//! arrays), which dominated exploration time. Here every field is written into a fixed byte
//! position, so hashing and comparing a state is a few word operations.
//!
//! The layout is derived from the model's sizes ([`N_ACTORS`], [`MAX_VMAS`], [`MAX_WAITERS`],
//! `MAX_FRAMES`), and what a byte or a bit field can hold is asserted: at compile time for
//! sizes, and in debug builds (every test that explores) for values such as the reaper's
//! `attempts`. The reference counts are `i8`, written as their two's-complement byte, so any
//! value is encoded injectively. `tests/explore.rs` explores every variant and scenario with
//! both encodings and compares the state counts.

use crate::actor::N_ACTORS;
use crate::mm::{PageTables, MAX_VMAS};
use crate::program::N_PROGS;
use crate::rwsem::{WaitKind, MAX_WAITERS};
use crate::sim::{Actor, State, MAX_FRAMES};

const QUEUE: usize = 8;
const VMAS: usize = QUEUE + MAX_WAITERS;
const TASK: usize = VMAS + 2 * MAX_VMAS;
const ACTORS: usize = TASK + 2;
/// Per actor: presence and depth, (prog, idx) per frame, cursor/zap, attempts and flags.
const ACTOR_BYTES: usize = 1 + 2 * MAX_FRAMES + 2;
const ERRNO: usize = ACTORS + ACTOR_BYTES * N_ACTORS;
/// Three bits of errno per actor.
const ERRNO_BYTES: usize = (3 * N_ACTORS).div_ceil(8);
/// Rounded up to whole words, which hash fastest.
pub const PACKED_BYTES: usize = (ERRNO + ERRNO_BYTES).div_ceil(8) * 8;

// What the fields below assume of the model's sizes.
const _: () = {
    assert!(N_ACTORS <= 8, "readers_mask: one bit per actor in a byte");
    assert!(N_ACTORS < 16, "a queued waiter: actor + 1 in four bits");
    assert!(MAX_VMAS < 7, "cursor and zap: Some(vma) + 1 in three bits");
    assert!(MAX_FRAMES < 128, "depth in the seven bits above `present`");
    assert!(N_PROGS <= 256, "a frame's program in a byte");
    assert!(3 * N_ACTORS <= 64, "errno bits in a u64");
};
/// The reaper's `attempts` gets four bits.
const MAX_ATTEMPTS: u8 = 15;
/// `mm->flags` gets four bits (bits 4..7 hold other fields), a VMA's `vm_flags` seven.
const MM_FLAG_MASK: u8 = 0x0f;
const VM_FLAG_MASK: u8 = 0x7f;

/// The packed form of a [`State`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Packed(pub [u8; PACKED_BYTES]);

fn opt(v: Option<u8>) -> u8 {
    v.map_or(0, |x| x + 1)
}

/// The value ranges the encoding relies on (debug builds; sizes are checked at compile time).
fn debug_assert_fits(s: &State) {
    debug_assert_eq!(
        s.mm.flag_bits() & !MM_FLAG_MASK,
        0,
        "mm->flags beyond four bits"
    );
    for v in s.mm.vmas.iter().flatten() {
        debug_assert_eq!(v.flags & !VM_FLAG_MASK, 0, "vm_flags beyond seven bits");
    }
    for a in &s.actors {
        debug_assert!(
            a.attempts <= MAX_ATTEMPTS,
            "attempts {} beyond four bits",
            a.attempts
        );
    }
}

/// Writes mm and the task: bytes `0..ACTORS`, every one of them (so [`repack`] may start from
/// another state's bytes).
fn pack_head(s: &State, b: &mut [u8; PACKED_BYTES]) {
    let mm = &s.mm;
    b[0] = mm.users as u8;
    b[1] = mm.count as u8;
    b[2] = mm.flag_bits()
        | (mm.freed as u8) << 4
        | (mm.exit_started as u8) << 5
        | (mm.notifiers as u8) << 6;
    b[3] = opt(mm.head);
    b[4..6].copy_from_slice(&mm.locked_vm.to_le_bytes());
    let l = &mm.mmap_lock;
    b[6] = opt(l.writer.map(|a| a as u8));
    b[7] = l.readers_mask();
    // The queue is compact (no waiter after an empty slot, which `waiters` relies on too),
    // so only the waiters need encoding; the other slots are zero.
    debug_assert_eq!(
        l.waiters().count(),
        l.queue_slots().iter().flatten().count(),
        "a gap in the mmap_lock queue"
    );
    let mut q = [0u8; MAX_WAITERS];
    for (slot, w) in q.iter_mut().zip(l.waiters()) {
        *slot = (w.actor as u8 + 1)
            | match w.kind {
                WaitKind::Read => 0,
                WaitKind::ReadKillable => 1 << 4,
                WaitKind::Write => 2 << 4,
            };
    }
    b[QUEUE..QUEUE + MAX_WAITERS].copy_from_slice(&q);
    for i in 0..MAX_VMAS {
        let (flags, state) = match &mm.vmas[i] {
            Some(v) => (
                v.flags | 1 << 7,
                match v.pt {
                    PageTables::Present => 0,
                    PageTables::Detached => 1,
                    PageTables::Freed => 2,
                } | (v.mapped as u8) << 2
                    | (v.live as u8) << 3
                    | (v.munlock_busy as u8) << 4,
            ),
            None => (0, 0),
        };
        b[VMAS + 2 * i] = flags;
        b[VMAS + 1 + 2 * i] = state;
    }
    let t = &s.task;
    b[TASK] = t.has_mm as u8
        | (t.group_exit as u8) << 1
        | (t.oom_mm as u8) << 2
        | (t.reaper_queued as u8) << 3;
    b[TASK + 1] = opt(t.task_lock.map(|a| a as u8));
}

/// One actor's slot. The frames past `depth` are written as zero (the interpreter keeps them
/// at `ExitMm`/0 anyway, but the encoding does not rely on it).
#[inline(always)]
fn actor_bytes(a: &Actor) -> [u8; ACTOR_BYTES] {
    let mut b = [0u8; ACTOR_BYTES];
    let frames = a.frames();
    b[0] = a.present as u8 | (frames.len() as u8) << 1;
    for (j, f) in frames.iter().enumerate() {
        b[1 + 2 * j] = f.prog as u8;
        b[2 + 2 * j] = f.idx;
    }
    b[1 + 2 * MAX_FRAMES] = opt(a.cursor)
        | opt(a.zap.map(|(v, _)| v)) << 3
        | (a.zap.is_some_and(|(_, l)| l) as u8) << 6;
    b[2 + 2 * MAX_FRAMES] = a.attempts
        | (a.ok as u8) << 4
        | (a.reap as u8) << 5
        | (a.pins_users as u8) << 6
        | (a.pins_count as u8) << 7;
    b
}

fn pack_errno(s: &State, b: &mut [u8; PACKED_BYTES]) {
    let mut e: u64 = 0;
    for (k, a) in s.actors.iter().enumerate() {
        e |= (opt(a.errno.map(|x| x as u8)) as u64) << (3 * k);
    }
    b[ERRNO..ERRNO + ERRNO_BYTES].copy_from_slice(&e.to_le_bytes()[..ERRNO_BYTES]);
}

pub fn pack(s: &State) -> Packed {
    debug_assert_fits(s);
    let mut b = [0u8; PACKED_BYTES];
    pack_head(s, &mut b);
    for (k, a) in s.actors.iter().enumerate() {
        let o = ACTORS + ACTOR_BYTES * k;
        b[o..o + ACTOR_BYTES].copy_from_slice(&actor_bytes(a));
    }
    pack_errno(s, &mut b);
    Packed(b)
}

/// [`pack`] of `s` computed from `prev`, the packing of a state that differs from `s` at most
/// in mm, the task and the actors in `dirty` (a bitmask by actor index): a step changes the
/// stepping actor and those it granted mmap_lock to, never another actor's slot. So the
/// explorer re-encodes about a third of the bytes per transition. Debug builds check the
/// result against a full [`pack`].
pub fn repack(prev: &Packed, s: &State, dirty: u8) -> Packed {
    let mut p = *prev;
    repack_in_place(&mut p, s, dirty);
    p
}

/// [`repack`] over `p`, which holds the packing of the previous state.
#[inline]
pub fn repack_in_place(p: &mut Packed, s: &State, dirty: u8) {
    debug_assert_fits(s);
    let b = &mut p.0;
    pack_head(s, b);
    let mut e = [0u8; 8];
    e[..ERRNO_BYTES].copy_from_slice(&b[ERRNO..ERRNO + ERRNO_BYTES]);
    let mut e = u64::from_le_bytes(e);
    let mut d = dirty;
    while d != 0 {
        let k = d.trailing_zeros() as usize;
        d &= d - 1;
        let a = &s.actors[k];
        let o = ACTORS + ACTOR_BYTES * k;
        b[o..o + ACTOR_BYTES].copy_from_slice(&actor_bytes(a));
        e = e & !(7 << (3 * k)) | (opt(a.errno.map(|x| x as u8)) as u64) << (3 * k);
    }
    b[ERRNO..ERRNO + ERRNO_BYTES].copy_from_slice(&e.to_le_bytes()[..ERRNO_BYTES]);
    debug_assert_eq!(*p, pack(s), "a step changed an actor outside {dirty:#b}");
}

/// [`pack`] of the state with actors `x` and `y` renamed into each other
/// ([`crate::symmetry::swapped`]), computed on the bytes alone: their slots and errno bits
/// trade places, and every byte that names an actor — the `mmap_lock` writer, the readers'
/// bits, the queued waiters, the holder of `task_lock` — is renamed. No other byte names an
/// actor. `tests/symmetry.rs` checks it against packing the swapped state.
pub fn swap_actors(p: &Packed, x: usize, y: usize) -> Packed {
    let mut out = *p;
    let b = &mut out.0;
    let rename = |v: u8| -> u8 {
        // `v` is an actor index plus one (0: none).
        if v == x as u8 + 1 {
            y as u8 + 1
        } else if v == y as u8 + 1 {
            x as u8 + 1
        } else {
            v
        }
    };
    b[6] = rename(b[6]);
    let r = b[7];
    let bit = |r: u8, k: usize| (r >> k) & 1;
    b[7] = r & !(1 << x | 1 << y) | bit(r, x) << y | bit(r, y) << x;
    for q in &mut b[QUEUE..QUEUE + MAX_WAITERS] {
        *q = (*q & 0xf0) | rename(*q & 0x0f);
    }
    b[TASK + 1] = rename(b[TASK + 1]);
    let (ox, oy) = (ACTORS + ACTOR_BYTES * x, ACTORS + ACTOR_BYTES * y);
    for i in 0..ACTOR_BYTES {
        b.swap(ox + i, oy + i);
    }
    let mut e = [0u8; 8];
    e[..ERRNO_BYTES].copy_from_slice(&b[ERRNO..ERRNO + ERRNO_BYTES]);
    let e = u64::from_le_bytes(e);
    let (ex, ey) = ((e >> (3 * x)) & 7, (e >> (3 * y)) & 7);
    let e = e & !(7 << (3 * x) | 7 << (3 * y)) | ex << (3 * y) | ey << (3 * x);
    b[ERRNO..ERRNO + ERRNO_BYTES].copy_from_slice(&e.to_le_bytes()[..ERRNO_BYTES]);
    out
}

/// Compares actors `x` and `y` by their own bytes in a packing: their slots, then their errno.
/// Those bytes name no other actor, so two identical actors can be put in a fixed order by
/// them ([`crate::symmetry::canonical_from`]).
#[inline]
pub fn cmp_actors(p: &Packed, x: usize, y: usize) -> std::cmp::Ordering {
    let (ox, oy) = (ACTORS + ACTOR_BYTES * x, ACTORS + ACTOR_BYTES * y);
    let mut e = [0u8; 8];
    e[..ERRNO_BYTES].copy_from_slice(&p.0[ERRNO..ERRNO + ERRNO_BYTES]);
    let e = u64::from_le_bytes(e);
    p.0[ox..ox + ACTOR_BYTES]
        .cmp(&p.0[oy..oy + ACTOR_BYTES])
        .then(((e >> (3 * x)) & 7).cmp(&((e >> (3 * y)) & 7)))
}
