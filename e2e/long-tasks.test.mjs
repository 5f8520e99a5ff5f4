// The explorer never blocks the page: during the largest preset's exploration (b4-mrelease-mmgrab
// proc-reader) the Long Tasks API reports no task over 50 ms, from the click on Explore until the
// verdict and the atlas are on screen. The same holds for the largest cell the scenario picker
// offers (b4 kill=oom mrelease=2 readers=2, 0.59 M states), where the visited set's table doubles
// up to 1 M slots while the search runs. Both ways the page can search (app/src/search.rs):
//  * in the explore worker (the page's thread only shows its progress);
//  * in the page's fallback, when the worker's script does not load: slices of about 10 ms whose
//    size follows the measured rate (app/src/slices.rs), so this is a structural bound: a slow
//    or busy machine gets smaller slices, not longer tasks.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mmraceCli, useBrowserAndServer } from './support.mjs';
import { StepperPage } from './stepper-page.mjs';
import { LARGEST_CELL_LINK } from './fragment-page.mjs';

/** Explores the page opened at `query` from the panel and checks no task over 50 ms ran from
 *  the click until the verdict, that it found as many states as the native CLI with `cliArgs`,
 *  and where it ran: in the explore worker, or (`worker: false`, its script blocked) on the page
 *  in slices. `updates`: the fewest progress updates to expect. */
async function exploreWithoutLongTasks(env, t, query, cliArgs, { worker, updates }) {
  const workers = [];
  const p = await StepperPage.open(env.browser.context, env.server.url, query, {
    beforeGoto: async (page) => {
      page.on('worker', (w) => workers.push(w.url()));
      if (!worker) await page.route(/\/explore-worker\.js$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
    },
  });
  await p.page.evaluate(() => {
    window.__longTasks = [];
    window.__slices = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask' });
    // Count progress updates: the page's search ran in more than one slice, or the worker
    // reported as it went.
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="explore-progress"][data-running="true"]')) window.__slices++;
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  // Scroll the panel into view first and let the page settle: bringing the panels below the
  // stage on screen renders them (content-visibility, the off-screen panels catching up), which
  // is the scroll's cost, not the explorer's.
  await p.byTestId('explore-start').scrollIntoViewIfNeeded();
  await p.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 300)))));
  // window.__mmrace: the test hook (the query's mmrace-test-hook) reads the page's wasm memory.
  const memoryBefore = await p.page.evaluate(() => window.__mmrace.wasmMemoryBytes());
  const t0 = await p.page.evaluate(() => performance.now());
  await p.byTestId('explore-start').click();
  await p.byTestId('explore-verdict').waitFor({ timeout: 540_000 });
  // Let the atlas render and any task still running finish, then read the entries.
  await p.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100))));
  const { tasks, slices, progress, states, frontier } = await p.page.evaluate(() => ({
    tasks: window.__longTasks,
    slices: window.__slices,
    progress: document.querySelector('[data-testid="explore-progress"]')?.textContent ?? '',
    states: Number(document.querySelector('[data-testid="explore-progress"]')?.dataset.states),
    frontier: Number(document.querySelector('[data-testid="explore-progress"]')?.dataset.frontier),
  }));
  const during = tasks.filter((x) => x.start >= t0);
  const grown = (await p.page.evaluate(() => window.__mmrace.wasmMemoryBytes())) - memoryBefore;
  t.diagnostic(`${progress.trim()}; ${slices} progress updates; long tasks: ${JSON.stringify(during)}; workers: ${workers.length}; the page's wasm memory grew by ${(grown / 2 ** 20).toFixed(1)} MiB`);
  const native = JSON.parse(mmraceCli(['check', ...cliArgs, '--json'], { ok: [0, 1] }));
  assert.equal(states, native.states, 'the whole state space was explored (the native count)');
  assert.equal(frontier, 0, 'nothing left to expand');
  assert.ok(slices >= updates, `the search reported its progress as it went (${slices} progress updates)`);
  assert.deepEqual(during, [], 'no task over 50 ms while exploring');
  const fellBack = p.app.consoleWarnings.some((w) => /exploring on the page instead/.test(w));
  assert.equal(fellBack, !worker, worker ? 'the search ran in the worker' : 'the page searched by itself');
  if (worker) {
    assert.ok(workers.length >= 1, 'a worker was started');
    // The visited set lived in the worker's memory (gone with it), not in the page's, which
    // never shrinks: the page's own search of the largest cell grows it by ~90 MiB.
    assert.ok(grown <= 32 * 2 ** 20, `the page's wasm memory grew by ${grown} bytes`);
  }
  assert.deepEqual(p.problems().filter((x) => worker || !/explore-worker\.js/.test(x)), [], 'no console errors, page errors or failed requests');
  await p.close();
}

describe('long tasks', { timeout: 600_000 }, () => {
  const env = useBrowserAndServer();
  const PRESET = ['--variant', 'b4-mrelease-mmgrab', '--scenario', 'proc-reader'];
  const LARGEST = ['--variant', 'b4-mrelease-mmgrab', '--kill', 'oom', '--mrelease', '2', '--readers', '2'];

  test('exploring b4-mrelease-mmgrab proc-reader in the worker leaves no task over 50 ms', { timeout: 600_000 }, (t) =>
    exploreWithoutLongTasks(env, t, '?mmrace-test-hook&variant=b4-mrelease-mmgrab&scenario=proc-reader', PRESET, { worker: true, updates: 0 }));

  test('exploring it on the page, without the worker, in slices, leaves no task over 50 ms', { timeout: 600_000 }, (t) =>
    exploreWithoutLongTasks(env, t, '?mmrace-test-hook&variant=b4-mrelease-mmgrab&scenario=proc-reader', PRESET, { worker: false, updates: 2 }));

  test('exploring the largest picker combination (0.59 M states) in the worker leaves no task over 50 ms', { timeout: 600_000 }, (t) =>
    exploreWithoutLongTasks(env, t, `?mmrace-test-hook#${LARGEST_CELL_LINK}`, LARGEST, { worker: true, updates: 3 }));

  test('exploring it on the page, without the worker, leaves no task over 50 ms', { timeout: 600_000 }, (t) =>
    exploreWithoutLongTasks(env, t, `?mmrace-test-hook#${LARGEST_CELL_LINK}`, LARGEST, { worker: false, updates: 5 }));
});
