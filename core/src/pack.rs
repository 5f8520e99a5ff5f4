//! A compact, injective encoding of [`State`] for the explorer's visited set.
//!
//! The derived `Hash` of the full state walks ~140 bytes field by field (enums, options,
//! arrays), which dominated exploration time. Here every field is written into a fixed byte
//! position, so hashing and comparing a state is a few word operations. Each byte holds a field
//! whose values all fit it (programs have fewer than 128 steps, counters stay within ±100); a
//! test explores every variant with both encodings and compares the state counts.
//!
//! Layout: 0–5 the mm, 6–7 mmap_lock's writer and readers, one byte per wait-queue slot
//! ([`MAX_WAITERS`], one per actor), two bytes per VMA, two for the task, [`ACTOR_BYTES`] per
//! actor, then every actor's errno (3 bits each) in the last four bytes.

use crate::actor::N_ACTORS;
use crate::mm::{PageTables, MAX_VMAS};
use crate::rwsem::{WaitKind, MAX_WAITERS};
use crate::sim::State;

const QUEUE: usize = 8;
const VMAS: usize = QUEUE + MAX_WAITERS;
const TASK: usize = VMAS + 2 * MAX_VMAS;
const ACTORS: usize = TASK + 2;
/// Bytes per actor: flags and depth, three frames of two bytes, cursor/zap, locals.
pub const ACTOR_BYTES: usize = 9;
const ERRNO: usize = ACTORS + ACTOR_BYTES * N_ACTORS;
pub const PACKED_BYTES: usize = ERRNO + 4;
// 3 bits of errno per actor must fit the last u32; actor ids (plus one) must fit 4 bits.
const _: () = assert!(3 * N_ACTORS <= 32 && N_ACTORS < 15);

/// The packed form of a [`State`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Packed(pub [u8; PACKED_BYTES]);

fn opt(v: Option<u8>) -> u8 {
    v.map_or(0, |x| x + 1)
}

pub fn pack(s: &State) -> Packed {
    let mut b = [0u8; PACKED_BYTES];
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
    for (i, w) in l.queue_slots().iter().enumerate() {
        b[QUEUE + i] = w.map_or(0, |w| {
            (w.actor as u8 + 1)
                | match w.kind {
                    WaitKind::Read => 0,
                    WaitKind::ReadKillable => 1 << 4,
                    WaitKind::Write => 2 << 4,
                }
        });
    }
    for i in 0..MAX_VMAS {
        if let Some(v) = &mm.vmas[i] {
            b[VMAS + 2 * i] = v.flags | 1 << 7;
            b[VMAS + 1 + 2 * i] = match v.pt {
                PageTables::Present => 0,
                PageTables::Detached => 1,
                PageTables::Freed => 2,
            } | (v.mapped as u8) << 2
                | (v.live as u8) << 3
                | (v.munlock_busy as u8) << 4;
        }
    }
    let t = &s.task;
    b[TASK] = t.has_mm as u8
        | (t.group_exit as u8) << 1
        | (t.oom_mm as u8) << 2
        | (t.reaper_queued as u8) << 3;
    b[TASK + 1] = opt(t.task_lock.map(|a| a as u8));
    for (k, a) in s.actors.iter().enumerate() {
        let o = ACTORS + ACTOR_BYTES * k;
        let frames = a.frames();
        b[o] = a.present as u8 | (frames.len() as u8) << 1;
        for (j, f) in frames.iter().enumerate() {
            b[o + 1 + 2 * j] = f.prog as u8;
            b[o + 2 + 2 * j] = f.idx;
        }
        b[o + 7] = opt(a.cursor)
            | opt(a.zap.map(|(v, _)| v)) << 3
            | (a.zap.is_some_and(|(_, l)| l) as u8) << 6;
        b[o + 8] = a.attempts
            | (a.ok as u8) << 4
            | (a.reap as u8) << 5
            | (a.pins_users as u8) << 6
            | (a.pins_count as u8) << 7;
    }
    // errno for every actor in the last bytes (3 bits each).
    let mut e: u32 = 0;
    for (k, a) in s.actors.iter().enumerate() {
        e |= (opt(a.errno.map(|x| x as u8)) as u32) << (3 * k);
    }
    b[ERRNO..ERRNO + 4].copy_from_slice(&e.to_le_bytes());
    Packed(b)
}
