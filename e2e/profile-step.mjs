// Where a step's time goes (a profile, not a pass/fail test): the V8 CPU profiler (through CDP)
// over the same actions as e2e/bench-step.mjs — step at the end of a 10,000-step history, jump
// with the scrubber, and a real 4-actor run — printing, for the samples taken between an action and
// the DOM being updated (what the benchmark times), the functions with the most self time and
// the most total (inclusive) time per action.
//
//   node e2e/profile-step.mjs [steps=10000] [samples=100] [top=25]
//
// Wasm function names need the name section, which the shipped build strips. To get them, make a
// copy of dist-test/ whose wasm keeps its names (same JS glue, so the copy works as is):
//   wasm-bindgen --target web --no-typescript --keep-debug --out-dir /tmp/wb --out-name mmrace-app \
//     target/wasm-build/wasm32-unknown-unknown/web/mmrace-app.wasm
//   wasm-opt -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
//     --enable-mutable-globals --enable-reference-types /tmp/wb/mmrace-app_bg.wasm -o dist-prof/<name>_bg.wasm
// (dist-prof/ being a copy of dist-test/) and run with MMRACE_DIST=dist-prof.

import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { DIST, launchBrowser, requireDist, startStaticServer, startTrace } from './support.mjs';

const steps = Number(process.argv[2] ?? 10_000);
const samples = Number(process.argv[3] ?? 100);
const top = Number(process.argv[4] ?? 25);

await requireDist();
const browser = await launchBrowser();
const server = await startStaticServer({ root: DIST, mount: '/' });
const page = await browser.context.newPage();
await page.setViewportSize({ width: 1280, height: 720 });
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });

// In-page helpers, installed on every navigation.
await page.addInitScript(() => {
  const channel = new MessageChannel();
  window.__settle = () =>
    new Promise((resolve) => {
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(0);
    });
  window.__pos = () => document.querySelector('[data-testid="position"]').dataset.pos;
  window.__key = (k) => window.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
  window.__frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  // Markers the profile can see: a measured window runs from a __markStart sample to the next
  // __markEnd sample (each spins 0.4 ms, a few samples at the 100 µs interval).
  const spin = () => {
    const t = performance.now();
    while (performance.now() - t < 0.4);
  };
  window.__markStart = function __markStart() {
    performance.mark('mmrace-start');
    spin();
  };
  window.__markEnd = function __markEnd() {
    performance.mark('mmrace-end');
    spin();
  };
});

// MMRACE_TRACE=1: a Chromium trace instead of the CPU profile, summed per trace event (style
// recalculation, layout, paint, script) inside the measured windows.
const tracing = process.env.MMRACE_TRACE === '1';

async function profiled(label, fn) {
  if (tracing) return traced(label, fn);
  await cdp.send('Profiler.start');
  const wall = await page.evaluate(fn, samples);
  const { profile } = await cdp.send('Profiler.stop');
  // MMRACE_PROFILE_DIR=dir keeps each profile (loadable in DevTools' Performance panel).
  if (process.env.MMRACE_PROFILE_DIR) {
    const file = path.join(process.env.MMRACE_PROFILE_DIR, `${label.split(' ')[0]}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
  }
  report(label, profile, wall);
}

function report(label, profile, wall) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const total = new Map();
  const dt = profile.timeDeltas;
  let idleUs = 0;
  let allUs = 0;
  // Only the samples inside the measured windows (between the markers) count.
  const onStack = (id, nm) => {
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) if (byId.get(cur).callFrame.functionName === nm) return true;
    return false;
  };
  let inside = false;
  profile.samples.forEach((id, i) => {
    if (onStack(id, '__markStart')) { inside = true; return; }
    if (onStack(id, '__markEnd')) { inside = false; return; }
    if (!inside) return;
    const us = dt[i + 1] ?? 0;
    allUs += us;
    const n = byId.get(id);
    const name = fname(n);
    if (name === '(idle)' || name === '(program)') idleUs += us;
    self.set(name, (self.get(name) ?? 0) + us);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const nm = fname(byId.get(cur));
      if (seen.has(nm)) continue;
      seen.add(nm);
      total.set(nm, (total.get(nm) ?? 0) + us);
    }
  });
  const busy = allUs - idleUs;
  console.log(`\n== ${label}: ${samples} samples, ${wall.toFixed(0)} ms of measured actions, ${(busy / 1000).toFixed(0)} ms busy inside them`);
  const show = (m, title) => {
    console.log(`-- ${title} (ms, share of busy time)`);
    [...m.entries()]
      .filter(([n]) => !['(idle)', '(program)', '(root)'].includes(n))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .forEach(([n, us]) => console.log(`${(us / 1000).toFixed(1).padStart(8)} ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${n.slice(0, 160)}`));
  };
  show(self, 'self time');
  show(total, 'total time');
}

async function traced(label, fn) {
  const endTrace = await startTrace(cdp);
  const wall = await page.evaluate(fn, samples);
  const events = await endTrace();
  // The windows: from each mmrace-start mark to the next mmrace-end mark.
  const marks = events.filter((e) => e.cat.includes('blink.user_timing') && e.name.startsWith('mmrace-')).sort((a, b) => a.ts - b.ts);
  const windows = [];
  let open = null;
  for (const m of marks) {
    if (m.name === 'mmrace-start') open = m.ts;
    else if (open !== null) windows.push([open, m.ts]), (open = null);
  }
  const main = marks[0] && { pid: marks[0].pid, tid: marks[0].tid };
  const overlap = (a, b) => {
    let t = 0;
    for (const [s, e] of windows) t += Math.max(0, Math.min(b, e) - Math.max(a, s));
    return t;
  };
  // Self time per event name on the renderer's main thread (complete events nest).
  const xs = events.filter((e) => e.ph === 'X' && e.pid === main?.pid && e.tid === main?.tid && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map();
  const stack = [];
  const add = (name, a, b) => self.set(name, (self.get(name) ?? 0) + overlap(a, b));
  // Walk the events; each one's self time is its span minus its children's spans.
  const spans = [];
  for (const e of xs) {
    while (stack.length && stack[stack.length - 1].end <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    const span = { name: e.name, start: e.ts, end: e.ts + e.dur, tdur: e.tdur, kids: [] };
    if (parent) parent.kids.push(span);
    else spans.push(span);
    stack.push(span);
  }
  const walk = (sp) => {
    let t = sp.start;
    for (const k of sp.kids) {
      add(sp.name, t, k.start);
      walk(k);
      t = Math.max(t, k.end);
    }
    add(sp.name, t, sp.end);
  };
  spans.forEach(walk);
  const measured = windows.reduce((t, [s, e]) => t + e - s, 0);
  // Per window: wall time, and the main thread's CPU time (the top-level events' thread
  // durations, `tdur`), which other processes on a loaded machine do not inflate.
  const cpu = windows.map(([ws, we]) => {
    let t = 0;
    for (const sp of spans) {
      if (sp.end <= ws || sp.start >= we || sp.tdur === undefined) continue;
      const share = (Math.min(sp.end, we) - Math.max(sp.start, ws)) / Math.max(1, sp.end - sp.start);
      t += sp.tdur * share;
    }
    return t / 1000;
  });
  const wallMs = windows.map(([ws, we]) => (we - ws) / 1000);
  const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  console.log(`\n== ${label}: per window, wall ms median ${q(wallMs, 0.5).toFixed(2)} p95 ${q(wallMs, 0.95).toFixed(2)}; main-thread CPU ms median ${q(cpu, 0.5).toFixed(2)} p95 ${q(cpu, 0.95).toFixed(2)} max ${Math.max(...cpu).toFixed(2)} (with tracing on)`);
  console.log(`\n== ${label}: ${windows.length} windows, ${(measured / 1000).toFixed(0)} ms inside them (page's own timing: ${wall.toFixed(0)} ms); self time per trace event:`);
  [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .forEach(([n, us]) => console.log(`${(us / 1000).toFixed(1).padStart(8)} ${((100 * us) / measured).toFixed(1).padStart(5)}%  ${n}`));
}

function fname(n) {
  const f = n.callFrame;
  let name = f.functionName || '(anonymous)';
  // Shorten Rust's mangled/demangled names a little.
  name = name.replace(/::h[0-9a-f]{16}$/, '');
  if (f.url && !f.url.includes('.wasm') && f.functionName) name += ` (${f.url.split('/').pop()}:${f.lineNumber})`;
  return name;
}

await page.goto(`${server.url}?bench=${steps}`);
await page.waitForFunction((n) => document.querySelector('[data-testid="position"]')?.dataset.len === String(n), steps, { timeout: 120_000 });

await profiled('step (r key)', async (samples) => {
  let t = 0;
  for (let i = 0; i < samples; i++) {
    window.__markStart();
    const t0 = performance.now();
    window.__key('r');
    await window.__settle();
    t += performance.now() - t0;
    window.__markEnd();
    await window.__frame();
  }
  return t;
});
await profiled('jump (scrubber)', async (samples) => {
  const scrub = document.querySelector('[data-testid="scrubber"]');
  const len = Number(document.querySelector('[data-testid="position"]').dataset.len);
  let seed = 12345;
  let t = 0;
  for (let i = 0; i < samples; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    window.__markStart();
    const t0 = performance.now();
    scrub.value = String(seed % (len + 1));
    scrub.dispatchEvent(new Event('input', { bubbles: true }));
    await window.__settle();
    t += performance.now() - t0;
    window.__markEnd();
    await window.__frame();
  }
  return t;
});

await page.goto(`${server.url}?variant=v5.16&scenario=oom-kill`);
await page.getByTestId('stage').waitFor({ timeout: 120_000 });
await page.getByTestId('policy-select').selectOption('round-robin');
await profiled('real run (n key)', async (samples) => {
  let t = 0;
  let n = 0;
  while (n < samples) {
    window.__key('Home');
    await window.__settle();
    for (; n < samples; n++) {
      const before = window.__pos();
      window.__markStart();
      const t0 = performance.now();
      window.__key('n');
      await window.__settle();
      t += performance.now() - t0;
      window.__markEnd();
      if (window.__pos() === before) break;
      await window.__frame();
    }
  }
  return t;
});
console.log(`\nload average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
await page.close();
await server.close();
await browser.close();
