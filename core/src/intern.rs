//! Interned strings for edited programs.
//!
//! Kernel programs are `'static` data; an edit list typed by a user adds step ids, labels and
//! code lines at run time. Each distinct string is leaked once and shared afterwards, so memory
//! is bounded by the distinct text a session has typed, not by how often it re-applies a list.

use std::collections::BTreeSet;
use std::sync::Mutex;

static TABLE: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());

/// The `'static` copy of `s` (the same pointer for equal strings).
pub fn intern(s: &str) -> &'static str {
    let mut t = TABLE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(x) = t.get(s) {
        return x;
    }
    let x: &'static str = Box::leak(s.to_string().into_boxed_str());
    t.insert(x);
    x
}
