#!/usr/bin/env node
// Memory measurement (prints figures; not a pass/fail test): autoplays many steps in headless
// Chromium through the page's test hook (`?mmrace-test-hook`, app/src/testhook.rs) and prints
// the JS heap (CDP Performance.getMetrics after a forced GC, and performance.memory) and the
// WebAssembly memory before, during and after.
//
//   node e2e/bench-memory.mjs [--steps 100000] [--phase resets|long|both] [--view 'embed=1&panels=narration']
//
// Phase "resets": real variants end within ~90 steps, so autoplay (random policy) runs to the
// end, resets, and goes on: STEPS steps across ~1,500 resets. Memory must stay flat.
// Phase "long": the looping benchmark variant (an oom_reaper that never gives up), one run of
// STEPS steps: the run keeps every state, so memory grows with the run up to the autoplay cap.
//
// Needs a built dist/ (bash scripts/build.sh).

import { launchBrowser, requireDist, startStaticServer } from './support.mjs';

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const STEPS = Number(arg('steps', '100000'));
const PHASE = arg('phase', 'both');
// View options appended to the fragment. The default shows only the narration: every component
// is still mounted and every reactive effect still runs (the other panels are display:none), but
// the browser skips their layout and paint, which makes 100k steps take minutes, not hours.
// Use --view '' for the full view (about 60 ms a step at 1280x720 on a 2-core VM).
const VIEW = arg('view', 'embed=1&panels=narration');
const CHUNK = Number(arg('chunk', '2000'));
// --gc-every-chunk: force a GC after every chunk (shows whether wasm growth is only memory that
// waits for JS finalizers: dropped DOM event closures are freed on the wasm side only after a JS
// GC has collected their JS functions).
const GC_EVERY_CHUNK = args.includes('--gc-every-chunk');

const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;

async function measure(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
  const inPage = await page.evaluate(() => ({
    wasm: window.__mmrace.wasmMemoryBytes(),
    live: window.__mmrace.liveHeapBytes(),
    len: window.__mmrace.len(),
    perfMemory: performance.memory ? performance.memory.usedJSHeapSize : null,
    nodes: document.getElementsByTagName('*').length,
  }));
  return { jsUsed: m.JSHeapUsedSize, jsTotal: m.JSHeapTotalSize, domNodes: m.Nodes, ...inPage };
}

/** Runs `n` autoplay ticks in the page, yielding to the event loop after each one. */
async function ticks(page, n) {
  return page.evaluate(async (n) => {
    const yieldNow = () =>
      new Promise((r) => {
        const c = new MessageChannel();
        c.port1.onmessage = () => r();
        c.port2.postMessage(0);
      });
    let resets = 0;
    let liveAtReset = null;
    let last = window.__mmrace.len();
    for (let i = 0; i < n; i++) {
      const len = window.__mmrace.tick();
      if (len < last) {
        resets++;
        // The live Rust heap just after a reset: the fairest "baseline" (no run history).
        liveAtReset = window.__mmrace.liveHeapBytes();
      }
      last = len;
      await yieldNow();
    }
    return { resets, liveAtReset };
  }, n);
}

function row(label, steps, m, t0) {
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  console.log(
    `${label.padEnd(10)} ${String(steps).padStart(7)} steps  ${String(secs).padStart(5)} s  ` +
      `JS heap used ${mb(m.jsUsed).padStart(9)} (total ${mb(m.jsTotal).padStart(9)}, performance.memory ${m.perfMemory === null ? '-' : mb(m.perfMemory)})  ` +
      `wasm memory ${mb(m.wasm).padStart(9)} (Rust heap live ${mb(m.live).padStart(8)})  DOM nodes ${String(m.nodes).padStart(6)}  run length ${m.len}`,
  );
}

async function phase(context, baseUrl, name, fragment, setup) {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 720 });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(`${baseUrl}?mmrace-test-hook#${fragment}${VIEW ? `&${VIEW}` : ''}`);
  await page.waitForFunction(() => window.__mmrace && document.querySelector('[data-testid="stage"]'), null, { timeout: 30_000 });
  await page.evaluate(setup);
  console.log(`\n== ${name}: ${STEPS} autoplay steps (#${fragment}${VIEW ? `&${VIEW}` : ''})`);
  const t0 = Date.now();
  await ticks(page, 200); // warm up: first renders, lazily built tables
  const before = await measure(page, cdp);
  row('before', 0, before, t0);
  let done = 0;
  let resets = 0;
  const liveAtReset = [];
  let after = before;
  while (done < STEPS) {
    const n = Math.min(CHUNK, STEPS - done);
    const t = await ticks(page, n);
    resets += t.resets;
    if (t.liveAtReset !== null) liveAtReset.push(t.liveAtReset);
    done += n;
    if (GC_EVERY_CHUNK) await cdp.send('HeapProfiler.collectGarbage');
    if (done % Math.max(CHUNK, Math.round(STEPS / 10 / CHUNK) * CHUNK) === 0 || done === STEPS) {
      after = await measure(page, cdp);
      row('', done, after, t0);
    }
  }
  row('after', done, after, t0);
  console.log(
    `   change: JS heap ${mb(after.jsUsed - before.jsUsed)}, wasm memory ${mb(after.wasm - before.wasm)}, ` +
      `Rust heap live ${mb(after.live - before.live)}, ` +
      `DOM nodes ${after.nodes - before.nodes}; resets: ${resets}`,
  );
  if (liveAtReset.length > 1) {
    const first = liveAtReset[0];
    const lastLive = liveAtReset[liveAtReset.length - 1];
    console.log(
      `   Rust heap live just after a reset: first ${mb(first)}, last ${mb(lastLive)}, ` +
        `max ${mb(Math.max(...liveAtReset))} (change ${mb(lastLive - first)})`,
    );
  }
  await page.close();
  return { before, after, resets };
}

await requireDist();
const server = await startStaticServer();
const browser = await launchBrowser();
try {
  console.log(`mmrace memory measurement — Chromium headless, ${new Date().toISOString()}`);
  if (PHASE === 'resets' || PHASE === 'both') {
    await phase(browser.context, server.url, 'across resets', 'v=1&variant=b4-mrelease-mmgrab&sc=proc-reader', () =>
      window.__mmrace.random(42),
    );
  }
  if (PHASE === 'long' || PHASE === 'both') {
    await phase(browser.context, server.url, 'one long run (looping reaper)', 'v=1&variant=v5.16&sc=oom-kill', () =>
      window.__mmrace.looping(),
    );
  }
} finally {
  await browser.close();
  await server.close();
}
