//! The `mmrace` command line: outputs and exit codes (0 safe, 1 violation, 2 bad input).

mod common;
use common::mmrace;
use std::process::Command;

#[test]
fn variants_lists_every_id_and_json_parses() {
    let (code, out, _) = mmrace(&["variants"]);
    assert_eq!(code, 0);
    for id in [
        "v5.16",
        "v5.17-rc1",
        "v5.17",
        "v6.1",
        "b1-no-barrier",
        "b8-munlock-outside-lock",
    ] {
        assert!(out.contains(id), "{id}");
    }
    let (_, json, _) = mmrace(&["variants", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 11);
}

#[test]
fn program_shows_the_patch_against_the_base() {
    let (code, out, _) = mmrace(&["program", "--variant", "v5.17", "--actor", "V"]);
    assert_eq!(code, 0);
    assert!(out.contains("+ mm->mmap=NULL"), "{out}");
    let (_, out, _) = mmrace(&["program", "--variant", "v5.17-rc1"]);
    assert!(
        out.contains("- mmap_write_unlock") && out.contains("+ mmap_write_lock"),
        "{out}"
    );
}

#[test]
fn check_exit_codes_follow_the_verdict() {
    let (code, out, _) = mmrace(&["check", "--variant", "v5.17", "--scenario", "user-kill"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("verdict: SAFE — 0 violations in"));
    let (code, out, _) = mmrace(&[
        "check",
        "--variant",
        "v5.17-rc1",
        "--scenario",
        "user-kill",
        "--json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["violated"], serde_json::json!(["S2"]));
    let sched = v["shortest"][0]["schedule"].as_str().unwrap().to_string();
    // The counterexample replays through `run` to the same violation.
    let (code, out, _) = mmrace(&[
        "run",
        "--variant",
        "v5.17-rc1",
        "--scenario",
        "user-kill",
        "--schedule",
        &sched,
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("S2 VMA use-after-free at step"), "{out}");
}

#[test]
fn incomplete_checks_say_so() {
    let (_, out, _) = mmrace(&["check", "--variant", "v5.16", "--max-states", "100"]);
    assert!(
        out.contains("INCOMPLETE: stopped at max states 100"),
        "{out}"
    );
}

#[test]
fn run_prints_trace_diagram_and_final_state() {
    let (code, out, _) = mmrace(&[
        "run",
        "--variant",
        "b4-mrelease-mmgrab",
        "--scenario",
        "user-kill",
        "--diagram",
        "--schedule",
        "M:task_unlock V:unmap_vmas(F) M:unmap_page_range(A) V:tlb_finish_mmu M:zap_pte_range(A)",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("zap_pte_range(A)   <-- S1"), "{out}");
    assert!(out.contains("final state: mm_users=0"));
    assert!(out.contains("VMA A [0]: page tables freed"));
}

#[test]
fn json_trace_reimports() {
    let (_, json, _) = mmrace(&[
        "run",
        "--variant",
        "v6.1",
        "--scenario",
        "oom-kill",
        "--schedule",
        "K* V*",
        "--json",
    ]);
    let path = std::env::temp_dir().join(format!("mmrace-cli-{}.json", std::process::id()));
    std::fs::write(&path, &json).unwrap();
    let (code, out, err) = mmrace(&["replay", path.to_str().unwrap()]);
    std::fs::remove_file(&path).ok();
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("variant v6.1 · scenario oom-kill"));
}

#[test]
fn compare_explains_the_first_divergence() {
    let (code, out, _) = mmrace(&[
        "compare",
        "--variants",
        "v5.17-rc1,v5.17",
        "--scenario",
        "user-kill",
        "--schedule",
        "M:task_unlock V* M*",
    ]);
    assert_eq!(code, 1, "v5.17-rc1 has the violation");
    assert!(out.contains("<== first divergence"), "{out}");
    assert!(out.contains("mm->mmap=NULL"), "{out}");
}

#[test]
fn bad_input_exits_2_with_one_line_saying_what_was_wrong() {
    for (args, want) in [
        (vec!["check", "--variant", "v9"], "unknown variant 'v9'"),
        (
            vec!["check", "--variant", "v5.16", "--scenario", "boom"],
            "unknown scenario 'boom'",
        ),
        (
            vec!["run", "--variant", "v5.16", "--schedule", "X"],
            "unknown actor 'X'",
        ),
        (
            vec!["run", "--variant", "v5.16", "--schedule", "V"],
            "V is running in user space",
        ),
        (
            vec!["run", "--variant", "v5.16", "--vmas", "AQ"],
            "unknown VMA 'Q'",
        ),
        (
            vec!["compare", "--variants", "v5.16", "--schedule", "K"],
            "two ids",
        ),
        (vec!["replay", "/nonexistent.json"], "cannot read"),
    ] {
        let (code, out, err) = mmrace(&args);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    // `mmrace program … | head`: the reader goes away before the listing is written.
    let mut child = Command::new(env!("CARGO_BIN_EXE_mmrace"))
        .args(["program", "--variant", "v5.16"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn tours_json_lists_every_tour_with_its_cues() {
    let (code, out, _) = mmrace(&["tours", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v, mmrace_core::tour::tours_json());
    assert!(v.as_array().unwrap().len() >= 6);
    let (code, out, _) = mmrace(&["tours"]);
    assert_eq!(code, 0);
    assert!(out.contains("syzbot-uaf"), "{out}");
}
