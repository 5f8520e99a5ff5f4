//! Keyboard shortcuts: a pure key → command map (tested natively) and the window listener that
//! runs the commands.
//!
//! | key              | command                                        |
//! |------------------|------------------------------------------------|
//! | ← / →            | step back / forward (forward at the end: policy) |
//! | Home / End       | to the start / end of the run                  |
//! | 1–5              | step the actor in that column                  |
//! | v k r m g        | step that actor                                |
//! | n or .           | step the actor the scheduler policy picks      |
//! | space            | autoplay on/off                                |
//! | [ / ]            | slower / faster                                |
//! | e                | edit mode (the patch playground) on/off        |
//! | ?                | this help                                      |
//! | Esc              | close the help                                 |

use mmrace_core::actor::ActorId;

/// What a key does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Back,
    Forward,
    Start,
    End,
    Step(ActorId),
    PolicyStep,
    TogglePlay,
    Slower,
    Faster,
    ToggleHelp,
    CloseHelp,
    ToggleEdit,
}

/// The documented shortcuts, for the help overlay: (keys, what they do).
pub const SHORTCUTS: &[(&str, &str)] = &[
    (
        "← / →",
        "step back / forward (at the end, → lets the scheduler pick)",
    ),
    ("Home / End", "go to the start / end of the run"),
    ("1 – 5", "step the actor in that column"),
    ("v k r m g", "step V, K, R, M or G"),
    ("n or .", "step the actor the scheduler policy picks"),
    ("Space", "autoplay on / off"),
    ("[ / ]", "slower / faster autoplay"),
    ("e", "edit mode on / off: change the kernel paths, re-check"),
    ("?", "show / hide this help"),
    ("Esc", "close this help"),
];

/// Maps a `KeyboardEvent.key` to a command; `actors` are the scenario's actors in column order.
pub fn command_for_key(key: &str, actors: &[ActorId]) -> Option<Command> {
    Some(match key {
        "ArrowLeft" => Command::Back,
        "ArrowRight" => Command::Forward,
        "Home" => Command::Start,
        "End" => Command::End,
        " " | "Spacebar" => Command::TogglePlay,
        "n" | "N" | "." => Command::PolicyStep,
        "[" => Command::Slower,
        "]" => Command::Faster,
        "?" => Command::ToggleHelp,
        "e" | "E" => Command::ToggleEdit,
        "Escape" => Command::CloseHelp,
        "1" | "2" | "3" | "4" | "5" | "6" | "7" => {
            let i = key.parse::<usize>().ok()? - 1;
            Command::Step(*actors.get(i)?)
        }
        k if k.chars().count() == 1 => {
            let a = ActorId::from_letter(k.chars().next()?)?;
            if !actors.contains(&a) {
                return None;
            }
            Command::Step(a)
        }
        _ => return None,
    })
}

/// Installs the window keydown listener that runs the shortcuts.
pub fn install(s: crate::session::Session) {
    use crate::components::compare_view::use_compare;
    use crate::session::Mode;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    let compare = use_compare();
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let key = ev.key();
        if let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let tag = el.tag_name().to_ascii_lowercase();
            let typing = matches!(tag.as_str(), "input" | "textarea" | "select");
            if typing && key != "Escape" {
                return;
            }
            let activates = matches!(tag.as_str(), "button" | "a" | "summary");
            if activates && (key == " " || key == "Enter") {
                return;
            }
        }
        let actors = s.model.with_untracked(|m| m.scenario.actors());
        let Some(cmd) = command_for_key(&key, &actors) else {
            return;
        };
        if s.help_open.get_untracked() && !matches!(cmd, Command::ToggleHelp | Command::CloseHelp) {
            return;
        }
        ev.prevent_default();
        if s.mode.get_untracked() == Mode::Compare {
            match cmd {
                Command::Back => compare.back(),
                Command::Forward | Command::PolicyStep => compare.forward(),
                Command::Start => compare.to_start(),
                Command::End => compare.to_end(),
                Command::ToggleHelp => s.help_open.update(|h| *h = !*h),
                Command::CloseHelp => s.help_open.set(false),
                _ => {}
            }
            return;
        }
        match cmd {
            Command::Back => s.back(),
            Command::Forward => {
                s.advance();
            }
            Command::Start => s.to_start(),
            Command::End => s.to_end(),
            Command::Step(a) => {
                let _ = s.step(a);
            }
            Command::PolicyStep => {
                if !s.step_by_policy() && s.pos.get_untracked() < s.len.get_untracked() {
                    s.forward();
                }
            }
            Command::TogglePlay => s.playing.update(|p| *p = !*p),
            Command::Slower => s.slower(),
            Command::Faster => s.faster(),
            Command::ToggleHelp => s.help_open.update(|h| *h = !*h),
            Command::CloseHelp => s.help_open.set(false),
            Command::ToggleEdit => crate::components::patch_editor::toggle_edit_mode(s),
        }
    });
    on_cleanup(move || handle.remove());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_toggles_edit_mode() {
        assert_eq!(
            command_for_key("e", &[ActorId::V]),
            Some(Command::ToggleEdit)
        );
    }

    #[test]
    fn numbers_follow_the_columns() {
        let actors = [ActorId::V, ActorId::M];
        assert_eq!(
            command_for_key("2", &actors),
            Some(Command::Step(ActorId::M))
        );
        assert_eq!(command_for_key("3", &actors), None);
    }

    #[test]
    fn letters_step_present_actors_only() {
        let actors = [ActorId::V, ActorId::K, ActorId::R, ActorId::M];
        assert_eq!(
            command_for_key("r", &actors),
            Some(Command::Step(ActorId::R))
        );
        assert_eq!(
            command_for_key("V", &actors),
            Some(Command::Step(ActorId::V))
        );
        assert_eq!(command_for_key("g", &actors), None);
        assert_eq!(command_for_key("x", &actors), None);
    }

    #[test]
    fn navigation_keys() {
        assert_eq!(command_for_key("ArrowLeft", &[]), Some(Command::Back));
        assert_eq!(command_for_key(" ", &[]), Some(Command::TogglePlay));
        assert_eq!(command_for_key("?", &[]), Some(Command::ToggleHelp));
        assert_eq!(command_for_key("n", &[]), Some(Command::PolicyStep));
        assert_eq!(command_for_key("F5", &[]), None);
    }
}
