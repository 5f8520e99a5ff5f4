//! SVG exports: the lock-and-refcount timeline of a run and a schematic of the current state.
//!
//! Pure string building (no web dependencies), so the same picture is produced natively and in
//! the browser, and tests can check it. Every mark carries a `<title>` with its meaning in words,
//! colours are from the Okabe–Ito palette, and holds are distinguished by pattern as well as
//! colour (write holds are hatched, waits are dashed outlines).

use crate::actor::ActorId;
use crate::mm::PageTables;
use crate::run::Run;
use crate::sim::LockOutcome;
use crate::view::{hold, mm_changes, Hold};
use std::fmt::Write;

const CELL: usize = 16;
const LANE: usize = 34;
const LEFT: usize = 190;
const TOP: usize = 40;
/// Longest run drawn step by step; longer runs show their last steps.
pub const MAX_STEPS: usize = 1500;

/// Escapes text for XML and HTML, in text or in a quoted attribute (the SVG exports, the embed
/// snippet).
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

const STYLE: &str = "<style>text{font-family:system-ui,sans-serif;font-size:12px;fill:#111}.lbl{font-weight:600}.g{font-size:10px}.v{fill:#fff;font-weight:700}</style>\
<defs><pattern id='hatch' width='6' height='6' patternUnits='userSpaceOnUse' patternTransform='rotate(45)'><rect width='6' height='6' fill='#D55E00'/><line x1='0' y1='0' x2='0' y2='6' stroke='#fff' stroke-width='2'/></pattern></defs>";

/// The timeline of `run` up to its current position as a standalone SVG document.
pub fn timeline(run: &Run) -> String {
    let steps = run.steps_so_far();
    let first = steps.len().saturating_sub(MAX_STEPS);
    let actors: Vec<ActorId> = ActorId::ALL
        .into_iter()
        .filter(|a| run.state().actor(*a).present)
        .collect();
    let n = steps.len() - first;
    let width = LEFT + n.max(1) * CELL + 20;
    let height = TOP + (actors.len() + 1) * LANE + 30;
    let m = &run.model;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' viewBox='0 0 {width} {height}' role='img' aria-labelledby='t d'>\
<title id='t'>mmrace timeline: {} · {}</title><desc id='d'>One lane per actor, one column per step ({} to {}). Blue bars: holds mmap_lock for read; hatched orange: holds it for write; dashed outline: queued for it; ×: failed trylock; !: an invariant fired. The mm lane shows refcount, flag and page-table changes.</desc>{STYLE}<rect width='100%' height='100%' fill='#fff'/>",
        esc(m.variant.info.id),
        esc(&m.scenario.name()),
        first + 1,
        steps.len()
    );
    let _ = write!(
        s,
        "<text x='8' y='20' class='lbl'>{} · {} · steps {}–{}</text>",
        esc(m.variant.info.id),
        esc(&m.scenario.name()),
        first + 1,
        steps.len()
    );
    for (row, a) in actors.iter().enumerate() {
        let y = TOP + row * LANE;
        let _ = write!(
            s,
            "<text x='8' y='{}' class='lbl'>{a} {}</text>",
            y + LANE / 2 + 4,
            esc(a.title())
        );
        let _ = write!(
            s,
            "<line x1='{LEFT}' y1='{}' x2='{}' y2='{}' stroke='#ccc'/>",
            y + LANE - 2,
            width - 10,
            y + LANE - 2
        );
        for (k, info) in steps.iter().enumerate().skip(first) {
            let x = LEFT + (k - first) * CELL;
            let after = run.state_at(k + 1);
            let label = esc(&m.label(info, run.state_at(k)));
            match hold(after, *a) {
                Hold::Read => {
                    let _ = write!(s, "<rect x='{x}' y='{}' width='{CELL}' height='10' fill='#0072B2'><title>step {}: {a} holds mmap_lock for read</title></rect>", y + 8, k + 1);
                }
                Hold::Write => {
                    let _ = write!(s, "<rect x='{x}' y='{}' width='{CELL}' height='10' fill='url(#hatch)'><title>step {}: {a} holds mmap_lock for write</title></rect>", y + 8, k + 1);
                }
                Hold::QueuedRead | Hold::QueuedWrite => {
                    let _ = write!(s, "<rect x='{}' y='{}' width='{}' height='9' fill='none' stroke='#E69F00' stroke-dasharray='3 2'><title>step {}: {a} is queued for mmap_lock</title></rect>", x + 1, y + 8, CELL - 2, k + 1);
                }
                Hold::None => {}
            }
            if info.actor == *a {
                let _ = write!(s, "<circle cx='{}' cy='{}' r='3' fill='#111'><title>step {}: {a} {label}</title></circle>", x + CELL / 2, y + 24, k + 1);
                if info.lock == Some(LockOutcome::TrylockFailed) {
                    let _ = write!(s, "<text x='{}' y='{}' class='lbl'>×<title>step {}: {a} mmap_read_trylock failed</title></text>", x + 3, y + 6, k + 1);
                }
                for v in &info.violations {
                    let _ = write!(s, "<g><rect x='{}' y='{}' width='{}' height='14' fill='#CC0000'/><text x='{}' y='{}' class='v'>!</text><title>step {}: {} {} at {a} {label}</title></g>", x + 1, y - 4, CELL - 2, x + 6, y + 7, k + 1, v.inv.id(), esc(v.inv.name()));
                }
            }
        }
    }
    let y = TOP + actors.len() * LANE;
    let _ = write!(
        s,
        "<text x='8' y='{}' class='lbl'>mm</text>",
        y + LANE / 2 + 4
    );
    for (k, _) in steps.iter().enumerate().skip(first) {
        let x = LEFT + (k - first) * CELL;
        let ch = mm_changes(run.state_at(k), run.state_at(k + 1));
        for (j, c) in ch.iter().take(2).enumerate() {
            let _ = write!(
                s,
                "<text x='{x}' y='{}' class='g'>{}<title>step {}: {}</title></text>",
                y + 12 + 11 * j,
                esc(&c.glyph),
                k + 1,
                esc(&c.text)
            );
        }
    }
    for k in (first..steps.len()).step_by(10) {
        let x = LEFT + (k - first) * CELL;
        let _ = write!(
            s,
            "<text x='{x}' y='{}' class='g'>{}</text>",
            height - 8,
            k + 1
        );
    }
    s.push_str("</svg>");
    s
}

/// A schematic of the current state: refcounts, flags, mmap_lock and the VMAs.
pub fn state(run: &Run) -> String {
    let st = run.state();
    let mm = &st.mm;
    let m = &run.model;
    let (w, h) = (760, 300);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='{h}' viewBox='0 0 {w} {h}' role='img' aria-labelledby='t'><title id='t'>mmrace state after step {} of {} ({})</title>{STYLE}<rect width='100%' height='100%' fill='#fff'/>",
        run.pos(),
        run.len(),
        esc(m.variant.info.id)
    );
    let _ = write!(
        s,
        "<text x='12' y='22' class='lbl'>{} · {} · step {} of {}</text>",
        esc(m.variant.info.id),
        esc(&m.scenario.name()),
        run.pos(),
        run.len()
    );
    let _ = write!(
        s,
        "<rect x='12' y='36' width='400' height='110' fill='none' stroke='#111'/><text x='20' y='56' class='lbl'>mm_struct{}</text><text x='20' y='78'>mm_users = {}</text><text x='20' y='98'>mm_count = {}</text><text x='20' y='118'>flags: {}</text><text x='20' y='138'>mm-&gt;mmap = {}</text>",
        if mm.freed { " (FREED)" } else { "" },
        mm.users,
        mm.count,
        esc(&if mm.flag_names().is_empty() { "none".to_string() } else { mm.flag_names().iter().map(|f| f.trim_start_matches("MMF_")).collect::<Vec<_>>().join(" ") }),
        esc(&crate::trace::summarize(st).mmap)
    );
    let l = &mm.mmap_lock;
    let readers: Vec<String> = l.readers().map(|a| a.to_string()).collect();
    let queue: Vec<String> = l
        .waiters()
        .map(|w| format!("{}:{}", w.actor, if w.kind.is_read() { "R" } else { "W" }))
        .collect();
    let _ = write!(
        s,
        "<rect x='428' y='36' width='320' height='110' fill='none' stroke='#111'/><text x='436' y='56' class='lbl'>mmap_lock</text><text x='436' y='78'>writer: {}</text><text x='436' y='98'>readers: {}</text><text x='436' y='118'>queue: {}</text>",
        l.writer.map_or("-".to_string(), |a| a.to_string()),
        if readers.is_empty() { "-".into() } else { readers.join(", ") },
        if queue.is_empty() { "empty".into() } else { queue.join(" → ") }
    );
    for (i, v) in mm.vmas.iter().flatten().enumerate() {
        let x = 12 + i * 185;
        let (fill, pt) = match v.pt {
            PageTables::Present => ("#fff", "page tables PRESENT"),
            PageTables::Detached => ("#F0E442", "page tables DETACHED"),
            PageTables::Freed => ("#E69F00", "page tables FREED"),
        };
        let walkers: Vec<String> = crate::view::walkers_at(st, i as u8)
            .into_iter()
            .map(|(a, z)| format!("{a}{}", if z { " (zapping)" } else { "" }))
            .collect();
        let _ = write!(
            s,
            "<rect x='{x}' y='170' width='175' height='112' fill='{fill}' stroke='#111' {}/><text x='{}' y='190' class='lbl'>VMA {}{}</text><text x='{}' y='210' class='g'>{}</text><text x='{}' y='228'>{pt}</text><text x='{}' y='246'>pages {}</text><text x='{}' y='264'>{}</text>",
            if v.live { "" } else { "stroke-dasharray='5 3'" },
            x + 8, v.kind.letter(), if v.live { "" } else { " — FREED" },
            x + 8, esc(&crate::mm::vm_flags_names(v.flags)),
            x + 8,
            x + 8, if v.mapped { "mapped" } else { "unmapped" },
            x + 8, esc(&if walkers.is_empty() { String::new() } else { format!("walker: {}", walkers.join(", ")) }),
        );
    }
    s.push_str("</svg>");
    s
}
