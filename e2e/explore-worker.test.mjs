// The explore panel's search runs in a Web Worker (crate mmrace-worker, worker/explore-worker.js;
// app/src/search.rs): one started ahead once the page is idle, terminated once its report is in
// (the memory a large search took goes with it), and the next one started; an embed that hides
// the explorer starts none. Where the worker cannot run (its script does not load), the page
// searches in slices on its own thread and reaches the same result; where it dies mid-search
// (out of memory), the page says so instead.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppPage, closing, useBrowserAndServer } from './support.mjs';

const LINK = '#v=2&variant=b4-mrelease-mmgrab&sc=proc-reader';
const isWorkerScript = (url) => /\/wasm-[0-9a-f]+\/explore-worker\.js$/.test(url);

/** Explores the page's model from the panel; returns the verdict's text and the figures. */
async function explore(page) {
  await page.getByTestId('explore-start').click();
  const verdict = page.getByTestId('explore-verdict');
  await verdict.waitFor({ timeout: 60_000 });
  return {
    verdict: (await verdict.textContent()).trim(),
    states: await page.getByTestId('explore-states').textContent(),
  };
}

/** What the page's own module finds for the same model, in one call (the test hooks). */
function inPage(page) {
  return page.evaluate(() => JSON.parse(window.wasmBindings.mmrace_explore_bench('b4-mrelease-mmgrab', 'proc-reader')));
}

describe('the explore worker', () => {
  const env = useBrowserAndServer();

  it('runs the search off the page, with the page\'s result, and is gone once it reports', async () => {
    await closing(await AppPage.open(env.browser.context, env.server.url), async (app, page) => {
      const workers = [];
      page.on('worker', (w) => {
        const entry = { url: w.url(), closed: false };
        w.on('close', () => { entry.closed = true; });
        workers.push(entry);
      });
      await app.goto(LINK);
      await app.waitForMounted();
      // Started ahead, once the page is idle: before any search.
      await assert.doesNotReject(waitFor(() => workers.length === 1, 10_000), 'a worker is started once the page is idle');
      assert.ok(isWorkerScript(workers[0].url), workers[0].url);
      const got = await explore(page);
      const want = await inPage(page);
      assert.equal(got.states, String(want.states));
      assert.match(got.verdict, new RegExp(`in ${want.states} states`));
      assert.match(got.verdict, /S1/);
      // The worker that searched is terminated, and one more waits for the next search.
      await assert.doesNotReject(waitFor(() => workers[0].closed && workers.length === 2, 10_000),
        `the searching worker closes and another starts: ${JSON.stringify(workers)}`);
      assert.equal(workers[1].closed, false);
      // The second search runs in the worker started ahead.
      await page.getByTestId('explore-start').click();
      await page.getByTestId('explore-verdict').waitFor({ timeout: 60_000 });
      await assert.doesNotReject(waitFor(() => workers[1].closed && workers.length === 3, 10_000),
        `the second search used the waiting worker: ${JSON.stringify(workers)}`);
      assert.equal(await page.getByTestId('explore-states').textContent(), String(want.states));
      assert.deepEqual(app.problems(), []);
      assert.deepEqual(app.consoleWarnings.filter((w) => /explore worker/.test(w)), []);
    });
  });

  it('an embed starts no worker unless it shows the explorer', async () => {
    for (const [panels, want] of [['', 0], ['&panels=transport,explore', 1]]) {
      await closing(await AppPage.open(env.browser.context, env.server.url), async (app, page) => {
        const workers = [];
        page.on('worker', (w) => workers.push(w.url()));
        await app.goto(`#v=2&variant=v5.17-rc1&sc=user-kill&embed=1${panels}`);
        await app.waitForMounted();
        // Past the idle callback's 2 s timeout, and the page settled.
        await page.waitForTimeout(3_000);
        assert.equal(workers.length, want, `embed${panels}: ${JSON.stringify(workers)}`);
        assert.deepEqual(app.problems(), []);
      });
    }
  });

  it('a worker that dies while searching: the page says why and does not search itself', async () => {
    await closing(await AppPage.open(env.browser.context, env.server.url), async (app, page) => {
      // A worker that reports once, then dies as one that runs out of memory would.
      const dying = `self.onmessage = (e) => {
        if (e.data === 'stop') return;
        self.postMessage(JSON.stringify({ Progress: { states: 1000, transitions: 2000, frontier: 10, depth: 3 } }));
        setTimeout(() => { throw new Error('simulated: out of memory'); }, 50);
      };`;
      await page.route(isWorkerScript, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: dying }));
      await app.goto(LINK);
      await app.waitForMounted();
      await page.getByTestId('explore-start').click();
      const error = page.getByTestId('user-error');
      await error.waitFor({ timeout: 20_000 });
      assert.match(await error.textContent(), /worker stopped while it was searching .*simulated: out of memory.*command line/);
      assert.equal(await page.getByTestId('explore-verdict').count(), 0, 'no verdict');
      assert.equal(await page.getByTestId('explore-start').isEnabled(), true, 'Explore can be pressed again');
      assert.equal(await app.panicAlert.count(), 0, 'no panic');
      assert.deepEqual(app.consoleWarnings.filter((w) => /exploring on the page instead/.test(w)), [], 'no search on the page');
      assert.deepEqual(app.problems().filter((x) => !/simulated/.test(x)), []);
    });
  });

  it('without the worker, the page searches itself and finds the same', async () => {
    await closing(await AppPage.open(env.browser.context, env.server.url), async (app, page) => {
      let blocked = 0;
      await page.route(isWorkerScript, (route) => {
        blocked += 1;
        return route.fulfill({ status: 404, body: 'gone' });
      });
      await app.goto(LINK);
      await app.waitForMounted();
      const got = await explore(page);
      const want = await inPage(page);
      assert.ok(blocked >= 1, 'the worker script was asked for');
      assert.equal(got.states, String(want.states));
      assert.match(got.verdict, new RegExp(`in ${want.states} states`));
      assert.ok(app.consoleWarnings.some((w) => /explore worker failed.*exploring on the page instead/.test(w)),
        `the fallback is logged: ${JSON.stringify(app.consoleWarnings)}`);
      assert.deepEqual(app.problems().filter((p) => !/explore-worker\.js/.test(p)), []);
    });
  });
});

async function waitFor(cond, timeout) {
  const until = Date.now() + timeout;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
