// The split build (scripts/build.sh, app/src/lazy.rs): the first load fetches the main wasm module
// only; each lazily loaded piece's chunk (dist/wasm-*/split_*.wasm) is fetched the first time the
// piece is shown or used (the tools below the fold: once the browser is idle after the first
// paint), and a chunk that does not load shows one clear line with Retry.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppPage, closing, useBrowserAndServer } from './support.mjs';

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
});
