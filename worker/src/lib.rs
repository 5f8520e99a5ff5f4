//! The explore worker's wasm module: [`mmrace_core::search::Search`] exported to JavaScript.
//!
//! The page's explorer runs here, in a Web Worker (`explore-worker.js` beside this crate's
//! sources is its script), instead of in slices on the page's own thread:
//!  * it is a module of its own, built at opt-level 3 (profile `worker`), while the page's
//!    module stays at opt-level "s"/"z" for its first load — the core at 3 inside the page's
//!    module cost 17.5 KiB gzip of first load;
//!  * the page's thread is never busy with the search, so it needs no slices and no yields;
//!  * the page terminates the worker once it has the report, and the hundreds of MB a large
//!    search's visited set grew to go with it (a wasm memory never shrinks).
//!
//! It holds no logic of its own: requests and replies are `mmrace_core::search`'s JSON.

use wasm_bindgen::prelude::*;

/// A running search (JavaScript: `new Search(requestJson)`).
#[wasm_bindgen]
pub struct Search(mmrace_core::search::Search);

#[wasm_bindgen]
impl Search {
    /// Starts a search; throws the reason as a string for a request that cannot be explored.
    #[wasm_bindgen(constructor)]
    pub fn new(request: &str) -> Result<Search, JsValue> {
        mmrace_core::search::Search::start(request)
            .map(Search)
            .map_err(|e| JsValue::from_str(&e))
    }

    /// Explores up to `budget` more transitions; true once the search has stopped.
    pub fn run(&mut self, budget: u32) -> bool {
        self.0.run(u64::from(budget))
    }

    /// A progress reply (JSON).
    pub fn progress(&self) -> String {
        self.0.progress()
    }

    /// The report reply (JSON): final once `run` returned true, partial before.
    pub fn report(&self) -> String {
        self.0.report()
    }
}
