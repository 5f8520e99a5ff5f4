//! The UI components, one per file, named in the kernel's vocabulary.

pub mod actor_column;
pub mod app_header;
pub mod code_listing;
pub mod compare_view;
pub mod embed;
pub mod explore_panel;
pub mod export;
pub mod help_overlay;
pub mod lock_view;
pub mod mm_panel;
pub mod narration;
pub mod policy_picker;
pub mod scenario_picker;
pub mod schedule_panel;
pub mod share;
pub mod stage;
pub mod step_list;
pub mod talk;
pub mod theme_toggle;
pub mod timeline;
pub mod transport;
pub mod variant_picker;
pub mod violation_alert;
pub mod vma_card;
