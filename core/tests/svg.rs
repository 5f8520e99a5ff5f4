//! SVG exports are well-formed, escape text and show what the run did.

mod common;
use common::*;
use mmrace_core::svg::{esc, state, timeline};
use mmrace_core::view::{hold, Hold};
use mmrace_core::ScenarioId;
use std::collections::BTreeMap;

/// Well-formed: every element is closed, in order (a small tag-stack check; the SVG has no
/// comments, CDATA or `>` inside attribute values). Returns how many elements of each name.
fn balanced(svg: &str) -> BTreeMap<String, usize> {
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    let mut stack: Vec<String> = Vec::new();
    let mut counts = BTreeMap::new();
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        let close = rest[open..].find('>').expect("every tag ends") + open;
        let tag = &rest[open + 1..close];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name),
                "</{name}> closes what is open"
            );
        } else {
            let name: String = tag.chars().take_while(|c| c.is_alphanumeric()).collect();
            *counts.entry(name.clone()).or_insert(0) += 1;
            if !tag.ends_with('/') {
                stack.push(name);
            }
        }
        rest = &rest[close + 1..];
    }
    assert!(stack.is_empty(), "left open: {stack:?}");
    counts
}

#[test]
fn timeline_marks_holds_waits_trylock_failures_and_violations() {
    let r = run(
        model("b1-no-barrier", ScenarioId::OomKill),
        "K* R:unmap_page_range(A) V:tlb_finish_mmu R:zap_pte_range(A)",
    );
    let svg = timeline(&r);
    let counts = balanced(&svg);
    // One bar per (step, actor) holding the lock for read, counted from the run's states.
    let actors = r.model.scenario.actors();
    let read_holds = (1..=r.len())
        .map(|k| {
            let s = r.state_at(k);
            actors.iter().filter(|a| hold(s, **a) == Hold::Read).count()
        })
        .sum::<usize>();
    assert!(read_holds > 30, "{read_holds}");
    assert_eq!(
        svg.matches("holds mmap_lock for read</title>").count(),
        read_holds
    );
    // The hatch pattern's tile, the background, the read bars (nobody writes or queues here),
    // and one red box per violation marker.
    let violations: usize = r.steps().iter().map(|i| i.violations.len()).sum();
    assert_eq!(counts["rect"], 2 + read_holds + violations, "{counts:?}");
    assert!(svg.contains("R holds mmap_lock for read"));
    assert!(svg.contains("S1 page tables freed under a walker"));
    let r2 = run(
        model("v5.16", ScenarioId::OomKill),
        "K* V:mmap_write_lock R:mmap_read_trylock",
    );
    let svg2 = timeline(&r2);
    assert!(svg2.contains("url(#hatch)") && svg2.contains("mmap_read_trylock failed"));
}

#[test]
fn state_schematic_shows_dangling_head_and_freed_vmas() {
    let r = run(model("v5.17-rc1", ScenarioId::UserKill), "M:task_unlock V*");
    let svg = state(&r);
    let counts = balanced(&svg);
    // The hatch pattern's tile, the background, the mm_struct box, the mmap_lock box and one
    // card per VMA (A L F).
    assert_eq!(counts["rect"], 4 + 3, "{counts:?}");
    assert!(svg.contains("mm-&gt;mmap = A (freed)"));
    assert!(svg.contains("VMA A — FREED") && svg.contains("page tables FREED"));
}

#[test]
fn text_is_escaped() {
    assert_eq!(
        esc("<a href=\"x\">&'"),
        "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
    );
}
