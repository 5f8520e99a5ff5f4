//! Small presentation helpers: splitting a pseudo-code line from its comment, glyphs and
//! labels for states. No model logic lives here.

use mmrace_core::mm::PageTables;
use mmrace_core::variant::Change;
use mmrace_core::view::{Hold, StatusKind};

/// Splits `code /* comment */` into the code and the comment (without the delimiters).
pub fn split_comment(line: &str) -> (&str, Option<&str>) {
    match line.find("/*") {
        Some(i) if i > 0 => {
            let code = line[..i].trim_end();
            let rest = line[i + 2..].trim();
            let comment = rest.strip_suffix("*/").unwrap_or(rest).trim();
            (code, (!comment.is_empty()).then_some(comment))
        }
        _ => (line, None),
    }
}

/// A glyph for an actor status (shown next to its text, never alone).
pub fn status_glyph(k: StatusKind) -> &'static str {
    match k {
        StatusKind::Runnable => "▶",
        StatusKind::QueuedRead | StatusKind::QueuedWrite => "‖",
        StatusKind::SpinningTaskLock => "↻",
        StatusKind::Sleeping => "☾",
        StatusKind::UserSpace => "⌂",
        StatusKind::Done => "✓",
        StatusKind::Absent => "–",
    }
}

/// Page-table state: glyph, text and CSS slug.
pub fn pt_label(p: PageTables) -> (&'static str, &'static str, &'static str) {
    match p {
        PageTables::Present => ("▦", "PRESENT", "present"),
        PageTables::Detached => ("◩", "DETACHED", "detached"),
        PageTables::Freed => ("☒", "FREED", "freed"),
    }
}

/// Patch mark for a line: gutter symbol, CSS slug and a description.
pub fn change_mark(c: Change) -> Option<(&'static str, &'static str, &'static str)> {
    match c {
        Change::Same => None,
        Change::Added => Some(("+", "added", "added by this variant")),
        Change::Removed => Some(("−", "removed", "removed by this variant")),
        Change::Changed => Some(("±", "changed", "changed by this variant")),
        Change::Moved => Some(("↕", "moved", "moved by this variant")),
    }
}

/// Short lock-hold text for a timeline cell.
pub fn hold_letter(h: Hold) -> &'static str {
    match h {
        Hold::None => "",
        Hold::Read => "R",
        Hold::Write => "W",
        Hold::QueuedRead => "r…",
        Hold::QueuedWrite => "w…",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_trailing_comments() {
        assert_eq!(
            split_comment("mmap_write_lock(mm);  /* taken unconditionally */"),
            ("mmap_write_lock(mm);", Some("taken unconditionally"))
        );
        assert_eq!(split_comment("return ret;"), ("return ret;", None));
        assert_eq!(
            split_comment("/* back to the first vma */"),
            ("/* back to the first vma */", None)
        );
    }
}
