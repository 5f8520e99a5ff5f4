//! The explorer's visited set: every distinct [`Packed`] state, numbered in insertion order.
//!
//! The keys live once, in an arena of fixed-size chunks (`keys[id]`, as 64-bit words: a chunk is
//! never moved, so a growing store never copies its megabytes of keys in one go, which in the
//! page would be one long task), and the hash table holds
//! only `(hash, id)` pairs, 8 bytes a slot. So the table grows by moving 8-byte slots (the
//! rehash reuses the stored hash and never touches a key), and a lookup compares the stored
//! 32-bit hash before it compares a key. Keys are compared word by word with a branch-free
//! fold: in wasm a `[u8; N]` comparison is a byte-by-byte `memcmp` loop. The table is never
//! iterated, so its order cannot leak into results.

use crate::pack::{Packed, PACKED_BYTES};
use hashbrown::HashTable;
use rustc_hash::FxHasher;
use std::hash::Hasher;

/// 64-bit words in a key.
pub const KEY_WORDS: usize = PACKED_BYTES.div_ceil(8);

/// A packed state as words.
pub type Key = [u64; KEY_WORDS];

/// Bytes the store spends on one state: its key and its table slot (not counting the
/// table's spare capacity).
pub const BYTES_PER_STATE: usize = std::mem::size_of::<Key>() + std::mem::size_of::<(u32, u32)>();

/// The words of a packed state (little-endian; a short last word is zero-padded).
#[inline(always)]
pub fn key(p: &Packed) -> Key {
    let mut k = [0u64; KEY_WORDS];
    for (w, chunk) in k.iter_mut().zip(p.0.chunks(8)) {
        let mut b = [0u8; 8];
        b[..chunk.len()].copy_from_slice(chunk);
        *w = u64::from_le_bytes(b);
    }
    k
}

/// The packed state a key holds (the inverse of [`key`]).
pub fn unkey(k: &Key) -> Packed {
    let mut p = [0u8; PACKED_BYTES];
    for (chunk, w) in p.chunks_mut(8).zip(k) {
        chunk.copy_from_slice(&w.to_le_bytes()[..chunk.len()]);
    }
    Packed(p)
}

#[inline(always)]
fn same(a: &Key, b: &Key) -> bool {
    a.iter().zip(b).fold(0, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A 32-bit hash of a key. The table derives both its bucket and its 7-bit tag from this
/// value (see [`table_hash`]) on 64-bit and on wasm32 alike.
#[inline(always)]
fn hash32(k: &Key) -> u32 {
    let mut h = FxHasher::default();
    for w in k {
        h.write_u64(*w);
    }
    let h = h.finish();
    (h ^ (h >> 32)) as u32
}

#[inline(always)]
fn table_hash(h: u32) -> u64 {
    u64::from(h) << 32 | u64::from(h)
}

/// Keys per arena chunk (a power of two).
const CHUNK_KEYS: usize = 1 << 14;

/// The key arena: `CHUNK_KEYS` keys a chunk, each chunk allocated once at its full size.
#[derive(Default)]
struct Keys {
    chunks: Vec<Vec<Key>>,
    len: usize,
}

impl Keys {
    #[inline(always)]
    fn get(&self, id: u32) -> &Key {
        let id = id as usize;
        &self.chunks[id / CHUNK_KEYS][id % CHUNK_KEYS]
    }

    fn push(&mut self, k: Key) {
        if self.len.is_multiple_of(CHUNK_KEYS) {
            self.chunks.push(Vec::with_capacity(CHUNK_KEYS));
        }
        self.chunks
            .last_mut()
            .expect("a chunk was just ensured")
            .push(k);
        self.len += 1;
    }
}

/// The set of visited states; ids are dense, from 0 in insertion order.
#[derive(Default)]
pub struct StateStore {
    table: HashTable<(u32, u32)>,
    keys: Keys,
}

/// Where [`StateStore::find`] left a key that is not stored yet.
#[derive(Clone, Copy)]
pub struct Absent {
    hash: u32,
}

impl StateStore {
    pub fn new() -> StateStore {
        StateStore::default()
    }

    /// Number of stored states.
    pub fn len(&self) -> usize {
        self.keys.len
    }

    pub fn is_empty(&self) -> bool {
        self.keys.len == 0
    }

    /// The packed state stored as `id`.
    pub fn packed(&self, id: u32) -> Packed {
        unkey(self.keys.get(id))
    }

    /// The id of `k` if stored, otherwise what [`StateStore::insert`] needs to store it.
    #[inline(always)]
    pub fn find(&self, k: &Key) -> Result<u32, Absent> {
        let h = hash32(k);
        let keys = &self.keys;
        match self
            .table
            .find(table_hash(h), |&(sh, id)| sh == h && same(keys.get(id), k))
        {
            Some(&(_, id)) => Ok(id),
            None => Err(Absent { hash: h }),
        }
    }

    /// Stores `k`, which [`StateStore::find`] just reported absent; returns its id.
    pub fn insert(&mut self, k: Key, at: Absent) -> u32 {
        // An `Absent` goes stale once anything is inserted after the lookup that gave it;
        // storing a key twice would count one state as two.
        debug_assert!(self.find(&k).is_err(), "a key stored twice");
        let id = self.keys.len as u32;
        self.keys.push(k);
        self.table
            .insert_unique(table_hash(at.hash), (at.hash, id), |&(sh, _)| {
                table_hash(sh)
            });
        id
    }

    /// Stores `k` unless present; returns its id and whether it is new.
    pub fn intern(&mut self, k: Key) -> (u32, bool) {
        match self.find(&k) {
            Ok(id) => (id, false),
            Err(at) => (self.insert(k, at), true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_by_value_in_insertion_order() {
        let mut s = StateStore::new();
        let mut a = [0u8; PACKED_BYTES];
        let (id0, new0) = s.intern(key(&Packed(a)));
        a[PACKED_BYTES - 1] = 1;
        let (id1, new1) = s.intern(key(&Packed(a)));
        let (id2, new2) = s.intern(key(&Packed([0u8; PACKED_BYTES])));
        assert_eq!(
            (id0, new0, id1, new1, id2, new2),
            (0, true, 1, true, 0, false)
        );
        assert_eq!(s.len(), 2);
        assert_eq!(s.packed(1), Packed(a));
    }

    #[test]
    fn every_byte_counts() {
        let mut s = StateStore::new();
        for i in 0..PACKED_BYTES {
            for v in [1u8, 0x80] {
                let mut b = [0u8; PACKED_BYTES];
                b[i] = v;
                assert!(s.intern(key(&Packed(b))).1, "byte {i} = {v} collided");
            }
        }
        assert_eq!(s.len(), 2 * PACKED_BYTES);
    }

    #[test]
    fn survives_growth() {
        let mut s = StateStore::new();
        let k = |n: u32| {
            let mut b = [0u8; PACKED_BYTES];
            b[..4].copy_from_slice(&n.to_le_bytes());
            key(&Packed(b))
        };
        for n in 0..10_000 {
            assert_eq!(s.intern(k(n)), (n, true));
        }
        for n in 0..10_000 {
            assert_eq!(s.find(&k(n)).ok(), Some(n));
        }
    }
}
