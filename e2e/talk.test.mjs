// Talk mode: the projector theme (toggle and talk=1), presenter keys, and every guided tour of
// core/src/tour.rs played to its end with presenter keys — each cue's caption must show and the
// last cue's promise must be on screen, so a demo cannot drift from the model.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { useBrowserAndServer } from './support.mjs';
import { S2_LINK, fragmentParams, loadTours, openApp, startTour, withApp, waitHash, waitPosition } from './fragment-page.mjs';

const TIMEOUT = 120_000;
const NEXT_KEYS = [' ', 'ArrowRight', 'PageDown', '.'];

/**
 * Checks that the state on screen keeps a promise as `mmrace tours --json` writes it
 * ({kind: 'Fires', invariant: 'S1'}, {kind: 'Queued', actor: 'V'}, …), from what the page shows,
 * not from the app's own verdict on the promise.
 */
async function assertPromiseOnScreen(page, expect, where) {
  const violations = () => page.locator('[data-testid="violation"]').evaluateAll((els) => els.map((e) => e.dataset.inv));
  switch (expect.kind) {
    case 'Nothing':
      return;
    case 'Fires': {
      const alert = page.locator(`[data-testid="violation"][data-inv="${expect.invariant}"]`).first();
      await alert.waitFor({ timeout: 5_000 });
      assert.ok(await alert.isVisible(), `${where}: ${expect.invariant} alert visible`);
      return;
    }
    case 'AllDone': {
      const statuses = await page.locator('[data-testid="actor-column"]').evaluateAll((els) => els.map((e) => e.dataset.status));
      assert.ok(statuses.includes('done') && statuses.every((s) => s === 'done' || s === 'absent'), `${where}: every actor done: ${statuses}`);
      return;
    }
    case 'Returned': {
      const st = await page.locator(`[data-testid="actor-column"][data-actor="${expect.actor}"]`).getAttribute('data-status');
      assert.equal(st, 'done', `${where}: ${expect.actor} has returned (${st})`);
      return;
    }
    case 'Queued': {
      const st = await page.locator(`[data-testid="actor-column"][data-actor="${expect.actor}"]`).getAttribute('data-status');
      assert.match(st, /queued/, `${where}: ${expect.actor} queued (${st})`);
      return;
    }
    case 'Clean':
      assert.deepEqual(await violations(), [], `${where}: no violation`);
      return;
    case 'Warning':
      assert.deepEqual([...new Set(await violations())], ['S7'], `${where}: only the S7 warning`);
      return;
    case 'Dangling':
      assert.match(await page.getByTestId('mm-head').innerText(), /freed|FREED|✖|dangling/i, `${where}: mm->mmap dangling`);
      return;
    case 'FlagSet':
      assert.equal(await page.locator(`[data-testid="mm-flag"][data-flag="${expect.flag}"]`).getAttribute('data-set'), 'true', `${where}: ${expect.flag} set`);
      return;
    case 'TrylockFailed': {
      const flash = page.getByTestId('trylock-flash');
      await flash.waitFor({ timeout: 5_000 });
      assert.match(await flash.innerText(), /mmap_read_trylock failed/, `${where}: the failed trylock shows`);
      return;
    }
    case 'ExitMmapIn': {
      // Still inside: its call path runs through __mmput; already back: its step list says so.
      const path = await page.locator(`[data-testid="actor-column"][data-actor="${expect.actor}"] [data-testid="call-path"]`).innerText();
      if (/__mmput/.test(path)) return;
      const rows = await page.getByTestId('step-row').allTextContents();
      assert.ok(
        rows.some((r) => r.includes(`${expect.actor}: mmput drops the last mm_users reference`)),
        `${where}: exit_mmap ran in ${expect.actor} (call path '${path}', no last-mmput step)`,
      );
      return;
    }
    default:
      throw new Error(`${where}: a promise this test does not know: ${JSON.stringify(expect)}`);
  }
}

describe('talk mode and guided tours', { timeout: 12 * TIMEOUT }, () => {
  const env = useBrowserAndServer();
  let tours;

  before(async () => {
    tours = await loadTours();
  });

  test('projector theme: toggle, talk=1 in the link, larger type', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, '', async (app, page) => {
      const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
      const normal = await size();
      await page.getByTestId('talk-toggle').click();
      assert.equal(await page.getByTestId('talk-toggle').getAttribute('aria-pressed'), 'true');
      assert.equal(await page.locator('html').getAttribute('data-talk'), '1');
      assert.ok((await size()) > normal, 'larger type');
      const hash = await waitHash(page, /talk=1/);
      const again = await openApp(env.browser.context, `${env.server.url}#${hash}`, '');
      try {
        assert.equal(await again.page.locator('html').getAttribute('data-talk'), '1');
        assert.equal(await again.page.getByTestId('talk-toggle').getAttribute('aria-pressed'), 'true');
      } finally {
        await again.close();
      }
      assert.deepEqual(app.problems(), []);
    });
  });

  test('presenter keys without a tour: Space/→/PageDown/. step, ←/PageUp back, [ ] speed, ? help, f full screen', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, `#${S2_LINK}&at=0&talk=1`, async (app, page) => {
      await waitPosition(page, 0, 36);
      const body = page.locator('body');
      for (const [i, k] of NEXT_KEYS.entries()) {
        await body.press(k);
        await waitPosition(page, i + 1, 36);
      }
      assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'false', 'Space steps in talk mode');
      await body.press('ArrowLeft');
      await waitPosition(page, 3, 36);
      await body.press('PageUp');
      await waitPosition(page, 2, 36);
      const speed = await page.getByTestId('speed').inputValue();
      await body.press(']');
      await page.waitForFunction((s) => document.querySelector('[data-testid="speed"]').value !== s, speed);
      await body.press('[');
      await page.waitForFunction((s) => document.querySelector('[data-testid="speed"]').value === s, speed);
      await body.press('?');
      const help = page.getByTestId('help-overlay');
      await help.waitFor();
      assert.match(await help.innerText(), /PageDown/);
      assert.match(await help.innerText(), /full screen/);
      await page.keyboard.press('Escape');
      await help.waitFor({ state: 'detached' });
      await body.press('f');
      await page.waitForFunction(() => document.fullscreenElement !== null, null, { timeout: 5_000 });
      await body.press('f');
      await page.waitForFunction(() => document.fullscreenElement === null, null, { timeout: 5_000 });
      assert.deepEqual(app.problems(), []);
    });
  });

  test('every tour plays to its end with presenter keys; each caption shows; the last promise is on screen', { timeout: 4 * TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, '#talk=1', async (app, page) => {
      const panel = page.getByTestId('tour');
      const caption = page.getByTestId('tour-caption');
      let key = 0;
      for (const tour of tours) {
        // In projector mode a running tour replaces the header and the share-and-present bar
        // (with the tour picker): startTour ends it before the next tour is chosen.
        await startTour(page, tour);
        assert.equal(await page.getByTestId('variant-select').inputValue(), tour.variant, `${tour.id}: loads its variant`);
        assert.match(await caption.innerText(), new RegExp(tour.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
        await waitHash(page, new RegExp(`tour=${tour.id}(&|$)`));
        for (const [i, cue] of tour.cues.entries()) {
          // Focus is on the tour panel, so presenter keys reach the page, not a button.
          await page.keyboard.press(NEXT_KEYS[key++ % NEXT_KEYS.length]);
          await page.locator(`[data-testid="tour"][data-cue="${i + 1}"]`).waitFor({ timeout: 10_000 });
          assert.equal((await caption.innerText()).trim(), cue.caption, `${tour.id} cue ${i + 1}: caption`);
          if (cue.expect.kind !== 'Nothing') {
            assert.equal(await page.getByTestId('tour-promise').getAttribute('data-ok'), 'true', `${tour.id} cue ${i + 1}: promise ${cue.expect.kind} kept`);
          }
          if (tour.compare) {
            const cmp = page.getByTestId('tour-compare');
            assert.equal(await cmp.getAttribute('data-variant'), tour.compare, `${tour.id}: comparison variant shown`);
            const title = await cmp.locator('.tour-compare-title').innerText();
            assert.ok(!title.includes(`${tour.compare} ${tour.compare}`), `${tour.id}: "${title}" names the variant once`);
            const outcome = await cmp.getByTestId('tour-compare-outcome').innerText();
            for (const a of ['V', 'K', 'R', 'M', 'G']) {
              const n = (outcome.match(new RegExp(`\\b${a}\\b[^.]*(returned|queued)`, 'g')) ?? []).length;
              assert.ok(n <= 1, `${tour.id} cue ${i + 1}: the comparison says where ${a} is once: "${outcome}"`);
            }
          }
          // One key press, one cue: a late second advance would have moved it on by now.
          assert.equal(await panel.getAttribute('data-cue'), String(i + 1), `${tour.id} cue ${i + 1}: stays after one key press`);
        }
        const last = tour.cues[tour.cues.length - 1];
        await assertPromiseOnScreen(page, last.expect, `${tour.id} (last cue)`);
        assert.ok(await page.getByTestId('tour-promise').isVisible());
        await page.getByTestId('tour-end').waitFor();
        // One more "next" stays at the end; "back" goes to the previous cue.
        await page.keyboard.press('ArrowRight');
        // Give a wrong advance time to happen (the app rewrites its state within 150 ms).
        await page.waitForTimeout(500);
        assert.equal(await panel.getAttribute('data-cue'), String(tour.cues.length), `${tour.id}: Next at the end stays there`);
        await page.keyboard.press('ArrowLeft');
        await page.locator(`[data-testid="tour"][data-cue="${tour.cues.length - 1}"]`).waitFor();
        await page.keyboard.press('PageDown');
        await page.locator(`[data-testid="tour"][data-cue="${tour.cues.length}"]`).waitFor();
        // The address follows (it is rewritten at most every 150 ms).
        const hash = fragmentParams(await waitHash(page, new RegExp(`cue=${tour.cues.length}&`)));
        assert.equal(hash.tour, tour.id);
        assert.equal(hash.cue, String(tour.cues.length));
      }
      // The last tour's link reopens at its last cue.
      const link = await page.evaluate(() => location.href);
      const again = await openApp(env.browser.context, link, '');
      try {
        const t = tours[tours.length - 1];
        await again.page.locator(`[data-testid="tour"][data-tour="${t.id}"][data-cue="${t.cues.length}"]`).waitFor({ timeout: 10_000 });
        await assertPromiseOnScreen(again.page, t.cues[t.cues.length - 1].expect, `${t.id} reopened`);
        // The picker names the tour the link started, not the first one.
        const picked = await again.page.getByTestId('tour-select').evaluate((el) => el.selectedOptions[0].text);
        assert.equal(picked, t.title, 'the tour picker shows the running tour');
      } finally {
        await again.close();
      }
      await page.getByTestId('tour-exit').click();
      await panel.waitFor({ state: 'detached' });
      assert.deepEqual(app.problems(), []);
    });
  });
});
