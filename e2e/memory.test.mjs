// A long autoplay keeps memory bounded: thousands of steps across resets, with the
// timeline and the step list (the two lists whose rows change every step) on screen, leave the
// live Rust heap where it started. Measured with the allocator's own count of live bytes
// (`window.__mmrace.liveHeapBytes()`, app/src/alloc_count.rs), which is exact, not sampled:
// allocation is deterministic for a seeded run, so this is a memory test, not a timing test.
// Before the fix (app/src/components/bounded_for.rs) every step left ~350 bytes behind in
// Leptos's bookkeeping, ~23 KB per run: about 0.9 MB over these steps.
//
// The printed figures for 100,000 steps come from `node e2e/bench-memory.mjs`.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useBrowserAndServer } from './support.mjs';

const STEPS = 2500;
const KB = 1024;

describe('memory stays bounded during a long autoplay', { timeout: 600_000 }, () => {
  const env = useBrowserAndServer();

  test(`${STEPS} autoplay steps across resets leave the live heap where it was`, async () => {
    const page = await env.browser.context.newPage();
    await page.goto(
      `${env.server.url}?mmrace-test-hook#v=1&variant=b4-mrelease-mmgrab&sc=proc-reader&embed=1&panels=timeline,steps`,
    );
    await page.waitForFunction(() => window.__mmrace && document.querySelector('[data-testid="timeline"]'));
    // The live heap right after every reset (no run history then), through the same tick the
    // autoplay timer runs, yielding to the event loop after each step so every step renders.
    const samples = await page.evaluate(async (steps) => {
      const h = window.__mmrace;
      h.random(42);
      const yieldNow = () => new Promise((r) => setTimeout(r, 0));
      const out = [];
      let last = h.len();
      for (let i = 0; i < steps; i++) {
        const len = h.tick();
        if (len < last) out.push(h.liveHeapBytes());
        last = len;
        await yieldNow();
      }
      return out;
    }, STEPS);
    await page.close();
    assert.ok(samples.length >= 25, `expected many resets, got ${samples.length}`);
    // After a few runs everything lazily built exists; from there on, memory must stay flat.
    const baseline = Math.max(...samples.slice(0, 5));
    const tail = samples.slice(-10);
    const growth = Math.max(...tail) - baseline;
    const peak = Math.max(...samples) - baseline;
    const fmt = (b) => `${(b / KB).toFixed(1)} KB`;
    console.log(
      `live heap after a reset: baseline ${fmt(baseline)}, last ${fmt(samples.at(-1))}, ` +
        `growth ${fmt(growth)}, peak ${fmt(peak)} over ${samples.length} resets`,
    );
    // Rows are released in generations (bounded_for.rs), so the heap saws up and down a little.
    assert.ok(growth < 200 * KB, `the live heap grew by ${fmt(growth)} over ${samples.length} resets`);
    assert.ok(peak < 300 * KB, `the live heap peaked ${fmt(peak)} above its baseline`);
  });

  test('releasing the rows (a fresh generation of the timeline) keeps the keyboard focus', async () => {
    const page = await env.browser.context.newPage();
    await page.goto(`${env.server.url}?mmrace-test-hook#v=1&variant=v5.16&sc=oom-kill`);
    await page.waitForFunction(() => window.__mmrace && document.querySelector('[data-testid="timeline"]'));
    // One long run (a reaper that loops): the timeline creates ~2 columns a step, so 700 steps
    // go through several generations. Focus sits on a timeline column; whenever that column is
    // still on screen after a step, it must still have the focus.
    const r = await page.evaluate(async () => {
      const h = window.__mmrace;
      h.looping();
      const settle = async () => {
        await new Promise((r) => setTimeout(r, 0));
        await new Promise((r) => requestAnimationFrame(() => r()));
        await new Promise((r) => setTimeout(r, 0));
      };
      // The focused column is on screen: off screen the timeline follows the run only in idle
      // time (app/src/components/offscreen.rs).
      document.querySelector('[data-testid="timeline"]').scrollIntoView();
      for (let i = 0; i < 10; i++) {
        h.tick();
        await settle();
      }
      const focusCurrent = () => {
        const b = document.querySelector('[data-testid="timeline-step"][aria-current="step"]');
        b.focus();
        return b.dataset.step;
      };
      let want = focusCurrent();
      let kept = 0;
      const lost = [];
      for (let i = 0; i < 700; i++) {
        h.tick();
        await settle();
        const still = document.querySelector(`[data-testid="timeline-step"][data-step="${want}"]`);
        if (!still) want = focusCurrent(); // scrolled out of the window: that is not a rebuild
        else if (document.activeElement === still) kept++;
        else lost.push(`step ${i}: focus on ${document.activeElement?.tagName}`);
      }
      return { kept, lost };
    });
    await page.close();
    assert.deepEqual(r.lost, [], 'the focused timeline column lost the focus');
    assert.ok(r.kept > 500, `focus checked only ${r.kept} times`);
  });
});
