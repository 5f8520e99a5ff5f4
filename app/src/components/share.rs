//! Sharing: the notice banner for links that could not be loaded as written, "Copy link" and
//! "Copy embed code".

use crate::permalink::{
    current_fragment, iframe_snippet, use_view, view_title, without_keys, ViewCtl,
};
use crate::session::{use_session, Session};
use leptos::prelude::*;

/// Every notice from the last link that was loaded ("replayed to step 12 of 30: …", a bad
/// field, another model version), in a `role=status` banner until dismissed.
#[component]
pub fn NoticeBanner() -> impl IntoView {
    let v = use_view();
    view! {
        <div class="link-notices" role="status" data-testid="link-notices"
            data-count=move || v.notices.with(|n| n.len().to_string())>
            {move || {
                let notices = v.notices.get();
                (!notices.is_empty()).then(|| view! {
                    <div class="link-notices-box">
                        <p class="link-notices-title">
                            <span aria-hidden="true">"ℹ "</span>
                            {if notices.len() == 1 { "The link could not be opened exactly as written:".to_string() }
                             else { format!("The link could not be opened exactly as written ({} notes):", notices.len()) }}
                        </p>
                        <ul>
                            {notices.into_iter().map(|n| view! { <li data-testid="link-notice">{n}</li> }).collect_view()}
                        </ul>
                        <button class="linklike" data-testid="link-notices-dismiss"
                            on:click=move |_| v.notices.set(Vec::new())>
                            "Dismiss"
                        </button>
                    </div>
                })
            }}
        </div>
    }
}

/// The full address of the current view.
pub fn current_link(s: Session, v: ViewCtl) -> String {
    format!(
        "{}#{}",
        crate::dom::page_url_without_hash(),
        current_fragment(s, v)
    )
}

/// The `<iframe>` snippet for the current state (embed chrome, no talk mode or tour).
pub fn current_embed_code(s: Session, v: ViewCtl) -> String {
    let frag = without_keys(
        &current_fragment(s, v),
        &["embed", "talk", "tour", "cue", "speed"],
    );
    let page = crate::dom::page_url_without_hash();
    let page = match page.split_once('?') {
        Some((p, q)) => format!("{p}{}", crate::permalink::query_without_embed(q)),
        None => page,
    };
    let title = s.run.with_untracked(view_title);
    iframe_snippet(&page, &format!("{frag}&embed=1"), &title)
}

/// A button that copies a text (computed when clicked) and says whether that worked, in a
/// polite live region next to it.
#[component]
pub fn CopyButton(
    /// Visible label.
    label: &'static str,
    testid: &'static str,
    /// The text to copy, computed on click.
    text: Callback<(), String>,
    /// Also receives the text (to show it in a field).
    #[prop(optional)]
    shown: Option<RwSignal<String>>,
    #[prop(optional)] title: &'static str,
) -> impl IntoView {
    let status = RwSignal::new(String::new());
    view! {
        <span class="copy-wrap">
            <button class="copy-btn" data-testid=testid title=title on:click=move |_| {
                let t = text.run(());
                if let Some(sig) = shown {
                    sig.set(t.clone());
                }
                status.set("Copying…".into());
                crate::dom::copy_text(&t, move |ok| {
                    status.set(if ok {
                        "Copied ✓".into()
                    } else {
                        "Could not reach the clipboard: select the text and copy it.".into()
                    })
                });
            }>
                {label}
            </button>
            <span class="copy-status" role="status" data-testid=format!("{testid}-status")>
                {move || status.get()}
            </span>
        </span>
    }
}

/// "Copy link" and "Copy embed code", with the texts shown in read-only fields.
#[component]
pub fn SharePanel() -> impl IntoView {
    let s = use_session();
    let v = use_view();
    let link = RwSignal::new(String::new());
    let embed = RwSignal::new(String::new());
    // Fill the fields once so they are never empty; afterwards they update on every copy.
    let refresh = move || {
        link.set(current_link(s, v));
        embed.set(current_embed_code(s, v));
    };
    refresh();
    view! {
        <section class="tool share" aria-labelledby="share-title" data-testid="share">
            <h3 id="share-title">"Share"</h3>
            <p class="hint">"The address always holds the whole view (variant, scenario, options, every step and the current one), so the address bar is a permalink too."</p>
            <div class="tool-row">
                <CopyButton label="Copy link" testid="copy-link-2" shown=link
                    text=Callback::new(move |_| current_link(s, v))/>
                <button class="linklike" data-testid="share-refresh" on:click=move |_| refresh()>
                    "show current"
                </button>
            </div>
            <label class="field">
                <span>"Link"</span>
                <input type="text" readonly data-testid="share-link" prop:value=move || link.get()
                    on:focus=move |ev| select_all(&ev)/>
            </label>
            <div class="tool-row">
                <CopyButton label="Copy embed code" testid="copy-embed" shown=embed
                    title="An <iframe> for documentation pages: minimal chrome, starts paused"
                    text=Callback::new(move |_| current_embed_code(s, v))/>
            </div>
            <label class="field">
                <span>"Embed code"</span>
                <textarea readonly rows="3" data-testid="embed-code" spellcheck="false"
                    prop:value=move || embed.get() on:focus=move |ev| select_all(&ev)></textarea>
            </label>
            <p class="hint">
                "In the embed, "<code>"panels="</code>" chooses what is shown (transport, narration, alert, mm, columns, timeline, steps, schedule, explore); the page reports its height to the parent as "
                <code>"{type: 'mmrace:height', height}"</code>" and accepts no messages."
            </p>
        </section>
    }
}

fn select_all(ev: &leptos::ev::FocusEvent) {
    use wasm_bindgen::JsCast;
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    if let Some(t) = ev.target() {
        if let Some(i) = t.dyn_ref::<web_sys::HtmlInputElement>() {
            i.select();
        } else if let Some(a) = t.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            a.select();
        }
    }
}
