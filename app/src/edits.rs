//! Edited variants, with the edit-list parser out of the main module.
//!
//! [`Variant::with_edits`] (the parser of `mmrace_core::edit` and `op_text`, about 48 KB of code
//! and 21 KiB of the first load's gzip) is needed only where there is an edit list: in edit mode,
//! and for a link that carries one. So it lives in the `edit` chunk, and the main module reaches
//! it through a function pointer that the chunk hands back ([`load`]) or registers when edit
//! mode opens ([`register`]). Until then an edit list cannot be applied: a link with one waits
//! for the chunk ([`crate::permalink::load_fragment`]); nothing else can hold an edit list before
//! the chunk is there, as only edit mode and such links set one.

use crate::lazy::SplitLoaderError;
use mmrace_core::edit::has_edits;
use mmrace_core::Variant;
use std::cell::Cell;

/// Applies an edit list to a variant (the core's one-line reason when it cannot).
pub type ApplyEdits = fn(&Variant, &str) -> Result<Variant, String>;

thread_local! {
    static APPLY: Cell<Option<ApplyEdits>> = const { Cell::new(None) };
}

fn apply(v: &Variant, text: &str) -> Result<Variant, String> {
    v.with_edits(text).map_err(|e| e.to_string())
}

/// The parser, if its chunk is here (natively, always).
pub fn applier() -> Option<ApplyEdits> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        Some(apply)
    }
    #[cfg(target_arch = "wasm32")]
    {
        APPLY.get()
    }
}

/// Registers the parser; called by code in the edit chunk (edit mode's editor), so the chunk is
/// here by then.
pub fn register() {
    APPLY.set(Some(apply));
}

/// Fetches the parser's chunk if it is not here yet (a failure leaves [`applier`] empty).
pub async fn load() -> Result<(), SplitLoaderError> {
    if applier().is_none() {
        APPLY.set(Some(apply_lazy().await?));
    }
    Ok(())
}

#[leptos::wasm_split::wasm_split(edit, wasm_split_path = ::leptos::wasm_split, fallible)]
fn apply_lazy() -> Result<ApplyEdits, SplitLoaderError> {
    Ok(apply)
}

/// `v` with the edit list `text` (`v` unedited for a list with no edit); where the parser's
/// chunk is not here (it did not load), the reason.
pub fn with_edits(v: &Variant, text: &str) -> Result<Variant, String> {
    match applier() {
        _ if !has_edits(text) => Ok(v.unedited()),
        Some(f) => f(v, text),
        None => Err(crate::lazy::failure_text("edit mode's code")),
    }
}
