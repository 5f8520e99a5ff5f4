use mmrace_core::explore::{explore, Bounds};
use mmrace_core::*;
fn main() {
    for v in mmrace_core::variant::VARIANTS {
        for sc in ScenarioId::ALL {
            let m = Model::new(Variant::by_id(v.id).unwrap(), Scenario::new(sc));
            let t = std::time::Instant::now();
            let r = explore(m, Bounds::default());
            let inv: Vec<String> = r
                .outcomes
                .iter()
                .map(|o| format!("{}@{}[{}]", o.inv, o.at, o.steps))
                .collect();
            println!("{:28} {:12} states={:8} trans={:9} depth={:4} final={} dead={} {:?} {:.2}s\n    {}", v.id, sc.id(), r.states, r.transitions, r.max_depth, r.final_states, r.deadlocks, r.status, t.elapsed().as_secs_f64(), inv.join(" "));
        }
    }
}
