//! Exhaustive breadth-first exploration of every interleaving, and the bug atlas.
//!
//! States are deduplicated in a [`StateStore`] keyed by the injective packing of the whole
//! [`State`] (`pack.rs`; the set is never iterated, so its order cannot leak into results). Breadth-first
//! order means the first time an outcome is reached, the path to it is a shortest schedule.
//!
//! Two reductions, both on by default and each with a switch and a test that the verdicts agree:
//! symmetry ([`crate::symmetry`], [`Bounds::symmetry`]): with two process_mrelease callers or
//! two `/proc` readers, states that differ only by swapping the two are stored once; and a
//! partial-order reduction ([`crate::por`], [`Bounds::reduction`]): where one actor's next step
//! commutes with everything the others can still do, and leads to a new state, it is expanded
//! alone. The reduced search finds the same (invariant, step label) outcomes and exactly the
//! same final and deadlocked states; its state and transition counts are those of the reduced
//! graph, and its shortest counterexamples are shortest in it. Violations do not prune the
//! search (the model keeps going, as a KASAN kernel would), so a later violation on the same
//! path is found too.
//!
//! The explorer runs in slices ([`Explorer::run`] with a transition budget) so a UI can show
//! progress and stay responsive, and it honours bounds on states and depth, reporting an
//! incomplete result when one is hit.

use crate::actor::{ActorId, N_ACTORS};
use crate::check::Invariant;
use crate::mm::VmaIdx;
use crate::pack::{pack, repack_in_place, Packed};
use crate::por::{Footprint, Futures, Reduction};
use crate::program::Pc;
use crate::run::Run;
use crate::schedule::Schedule;
use crate::sim::{Blocked, Model, State, StepInfo};
use crate::store::{key, Absent, Key, StateStore, BYTES_PER_STATE};
use crate::symmetry;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

/// Limits on a search.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Bounds {
    pub max_states: usize,
    pub max_depth: usize,
    /// Store one state per orbit of swapping identical actors (M1/M2, G1/G2).
    pub symmetry: bool,
    /// Expand a step that commutes with everything else alone ([`crate::por`]).
    pub reduction: bool,
}

impl Default for Bounds {
    fn default() -> Bounds {
        Bounds {
            max_states: 5_000_000,
            max_depth: 10_000,
            symmetry: true,
            reduction: true,
        }
    }
}

/// One group of the atlas: an invariant firing at one step label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub inv: Invariant,
    /// The step label where it fired, e.g. `R zap_pte_range(A)`.
    pub at: String,
    /// Transitions (state, actor) whose step fires it.
    pub transitions: u64,
    /// Distinct states those transitions lead to (a state reached both by a firing step and by
    /// a harmless one counts too: it is a state in which the violation has happened).
    pub states: u64,
    /// A shortest schedule that replays to the violation.
    pub schedule: String,
    /// Its length in steps.
    pub steps: usize,
}

/// Why the search stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Running,
    Complete,
    /// A bound was hit: the result covers only part of the state space.
    Incomplete,
}

/// How far a running search has come, for a progress display.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// States found so far.
    pub states: u64,
    pub transitions: u64,
    /// States found but not yet expanded (the breadth-first queue).
    pub frontier: u64,
    /// Steps from the initial state of the states being expanded.
    pub depth: usize,
}

/// The result (or the progress so far) of a search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub variant: String,
    pub scenario: String,
    pub status: Status,
    pub states: u64,
    pub transitions: u64,
    pub max_depth: usize,
    /// States found but not yet expanded (the breadth-first queue); 0 once complete.
    pub frontier: u64,
    /// The depth (steps from the initial state) of the states being expanded now.
    pub depth: usize,
    /// States where every present actor has returned (or idles forever, as the reaper does).
    pub final_states: u64,
    /// States where some actor is blocked forever on a lock.
    pub deadlocks: u64,
    pub deadlock_schedule: Option<String>,
    /// Bytes per stored state (key plus bookkeeping).
    pub bytes_per_state: usize,
    pub bound_hit: Option<String>,
    /// The identical actors whose swaps were reduced away (e.g. `M1/M2`); empty = none.
    pub symmetry: Vec<String>,
    /// The partial-order reduction was applied: the counts are those of the reduced graph.
    pub reduction: bool,
    /// States expanded through only some of their enabled steps (0 without the reduction).
    pub reduced_states: u64,
    /// The atlas, ordered by invariant then label.
    pub outcomes: Vec<Outcome>,
}

impl Report {
    pub fn violated(&self) -> Vec<Invariant> {
        let mut v: Vec<Invariant> = self.outcomes.iter().map(|o| o.inv).collect();
        v.dedup();
        v
    }
    /// The first outcome for an invariant: the shortest counterexample for it.
    pub fn shortest(&self, inv: Invariant) -> Option<&Outcome> {
        self.outcomes
            .iter()
            .filter(|o| o.inv == inv)
            .min_by_key(|o| (o.steps, o.at.clone()))
    }
    /// No violation and no deadlock in what was explored.
    pub fn is_safe(&self) -> bool {
        self.outcomes.is_empty() && self.deadlocks == 0
    }
    /// The atlas as the UI shows it: one group per violated invariant (in `Invariant::ALL`
    /// order), its outcomes shortest first (the same order as [`Report::shortest`]).
    pub fn by_invariant(&self) -> Vec<(Invariant, Vec<&Outcome>)> {
        Invariant::ALL
            .into_iter()
            .filter_map(|inv| {
                let mut os: Vec<&Outcome> = self.outcomes.iter().filter(|o| o.inv == inv).collect();
                os.sort_by_key(|o| (o.steps, o.at.clone()));
                (!os.is_empty()).then_some((inv, os))
            })
            .collect()
    }
}

struct Node {
    parent: u32,
    actor: ActorId,
    depth: u16,
}

struct Group {
    transitions: u64,
    /// The distinct target states (ids), only counted: never iterated.
    targets: FxHashSet<u32>,
    first: (u32, ActorId),
}

/// A violating step: the invariant, who stepped, where, and on which VMA.
type StepKey = (Invariant, ActorId, Pc, Option<VmaIdx>);

/// A step taken while choosing the reduced set, kept for the expansion: the successor, its
/// key, and whether the store held it when there were `len` states.
#[derive(Clone, Copy)]
struct Trial {
    n: State,
    k: Key,
    found: Result<u32, Absent>,
    len: usize,
}

/// A breadth-first explorer that can be run in slices.
pub struct Explorer {
    model: Model,
    bounds: Bounds,
    seen: StateStore,
    nodes: Vec<Node>,
    queue: VecDeque<(State, u32)>,
    transitions: u64,
    max_depth: usize,
    final_states: u64,
    deadlocks: u64,
    first_deadlock: Option<u32>,
    atlas: BTreeMap<(Invariant, String), Group>,
    /// The atlas key of each violating step seen so far, so a transition does not format
    /// its label again (a label is a function of the actor, the step and its VMA).
    atlas_keys: FxHashMap<StepKey, (Invariant, String)>,
    status: Status,
    bound_hit: Option<String>,
    /// Reused for every transition so stepping does not allocate; one per actor, so the
    /// trial steps of the partial-order reduction survive until the state is expanded.
    scratch: [StepInfo; N_ACTORS],
    /// The groups of identical actors states are canonicalised over (empty: no reduction).
    symmetric: Vec<[ActorId; 2]>,
    /// The partial-order reduction's tables, when it is on.
    por: Option<Reduction>,
    reduced_states: u64,
}

const ROOT: u32 = u32::MAX;

impl Explorer {
    pub fn new(model: Model, bounds: Bounds) -> Explorer {
        let por = bounds.reduction.then(|| Reduction::new(&model));
        Explorer::with_reduction(model, bounds, por)
    }

    /// An explorer with the given partial-order reduction (or none), whatever
    /// [`Bounds::reduction`] says: for tests that check a wrong reduction is caught.
    pub fn with_reduction(model: Model, bounds: Bounds, por: Option<Reduction>) -> Explorer {
        let s0 = model.initial();
        let symmetric = if bounds.symmetry {
            symmetry::groups(&model.scenario.actors())
        } else {
            Vec::new()
        };
        let mut seen = StateStore::new();
        let p0 = pack(&s0);
        seen.intern(key(&symmetry::canonical_from(&p0, &symmetric)));
        let mut e = Explorer {
            model,
            bounds,
            seen,
            nodes: vec![Node {
                parent: ROOT,
                actor: ActorId::V,
                depth: 0,
            }],
            queue: VecDeque::new(),
            transitions: 0,
            max_depth: 0,
            final_states: 0,
            deadlocks: 0,
            first_deadlock: None,
            atlas: BTreeMap::new(),
            atlas_keys: FxHashMap::default(),
            status: Status::Running,
            bound_hit: None,
            scratch: std::array::from_fn(|_| StepInfo::default_for(ActorId::V)),
            symmetric,
            por,
            reduced_states: 0,
        };
        e.queue.push_back((s0, 0));
        e
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    pub fn status(&self) -> Status {
        self.status
    }

    /// Progress so far without building the atlas: (states, transitions, max depth). Cheap,
    /// unlike [`Explorer::report`], which replays a schedule for every outcome.
    pub fn progress(&self) -> Progress {
        Progress {
            states: self.seen.len() as u64,
            transitions: self.transitions,
            frontier: self.queue.len() as u64,
            depth: self.frontier_depth(),
        }
    }

    /// The depth of the states being expanded (the front of the breadth-first queue).
    fn frontier_depth(&self) -> usize {
        self.queue.front().map_or(self.max_depth, |(_, id)| {
            self.nodes[*id as usize].depth as usize
        })
    }

    /// Explores until done or until `budget` transitions have been taken; returns the status.
    pub fn run(&mut self, budget: u64) -> Status {
        let stop_at = self.transitions.saturating_add(budget);
        while self.status == Status::Running {
            if self.transitions >= stop_at {
                return self.status;
            }
            let Some((s, id)) = self.queue.pop_front() else {
                self.status = Status::Complete;
                break;
            };
            let depth = self.nodes[id as usize].depth as usize;
            let enabled = self.model.enabled_mask(&s);
            if enabled == 0 {
                self.classify_terminal(&s, id);
                continue;
            }
            if depth >= self.bounds.max_depth {
                self.status = Status::Incomplete;
                self.bound_hit = Some(format!("max depth {}", self.bounds.max_depth));
                break;
            }
            // The state's own packing, from which its successors' are derived ([`crate::pack::repack`]):
            // without symmetry it is the stored key.
            let p = if self.symmetric.is_empty() {
                self.seen.packed(id)
            } else {
                pack(&s)
            };
            let mut trials = [None; N_ACTORS];
            let mask = self.reduced_set(&s, &p, enabled, &mut trials);
            for a in ActorId::ALL
                .into_iter()
                .filter(|a| mask & (1 << *a as u8) != 0)
            {
                let stepped;
                let (n, k, found) = match &trials[a as usize] {
                    Some(t) => {
                        self.transitions += 1;
                        // An absent key stays absent until the store grows (a sibling's
                        // successor may be the same state); a found one stays found.
                        let found = match t.found {
                            Err(_) if self.seen.len() != t.len => self.seen.find(&t.k),
                            f => f,
                        };
                        (&t.n, t.k, found)
                    }
                    None => {
                        let (n, k) = self.successor(&s, a, &p);
                        stepped = n;
                        (&stepped, k, self.seen.find(&k))
                    }
                };
                if !self.record(&s, id, depth, a, n, k, found) {
                    break;
                }
            }
        }
        self.status
    }

    /// Steps `a` from `s` (whose packing is `p`) into `a`'s scratch record; the successor and
    /// its store key.
    fn successor(&mut self, s: &State, a: ActorId, p: &Packed) -> (State, Key) {
        let mut n = *s;
        let info = &mut self.scratch[a as usize];
        self.model.step_in_place(&mut n, a, info);
        self.transitions += 1;
        // Only `a` and the actors its step granted mmap_lock to have moved.
        let dirty = info
            .granted
            .iter()
            .fold(1u8 << a as u8, |m, g| m | 1 << *g as u8);
        let mut pn = *p;
        repack_in_place(&mut pn, &n, dirty);
        let k = if self.symmetric.is_empty() {
            key(&pn)
        } else {
            key(&symmetry::canonical_from(&pn, &self.symmetric))
        };
        (n, k)
    }

    /// The partial-order reduction at `s`: the actors to expand, a subset of `enabled`. The
    /// smallest closed set ([`Reduction::closed_set`]) whose steps, as taken, commute with
    /// everything the other actors can still do, provided one of its successors is a state not
    /// stored yet (the proviso that keeps reduced states from deferring a step forever);
    /// otherwise every enabled actor. The trial steps it takes are left in `trials` (and their
    /// records in the scratch), so the expansion does not step twice: a step is a function of
    /// the state and the actor.
    fn reduced_set(
        &mut self,
        s: &State,
        p: &Packed,
        enabled: u8,
        trials: &mut [Option<Trial>; N_ACTORS],
    ) -> u8 {
        let Some(por) = self.por.take() else {
            return enabled;
        };
        let mut mask = enabled;
        let mut cache = Futures::default();
        for (set, subset) in por.candidates(s, enabled, &mut cache) {
            let mut steps = Footprint::default();
            let mut drops = false;
            let mut fresh = false;
            let mut ok = true;
            for a in ActorId::ALL
                .into_iter()
                .filter(|a| subset & (1 << *a as u8) != 0)
            {
                let t = match &trials[a as usize] {
                    Some(t) => t,
                    None => {
                        let (n, k) = self.successor(s, a, p);
                        // A trial step: counted when the expansion takes it.
                        self.transitions -= 1;
                        let found = self.seen.find(&k);
                        let len = self.seen.len();
                        trials[a as usize].insert(Trial { n, k, found, len })
                    }
                };
                match por.step_footprint(s, &t.n, &self.scratch[a as usize]) {
                    Some((t, d)) => {
                        steps.add(t);
                        drops |= d;
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
                fresh |= t.found.is_err();
            }
            if ok && fresh && por.confirm(s, set, subset, (steps, drops), &mut cache) {
                mask = subset;
                self.reduced_states += 1;
                break;
            }
        }
        self.por = Some(por);
        mask
    }

    /// Records the transition `a` from `s` (node `id`) to `n` (key `k`), described by the
    /// scratch record, `found` its lookup in the store: the atlas, and `n` if it is new. False
    /// when a bound stops the search.
    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        s: &State,
        id: u32,
        depth: usize,
        a: ActorId,
        n: &State,
        k: Key,
        found: Result<u32, Absent>,
    ) -> bool {
        // A new state gets the next id (`StateStore::insert`).
        let target = match found {
            Ok(id) => id,
            Err(_) => self.seen.len() as u32,
        };
        let info = &self.scratch[a as usize];
        for v in &info.violations {
            let model = &self.model;
            let at = self
                .atlas_keys
                .entry((v.inv, a, info.pc, info.vma))
                .or_insert_with(|| (v.inv, format!("{} {}", a, model.label(info, s))));
            let g = match self.atlas.get_mut(at) {
                Some(g) => g,
                None => self.atlas.entry(at.clone()).or_insert_with(|| Group {
                    transitions: 0,
                    targets: FxHashSet::default(),
                    first: (id, a),
                }),
            };
            g.transitions += 1;
            g.targets.insert(target);
        }
        if let Err(absent) = found {
            if self.seen.len() >= self.bounds.max_states {
                self.status = Status::Incomplete;
                self.bound_hit = Some(format!("max states {}", self.bounds.max_states));
                return false;
            }
            let target = self.seen.insert(k, absent);
            self.nodes.push(Node {
                parent: id,
                actor: a,
                depth: (depth + 1) as u16,
            });
            self.max_depth = self.max_depth.max(depth + 1);
            self.queue.push_back((*n, target));
        }
        true
    }

    fn classify_terminal(&mut self, s: &State, id: u32) {
        let stuck = ActorId::ALL.into_iter().any(|a| {
            matches!(
                self.model.blocked(s, a),
                Some(Blocked::QueuedOnMmapLock { .. }) | Some(Blocked::TaskLock { .. })
            )
        });
        if stuck {
            self.deadlocks += 1;
            self.first_deadlock.get_or_insert(id);
        } else {
            self.final_states += 1;
        }
    }

    /// The actor choices from the initial state to node `id`.
    fn path(&self, mut id: u32) -> Vec<ActorId> {
        let mut p = Vec::new();
        while id != 0 && id != ROOT {
            let n = &self.nodes[id as usize];
            p.push(n.actor);
            id = n.parent;
        }
        p.reverse();
        p
    }

    /// A readable schedule for a path of actor choices.
    pub fn schedule_for(&self, choices: &[ActorId]) -> Schedule {
        let mut run = Run::new(self.model.clone());
        for a in choices {
            if run.step(*a).is_err() {
                break;
            }
        }
        run.schedule()
    }

    pub fn report(&self) -> Report {
        let outcomes = self
            .atlas
            .iter()
            .map(|((inv, at), g)| {
                let mut choices = self.path(g.first.0);
                choices.push(g.first.1);
                Outcome {
                    inv: *inv,
                    at: at.clone(),
                    transitions: g.transitions,
                    states: g.targets.len() as u64,
                    schedule: self.schedule_for(&choices).to_string(),
                    steps: choices.len(),
                }
            })
            .collect();
        Report {
            variant: self.model.variant.label(),
            scenario: self.model.scenario.name(),
            status: self.status,
            states: self.seen.len() as u64,
            transitions: self.transitions,
            max_depth: self.max_depth,
            frontier: self.queue.len() as u64,
            depth: self.frontier_depth(),
            final_states: self.final_states,
            deadlocks: self.deadlocks,
            deadlock_schedule: self
                .first_deadlock
                .map(|id| self.schedule_for(&self.path(id)).to_string()),
            bytes_per_state: BYTES_PER_STATE + std::mem::size_of::<Node>(),
            bound_hit: self.bound_hit.clone(),
            symmetry: self
                .symmetric
                .iter()
                .map(|[a, b]| format!("{}/{}", a.numbered(), b.numbered()))
                .collect(),
            reduction: self.por.is_some(),
            reduced_states: self.reduced_states,
            outcomes,
        }
    }
}

/// Explores a model to completion (or a bound) in one call.
pub fn explore(model: Model, bounds: Bounds) -> Report {
    let mut e = Explorer::new(model, bounds);
    e.run(u64::MAX);
    e.report()
}
