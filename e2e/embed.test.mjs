// Embedding: embed=1 (fragment or query) gives minimal chrome, paused, with "Open full view";
// panels= chooses panels; "Copy embed code" gives a working <iframe> snippet; the example
// documentation page (dist/docs-example/) shows two counterexamples whose frames report their
// heights; the app ignores messages sent to it.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useBrowserAndServer } from './support.mjs';
import { S1_LINK, S2_LINK, fragmentParams, openApp, withApp, position, waitPosition } from './fragment-page.mjs';

const TIMEOUT = 90_000;

describe('embedding', { timeout: 8 * TIMEOUT }, () => {
  const env = useBrowserAndServer({ clipboard: true });

  test('embed=1: minimal chrome, paused, default panels, "Open full view" keeps the state', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, `#${S2_LINK}&at=35&embed=1`, async (app, page) => {
      await waitPosition(page, 35, 36);
      await page.getByTestId('embed-bar').waitFor();
      assert.equal(await page.locator('html').getAttribute('data-embed'), '1');
      assert.equal(await page.locator('.topbar').isVisible(), false, 'no header');
      assert.equal(await page.locator('.present-bar').isVisible(), false, 'no share/present bar');
      assert.equal(await page.getByTestId('tools').isVisible(), false, 'no tools');
      assert.equal(await page.getByTestId('explore').isVisible(), false, 'no explorer');
      for (const id of ['mm-panel', 'actors', 'timeline', 'narration']) {
        assert.ok(await page.getByTestId(id).isVisible(), `${id} is shown`);
      }
      assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'false', 'starts paused');
      await page.waitForTimeout(1500);
      assert.deepEqual(await position(page), { pos: 35, len: 36 }, 'nothing moves by itself');
      // The embed is still a stepper: one step forward shows the S2 alert.
      await page.getByTestId('forward').click();
      await page.locator('[data-testid="violation"][data-inv="S2"]').waitFor();

      const href = await page.getByTestId('open-full').getAttribute('href');
      assert.equal(await page.getByTestId('open-full').getAttribute('target'), '_blank');
      const params = fragmentParams(new URL(href).hash);
      assert.equal(params.embed, undefined, 'the full view has no embed');
      assert.equal(params.s, 'M4V27M5');
      assert.equal(params.variant, 'v5.17-rc1');
      const full = await openApp(env.browser.context, href, '');
      try {
        await waitPosition(full.page, 36, 36);
        assert.ok(await full.page.locator('.topbar').isVisible(), 'the full view has its header');
      } finally {
        await full.close();
      }
      assert.deepEqual(app.problems(), []);
    });
  });

  test('?embed=1 in the query string and panels= choose what is shown', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, `?embed=1#${S1_LINK}&panels=narration,mm`, async (app, page) => {
      await waitPosition(page, 31, 31);
      await page.getByTestId('embed-bar').waitFor();
      assert.ok(await page.getByTestId('mm-panel').isVisible());
      assert.ok(await page.getByTestId('narration').isVisible());
      for (const id of ['actors', 'timeline', 'violations']) {
        assert.equal(await page.getByTestId(id).isVisible(), false, `${id} is hidden by panels=`);
      }
      assert.equal(await page.locator('.transport').first().isVisible(), false);
      const href = await page.getByTestId('open-full').getAttribute('href');
      assert.doesNotMatch(href, /embed|panels/, href);
    });
  });

  test('"Copy embed code" gives an <iframe> snippet that shows the same step', { timeout: TIMEOUT }, async () => {
    const app = await openApp(env.browser.context, env.server.url, `#${S1_LINK}&at=29`);
    const { page } = app;
    let host;
    try {
      await waitPosition(page, 29, 31);
      await page.getByTestId('copy-embed').click();
      await page.getByTestId('copy-embed-status').filter({ hasText: 'Copied' }).waitFor({ timeout: 5_000 });
      const snippet = await page.getByTestId('embed-code').inputValue();
      assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/#v=2&amp;m=[0-9a-f]+&amp;variant=b4-mrelease-mmgrab&amp;sc=user-kill&amp;s=M5V16M5V4M&amp;at=29&amp;embed=1" width="100%" height="\d+" title="mmrace: b4-mrelease-mmgrab · user-kill, step 29 of 31"[^>]*><\/iframe>$/);
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snippet);

      // Paste it into a page: the frame shows the embed at step 29.
      host = await env.browser.context.newPage();
      await host.goto(`${env.server.url}docs-example/`);
      await host.evaluate((html) => {
        const div = document.createElement('div');
        div.id = 'pasted';
        document.body.prepend(div);
        div.insertAdjacentHTML('beforeend', html); // test code: the snippet is what a user pastes
      }, snippet);
      const frame = host.frameLocator('#pasted iframe');
      await frame.getByTestId('embed-bar').waitFor({ timeout: 20_000 });
      await frame.locator('[data-testid="position"][data-pos="29"][data-len="31"]').waitFor({ timeout: 10_000 });
      assert.deepEqual(app.problems(), []);
    } finally {
      await host?.close();
      await app.close();
    }
  });

  test('the example docs page: two embedded counterexamples render and report their heights', { timeout: TIMEOUT }, async () => {
    const page = await env.browser.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    try {
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.goto(`${env.server.url}docs-example/index.html`);
      const frames = [
        ['embed-s2', 'S2', 36],
        ['embed-s1', 'S1', 31],
      ];
      for (const [id, inv, n] of frames) {
        const frame = page.frameLocator(`[data-testid="${id}"]`);
        await frame.getByTestId('app').waitFor({ timeout: 30_000 });
        await frame.getByTestId('embed-bar').waitFor();
        await frame.locator(`[data-testid="position"][data-pos="${n}"][data-len="${n}"]`).waitFor({ timeout: 10_000 });
        await frame.locator(`[data-testid="violation"][data-inv="${inv}"]`).first().waitFor();
        assert.equal(await frame.getByTestId('link-notices').getAttribute('data-count'), '0', `${id}: the link still replays`);
      }
      // Heights are reported and applied by the page's listener.
      await page.waitForFunction(
        () => [...document.querySelectorAll('iframe')].every((f) => Number(f.dataset.reportedHeight) > 200),
        null,
        { timeout: 15_000 },
      );
      const heights = await page.$$eval('iframe', (fs) =>
        fs.map((f) => ({ reported: Number(f.dataset.reportedHeight), css: f.getBoundingClientRect().height })),
      );
      for (const h of heights) {
        assert.ok(Math.abs(h.reported - h.css) <= 2 || h.css === 4000, `frame sized to its report: ${JSON.stringify(h)}`);
      }
      // The S1 frame shows fewer panels, so it is shorter than the S2 frame.
      assert.ok(heights[1].reported < heights[0].reported, JSON.stringify(heights));

      // The app accepts no messages: a message that looks like a command changes nothing.
      const frame = page.frames().find((f) => f.url().includes('b4-mrelease-mmgrab'));
      assert.ok(frame, 'the S1 frame');
      await page.evaluate(() => {
        const f = document.querySelector('[data-testid="embed-s1"]');
        for (const msg of [{ type: 'mmrace:step', actor: 'V' }, { type: 'mmrace:load', hash: 'variant=v5.16' }, 'reset']) {
          f.contentWindow.postMessage(msg, '*');
        }
      });
      await page.waitForTimeout(500);
      const pos = await frame.evaluate(() => document.querySelector('[data-testid="position"]').dataset.pos);
      assert.equal(pos, '31');
      assert.match(await frame.evaluate(() => location.hash), /variant=b4-mrelease-mmgrab/);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
});
