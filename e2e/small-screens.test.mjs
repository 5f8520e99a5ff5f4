// A documentation column (600 px) and a phone (390×844): no horizontal overflow on the main view,
// the compare view and the embed; panels stack; the actor columns become a row you swipe, with
// tabs for any number of actors; the step controls stay at the bottom of the screen, under the
// thumb. Screenshots go to e2e/artifacts/.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useBrowserAndServer } from './support.mjs';
import { LARGEST_CELL_LINK, S1_LINK, S2_LINK, withApp, waitPosition } from './fragment-page.mjs';

const TIMEOUT = 120_000;
const SIZES = [
  { width: 390, height: 844, name: 'phone' },
  { width: 600, height: 900, name: 'docs-column' },
];

async function assertNoSidewaysOverflow(page, where) {
  const o = await page.evaluate(() => {
    const d = document.documentElement;
    // The widest element that sticks out, to make a failure easy to fix.
    let worst = null;
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > d.clientWidth + 1 && (!worst || r.right > worst.right)) {
        // Clipped by a scroller around it, unless it is positioned against something outside
        // that scroller (then it escapes the clipping and widens the page).
        const escapes = (p) => getComputedStyle(el).position === 'absolute' && !(el.offsetParent && p.contains(el.offsetParent));
        let hidden = false;
        for (let p = el.parentElement; p && p !== d; p = p.parentElement) {
          const ox = getComputedStyle(p).overflowX;
          if (ox !== 'visible') { hidden = !escapes(p); break; }
        }
        if (!hidden) worst = { right: Math.round(r.right), what: `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}` };
      }
    }
    return { scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, bodyScroll: document.body.scrollWidth, worst };
  });
  assert.ok(o.scrollWidth <= o.clientWidth, `${where}: scrollWidth ${o.scrollWidth} > clientWidth ${o.clientWidth} (${JSON.stringify(o.worst)})`);
  assert.ok(o.bodyScroll <= o.clientWidth, `${where}: body scrollWidth ${o.bodyScroll} > ${o.clientWidth}`);
}

/** Waits until actor `name`'s column is wholly inside the screen's width. */
function waitColumnInView(page, name) {
  return page.waitForFunction((l) => {
    const c = document.querySelector(`[data-testid="actor-column"][data-actor="${l}"]`).getBoundingClientRect();
    return c.left >= -1 && c.right <= window.innerWidth + 1;
  }, name);
}

describe('docs column and phone', { timeout: 10 * TIMEOUT }, () => {
  const env = useBrowserAndServer();

  for (const size of SIZES) {
    test(`${size.width}×${size.height}: main view, tour picker, compare and embed fit the width`, { timeout: TIMEOUT }, async () => {
      await withApp(env.browser.context, env.server.url, `#${S2_LINK}&at=35`, async (app, page) => {
        await waitPosition(page, 35, 36);
        await assertNoSidewaysOverflow(page, `${size.name} main view`);
        // Every part of the mm panel and the tour picker is inside the width.
        for (const sel of ['[data-testid="mm-panel"]', '[data-testid="tour-select"]', '[data-testid="variant-select"]', '[data-testid="vmas"]']) {
          const b = await page.locator(sel).boundingBox();
          assert.ok(b && b.x >= 0 && b.x + b.width <= size.width + 0.5, `${size.name}: ${sel} inside the width (${JSON.stringify(b)})`);
        }
        // Panels stack: the step list above the schedule, not beside it.
        const steps = await page.locator('.steps-panel').boundingBox();
        const sched = await page.locator('.schedule-panel').boundingBox();
        assert.ok(sched.y >= steps.y + steps.height - 1, `${size.name}: the schedule panel is under the step list`);
        await page.screenshot({ path: `e2e/artifacts/${size.name}-${size.width}.png` });
        await page.getByTestId('forward').click();
        await page.locator('[data-testid="violation"][data-inv="S2"]').waitFor();
        await assertNoSidewaysOverflow(page, `${size.name} with the S2 alert`);
        await page.getByTestId('mode-compare').click();
        await page.getByTestId('compare-divergence').waitFor({ timeout: 60_000 });
        await assertNoSidewaysOverflow(page, `${size.name} compare`);
        assert.deepEqual(app.problems(), []);
      }, size);
      await withApp(env.browser.context, env.server.url, `#${S2_LINK}&at=36&embed=1`, async (app, page) => {
        await waitPosition(page, 36, 36);
        await assertNoSidewaysOverflow(page, `${size.name} embed`);
        await page.screenshot({ path: `e2e/artifacts/${size.name}-${size.width}-embed.png`, fullPage: true });
        assert.deepEqual(app.problems(), []);
      }, size);
    });
  }

  test('phone: actor columns are a swipeable row with a tab per actor; the step bar is under the thumb', { timeout: TIMEOUT }, async () => {
    // proc-reader has five actors (V K R M G): the tabs and the row must take any number.
    await withApp(env.browser.context, env.server.url, '#variant=v5.17&sc=proc-reader', async (app, page) => {
      const cols = page.getByTestId('actor-column');
      const n = await cols.count();
      assert.ok(n >= 4, `${n} actors`);
      // The row scrolls; the page does not (nothing inside the row escapes its clipping).
      await assertNoSidewaysOverflow(page, 'phone proc-reader');
      assert.equal(await page.getByTestId('actor-tab').count(), n, 'one tab per actor');
      const row = page.getByTestId('actors');
      const r = await row.evaluate((el) => ({ sw: el.scrollWidth, cw: el.clientWidth, ox: getComputedStyle(el).overflowX, snap: getComputedStyle(el).scrollSnapType }));
      assert.ok(r.sw > r.cw, 'the columns are wider than the screen together…');
      assert.match(r.ox, /auto|scroll/, '…and the row scrolls sideways');
      assert.match(r.snap, /x/, 'column by column');
      // Each column is nearly the screen's width (readable), and the first is fully visible.
      const first = await cols.first().boundingBox();
      assert.ok(first.width >= 300 && first.x >= 0 && first.x + first.width <= 390);
      // A tab brings its column into view.
      const last = page.locator('[data-testid="actor-tab"]').last();
      const letter = await last.getAttribute('data-actor');
      await last.click();
      await waitColumnInView(page, letter);
      // The step bar: fixed at the bottom, inside the screen, a Step button per actor.
      const bar = page.getByTestId('thumb-bar');
      const b = await bar.boundingBox();
      assert.ok(Math.abs(b.y + b.height - 844) <= 1, `the bar sits on the bottom edge (${JSON.stringify(b)})`);
      assert.equal(await bar.evaluate((el) => getComputedStyle(el).position), 'fixed');
      assert.equal(await page.getByTestId('thumb-step').count(), n);
      for (const id of ['back', 'forward', 'play']) {
        const x = await page.getByTestId(id).boundingBox();
        assert.ok(x.y >= 844 - b.height - 1 && x.y + x.height <= 844 && x.height >= 40, `${id} in the bar, thumb-sized (${JSON.stringify(x)})`);
      }
      // It works from the bottom of a scrolled page too.
      await page.mouse.wheel(0, 2000);
      await page.waitForFunction(() => window.scrollY > 0);
      await page.locator('[data-testid="thumb-step"]:not([disabled])').first().click();
      await waitPosition(page, 1, 1);
      await page.locator('[data-testid="thumb-step"]:not([disabled])').first().click();
      await waitPosition(page, 2, 2);
      await page.getByTestId('back').click();
      await waitPosition(page, 1, 2);
      await page.screenshot({ path: 'e2e/artifacts/phone-390-proc-reader.png' });
      assert.deepEqual(app.problems(), []);
    }, { width: 390, height: 844 });
  });

  test('phone with two callers and two readers: every tab and Step button names its own actor', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, `#${LARGEST_CELL_LINK}`, async (app, page) => {
      const tabs = page.getByTestId('actor-tab');
      await tabs.first().waitFor();
      await assertNoSidewaysOverflow(page, 'phone with seven actors');
      const tabNames = await tabs.evaluateAll((els) => els.map((e) => e.getAttribute('data-actor')));
      assert.deepEqual(tabNames, ['V', 'K', 'R', 'M', 'M2', 'G', 'G2']);
      const tabLabels = (await tabs.locator('.actor-badge').allInnerTexts()).map((x) => x.trim());
      assert.deepEqual(tabLabels, ['V', 'K', 'R', 'M1', 'M2', 'G1', 'G2'], 'the badges tell the two of a kind apart');
      const thumbs = (await page.getByTestId('thumb-step').allInnerTexts()).map((x) => x.replace('Step', '').trim());
      assert.deepEqual(thumbs, ['V', 'K', 'R', 'M1', 'M2', 'G1', 'G2'], 'so do the Step buttons');
      // The M2 tab brings M2's column (not M1's) into view.
      await page.locator('[data-testid="actor-tab"][data-actor="M2"]').click();
      await waitColumnInView(page, 'M2');
      // The G2 Step button steps G2.
      await page.locator('[data-testid="thumb-step"][data-actor="G2"]').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="narration"]')?.getAttribute('data-actor') === 'G2');
      assert.deepEqual(app.problems(), []);
    }, { width: 390, height: 844 });
  });

  test('1024×768 with seven actors: each column\'s badge stays beside its Step button, which keeps its name', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, `#${LARGEST_CELL_LINK}`, async (app, page) => {
      const cols = page.getByTestId('actor-column');
      await cols.first().waitFor();
      assert.equal(await cols.count(), 7);
      for (let i = 0; i < 7; i++) {
        const col = cols.nth(i);
        const badge = await col.locator('.actor-badge').boundingBox();
        const button = col.getByTestId('step-button');
        const b = await button.boundingBox();
        const name = await col.getAttribute('data-actor');
        assert.ok(badge.x + badge.width <= b.x + 0.5, `${name}: the badge (${JSON.stringify(badge)}) is not under the button (${JSON.stringify(b)})`);
        assert.match(await button.evaluate((el) => el.textContent.replace(/\s+/g, ' ').trim()), /^Step (V|K|R|M1|M2|G1|G2)$/, `${name}: the button's name keeps the verb`);
      }
      assert.deepEqual(app.problems(), []);
    }, { width: 1024, height: 768 });
  });

  test('b4 at 390 px: the S1 alert and the whole mm fit the width', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, `#${S1_LINK}`, async (app, page) => {
      await page.locator('[data-testid="violation"]').first().waitFor();
      await assertNoSidewaysOverflow(page, 'phone S1');
    }, { width: 390, height: 844 });
  });
});
