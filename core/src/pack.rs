//! A compact, injective encoding of [`State`] for the explorer's visited set.
//!
//! The derived `Hash` of the full state walks ~140 bytes field by field (enums, options,
//! arrays), which dominated exploration time. Here every field is written into a fixed byte
//! position, so hashing and comparing a state is a few word operations. Each byte holds a field
//! whose values all fit it (programs have fewer than 128 steps, counters stay within ±100); a
//! test explores every variant with both encodings and compares the state counts.

use crate::mm::{PageTables, MAX_VMAS};
use crate::rwsem::WaitKind;
use crate::sim::State;

pub const PACKED_BYTES: usize = 72;

/// The packed form of a [`State`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
        b[8 + i] = w.map_or(0, |w| {
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
            b[13 + 2 * i] = v.flags | 1 << 7;
            b[14 + 2 * i] = match v.pt {
                PageTables::Present => 0,
                PageTables::Detached => 1,
                PageTables::Freed => 2,
            } | (v.mapped as u8) << 2
                | (v.live as u8) << 3
                | (v.munlock_busy as u8) << 4;
        }
    }
    let t = &s.task;
    b[21] = t.has_mm as u8
        | (t.group_exit as u8) << 1
        | (t.oom_mm as u8) << 2
        | (t.reaper_queued as u8) << 3;
    b[22] = opt(t.task_lock.map(|a| a as u8));
    for (k, a) in s.actors.iter().enumerate() {
        let o = 23 + 9 * k;
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
    b[68..72].copy_from_slice(&e.to_le_bytes());
    Packed(b)
}
