//! # mmrace-core: exit_mmap vs. the oom_reaper and process_mrelease, as a state machine
//!
//! (Model documentation: see the README's "The model" section; this page is filled in below.)

pub mod actor;
pub mod check;
pub mod kernel;
pub mod mm;
pub mod program;
pub mod rwsem;
pub mod scenario;
pub mod sim;
pub mod variant;

pub use actor::ActorId;
pub use check::{Event, Invariant, Violation};
pub use scenario::{Options, Scenario, ScenarioId};
pub use sim::{Model, State, StepInfo};
pub use variant::Variant;
pub mod compare;
pub mod explore;
pub mod history;
pub mod link;
pub mod narrate;
pub mod pack;
pub mod sched;
pub mod schedule;
pub mod trace;
pub mod view;
