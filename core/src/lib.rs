//! # mmrace-core: exit_mmap vs. the oom_reaper and process_mrelease, as a state machine
//!
//! Three kernel paths tear down or reap a dying process's address space: `exit_mmap` (run by
//! whoever drops the last `mm_users` reference), the `oom_reaper` kthread (which pins only
//! `mm_count`) and a `process_mrelease(pidfd)` caller. Before v5.17, `exit_mmap` freed page
//! tables and VMAs holding no lock at all, and the two walkers — which hold only
//! `mmap_read_lock` — were kept out by a protocol (`MMF_OOM_VICTIM`, `MMF_OOM_SKIP` and an empty
//! `mmap_write_lock`/`unlock` barrier) or by pinning `mm_users`. 64591e8605d6 made `exit_mmap`
//! hold `mmap_write_lock` over the destructive part instead. This crate models all of it.
//!
//! ## Actors ([`actor`])
//! `V` the victim's last thread (`do_exit` → `exit_mm` → `mmput`), `K` the OOM killer, `R` the
//! oom_reaper, `M` a process_mrelease caller, `G` a `/proc` reader holding `mm_users`. Whoever
//! drops the last `mm_users` runs `__mmput`/`exit_mmap` in its own context.
//!
//! ## Programs are data ([`program`], [`kernel`], [`variant`])
//! Each kernel path is a list of steps — one pseudo-code line each, with a stable id, a label in
//! kernel vocabulary, the op the interpreter runs, and its function, file and commit. Real
//! releases (`v5.16`, `v5.17-rc1`, `v5.17`, `v6.1`) list their programs; buggy variants
//! (`b1`…`b8`) are small edits (delete, move, replace) of a base, and [`Variant::diff`] shows
//! them as a patch.
//!
//! ## State and one step ([`mm`], [`rwsem`], [`sim`])
//! [`State`] is plain `Copy` data: `mm_users`, `mm_count`, the `mm->flags` bits, `mm->mmap`
//! (which may dangle), `mmap_lock` (writer, readers, FIFO wait queue with the trylock and
//! phase-fair wake rules of the real rwsem), each VMA's page tables (present → detached by
//! `free_pgtables` → freed by `tlb_finish_mmu`) and liveness, the victim task, and each actor's
//! call stack and locals. [`Model::step`] executes one *shared* op of one actor — a lock op, a
//! flag or refcount op, one VMA read or half of a zap, one destructive op on one VMA — then the
//! actor's local ops (branches on its own variables) up to its next shared op. The reaper's
//! walk is split into `can_madv_lru_vma`, `unmap_page_range` (loads the pmd) and
//! `zap_pte_range` (`pte_offset_map_lock`) so that "mid-walk" is a state.
//!
//! ## Invariants ([`check`])
//! Checked at the step that could break them: S1 page tables freed under a walker, S2 VMA used
//! after free (also via a dangling `mm->mmap`), S3 mm_struct used after free, S4 munlock racing
//! a reaper, S5 refcount sanity, S6 lock sanity, S7 a destructive step while another actor is
//! inside a walk (the root cause, one step before S1/S2/S4).
//!
//! ## Around the interpreter
//! [`schedule`] (the `V`, `V:label`, `V*` text format), [`policy`] (manual, round-robin,
//! seeded SplitMix64), [`run`] (every state kept: step back and jump are O(1)),
//! [`explore`] (breadth-first over packed states — [`pack`] — so each counterexample is
//! shortest; the bug atlas), [`compare`] (two variants in lockstep), [`narrate`] (a sentence per
//! step, causes of a violation), [`trace`] (JSON and the commit-message race diagram), [`link`]
//! (permalinks). Nothing here reads a clock, the OS's randomness or a hash map's iteration
//! order: the same choices give the same trace natively and in wasm.
//!
//! The model is untimed (no HZ/10 or 2*HZ delays), so it allows a superset of real
//! interleavings — the right choice for a safety checker.
//!
//! ## Example: find the use-after-free 64591e8605d6 left, and replay it
//! Explore every interleaving of v5.17-rc1 under `user-kill` (a process_mrelease caller and a
//! victim killed from user space), get S2, and replay the shortest counterexample step by step:
//!
//! ```
//! use mmrace_core::explore::{explore, Bounds, Status};
//! use mmrace_core::run::Run;
//! use mmrace_core::schedule::Schedule;
//! use mmrace_core::{Invariant, Model, Scenario, ScenarioId, Variant};
//!
//! let model = Model::new(Variant::by_id("v5.17-rc1")?, Scenario::new(ScenarioId::UserKill));
//! let report = explore(model.clone(), Bounds::default());
//! assert_eq!(report.status, Status::Complete);
//! assert_eq!(report.violated(), [Invariant::S2]);
//!
//! let shortest = report.shortest(Invariant::S2).expect("S2 has a counterexample");
//! let mut run = Run::new(model);
//! run.apply(&Schedule::parse(&shortest.schedule)?).map_err(|e| e.message)?;
//! assert_eq!(run.len(), shortest.steps);
//! let (step, v) = run.violations()[0];
//! assert_eq!((step + 1, v.inv), (shortest.steps, Invariant::S2));
//! println!("{} steps: {}", shortest.steps, shortest.schedule);
//! # Ok::<(), String>(())
//! ```

pub mod actor;
pub mod challenge;
pub mod check;
pub mod edit;
pub mod edit_action;
pub mod intern;
pub mod kernel;
pub mod mm;
pub mod op_text;
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
pub mod link;
pub mod narrate;
pub mod pack;
pub mod policy;
pub mod por;
pub mod run;
pub mod schedule;
pub mod search;
pub mod store;
pub mod svg;
pub mod symmetry;
pub mod tour;
pub mod trace;
pub mod view;
