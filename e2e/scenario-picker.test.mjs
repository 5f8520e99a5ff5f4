// Browser tests of the scenario picker: a combination is built from its parts (kill, number of
// process_mrelease callers, number of /proc readers), the actor columns follow it, the second
// caller steps on its own, the permalink carries the combination, and an old (version 1) link
// still opens its preset. Screenshots go to e2e/artifacts/.
// Run: node --test e2e/scenario-picker.test.mjs (after bash scripts/build.sh)

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useBrowserAndServer } from './support.mjs';
import { StepperPage } from './stepper-page.mjs';

const TIMEOUT = 90_000;

describe('scenario picker', { timeout: 6 * TIMEOUT }, () => {
  const env = useBrowserAndServer();
  const open = (query = '') => StepperPage.open(env.browser.context, env.server.url, query);

  async function columns(p) {
    return p.page
      .locator('[data-testid="actor-column"]')
      .evaluateAll((els) => els.map((e) => e.dataset.actor));
  }
  async function waitColumns(p, want) {
    await p.page.waitForFunction(
      (want) =>
        [...document.querySelectorAll('[data-testid="actor-column"]')].map((e) => e.dataset.actor).join(' ') === want,
      want.join(' '),
      { timeout: 10_000 },
    );
    assert.deepEqual(await columns(p), want);
  }

  test('building a combination changes the actor columns', { timeout: TIMEOUT }, async () => {
    const p = await open('?variant=v5.17&scenario=user-kill');
    await waitColumns(p, ['V', 'M']);
    assert.equal(await p.byTestId('kill-select').inputValue(), 'user');
    assert.equal(await p.byTestId('mrelease-count').inputValue(), '1');
    assert.equal(await p.byTestId('readers-count').inputValue(), '0');

    // user,oom brings the OOM killer and the reaper.
    await p.byTestId('kill-select').selectOption('user,oom');
    await waitColumns(p, ['V', 'K', 'R', 'M']);
    // No longer a preset: the preset select says so.
    assert.equal(await p.byTestId('scenario-select').inputValue(), 'custom');

    // Two process_mrelease callers and two /proc readers.
    await p.byTestId('mrelease-count').selectOption('2');
    await waitColumns(p, ['V', 'K', 'R', 'M', 'M2']);
    await p.byTestId('readers-count').selectOption('2');
    await waitColumns(p, ['V', 'K', 'R', 'M', 'M2', 'G', 'G2']);
    // With two of a kind the badges are numbered.
    const badges = await p.page.locator('[data-testid="actor-column"] .actor-badge').allTextContents();
    assert.deepEqual(badges, ['V', 'K', 'R', 'M1', 'M2', 'G1', 'G2']);
    await p.screenshot('picker-combination-7-actors', { top: true });

    // The second caller steps on its own; the first stays where it was.
    await p.step('M2');
    assert.notEqual(await p.currentLine('M2'), await p.currentLine('M'));
    assert.equal(await p.pos(), 1);
    // Digit 5 is the fifth column (M2).
    await p.page.locator('body').click({ position: { x: 5, y: 5 } });
    await p.page.keyboard.press('5');
    await p.waitPos(2);

    // The permalink carries the combination and the numbered actor.
    // (The address is rewritten at most every 150 ms: wait for the second step to be in it.)
    await p.page.waitForFunction(() => /kill=user,oom.*&s=m2$/.test(location.hash), null, { timeout: 5_000 }).catch(() => {});
    const hash = await p.page.evaluate(() => location.hash);
    assert.match(hash, /^#v=2&m=[0-9a-f]+&variant=v5\.17&kill=user,oom&mr=2&rd=2&s=m2$/);

    // Back to zero readers and one caller: the columns shrink again.
    await p.byTestId('readers-count').selectOption('0');
    await p.byTestId('mrelease-count').selectOption('1');
    await waitColumns(p, ['V', 'K', 'R', 'M']);
    // Choosing a preset sets all three parts.
    await p.selectScenario('proc-reader');
    await waitColumns(p, ['V', 'K', 'R', 'M', 'G']);
    assert.equal(await p.byTestId('kill-select').inputValue(), 'oom');
    assert.equal(await p.byTestId('readers-count').inputValue(), '1');
    assert.deepEqual(p.problems(), []);
    await p.close();
  });

  test('a combination link opens it, an old link opens its preset', { timeout: TIMEOUT }, async () => {
    let p = await open('#v=2&variant=v5.16&kill=oom&mr=2&rd=0&s=K8m3');
    await waitColumns(p, ['V', 'K', 'R', 'M', 'M2']);
    assert.equal(await p.len(), 11);
    assert.equal(await p.byTestId('mrelease-count').inputValue(), '2');
    assert.deepEqual(p.problems(), []);
    await p.close();

    p = await open('#v=1&variant=v5.16&sc=proc-reader&opt=x&s=K8G2');
    await waitColumns(p, ['V', 'K', 'R', 'G']);
    assert.equal(await p.len(), 10);
    assert.equal(await p.byTestId('mrelease-count').inputValue(), '0');
    assert.deepEqual(p.problems(), []);
    await p.close();
  });
});
