//! Talk mode: the projector theme, presenter keys and the guided tours of
//! `mmrace_core::tour::TOURS`.
//!
//! A tour loads its variant and applies its cues one by one (each cue = a schedule segment, a
//! caption and a promise about the state it lands on). Every cue is rebuilt from the start of
//! the tour, so Previous/Next are deterministic whatever was stepped by hand in between. The
//! tour's comparison variant gets the same cues and its outcome is shown next to the caption.
//!
//! Presenter keys (active in talk mode or while a tour runs; they take precedence over the
//! ordinary shortcuts for these keys only):
//!
//! | key                      | command                                   |
//! |--------------------------|-------------------------------------------|
//! | Space, →, PageDown, `.`  | next cue (no tour: next step)             |
//! | ←, PageUp                | previous cue (no tour: step back)         |
//! | `p`                      | autoplay on / off                         |
//! | `[` / `]`                | slower / faster autoplay                  |
//! | `f`                      | full screen on / off                      |
//! | `?`, Esc                 | help, close help                          |

use crate::components::share::{current_link, CopyButton};
use crate::permalink::{load_run_into, use_view, TourPos, ViewCtl};
use crate::session::{use_session, Session};
use leptos::prelude::*;
use mmrace_core::narrate::sentence;
use mmrace_core::run::Run;
use mmrace_core::tour::{apply_cue, check, Expect, Tour, TOURS};
use mmrace_core::variant;

/// The presenter keys, for the help overlay: (keys, what they do).
pub const PRESENTER_KEYS: &[(&str, &str)] = &[
    (
        "Space → PageDown .",
        "next cue of the tour (no tour: next step)",
    ),
    ("← PageUp", "previous cue of the tour (no tour: step back)"),
    ("p", "autoplay on / off"),
    ("[ / ]", "slower / faster autoplay"),
    ("f", "full screen on / off"),
    ("?", "show / hide the help"),
];

/// What a presenter key does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presenter {
    Next,
    Prev,
    TogglePlay,
    Slower,
    Faster,
    Fullscreen,
    Help,
    CloseHelp,
}

/// Maps a `KeyboardEvent.key` to a presenter command.
pub fn presenter_command(key: &str) -> Option<Presenter> {
    Some(match key {
        " " | "Spacebar" | "ArrowRight" | "PageDown" | "." => Presenter::Next,
        "ArrowLeft" | "PageUp" => Presenter::Prev,
        "p" | "P" => Presenter::TogglePlay,
        "[" => Presenter::Slower,
        "]" => Presenter::Faster,
        "f" | "F" => Presenter::Fullscreen,
        "?" => Presenter::Help,
        "Escape" => Presenter::CloseHelp,
        _ => return None,
    })
}

/// The run of `variant` after the first `cues` cues of `tour`, and the first cue that could not
/// be followed (the comparison side may legitimately stop: that is often the point).
pub fn tour_run(tour: &Tour, variant: &str, cues: usize) -> Result<(Run, Option<String>), String> {
    let mut run = Run::new(tour.model(variant)?);
    let mut stopped = None;
    for (i, c) in tour.cues.iter().take(cues).enumerate() {
        if let Err(e) = apply_cue(&mut run, c) {
            stopped.get_or_insert(format!("cue {}: {e}", i + 1));
        }
    }
    Ok((run, stopped))
}

/// A promise in words.
pub fn describe_expect(e: Expect) -> String {
    match e {
        Expect::Nothing => String::new(),
        Expect::Fires(inv) => format!("{} fires: {}", inv.id(), inv.name()),
        Expect::Clean => "no violation so far".into(),
        Expect::Warning => "only the S7 root-cause warning so far, no crash yet".into(),
        Expect::Queued(a) => format!("{a} is queued on mmap_lock"),
        Expect::TrylockFailed => "mmap_read_trylock failed".into(),
        Expect::FlagSet(f) => format!("{} is set", f.name()),
        Expect::Dangling => "mm->mmap points at a freed VMA".into(),
        Expect::ExitMmapIn(a) => format!("exit_mmap runs in {a}'s context"),
        Expect::Returned(a) => format!("{a} has returned"),
        Expect::AllDone => "every actor has returned".into(),
    }
}

/// Shows cue `cue` (0 = the title) of tour `tour`: rebuilds the run from the tour's start.
pub fn goto_cue(s: Session, v: ViewCtl, tour: usize, cue: usize) {
    let Some(t) = TOURS.get(tour) else {
        return;
    };
    let cue = cue.min(t.cues.len());
    match tour_run(t, t.variant, cue) {
        Ok((run, stopped)) => {
            load_run_into(s, run);
            v.tour.set(Some(TourPos { tour, cue }));
            if let Some(e) = stopped {
                s.error.set(Some(format!("tour {}: {e}", t.id)));
            }
        }
        Err(e) => s.error.set(Some(e)),
    }
}

/// Next cue; false at the end of the tour (or with no tour).
pub fn next_cue(s: Session, v: ViewCtl) -> bool {
    match v.tour.get_untracked() {
        Some(p) if p.cue < TOURS[p.tour].cues.len() => {
            goto_cue(s, v, p.tour, p.cue + 1);
            true
        }
        _ => false,
    }
}

/// Previous cue; false at the title (or with no tour).
pub fn prev_cue(s: Session, v: ViewCtl) -> bool {
    match v.tour.get_untracked() {
        Some(p) if p.cue > 0 => {
            goto_cue(s, v, p.tour, p.cue - 1);
            true
        }
        _ => false,
    }
}

fn focus_tour_panel() {
    crate::dom::focus_after_render(vec!["#tour-panel".into()], false);
}

/// Starts tour `i` at its title and moves the keyboard focus to it.
pub fn start_tour(s: Session, v: ViewCtl, i: usize) {
    goto_cue(s, v, i, 0);
    focus_tour_panel();
}

/// Installs the presenter keys: a capture-phase window listener that runs before the ordinary
/// shortcuts and only takes the keys it handles, only in talk mode or while a tour runs.
pub fn install_presenter_keys(s: Session, v: ViewCtl) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let cb =
        Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |ev: web_sys::KeyboardEvent| {
            if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.default_prevented() {
                return;
            }
            if !(v.talk.get_untracked() || v.tour.get_untracked().is_some()) {
                return;
            }
            if s.mode.get_untracked() != crate::session::Mode::Stepper {
                return;
            }
            let key = ev.key();
            let Some(cmd) = presenter_command(&key) else {
                return;
            };
            if let Some(el) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                let tag = el.tag_name().to_ascii_lowercase();
                if matches!(tag.as_str(), "input" | "textarea" | "select") && key != "Escape" {
                    return;
                }
                // Space on a focused control activates it, as everywhere.
                if matches!(tag.as_str(), "button" | "a" | "summary") && key == " " {
                    return;
                }
            }
            if s.help_open.get_untracked() && !matches!(cmd, Presenter::Help | Presenter::CloseHelp)
            {
                return;
            }
            let handled = match cmd {
                Presenter::Next => {
                    if v.tour.get_untracked().is_some() {
                        next_cue(s, v);
                    } else {
                        s.advance();
                    }
                    true
                }
                Presenter::Prev => {
                    if v.tour.get_untracked().is_some() {
                        prev_cue(s, v);
                    } else {
                        s.back();
                    }
                    true
                }
                Presenter::TogglePlay => {
                    s.playing.update(|p| *p = !*p);
                    true
                }
                Presenter::Slower => {
                    s.slower();
                    true
                }
                Presenter::Faster => {
                    s.faster();
                    true
                }
                Presenter::Fullscreen => {
                    crate::dom::toggle_fullscreen();
                    true
                }
                Presenter::Help => {
                    s.help_open.update(|h| *h = !*h);
                    true
                }
                // Leave Esc to the ordinary shortcuts (it closes the help) and the browser.
                Presenter::CloseHelp => false,
            };
            if handled {
                ev.prevent_default();
                ev.stop_immediate_propagation();
            }
        });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback_and_bool(
            "keydown",
            cb.as_ref().unchecked_ref(),
            true,
        );
    }
    // The listener lives as long as the page.
    cb.forget();
}

/// Ends the tour when the user picks another variant or scenario by hand.
pub fn install_tour_guard(s: Session, v: ViewCtl) {
    Effect::new(move |_| {
        let id = s.variant_id.get();
        let parts = s.scenario.with(|sc| (sc.kill, sc.mrelease, sc.readers));
        if let Some(p) = v.tour.get() {
            let t = &TOURS[p.tour];
            let ts = t.scenario();
            if t.variant != id || (ts.kill, ts.mrelease, ts.readers) != parts {
                v.tour.set(None);
            }
        }
    });
}

/// The row under the header: projector mode, the tour picker.
#[component]
pub fn PresentBar() -> impl IntoView {
    let s = use_session();
    let v = use_view();
    let picked = RwSignal::new(0usize);
    // A tour started from a link or a key shows in the picker too.
    Effect::new(move |_| {
        if let Some(t) = v.tour.get() {
            picked.set(t.tour);
        }
    });
    view! {
        <div class="present-bar" role="group" aria-label="Share, present and edit">
            <CopyButton label="Copy link" testid="copy-link"
                title="Copy the address of this exact view (every step and the current one)"
                text=Callback::new(move |_| current_link(s, v))/>
            <button
                class="talk-btn"
                data-testid="talk-toggle"
                aria-pressed=move || v.talk.get().to_string()
                title="Projector theme: large type, high contrast (talk=1 in the link)"
                on:click=move |_| v.talk.update(|t| *t = !*t)
            >
                <span aria-hidden="true">"▣ "</span>"Projector mode"
            </button>
            <button class="edit-btn" data-testid="edit-mode" aria-keyshortcuts="e"
                aria-pressed=move || s.editing.get().to_string()
                title="Edit mode: change the kernel paths and re-check every interleaving"
                on:click=move |_| crate::components::patch_editor::toggle_edit_mode(s)>
                "✎ Edit kernel paths"
            </button>
            <label class="tour-pick">
                "Guided tour "
                <select data-testid="tour-select" on:change=move |ev| {
                    if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                        picked.set(i);
                    }
                }>
                    {TOURS
                        .iter()
                        .enumerate()
                        .map(|(i, t)| view! {
                            <option value=i.to_string() selected=move || picked.get() == i>{t.title}</option>
                        })
                        .collect_view()}
                </select>
            </label>
            <button data-testid="tour-start" on:click=move |_| start_tour(s, v, picked.get_untracked())>
                <span aria-hidden="true">"▶ "</span>"Start tour"
            </button>
            <span class="present-hint">
                {move || if v.tour.get().is_some() || v.talk.get() {
                    "Presenter keys: Space / → next · ← back · p play · f full screen · ? help"
                } else {
                    ""
                }}
            </span>
        </div>
    }
}

/// The running tour: its title, the cue's caption in large type, the promise and the
/// comparison variant's outcome on the same cues. The section and its buttons stay mounted
/// while the tour runs, so the keyboard focus survives Next and Previous.
#[component]
pub fn TourPanel() -> impl IntoView {
    let s = use_session();
    let v = use_view();
    let pos = move || v.tour.get().unwrap_or(TourPos { tour: 0, cue: 0 });
    let tour = move || &TOURS[pos().tour.min(TOURS.len() - 1)];
    let cues = move || tour().cues.len();
    // The comparison side, recomputed only when the cue changes.
    let other = Memo::new(move |_| {
        let p = v.tour.get()?;
        let t = &TOURS[p.tour];
        let other = t.compare?;
        let (run, stopped) = tour_run(t, other, p.cue).ok()?;
        let expect = p
            .cue
            .checked_sub(1)
            .map(|i| t.cues[i].expect_other)
            .unwrap_or(Expect::Nothing);
        let kept = check(&run, expect).is_ok();
        let mut invs: Vec<&'static str> =
            run.violations().iter().map(|(_, x)| x.inv.id()).collect();
        invs.sort_unstable();
        invs.dedup();
        let last = (run.pos() > 0).then(|| {
            let p = run.pos();
            sentence(
                &run.model,
                run.state_at(p - 1),
                &run.steps()[p - 1],
                run.state_at(p),
            )
        });
        let kernel = variant::info(other).map(|i| i.kernel).unwrap_or("");
        Some(CompareOutcome {
            id: other,
            kernel,
            expect,
            kept,
            invs,
            last,
            stopped,
            done: run.state().all_done(),
        })
    });
    let caption = move || {
        let (t, cue) = (tour(), pos().cue);
        if cue == 0 {
            format!(
                "{} — {} in scenario {}{}. Press Space or → for the first cue.",
                t.title,
                t.variant,
                t.scenario.id(),
                t.compare
                    .map(|c| format!(", next to {c}"))
                    .unwrap_or_default()
            )
        } else {
            t.cues[cue - 1].caption.to_string()
        }
    };
    let expect = move || {
        let (t, cue) = (tour(), pos().cue);
        cue.checked_sub(1)
            .map(|i| t.cues[i].expect)
            .unwrap_or(Expect::Nothing)
    };
    let promise = move || {
        let e = expect();
        (e != Expect::Nothing).then(|| {
            let kept = s.run.with(|r| check(r, e).is_ok());
            view! {
                <p class=if kept { "tour-promise kept" } else { "tour-promise broken" }
                    data-testid="tour-promise" data-ok=kept.to_string()>
                    <span aria-hidden="true">{if kept { "✓ " } else { "✗ " }}</span>
                    {if kept { "On screen: " } else { "Promised but not reached: " }}
                    {describe_expect(e)}
                </p>
            }
        })
    };
    let compare = move || {
        other.get().map(|o| {
            let mut outcome = if !o.invs.is_empty() {
                format!("Violations: {}.", o.invs.join(", "))
            } else if o.done {
                "No violation; every actor has returned.".to_string()
            } else {
                "No violation so far.".to_string()
            };
            // Each fact once: a side that stopped says why (which already names the state the
            // cue promised), and "every actor has returned" covers one actor having returned.
            let said = o.stopped.is_some() || (o.done && matches!(o.expect, Expect::Returned(_)));
            if o.kept && !said && !matches!(o.expect, Expect::Nothing | Expect::Clean | Expect::AllDone) {
                outcome.push_str(&format!(" {}.", capitalize(&describe_expect(o.expect))));
            }
            if let Some(e) = &o.stopped {
                // The core's message ends with the reason in kernel terms.
                let why = e.rsplit_once(": ").map_or(e.as_str(), |x| x.1);
                outcome.push_str(&format!(" It cannot follow the tour here: {why}"));
            }
            view! {
                <aside class="tour-compare" data-testid="tour-compare" data-variant=o.id
                    aria-label=format!("The same cues on {}", o.id)>
                    <h3 class="tour-compare-title">"Same cues on "<code>{o.id}</code>
                        // A buggy variant names the kernel it edits; a release would repeat its id.
                        {(o.kernel != o.id).then(|| view! { " "<span class="muted">{o.kernel}</span> })}
                    </h3>
                    <p class="tour-compare-outcome" data-testid="tour-compare-outcome">{outcome}</p>
                    {o.last.map(|l| view! { <p class="tour-compare-last">{l}</p> })}
                </aside>
            }
        })
    };
    view! {
        <Show when=move || v.tour.get().is_some()>
            <section
                class="tour-panel"
                id="tour-panel"
                tabindex="-1"
                aria-labelledby="tour-title"
                data-testid="tour"
                data-tour=move || tour().id
                data-cue=move || pos().cue.to_string()
                data-cues=move || cues().to_string()
            >
                <div class="tour-head">
                    <h2 id="tour-title" class="tour-title">
                        <span class="tour-kicker">"Tour"</span>" "{move || tour().title}
                    </h2>
                    <span class="tour-progress" data-testid="tour-progress">
                        {move || {
                            let (cue, n) = (pos().cue, cues());
                            if cue == 0 { format!("start · {n} cues") } else { format!("cue {cue} of {n}") }
                        }}
                    </span>
                    <div class="tour-nav" role="group" aria-label="Tour controls">
                        <button data-testid="tour-prev" aria-keyshortcuts="ArrowLeft PageUp"
                            disabled=move || pos().cue == 0 on:click=move |_| { prev_cue(s, v); }>
                            <span aria-hidden="true">"◀ "</span>"Previous"
                        </button>
                        <button data-testid="tour-next" aria-keyshortcuts="ArrowRight PageDown Space"
                            disabled={move || pos().cue >= cues()} on:click=move |_| { next_cue(s, v); }>
                            "Next"<span aria-hidden="true">" ▶"</span>
                        </button>
                        <button data-testid="tour-restart" title="Back to the tour's start"
                            on:click=move |_| start_tour(s, v, pos().tour)>
                            <span aria-hidden="true">"↺ "</span>"Restart"
                        </button>
                        <button data-testid="tour-exit" on:click=move |_| v.tour.set(None)>
                            <span aria-hidden="true">"✕ "</span>"End tour"
                        </button>
                    </div>
                </div>
                <p class="tour-caption" data-testid="tour-caption" aria-live="polite">{caption}</p>
                {promise}
                {move || (pos().cue == cues()).then(|| view! {
                    <p class="tour-end" data-testid="tour-end">"End of the tour."</p>
                })}
                {compare}
            </section>
        </Show>
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct CompareOutcome {
    id: &'static str,
    kernel: &'static str,
    expect: Expect,
    kept: bool,
    invs: Vec<&'static str>,
    last: Option<String>,
    stopped: Option<String>,
    done: bool,
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presenter_keys() {
        assert_eq!(presenter_command(" "), Some(Presenter::Next));
        assert_eq!(presenter_command("PageDown"), Some(Presenter::Next));
        assert_eq!(presenter_command("."), Some(Presenter::Next));
        assert_eq!(presenter_command("PageUp"), Some(Presenter::Prev));
        assert_eq!(presenter_command("f"), Some(Presenter::Fullscreen));
        assert_eq!(presenter_command("]"), Some(Presenter::Faster));
        assert_eq!(
            presenter_command("v"),
            None,
            "actor keys stay ordinary shortcuts"
        );
    }

    #[test]
    fn every_tour_replays_to_its_last_promise() {
        for t in TOURS {
            let (run, stopped) = tour_run(t, t.variant, t.cues.len()).unwrap();
            assert_eq!(stopped, None, "{}", t.id);
            check(&run, t.cues.last().unwrap().expect).unwrap();
            assert!(!describe_expect(t.cues.last().unwrap().expect).is_empty());
        }
    }
}

crate::lazy_piece!(tour, tour_panel_lazy, view! { <TourPanel/> });
