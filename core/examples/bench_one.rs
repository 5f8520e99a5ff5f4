use mmrace_core::explore::{explore, Bounds};
use mmrace_core::*;
fn main() {
    let v = std::env::args().nth(1).unwrap_or("v5.16".into());
    let m = Model::new(
        Variant::by_id(&v).unwrap(),
        Scenario::new(ScenarioId::OomKill),
    );
    let r = explore(m, Bounds::default());
    println!("{} {}", r.states, r.transitions);
}
