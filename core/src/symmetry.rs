//! Symmetry reduction: two process_mrelease callers (M1, M2) or two `/proc` readers (G1, G2)
//! run the same program from the same initial locals, so swapping the names of the two maps
//! every reachable state to a reachable state with the same future up to the swap — the same
//! violations, deadlocks and final states. The explorer therefore stores one representative
//! per orbit: the packing of the member whose identical actors are in order by their own bytes
//! (the least packing among the members that tie on them), see [`canonical_from`].
//!
//! The renaming touches everything that names an actor: the actor slots themselves, the
//! `mmap_lock` writer, readers and wait queue (FIFO order kept), and the holder of
//! `task_lock(V)`. Nothing else in [`State`] refers to an actor (locals are per slot). The
//! interpreter itself never tests for M1 or G1 by name, only by role, which is what makes the
//! swap an automorphism; `core/tests/symmetry.rs` checks verdicts with and without it.
//!
//! The explorer keeps the concrete successor state in its queue (only the visited-set key is
//! canonical), so every counterexample it reports is a real path, not a path up to renaming.

use crate::actor::ActorId;
use crate::pack::{cmp_actors, pack, swap_actors, Packed};
use crate::sim::State;
use std::cmp::Ordering;

/// Swaps two actors everywhere in a state.
pub fn swapped(s: &State, x: ActorId, y: ActorId) -> State {
    let f = |a: ActorId| {
        if a == x {
            y
        } else if a == y {
            x
        } else {
            a
        }
    };
    let mut n = *s;
    n.actors.swap(x.index(), y.index());
    n.mm.mmap_lock = s.mm.mmap_lock.renamed(f);
    n.task.task_lock = s.task.task_lock.map(f);
    n
}

/// The groups of interchangeable actors that are all present in a scenario's actor list.
pub fn groups(actors: &[ActorId]) -> Vec<[ActorId; 2]> {
    ActorId::SYMMETRIC
        .into_iter()
        .filter(|g| g.iter().all(|a| actors.contains(a)))
        .collect()
}

/// The canonical key of `s`: one packed form per orbit (see [`canonical_from`]).
pub fn canonical(s: &State, groups: &[[ActorId; 2]]) -> Packed {
    canonical_from(&pack(s), groups)
}

/// [`canonical`] of the state whose packing is `plain`.
///
/// Each group is put in order: its two actors swapped when the first one's own bytes
/// ([`cmp_actors`]) are greater than the second's. That choice is the same for every member
/// of an orbit, because a swap exchanges exactly those bytes and no actor's bytes name
/// another actor. Where a group's two actors have equal bytes (e.g. both queued on
/// `mmap_lock`, in either order), the order cannot tell the orbit's members apart, so both
/// are packed and the lesser kept. The result is always the packing of a member of the
/// orbit, so distinct orbits keep distinct keys. Cheaper than the least packing over the
/// whole orbit: no `State` is copied, and a swap rewrites a few bytes.
pub fn canonical_from(plain: &Packed, groups: &[[ActorId; 2]]) -> Packed {
    let mut best = *plain;
    let mut tied: [Option<(usize, usize)>; 2] = [None; 2];
    for (g, [a, b]) in groups.iter().enumerate() {
        let (x, y) = (a.index(), b.index());
        match cmp_actors(&best, x, y) {
            Ordering::Less => {}
            Ordering::Greater => best = swap_actors(&best, x, y),
            Ordering::Equal => tied[g] = Some((x, y)),
        }
    }
    match tied {
        [None, None] => best,
        [Some((x, y)), None] | [None, Some((x, y))] => best.min(swap_actors(&best, x, y)),
        [Some((x, y)), Some((u, v))] => {
            let t = swap_actors(&best, x, y);
            best.min(t)
                .min(swap_actors(&best, u, v))
                .min(swap_actors(&t, u, v))
        }
    }
}
