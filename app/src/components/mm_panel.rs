//! The mm: mmap_lock, the two reference counts, `mm->mmap`, the MMF flags, the victim task and
//! every VMA with its page tables, pages and walkers.

use crate::components::lock_view::LockView;
use crate::components::vma_card::VmaCard;
use leptos::prelude::*;
use mmrace_core::mm::MmFlag;
use mmrace_core::sim::{State, StepInfo};
use mmrace_core::variant::Variant;
use mmrace_core::view::{head_dangles, mm_changes, variant_uses_flag, ChangeKind};

/// The `mm->flags` bits a variant's kernel does not have.
pub fn absent_flags_of(v: &Variant) -> Vec<MmFlag> {
    MmFlag::ALL
        .into_iter()
        .filter(|f| !variant_uses_flag(v, *f))
        .collect()
}

/// The simulated `struct mm_struct` in `state`; `last` is the step that produced it.
#[component]
pub fn MmPanel(
    #[prop(into)] state: Signal<State>,
    #[prop(into)] last: Signal<Option<(usize, StepInfo)>>,
    /// The state before `last` (to show what it changed), if known.
    #[prop(optional, into)]
    before: Option<Signal<Option<State>>>,
    /// A denser layout for half-width use (compare mode).
    #[prop(optional)]
    compact: bool,
    /// Flags the variant's kernel does not have (default: from the session's model).
    #[prop(optional, into)]
    absent_flags: Option<Signal<Vec<MmFlag>>>,
) -> impl IntoView {
    let s = use_context::<crate::session::Session>();
    let before = before.unwrap_or_else(|| {
        Signal::derive(move || {
            let s = s?;
            s.run
                .with(|r| (r.pos() > 0).then(|| *r.state_at(r.pos() - 1)))
        })
    });
    let absent = absent_flags.unwrap_or_else(|| {
        Signal::derive(move || {
            s.map(|s| s.model.with(|m| absent_flags_of(&m.variant)))
                .unwrap_or_default()
        })
    });
    let changed = Memo::new(move |_| {
        let after = state.get();
        before
            .get()
            .map(|b| mm_changes(&b, &after))
            .unwrap_or_default()
    });
    let changed_kind = move |k: ChangeKind| changed.with(|c| c.iter().any(|x| x.kind == k));
    let count_cell = move |label: &'static str,
                           testid: &'static str,
                           get: fn(&State) -> i8,
                           what: &'static str| {
        // One reader of the state per counter (the attribute and the text read the memo): every
        // reader of the state runs again at every step.
        let value = Memo::new(move |_| get(&state.get()).to_string());
        view! {
            <div class=move || if changed_kind(ChangeKind::Refcount) { "counter maybe-changed" } else { "counter" }
                data-testid=testid title=what>
                <span class="counter-name">{label}</span>
                <span class="counter-value" data-value=move || value.get()>
                    {move || value.get()}
                </span>
            </div>
        }
    };
    let vma_count = Memo::new(move |_| state.get().mm.vma_count());
    // The set flags as a bit mask (bit i: `MmFlag::ALL[i]`): the flags' 28 attributes and texts
    // read this one memo, which changes a few times a run, instead of each reading the state.
    let flag_bits = Memo::new(move |_| {
        let st = state.get();
        MmFlag::ALL
            .into_iter()
            .enumerate()
            .filter(|(_, f)| st.mm.test_bit(*f))
            .fold(0usize, |bits, (i, _)| bits | 1 << i)
    });
    let dangles = Memo::new(move |_| head_dangles(&state.get()));
    view! {
        <section class=if compact { "mm-panel compact" } else { "mm-panel" } data-testid="mm-panel" aria-label="The mm_struct">
            <LockView state=state last=last/>
            <div class="mm-core">
                <h2 class="panel-title">"mm_struct"
                    {move || state.get().mm.freed.then(|| view! { <span class="freed-chip" data-testid="mm-freed">"☠ FREED"</span> })}
                </h2>
                <div class="counters">
                    {count_cell("mm_users", "mm-users", |s| s.mm.users, "mm_users: pins the address space (VMAs and page tables)")}
                    {count_cell("mm_count", "mm-count", |s| s.mm.count, "mm_count: pins the struct mm_struct itself")}
                </div>
                <p class=move || if dangles.get() { "mm-head dangling" } else { "mm-head" }
                    data-testid="mm-head"
                    data-dangling=move || dangles.get().to_string()>
                    <code>"mm->mmap"</code>
                    " → "
                    {move || {
                        let st = state.get();
                        match st.mm.head {
                            None => "NULL".to_string(),
                            Some(v) if !st.mm.vma(v).live => format!("{} ⚠ dangling: that VMA is freed", st.mm.vma_name(v)),
                            Some(v) => st.mm.vma_name(v).to_string(),
                        }
                    }}
                </p>
                <p class="mm-misc">{move || format!("locked_vm {} pages", state.get().mm.locked_vm)}</p>
                <p class="mm-misc">
                    {move || {
                        let st = state.get();
                        format!(
                            "task->mm {} · {}",
                            if st.task.has_mm { "set" } else { "NULL" },
                            match st.task.task_lock {
                                Some(a) => format!("task_lock held by {a}"),
                                None => "task_lock free".into(),
                            }
                        )
                    }}
                </p>
            </div>
            <div class="flags-box">
            <h2 class="panel-title">"mm->flags"</h2>
            <ul class="flags" data-testid="mm-flags" aria-label="mm->flags">
                {MmFlag::ALL
                    .into_iter()
                    .enumerate()
                    .map(|(i, f)| {
                        let set = move || flag_bits.get() & 1 << i != 0;
                        let gone = move || absent.with(|a| a.contains(&f));
                        view! {
                            <li class=move || if gone() { "flag absent" } else if set() { "flag set" } else { "flag clear" }
                                data-testid="mm-flag" data-flag=f.name() data-set=move || set().to_string()
                                title=move || if gone() { "this kernel has no such flag" } else { "" }>
                                <span class="flag-box" aria-hidden="true">{move || if gone() { "–" } else if set() { "■" } else { "□" }}</span>
                                <code>{f.name()}</code>
                                <span class="flag-state">
                                    {move || if gone() { "not in this kernel" } else if set() { "set" } else { "clear" }}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            </div>
            <ol class="vmas" data-testid="vmas" aria-label="VMAs in vm_next order">
                {move || (0..vma_count.get() as u8).map(|i| view! { <VmaCard state=state idx=i/> }).collect_view()}
            </ol>
            <p class="mm-changes" data-testid="mm-changes">
                {move || {
                    let c = changed.get();
                    if c.is_empty() {
                        String::new()
                    } else {
                        format!("Changed: {}", c.iter().map(|x| x.text.as_str()).collect::<Vec<_>>().join("; "))
                    }
                }}
            </p>
        </section>
    }
}
