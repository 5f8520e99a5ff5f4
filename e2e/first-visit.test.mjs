// What a first-time visitor and a reader notice: the orientation on the bare URL (dismissible,
// remembered, never in an embed or on a link with a state, and its three ways in), the page's
// <meta name="description">, whole variant names in the picker at 1280 px, compare mode's
// opening (a shortest counterexample against the other variant, never an empty stage), the
// atlas's counts, the explorer's real progress, and the help dialog's focus trap.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useBrowserAndServer } from './support.mjs';
import { LARGEST_CELL_LINK, S2_LINK, openApp, withApp } from './fragment-page.mjs';

const TIMEOUT = 120_000;

describe('first visit, compare, atlas, explore progress, help', { timeout: 12 * TIMEOUT }, () => {
  const env = useBrowserAndServer();

  test('the bare URL opens on an orientation: the three paths, 5.17-rc, three ways in; dismissal is remembered', { timeout: TIMEOUT }, async () => {
    const { context } = env.browser;
    await withApp(context, env.server.url, '', async (app, page) => {
      await page.evaluate(() => localStorage.clear());
      // The bare URL again (the app has written the view into the fragment meanwhile).
      await page.goto(env.server.url);
      const o = page.getByTestId('orientation');
      await o.waitFor({ timeout: 20_000 });
      const story = await page.getByTestId('orientation-story').innerText();
      for (const w of ['exit_mmap', 'oom_reaper', 'process_mrelease', '5.17-rc1', 'mmap_lock']) assert.ok(story.includes(w), `the paragraph names ${w}`);
      assert.match(await page.getByTestId('orientation-tour').innerText(), /Take the tour/);
      assert.match(await page.getByTestId('orientation-tour').innerText(), /syzbot/);
      assert.match(await page.getByTestId('orientation-step').innerText(), /Step it yourself/);
      assert.match(await page.getByTestId('orientation-explore').innerText(), /Check every interleaving/);
      // It sits in the first screen at 1280×720, with the stage still visible under it.
      const box = await o.boundingBox();
      assert.ok(box.y + box.height <= 720, 'the orientation is on the first screen');
      assert.ok(await page.getByTestId('mm-panel').isVisible());
      await page.screenshot({ path: 'e2e/artifacts/first-visit-1280x720.png' });
      await page.getByTestId('orientation-dismiss').click();
      await o.waitFor({ state: 'detached' });
      await page.goto(env.server.url);
      await page.getByTestId('stage').waitFor();
      await page.waitForTimeout(300);
      assert.equal(await o.count(), 0, 'a dismissed orientation does not come back');
      assert.deepEqual(app.problems(), []);
    });
  });

  test('the three ways in: the syzbot tour, a Step button, the explorer', { timeout: TIMEOUT }, async () => {
    const { context } = env.browser;
    await withApp(context, env.server.url, '', async (app, page) => {
      const fresh = async () => {
        await page.evaluate(() => localStorage.clear());
        await page.goto(env.server.url);
        await page.getByTestId('orientation').waitFor({ timeout: 20_000 });
      };
      await fresh();
      await page.getByTestId('orientation-tour').click();
      await page.locator('[data-testid="tour"][data-tour="syzbot-uaf"]').waitFor();
      assert.equal(await page.getByTestId('orientation').count(), 0);
      assert.equal(await page.evaluate(() => localStorage.getItem('mmrace-orientation')), 'dismissed', 'using it counts as dismissing it');

      await fresh();
      await page.getByTestId('orientation-step').click();
      await page.waitForFunction(() => document.activeElement?.dataset?.testid === 'step-button');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('[data-testid="position"]')?.dataset.pos === '1');

      await fresh();
      await page.getByTestId('orientation-explore').click();
      await page.getByTestId('explore-verdict').waitFor({ timeout: 60_000 });
      assert.match(await page.getByTestId('explore-verdict').innerText(), /S2/);
      assert.deepEqual(app.problems(), []);
    });
  });

  test('no orientation in an embed or on a link that carries a state', { timeout: TIMEOUT }, async () => {
    const { context } = env.browser;
    for (const suffix of [`#${S2_LINK}`, `#${S2_LINK}&embed=1`, '?embed=1', '?variant=v5.17', '#talk=1']) {
      await withApp(context, env.server.url, suffix, async (app, page) => {
        await page.evaluate(() => localStorage.clear());
        await page.reload();
        await page.getByTestId('position').first().waitFor({ state: 'attached' });
        await page.waitForTimeout(300);
        assert.equal(await page.getByTestId('orientation').count(), 0, `no orientation at ${suffix}`);
      });
    }
  });

  test('<meta name="description"> says what the site is', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, '', async (app, page) => {
      const d = await page.locator('meta[name="description"]').getAttribute('content');
      assert.ok(d && d.length > 60 && d.length < 300, `description: ${d}`);
      assert.match(d, /exit_mmap/);
      assert.match(d, /oom_reaper/);
    });
  });

  test('the variant picker shows every variant\'s whole name at 1280 px (normal and projector)', { timeout: TIMEOUT }, async () => {
    for (const suffix of ['#variant=v5.17-rc1', '#variant=v5.17-rc1&talk=1']) {
      await withApp(env.browser.context, env.server.url, suffix, async (app, page) => {
        const select = page.getByTestId('variant-select');
        const ids = await select.evaluate((el) => [...el.options].map((o) => o.value));
        assert.ok(ids.length >= 10);
        for (const id of ids) {
          await select.selectOption(id);
          const fit = await select.evaluate((el) => {
            const cs = getComputedStyle(el);
            const ctx = document.createElement('canvas').getContext('2d');
            ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
            const text = el.selectedOptions[0].text;
            const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 16; // the arrow
            return { text, need: ctx.measureText(text).width, room, right: el.getBoundingClientRect().right };
          });
          assert.ok(fit.need <= fit.room, `${suffix}: "${fit.text}" needs ${fit.need.toFixed(0)} px, has ${fit.room.toFixed(0)}`);
          assert.ok(fit.right <= 1280, `${suffix}: the picker ends inside the window`);
        }
      });
    }
  });

  test('compare mode opens on the shortest counterexample replayed on the fix, at the first divergence', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, '#variant=v5.17-rc1&sc=user-kill', async (app, page) => {
      await page.getByTestId('mode-compare').click();
      const div = page.getByTestId('compare-divergence');
      await div.waitFor({ timeout: 60_000 });
      assert.equal(await div.getAttribute('class'), 'divergence found');
      assert.match(await div.innerText(), /First divergence/);
      assert.equal(await page.getByTestId('compare-a').inputValue(), 'v5.17-rc1');
      assert.equal(await page.getByTestId('compare-b').inputValue(), 'v5.17');
      assert.notEqual((await page.getByTestId('compare-schedule').inputValue()).trim(), '', 'a schedule is loaded');
      assert.match(await page.getByTestId('compare-why').innerText(), /shortest counterexample of v5\.17-rc1.*S2/);
      // It opens on the divergence row, highlighted.
      const row = Number(await page.getByTestId('compare-position').getAttribute('data-row'));
      assert.ok(row > 0);
      assert.equal(await page.locator('.compare-rows tr.diverges').count(), 1);
      await page.getByTestId('compare-end').click();
      assert.match(await page.getByTestId('compare-side-a').getByTestId('compare-violations').innerText(), /S2/);
      assert.deepEqual(app.problems(), []);
    });
    // A variant with no counterexample opens on the first one that has one, replayed on it.
    await withApp(env.browser.context, env.server.url, '#variant=v5.17&sc=user-kill', async (app, page) => {
      await page.getByTestId('mode-compare').click();
      await page.getByTestId('compare-divergence').waitFor({ timeout: 60_000 });
      assert.equal(await page.getByTestId('compare-a').inputValue(), 'v5.17-rc1');
      assert.equal(await page.getByTestId('compare-b').inputValue(), 'v5.17');
      assert.match(await page.getByTestId('compare-why').innerText(), /v5\.17 has no counterexample/);
    });
  });

  test('the atlas never shows "0 states" and says what its columns count', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, '#variant=b4-mrelease-mmgrab&sc=oom-kill', async (app, page) => {
      await page.getByTestId('explore-start').click();
      await page.getByTestId('explore-verdict').waitFor({ timeout: 60_000 });
      const states = await page.getByTestId('outcome-states').allInnerTexts();
      assert.ok(states.length > 3);
      for (const s of states) assert.ok(Number(s) > 0, `a row reached by a violation shows ${s} states`);
      assert.match(await page.getByTestId('atlas-legend').innerText(), /states reached.*distinct states/);
      assert.deepEqual(app.problems(), []);
    });
  });

  test('explore progress shows states so far, the frontier and the depth', { timeout: TIMEOUT }, async () => {
    // The largest cell the picker offers (0.59 M states, most of a second in the worker): the
    // largest preset now ends in a few hundredths of a second, between two looks at the page.
    await withApp(env.browser.context, env.server.url, `#${LARGEST_CELL_LINK}`, async (app, page) => {
      await page.getByTestId('explore-start').click();
      // While it runs: a frontier and a depth, and a determinate bar.
      await page.waitForFunction(() => {
        const p = document.querySelector('[data-testid="explore-progress"]');
        return p?.dataset.running === 'true' && Number(p.dataset.frontier) > 0 && Number(p.dataset.depth) > 0;
      }, null, { timeout: 30_000 });
      const bar = page.locator('[data-testid="explore-progress"] progress');
      assert.notEqual(await bar.getAttribute('value'), null, 'the bar is determinate');
      assert.match(await page.getByTestId('explore-progress').innerText(), /states so far[\s\S]*frontier[\s\S]*depth/);
      await page.getByTestId('explore-verdict').waitFor({ timeout: 90_000 });
      assert.equal(await page.getByTestId('explore-frontier').innerText(), '0', 'nothing left to expand');
      assert.deepEqual(app.problems(), []);
    });
  });

  test('help: Tab stays inside the dialog, Esc returns the focus where it was', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, `#${S2_LINK}`, async (app, page) => {
      const opener = page.getByTestId('help-button');
      await opener.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByTestId('help-overlay');
      await dialog.waitFor();
      const inside = () => page.evaluate(() => !!document.activeElement?.closest('[data-testid="help-overlay"]'));
      assert.ok(await inside(), 'focus moves into the dialog');
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('Tab');
        assert.ok(await inside(), `Tab ${i + 1} stays inside`);
        await page.keyboard.press('Shift+Tab');
        assert.ok(await inside(), `Shift+Tab ${i + 1} stays inside`);
      }
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(() => document.activeElement?.dataset?.testid), 'help-button', 'focus is back on the Keys button');
      // Opened with "?" from the step-back button, it returns there.
      await page.getByTestId('back').focus();
      await page.keyboard.press('?');
      await dialog.waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(() => document.activeElement?.dataset?.testid), 'back');
      assert.deepEqual(app.problems(), []);
    });
  });
});
