//! Scheduling policies: who steps next when the user does not say.
//!
//! Every policy is deterministic: manual (the caller picks), round-robin (the next enabled
//! actor after the last one, in `V K R M G` order), and seeded random (SplitMix64 — a tiny,
//! fully specified generator, so the same seed picks the same actors natively and in wasm).
//! Replaying a written schedule is [`crate::run::Run::apply`].

use crate::actor::ActorId;
use serde::{Deserialize, Serialize};

/// SplitMix64 (Steele, Lea, Flood 2014): 64-bit state, one add and three xor-shift-multiplies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SplitMix64 {
    pub state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A value in `0..n` (n > 0), by Lemire's multiply-shift (bias below 2^-32 for tiny n).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }
}

/// A scheduling policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Policy {
    /// The caller chooses every step.
    Manual,
    /// The next enabled actor after the previous choice.
    RoundRobin { last: Option<ActorId> },
    /// Uniform among enabled actors, from a seeded generator.
    Random { seed: u64, rng: SplitMix64 },
}

impl Policy {
    pub fn random(seed: u64) -> Policy {
        Policy::Random {
            seed,
            rng: SplitMix64::new(seed),
        }
    }
    pub fn round_robin() -> Policy {
        Policy::RoundRobin { last: None }
    }
    pub fn name(&self) -> String {
        match self {
            Policy::Manual => "manual".into(),
            Policy::RoundRobin { .. } => "round-robin".into(),
            Policy::Random { seed, .. } => format!("random (seed {seed})"),
        }
    }

    /// Picks among `enabled` (in `ActorId` order); `None` for manual or when nothing can step.
    pub fn choose(&mut self, enabled: &[ActorId]) -> Option<ActorId> {
        if enabled.is_empty() {
            return None;
        }
        match self {
            Policy::Manual => None,
            Policy::RoundRobin { last } => {
                let pick = match last {
                    None => enabled[0],
                    Some(l) => *enabled.iter().find(|a| **a > *l).unwrap_or(&enabled[0]),
                };
                *last = Some(pick);
                Some(pick)
            }
            Policy::Random { rng, .. } => Some(enabled[rng.below(enabled.len())]),
        }
    }
}
