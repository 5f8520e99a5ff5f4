//! Every guided tour's cue lands on the state it promises, on both variants it shows.

use mmrace_core::run::Run;
use mmrace_core::tour::{apply_cue, check, Expect, TOURS};

#[test]
fn every_cue_lands_where_it_promises() {
    assert!(TOURS.len() >= 6);
    for t in TOURS {
        let mut main = Run::new(t.model(t.variant).unwrap());
        let mut other = t.compare.map(|v| Run::new(t.model(v).unwrap()));
        for (i, c) in t.cues.iter().enumerate() {
            apply_cue(&mut main, c).unwrap_or_else(|e| panic!("{} cue {}: {e}", t.id, i + 1));
            check(&main, c.expect).unwrap_or_else(|e| panic!("{} cue {}: {e}", t.id, i + 1));
            if let Some(o) = other.as_mut() {
                // The comparison side may legitimately be unable to follow (that is the point).
                let _ = apply_cue(o, c);
                check(o, c.expect_other)
                    .unwrap_or_else(|e| panic!("{} cue {} (compare): {e}", t.id, i + 1));
            }
            assert!(!c.caption.is_empty());
        }
        let last = t.cues.last().unwrap();
        assert!(
            last.expect != Expect::Nothing,
            "{}: the last cue promises something",
            t.id
        );
    }
}
