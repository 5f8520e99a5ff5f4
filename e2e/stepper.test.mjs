// Browser tests of the stepper UI: stepping, step back, violations, schedules, keyboard,
// timeline, explorer, compare mode. Each test also asserts that the page logged no console
// error and made no failed or off-machine request. Screenshots of the main states are written
// to e2e/artifacts/ (gitignored) at 1280×720.
// Run: node --test e2e/   (scripts/test.sh builds dist/ first)

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useBrowserAndServer } from './support.mjs';
import { StepperPage } from './stepper-page.mjs';
import { LARGEST_CELL_LINK } from './fragment-page.mjs';

const TIMEOUT = 90_000;

/** Asserts two HTML strings are equal, showing the first difference in context. */
function sameHtml(actual, expected, what) {
  if (actual === expected) return;
  let i = 0;
  while (i < actual.length && actual[i] === expected[i]) i++;
  const ctx = (s) => s.slice(Math.max(0, i - 200), i + 200);
  assert.fail(`${what}: first difference at ${i}\n  actual:   …${ctx(actual)}…\n  expected: …${ctx(expected)}…`);
}
const S2_SCHEDULE = 'M:mmgrab M:task_unlock V* M*';

describe('mmrace stepper', { timeout: 20 * TIMEOUT }, () => {
  const env = useBrowserAndServer();

  const open = (query = '', opts) => StepperPage.open(env.browser.context, env.server.url, query, opts);

  async function clean(p) {
    assert.deepEqual(p.problems(), [], 'no console errors, page errors or failed requests');
    await p.close();
  }

  test('stepping each actor updates its column, the lock and the VMAs', { timeout: TIMEOUT }, async () => {
    const p = await open('?variant=v5.17&scenario=user-kill');
    await p.screenshot('01-initial-v5.17-user-kill', { top: true });
    // Initial picture: V in user space? No: user-kill means SIGKILL is pending, V can run.
    assert.equal(await p.status('V'), 'runnable');
    assert.equal(await p.status('M'), 'runnable');
    assert.equal(await p.currentLine('M'), 'find_lock');
    // Every line links to its kernel function at the variant's release.
    const href = await p.column('M').locator('[data-line="find_lock"] a.line-src').getAttribute('href');
    assert.equal(href, 'https://elixir.bootlin.com/linux/v5.17/C/ident/process_mrelease');
    assert.equal(await p.lockReaders(), '—');
    assert.equal(await p.counter('mm-count'), 1);

    // M: find_lock_task_mm, then mmgrab (mm_count 1 → 2).
    await p.step('M');
    assert.equal(await p.currentLine('M'), 'mmgrab');
    assert.match(await p.narration(), /find_lock_task_mm/);
    await p.step('M');
    assert.equal(await p.counter('mm-count'), 2);
    // M holds task_lock(V): V's exit_mm spins on it once it gets there.
    await p.step('M'); // task_will_free_mem
    await p.step('M'); // task_unlock
    await p.step('M'); // mmap_read_lock_killable: granted
    assert.equal(await p.lockReaders(), 'M');
    assert.equal(await p.currentLine('M'), 'recheck_skip');

    // V runs exit_mm and the last mmput, then queues for the write lock behind M's read.
    for (let i = 0; i < 20 && (await p.status('V')) === 'runnable'; i++) await p.step('V');
    assert.equal(await p.status('V'), 'queued-write');
    assert.deepEqual(await p.lockQueue(), ['1. V:write']);
    assert.match(await p.column('V').getByTestId('actor-reason').textContent(), /queued for mmap_lock write behind M's read/);
    await assert.rejects(p.stepButton('V').click({ timeout: 500 }), 'a queued actor cannot be stepped');
    assert.match(await p.column('V').getByTestId('call-path').textContent(), /exit_mm → __mmput \/ exit_mmap$/);
    assert.equal(await p.currentLine('V'), 'wlock');
    await p.screenshot('02-v-queued-for-write-behind-m', { top: true });

    // M walks: A's pages get zapped; the walker marker follows it.
    for (let i = 0; i < 4; i++) await p.step('M'); // test_bit, set_bit(UNSTABLE), mm->mmap, can_madv_lru_vma(A)
    assert.ok(await p.flag('MMF_UNSTABLE'));
    assert.match((await p.vmaState('A')).walkers, /M/);
    await p.step('M'); // unmap_page_range(A)
    assert.match((await p.vmaState('A')).walkers, /M ⚡ zapping/);
    await p.step('M'); // zap_pte_range(A)
    assert.equal((await p.vmaState('A')).mapped, false);

    // M finishes its walk and unlocks: the lock passes to V (writer).
    for (let i = 0; i < 20 && (await p.lockWriter()) === '—'; i++) await p.step('M');
    assert.equal(await p.lockWriter(), '✎ V');
    assert.equal(await p.status('V'), 'runnable');

    // V tears down: page tables PRESENT → DETACHED → FREED, VMAs freed, mm->mmap = NULL.
    for (let i = 0; i < 40 && (await p.vmaState('A')).pt === 'present'; i++) await p.step('V');
    assert.equal((await p.vmaState('A')).pt, 'detached');
    for (let i = 0; i < 40 && (await p.vmaState('A')).pt === 'detached'; i++) await p.step('V');
    assert.equal((await p.vmaState('A')).pt, 'freed');
    for (let i = 0; i < 40 && (await p.vmaState('F')).live; i++) await p.step('V');
    assert.equal((await p.vmaState('A')).live, false);
    await p.step('V'); // mm->mmap = NULL
    assert.equal(await p.byTestId('mm-head').getAttribute('data-dangling'), 'false');
    assert.match(await p.byTestId('mm-head').textContent(), /NULL/);
    await p.screenshot('03-v-tearing-down-under-write-lock', { top: true });
    assert.deepEqual(await p.violationIds(), []);
    await clean(p);
  });

  test('step back restores the previous picture exactly', { timeout: TIMEOUT }, async () => {
    const p = await open('?variant=v5.16&scenario=oom-kill');
    const snapshots = [await p.snapshot()];
    // A mix of actors, including a failed trylock and a queued writer.
    const schedule = ['K', 'K', 'K', 'K', 'K', 'K', 'K', 'R', 'R', 'V', 'V', 'M', 'R', 'R', 'V', 'V', 'V', 'V'];
    for (const a of schedule) {
      if ((await p.status(a)) !== 'runnable') continue;
      await p.step(a);
      snapshots.push(await p.snapshot());
    }
    assert.ok(snapshots.length > 10, `took ${snapshots.length - 1} steps`);
    for (let i = snapshots.length - 2; i >= 0; i--) {
      await p.byTestId('back').click();
      await p.waitPos(i);
      sameHtml(await p.snapshot(), snapshots[i], `picture after stepping back to ${i}`);
    }
    // And forward again through the recorded steps.
    for (let i = 1; i < snapshots.length; i++) {
      await p.byTestId('forward').click();
      await p.waitPos(i);
      sameHtml(await p.snapshot(), snapshots[i], `picture after stepping forward to ${i}`);
    }
    await clean(p);
  });

  test('v5.17-rc1 user-kill: the syzbot schedule raises the S2 alert (dangling mm->mmap)', { timeout: TIMEOUT }, async () => {
    const p = await open('?variant=v5.17-rc1&scenario=user-kill');
    await p.replay(S2_SCHEDULE);
    await p.violation('S2').waitFor({ timeout: 5_000 });
    const alert = p.byTestId('violations');
    assert.equal(await alert.getAttribute('role'), 'alert');
    const text = await p.violation('S2').textContent();
    assert.match(text, /S2/);
    assert.match(text, /VMA use-after-free/);
    assert.match(text, /can_madv_lru_vma/);
    assert.match(text, /remove_vma/, 'the causing remove_vma is named');
    assert.equal(await p.byTestId('mm-head').getAttribute('data-dangling'), 'true');
    // The causes are highlighted in the step list and the timeline.
    const causeStep = Number(await p.violation('S2').getByTestId('cause-link').first().getAttribute('data-step'));
    await p.violation('S2').getByTestId('cause-link').first().click();
    await p.waitPos(causeStep + 1);
    assert.ok(await p.page.locator(`[data-testid="step-row"][data-step="${causeStep + 1}"].cause`).count());
    await p.byTestId('to-end').click();
    // Jump to the first S2 step to show the moment of the use-after-free.
    const at = await p.page.locator('[data-testid="violation"][data-inv="S2"] .violation-where button').textContent();
    const first = Number(/step (\d+)/.exec(at)[1]);
    await p.violation('S2').locator('.violation-where button').click();
    await p.waitPos(first);
    await p.screenshot('04-s2-alert-v5.17-rc1', { top: true });
    // The fixed kernel takes the same schedule safely.
    await p.selectVariant('v5.17');
    await p.replay(S2_SCHEDULE);
    await p.waitPos(await p.len());
    assert.deepEqual(await p.violationIds(), []);
    await clean(p);
  });

  test('explorer: b4-mrelease-mmgrab user-kill finds S1; loading it reproduces the alert', { timeout: TIMEOUT }, async () => {
    const p = await open('');
    await p.selectVariant('b4-mrelease-mmgrab');
    await p.selectScenario('user-kill');
    await p.byTestId('explore-start').click();
    await p.byTestId('explore-verdict').waitFor({ timeout: 30_000 });
    assert.match(await p.byTestId('explore-verdict').textContent(), /violating S1, S2, S4, S7/);
    const s1 = p.page.locator('[data-testid="atlas-group"][data-inv="S1"]');
    assert.ok(await s1.count());
    await s1.scrollIntoViewIfNeeded();
    await p.screenshot('05-explore-atlas-b4');
    await s1.getByTestId('outcome-load').first().click();
    await p.violation('S1').waitFor({ timeout: 5_000 });
    const text = await p.violation('S1').textContent();
    assert.match(text, /page tables freed under a walker/);
    assert.match(text, /free_pgtables/);
    await p.screenshot('06-s1-counterexample-loaded', { top: true });
    await clean(p);
  });

  test('explorer: the fixed kernel has 0 violations; Cancel stops a search', { timeout: TIMEOUT }, async () => {
    let p = await open('?variant=v5.17&scenario=user-kill');
    await p.byTestId('explore-start').click();
    await p.byTestId('explore-verdict').waitFor({ timeout: 30_000 });
    assert.match(await p.byTestId('explore-verdict').textContent(), /^\s*✓?\s*0 violations in \d+ states/);
    assert.equal(await p.byTestId('explore-verdict').getAttribute('data-safe'), 'true');
    await clean(p);
    // The largest search the picker offers (b4 with two callers and two readers, 0.59 M states,
    // most of a second; the largest preset now ends in a few hundredths, too soon to cancel)
    // is cancelled while it runs: it stops, says so, shows no verdict, and its count does not
    // move afterwards.
    p = await open(`#${LARGEST_CELL_LINK}`);
    await p.byTestId('explore-start').click();
    await p.page.waitForFunction(() => document.querySelector('[data-testid="explore-progress"]')?.dataset.running === 'true');
    await p.byTestId('explore-cancel').click();
    await p.page.waitForFunction(() => document.querySelector('[data-testid="explore-progress"]')?.dataset.running === 'false');
    const progress = p.byTestId('explore-progress');
    const stopped = await progress.textContent();
    assert.equal((await progress.locator('.explore-status').textContent()).trim(), 'cancelled', stopped);
    // Stopped before the end: states were still waiting to be expanded.
    assert.ok(Number(await progress.getAttribute('data-frontier')) > 0, `cancelled before the end: ${stopped}`);
    assert.equal(await p.byTestId('explore-verdict').count(), 0, 'no verdict for a cancelled search');
    await p.page.waitForTimeout(1_000);
    assert.equal(await p.byTestId('explore-progress').textContent(), stopped, 'the search stays stopped');
    await clean(p);
  });

  test('compare mode: v5.17-rc1 vs v5.17 diverge at mm->mmap = NULL', { timeout: TIMEOUT }, async () => {
    const q = `?variant=v5.17-rc1&scenario=user-kill&schedule=${encodeURIComponent(S2_SCHEDULE)}&compare=v5.17`;
    const p = await open(q, { ready: 'compare' });
    const div = p.byTestId('compare-divergence');
    await div.waitFor();
    const text = await div.textContent();
    assert.match(text, /First divergence/);
    assert.match(text, /mm->mmap = NULL/);
    assert.equal(await div.getAttribute('class'), 'divergence found');
    // The cursor opens at the divergence; stepping to the end shows S2 on A only.
    await p.screenshot('07-compare-divergence', { top: true });
    await p.byTestId('compare-end').click();
    assert.match(await p.byTestId('compare-side-a').getByTestId('compare-violations').textContent(), /S2/);
    assert.equal(await p.byTestId('compare-side-b').getByTestId('compare-violations').count(), 0);
    // Lockstep keys.
    const row = Number(await p.byTestId('compare-position').getAttribute('data-row'));
    await p.page.keyboard.press('ArrowLeft');
    assert.equal(Number(await p.byTestId('compare-position').getAttribute('data-row')), row - 1);
    // Back to the stepper.
    await p.byTestId('mode-stepper').click();
    await p.stage.waitFor();
    await clean(p);
  });

  test('keyboard only: actor keys, arrows, Home/End, space, help', { timeout: TIMEOUT }, async () => {
    const p = await open('?variant=v5.17-rc1&scenario=user-kill');
    const kb = p.page.keyboard;
    await kb.press('m');
    await p.waitPos(1);
    assert.equal(await p.currentLine('M'), 'mmgrab');
    await kb.press('2'); // column 2 is M
    await p.waitPos(2);
    await kb.press('1'); // column 1 is V
    await p.waitPos(3);
    assert.equal(await p.byTestId('narration').getAttribute('data-actor'), 'V');
    await kb.press('ArrowLeft');
    await p.waitPos(2);
    await kb.press('ArrowRight');
    await p.waitPos(3);
    await kb.press('Home');
    await p.waitPos(0);
    await kb.press('End');
    await p.waitPos(3);
    // Space: autoplay replays recorded steps (from the start) at the fastest speed.
    await kb.press('Home');
    for (let i = 0; i < 6; i++) await kb.press(']');
    await kb.press(' ');
    await p.waitPos(3, 5_000);
    // It stops by itself at the end (manual policy: nothing to choose).
    await p.page.waitForFunction(() => document.querySelector('[data-testid="play"]').getAttribute('aria-pressed') === 'false');
    // n: the policy's pick (round-robin) once a policy is chosen.
    await p.byTestId('policy-select').selectOption('round-robin');
    await p.page.locator('body').click({ position: { x: 5, y: 700 } });
    await kb.press('n');
    await p.waitPos(4);
    // ? opens the help, Esc closes it.
    await kb.press('?');
    await p.byTestId('help-overlay').waitFor();
    await p.screenshot('08-help-overlay');
    await kb.press('Escape');
    await p.byTestId('help-overlay').waitFor({ state: 'detached' });
    // Typing in the schedule box does not step.
    await p.byTestId('schedule-input').click();
    await kb.type('v');
    assert.equal(await p.pos(), 4);
    await clean(p);
  });

  test('timeline and step list: clicking a step jumps there', { timeout: TIMEOUT }, async () => {
    const p = await open(`?variant=v5.17-rc1&scenario=user-kill&schedule=${encodeURIComponent(S2_SCHEDULE)}`);
    await p.waitPos(await p.len());
    const steps = p.page.locator('[data-testid="timeline-step"]');
    assert.equal(await steps.count(), 30, 'a window of 30 steps is rendered');
    // At the end the window shows the last steps; Home brings the first ones into view.
    assert.equal(await p.page.locator('[data-testid="timeline-step"][data-step="3"]').count(), 0);
    await p.byTestId('timeline-earlier').click();
    await p.byTestId('timeline-earlier').click();
    await p.page.locator('[data-testid="timeline-step"][data-step="3"]').click();
    await p.waitPos(4);
    assert.equal(await p.page.locator('[data-testid="timeline-step"][aria-current]').getAttribute('data-step'), '3');
    await p.page.locator('[data-testid="step-row"][data-step="10"]').click();
    await p.waitPos(10);
    // The scrubber jumps too.
    await p.byTestId('scrubber').fill('20');
    await p.waitPos(20);
    await p.byTestId('timeline').scrollIntoViewIfNeeded();
    await p.screenshot('09-timeline');
    await clean(p);
  });

  test('schedules: bad input is reported, never a panic; the scheduler policies step', { timeout: TIMEOUT }, async () => {
    const p = await open('?variant=v5.16&scenario=oom-kill');
    await p.replay('X:foo');
    assert.match(await p.byTestId('schedule-error').textContent(), /unknown actor 'X'/);
    await p.replay('K* R:no_such_label');
    assert.match(await p.byTestId('schedule-error').textContent(), /item 2 of 2/);
    assert.ok((await p.pos()) > 0, 'the replay stopped where the item failed');
    // Random policy with a seed, shown and editable.
    await p.byTestId('policy-select').selectOption('random');
    await p.byTestId('seed-input').fill('42');
    await p.byTestId('seed-input').press('Enter');
    await p.byTestId('reset').click();
    for (let i = 1; i <= 5; i++) {
      await p.byTestId('policy-step').click();
      await p.waitPos(i);
    }
    const firstRun = await p.byTestId('narration').textContent();
    await p.byTestId('reset').click();
    for (let i = 1; i <= 5; i++) {
      await p.byTestId('policy-step').click();
      await p.waitPos(i);
    }
    assert.equal(await p.byTestId('narration').textContent(), firstRun, 'the same seed picks the same actors');
    assert.equal(await p.app.panicAlert.count(), 0);
    await clean(p);
  });

  test('trylock failure flashes; dark theme; the patch view marks changed lines', { timeout: TIMEOUT }, async () => {
    // v5.16 oom-kill: V holds the barrier write lock when R tries.
    const p = await open('?variant=v5.16&scenario=oom-kill');
    await p.replay('K* V:mmap_write_lock R:mmap_read_trylock');
    await p.byTestId('trylock-flash').waitFor();
    assert.match(await p.byTestId('trylock-flash').textContent(), /R: mmap_read_trylock failed/);
    await p.screenshot('10-trylock-failed', { top: true });
    // The patch view: v5.17-rc1 adds the write lock and removes the barrier pair.
    await p.selectVariant('v5.17-rc1');
    await p.replay('K* M* V:mmap_write_lock');
    assert.equal(await p.status('V'), 'runnable');
    assert.equal(await p.lockWriter(), '✎ V');
    const added = await p.column('V').locator('[data-testid="line"][data-change="added"]').count();
    const removed = await p.column('V').locator('[data-testid="line"][data-change="removed"]').count();
    assert.ok(added >= 1, 'added lines are marked');
    assert.ok(removed >= 2, 'the barrier lock/unlock are shown struck through');
    assert.ok(await p.column('V').locator('[data-change="removed"] del').count(), 'removed lines are struck through');
    await p.page.emulateMedia({ colorScheme: 'dark' });
    await p.screenshot('11-patch-view-dark', { top: true });
    await p.page.emulateMedia({ colorScheme: 'light' });
    await clean(p);
  });

  test('accessibility: no axe-core WCAG A/AA violations mid-run (light and dark)', { timeout: TIMEOUT }, async () => {
    const p = await open(`?variant=v5.17-rc1&scenario=user-kill&schedule=${encodeURIComponent(S2_SCHEDULE)}`);
    for (const scheme of ['light', 'dark']) {
      await p.page.emulateMedia({ colorScheme: scheme });
      const violations = await p.app.axeViolations();
      assert.deepEqual(violations, [], `${scheme}: ${JSON.stringify(violations, null, 2)}`);
    }
    await clean(p);
  });

  test('a call and a return show frames built ahead of time: no line is built', { timeout: TIMEOUT }, async () => {
    const p = await open('?variant=v5.16&scenario=oom-kill');
    const r = p.column('R');
    const inner = () => r.locator('.frame.inner:not([hidden])').getAttribute('data-prog');
    // The reaper's listing builds the frame of __oom_reap_task_mm while the page is idle.
    await r.locator('.frame[data-prog="__oom_reap_task_mm"]').waitFor({ state: 'attached' });
    await p.page.evaluate(() => {
      window.linesBuilt = 0;
      new MutationObserver((records) => {
        for (const m of records)
          for (const n of m.addedNodes)
            if (n.nodeType === Node.ELEMENT_NODE)
              window.linesBuilt += n.matches('[data-testid="line"]') + n.querySelectorAll('[data-testid="line"]').length;
      }).observe(document.querySelector('[data-testid="actor-column"][data-actor="R"]'), { childList: true, subtree: true });
    });
    // Twice: a reset loads a new model with the same programs, and keeps the frames.
    for (const round of [1, 2]) {
      if (round === 2) {
        await p.byTestId('reset').click();
        await p.waitPos(0);
      }
      for (const a of ['K', 'K', 'K', 'K', 'K', 'K', 'K']) if ((await p.status(a)) === 'runnable') await p.step(a);
      const seen = [await inner()];
      for (let i = 0; i < 40 && seen.length < 3 && (await p.status('R')) === 'runnable'; i++) {
        await p.step('R');
        const now = await inner();
        if (now !== seen[seen.length - 1]) seen.push(now);
      }
      assert.deepEqual(seen, ['oom_reaper', '__oom_reap_task_mm', 'oom_reaper'], `round ${round}: R called the walk and returned`);
      assert.equal(await p.currentLine('R'), await r.locator('.frame.inner [aria-current]').last().getAttribute('data-line'));
      assert.equal(await p.page.evaluate(() => window.linesBuilt), 0, `round ${round}: no line was built for a call or a return`);
    }
    await clean(p);
  });
});
