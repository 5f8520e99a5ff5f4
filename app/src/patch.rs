//! The patch view's rows: each program of a variant, line by line, with the lines its base
//! lacks marked, and the base's removed lines kept (struck through) where they were.
//!
//! The diff itself is `Variant::diff` from the core; this only arranges it for rendering and
//! caches it per model.

use crate::session::Session;
use leptos::prelude::*;
use mmrace_core::program::{ProgId, Source};
use mmrace_core::variant::{Change, Variant};

/// One row of a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Row {
    /// Line `idx` of this variant's program.
    Line { idx: usize, change: Change },
    /// A line of the base program this variant removed.
    Removed {
        code: &'static str,
        indent: u8,
        src: Source,
    },
}

/// Rows for every program of a variant, plus the base variant's id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Patch {
    pub base: Option<&'static str>,
    pub progs: Vec<Vec<Row>>,
}

impl Patch {
    pub fn rows(&self, p: ProgId) -> &[Row] {
        &self.progs[p as usize]
    }
    /// Whether any line of `p` differs from the base.
    pub fn touches(&self, p: ProgId) -> bool {
        self.rows(p).iter().any(|r| {
            !matches!(
                r,
                Row::Line {
                    change: Change::Same,
                    ..
                }
            )
        })
    }
}

/// The patch rows of `v` against its base.
pub fn patch_of(v: &Variant) -> Patch {
    let base = v.base();
    let progs = ProgId::ALL
        .into_iter()
        .map(|p| {
            v.diff_with(base.as_ref(), p)
                .into_iter()
                .filter_map(|d| match (d.this, &base, d.base) {
                    (Some(idx), _, _) => Some(Row::Line {
                        idx,
                        change: d.change,
                    }),
                    (None, Some(b), Some(bi)) => {
                        let st = &b.defs[p as usize].steps[bi];
                        Some(Row::Removed {
                            code: st.code,
                            indent: st.indent,
                            src: st.src,
                        })
                    }
                    _ => None,
                })
                .collect()
        })
        .collect();
    Patch {
        // An edited variant is compared with itself as shipped.
        base: if v.edits.is_some() {
            Some(v.info.id)
        } else {
            v.info.base
        },
        progs,
    }
}

/// Provides a `Memo<Patch>` of the session's current model.
pub fn provide_patch(s: Session) {
    let memo = Memo::new(move |_| s.model.with(|m| patch_of(&m.variant)));
    provide_context(memo);
}

pub fn use_patch() -> Memo<Patch> {
    expect_context::<Memo<Patch>>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v5_17_rc1_adds_the_write_lock_and_removes_the_barrier() {
        let v = Variant::by_id("v5.17-rc1").unwrap();
        let p = patch_of(&v);
        assert_eq!(p.base, Some("v5.16"));
        let rows = p.rows(ProgId::Mmput);
        let prog = v.program(ProgId::Mmput);
        let added: Vec<&str> = rows
            .iter()
            .filter_map(|r| match r {
                Row::Line {
                    idx,
                    change: Change::Added,
                } => Some(prog.steps[*idx].id),
                _ => None,
            })
            .collect();
        assert!(added.contains(&"wlock"), "{added:?}");
        assert!(rows
            .iter()
            .any(|r| matches!(r, Row::Removed { code, .. } if code.contains("mmap_write_lock"))));
        assert!(p.touches(ProgId::Mmput));
        assert!(!p.touches(ProgId::OomReaper));
    }

    #[test]
    fn a_variant_without_base_has_no_marks() {
        let v = Variant::by_id("v5.16").unwrap();
        let p = patch_of(&v);
        assert!(ProgId::ALL.into_iter().all(|pr| !p.touches(pr)));
    }
}
