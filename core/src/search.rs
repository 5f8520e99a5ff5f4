//! A search as messages, for running the explorer somewhere else than where its result is
//! shown: the page hands a [`SearchRequest`] to a Web Worker (crate `mmrace-worker`), which
//! answers with [`SearchReply`]s — progress while it runs, then the report.
//!
//! A request names the model the way a permalink does — the variant's id, the user's edit list
//! (empty for a variant as shipped) and the scenario — and the worker builds it with the same
//! calls the page uses ([`Variant::by_id`], [`Variant::with_edits`]), so both sides explore the
//! same model and the search is the same deterministic [`Explorer`] run: its report is equal,
//! field for field, to the one the page would have computed itself (`tests/search.rs`).
//! Both are JSON text (`serde_json`): a `postMessage` of a string copies it once, and a
//! malformed message is an error that says what was wrong, never a panic.

use crate::explore::{Bounds, Explorer, Progress, Report, Status};
use crate::scenario::Scenario;
use crate::sim::Model;
use crate::variant::Variant;
use serde::{Deserialize, Serialize};

/// What to explore.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchRequest {
    /// A variant id (`v5.17`, `b4-mrelease-mmgrab`, …).
    pub variant: String,
    /// The edit list applied to it; empty for the variant as shipped.
    pub edits: String,
    pub scenario: Scenario,
}

/// What a search sends back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchReply {
    /// How far it has come (sent every so often while it runs).
    Progress(Progress),
    /// The search stopped: finished, hit a bound, or was asked to stop (status `Running`).
    Done(Report),
    /// The request could not be explored (a malformed message, an unknown variant, an edit
    /// list that does not apply).
    Failed(String),
}

impl SearchRequest {
    /// The request for a model built from a variant id and an edit list (every model the page
    /// builds is), or `None` for one that is not (e.g. a test's mutant built from its
    /// programs): such a model cannot be rebuilt elsewhere from its name.
    ///
    /// A variant carries an edit list only when [`Variant::with_edits`] built it; one without
    /// must be the variant as shipped, which is checked. (The edit list is not parsed again
    /// here: the parser is not in the page's explore chunk.)
    pub fn of(model: &Model) -> Option<SearchRequest> {
        let v = &model.variant;
        let shipped = || Variant::by_id(v.info.id).is_ok_and(|b| b.programs == v.programs);
        (v.edits.is_some() || shipped()).then(|| SearchRequest {
            variant: v.info.id.to_string(),
            edits: v.edits.clone().unwrap_or_default(),
            scenario: model.scenario.clone(),
        })
    }

    /// The model this request names.
    pub fn model(&self) -> Result<Model, String> {
        let v = Variant::by_id(&self.variant)?
            .with_edits(&self.edits)
            .map_err(|e| format!("the edit list does not apply to {}: {e}", self.variant))?;
        Ok(Model::new(v, self.scenario.clone()))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a request always serialises")
    }

    pub fn from_json(text: &str) -> Result<SearchRequest, String> {
        serde_json::from_str(text).map_err(|e| {
            format!("not a search request ({e}): expected {{\"variant\", \"edits\", \"scenario\"}}")
        })
    }
}

impl SearchReply {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a reply always serialises")
    }

    pub fn from_json(text: &str) -> Result<SearchReply, String> {
        serde_json::from_str(text).map_err(|e| format!("not a search reply ({e})"))
    }
}

/// A search started from a request, run in budgets of transitions by its host.
pub struct Search {
    ex: Explorer,
}

impl Search {
    /// Starts exploring what `request` (JSON) names, with the default bounds.
    pub fn start(request: &str) -> Result<Search, String> {
        let model = SearchRequest::from_json(request)?.model()?;
        Ok(Search {
            ex: Explorer::new(model, Bounds::default()),
        })
    }

    /// Explores up to `budget` more transitions; true once the search has stopped.
    pub fn run(&mut self, budget: u64) -> bool {
        self.ex.run(budget) != Status::Running
    }

    /// A [`SearchReply::Progress`], as JSON.
    pub fn progress(&self) -> String {
        SearchReply::Progress(self.ex.progress()).to_json()
    }

    /// A [`SearchReply::Done`] with the report so far (complete once [`Search::run`] said so),
    /// as JSON.
    pub fn report(&self) -> String {
        SearchReply::Done(self.ex.report()).to_json()
    }
}
