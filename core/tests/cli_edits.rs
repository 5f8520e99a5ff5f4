//! The command line of edit lists: `mmrace ops`, `variants --edits`, `--edits FILE|-` on
//! check, run and compare, exit code 2 with one line on a refusal, and the trace recording it.

mod common;
use common::{mmrace, mmrace_in};

#[test]
fn ops_lists_the_vocabulary_with_help() {
    let (code, out, _) = mmrace(&["ops"]);
    assert_eq!(code, 0);
    for op in [
        "mmap_read_lock ",
        "mmap_write_unlock ",
        "mmap_read_trylock fail=STEP",
        "test_bit(MMF_…) set=STEP clear=STEP",
        "clear_bit(MMF_…)",
        "mmgrab(PIN)",
        "mmget_not_zero zero=STEP",
        "mm->mmap=NULL",
        "task_unlock",
    ] {
        assert!(out.contains(op), "{op} missing:\n{out}");
    }
    // One line per op, after the two header lines and a blank.
    assert_eq!(
        out.lines().count(),
        3 + mmrace_core::op_text::VOCABULARY.len()
    );
}

#[test]
fn variants_edits_prints_a_list_that_check_accepts() {
    let (code, list, _) = mmrace(&["variants", "--edits", "b2-skip-after-unlock"]);
    assert_eq!(code, 0);
    assert!(
        list.contains("move exit_mmap:set_skip before exit_mmap:victim_end"),
        "{list}"
    );
    let (code, out, _) = mmrace_in(
        &[
            "check",
            "--variant",
            "v5.16",
            "--scenario",
            "oom-kill",
            "--edits",
            "-",
        ],
        &list,
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("verdict: VIOLATION — S1"), "{out}");
    let (code, _, err) = mmrace(&["variants", "--edits", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown variant 'nope'"));
}

#[test]
fn edits_from_a_file_on_check_and_run() {
    let dir = std::env::temp_dir().join(format!("mmrace-edits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("syzbot.edits");
    std::fs::write(
        &f,
        "# bring back the syzbot UAF\ndelete exit_mmap:reset_mmap\n",
    )
    .unwrap();
    let f = f.to_str().unwrap();
    let (code, out, _) = mmrace(&[
        "check",
        "--variant",
        "v5.17",
        "--scenario",
        "user-kill",
        "--edits",
        f,
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("S2"), "{out}");
    let (code, _, _) = mmrace(&["check", "--variant", "v5.17", "--scenario", "user-kill"]);
    assert_eq!(code, 0);
    // run --json records the list in the trace, and replay re-applies it.
    let (code, json, _) = mmrace(&[
        "run",
        "--variant",
        "v5.17",
        "--scenario",
        "user-kill",
        "--edits",
        f,
        "--schedule",
        "V:mmgrab M:task_unlock V:mmap_write_unlock M:can_madv_lru_vma",
        "--json",
    ]);
    assert_eq!(code, 1, "{json}");
    let t: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        t["edits"].as_str().unwrap().lines().nth(1),
        Some("delete exit_mmap:reset_mmap")
    );
    let tf = dir.join("trace.json");
    std::fs::write(&tf, &json).unwrap();
    let (code, out, err) = mmrace(&["replay", tf.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}{err}");
    // A trace whose list no longer applies says so.
    let broken = json.replace("delete exit_mmap:reset_mmap", "delete exit_mmap:gone");
    std::fs::write(&tf, broken).unwrap();
    let (code, _, err) = mmrace(&["replay", tf.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("edit list no longer applies"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn compare_an_edited_variant_with_its_base() {
    let (code, out, _) = mmrace_in(
        &[
            "compare",
            "--variants",
            "v5.17,v5.17",
            "--scenario",
            "user-kill",
            "--schedule",
            "V:mmgrab M:task_unlock V:mmap_write_unlock M:can_madv_lru_vma",
            "--edits",
            "-",
        ],
        "delete exit_mmap:reset_mmap",
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("v5.17 + edits"), "{out}");
    assert!(out.contains("first divergence"), "{out}");
}

#[test]
fn a_refused_list_exits_2_with_one_line() {
    for (list, why) in [
        ("delete exit_mmap:nope", "unknown step exit_mmap:nope"),
        (
            "move exit_mmap:reset_mmap before oom_reap_task_mm:trylock",
            "cannot move across functions",
        ),
        ("delete exit_mmap:victim_end", "still jumps to it"),
        ("insert after exit_mmap:wlock frob", "unknown op 'frob'"),
    ] {
        let base = if list.contains("victim_end") {
            "v5.16"
        } else {
            "v5.17"
        };
        for cmd in ["check", "run"] {
            let (code, out, err) = mmrace_in(&[cmd, "--variant", base, "--edits", "-"], list);
            assert_eq!(code, 2, "{cmd} {list}: {out}");
            assert_eq!(err.lines().count(), 1, "{err}");
            assert!(err.contains(why) && err.contains("edit line 1"), "{err}");
        }
    }
    let (code, _, err) = mmrace(&["check", "--variant", "v5.17", "--edits", "/nonexistent/x"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read edit list"), "{err}");
}
