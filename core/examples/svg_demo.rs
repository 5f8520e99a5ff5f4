//! Writes the timeline and state SVGs of a known counterexample to a folder (for looking at).
use mmrace_core::run::Run;
use mmrace_core::schedule::Schedule;
use mmrace_core::*;
fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let m = Model::new(
        Variant::by_id("b1-no-barrier").unwrap(),
        Scenario::new(ScenarioId::OomKill),
    );
    let mut r = Run::new(m);
    r.apply(
        &Schedule::parse("K* R:unmap_page_range(A) V:tlb_finish_mmu R:zap_pte_range(A)").unwrap(),
    )
    .unwrap();
    std::fs::write(format!("{dir}/timeline.svg"), svg::timeline(&r)).unwrap();
    std::fs::write(format!("{dir}/state.svg"), svg::state(&r)).unwrap();
}
