//! README's "Combinations" table, cell for cell: each row is a scenario built from parts
//! (`kill=… mrelease=N readers=N`), each column a variant, each cell the invariants violated
//! over every interleaving (or `safe`). The table is parsed from README.md itself, so the
//! README cannot drift from the model.

use mmrace_core::explore::{explore, Bounds, Status};
use mmrace_core::variant::VARIANTS;
use mmrace_core::{Model, Scenario, Variant};

fn table() -> Vec<Vec<String>> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let start = readme
        .find("#### Combinations")
        .expect("README has a Combinations table");
    readme[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter(|l| !l.starts_with("|---"))
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn readme_combinations_table_matches_the_checker() {
    let t = table();
    let header = &t[0];
    // Column names are variant ids or their short prefixes (b4 = b4-mrelease-mmgrab).
    let variants: Vec<&str> = header[1..]
        .iter()
        .map(|h| {
            let exact = VARIANTS.iter().find(|v| v.id == h);
            exact
                .or_else(|| VARIANTS.iter().find(|v| v.id.starts_with(&format!("{h}-"))))
                .unwrap_or_else(|| panic!("unknown variant column {h}"))
                .id
        })
        .collect();
    assert_eq!(variants.len(), VARIANTS.len(), "one column per variant");
    assert!(t.len() >= 6, "rows: {}", t.len() - 1);
    let mut cells = 0;
    let mut wrong = Vec::new();
    for row in &t[1..] {
        let sc = Scenario::parse_name(row[0].trim_matches('`')).unwrap();
        assert!(
            sc.preset().is_none(),
            "{}: presets live in the verdict table",
            row[0]
        );
        for (v, cell) in variants.iter().zip(&row[1..]) {
            let r = explore(
                Model::new(Variant::by_id(v).unwrap(), sc.clone()),
                Bounds::default(),
            );
            assert_eq!(r.status, Status::Complete, "{v} {}", row[0]);
            assert_eq!(r.deadlocks, 0, "{v} {}", row[0]);
            let got = r
                .violated()
                .iter()
                .map(|i| i.id())
                .collect::<Vec<_>>()
                .join(" ");
            let got = if got.is_empty() {
                "safe".to_string()
            } else {
                got
            };
            if &got != cell {
                wrong.push(format!(
                    "{v} × {}: README says {cell}, the checker finds {got}",
                    row[0]
                ));
            }
            cells += 1;
        }
    }
    assert!(
        wrong.is_empty(),
        "README Combinations:\n{}",
        wrong.join("\n")
    );
    assert_eq!(cells, (t.len() - 1) * VARIANTS.len());
}
