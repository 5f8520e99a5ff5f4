// Edit mode (the patch playground): per-line actions by keyboard, the edit list as text, the
// automatic re-check with its verdict, atlas and Load, refusals, links that carry the edits and
// the challenge, and comparing the edited variant with the variant as shipped.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mmraceCli, useBrowserAndServer } from './support.mjs';
import { fragmentParams, waitHash, withApp } from './fragment-page.mjs';

const TIMEOUT = 120_000;

/** The editor's row for step `name` (`function:id`). */
const row = (page, name) => page.locator(`[data-testid="editor"] [data-step="${name}"]`);

async function verdict(page, scenario, timeout = 30_000) {
  const v = page.locator(`[data-testid="recheck-verdict"][data-scenario="${scenario}"]`);
  await v.waitFor({ state: 'visible', timeout });
  return { safe: (await v.getAttribute('data-safe')) === 'true', text: (await v.textContent()).trim(), ms: Number(await v.getAttribute('data-ms')) };
}

async function editText(page) {
  return page.getByTestId('edit-text').inputValue();
}

/** Waits until the edit list (as the session holds it) equals `want`. */
async function waitEdits(page, want) {
  await page.waitForFunction((w) => document.querySelector('[data-testid="edit-text"]')?.value === w, want, { timeout: 10_000 });
}

describe('edit mode', { timeout: 10 * TIMEOUT }, () => {
  const env = useBrowserAndServer({ clipboard: true });

  test('keyboard only: open with e, delete a line with Enter, the re-check finds S2 and Load steps it', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, '#v=2&variant=v5.17&sc=user-kill', async (app, page) => {
      assert.equal(await page.getByTestId('editor').count(), 0, 'edit mode starts closed');
      await page.locator('body').press('e');
      await page.getByTestId('editor').waitFor({ state: 'visible' });
      assert.equal(await page.getByTestId('edit-mode').getAttribute('aria-pressed'), 'true');
      await page.waitForFunction(() => document.activeElement?.id === 'editor-title');
      let v = await verdict(page, 'user-kill');
      assert.ok(v.safe, `v5.17 as shipped is safe: ${v.text}`);

      // Tab from the heading to the delete button of exit_mmap:reset_mmap, then Enter.
      const del = row(page, 'exit_mmap:reset_mmap').locator('[data-act="delete"]');
      let tabs = 0;
      while (!(await del.evaluate((el) => el === document.activeElement)) && tabs < 400) {
        await page.keyboard.press('Tab');
        tabs++;
      }
      assert.ok(tabs < 400, 'the delete button is reachable with Tab');
      assert.equal(await del.getAttribute('aria-label'), 'Delete exit_mmap:reset_mmap');
      await page.keyboard.press('Enter');
      await waitEdits(page, 'delete exit_mmap:reset_mmap\n');
      assert.equal(await row(page, 'exit_mmap:reset_mmap').count(), 0, 'the line is gone from the listing');
      const removed = page.locator('[data-testid="edit-listing"] [data-change="removed"]');
      assert.match(await removed.first().textContent(), /mm->mmap = NULL/, 'the removed line stays, struck through');
      // The keyboard focus stays in the listing (on the line that took its place).
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.act), 'delete');

      v = await verdict(page, 'user-kill');
      assert.ok(!v.safe && /S2/.test(v.text), `the re-check reports S2: ${v.text}`);
      assert.ok(v.ms >= 0);
      assert.match(await page.getByTestId('editor-subject').textContent(), /v5\.17 \+ 1 edit · user-kill/);
      assert.match(await page.getByTestId('edited-tag').textContent(), /v5\.17 \+ 1 edit/, 'the header says the run is of an edited variant');

      // Load the counterexample: the stepper replays it and shows the violation.
      const load = page.locator('[data-testid="recheck-atlas"] [data-testid="outcome"][data-inv="S2"] [data-testid="outcome-load"]').first();
      await load.click();
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="position"]')?.dataset.pos) > 0);
      await page.getByTestId('violations').waitFor({ state: 'visible', timeout: 10_000 });
      assert.match(await page.getByTestId('violations').textContent(), /S2/);
      assert.deepEqual(app.problems(), []);
    });
  });

  test('move, duplicate, replace and insert become edit lines; undo and clear take them back', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, '#v=2&variant=v5.16&sc=oom-kill&edit=1', async (app, page) => {
      await page.getByTestId('editor').waitFor({ state: 'visible' });
      const r = row(page, 'exit_mmap:set_skip');
      await r.locator('[data-act="up"]').click();
      await waitEdits(page, 'move exit_mmap:set_skip before exit_mmap:self_reap\n');
      // The moved line keeps the focus on its own up button, one line higher.
      assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-step]')?.dataset.step), 'exit_mmap:set_skip');
      assert.equal(await row(page, 'exit_mmap:set_skip').getAttribute('data-change'), 'moved');

      await row(page, 'exit_mmap:barrier_unlock').locator('[data-act="duplicate"]').click();
      await page.waitForFunction(() => /\nduplicate exit_mmap:barrier_unlock\n$/.test(document.querySelector('[data-testid="edit-text"]').value));
      assert.equal(await row(page, 'exit_mmap:barrier_unlock_dup').getAttribute('data-change'), 'added');

      // Replace by an op from the menu, by keyboard.
      await row(page, 'exit_mmap:set_skip').locator('[data-act="replace"]').click();
      const form = page.getByTestId('op-form');
      await form.waitFor({ state: 'visible' });
      await page.waitForFunction(() => document.activeElement?.dataset.testid === 'op-select');
      await page.getByTestId('op-select').selectOption('nop');
      assert.equal(await page.getByTestId('op-text').inputValue(), 'nop');
      await page.getByTestId('op-text').press('Enter');
      await page.waitForFunction(() => /replace exit_mmap:set_skip with nop\n$/.test(document.querySelector('[data-testid="edit-text"]').value));
      // Moved and now replaced: its text is the new op's.
      assert.match(await row(page, 'exit_mmap:set_skip').locator('code.src').textContent(), /^nop$/);

      // Insert below, with an op typed by hand.
      await row(page, 'exit_mmap:set_skip').locator('[data-act="below"]').click();
      await page.getByTestId('op-text').fill('set_bit(MMF_OOM_SKIP)');
      await page.getByTestId('op-apply').click();
      await page.waitForFunction(() => /insert after exit_mmap:set_skip set_bit\(MMF_OOM_SKIP\)\n$/.test(document.querySelector('[data-testid="edit-text"]').value));
      assert.equal(await page.locator('[data-testid="editor"] [data-step="exit_mmap:new1"]').getAttribute('data-change'), 'added');

      // Escape closes an op form without an edit.
      const before = await editText(page);
      await row(page, 'exit_mmap:new1').locator('[data-act="above"]').click();
      await page.getByTestId('op-select').press('Escape');
      await form.waitFor({ state: 'detached' });
      assert.equal(await editText(page), before);

      await page.getByTestId('edit-undo').click();
      await page.waitForFunction(() => !/insert after/.test(document.querySelector('[data-testid="edit-text"]').value));
      assert.equal(await page.locator('[data-testid="editor"] [data-step="exit_mmap:new1"]').count(), 0);
      await page.getByTestId('edit-clear').click();
      await waitEdits(page, '');
      const v = await verdict(page, 'oom-kill');
      assert.ok(v.safe, `cleared: v5.16 as shipped is safe: ${v.text}`);
      assert.deepEqual(app.problems(), []);
    });
  });

  test('refusals: an action at the edge and a pasted list that cannot apply say why and change nothing', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, '#v=2&variant=v5.17&sc=user-kill&edit=1', async (app, page) => {
      await page.getByTestId('editor').waitFor({ state: 'visible' });
      // Deleting the target of a branch while the branch remains.
      await row(page, 'exit_mmap:victim_end').locator('[data-act="delete"]').click();
      const err = page.getByTestId('edit-error');
      await err.waitFor({ state: 'visible' });
      assert.equal(await err.getAttribute('role'), 'alert');
      assert.match(await err.textContent(), /delete refused: .*victim_end/);
      assert.equal(await editText(page), '');

      await page.getByTestId('edit-text').fill('delete exit_mmap:reset_mmap\nmove exit_mmap:nope before exit_mmap:wlock\n');
      await page.getByTestId('edit-apply').click();
      await page.waitForFunction(() => /line 2 .*unknown step exit_mmap:nope/.test(document.querySelector('[data-testid="edit-error"]')?.textContent ?? ''));
      assert.match(await page.getByTestId('editor-subject').textContent(), /^v5\.17 · /, 'nothing was applied');
      // A good paste applies.
      await page.getByTestId('edit-text').fill('# the syzbot bug\ndelete exit_mmap:reset_mmap\n');
      await page.getByTestId('edit-apply').click();
      await page.waitForFunction(() => /v5\.17 \+ 1 edit/.test(document.querySelector('[data-testid="editor-subject"]').textContent));
      assert.equal(await err.count(), 0, 'the alert goes once an edit applies');
      assert.deepEqual(app.problems(), []);
    });
  });

  test('a challenge is solved in the page, and its link carries the edits and the solved state', { timeout: TIMEOUT }, async () => {
    let link;
    await withApp(env.browser.context, env.server.url, '#v=2&variant=v5.16&sc=oom-kill', async (app, page) => {
      await page.getByTestId('edit-mode').click();
      await page.getByTestId('challenge-select').selectOption('syzbot');
      const card = page.getByTestId('challenge');
      await card.waitFor({ state: 'visible' });
      assert.match(await page.getByTestId('editor-subject').textContent(), /^v5\.17 · user-kill/, 'the challenge opens its variant and scenario');
      await page.waitForFunction(() => /no edits yet/.test(document.querySelector('[data-testid="challenge-status"]')?.textContent ?? ''));
      assert.equal(await card.getAttribute('data-solved'), 'false');
      // The link is written in idle time; an edit before it would share its history entry.
      await waitHash(page, /ch=syzbot/);
      await row(page, 'exit_mmap:reset_mmap').locator('[data-act="delete"]').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="challenge"]')?.dataset.solved === 'true', null, { timeout: 30_000 });
      assert.match(await page.getByTestId('challenge-status').textContent(), /Solved with 1 edit\. f798a1d4f94d/);
      link = await waitHash(page, /e=1\.d.exit_mmap:reset_mmap&ch=syzbot/);
      const p = fragmentParams(link);
      assert.equal(p.e.replaceAll('+', ' '), '1.d exit_mmap:reset_mmap', 'the compact edit list');
      assert.equal(p.variant, 'v5.17');
      assert.equal(p.edit, '1');
      // Back undoes the edit (an edit is a history entry).
      await page.goBack();
      await page.waitForFunction(() => document.querySelector('[data-testid="edit-text"]')?.value === '');
      assert.equal(await page.getByTestId('challenge').getAttribute('data-solved'), 'false');
    });
    // The link opens edit mode with the challenge solved.
    await withApp(env.browser.context, env.server.url, `#${link}`, async (app, page) => {
      await page.getByTestId('editor').waitFor({ state: 'visible' });
      assert.equal(await editText(page), 'delete exit_mmap:reset_mmap\n');
      await page.waitForFunction(() => document.querySelector('[data-testid="challenge"]')?.dataset.solved === 'true', null, { timeout: 30_000 });
      assert.deepEqual(app.problems(), []);
    });
  });

  test('a link whose edit list no longer applies opens the variant unedited with a notice', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, '#v=2&variant=v5.16&sc=user-kill&e=1.d+exit_mmap:reset_mmap', async (app, page) => {
      const banner = page.getByTestId('link-notices');
      await banner.waitFor({ state: 'visible' });
      assert.match(await banner.textContent(), /edit list no longer applies to v5\.16 .*unknown step exit_mmap:reset_mmap.*showing v5\.16 unedited/);
      assert.equal(await page.getByTestId('editor').count(), 0);
    });
  });

  test('compare mode shows the edited variant against the variant as shipped', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, '#v=2&variant=v5.17&sc=user-kill&e=1.d+exit_mmap:reset_mmap', async (app, page) => {
      await page.getByTestId('editor').waitFor({ state: 'visible' });
      await verdict(page, 'user-kill');
      await page.getByTestId('compare-edited').click();
      await page.getByTestId('compare').waitFor({ state: 'visible' });
      assert.match(await page.locator('[data-testid="compare-side-a"] [data-testid="compare-variant"]').textContent(), /^v5\.17 \+ 1 edit$/);
      assert.equal((await page.locator('[data-testid="compare-side-b"] [data-testid="compare-variant"]').textContent()).trim(), 'v5.17');
      await page.getByTestId('compare-a-edited').waitFor({ state: 'visible' });
      const div = page.getByTestId('compare-divergence');
      assert.equal(await div.getAttribute('class'), 'divergence found');
      assert.match(await div.textContent(), /v5\.17 \+ 1 edit/);
      assert.deepEqual(app.problems(), []);
    });
  });

  test('a trace JSON with an edit list imports as the edited variant', { timeout: TIMEOUT }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mmrace-edits-'));
    try {
      const file = path.join(dir, 'syzbot.edits');
      await writeFile(file, 'delete exit_mmap:reset_mmap\n');
      const trace = mmraceCli(['run', '--variant', 'v5.17', '--scenario', 'user-kill', '--edits', file, '--schedule', 'M:task_unlock V* M*', '--json'], { ok: [0, 1] });
      assert.equal(JSON.parse(trace).edits, 'delete exit_mmap:reset_mmap\n');
      await withApp(env.browser.context, env.server.url, '#v=2&variant=v5.16&sc=oom-kill', async (app, page) => {
        // Set the text as a paste would (one input event; Playwright's fill types a 57 KB
        // trace through Input.insertText, which takes Chromium tens of seconds).
        await page.getByTestId('import-text').evaluate((el, v) => {
          el.value = v;
          el.dispatchEvent(new Event('input', { bubbles: true }));
        }, trace);
        await page.getByTestId('import-paste').click();
        await page.getByTestId('import-ok').waitFor({ timeout: 10_000 });
        assert.match(await page.getByTestId('edited-tag').textContent(), /v5\.17 \+ 1 edit/);
        await page.getByTestId('edited-tag').click();
        await page.getByTestId('editor').waitFor({ state: 'visible' });
        assert.equal(await editText(page), 'delete exit_mmap:reset_mmap\n');
        assert.deepEqual(app.problems(), []);
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
