//! Hooks for the browser tests and benchmarks, exported to JavaScript (`window.wasmBindings`).
//!
//! They run the same core code the UI runs: the seeded-run fingerprint (compared by a browser
//! test with the native `mmrace fingerprint`, proving wasm and native produce the same trace)
//! and a timed exhaustive exploration (the wasm half of the explorer benchmark), and the explore
//! worker's request for a preset (for the worker half).

use mmrace_core::explore::{explore, Bounds};
use mmrace_core::trace::seeded_fingerprint;
use mmrace_core::{Model, Scenario, ScenarioId, Variant};
use wasm_bindgen::prelude::*;

/// The fingerprint of `steps` steps of the seeded random policy.
#[wasm_bindgen]
pub fn mmrace_fingerprint(
    variant: &str,
    scenario: &str,
    seed: u32,
    steps: u32,
) -> Result<String, JsValue> {
    let sc = ScenarioId::parse(scenario).map_err(|e| JsValue::from_str(&e))?;
    seeded_fingerprint(variant, sc, seed as u64, steps as usize).map_err(|e| JsValue::from_str(&e))
}

/// Explores (variant, scenario) to completion and returns JSON with counts and milliseconds.
#[wasm_bindgen]
pub fn mmrace_explore_bench(variant: &str, scenario: &str) -> Result<String, JsValue> {
    let sc = Scenario::parse_name(scenario).map_err(|e| JsValue::from_str(&e))?;
    let v = Variant::by_id(variant).map_err(|e| JsValue::from_str(&e))?;
    let t0 = js_sys::Date::now();
    let r = explore(Model::new(v, sc), Bounds::default());
    let ms = js_sys::Date::now() - t0;
    Ok(format!(
        "{{\"variant\":\"{}\",\"scenario\":\"{}\",\"states\":{},\"transitions\":{},\"ms\":{ms},\"violated\":\"{}\"}}",
        r.variant,
        r.scenario,
        r.states,
        r.transitions,
        r.violated().iter().map(|i| i.id()).collect::<Vec<_>>().join(",")
    ))
}

/// The explore worker's request for (variant, scenario), as JSON: the worker half of the
/// explorer benchmark posts it to the worker the page would start (`e2e/bench-explore.mjs
/// --worker`).
#[wasm_bindgen]
pub fn mmrace_search_request(variant: &str, scenario: &str) -> Result<String, JsValue> {
    let sc = Scenario::parse_name(scenario).map_err(|e| JsValue::from_str(&e))?;
    let v = Variant::by_id(variant).map_err(|e| JsValue::from_str(&e))?;
    mmrace_core::search::SearchRequest::of(&Model::new(v, sc))
        .map(|r| r.to_json())
        .ok_or_else(|| JsValue::from_str("a variant as shipped always has a request"))
}
