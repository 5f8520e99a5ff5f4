//! The page's query string: which variant, scenario and options to open, and a schedule to
//! replay, e.g. `?variant=v5.17-rc1&scenario=user-kill&schedule=M:mmgrab%20M:task_unlock%20V*%20M*`.
//!
//! Parsing is pure and never fails: unknown keys are ignored and bad values are reported as
//! warnings the page shows, so a mistyped link opens the default view with a clear message.

use mmrace_core::link::percent_decode;
use mmrace_core::scenario::{Kill, MAX_BYSTANDERS};
use mmrace_core::{Options, Scenario, ScenarioId};

/// What the query string asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub variant: Option<String>,
    pub scenario: Option<Scenario>,
    pub schedule: Option<String>,
    /// Position to show after replaying the schedule.
    pub at: Option<usize>,
    /// Benchmark hook: build a history of this many steps on a looping test variant.
    pub bench: Option<usize>,
    /// Open compare mode against this variant.
    pub compare: Option<String>,
    pub warnings: Vec<String>,
}

fn flag(v: &str) -> bool {
    matches!(v, "1" | "true" | "yes" | "on")
}

/// Parses a query string (with or without the leading `?`).
pub fn parse(search: &str) -> Query {
    let mut q = Query::default();
    let mut scenario_id = None;
    let mut options = Options::default();
    let mut options_given = false;
    // Parts given explicitly: kill (`killer=`), process_mrelease callers, /proc readers.
    let mut killer = None;
    let mut mrelease = None;
    let mut readers = None;
    for pair in search.trim_start_matches('?').split('&') {
        if pair.is_empty() {
            continue;
        }
        let (k, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let v = percent_decode(raw).unwrap_or_else(|| {
            q.warnings
                .push(format!("{k}: bad %-escape in '{raw}'; used as written"));
            raw.to_string()
        });
        match k {
            "variant" => q.variant = Some(v),
            "scenario" => match ScenarioId::parse(&v) {
                Ok(id) => scenario_id = Some(id),
                Err(e) => q.warnings.push(e),
            },
            "vmas" => match Options::parse_vmas(&v) {
                Ok(vmas) if !vmas.is_empty() => {
                    options.vmas = vmas;
                    options_given = true;
                }
                Ok(_) => q
                    .warnings
                    .push("vmas: the mm needs at least one VMA".into()),
                Err(e) => q.warnings.push(e),
            },
            "notifier" => {
                options.notifier_fails = flag(&v);
                options_given = true;
            }
            "kill" => {
                options.kill_mrelease = flag(&v);
                options_given = true;
            }
            // `mrelease=1`/`0`/`2` (or a flag word, as before: on = one caller).
            "mrelease" | "readers" => {
                let n = v.parse::<u8>().ok().or(Some(u8::from(flag(&v))));
                match n.filter(|n| *n <= MAX_BYSTANDERS) {
                    Some(n) if k == "mrelease" => mrelease = Some(n),
                    Some(n) => readers = Some(n),
                    None => q
                        .warnings
                        .push(format!("{k}: '{v}' is not 0, 1 or {MAX_BYSTANDERS}")),
                }
            }
            "killer" => match Kill::parse(&v) {
                Ok(k) => killer = Some(k),
                Err(e) => q.warnings.push(e),
            },
            "schedule" => q.schedule = Some(v),
            "at" => match v.parse() {
                Ok(n) => q.at = Some(n),
                Err(_) => q.warnings.push(format!("at: '{v}' is not a step number")),
            },
            "bench" => q.bench = v.parse().ok(),
            "compare" => q.compare = Some(v),
            _ => {}
        }
    }
    if scenario_id.is_some()
        || options_given
        || killer.is_some()
        || mrelease.is_some()
        || readers.is_some()
    {
        let base = Scenario::new(scenario_id.unwrap_or(ScenarioId::UserKill));
        q.scenario = Some(Scenario {
            kill: killer.unwrap_or(base.kill),
            mrelease: mrelease.unwrap_or(base.mrelease),
            readers: readers.unwrap_or(base.readers),
            options,
        });
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use mmrace_core::mm::VmaKind;

    #[test]
    fn a_bad_escape_is_a_warning_and_the_value_is_used_as_written() {
        let q = parse("?schedule=M%3Ammgrab+V*&compare=100%");
        assert_eq!(q.schedule.as_deref(), Some("M:mmgrab V*"));
        assert_eq!(q.compare.as_deref(), Some("100%"));
        assert_eq!(q.warnings.len(), 1, "{:?}", q.warnings);
        assert!(q.warnings[0].contains("compare"), "{:?}", q.warnings);
    }

    #[test]
    fn parses_variant_scenario_options_and_schedule() {
        let q = parse(
            "?variant=v5.17-rc1&scenario=oom-kill&vmas=AL&notifier=1&schedule=M%3Ammgrab%20V*&at=3",
        );
        assert_eq!(q.variant.as_deref(), Some("v5.17-rc1"));
        let s = q.scenario.unwrap();
        assert_eq!(s.preset(), Some(ScenarioId::OomKill));
        assert_eq!(s.options.vmas, vec![VmaKind::A, VmaKind::L]);
        assert!(s.options.notifier_fails);
        assert_eq!(q.schedule.as_deref(), Some("M:mmgrab V*"));
        assert_eq!(q.at, Some(3));
        assert!(q.warnings.is_empty());
    }

    #[test]
    fn parses_a_combination() {
        let q = parse("?scenario=oom-kill&killer=user,oom&mrelease=2&readers=1");
        let s = q.scenario.unwrap();
        assert_eq!((s.kill, s.mrelease, s.readers), (Kill::UserOom, 2, 1));
        assert!(q.warnings.is_empty());
        // The old flag form still means one caller or none.
        assert_eq!(parse("mrelease=off").scenario.unwrap().mrelease, 0);
    }

    #[test]
    fn bad_values_become_warnings() {
        let q = parse("scenario=nope&vmas=AXZ&at=x");
        assert_eq!(q.scenario, None);
        assert_eq!(q.warnings.len(), 3, "{:?}", q.warnings);
    }
}
