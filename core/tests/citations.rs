//! Every modelled line cites the commit that introduced it: the `since` of each step of each
//! variant is the value `docs/citations.md` gives for it, row for row, and every value is either a
//! commit listed there with its subject or an honest bound `≤ vX.Y`.

use mmrace_core::program::ProgId;
use mmrace_core::variant::{Variant, VARIANTS};

const DOC: &str = include_str!("../../docs/citations.md");

/// The cells of one markdown table row; `\|` inside a cell is a literal bar.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    let mut out = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                out.last_mut().unwrap().push('|');
                chars.next();
            }
            '|' => out.push(String::new()),
            _ => out.last_mut().unwrap().push(c),
        }
    }
    out.into_iter().map(|c| c.trim().to_string()).collect()
}

/// The body rows of the first table under `## {heading}`.
fn table(heading: &str) -> Vec<Vec<String>> {
    let start = DOC
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("docs/citations.md has no '## {heading}' section"));
    DOC[start..]
        .lines()
        .skip(2)
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2) // header and separator
        .map(cells)
        .collect()
}

struct Row {
    program: String,
    step: String,
    variants: Option<Vec<String>>,
    since: String,
}

impl Row {
    fn applies_to(&self, variant: &str) -> bool {
        self.variants
            .as_ref()
            .is_none_or(|vs| vs.iter().any(|v| v == variant))
    }
}

fn lines() -> Vec<Row> {
    table("Lines")
        .into_iter()
        .map(|c| Row {
            program: c[0].clone(),
            step: c[1].clone(),
            variants: (c[2] != "*")
                .then(|| c[2].split(',').map(|v| v.trim().to_string()).collect()),
            since: c[3].clone(),
        })
        .collect()
}

fn commits() -> Vec<String> {
    table("Commits cited")
        .into_iter()
        .map(|c| c[0].clone())
        .collect()
}

/// (variant, program name, step id, since) for every step of every variant.
fn steps() -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
    let mut out = Vec::new();
    for info in VARIANTS {
        let v = Variant::by_id(info.id).unwrap();
        for def in &v.defs {
            for s in &def.steps {
                out.push((info.id, def.id.name(), s.id, s.src.since));
            }
        }
    }
    out
}

fn since_of(variant: &str, prog: ProgId, step: &str) -> &'static str {
    let v = Variant::by_id(variant).unwrap();
    v.program(prog)
        .steps
        .iter()
        .find(|s| s.id == step)
        .unwrap_or_else(|| panic!("{variant}: no step {step} in {}", prog.name()))
        .src
        .since
}

fn assert_cites(variant: &str, prog: ProgId, step: &str, since: &str) {
    assert_eq!(
        since_of(variant, prog, step),
        since,
        "{variant} {}/{step}",
        prog.name()
    );
}

#[test]
fn every_step_cites_what_the_table_says() {
    let rows = lines();
    let mut wrong = Vec::new();
    for (variant, program, step, since) in steps() {
        let matching: Vec<&Row> = rows
            .iter()
            .filter(|r| r.program == program && r.step == step && r.applies_to(variant))
            .collect();
        match matching.as_slice() {
            [row] if row.since == since => {}
            [row] => wrong.push(format!(
                "{variant} {program}/{step}: code says {since}, table says {}",
                row.since
            )),
            [] => wrong.push(format!(
                "{variant} {program}/{step}: no row in docs/citations.md"
            )),
            _ => wrong.push(format!(
                "{variant} {program}/{step}: {} rows",
                matching.len()
            )),
        }
    }
    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn every_row_of_the_table_is_a_step() {
    let all = steps();
    let stale: Vec<String> = lines()
        .iter()
        .filter(|r| {
            !all.iter()
                .any(|(v, p, s, _)| r.program == *p && r.step == *s && r.applies_to(v))
        })
        .map(|r| format!("{}/{} ({:?})", r.program, r.step, r.variants))
        .collect();
    assert!(stale.is_empty(), "rows with no step: {stale:?}");
}

/// `≤ v2.6.12`, `≤ v4.16`, `≤ v6.1` …
fn is_bound(s: &str) -> bool {
    let Some(v) = s.strip_prefix("≤ v") else {
        return false;
    };
    let parts: Vec<&str> = v.split('.').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

fn is_commit(s: &str) -> bool {
    s.len() == 12 && s.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'))
}

#[test]
fn every_since_is_a_listed_commit_or_an_honest_bound() {
    let listed = commits();
    assert!(listed.iter().all(|c| is_commit(c)), "{listed:?}");
    let mut bad: Vec<String> = steps()
        .into_iter()
        .filter(|(_, _, _, since)| !(is_bound(since) || listed.iter().any(|c| c == since)))
        .map(|(v, p, s, since)| format!("{v} {p}/{s}: {since:?}"))
        .collect();
    bad.dedup();
    assert!(
        bad.is_empty(),
        "neither a listed commit nor ≤ vX.Y: {bad:?}"
    );
    // Every listed commit is cited somewhere (the list is not padding).
    let all = steps();
    for c in &listed {
        assert!(
            all.iter().any(|(_, _, _, s)| s == c),
            "{c} is listed but cited by no step"
        );
    }
}

#[test]
fn the_bound_and_commit_formats_reject_what_they_should() {
    assert!(is_bound("≤ v2.6.12") && is_bound("≤ v4.16"));
    assert!(!is_bound("v2.6") && !is_bound("v4.6") && !is_bound("≤ v") && !is_bound(""));
    assert!(is_commit("212925802454"));
    assert!(!is_commit("v2.6") && !is_commit("212925802454a") && !is_commit("21292580245G"));
}

/// The reaper's lock, unlock and task reference predate 212925802454 (it added only the SKIP
/// test under the lock); it did not set SKIP at `done:` either.
#[test]
fn the_reapers_older_lines_do_not_cite_212925802454() {
    for v in VARIANTS {
        for step in ["ret_true", "trylock", "unlock", "put_task", "done"] {
            let since = since_of(v.id, ProgId::OomReaper, step);
            assert_ne!(since, "212925802454", "{} oom_reaper/{step}", v.id);
        }
        assert_cites(v.id, ProgId::OomReaper, "trylock", "aac453635549");
        assert_cites(v.id, ProgId::OomReaper, "put_task", "36324a990cf5");
    }
    assert_cites("v5.16", ProgId::OomReaper, "test_skip", "212925802454");
}

/// process_mrelease's `task_unlock`, `mmap_read_lock_killable` and `-ESRCH` lines came with the
/// syscall itself, in every shape of it.
#[test]
fn process_mrelease_lines_from_the_syscall_cite_884a7e5964e0() {
    for v in VARIANTS {
        for step in ["task_unlock", "lock", "esrch", "put_task", "reap", "unlock"] {
            assert_cites(v.id, ProgId::ProcessMrelease, step, "884a7e5964e0");
        }
    }
    assert_cites("v5.16", ProgId::ProcessMrelease, "mmget", "337546e83fc7");
    assert_cites(
        "v5.17",
        ProgId::ProcessMrelease,
        "recheck_skip",
        "ba535c1caf3e",
    );
    // Deleted by 337546e83fc7 and re-added: v5.17's mmgrab is ba535c1caf3e's line.
    assert_cites("v5.17", ProgId::ProcessMrelease, "mmgrab", "ba535c1caf3e");
    assert_cites(
        "b4-mrelease-mmgrab",
        ProgId::ProcessMrelease,
        "mmgrab",
        "884a7e5964e0",
    );
}

/// v6.1 walks the maple tree (e1c2c775d448), not the list 27ae357fa82b moved into
/// `__oom_reap_task_mm`; before v6.1 that walk is the reaper's own (aac453635549).
#[test]
fn the_reap_walk_cites_its_own_iteration() {
    for step in ["head", "next"] {
        assert_cites("v6.1", ProgId::OomReapTaskMm, step, "e1c2c775d448");
        assert_cites("v5.16", ProgId::OomReapTaskMm, step, "aac453635549");
    }
    assert!(VARIANTS
        .iter()
        .all(|v| since_of(v.id, ProgId::OomReapTaskMm, "head") != "27ae357fa82b"));
}
