//! Symmetry reduction: two process_mrelease callers (M1, M2) or two `/proc` readers (G1, G2)
//! run the same program from the same initial locals, so swapping the names of the two maps
//! every reachable state to a reachable state with the same future up to the swap — the same
//! violations, deadlocks and final states. The explorer therefore stores one representative
//! per orbit: the state's packed form under every allowed renaming, the least one kept.
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
use crate::pack::{pack, Packed};
use crate::sim::State;

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

/// The canonical key of `s`: the least packed form over every swap of the given groups.
pub fn canonical(s: &State, groups: &[[ActorId; 2]]) -> Packed {
    canonical_from(&pack(s), s, groups)
}

/// [`canonical`] for a state whose own packing `plain` is already known.
pub fn canonical_from(plain: &Packed, s: &State, groups: &[[ActorId; 2]]) -> Packed {
    let mut best = *plain;
    match groups {
        [] => {}
        [[a, b]] => best = best.min(pack(&swapped(s, *a, *b))),
        [[a, b], [c, d]] => {
            let t = swapped(s, *a, *b);
            best = best
                .min(pack(&t))
                .min(pack(&swapped(s, *c, *d)))
                .min(pack(&swapped(&t, *c, *d)));
        }
        _ => unreachable!("at most two symmetric groups"),
    }
    best
}
