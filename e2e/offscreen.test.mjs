// Panels below the fold follow the run lazily (app/src/components/offscreen.rs): while the
// timeline and the step list are off screen, a step does not touch their DOM on its way to the
// next frame; they catch up when the browser is idle, and once scrolled into view they follow
// every step at once. A structural property (which elements change in the step's task), not a
// timing.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useBrowserAndServer } from './support.mjs';
import { StepperPage } from './stepper-page.mjs';

const PANELS = '[data-testid="timeline"], [data-testid="step-list"]';

describe('off-screen panels', { timeout: 120_000 }, () => {
  const env = useBrowserAndServer();

  test('a step leaves the off-screen timeline and step list alone until idle, and updates them at once when on screen', { timeout: 120_000 }, async () => {
    const p = await StepperPage.open(env.browser.context, env.server.url, '?variant=v5.16&scenario=oom-kill');
    await p.page.setViewportSize({ width: 1280, height: 720 });
    await p.page.evaluate(() => window.scrollTo(0, 0));
    // One step, then: which panel elements changed before the next macrotask (what the step
    // costs on its way to the frame), and what the panels show once the page is idle.
    const stepAndWatch = () =>
      p.page.evaluate(async (panels) => {
        const settle = () =>
          new Promise((resolve) => {
            const c = new MessageChannel();
            c.port1.onmessage = () => resolve();
            c.port2.postMessage(0);
          });
        // Two frames: the intersection observers have reported where the panels are.
        for (let i = 0; i < 2; i++) await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        let during = 0;
        const mo = new MutationObserver((records) => {
          during += records.length;
        });
        for (const el of document.querySelectorAll(panels)) {
          mo.observe(el, { subtree: true, childList: true, attributes: true, characterData: true });
        }
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'n', bubbles: true }));
        await settle();
        during += mo.takeRecords().length;
        mo.disconnect();
        const pos = document.querySelector('[data-testid="position"]').dataset.pos;
        const shown = () => ({
          timeline: document.querySelector('[data-testid="timeline-step"][aria-current="step"]')?.dataset.step ?? null,
          row: document.querySelector('[data-testid="step-row"][aria-current="step"]')?.dataset.step ?? null,
        });
        const right = await shown();
        await new Promise((r) => requestIdleCallback(() => setTimeout(r, 0), { timeout: 1000 }));
        return { during, pos, right, idle: shown() };
      }, PANELS);

    await p.byTestId('policy-select').selectOption('round-robin');
    for (let i = 0; i < 3; i++) await stepAndWatch();
    const off = await stepAndWatch();
    assert.equal(off.during, 0, 'off screen: the step changed nothing in the timeline or the step list in its own task');
    assert.equal(off.idle.timeline, String(Number(off.pos) - 1), 'off screen: the timeline caught up in idle time');
    assert.equal(off.idle.row, off.pos, 'off screen: the step list caught up in idle time');

    await p.byTestId('timeline').scrollIntoViewIfNeeded();
    const on = await stepAndWatch();
    assert.ok(on.during > 0, 'on screen: the step updated the timeline in its own task');
    assert.equal(on.right.timeline, String(Number(on.pos) - 1), 'on screen: the timeline shows the new step at once');
    assert.deepEqual(p.problems(), [], 'no console errors, page errors or failed requests');
    await p.close();
  });
});
