//! `check::before_step` (the direct calls the interpreter makes) answers exactly as the
//! `BEFORE_STEP` table, in the same order, on states of every variant and scenario.

mod common;
use common::*;
use mmrace_core::check::{before_step, StepCheck, BEFORE_STEP};
use mmrace_core::policy::Policy;
use mmrace_core::run::Run;
use mmrace_core::variant::VARIANTS;
use mmrace_core::ScenarioId;

#[test]
fn before_step_answers_as_the_table() {
    let mut checked = 0;
    let mut violations = 0;
    for v in VARIANTS {
        for sc in ScenarioId::ALL {
            let m = model(v.id, sc);
            for seed in 0..8 {
                let mut run = Run::new(m.clone());
                run.autoplay(&mut Policy::random(seed), 300);
                for s in run.befores() {
                    for a in m.enabled(s) {
                        let pc = s.actor(a).pc().unwrap();
                        let c = StepCheck {
                            before: s,
                            actor: a,
                            op: m.step_def(pc).op,
                        };
                        let table: Vec<_> = BEFORE_STEP.iter().map(|p| p(&c)).collect();
                        let mut direct = Vec::new();
                        before_step(&c, |v| direct.push(v));
                        let table: Vec<_> = table.into_iter().flatten().collect();
                        assert_eq!(direct, table, "{} {sc:?} {a}", v.id);
                        checked += 1;
                        violations += table.len();
                    }
                }
            }
        }
    }
    assert!(
        checked > 10_000 && violations > 0,
        "{checked} steps, {violations} violations"
    );
}
