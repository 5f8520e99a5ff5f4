//! The mmap_lock rules of spec §5, one test per rule.

use mmrace_core::rwsem::{Acquire, NotHolder, RwSem, WaitKind};
use mmrace_core::ActorId::{G1 as G, K, M1 as M, R, V};

#[test]
fn readers_share_the_lock() {
    let mut l = RwSem::default();
    assert!(l.read_trylock(R));
    assert_eq!(l.read_lock(M, true), Acquire::Granted);
    assert_eq!(l.readers().collect::<Vec<_>>(), vec![R, M]);
}

#[test]
fn trylock_fails_while_a_writer_holds_it() {
    let mut l = RwSem::default();
    assert_eq!(l.write_lock(V), Acquire::Granted);
    assert!(!l.read_trylock(R));
    assert!(!l.is_reader(R), "a failed trylock leaves no trace");
    assert!(!l.has_waiters(), "a trylock never queues");
}

#[test]
fn trylock_fails_while_anyone_is_queued() {
    // RWSEM_FLAG_WAITERS is in RWSEM_READ_FAILED_MASK: a queued writer behind a reader makes
    // the reaper's trylock fail even though only readers hold the lock (scenario POST-1b).
    let mut l = RwSem::default();
    assert!(l.read_trylock(M));
    assert_eq!(l.write_lock(V), Acquire::Queued);
    assert!(!l.read_trylock(R));
}

#[test]
fn a_queued_writer_blocks_new_readers() {
    let mut l = RwSem::default();
    assert!(l.read_trylock(M));
    assert_eq!(l.write_lock(V), Acquire::Queued);
    assert_eq!(l.read_lock(G, false), Acquire::Queued);
    assert_eq!(
        l.waiters().map(|w| (w.actor, w.kind)).collect::<Vec<_>>(),
        vec![(V, WaitKind::Write), (G, WaitKind::Read)]
    );
}

#[test]
fn write_lock_needs_a_free_lock() {
    let mut l = RwSem::default();
    assert!(l.read_trylock(R));
    assert_eq!(l.write_lock(V), Acquire::Queued);
    assert_eq!(l.writer, None);
}

#[test]
fn releasing_the_last_reader_grants_the_queued_writer_alone() {
    let mut l = RwSem::default();
    assert!(l.read_trylock(M));
    assert!(l.read_trylock(R));
    assert_eq!(l.write_lock(V), Acquire::Queued);
    assert_eq!(l.read_lock(G, false), Acquire::Queued);
    assert_eq!(l.read_unlock(M), Ok(vec![]), "R still reads");
    assert_eq!(l.read_unlock(R), Ok(vec![V]));
    assert_eq!(l.writer, Some(V));
    assert_eq!(l.waiters().map(|w| w.actor).collect::<Vec<_>>(), vec![G]);
}

#[test]
fn a_reader_at_the_head_wakes_all_queued_readers_together() {
    let mut l = RwSem::default();
    assert_eq!(l.write_lock(V), Acquire::Granted);
    assert_eq!(l.read_lock(M, true), Acquire::Queued);
    assert_eq!(l.write_lock(K), Acquire::Queued);
    assert_eq!(l.read_lock(G, false), Acquire::Queued);
    // Phase-fair batch: M and G are granted, skipping over the queued writer K.
    assert_eq!(l.write_unlock(V), Ok(vec![M, G]));
    assert_eq!(l.readers().collect::<Vec<_>>(), vec![M, G]);
    assert_eq!(l.waiters().map(|w| w.actor).collect::<Vec<_>>(), vec![K]);
}

#[test]
fn a_killed_waiter_leaves_the_queue_and_the_queue_is_reexamined() {
    let mut l = RwSem::default();
    assert_eq!(l.write_lock(V), Acquire::Granted);
    assert_eq!(l.read_lock(M, true), Acquire::Queued);
    assert_eq!(l.kill_waiter(M), vec![]);
    assert!(!l.is_queued(M));
    // A killed head waiter can unblock readers queued behind it once the writer is gone.
    let mut l = RwSem::default();
    assert!(l.read_trylock(R));
    assert_eq!(l.write_lock(V), Acquire::Queued);
    assert_eq!(l.read_lock(M, true), Acquire::Queued);
    assert_eq!(l.kill_waiter(V), vec![M]);
    assert!(l.is_reader(M));
}

#[test]
fn unlock_by_a_non_holder_is_an_error() {
    let mut l = RwSem::default();
    assert!(l.read_trylock(R));
    assert_eq!(l.read_unlock(M), Err(NotHolder));
    assert_eq!(l.write_unlock(V), Err(NotHolder));
    assert!(l.is_reader(R));
}
