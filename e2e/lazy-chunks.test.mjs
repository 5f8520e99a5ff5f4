// The split build (scripts/build.sh, app/src/lazy.rs): the first load fetches the main wasm module
// only; each lazily loaded piece's chunk (dist/wasm-*/split_*.wasm) is fetched the first time the
// piece is shown or used (the tools below the fold: once the browser is idle after the first
// paint), and a chunk that does not load shows one clear line with Retry.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppPage, closing, useBrowserAndServer } from './support.mjs';
import { loadTours, startTour } from './fragment-page.mjs';

const chunk = (name) => (url) => new RegExp(`/wasm-[0-9a-f]+/split_${name}\\.wasm$`).test(url);
const chunks = (requests) => requests.filter((u) => /\/split_[a-z_]+\.wasm$/.test(u)).map((u) => u.split('/').pop());

describe('lazily loaded chunks', () => {
  const env = useBrowserAndServer();

  it('the first load fetches no on-demand chunk; Explore fetches the explorer chunk and runs', async () => {
    await closing(await AppPage.open(env.browser.context, env.server.url), async (app, page) => {
      await app.goto();
      await app.waitForMounted();
      await page.getByTestId('step-list').waitFor();
      await page.waitForTimeout(500);
      // Only the tools below the fold (and the chunks they share) load by themselves, when idle.
      const onDemand = ['explore', 'compare', 'edit', 'tour', 'help'];
      assert.deepEqual(onDemand.filter((n) => app.requests.some(chunk(n))), [], `fetched at start: ${chunks(app.requests)}`);
      await page.getByTestId('explore-start').click();
      await page.getByTestId('explore-verdict').waitFor({ timeout: 30_000 });
      assert.ok(app.requests.some(chunk('explore')), `the explorer chunk was fetched: ${chunks(app.requests)}`);
      assert.deepEqual(app.problems(), []);
    });
  });

  it('a chunk that fails to load shows a clear message and Retry loads it', async () => {
    await closing(await AppPage.open(env.browser.context, env.server.url), async (app, page) => {
      let block = true;
      await page.route(chunk('explore'), (route) => (block ? route.abort('connectionfailed') : route.fallback()));
      await app.goto();
      await app.waitForMounted();
      await page.getByTestId('explore-start').click();
      const failed = page.getByTestId('lazy-failed').or(page.getByTestId('user-error'));
      await failed.first().waitFor({ timeout: 20_000 });
      assert.match(await failed.first().textContent(), /Could not load the explorer/);
      assert.equal(await app.panicAlert.count(), 0, 'no panic');
      block = false;
      await page.getByTestId('explore-start').click();
      await page.getByTestId('explore-verdict').waitFor({ timeout: 30_000 });
      assert.equal(await app.panicAlert.count(), 0, 'no panic');
    });
  });

  it('a view whose chunk fails to load says so with Retry, and Retry shows it', async () => {
    await closing(await AppPage.open(env.browser.context, env.server.url), async (app, page) => {
      let block = true;
      await page.route(chunk('compare'), (route) => (block ? route.abort('connectionfailed') : route.fallback()));
      await app.goto();
      await app.waitForMounted();
      await page.getByTestId('mode-compare').click();
      const failed = page.getByTestId('lazy-failed');
      await failed.waitFor({ timeout: 20_000 });
      assert.match(await failed.textContent(), /Could not load the compare view .*reload the page/);
      assert.equal(await failed.getAttribute('role'), 'alert');
      assert.equal(await app.panicAlert.count(), 0, 'no panic');
      block = false;
      await page.getByTestId('lazy-retry').click();
      await page.getByTestId('compare-divergence').waitFor({ timeout: 30_000 });
      assert.equal(await failed.count(), 0, 'the message is gone');
      assert.ok(app.requests.some(chunk('compare')), 'the compare chunk was fetched');
    });
  });

  it('a link with an edit list waits for the edit chunk (the parser) and opens the edited run', async () => {
    await closing(await AppPage.open(env.browser.context, env.server.url), async (app, page) => {
      await app.goto('#v=2&variant=v5.17&sc=user-kill&e=1.d+exit_mmap:reset_mmap');
      await app.waitForMounted();
      await page.getByTestId('editor').waitFor({ state: 'visible', timeout: 20_000 });
      await page.waitForFunction(() => document.querySelector('[data-testid="edit-text"]')?.value === 'delete exit_mmap:reset_mmap\n');
      assert.ok(app.requests.some(chunk('edit')), `the edit chunk was fetched: ${chunks(app.requests)}`);
      const notices = page.getByTestId('link-notices');
      assert.equal(await notices.getAttribute('data-count'), '0', `no notice: the edits applied (${await notices.textContent()})`);
      assert.deepEqual(app.problems(), []);
    });
  });

  it('a link with an edit list keeps the page hidden until its chunk is here: never the unedited default', async () => {
    await closing(await AppPage.open(env.browser.context, env.server.url), async (app, page) => {
      // A slow network: the edit chunk takes 1.5 s. Before, the page was shown with the default
      // variant (v5.17-rc1) meanwhile and switched to the link's edited v5.17 when it came.
      await page.route(chunk('edit'), async (route) => {
        await new Promise((r) => setTimeout(r, 1500));
        await route.continue();
      });
      await page.addInitScript(() => {
        window.__shown = [];
        new MutationObserver(() => {
          const main = document.querySelector('main[data-testid="app"]');
          if (main && !main.hasAttribute('data-mounting') && window.__shown.length === 0) {
            window.__shown.push(document.querySelector('#variant-select')?.value ?? '(none)');
          }
        }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-mounting'], childList: true });
      });
      await app.goto('#v=2&variant=v5.17&sc=user-kill&e=1.d+exit_mmap:reset_mmap');
      await app.waitForMounted();
      await page.getByTestId('editor').waitFor({ state: 'visible', timeout: 20_000 });
      assert.deepEqual(await page.evaluate(() => window.__shown), ['v5.17'], 'the first thing shown is the link\'s variant');
      await page.waitForFunction(() => document.querySelector('[data-testid="edit-text"]')?.value === 'delete exit_mmap:reset_mmap\n');
      assert.deepEqual(app.problems(), []);
    });
  });

  it('a link with an edit list whose chunk does not load opens the variant unedited and says why', async () => {
    await closing(await AppPage.open(env.browser.context, env.server.url), async (app, page) => {
      await page.route(chunk('edit'), (route) => route.abort('connectionfailed'));
      await app.goto('#v=2&variant=v5.17&sc=user-kill&e=1.d+exit_mmap:reset_mmap');
      await app.waitForMounted();
      const banner = page.getByTestId('link-notices');
      await banner.waitFor({ state: 'visible', timeout: 20_000 });
      assert.match(await banner.textContent(), /edit list no longer applies to v5\.17 \(Could not load edit mode's code .*reload the page\.\); showing v5\.17 unedited/);
      assert.equal(await app.panicAlert.count(), 0, 'no panic');
      // The blocked chunk's request and the loader's report of it are expected.
      assert.deepEqual(app.problems().filter((x) => !/split_edit\.wasm|Failed to fetch/.test(x)), []);
    });
  });

  it('the tools loading in idle time show nothing meanwhile: a projector page does not scroll', async () => {
    await closing(await AppPage.open(env.browser.context, env.server.url), async (app, page) => {
      // Hold the tools chunk in flight: before the fix its "Loading …" line sat below the talk
      // layout (which hides the tools, not the line) and the 1920×1080 page scrolled by 40 px.
      let release;
      const held = new Promise((r) => (release = r));
      let asked = false;
      await page.route(chunk('tools'), async (route) => {
        asked = true;
        await held;
        await route.fallback();
      });
      await page.setViewportSize({ width: 1920, height: 1080 });
      await app.goto('#talk=1');
      await app.waitForMounted();
      for (let i = 0; i < 50 && !asked; i++) await page.waitForTimeout(100);
      assert.ok(asked, 'the tools chunk was requested once idle');
      // The projector test's first cue, where the line made the page scroll (1920×1120).
      const tour = (await loadTours())[0];
      await startTour(page, tour);
      await page.keyboard.press('ArrowRight');
      await page.locator('[data-testid="tour"][data-cue="1"]').waitFor({ timeout: 10_000 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const size = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
      assert.deepEqual(size, [1920, 1080], `the page does not scroll while the tools load (${size.join('×')})`);
      assert.equal(await page.getByTestId('lazy-loading').count(), 0, 'no "Loading …" line for a piece nobody asked for');
      release();
      await page.getByTestId('tools').waitFor({ state: 'attached', timeout: 20_000 });
      assert.deepEqual(app.problems(), []);
    });
  });
});
