//! Fuzzing the edit-list parser and applier: mutated copies of every variant's printed edit
//! list and of hand-written lines, applied to the variant's base. Nothing panics; every refusal
//! is one non-empty line naming a line of the list.
//!
//! The default run tries 5,000 inputs. The full run, a million, is
//! `cargo test --release -p mmrace-core --test fuzz_edits -- --ignored` (README, "Fuzzing").

mod common;
use common::mutate;
use mmrace_core::edit;
use mmrace_core::policy::SplitMix64;
use mmrace_core::variant::VARIANTS;
use mmrace_core::Variant;

/// Returns (applied, refused).
fn fuzz(n: usize) -> (usize, usize) {
    let mut seeds: Vec<(Variant, String)> = VARIANTS
        .iter()
        .filter(|v| v.base.is_some())
        .map(|v| {
            (
                Variant::by_id(v.base.unwrap()).unwrap(),
                edit::variant_text(v.id).unwrap(),
            )
        })
        .collect();
    let v517 = Variant::by_id("v5.17").unwrap();
    seeds.push((
        v517.clone(),
        "delete exit_mmap:reset_mmap\nmove exit_mmap:wunlock before exit_mmap:free_pgtables\n\
         duplicate oom_reap_task_mm:trylock as t2\nreplace process_mrelease:lock with mmap_read_trylock fail=(return)\n\
         insert after exit_mmap:wlock test_bit(MMF_OOM_SKIP) set=reset_mmap clear=(next) as x code \"a \\\"b\\\"\"\n\
         insert before __oom_reap_task_mm:head clear_bit(MMF_UNSTABLE)\n"
            .into(),
    ));
    let alphabet =
        b" \n#:=()_\"\\|-+>abcdefmnoprstuvwxyzMMF_OOM_SKIPVM_LOCKED0123456789\xc3\xa9\x00";
    let mut rng = SplitMix64::new(2026);
    let (mut ok, mut refused) = (0, 0);
    for i in 0..n {
        let (base, seed) = &seeds[i % seeds.len()];
        let text = mutate(&mut rng, seed.as_bytes(), alphabet, Some(seed.as_bytes()));
        match base.with_edits(&text) {
            Ok(_) => ok += 1,
            Err(e) => {
                let m = e.to_string();
                assert!(!e.why.trim().is_empty(), "empty reason for {text:?}");
                assert!(!m.contains('\n'), "multi-line refusal {m:?} for {text:?}");
                assert!(e.line >= 1 || e.edit.is_empty(), "{m}");
                refused += 1;
            }
        }
    }
    (ok, refused)
}

#[test]
fn fuzz_edit_lists_small() {
    let (ok, refused) = fuzz(5_000);
    assert!(
        ok > 100 && refused > 1_000,
        "{ok} applied, {refused} refused"
    );
}

#[test]
#[ignore = "a million inputs: cargo test --release -p mmrace-core --test fuzz_edits -- --ignored"]
fn fuzz_edit_lists_full() {
    let (ok, refused) = fuzz(1_000_000);
    println!("{ok} applied, {refused} refused");
    assert_eq!(ok + refused, 1_000_000);
}
