//! The patch playground's re-check: while edit mode is open, every change of the edited
//! variant (an edit, a pasted list, another scenario or challenge) explores every interleaving
//! again, for the stepper's scenario first and then for each other scenario the challenge is
//! judged in, in the explore worker or in slices on the page's thread ([`crate::search`]), so
//! typing and stepping never stall. A newer change cancels the search that is running.
//!
//! The figures it keeps ([`Checked::ms`]) are the in-browser re-check time README reports.
//!
//! The search itself ([`search_lazy`]) is in the `edit` chunk with the playground, so the
//! explorer's code is not in the main module (edit mode loads that chunk anyway).

use crate::components::explore_panel::Subject;
use crate::lazy::{lazy_action, SplitLoaderError};
use crate::search::explore;
use crate::session::Session;
use crate::slices::now_ms;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mmrace_core::challenge::scenarios_to_check;
use mmrace_core::explore::Report;
use mmrace_core::{Model, Scenario};

/// One scenario's finished search.
#[derive(Clone, Debug)]
pub struct Checked {
    pub scenario: Scenario,
    pub report: Report,
    /// Wall time of this scenario's search, in milliseconds.
    pub ms: f64,
}

/// The re-check's state, shared through context.
#[derive(Clone, Copy)]
pub struct Recheck {
    /// What the results are about (the stepper's variant, edits and scenario).
    pub subject: RwSignal<Option<Subject>>,
    /// Finished searches, the stepper's scenario first.
    pub results: RwSignal<Vec<Checked>>,
    /// The scenario being explored now, if any.
    pub running: RwSignal<Option<String>>,
    generation: StoredValue<u64>,
}

impl Recheck {
    /// The result for `scenario`, if it is done.
    pub fn result_for(&self, scenario: &Scenario) -> Option<Checked> {
        self.results
            .with(|r| r.iter().find(|c| &c.scenario == scenario).cloned())
    }
}

pub fn use_recheck() -> Recheck {
    expect_context::<Recheck>()
}

/// Provides the re-check and starts it whenever edit mode is open and what it is about changes.
pub fn provide_recheck(s: Session) {
    let r = Recheck {
        subject: RwSignal::new(None),
        results: RwSignal::new(Vec::new()),
        running: RwSignal::new(None),
        generation: StoredValue::new(0),
    };
    provide_context(r);
    let key = Memo::new(move |_| {
        s.editing
            .get()
            .then(|| (s.model.with(|m| Subject::of(m)), s.challenge.get()))
    });
    Effect::new(move |_| {
        if let Some((subject, challenge)) = key.get() {
            start(s, r, subject, challenge);
        } else {
            r.generation.update_value(|g| *g += 1);
            r.running.set(None);
        }
    });
}

fn start(s: Session, r: Recheck, subject: Subject, challenge: Option<&'static str>) {
    let gen = r.generation.get_value() + 1;
    r.generation.set_value(gen);
    let variant = s.model.with_untracked(|m| m.variant.clone());
    let todo = scenarios_to_check(&subject.scenario, variant.info.id, challenge);
    r.subject.set(Some(subject));
    r.results.set(Vec::new());
    lazy_action(
        "the re-check",
        s.error,
        search_lazy(r, gen, variant, todo, s.error),
    );
}

/// Explores each of `todo` in turn, once the chunk is loaded.
#[leptos::wasm_split::wasm_split(edit, wasm_split_path = ::leptos::wasm_split, fallible)]
fn search_lazy(
    r: Recheck,
    gen: u64,
    variant: mmrace_core::Variant,
    todo: Vec<Scenario>,
    error: RwSignal<Option<String>>,
) -> Result<(), SplitLoaderError> {
    spawn_local(async move {
        for sc in todo {
            r.running.set(Some(sc.name()));
            let t0 = now_ms();
            let alive = move || r.generation.get_value() == gen;
            let model = Model::new(variant.clone(), sc.clone());
            let (report, finished) = match explore(model, alive, |_| {}).await {
                Ok(r) => r,
                Err(why) => {
                    if alive() {
                        error.set(Some(why));
                        r.running.set(None);
                    }
                    return;
                }
            };
            if !finished {
                return;
            }
            let checked = Checked {
                scenario: sc,
                report,
                ms: now_ms() - t0,
            };
            r.results.update(|v| v.push(checked));
        }
        if r.generation.get_value() == gen {
            r.running.set(None);
        }
    });
    Ok(())
}
