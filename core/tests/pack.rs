//! The packed state encoding: what its bytes and bit fields can hold is checked, not assumed.
//! (The packed-versus-full state count cross-check over every variant and scenario is in
//! `explore.rs`.)

mod common;
use common::*;
use mmrace_core::pack::{pack, PACKED_BYTES};
use mmrace_core::program::ProgId;
use mmrace_core::variant::VARIANTS;
use mmrace_core::ScenarioId;

#[test]
fn every_program_fits_a_frames_step_index() {
    for v in VARIANTS {
        let variant = mmrace_core::Variant::by_id(v.id).unwrap();
        for p in ProgId::ALL {
            let n = variant.program(p).steps.len();
            assert!(n <= 1 + u8::MAX as usize, "{} {p:?}: {n} steps", v.id);
        }
    }
}

#[test]
#[should_panic(expected = "attempts 16 beyond four bits")]
fn attempts_beyond_four_bits_are_caught() {
    let m = model("v5.16", ScenarioId::OomKill);
    let mut s = m.initial();
    s.actors[2].attempts = 16;
    pack(&s);
}

#[test]
#[should_panic(expected = "vm_flags beyond seven bits")]
fn vm_flags_beyond_seven_bits_are_caught() {
    let m = model("v5.16", ScenarioId::OomKill);
    let mut s = m.initial();
    s.mm.vmas[0].as_mut().unwrap().flags = 0x80;
    pack(&s);
}

#[test]
fn the_layout_is_whole_words_and_distinguishes_states() {
    assert_eq!(PACKED_BYTES % 8, 0);
    let m = model("v5.16", ScenarioId::OomKill);
    let s0 = m.initial();
    let mut s1 = s0;
    s1.actors[mmrace_core::ActorId::ALL.len() - 1].errno = Some(mmrace_core::program::Errno::Eintr);
    assert_ne!(pack(&s0), pack(&s1), "the last actor's errno is encoded");
}
