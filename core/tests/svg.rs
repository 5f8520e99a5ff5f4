//! SVG exports are well-formed, escape text and show what the run did.

mod common;
use common::*;
use mmrace_core::svg::{esc, state, timeline};
use mmrace_core::ScenarioId;

fn balanced(svg: &str) {
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    for tag in ["text", "title", "rect", "g", "svg"] {
        let open =
            svg.matches(&format!("<{tag} ")).count() + svg.matches(&format!("<{tag}>")).count();
        let close = svg.matches(&format!("</{tag}>")).count()
            + if tag == "rect" {
                svg.matches("/>").count()
            } else {
                0
            };
        if tag != "rect" {
            assert_eq!(open, close, "<{tag}> balanced");
        }
    }
}

#[test]
fn timeline_marks_holds_waits_trylock_failures_and_violations() {
    let r = run(
        model("b1-no-barrier", ScenarioId::OomKill),
        "K* R:unmap_page_range(A) V:tlb_finish_mmu R:zap_pte_range(A)",
    );
    let svg = timeline(&r);
    balanced(&svg);
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
    balanced(&svg);
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
