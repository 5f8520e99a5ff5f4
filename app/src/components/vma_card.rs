//! One VMA: its kind and vm_flags, page tables (PRESENT → DETACHED → FREED), whether its pages
//! are mapped, whether the vm_area_struct is live, a munlock in progress, `mm->mmap` pointing
//! at it, and which actors' walks are at it.

use crate::text::pt_label;
use leptos::prelude::*;
use mmrace_core::mm::{vm_flags_names, VmaIdx};
use mmrace_core::sim::State;
use mmrace_core::view::walkers_at;

/// VMA number `idx` (in vm_next order) of `state`'s mm.
#[component]
pub fn VmaCard(#[prop(into)] state: Signal<State>, idx: VmaIdx) -> impl IntoView {
    let vma = Memo::new(move |_| *state.get().mm.vma(idx));
    let walkers = Memo::new(move |_| {
        let st = state.get();
        walkers_at(&st, idx)
            .into_iter()
            .map(|(a, zapping)| {
                if zapping {
                    format!("{a} ⚡ zapping")
                } else if st.exit_mmap_owner() == Some(a) && !st.actor(a).in_walk() {
                    format!("{a} ⚙ exit_mmap")
                } else {
                    format!("{a} ▸ walking")
                }
            })
            .collect::<Vec<_>>()
    });
    let is_head = Memo::new(move |_| state.get().mm.head == Some(idx));
    view! {
        <li
            class=move || {
                let v = vma.get();
                format!(
                    "vma pt-{}{}{}",
                    pt_label(v.pt).2,
                    if v.live { "" } else { " vma-freed" },
                    if v.munlock_busy { " munlocking" } else { "" }
                )
            }
            data-testid="vma"
            data-vma=move || vma.get().kind.letter().to_string()
            data-pt=move || pt_label(vma.get().pt).2
            data-live=move || vma.get().live.to_string()
            data-mapped=move || vma.get().mapped.to_string()
        >
            <p class="vma-title">
                <span class="vma-letter">{move || vma.get().kind.letter().to_string()}</span>
                <span class="vma-kind" title=move || vma.get().kind.describe()>{move || vma.get().kind.short()}</span>
                {move || is_head.get().then(|| view! { <span class="head-mark" title="mm->mmap points here">"◀ mm->mmap"</span> })}
            </p>
            <p class="vma-flags"><code>{move || vm_flags_names(vma.get().flags)}</code></p>
            <p class="vma-pt" data-testid="vma-pt">
                <span aria-hidden="true">{move || pt_label(vma.get().pt).0}</span>
                " page tables "
                <strong>{move || pt_label(vma.get().pt).1}</strong>
            </p>
            <p class="vma-pages">
                {move || {
                    let v = vma.get();
                    if v.mapped { format!("{} pages mapped", v.kind.pages()) } else { "pages unmapped".to_string() }
                }}
            </p>
            <p class="vma-live" data-testid="vma-live">
                {move || if vma.get().live { "vm_area_struct live".to_string() } else { "✖ vm_area_struct FREED".to_string() }}
            </p>
            {move || vma.get().munlock_busy.then(|| view! { <p class="vma-munlock">"⚙ munlock in progress"</p> })}
            <p class="vma-walkers" data-testid="vma-walkers">
                {move || walkers.get().join(" · ")}
            </p>
        </li>
    }
}
