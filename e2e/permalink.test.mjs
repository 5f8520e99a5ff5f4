// Permalinks: the URL fragment always holds the view; replaceState while stepping, pushState
// for a new variant/scenario/tour; Back restores; bad links load what they can with every
// notice in a role=status banner; "Copy link" copies a link that reproduces the view.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useBrowserAndServer } from './support.mjs';
import { S2_LINK, fragmentParams, openApp, withApp, position, waitHash, waitPosition } from './fragment-page.mjs';

const TIMEOUT = 90_000;

describe('permalinks', { timeout: 8 * TIMEOUT }, () => {
  const env = useBrowserAndServer({ clipboard: true });

  test('the fragment follows each step in place; a new variant is a new history entry; Back restores it', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, '', async (app, page) => {
      let hash = await waitHash(page, /variant=v5\.17-rc1&sc=user-kill/);
      assert.ok(!fragmentParams(hash).s, `no steps yet: ${hash}`);
      const h0 = await page.evaluate(() => history.length);
      await page.locator('body').press('m');
      await page.locator('body').press('m');
      await page.locator('body').press('v');
      await waitPosition(page, 3, 3);
      hash = await waitHash(page, /s=M2V(&|$)/);
      assert.equal(await page.evaluate(() => history.length), h0, 'steps replace the entry, never push');
      // Step back: the position (at=) is in the link too.
      await page.locator('body').press('ArrowLeft');
      hash = await waitHash(page, /s=M2V&at=2/);
      assert.equal(await page.evaluate(() => history.length), h0);

      // A new variant: pushState.
      await page.getByTestId('variant-select').selectOption('v5.17');
      hash = await waitHash(page, /variant=v5\.17&/);
      assert.equal(await page.evaluate(() => history.length), h0 + 1, 'a new variant pushes one entry');
      assert.deepEqual(await position(page), { pos: 0, len: 0 });

      // Back: the previous view, at the same step.
      await page.goBack();
      await waitHash(page, /variant=v5\.17-rc1&sc=user-kill&s=M2V&at=2/);
      await waitPosition(page, 2, 3);
      assert.equal(await page.getByTestId('variant-select').inputValue(), 'v5.17-rc1');
      assert.deepEqual(app.problems(), []);
    });
  });

  test('a link reproduces variant, scenario, steps and position; no notices', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, `#${S2_LINK}&at=30`, async (app, page) => {
      await waitPosition(page, 30, 36);
      assert.equal(await page.getByTestId('variant-select').inputValue(), 'v5.17-rc1');
      assert.equal(await page.getByTestId('link-notices').getAttribute('data-count'), '0');
      // To the end: the S2 alert of the syzbot report.
      await page.locator('body').press('End');
      await waitPosition(page, 36, 36);
      await page.locator('[data-testid="violation"][data-inv="S2"]').waitFor({ timeout: 5_000 });
      await waitHash(page, /s=M4V27M5$/);
      assert.deepEqual(app.problems(), []);
    });
  });

  test('an old or damaged link opens with every notice in a status banner, never blank', { timeout: TIMEOUT }, async () => {
    // Another model version, two steps that cannot be taken, a position past the end.
    await withApp(env.browser.context, env.server.url, `#${S2_LINK}V2&m=0000dead&at=99&panels=mm,bogus`, async (app, page) => {
      const banner = page.locator('[role="status"][data-testid="link-notices"]');
      await banner.getByTestId('link-notice').first().waitFor({ timeout: 10_000 });
      const text = await banner.innerText();
      assert.match(text, /replayed to step 36 of 38/);
      assert.match(text, /model version 0000dead/);
      assert.match(text, /step 99 does not exist; showing step 36/);
      assert.match(text, /unknown panel 'bogus'/);
      assert.equal(Number(await banner.getAttribute('data-count')), 4);
      await waitPosition(page, 36, 36);
      // panels=mm: only the mm panel of the stage is shown; the S2 alert is there, hidden.
      assert.equal(await page.locator('html').getAttribute('data-panels'), 'mm');
      await page.locator('[data-testid="violation"][data-inv="S2"]').waitFor({ state: 'attached' });
      assert.ok(await page.getByTestId('mm-panel').isVisible());
      // Dismiss hides it.
      await page.getByTestId('link-notices-dismiss').click();
      assert.equal(await banner.getAttribute('data-count'), '0');

      // Garbage: still a page, with notices; HTML in a field is shown as text, never parsed.
      await page.evaluate(() => {
        location.hash = 'variant=%3Cimg%20src%3Dx%20onerror%3Dwindow.pwned%3D1%3E&sc=zzz&s=%ZZ&at=-1';
      });
      await banner.getByTestId('link-notice').first().waitFor({ timeout: 10_000 });
      const garbage = await banner.innerText();
      assert.match(garbage, /<img src=x onerror=window.pwned=1>/, 'the markup is shown as text');
      assert.equal(await page.locator('.link-notices img').count(), 0, 'and never becomes an element');
      assert.equal(await page.evaluate(() => window.pwned), undefined);
      assert.match(garbage, /unknown scenario 'zzz'/);
      assert.match(garbage, /bad %-escape/);
      await page.getByTestId('stage').waitFor();
      assert.deepEqual(app.problems(), []);
    });
  });

  test('editing the fragment (hashchange) loads the new view', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, '', async (app, page) => {
      await waitHash(page, /variant=v5\.17-rc1/);
      await page.evaluate((l) => {
        location.hash = l;
      }, `${S2_LINK}&at=5`);
      await waitPosition(page, 5, 36);
      assert.equal(await page.getByTestId('link-notices').getAttribute('data-count'), '0');
    });
  });

  test('"Copy link" copies a link that reproduces the view', { timeout: TIMEOUT }, async () => {
    const app = await openApp(env.browser.context, env.server.url, `#${S2_LINK}&at=33`);
    const { page } = app;
    let copy;
    try {
      await waitPosition(page, 33, 36);
      await page.locator('body').press('ArrowLeft');
      await waitPosition(page, 32, 36);
      await page.getByTestId('copy-link').click();
      await page.getByTestId('copy-link-status').filter({ hasText: 'Copied' }).waitFor({ timeout: 5_000 });
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.match(copied, /^http:\/\/127\.0\.0\.1:\d+\/#v=2&m=[0-9a-f]+&variant=v5\.17-rc1&sc=user-kill&s=M4V27M5&at=32$/);
      copy = await openApp(env.browser.context, copied, '');
      await waitPosition(copy.page, 32, 36);
      assert.equal(await copy.page.getByTestId('link-notices').getAttribute('data-count'), '0');
      assert.deepEqual(copy.problems(), []);
    } finally {
      await copy?.close();
      await app.close();
    }
  });
});
