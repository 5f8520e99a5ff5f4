//! The view in the URL fragment (permalinks), through `mmrace_core::link`.
//!
//! The fragment always holds the whole view: variant, scenario and options, the actor choices,
//! the current step, and the front-end view options below. It is rewritten with
//! `history.replaceState` as the user steps (throttled, so autoplay does not flood anything)
//! and with `pushState` only when the variant, scenario or tour changes, so Back goes to the
//! previous *story*, not the previous step. On load, on `hashchange` and on `popstate` the
//! fragment is decoded and loaded; every notice the core reports (a bad field, "replayed to
//! step N of M", a link from another model version) is shown in a `role=status` banner.
//!
//! View options (kept by the core link codec verbatim):
//!
//! | key      | value                                                                  |
//! |----------|------------------------------------------------------------------------|
//! | `embed`  | `1`: minimal chrome for an iframe (also `?embed=1` in the query string) |
//! | `panels` | comma-separated panels to show: see [`PANELS`]                         |
//! | `talk`   | `1`: projector theme                                                   |
//! | `tour`   | a guided tour id (`mmrace_core::tour::TOURS`), with `cue` = cues shown |
//! | `speed`  | autoplay speed index (0 slowest … 5 fastest)                           |
//! | `edit`   | `1`: edit mode (the patch playground) open; a link with an edit list (`e`) or a challenge (`ch`) opens it too |
//!
//! The edit list (`e`) and the challenge (`ch`) are fields of the core link itself.

use crate::session::{Session, SPEEDS_MS};
use leptos::prelude::*;
use mmrace_core::edit::has_edits;
use mmrace_core::link;
use mmrace_core::run::Run;
use mmrace_core::svg::esc;
use mmrace_core::tour::TOURS;
use std::collections::BTreeMap;

/// The panels `panels=` can choose, with the CSS selector of each and what it is.
pub const PANELS: &[(&str, &str)] = &[
    ("transport", "step buttons, scrubber and autoplay"),
    ("narration", "the sentence for the current step"),
    ("alert", "the violation alert"),
    ("mm", "the mm_struct, mmap_lock and VMAs"),
    ("columns", "one column per actor with its code"),
    ("timeline", "the lock and refcount timeline"),
    ("steps", "the step list"),
    ("schedule", "the schedule box"),
    ("explore", "the exhaustive explorer"),
];

/// Panels shown in an embed when the link does not choose.
pub const EMBED_PANELS: &[&str] = &[
    "transport",
    "narration",
    "alert",
    "mm",
    "columns",
    "timeline",
];

/// The default autoplay speed index (see [`Session::new`]).
pub const DEFAULT_SPEED: usize = 2;

/// A running guided tour: index into `TOURS` and how many cues have been shown (0 = title).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TourPos {
    pub tour: usize,
    pub cue: usize,
}

/// The front-end options carried in the fragment next to the run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ViewOpts {
    pub embed: bool,
    pub panels: Option<Vec<String>>,
    pub talk: bool,
    pub tour: Option<TourPos>,
    pub speed: Option<usize>,
    /// Edit mode is open.
    pub edit: bool,
    /// The challenge being played (a core link field, carried here to the fragment).
    pub challenge: Option<String>,
}

/// The view options as signals, shared through context.
#[derive(Clone, Copy)]
pub struct ViewCtl {
    pub embed: RwSignal<bool>,
    pub panels: RwSignal<Option<Vec<String>>>,
    pub talk: RwSignal<bool>,
    pub tour: RwSignal<Option<TourPos>>,
    /// Notices from the last link that was loaded (shown until dismissed or the next load).
    pub notices: RwSignal<Vec<String>>,
    /// The last status of a share/export action ("Link copied"), announced politely.
    pub status: RwSignal<String>,
    /// A link is waiting for the edit-list parser's chunk: the page, not shown yet, stays
    /// hidden meanwhile rather than show the unedited default for a moment.
    pub pending: RwSignal<bool>,
}

pub fn use_view() -> ViewCtl {
    expect_context::<ViewCtl>()
}

impl ViewCtl {
    /// Whether the page shows `panel` now (the link's `panels=`, an embed's defaults, or all).
    pub fn shows(&self, panel: &str) -> bool {
        match self.panels.get_untracked() {
            Some(p) => p.iter().any(|x| x == panel),
            None => !self.embed.get_untracked() || EMBED_PANELS.contains(&panel),
        }
    }
}

fn flag(v: &str) -> bool {
    matches!(v, "1" | "true" | "yes" | "on")
}

/// The view-option part of a link.
pub fn view_map(o: &ViewOpts) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    if o.embed {
        m.insert("embed".into(), "1".into());
    }
    if let Some(p) = &o.panels {
        m.insert("panels".into(), p.join(","));
    }
    if o.talk {
        m.insert("talk".into(), "1".into());
    }
    if let Some(t) = o.tour {
        if let Some(tour) = TOURS.get(t.tour) {
            m.insert("tour".into(), tour.id.into());
            m.insert("cue".into(), t.cue.to_string());
        }
    }
    if let Some(s) = o.speed.filter(|s| *s != DEFAULT_SPEED) {
        m.insert("speed".into(), s.to_string());
    }
    if o.edit {
        m.insert("edit".into(), "1".into());
    }
    m
}

/// Reads the view options of a decoded link; unknown values become notices.
pub fn parse_view(view: &BTreeMap<String, String>, notices: &mut Vec<String>) -> ViewOpts {
    let mut o = ViewOpts::default();
    for (k, v) in view {
        match k.as_str() {
            "embed" => o.embed = flag(v),
            "edit" => o.edit = flag(v),
            "talk" => o.talk = flag(v),
            "panels" => {
                let mut list = Vec::new();
                for p in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    if PANELS.iter().any(|(n, _)| *n == p) {
                        if !list.iter().any(|x: &String| x == p) {
                            list.push(p.to_string());
                        }
                    } else {
                        notices.push(format!(
                            "ignored unknown panel '{p}' (panels: {})",
                            PANELS.iter().map(|p| p.0).collect::<Vec<_>>().join(", ")
                        ));
                    }
                }
                if list.is_empty() {
                    notices.push("no known panel in 'panels'; showing the default panels".into());
                } else {
                    o.panels = Some(list);
                }
            }
            "tour" => match TOURS.iter().position(|t| t.id == v) {
                Some(i) => {
                    let n = TOURS[i].cues.len();
                    let cue = match view.get("cue").map(|c| c.parse::<usize>()) {
                        None => 0,
                        Some(Ok(c)) if c <= n => c,
                        Some(_) => {
                            notices.push(format!(
                                "tour '{v}' has {n} cues; bad cue '{}', showing its start",
                                view["cue"]
                            ));
                            0
                        }
                    };
                    o.tour = Some(TourPos { tour: i, cue });
                }
                None => notices.push(format!(
                    "unknown tour '{v}' (tours: {})",
                    TOURS.iter().map(|t| t.id).collect::<Vec<_>>().join(", ")
                )),
            },
            "cue" => {}
            "speed" => match v.parse::<usize>() {
                Ok(s) if s < SPEEDS_MS.len() => o.speed = Some(s),
                _ => notices.push(format!(
                    "ignored speed '{v}' (0 to {})",
                    SPEEDS_MS.len() - 1
                )),
            },
            // Kept for other front ends / later versions; harmless here.
            _ => notices.push(format!("ignored unknown view option '{k}'")),
        }
    }
    o
}

/// The fragment (without `#`) for a run and view options.
pub fn fragment(run: &Run, o: &ViewOpts) -> String {
    let mut l = link::link_for(run, view_map(o));
    l.challenge = o.challenge.clone();
    link::encode(&l)
}

/// What makes a change "big" (a new history entry): variant and its edits, scenario and
/// options, tour, challenge. (So Back undoes an edit.)
pub fn big_key(run: &Run, o: &ViewOpts) -> String {
    let sc = &run.model.scenario;
    format!(
        "{}|{}|{}|{}|{}|{}{}|{}",
        o.challenge.as_deref().unwrap_or(""),
        run.model.variant.edits.as_deref().unwrap_or(""),
        run.model.variant.info.id,
        sc.name(),
        sc.options.vmas_string(),
        sc.options.notifier_fails,
        sc.options.kill_mrelease,
        o.tour.map(|t| t.tour as i64).unwrap_or(-1)
    )
}

/// Whether a fragment names a run (as opposed to only view options such as `embed=1`).
pub fn names_a_run(fragment: &str) -> bool {
    fragment
        .trim_start_matches(['#', '?'])
        .split('&')
        .filter_map(|p| p.split('=').next())
        .any(|k| {
            matches!(
                k,
                "variant" | "sc" | "kill" | "mr" | "rd" | "s" | "vmas" | "opt" | "at" | "e" | "ch"
            )
        })
}

/// Whether a query string asks for the embed view (`?embed=1`).
pub fn embed_in_query(search: &str) -> bool {
    search.trim_start_matches('?').split('&').any(|p| {
        matches!(
            p,
            "embed" | "embed=1" | "embed=true" | "embed=yes" | "embed=on"
        )
    })
}

/// A fragment with some view keys removed (e.g. `embed` and `panels` for "Open full view").
pub fn without_keys(fragment: &str, keys: &[&str]) -> String {
    fragment
        .trim_start_matches('#')
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| !keys.contains(&p.split('=').next().unwrap_or("")))
        .collect::<Vec<_>>()
        .join("&")
}

/// A query string with `embed` removed (keeps the rest, with its `?`, or empty).
pub fn query_without_embed(search: &str) -> String {
    let rest: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && p.split('=').next() != Some("embed"))
        .collect();
    if rest.is_empty() {
        String::new()
    } else {
        format!("?{}", rest.join("&"))
    }
}

/// Default size of an embed.
pub const EMBED_WIDTH: &str = "100%";
pub const EMBED_HEIGHT: u32 = 640;

/// A ready `<iframe>` snippet for the page at `page_url` (no fragment) with `fragment`.
pub fn iframe_snippet(page_url: &str, fragment: &str, title: &str) -> String {
    let src = format!("{page_url}#{fragment}");
    format!(
        "<iframe src=\"{}\" width=\"{EMBED_WIDTH}\" height=\"{EMBED_HEIGHT}\" title=\"{}\" loading=\"lazy\" style=\"border:1px solid #ccc;border-radius:6px\"></iframe>",
        esc(&src),
        esc(title)
    )
}

/// A human title for the current view ("mmrace: v5.17-rc1 · user-kill, step 32 of 36").
pub fn view_title(run: &Run) -> String {
    format!(
        "mmrace: {} · {}, step {} of {}",
        run.model.variant.info.id,
        run.model.scenario.name(),
        run.pos(),
        run.len()
    )
}

/// The current view options, read from the signals without tracking.
pub fn current_opts(s: Session, v: ViewCtl) -> ViewOpts {
    ViewOpts {
        embed: v.embed.get_untracked(),
        panels: v.panels.get_untracked(),
        talk: v.talk.get_untracked(),
        tour: v.tour.get_untracked(),
        speed: Some(s.speed.get_untracked()),
        edit: s.editing.get_untracked(),
        challenge: s.challenge.get_untracked().map(String::from),
    }
}

/// The fragment of the current view.
pub fn current_fragment(s: Session, v: ViewCtl) -> String {
    let o = current_opts(s, v);
    s.run.with_untracked(|r| fragment(r, &o))
}

/// Loads a run into the session: variant, scenario, model and run together (autoplay stops).
pub fn load_run_into(s: Session, run: Run) {
    s.playing.set(false);
    s.variant_id.set(run.model.variant.info.id.to_string());
    s.scenario.set(run.model.scenario.clone());
    // Only on a change: setting the mode re-creates the whole stepper view.
    if s.mode.get_untracked() != crate::session::Mode::Stepper {
        s.mode.set(crate::session::Mode::Stepper);
    }
    s.load_run(run);
}

/// Decodes `frag` and loads it: the run (when the fragment names one) and the view options.
/// Returns the notices (also stored in `v.notices`). A run with an edit list waits for the
/// edit-list parser's chunk ([`crate::edits`]): then the link loads once it is here (and the
/// returned notices are empty).
pub fn load_fragment(s: Session, v: ViewCtl, frag: &str, extra: Vec<String>) -> Vec<String> {
    let d = link::decode(frag);
    let names_run = names_a_run(frag);
    let edited = d.link.edits.as_deref().is_some_and(has_edits);
    if names_run && edited && crate::edits::applier().is_none() {
        v.pending.set(true);
        leptos::task::spawn_local(async move {
            // Without the chunk the link opens unedited, its notice saying why.
            let _ = crate::edits::load().await;
            load_decoded(s, v, &d, names_run, extra);
            v.pending.set(false);
        });
        return Vec::new();
    }
    load_decoded(s, v, &d, names_run, extra)
}

fn load_decoded(
    s: Session,
    v: ViewCtl,
    d: &link::Decoded,
    names_run: bool,
    extra: Vec<String>,
) -> Vec<String> {
    let mut notices = extra;
    let mut loaded: Option<Run> = None;
    if names_run {
        let (run, n) = link::load_with(d, crate::edits::with_edits);
        notices.extend(n);
        loaded = Some(run);
    } else {
        notices.extend(d.notices.iter().cloned());
    }
    let mut o = parse_view(&d.link.view, &mut notices);
    if let Some(t) = o.tour {
        let tour = &TOURS[t.tour];
        let variant = loaded
            .as_ref()
            .map(|r| r.model.variant.info.id.to_string())
            .unwrap_or_else(|| s.variant_id.get_untracked());
        if variant != tour.variant {
            notices.push(format!(
                "tour '{}' runs on {}, not {variant}; the tour was not resumed",
                tour.id, tour.variant
            ));
            o.tour = None;
        }
    }
    let edited = loaded
        .as_ref()
        .is_some_and(|r| r.model.variant.edits.is_some());
    let challenge = d
        .link
        .challenge
        .as_deref()
        .and_then(mmrace_core::challenge::by_id)
        .map(|c| c.id);
    if let Some(run) = loaded {
        load_run_into(s, run);
    }
    if s.challenge.get_untracked() != challenge {
        s.challenge.set(challenge);
    }
    let editing = o.edit || edited || challenge.is_some();
    if s.editing.get_untracked() != editing {
        s.editing.set(editing);
    }
    v.embed
        .set(o.embed || embed_in_query(&crate::dom::location_search()));
    v.panels.set(o.panels);
    v.talk.set(o.talk);
    v.tour.set(o.tour);
    if let Some(sp) = o.speed {
        s.speed.set(sp);
    }
    v.notices.set(notices.clone());
    notices
}

/// Creates the view context, loads the fragment of the page's URL (if any) over what the
/// query string set up, and keeps the fragment in sync from then on.
pub fn install(s: Session, extra_notices: Vec<String>) -> ViewCtl {
    let v = ViewCtl {
        embed: RwSignal::new(embed_in_query(&crate::dom::location_search())),
        panels: RwSignal::new(None),
        talk: RwSignal::new(false),
        tour: RwSignal::new(None),
        notices: RwSignal::new(Vec::new()),
        status: RwSignal::new(String::new()),
        pending: RwSignal::new(false),
    };
    provide_context(v);
    let initial = crate::dom::location_hash();
    if !initial.is_empty() {
        load_fragment(s, v, &initial, extra_notices);
    } else if !extra_notices.is_empty() {
        v.notices.set(extra_notices);
    }
    // Mirror the view options onto <html> for the CSS (embed chrome, panels, projector theme).
    Effect::new(move |_| {
        let embed = v.embed.get();
        crate::dom::set_root_attr("data-embed", embed.then_some("1"));
        let panels = v
            .panels
            .get()
            .map(|p| p.join(" "))
            .or_else(|| embed.then(|| EMBED_PANELS.join(" ")));
        crate::dom::set_root_attr("data-panels", panels.as_deref());
    });
    Effect::new(move |_| {
        crate::dom::set_root_attr("data-talk", v.talk.get().then_some("1"));
        crate::dom::set_root_attr("data-tour", v.tour.get().map(|_| "1"));
    });
    install_sync(s, v);
    v
}

/// How often the address bar is rewritten at most while the view changes (autoplay).
const WRITE_EVERY_MS: u32 = 150;

fn install_sync(s: Session, v: ViewCtl) {
    use gloo_timers::callback::Timeout;
    // The last fragment written or loaded, and the "big" key of the last history entry.
    let last: StoredValue<(String, String), LocalStorage> = StoredValue::new_local((
        crate::dom::location_hash(),
        s.run.with_untracked(|r| big_key(r, &current_opts(s, v))),
    ));
    let pending: StoredValue<Option<Timeout>, LocalStorage> = StoredValue::new_local(None);
    let write_now = move || {
        pending.set_value(None);
        let o = current_opts(s, v);
        let (frag, big) = s.run.with_untracked(|r| (fragment(r, &o), big_key(r, &o)));
        let (last_frag, last_big) = last.get_value();
        if frag == last_frag && frag == crate::dom::location_hash() {
            return;
        }
        crate::dom::set_fragment(&frag, big != last_big);
        last.set_value((frag, big));
    };
    Effect::new(move |_| {
        s.run.track();
        s.speed.track();
        v.talk.track();
        v.tour.track();
        v.embed.track();
        v.panels.track();
        s.editing.track();
        s.challenge.track();
        if pending.with_value(|p| p.is_none()) && cfg!(target_arch = "wasm32") {
            // Then in idle time: history.replaceState alone takes ~15 ms in Chromium on a busy
            // machine (measured), too long to run between a key press and its frame.
            let later = move || crate::dom::when_idle(2000, write_now);
            pending.set_value(Some(Timeout::new(WRITE_EVERY_MS, later)));
        }
    });
    // Back/forward and hand-edited fragments: load what the address bar says.
    let on_nav = move || {
        let frag = crate::dom::location_hash();
        if frag == last.with_value(|l| l.0.clone()) {
            return;
        }
        load_fragment(s, v, &frag, Vec::new());
        let big = s.run.with_untracked(|r| big_key(r, &current_opts(s, v)));
        last.set_value((frag, big));
    };
    let h1 = window_event_listener(leptos::ev::hashchange, move |_| on_nav());
    let h2 = window_event_listener(leptos::ev::popstate, move |_| on_nav());
    on_cleanup(move || {
        h1.remove();
        h2.remove();
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use mmrace_core::schedule::Schedule;
    use mmrace_core::{Model, Scenario, ScenarioId, Variant};

    fn run() -> Run {
        let m = Model::new(
            Variant::by_id("v5.17-rc1").unwrap(),
            Scenario::new(ScenarioId::UserKill),
        );
        let mut r = Run::new(m);
        r.apply(&Schedule::parse("M:task_unlock V* M:can_madv_lru_vma").unwrap())
            .unwrap();
        r
    }

    #[test]
    fn view_options_round_trip_through_the_core_codec() {
        let o = ViewOpts {
            embed: true,
            panels: Some(vec!["columns".into(), "mm".into()]),
            talk: true,
            tour: Some(TourPos { tour: 3, cue: 2 }),
            speed: Some(5),
            edit: true,
            challenge: None,
        };
        let f = fragment(&run(), &o);
        let d = link::decode(&f);
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        let mut notices = Vec::new();
        assert_eq!(parse_view(&d.link.view, &mut notices), o);
        assert!(notices.is_empty(), "{notices:?}");
        let (r2, n) = link::load(&d);
        assert!(n.is_empty(), "{n:?}");
        assert_eq!(r2.choices(), run().choices());
    }

    #[test]
    fn bad_view_options_become_notices() {
        let d = link::decode("variant=v5.17&panels=mm,bogus&tour=nope&speed=99&zzz=1");
        let mut notices = Vec::new();
        let o = parse_view(&d.link.view, &mut notices);
        assert_eq!(o.panels, Some(vec!["mm".to_string()]));
        assert_eq!(o.tour, None);
        assert_eq!(o.speed, None);
        assert_eq!(notices.len(), 4, "{notices:?}");
    }

    #[test]
    fn big_changes_are_variant_scenario_and_tour() {
        let r = run();
        let o = ViewOpts::default();
        let mut r2 = r.clone();
        r2.back();
        assert_eq!(big_key(&r, &o), big_key(&r2, &o), "a step is not big");
        let toured = ViewOpts {
            tour: Some(TourPos { tour: 0, cue: 0 }),
            ..ViewOpts::default()
        };
        assert_ne!(big_key(&r, &o), big_key(&r, &toured));
        let mut cue = toured.clone();
        cue.tour = Some(TourPos { tour: 0, cue: 3 });
        assert_eq!(big_key(&r, &toured), big_key(&r, &cue), "a cue is not big");
    }

    #[test]
    fn embed_helpers() {
        assert!(embed_in_query("?embed=1&x=2"));
        assert!(!embed_in_query("?embedded=1"));
        assert_eq!(
            without_keys(
                "#v=1&variant=x&embed=1&panels=mm&at=3",
                &["embed", "panels"]
            ),
            "v=1&variant=x&at=3"
        );
        assert_eq!(query_without_embed("?embed=1&variant=x"), "?variant=x");
        assert_eq!(query_without_embed("?embed=1"), "");
        assert!(names_a_run("#v=1&variant=v5.16"));
        assert!(!names_a_run("#embed=1&talk=1"));
    }

    #[test]
    fn iframe_snippet_escapes_attributes() {
        let s = iframe_snippet(
            "https://example.org/mmrace/index.html",
            "v=1&variant=v5.17&embed=1",
            "a \"title\" <b>",
        );
        assert!(s.starts_with("<iframe src=\"https://example.org/mmrace/index.html#v=1&amp;variant=v5.17&amp;embed=1\""));
        assert!(s.contains("title=\"a &quot;title&quot; &lt;b&gt;\""));
        assert!(s.contains("width=\"100%\"") && s.contains("height=\"640\""));
        assert!(s.ends_with("></iframe>"));
    }
}
