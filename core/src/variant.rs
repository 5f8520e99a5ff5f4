//! Variants: the four real kernel versions, and the instructive buggy variants, each a small
//! visible edit of its base (spec §6.7).
//!
//! A real variant lists the programs its release has (from `kernel/`); a buggy variant is its
//! base plus a list of [`Edit`]s (delete, move, replace or insert steps). [`Variant::diff`]
//! computes, per program, which lines were added, removed, changed or moved relative to the
//! base, for the UI's patch view and `mmrace program`.

use crate::kernel::{
    exit_mm, exit_mmap, oom_kill, oom_reaper, proc_reader, process_mrelease, reap,
};
use crate::mm::MmFlag;
use crate::program::{to, Op, ProgId, Program, ProgramDef, Source, StepDef, Target, N_PROGS};
use serde::Serialize;

/// Whether a variant is a real kernel state or an instructive bug.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Kind {
    Real,
    /// A bug that existed in a released or -rc kernel.
    HistoricalBug,
    /// A plausible mistake that shows why an ordering matters.
    HypotheticalBug,
}

/// Static description of a variant.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct VariantInfo {
    /// Stable id used by the CLI, links and tests.
    pub id: &'static str,
    pub kind: Kind,
    /// The variant this one is a diff against.
    pub base: Option<&'static str>,
    /// The kernel tag whose source the steps link to.
    pub tag: &'static str,
    /// The kernel release(s) this shape corresponds to.
    pub kernel: &'static str,
    /// The commits that make this variant differ from its base.
    pub commits: &'static [&'static str],
    pub title: &'static str,
    pub summary: &'static str,
}

pub const VARIANTS: &[VariantInfo] = &[
    VariantInfo {
        id: "v5.16",
        kind: Kind::Real,
        base: None,
        tag: "v5.16",
        kernel: "v5.15.16 / v5.16 (pre-patch)",
        commits: &["27ae357fa82b", "4837fe37adff", "337546e83fc7"],
        title: "v5.16: before the patch",
        summary: "exit_mmap frees page tables and VMAs with no mmap_lock; the reaper is kept out by MMF_OOM_SKIP plus an empty write lock/unlock barrier, process_mrelease by pinning mm_users.",
    },
    VariantInfo {
        id: "v5.17-rc1",
        kind: Kind::HistoricalBug,
        base: Some("v5.16"),
        tag: "v5.17-rc1",
        kernel: "v5.17-rc1 … rc5",
        commits: &["64591e8605d6", "ba535c1caf3e"],
        title: "v5.17-rc1: the patch, without the mm->mmap fix",
        summary: "exit_mmap holds mmap_write_lock from unlock_range through remove_vma; process_mrelease returns to mmgrab with a SKIP re-check under the lock — but mm->mmap is left pointing at a freed VMA (the syzbot use-after-free).",
    },
    VariantInfo {
        id: "v5.17",
        kind: Kind::Real,
        base: Some("v5.17-rc1"),
        tag: "v5.17",
        kernel: "v5.17",
        commits: &["f798a1d4f94d"],
        title: "v5.17: the patch and its fix",
        summary: "As v5.17-rc1 plus mm->mmap = NULL before mmap_write_unlock, so a late walker finds no VMAs.",
    },
    VariantInfo {
        id: "v6.1",
        kind: Kind::Real,
        base: Some("v5.17"),
        tag: "v6.1",
        kernel: "v6.1",
        commits: &["a213e5cf71cb", "e4a38402c36e", "bf3980c85212", "b3541d912a84"],
        title: "v6.1: the follow-ups",
        summary: "No munlock in exit_mmap, the reaper reaps VM_LOCKED; no OOM block or MMF_OOM_VICTIM; unmap_vmas under mmap_read_lock, MMF_OOM_SKIP set unconditionally, the write lock only for free_pgtables and remove_vma; maple tree.",
    },
    VariantInfo {
        id: "b1-no-barrier",
        kind: Kind::HypotheticalBug,
        base: Some("v5.16"),
        tag: "v5.16",
        kernel: "hypothetical: 212925802454's unpinned reaper without its barrier",
        commits: &["212925802454 (the pin removed and the barrier added together)"],
        title: "B1: no SKIP + write-lock barrier (never shipped)",
        summary: "What the SKIP + empty write lock/unlock barrier is for. Up to 4.13 the reaper pinned mm_users (mmget_not_zero … mmput_async), so exit_mmap could not start under it; 212925802454 dropped the pin and added the barrier in the same commit, so this shape never shipped. Without the barrier, a reaper already inside its walk keeps walking while exit_mmap frees page tables and VMAs.",
    },
    VariantInfo {
        id: "b2-skip-after-unlock",
        kind: Kind::HypotheticalBug,
        base: Some("v5.16"),
        tag: "v5.16",
        kernel: "hypothetical",
        commits: &[],
        title: "B2: MMF_OOM_SKIP set after the barrier",
        summary: "The barrier runs before set_bit(MMF_OOM_SKIP): a reaper can take the read lock between the unlock and the set_bit, see SKIP clear and walk while exit_mmap frees.",
    },
    VariantInfo {
        id: "b3-skip-check-outside-lock",
        kind: Kind::HypotheticalBug,
        base: Some("v5.16"),
        tag: "v5.16",
        kernel: "hypothetical (the shape of 5.15-rc1 process_mrelease)",
        commits: &[],
        title: "B3: the reaper tests SKIP before its trylock",
        summary: "The reaper tests MMF_OOM_SKIP before mmap_read_trylock instead of under it: exit_mmap can set SKIP and pass its barrier in between.",
    },
    VariantInfo {
        id: "b4-mrelease-mmgrab",
        kind: Kind::HistoricalBug,
        base: Some("v5.16"),
        tag: "v5.15-rc1",
        kernel: "v5.15-rc1 (884a7e5964e0)",
        commits: &["884a7e5964e0", "337546e83fc7 (the fix)"],
        title: "B4: process_mrelease with mmgrab only (5.15-rc1)",
        summary: "process_mrelease pins only mm_count and tests SKIP once before the lock, against the lockless pre-patch exit_mmap: free_pgtables runs under its walk.",
    },
    VariantInfo {
        id: "b6-munlock-first",
        kind: Kind::HistoricalBug,
        base: Some("v5.16"),
        tag: "v5.16",
        kernel: "v4.15 … v4.16 (the 4.14–4.16 order; v4.14 itself is b7)",
        commits: &["4837fe37adff", "27ae357fa82b (the fix)"],
        title: "B6: munlock before the OOM barrier (4.15–4.16)",
        summary: "The real 4.15–4.16 exit_mmap: munlock with no lock, then unmap_vmas, then if (mm_is_oom_victim) { set MMF_OOM_SKIP; down_write; up_write }, then free_pgtables; no self-reap. munlock clears VM_LOCKED, so the reaper no longer skips L and zaps it while munlock walks it (fixed by 27ae357fa82b).",
    },
    VariantInfo {
        id: "b7-victim-by-task",
        kind: Kind::HistoricalBug,
        base: Some("b6-munlock-first"),
        tag: "v5.16",
        kernel: "v4.14 (212925802454)",
        commits: &["212925802454", "4837fe37adff (the fix)"],
        title: "B7: OOM victim tested on current, not on the mm (4.14)",
        summary: "The real 4.14 exit_mmap: as b6, but set_bit(MMF_OOM_SKIP) is unconditional after unmap_vmas and only the empty write lock/unlock is gated by tsk_is_oom_victim(current): when the last mmput comes from another task (a /proc reader, process_mrelease), the barrier is skipped and a reaper already inside its walk meets freed page tables.",
    },
    VariantInfo {
        id: "b8-munlock-outside-lock",
        kind: Kind::HypotheticalBug,
        base: Some("v5.17"),
        tag: "v5.17",
        kernel: "hypothetical (why the changelog keeps unlock_range under the lock)",
        commits: &[],
        title: "B8: post-patch munlock outside the write lock",
        summary: "unlock_range runs before mmap_write_lock: a walker holding the read lock reaches the VMA whose VM_LOCKED munlock just cleared.",
    },
];

/// One edit of a base variant's programs.
#[derive(Clone, Debug)]
pub enum Edit {
    /// Remove these steps.
    Delete(ProgId, &'static [&'static str]),
    /// Move the contiguous steps `first..=last` to just before `before`.
    Move {
        prog: ProgId,
        first: &'static str,
        last: &'static str,
        before: &'static str,
    },
    /// Replace one step's op (and text) in place.
    Replace(ProgId, StepDef<Target>),
    /// Insert steps before `before`.
    InsertBefore(ProgId, &'static str, Vec<StepDef<Target>>),
    /// Insert steps after `after`.
    InsertAfter(ProgId, &'static str, Vec<StepDef<Target>>),
    /// Move one step to just after `after`.
    MoveAfter {
        prog: ProgId,
        id: &'static str,
        after: &'static str,
    },
    /// Insert a copy of step `id`, with id `new_id`, right after it.
    Duplicate {
        prog: ProgId,
        id: &'static str,
        new_id: &'static str,
    },
    /// Replace a whole program (a different historical shape of the same function).
    Program(ProgramDef),
}

/// A fully built variant.
#[derive(Clone, Debug)]
pub struct Variant {
    pub info: VariantInfo,
    pub defs: Vec<ProgramDef>,
    pub programs: Vec<Program>,
    /// The user's edit list applied on top of the variant `info.id` names (the patch
    /// playground); `None` for a variant as shipped.
    pub edits: Option<String>,
}

fn real_defs(id: &str) -> Option<Vec<ProgramDef>> {
    let reaper = if id == "v6.1" {
        oom_reaper::with_timer()
    } else {
        oom_reaper::program()
    };
    let (kill, mrelease, mmput, walk) = match id {
        "v5.16" => (
            oom_kill::v5_16(),
            process_mrelease::v5_16(),
            exit_mmap::v5_16(),
            reap::mmap_list(),
        ),
        "v5.17-rc1" => (
            oom_kill::v5_16(),
            process_mrelease::v5_17(),
            exit_mmap::v5_17_rc1(),
            reap::mmap_list(),
        ),
        "v5.17" => (
            oom_kill::v5_16(),
            process_mrelease::v5_17(),
            exit_mmap::v5_17(),
            reap::mmap_list(),
        ),
        "v6.1" => (
            oom_kill::v6_1(),
            process_mrelease::v5_17(),
            exit_mmap::v6_1(),
            reap::maple_tree(),
        ),
        _ => return None,
    };
    Some(vec![
        exit_mm::program(),
        kill,
        reaper,
        mrelease,
        proc_reader::program(),
        mmput,
        walk,
    ])
}

fn src(func: &'static str, file: &'static str, since: &'static str) -> Source {
    Source { func, file, since }
}

/// The edits that make a buggy variant from its base.
pub fn edits(id: &str) -> Option<Vec<Edit>> {
    Some(match id {
        "b1-no-barrier" => vec![Edit::Delete(
            ProgId::Mmput,
            &["set_skip", "barrier_lock", "barrier_unlock"],
        )],
        "b2-skip-after-unlock" => vec![Edit::Move {
            prog: ProgId::Mmput,
            first: "set_skip",
            last: "set_skip",
            before: "victim_end",
        }],
        "b3-skip-check-outside-lock" => vec![
            Edit::Delete(ProgId::OomReaper, &["test_skip"]),
            Edit::InsertBefore(
                ProgId::OomReaper,
                "ret_true",
                vec![StepDef {
                    id: "skip_early",
                    label: "test_bit(MMF_OOM_SKIP)",
                    code: "if (test_bit(MMF_OOM_SKIP, &mm->flags)) goto done;  /* BUG: before the trylock */",
                    indent: 1,
                    op: Op::TestBit {
                        flag: MmFlag::OomSkip,
                        if_set: to("done"),
                        if_clear: Target::Next,
                    },
                    // The real SKIP test (212925802454) in a place it never had.
                    src: src("oom_reap_task_mm", "mm/oom_kill.c", "212925802454"),
                }],
            ),
        ],
        "b4-mrelease-mmgrab" => vec![Edit::Program(process_mrelease::v5_15_rc1())],
        // v4.15–v4.16 exit_mmap: the munlock loop inline (no locked_vm accounting), then
        // unmap_vmas, then the OOM block with no self-reap (that came with 27ae357fa82b).
        "b6-munlock-first" => {
            let base = exit_mmap::v5_16();
            let step = |id: &str| base.steps[base.position(id).expect("a v5.16 exit_mmap step")];
            let mut first = step("munlock_first");
            first.code = "vma = mm->mmap; while (vma) {  /* inline in exit_mmap */";
            first.src.func = "exit_mmap";
            let mut next = step("munlock_next");
            next.code = "vma = vma->vm_next; }";
            next.src.func = "exit_mmap";
            // set_skip keeps 212925802454: 4837fe37adff only moved it into the victim block.
            // The 4.14–4.16 spellings of the same lines (mmap_sem, the old mmu_gather API).
            let mut texts = vec![first, next];
            for (id, code) in [
                ("unmap_vmas", "lru_add_drain(); tlb_gather_mmu(&tlb, mm, 0, -1); unmap_vmas(&tlb, vma, 0, -1): unmap_single_vma(vma)"),
                ("barrier_lock", "down_write(&mm->mmap_sem);  /* waits for any reader (the reaper) to leave */"),
                ("barrier_unlock", "up_write(&mm->mmap_sem);  /* later readers see MMF_OOM_SKIP */"),
                ("tlb_finish_mmu", "tlb_finish_mmu(&tlb, 0, -1);  /* the page-table pages are really freed */"),
            ] {
                let mut st = step(id);
                st.code = code;
                texts.push(st);
            }
            let mut edits = vec![Edit::Delete(ProgId::Mmput, &["self_reap", "munlock_account"])];
            edits.extend(texts.into_iter().map(|st| Edit::Replace(ProgId::Mmput, st)));
            edits.push(Edit::Move {
                prog: ProgId::Mmput,
                first: "victim",
                last: "victim_end",
                before: "free_first",
            });
            edits
        }
        // v4.14 (212925802454) exit_mmap, a diff against b6 (4.15–4.16) that is exactly
        // 4837fe37adff reverted: SKIP set unconditionally, the barrier gated by the task.
        "b7-victim-by-task" => {
            let b6 = defs("b6-munlock-first").expect("b6 builds");
            let mmput = &b6[ProgId::Mmput as usize];
            let mut set_skip = mmput.steps[mmput.position("set_skip").expect("set_skip")];
            set_skip.indent = 1;
            set_skip.code = "set_bit(MMF_OOM_SKIP, &mm->flags);  /* unconditional */";
            set_skip.src.since = "212925802454";
            vec![
                Edit::Replace(ProgId::Mmput, set_skip),
                Edit::Move {
                    prog: ProgId::Mmput,
                    first: "set_skip",
                    last: "set_skip",
                    before: "victim",
                },
                Edit::Replace(
                    ProgId::Mmput,
                    StepDef {
                        id: "victim",
                        label: "tsk_is_oom_victim(current)",
                        code: "if (unlikely(tsk_is_oom_victim(current))) {  /* BUG: the task, not the mm */",
                        indent: 1,
                        op: Op::TestCurrentOomVictim {
                            if_false: to("victim_end"),
                        },
                        src: Source {
                            func: "exit_mmap",
                            file: "mm/mmap.c",
                            since: "212925802454",
                        },
                    },
                ),
            ]
        }
        "b8-munlock-outside-lock" => vec![Edit::Move {
            prog: ProgId::Mmput,
            first: "locked_vm",
            last: "unlock_range_end",
            before: "wlock",
        }],
        _ => return None,
    })
}

/// Applies edits to a set of program definitions.
pub fn apply(mut defs: Vec<ProgramDef>, edits: &[Edit]) -> Result<Vec<ProgramDef>, String> {
    for e in edits {
        apply_one(&mut defs, e).map_err(|why| format!("{}: {why}", e.verb()))?;
    }
    Ok(defs)
}

impl Edit {
    /// The word an edit list spells this edit with.
    fn verb(&self) -> &'static str {
        match self {
            Edit::Delete(..) => "delete",
            Edit::Move { .. } | Edit::MoveAfter { .. } => "move",
            Edit::Replace(..) => "replace",
            Edit::InsertBefore(..) | Edit::InsertAfter(..) => "insert",
            Edit::Duplicate { .. } => "duplicate",
            Edit::Program(_) => "program",
        }
    }
}

fn apply_one(defs: &mut [ProgramDef], e: &Edit) -> Result<(), String> {
    match e {
        Edit::Delete(p, ids) => {
            let d = &mut defs[*p as usize];
            for id in *ids {
                let i = d.index_of(id)?;
                d.steps.remove(i);
            }
        }
        Edit::Move {
            prog,
            first,
            last,
            before,
        } => {
            let d = &mut defs[*prog as usize];
            let block: Vec<_> = d.steps.drain(d.block(first, last)?).collect();
            let b = d.index_of(before)?;
            for (k, s) in block.into_iter().enumerate() {
                d.steps.insert(b + k, s);
            }
        }
        Edit::Replace(p, step) => {
            let d = &mut defs[*p as usize];
            let i = d.index_of(step.id)?;
            d.steps[i] = *step;
        }
        Edit::InsertBefore(p, before, steps) => {
            let d = &mut defs[*p as usize];
            let b = d.index_of(before)?;
            for (k, s) in steps.iter().enumerate() {
                d.steps.insert(b + k, *s);
            }
        }
        Edit::InsertAfter(p, after, steps) => {
            let d = &mut defs[*p as usize];
            let a = d.index_of(after)?;
            for (k, s) in steps.iter().enumerate() {
                d.steps.insert(a + 1 + k, *s);
            }
        }
        Edit::MoveAfter { prog, id, after } => {
            let d = &mut defs[*prog as usize];
            let i = d.index_of(id)?;
            let s = d.steps.remove(i);
            let a = d.index_of(after)?;
            d.steps.insert(a + 1, s);
        }
        Edit::Duplicate { prog, id, new_id } => {
            let d = &mut defs[*prog as usize];
            let i = d.index_of(id)?;
            let mut s = d.steps[i];
            s.id = new_id;
            d.steps.insert(i + 1, s);
        }
        Edit::Program(def) => defs[def.id as usize] = def.clone(),
    }
    Ok(())
}

/// The program definitions of a variant, by id.
pub fn defs(id: &str) -> Result<Vec<ProgramDef>, String> {
    if let Some(d) = real_defs(id) {
        return Ok(d);
    }
    let info = info(id).ok_or_else(|| unknown_variant(id))?;
    let base = defs(info.base.expect("a buggy variant has a base"))?;
    apply(base, &edits(id).unwrap_or_default())
}

pub fn info(id: &str) -> Option<VariantInfo> {
    VARIANTS.iter().find(|v| v.id == id).copied()
}

pub fn unknown_variant(id: &str) -> String {
    let ids: Vec<&str> = VARIANTS.iter().map(|v| v.id).collect();
    format!("unknown variant '{id}'; known variants: {}", ids.join(", "))
}

impl Variant {
    pub fn by_id(id: &str) -> Result<Variant, String> {
        let info = info(id).ok_or_else(|| unknown_variant(id))?;
        Variant::from_defs(info, defs(id)?)
    }

    /// A variant from explicit program definitions (used by tests to build mutants).
    pub fn from_defs(info: VariantInfo, defs: Vec<ProgramDef>) -> Result<Variant, String> {
        if defs.len() != N_PROGS {
            return Err(format!("expected {N_PROGS} programs, got {}", defs.len()));
        }
        let programs = defs
            .iter()
            .map(|d| d.resolve())
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Variant {
            info,
            defs,
            programs,
            edits: None,
        })
    }

    /// This variant with an edit list applied (see [`crate::edit`]). A list with no edits in
    /// it (blank, only comments) gives the variant unchanged.
    pub fn with_edits(&self, text: &str) -> Result<Variant, crate::edit::EditError> {
        if !crate::edit::has_edits(text) {
            return Ok(self.unedited());
        }
        let base = self.unedited();
        let defs = crate::edit::apply_text(base.defs.clone(), text)?;
        let mut v = Variant::from_defs(base.info, defs).map_err(|why| crate::edit::EditError {
            line: 0,
            edit: String::new(),
            why,
        })?;
        v.edits = Some(text.to_string());
        Ok(v)
    }

    /// The variant's name as people read it: its id, and for an edited variant how many edits
    /// are on top (`v5.17 + 1 edit`).
    pub fn label(&self) -> String {
        match &self.edits {
            Some(t) => {
                let n = t.lines().filter(|l| crate::edit::has_edits(l)).count();
                format!(
                    "{} + {n} edit{}",
                    self.info.id,
                    if n == 1 { "" } else { "s" }
                )
            }
            None => self.info.id.to_string(),
        }
    }

    /// The variant as shipped (without the user's edits).
    pub fn unedited(&self) -> Variant {
        if self.edits.is_none() {
            return self.clone();
        }
        Variant::by_id(self.info.id).unwrap_or_else(|_| {
            let mut v = self.clone();
            v.edits = None;
            v
        })
    }

    #[inline(always)]
    pub fn program(&self, p: ProgId) -> &Program {
        &self.programs[p as usize]
    }

    /// The base variant, if any: for an edited variant, the variant as shipped.
    pub fn base(&self) -> Option<Variant> {
        if self.edits.is_some() {
            return Some(self.unedited());
        }
        self.info.base.and_then(|b| Variant::by_id(b).ok())
    }

    /// Line-by-line difference of one program against the base variant's.
    pub fn diff(&self, p: ProgId) -> Vec<DiffLine> {
        self.diff_with(self.base().as_ref(), p)
    }

    /// [`Variant::diff`] against a base already at hand (`self.base()`): building the base
    /// resolves all of its programs, so a caller diffing every program builds it once.
    pub fn diff_with(&self, base: Option<&Variant>, p: ProgId) -> Vec<DiffLine> {
        match base {
            Some(base) => diff_programs(&base.defs[p as usize], &self.defs[p as usize]),
            None => (0..self.defs[p as usize].steps.len())
                .map(|i| DiffLine {
                    change: Change::Same,
                    base: Some(i),
                    this: Some(i),
                })
                .collect(),
        }
    }

    /// Whether any program differs from the base.
    pub fn changed_programs(&self) -> Vec<ProgId> {
        let base = self.base();
        ProgId::ALL
            .into_iter()
            .filter(|p| {
                self.diff_with(base.as_ref(), *p)
                    .iter()
                    .any(|l| l.change != Change::Same)
            })
            .collect()
    }
}

/// How a line differs from the base.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Change {
    Same,
    Added,
    Removed,
    /// Same id, different op or text.
    Changed,
    /// Present in both, but in another place.
    Moved,
}

/// One line of a program diff: an index into the base program, into this one, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    pub change: Change,
    pub base: Option<usize>,
    pub this: Option<usize>,
}

/// LCS over step ids: common ids outside the LCS are "moved".
pub fn diff_programs(base: &ProgramDef, this: &ProgramDef) -> Vec<DiffLine> {
    let a: Vec<&str> = base.steps.iter().map(|s| s.id).collect();
    let b: Vec<&str> = this.steps.iter().map(|s| s.id).collect();
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u16; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            let same =
                base.steps[i].op == this.steps[j].op && base.steps[i].code == this.steps[j].code;
            out.push(DiffLine {
                change: if same { Change::Same } else { Change::Changed },
                base: Some(i),
                this: Some(j),
            });
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            let moved = a.contains(&b[j]);
            out.push(DiffLine {
                change: if moved { Change::Moved } else { Change::Added },
                base: a.iter().position(|x| *x == b[j]),
                this: Some(j),
            });
            j += 1;
        } else {
            if !b.contains(&a[i]) {
                out.push(DiffLine {
                    change: Change::Removed,
                    base: Some(i),
                    this: None,
                });
            }
            i += 1;
        }
    }
    out
}

impl Variant {
    /// A link to the step's kernel function in the variant's release, on Elixir.
    pub fn source_url(&self, src: &Source) -> String {
        source_url(self.info.tag, src)
    }
}

/// A link to `src.func` in `src.file` at kernel tag `tag` (Elixir's identifier search lands on
/// the definition in that release).
pub fn source_url(tag: &str, src: &Source) -> String {
    if src.func.is_empty() {
        return format!("https://elixir.bootlin.com/linux/{tag}/source/{}", src.file);
    }
    format!(
        "https://elixir.bootlin.com/linux/{tag}/C/ident/{}",
        src.func
    )
}

/// A link to a commit in the mainline history.
pub fn commit_url(commit: &str) -> String {
    let id: String = commit
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    format!("https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id={id}")
}
