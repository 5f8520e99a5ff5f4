//! README's verdict table, cell for cell: the test reads the table out of README.md itself, so the
//! table and the checker cannot drift apart. Every variant appears in exactly one row, every
//! preset scenario in a column, and each cell lists exactly the invariants the explorer finds
//! violated over every interleaving ("safe" = none), with no deadlock anywhere.

mod common;
use common::*;
use mmrace_core::explore::{explore, Bounds, Status};
use mmrace_core::variant::VARIANTS;
use mmrace_core::{Invariant, ScenarioId};

const README: &str = include_str!("../../README.md");

/// One row of the table: the variants it names and, per column, the invariants it promises.
struct Row {
    variants: Vec<&'static str>,
    cells: Vec<Vec<Invariant>>,
}

fn cells(line: &str) -> Vec<&str> {
    line.trim()
        .trim_matches('|')
        .split('|')
        .map(|c| c.trim())
        .collect()
}

/// A row label names variants by id or by the id's prefix before the first '-' (`b1`).
fn variant_ids(label: &str) -> Vec<&'static str> {
    label
        .split(',')
        .map(|n| n.trim())
        .map(|n| {
            VARIANTS
                .iter()
                .find(|v| v.id == n)
                .or_else(|| VARIANTS.iter().find(|v| v.id.split('-').next() == Some(n)))
                .unwrap_or_else(|| panic!("README verdict table: unknown variant '{n}'"))
                .id
        })
        .collect()
}

fn parse_cell(c: &str) -> Vec<Invariant> {
    let c = c.replace('*', "");
    if c.trim() == "safe" {
        return vec![];
    }
    c.split_whitespace()
        .map(|t| {
            Invariant::from_id(t)
                .unwrap_or_else(|| panic!("README verdict table: bad cell entry '{t}' in '{c}'"))
        })
        .collect()
}

/// The table under the "### Verdicts" heading.
fn readme_table() -> (Vec<ScenarioId>, Vec<Row>) {
    let start = README
        .find("### Verdicts")
        .expect("README has a '### Verdicts' section");
    let mut lines = README[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'));
    let header = cells(lines.next().expect("a header row"));
    assert_eq!(header[0], "variant");
    let scenarios: Vec<ScenarioId> = header[1..]
        .iter()
        .map(|h| ScenarioId::parse(h).unwrap_or_else(|e| panic!("README verdict table: {e}")))
        .collect();
    let rows = lines
        .filter(|l| !l.starts_with("|---"))
        .map(|l| {
            let c = cells(l);
            assert_eq!(c.len(), scenarios.len() + 1, "row '{l}'");
            Row {
                variants: variant_ids(c[0]),
                cells: c[1..].iter().map(|x| parse_cell(x)).collect(),
            }
        })
        .collect();
    (scenarios, rows)
}

#[test]
fn the_table_covers_every_variant_and_preset_once() {
    let (scenarios, rows) = readme_table();
    for sc in ScenarioId::ALL {
        assert!(scenarios.contains(&sc), "no column for {}", sc.id());
    }
    for v in VARIANTS {
        let n = rows.iter().filter(|r| r.variants.contains(&v.id)).count();
        assert_eq!(
            n, 1,
            "{} appears in {n} rows of README's verdict table",
            v.id
        );
    }
}

#[test]
fn every_cell_of_readmes_verdict_table_is_what_the_explorer_finds() {
    let (scenarios, rows) = readme_table();
    let mut wrong = Vec::new();
    let mut cells = 0;
    for row in &rows {
        for v in &row.variants {
            for (sc, want) in scenarios.iter().zip(&row.cells) {
                let r = explore(model(v, *sc), Bounds::default());
                assert_eq!(r.status, Status::Complete, "{v} {}", sc.id());
                assert_eq!(r.deadlocks, 0, "{v} {}: deadlock", sc.id());
                let mut got = r.violated();
                got.sort();
                let mut want = want.clone();
                want.sort();
                if got != want {
                    wrong.push(format!(
                        "{v} × {}: README says {want:?}, the explorer finds {got:?}",
                        sc.id()
                    ));
                }
                cells += 1;
            }
        }
    }
    assert_eq!(cells, VARIANTS.len() * ScenarioId::ALL.len());
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}
