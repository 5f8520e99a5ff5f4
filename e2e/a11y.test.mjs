// Accessibility of the main view (with the share/export tools and a running tour), the embed
// view and talk mode: axe-core WCAG 2.1 A/AA reports nothing; sharing, tours and export work
// from the keyboard alone with a visible focus; the step sentence is in a live region;
// prefers-reduced-motion leaves nothing animating.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useBrowserAndServer } from './support.mjs';
import { S1_LINK, S2_LINK, withApp, waitPosition } from './fragment-page.mjs';

const TIMEOUT = 120_000;

function report(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 6).join('\n    ')}`).join('\n');
}

/** Presses Tab until the focused element matches `selector` (at most `max` presses). */
async function tabTo(page, selector, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

async function focusIsVisible(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const cs = getComputedStyle(el);
    return el.matches(':focus-visible') && cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
  });
}

describe('accessibility (main, embed and talk views)', { timeout: 8 * TIMEOUT }, () => {
  const env = useBrowserAndServer();

  test('axe: main view with a notice, the tools, an import error and the diagram open', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, `#${S2_LINK}&at=99`, async (app, page) => {
      await waitPosition(page, 36, 36);
      await page.getByTestId('link-notice').first().waitFor();
      await page.getByTestId('import-text').fill('not json');
      await page.getByTestId('import-paste').click();
      await page.getByTestId('import-error').waitFor();
      await page.getByTestId('diagram-details').locator('summary').click();
      await page.getByTestId('copy-embed').click();
      const violations = await app.axeViolations();
      assert.equal(violations.length, 0, report(violations));
    });
  });

  test('axe: embed view (light and dark)', { timeout: TIMEOUT }, async () => {
    for (const scheme of ['light', 'dark']) {
      await withApp(env.browser.context, env.server.url, `#${S1_LINK}&at=30&embed=1`, async (app, page) => {
        await page.emulateMedia({ colorScheme: scheme });
        await waitPosition(page, 30, 31);
        await page.getByTestId('embed-bar').waitFor();
        const violations = await app.axeViolations();
        assert.equal(violations.length, 0, `${scheme}:\n${report(violations)}`);
      });
    }
  });

  test('axe: talk mode with a tour at its last cue (light and dark)', { timeout: TIMEOUT }, async () => {
    for (const scheme of ['light', 'dark']) {
      await withApp(env.browser.context, env.server.url, '#talk=1', async (app, page) => {
        await page.emulateMedia({ colorScheme: scheme });
        await page.getByTestId('tour-select').selectOption({ index: 3 });
        await page.getByTestId('tour-start').click();
        const n = Number(await page.getByTestId('tour').getAttribute('data-cues'));
        for (let i = 0; i < n; i++) await page.keyboard.press('ArrowRight');
        await page.locator(`[data-testid="tour"][data-cue="${n}"]`).waitFor();
        await page.getByTestId('tour-compare').waitFor();
        const violations = await app.axeViolations();
        assert.equal(violations.length, 0, `${scheme}:\n${report(violations)}`);
      });
    }
  });

  test('keyboard only: copy link, projector mode, a tour and export, with a visible focus', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, `#${S2_LINK}&at=3`, async (app, page) => {
      await waitPosition(page, 3, 36);
      await tabTo(page, '[data-testid="copy-link"]');
      assert.ok(await focusIsVisible(page), 'focus ring on Copy link');
      await page.keyboard.press('Enter');
      await page.getByTestId('copy-link-status').filter({ hasText: /Copied|clipboard/ }).waitFor();

      await tabTo(page, '[data-testid="talk-toggle"]');
      assert.ok(await focusIsVisible(page));
      await page.keyboard.press('Space');
      assert.equal(await page.locator('html').getAttribute('data-talk'), '1');
      await page.keyboard.press('Enter');
      assert.equal(await page.locator('html').getAttribute('data-talk'), null);

      await tabTo(page, '[data-testid="tour-select"]');
      await page.keyboard.press('ArrowDown'); // the second tour
      await tabTo(page, '[data-testid="tour-start"]');
      await page.keyboard.press('Enter');
      const tour = page.getByTestId('tour');
      await page.locator('[data-testid="tour"][data-cue="0"]').waitFor();
      assert.equal(await tour.getAttribute('data-tour'), 'mrelease-mm-users');
      assert.ok(await page.evaluate(() => document.activeElement?.id === 'tour-panel'), 'focus moves to the tour');
      await page.keyboard.press('Space');
      await page.locator('[data-testid="tour"][data-cue="1"]').waitFor();
      await tabTo(page, '[data-testid="tour-next"]');
      assert.ok(await focusIsVisible(page));
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="tour"][data-cue="2"]').waitFor();
      assert.ok(await page.evaluate(() => document.activeElement?.dataset.testid === 'tour-next'), 'focus stays on Next');
      await tabTo(page, '[data-testid="tour-exit"]');
      await page.keyboard.press('Enter');
      await tour.waitFor({ state: 'detached' });

      await tabTo(page, '[data-testid="export-json"]', 200);
      assert.ok(await focusIsVisible(page));
      const [dl] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
      assert.match(dl.suggestedFilename(), /^mmrace-b4-mrelease-mmgrab-user-kill-step\d+\.json$/);
      assert.deepEqual(app.problems(), []);
    });
  });

  test('the step sentence is announced; reduced motion leaves nothing animating', { timeout: TIMEOUT }, async () => {
    await withApp(env.browser.context, env.server.url, `#${S2_LINK}&at=0`, async (app, page) => {
      await page.emulateMedia({ reducedMotion: 'reduce' });
      const live = page.locator('[data-testid="narration"][aria-live="polite"]');
      assert.equal(await live.count(), 1, 'narration is a polite live region');
      const before = await live.innerText();
      for (let i = 0; i < 12; i++) await page.locator('body').press('ArrowRight');
      await waitPosition(page, 12, 36);
      assert.notEqual(await live.innerText(), before);
      await page.waitForTimeout(100);
      const running = await page.evaluate(() =>
        document.getAnimations().filter((a) => a.playState === 'running').map((a) => a.animationName ?? String(a)),
      );
      assert.deepEqual(running, []);
      const transitions = await page.evaluate(() =>
        [...document.querySelectorAll('*')].filter((e) => {
          const d = getComputedStyle(e).transitionDuration.split(',').map(parseFloat);
          const a = getComputedStyle(e).animationDuration.split(',').map(parseFloat);
          return d.some((x) => x > 0.01) || a.some((x) => x > 0.01);
        }).length,
      );
      assert.equal(transitions, 0, 'no transition or animation longer than 10 ms');
    });
  });
});
