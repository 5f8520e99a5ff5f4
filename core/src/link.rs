//! Permalinks: everything needed to reproduce a view, in a short URL fragment.
//!
//! Format (version 2), `&`-separated `key=value` pairs after `#`:
//!
//! | key       | value                                                                 |
//! |-----------|-----------------------------------------------------------------------|
//! | `v`       | link format version (`2`)                                             |
//! | `m`       | model version ([`crate::trace::model_version`])                       |
//! | `variant` | variant id                                                            |
//! | `sc`      | a preset scenario id, when the combination is one                     |
//! | `kill`, `mr`, `rd` | otherwise the combination: `user`, `oom` or `user,oom`; process_mrelease callers; `/proc` readers |
//! | `vmas`    | VMA letters, e.g. `ALF`                                               |
//! | `opt`     | option letters: `n` notifier start fails, `k` kill process_mrelease   |
//! | `s`       | the actor choices, run-length encoded: `K6M4V30` = six K steps, …; `m`, `g` are M2, G2 |
//! | `at`      | the current step (default: the end)                                   |
//! | `e`       | optional: an edit list on top of the variant ([`crate::edit::to_link`], versioned `1.…`) |
//! | `ch`      | optional: the challenge being played ([`crate::challenge`])           |
//! | others    | view options kept verbatim for the front end (theme, panels, …)       |
//!
//! Version 1 links (three scenarios, `opt=x` for no process_mrelease, upper-case choices only)
//! decode to the same view: `sc` names a preset, `x` means `mr=0`, and every choice letter names
//! the first actor of its kind.
//!
//! | key       | value                                                                 |
//! |-----------|-----------------------------------------------------------------------|
//! | `s`       | (version 1) the actor choices, upper case                             |
//!
//! Links encode choices, not states, so they stay short. Decoding never fails outright: a bad
//! field is replaced by its default with a notice saying so, and [`load`] replays as far as the
//! model allows ("replayed to step 12 of 30: …"), so a link from another model version or a
//! tampered link still opens, with an explanation.

use crate::actor::ActorId;
use crate::run::Run;
use crate::scenario::{Kill, Options, Scenario, ScenarioId, MAX_BYSTANDERS};
use crate::sim::Model;
use crate::trace::model_version;
use crate::variant::Variant;
use std::collections::BTreeMap;

pub const LINK_VERSION: u32 = 2;
/// Longest fragment accepted.
pub const MAX_LINK: usize = 16_384;
/// Most steps a link may carry.
pub const MAX_STEPS: usize = 100_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub variant: String,
    /// The combination and its options.
    pub scenario: Scenario,
    pub choices: Vec<ActorId>,
    /// The current step; `None` = the end.
    pub at: Option<usize>,
    /// Front-end view options, kept verbatim (sorted by key).
    pub view: BTreeMap<String, String>,
    /// The edit list applied on top of the variant (the patch playground).
    pub edits: Option<String>,
    /// The challenge being played, by id.
    pub challenge: Option<String>,
}

impl Default for Link {
    fn default() -> Link {
        Link {
            variant: "v5.16".into(),
            scenario: Scenario::new(ScenarioId::OomKill),
            choices: Vec::new(),
            at: None,
            view: BTreeMap::new(),
            edits: None,
            challenge: None,
        }
    }
}

/// Run-length encodes actor choices: `KKKMV` → `K3MV`.
pub fn encode_choices(c: &[ActorId]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < c.len() {
        let mut n = 1;
        while i + n < c.len() && c[i + n] == c[i] {
            n += 1;
        }
        out.push(c[i].choice_char());
        if n > 1 {
            out.push_str(&n.to_string());
        }
        i += n;
    }
    out
}

/// Decodes run-length encoded choices (version 2: `m` and `g` are M2 and G2).
pub fn decode_choices(s: &str) -> Result<Vec<ActorId>, String> {
    decode_choices_version(s, LINK_VERSION)
}

fn decode_choices_version(s: &str, version: u32) -> Result<Vec<ActorId>, String> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let a = if version >= 2 {
            ActorId::from_choice_char(c)
                .ok_or_else(|| format!("'{c}' is not an actor letter (V, K, R, M, m, G, g)"))?
        } else {
            ActorId::from_letter(c)
                .filter(|_| c.is_ascii_uppercase())
                .ok_or_else(|| format!("'{c}' is not an actor letter (V, K, R, M, G)"))?
        };
        let mut digits = String::new();
        while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            digits.push(*d);
            chars.next();
        }
        let n: usize = if digits.is_empty() {
            1
        } else {
            digits
                .parse()
                .ok()
                .filter(|n| *n >= 1 && *n <= MAX_STEPS)
                .ok_or_else(|| format!("bad repeat count '{digits}' after {a}"))?
        };
        if out.len() + n > MAX_STEPS {
            return Err(format!("more than {MAX_STEPS} steps"));
        }
        out.extend(std::iter::repeat_n(a, n));
    }
    Ok(out)
}

fn options_letters(o: &Options) -> String {
    let mut s = String::new();
    if o.notifier_fails {
        s.push('n');
    }
    if o.kill_mrelease {
        s.push('k');
    }
    s
}

fn is_safe_key(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 32
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Percent-encodes a value for a link or a query string: ASCII letters, digits and `-_.,:*()`
/// stay as written (schedules stay readable), every other byte becomes `%XX`.
pub fn percent_encode(v: &str) -> String {
    let mut out = String::new();
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.,:*()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes and `+` (a space). `None` for a malformed escape or bytes that are not
/// UTF-8, so the caller can say so.
pub fn percent_decode(v: &str) -> Option<String> {
    let b = v.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(if b[i] == b'+' { b' ' } else { b[i] });
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The fragment (without `#`) for a link.
pub fn encode(l: &Link) -> String {
    let mut parts = vec![
        format!("v={LINK_VERSION}"),
        format!("m={}", model_version()),
        format!("variant={}", percent_encode(&l.variant)),
    ];
    let sc = &l.scenario;
    match sc.preset() {
        Some(p) => parts.push(format!("sc={}", p.id())),
        None => parts.push(format!(
            "kill={}&mr={}&rd={}",
            sc.kill.id(),
            sc.mrelease,
            sc.readers
        )),
    }
    if sc.options.vmas != Options::default().vmas {
        parts.push(format!("vmas={}", sc.options.vmas_string()));
    }
    let o = options_letters(&sc.options);
    if !o.is_empty() {
        parts.push(format!("opt={o}"));
    }
    if !l.choices.is_empty() {
        parts.push(format!("s={}", encode_choices(&l.choices)));
    }
    if let Some(at) = l.at {
        parts.push(format!("at={at}"));
    }
    if let Some(e) = l.edits.as_deref().filter(|e| crate::edit::has_edits(e)) {
        parts.push(format!(
            "e={}",
            percent_encode(&crate::edit::to_link(e)).replace("%20", "+")
        ));
    }
    if let Some(c) = &l.challenge {
        parts.push(format!("ch={}", percent_encode(c)));
    }
    for (k, v) in &l.view {
        if is_safe_key(k) {
            parts.push(format!("{k}={}", percent_encode(v)));
        }
    }
    parts.join("&")
}

/// A decoded link and what had to be changed to load it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub link: Link,
    pub notices: Vec<String>,
    /// The link was made by another model version (its steps may mean something else).
    pub other_model: Option<String>,
}

/// Decodes a fragment (with or without a leading `#` or `?`). Never fails: bad fields fall back
/// to defaults, each with a notice.
pub fn decode(fragment: &str) -> Decoded {
    let mut link = Link::default();
    let mut notices = Vec::new();
    let mut other_model = None;
    let mut f = fragment.trim_start_matches(['#', '?']);
    if f.len() > MAX_LINK {
        notices.push(format!(
            "the link is {} characters long; only the first {MAX_LINK} were read",
            f.len()
        ));
        let mut end = MAX_LINK;
        while !f.is_char_boundary(end) {
            end -= 1;
        }
        f = &f[..end];
    }
    let mut vmas_notice = None;
    let mut version = LINK_VERSION;
    let mut steps: Option<String> = None;
    for pair in f.split('&').filter(|p| !p.is_empty()) {
        let (k, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let Some(v) = percent_decode(raw) else {
            notices.push(format!("ignored '{}': bad %-escape", truncate(pair)));
            continue;
        };
        match k {
            "v" => match v.parse::<u32>() {
                Ok(n @ 1..=LINK_VERSION) => version = n,
                _ => notices.push(format!(
                    "link format version '{}' is not {LINK_VERSION}; loading what this version understands",
                    truncate(&v)
                )),
            },
            "m" => {
                if v != model_version() {
                    other_model = Some(truncate(&v));
                }
            }
            "variant" => match Variant::by_id(&v) {
                Ok(_) => link.variant = v,
                Err(e) => notices.push(format!(
                    "{}; showing {} instead",
                    truncate(&e),
                    link.variant
                )),
            },
            "sc" => match ScenarioId::parse(&v) {
                Ok(s) => {
                    let (kill, mr, rd) = s.parts();
                    let sc = &mut link.scenario;
                    (sc.kill, sc.mrelease, sc.readers) = (kill, mr, rd);
                }
                Err(_) => notices.push(format!(
                    "unknown scenario '{}'; showing oom-kill",
                    truncate(&v)
                )),
            },
            "kill" => match Kill::parse(&v) {
                Ok(k) => link.scenario.kill = k,
                Err(e) => notices.push(format!("{}; kill stays {}", truncate(&e), link.scenario.kill.id())),
            },
            "mr" | "rd" => match v.parse::<u8>().ok().filter(|n| *n <= MAX_BYSTANDERS) {
                Some(n) if k == "mr" => link.scenario.mrelease = n,
                Some(n) => link.scenario.readers = n,
                None => notices.push(format!(
                    "bad {} count '{}' (0, 1 or {MAX_BYSTANDERS}); ignored",
                    if k == "mr" { "process_mrelease" } else { "/proc reader" },
                    truncate(&v)
                )),
            },
            "vmas" => match Options::parse_vmas(&v) {
                Ok(list) if list.len() <= crate::mm::MAX_VMAS => link.scenario.options.vmas = list,
                Ok(_) | Err(_) => {
                    vmas_notice = Some(format!("bad VMA list '{}'; using ALF", truncate(&v)))
                }
            },
            "opt" => {
                for c in v.chars() {
                    match c {
                        'n' => link.scenario.options.notifier_fails = true,
                        'k' => link.scenario.options.kill_mrelease = true,
                        // version 1's "no process_mrelease"
                        'x' => link.scenario.mrelease = 0,
                        _ => notices.push(format!("ignored unknown option letter '{c}'")),
                    }
                }
            }
            "s" => steps = Some(v),
            "e" => match crate::edit::from_link(&v) {
                Ok(text) => link.edits = Some(text),
                Err(e) => notices.push(format!("ignored the edit list: {e}")),
            },
            "ch" => match crate::challenge::by_id(&v) {
                Some(c) => link.challenge = Some(c.id.to_string()),
                None => notices.push(format!("unknown challenge '{}'; ignored", truncate(&v))),
            },
            "at" => match v.parse::<usize>() {
                Ok(n) => link.at = Some(n),
                Err(_) => notices.push(format!("ignored step position '{}'", truncate(&v))),
            },
            _ if is_safe_key(k) => {
                link.view.insert(k.to_string(), truncate(&v));
            }
            _ => notices.push(format!("ignored unknown field '{}'", truncate(k))),
        }
    }
    if let Some(v) = steps {
        match decode_choices_version(&v, version) {
            Ok(c) => link.choices = c,
            Err(e) => notices.push(format!("ignored the steps: {e}")),
        }
    }
    notices.extend(vmas_notice);
    Decoded {
        link,
        notices,
        other_model,
    }
}

fn truncate(s: &str) -> String {
    let t: String = s.chars().take(60).collect();
    if t.len() < s.len() {
        format!("{t}…")
    } else {
        t
    }
}

/// Builds the run a decoded link describes, replaying its choices as far as they go. Returns
/// the run (positioned at `at`, clamped) and notices to show.
pub fn load(d: &Decoded) -> (Run, Vec<String>) {
    load_with(d, |v, e| v.with_edits(e).map_err(|err| err.to_string()))
}

/// [`load`], with the link's edit list applied by `apply_edits` (the page's parser lives in a
/// chunk loaded with edit mode; it passes that chunk's [`Variant::with_edits`]).
pub fn load_with(
    d: &Decoded,
    apply_edits: impl Fn(&Variant, &str) -> Result<Variant, String>,
) -> (Run, Vec<String>) {
    let mut notices = d.notices.clone();
    let variant = Variant::by_id(&d.link.variant)
        .unwrap_or_else(|_| Variant::by_id("v5.16").expect("v5.16 builds"));
    let variant = match &d.link.edits {
        Some(e) => match apply_edits(&variant, e) {
            Ok(v) => v,
            Err(err) => {
                notices.push(format!(
                    "the link's edit list no longer applies to {} ({err}); showing {} unedited",
                    variant.info.id, variant.info.id
                ));
                variant
            }
        },
        None => variant,
    };
    let model = Model::new(variant, d.link.scenario.clone());
    let mut run = Run::new(model);
    let total = d.link.choices.len();
    for (i, a) in d.link.choices.iter().enumerate() {
        if let Err(e) = run.step(*a) {
            notices.push(format!(
                "replayed to step {i} of {total}: step {} cannot be taken: {}",
                i + 1,
                e.message
            ));
            break;
        }
    }
    if let Some(m) = &d.other_model {
        notices.push(format!(
            "this link was made with model version {m}; this site runs {}: the steps were replayed against the current model and may differ",
            model_version()
        ));
    }
    if let Some(at) = d.link.at {
        if at > run.len() {
            notices.push(format!(
                "step {at} does not exist; showing step {}",
                run.len()
            ));
        }
        run.jump(at);
    }
    (run, notices)
}

/// The link for a run at its current position, with the given view options.
pub fn link_for(run: &Run, view: BTreeMap<String, String>) -> Link {
    Link {
        variant: run.model.variant.info.id.to_string(),
        scenario: run.model.scenario.clone(),
        choices: run.choices(),
        at: (run.pos() != run.len()).then_some(run.pos()),
        view,
        edits: run.model.variant.edits.clone(),
        challenge: None,
    }
}
