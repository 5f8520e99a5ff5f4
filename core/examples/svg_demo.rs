//! Writes the two SVG exports (`timeline.svg`, `state.svg`) of the b1-no-barrier S1
//! counterexample to a folder, to look at them outside the browser:
//!
//! ```text
//! cargo run --example svg_demo -- /tmp
//! ```
use mmrace_core::run::Run;
use mmrace_core::schedule::Schedule;
use mmrace_core::*;

fn main() -> Result<(), String> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let m = Model::new(
        Variant::by_id("b1-no-barrier")?,
        Scenario::new(ScenarioId::OomKill),
    );
    let mut r = Run::new(m);
    r.apply(&Schedule::parse(
        "K* R:unmap_page_range(A) V:tlb_finish_mmu R:zap_pte_range(A)",
    )?)
    .map_err(|e| e.message)?;
    for (name, svg) in [
        ("timeline.svg", svg::timeline(&r)),
        ("state.svg", svg::state(&r)),
    ] {
        let path = format!("{dir}/{name}");
        std::fs::write(&path, svg).map_err(|e| format!("cannot write {path}: {e}"))?;
        println!("wrote {path}");
    }
    Ok(())
}
