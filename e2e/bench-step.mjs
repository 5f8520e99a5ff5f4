// UI benchmark (figures, not a pass/fail test): how fast the stepper stays with a long history.
//
//   node e2e/bench-step.mjs [steps=10000] [samples=200]
//
// Opens the built site (dist/) with the `?bench=N` hook, which builds an N-step history of a
// test-only variant whose oom_reaper loops forever (real kernel paths end within ~90 steps; see
// app/src/bench.rs). Then, inside the page (no Playwright round trips in the timings):
//   * step:  press the `r` key (step R at the end of the run) and time until the DOM is updated
//            — every reactive effect has run — and again after a forced layout;
//   * jump:  set the scrubber to an arbitrary position and time the same way;
//   * back:  press ← and time the same way;
//   * real:  a real 4-actor run (v5.16 oom-kill, V K R M, round-robin): reset, then `n` (step the
//            policy's pick) to the end of the run, over and over, each step timed the same way.
// Prints median, p95 and max for each, in milliseconds, with the load average. Needs the test
// build (dist-test/, `bash scripts/build.sh --test-hooks`) for the `?bench=N` hook.

import { loadavg } from 'node:os';
import { DIST, launchBrowser, requireDist, startStaticServer } from './support.mjs';

const steps = Number(process.argv[2] ?? 10_000);
const samples = Number(process.argv[3] ?? 200);

await requireDist();
const browser = await launchBrowser();
const server = await startStaticServer({ root: DIST, mount: '/' });
const page = await browser.context.newPage();
await page.setViewportSize({ width: 1280, height: 720 });
const errors = [];
page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
page.on('pageerror', (e) => errors.push(String(e)));
// The in-page timing kit, installed before every load so both measurements below use the same
// one: `time(action)` runs `action`, returns the time until the DOM is updated and until a
// forced layout, and whether the position moved (then waits for a paint, as a user would).
await page.addInitScript(() => {
  const pos = () => document.querySelector('[data-testid="position"]').dataset.pos;
  // A macrotask boundary: every microtask (Leptos effects) has run when it fires.
  let channel;
  const settle = () =>
    new Promise((resolve) => {
      channel ??= new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(0);
    });
  async function time(action) {
    const before = pos();
    const t = performance.now();
    action();
    await settle();
    const dom = performance.now() - t;
    void document.body.offsetHeight; // force style + layout
    const layout = performance.now() - t;
    const moved = pos() !== before;
    if (moved) await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return { dom, layout, moved };
  }
  const key = (k) => window.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
  window.benchKit = { pos, settle, time, key };
});

const t0 = Date.now();
await page.goto(`${server.url}?bench=${steps}`);
await page.getByTestId('stage').waitFor({ timeout: 120_000 });
await page.waitForFunction(
  (n) => document.querySelector('[data-testid="position"]')?.dataset.len === String(n),
  steps,
  { timeout: 120_000 },
);
const loadMs = Date.now() - t0;

const results = await page.evaluate(async (samples) => {
  const { pos, settle, time, key } = window.benchKit;
  async function measure(action) {
    const { dom, layout, moved } = await time(action);
    if (!moved) throw new Error('the position did not change');
    return { dom, layout };
  }
  const scrub = document.querySelector('[data-testid="scrubber"]');
  const jumpTo = (i) => {
    scrub.value = String(i);
    scrub.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const out = { step: [], jump: [], back: [] };
  for (let i = 0; i < samples; i++) out.step.push(await measure(() => key('r')));
  let seed = 12345;
  const len = Number(document.querySelector('[data-testid="position"]').dataset.len);
  for (let i = 0; i < samples; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    let target = seed % (len + 1);
    if (String(target) === pos()) target = (target + 1) % (len + 1);
    out.jump.push(await measure(() => jumpTo(target)));
  }
  jumpTo(len);
  await settle();
  for (let i = 0; i < samples; i++) out.back.push(await measure(() => key('ArrowLeft')));
  return { out, len, domNodes: document.getElementsByTagName('*').length };
}, samples);

// A real run: v5.16 oom-kill (V, K, R, M present), round-robin, stepped with `n`.
await page.goto(`${server.url}?variant=v5.16&scenario=oom-kill`);
await page.getByTestId('stage').waitFor({ timeout: 120_000 });
await page.getByTestId('policy-select').selectOption('round-robin');
const real = await page.evaluate(async (samples) => {
  const { settle, time, key } = window.benchKit;
  const out = [];
  let runs = 0;
  while (out.length < samples) {
    key('Home');
    await settle();
    runs++;
    for (;;) {
      const { dom, layout, moved } = await time(() => key('n'));
      if (!moved) break; // the run ended: every actor is done or blocked
      out.push({ dom, layout });
      if (out.length >= samples) break;
    }
    if (runs > samples) throw new Error('the round-robin run does not advance');
  }
  return { out, runs, len: Number(document.querySelector('[data-testid="position"]').dataset.len) };
}, samples);
results.out.real = real.out;

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}
const fmt = (x) => x.toFixed(2).padStart(7);
console.log(`mmrace UI benchmark — ${steps}-step history (${results.len} after the step samples), ${samples} samples each; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`page load incl. building the history: ${loadMs} ms; DOM elements on the page: ${results.domNodes}`);
console.log('                         DOM updated (ms)            + forced layout (ms)');
console.log('                      median     p95     max      median     p95     max');
for (const [name, label] of [
  ['step', 'step (r key)'],
  ['jump', 'jump (scrubber)'],
  ['back', 'step back (←)'],
  ['real', 'real run (n key)'],
]) {
  const d = stats(results.out[name].map((x) => x.dom));
  const l = stats(results.out[name].map((x) => x.layout));
  console.log(
    `${label.padEnd(18)} ${fmt(d.median)} ${fmt(d.p95)} ${fmt(d.max)}     ${fmt(l.median)} ${fmt(l.p95)} ${fmt(l.max)}`,
  );
}
console.log(`real run: v5.16 oom-kill round-robin, ${real.len} steps a run, ${real.runs} runs`);
if (errors.length) console.log(`console errors: ${errors.join('\n')}`);
await page.close();
await server.close();
await browser.close();
