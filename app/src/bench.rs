//! Benchmark hook (`?bench=N`): a history of N steps, to measure the UI with long runs.
//!
//! No real kernel path runs for long: every interleaving of the real variants ends within
//! about 90 steps. The hook therefore builds a test-only variant of v5.16 whose oom_reaper
//! never gives up — `mmap_read_trylock; mmap_read_unlock; goto again` forever — and steps it
//! round-robin with the other actors until the run has N steps. It goes through the same
//! `Run::step` as the UI, so the history is a real one of that (looping) model.

use mmrace_core::kernel::{to, Builder, Op, ProgId};
use mmrace_core::policy::Policy;
use mmrace_core::run::Run;
use mmrace_core::variant::{self, Variant};
use mmrace_core::{Model, Scenario, ScenarioId};

/// The id shown for the looping test variant.
pub const BENCH_VARIANT: &str = "bench-loop";

/// v5.16 in oom-kill, with an oom_reaper that loops forever.
pub fn looping_model() -> Result<Model, String> {
    let mut defs = variant::defs("v5.16")?;
    defs[ProgId::OomReaper as usize] = Builder::new(ProgId::OomReaper)
        .func("oom_reaper", "mm/oom_kill.c")
        // The reaper's own trylock/unlock (aac453635549); only the endless retry is made up.
        .since("aac453635549")
        .step(
            "trylock",
            "mmap_read_trylock",
            "if (!mmap_read_trylock(mm)) goto again;  /* benchmark: never gives up */",
            Op::ReadTrylock {
                on_fail: to("again"),
            },
        )
        .since("aac453635549")
        .step(
            "unlock",
            "mmap_read_unlock",
            "mmap_read_unlock(mm);",
            Op::ReadUnlock,
        )
        .since("aac453635549")
        .step(
            "again",
            "goto again",
            "again: goto trylock;",
            Op::Goto(to("trylock")),
        )
        .build();
    let mut info = variant::info("v5.16").ok_or("v5.16 is missing")?;
    info.id = BENCH_VARIANT;
    info.base = None;
    info.title = "benchmark: v5.16 with a reaper that loops forever";
    info.summary = "A test-only variant for the UI benchmark: the oom_reaper retries mmap_read_trylock forever, so a run can be arbitrarily long.";
    let v = Variant::from_defs(info, defs)?;
    Ok(Model::new(v, Scenario::new(ScenarioId::OomKill)))
}

/// A run of `steps` steps of [`looping_model`], scheduled round-robin.
pub fn long_run(steps: usize) -> Result<Run, String> {
    let mut run = Run::new(looping_model()?);
    let mut policy = Policy::round_robin();
    while run.len() < steps {
        let Some(a) = policy.choose(&run.enabled()) else {
            return Err(format!(
                "the looping model stopped after {} steps",
                run.len()
            ));
        };
        run.step(a).map_err(|e| e.message)?;
    }
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_long_history() {
        let run = long_run(2_000).unwrap();
        assert_eq!(run.len(), 2_000);
        assert_eq!(run.pos(), 2_000);
    }
}
