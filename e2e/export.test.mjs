// Export and import: the trace JSON (download, copy, re-import by file and by paste; a corrupt
// or tampered file is refused with a clear error and the current run is kept), the race diagram
// as text, and the state and timeline SVG downloads.

import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { useBrowserAndServer } from './support.mjs';
import { S1_LINK, S2_LINK, withApp, position, waitPosition } from './fragment-page.mjs';

const TIMEOUT = 90_000;

async function download(page, testid) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), page.getByTestId(testid).click()]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), text: await readFile(file, 'utf8') };
}

describe('export and import', { timeout: 8 * TIMEOUT }, () => {
  const env = useBrowserAndServer({ clipboard: true });
  let dir;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mmrace-export-'));
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('trace JSON: download, then re-import by file picker after a reset', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, `#${S2_LINK}`, async (app, page) => {
      await waitPosition(page, 36, 36);
      const { name, text } = await download(page, 'export-json');
      assert.equal(name, 'mmrace-v5.17-rc1-user-kill-step36.json');
      const trace = JSON.parse(text);
      assert.equal(trace.format, 'mmrace-trace');
      assert.equal(trace.variant, 'v5.17-rc1');
      assert.equal(trace.scenario, 'user-kill');
      assert.equal(trace.choices, 'MMMMVVVVVVVVVVVVVVVVVVVVVVVVVVVMMMMM');
      assert.equal(trace.steps.length, 36);
      assert.ok(trace.steps[35].violations.some((v) => v.invariant === 'S2'));

      await page.getByTestId('reset').click();
      await waitPosition(page, 0, 0);
      const file = path.join(dir, name);
      await writeFile(file, text);
      await page.getByTestId('import-file').setInputFiles(file);
      await page.getByTestId('import-ok').waitFor({ timeout: 10_000 });
      assert.match(await page.getByTestId('import-ok').innerText(), /36 steps on v5\.17-rc1 · user-kill/);
      await waitPosition(page, 36, 36);
      await page.locator('[data-testid="violation"][data-inv="S2"]').waitFor();
      assert.deepEqual(app.problems(), []);
    });
  });

  test('a corrupt or tampered trace is refused with a clear error; the current run is kept', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, `#${S1_LINK}&at=20`, async (app, page) => {
      await waitPosition(page, 20, 31);
      // The app rewrites the (version 1) link in its own form once the page is idle.
      await page.waitForFunction(() => location.hash.startsWith('#v=2&'), null, { timeout: 10_000 });
      const hashBefore = await page.evaluate(() => location.hash);
      const corrupt = path.join(dir, 'corrupt.json');
      await writeFile(corrupt, '{"format": "mmrace-trace", "version": 1, "variant": "v5.16", "choi');
      await page.getByTestId('import-file').setInputFiles(corrupt);
      const err = page.getByTestId('import-error');
      await err.waitFor({ timeout: 10_000 });
      assert.match(await err.innerText(), /corrupt\.json: not an mmrace trace \(JSON error/);
      assert.match(await err.innerText(), /current run is unchanged/);
      assert.ok(await page.locator('[role="status"][data-testid="import-status"]').isVisible());
      assert.deepEqual(await position(page), { pos: 20, len: 31 });
      assert.equal(await page.getByTestId('variant-select').inputValue(), 'b4-mrelease-mmgrab');

      // A well-formed trace whose steps this model does not execute.
      const tampered = JSON.parse((await download(page, 'export-json')).text);
      tampered.steps[0].label = 'not_a_step';
      await page.getByTestId('import-text').fill(JSON.stringify(tampered));
      await page.getByTestId('import-paste').click();
      await page.getByTestId('import-error').filter({ hasText: 'step 1' }).waitFor({ timeout: 5_000 });
      assert.deepEqual(await position(page), { pos: 20, len: 31 });

      // Markup in a trace is reported as text, never parsed.
      tampered.variant = '<img src=x onerror="window.pwned=1">';
      await page.getByTestId('import-text').fill(JSON.stringify(tampered));
      await page.getByTestId('import-paste').click();
      await page.getByTestId('import-error').filter({ hasText: '<img src=x' }).waitFor({ timeout: 5_000 });
      assert.equal(await page.locator('[data-testid="import-status"] img').count(), 0);
      assert.equal(await page.evaluate(() => window.pwned), undefined);
      assert.deepEqual(await position(page), { pos: 20, len: 31 });
      await page.waitForTimeout(400);
      assert.equal(await page.evaluate(() => location.hash), hashBefore, 'the link is unchanged too');
      assert.deepEqual(app.problems(), []);
    });
  });

  test('trace JSON: copy, then paste it back', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, `#${S1_LINK}`, async (app, page) => {
      await waitPosition(page, 31, 31);
      await page.getByTestId('copy-json').click();
      await page.getByTestId('copy-json-status').filter({ hasText: 'Copied' }).waitFor({ timeout: 5_000 });
      const json = await page.evaluate(() => navigator.clipboard.readText());
      assert.equal(JSON.parse(json).variant, 'b4-mrelease-mmgrab');
      await page.getByTestId('variant-select').selectOption('v5.16');
      await waitPosition(page, 0, 0);
      await page.getByTestId('import-text').fill(json);
      await page.getByTestId('import-paste').click();
      await page.getByTestId('import-ok').waitFor({ timeout: 10_000 });
      await waitPosition(page, 31, 31);
      assert.equal(await page.getByTestId('variant-select').inputValue(), 'b4-mrelease-mmgrab');
      await page.locator('[data-testid="violation"][data-inv="S1"]').waitFor();
      assert.deepEqual(app.problems(), []);
    });
  });

  test('race diagram as text, with a copy button', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, `#${S2_LINK}`, async (app, page) => {
      await waitPosition(page, 36, 36);
      await page.getByTestId('diagram-details').locator('summary').click();
      const ta = page.getByTestId('diagram-text');
      await page.waitForFunction(() => document.querySelector('[data-testid="diagram-text"]').value.length > 100);
      const text = await ta.inputValue();
      assert.match(text, /^V: .*M: process_mrelease/m, text.slice(0, 300));
      assert.match(text, /can_madv_lru_vma.*S2/);
      await page.getByTestId('copy-diagram').click();
      await page.getByTestId('copy-diagram-status').filter({ hasText: 'Copied' }).waitFor({ timeout: 5_000 });
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text);
      // It follows the current step.
      await page.locator('body').press('Home');
      await page.waitForFunction(() => document.querySelector('[data-testid="diagram-text"]').value.startsWith('(no steps)'));
    });
  });

  test('state and timeline as SVG downloads', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, `#${S1_LINK}&at=30`, async (app, page) => {
      await waitPosition(page, 30, 31);
      const state = await download(page, 'export-state-svg');
      assert.equal(state.name, 'mmrace-b4-mrelease-mmgrab-user-kill-step30.state.svg');
      assert.match(state.text, /^<svg xmlns='http:\/\/www\.w3\.org\/2000\/svg'/);
      assert.match(state.text, /after step 30 of 31 \(b4-mrelease-mmgrab\)/);
      assert.match(state.text, /<\/svg>$/);
      const timeline = await download(page, 'export-timeline-svg');
      assert.equal(timeline.name, 'mmrace-b4-mrelease-mmgrab-user-kill-step30.timeline.svg');
      assert.match(timeline.text, /^<svg /);
      assert.match(timeline.text, /mmrace timeline: b4-mrelease-mmgrab · user-kill/);
      // Both are well-formed SVG documents the browser can render.
      for (const svg of [state.text, timeline.text]) {
        const ok = await page.evaluate((s) => {
          const doc = new DOMParser().parseFromString(s, 'image/svg+xml');
          return !doc.querySelector('parsererror') && doc.documentElement.nodeName === 'svg';
        }, svg);
        assert.ok(ok);
      }
      assert.deepEqual(app.problems(), []);
    });
  });
});
