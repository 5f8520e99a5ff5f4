//! `mm->mmap_lock`: the writer, the readers, the FIFO wait queue in order, and a visible flash
//! when a `mmap_read_trylock` fails.

use leptos::prelude::*;
use mmrace_core::sim::{LockOutcome, State, StepInfo};

/// The rw_semaphore in `state`; flashes when `last` was a failed trylock.
#[component]
pub fn LockView(
    #[prop(into)] state: Signal<State>,
    #[prop(into)] last: Signal<Option<(usize, StepInfo)>>,
) -> impl IntoView {
    let writer = move || state.get().mm.mmap_lock.writer;
    let readers = move || {
        state
            .get()
            .mm
            .mmap_lock
            .readers()
            .map(|a| a.to_string())
            .collect::<Vec<_>>()
    };
    let queue = move || {
        state
            .get()
            .mm
            .mmap_lock
            .waiters()
            .map(|w| (w.actor, w.kind.is_read()))
            .collect::<Vec<_>>()
    };
    let trylock_failed = Memo::new(move |_| {
        last.get()
            .filter(|(_, i)| i.lock == Some(LockOutcome::TrylockFailed))
            .map(|(p, i)| (p, i.actor))
    });
    view! {
        <div class=move || {
                let st = state.get();
                let l = &st.mm.mmap_lock;
                if l.writer.is_some() { "lock write-held" } else if l.has_readers() { "lock read-held" } else { "lock free" }
            }
            data-testid="mmap-lock">
            <h2 class="panel-title">"mmap_lock"</h2>
            <p class="lock-row">
                <span class="lock-key">"writer"</span>
                <span class="lock-val writer" data-testid="lock-writer">
                    {move || writer().map_or("—".to_string(), |a| format!("✎ {a}"))}
                </span>
            </p>
            <p class="lock-row">
                <span class="lock-key">"readers"</span>
                <span class="lock-val readers" data-testid="lock-readers">
                    {move || { let r = readers(); if r.is_empty() { "—".to_string() } else { r.join(", ") } }}
                </span>
            </p>
            <div class="lock-row">
                <span class="lock-key">"queue"</span>
                <ol class="lock-queue" data-testid="lock-queue" aria-label="wait queue, oldest first">
                    {move || {
                        let q = queue();
                        if q.is_empty() {
                            view! { <li class="empty">"empty"</li> }.into_any()
                        } else {
                            q.into_iter()
                                .enumerate()
                                .map(|(i, (a, read))| view! {
                                    <li class=if read { "waiter read" } else { "waiter write" } data-actor=a.to_string()>
                                        {format!("{}. {a}:{}", i + 1, if read { "read" } else { "write" })}
                                    </li>
                                })
                                .collect_view()
                                .into_any()
                        }
                    }}
                </ol>
            </div>
            {move || {
                trylock_failed.get().map(|(p, a)| {
                    view! {
                        <p class="trylock-flash" data-testid="trylock-flash" data-pos=p.to_string()>
                            <span aria-hidden="true">"✗ "</span>
                            {format!("{a}: mmap_read_trylock failed")}
                        </p>
                    }
                })
            }}
        </div>
    }
}
