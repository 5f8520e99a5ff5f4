// Which steps are slow, and why (a diagnosis, not a pass/fail test): Chromium's tracing over a
// real 4-actor run (v5.16 oom-kill, round-robin, stepped with `n` as in e2e/bench-step.mjs), one
// line per step, slowest first: wall time from the key press to the DOM being updated, the main
// thread's CPU time in that window, what the step did (actor, whether it switched actor, the DOM
// nodes it added and removed, text and attribute changes) and the rendering work inside the window
// (style recalculations with their element counts, layouts with their dirty/total objects and
// root, animation-frame callbacks, paints).
//
//   node e2e/trace-steps.mjs [samples=150] [show=20] [steps]
//
// `steps` (a number) traces the step at the end of a history of that many steps (the benchmark's
// `?bench=N` hook) instead of the real run. Needs dist-test/ (`bash scripts/build.sh --test-hooks`).

import { loadavg } from 'node:os';
import { DIST, launchBrowser, requireDist, startStaticServer, startTrace } from './support.mjs';

const samples = Number(process.argv[2] ?? 150);
const show = Number(process.argv[3] ?? 20);
const history = process.argv[4] ? Number(process.argv[4]) : null;

await requireDist();
const browser = await launchBrowser();
const server = await startStaticServer({ root: DIST, mount: '/' });
const page = await browser.context.newPage();
await page.setViewportSize({ width: 1280, height: 720 });
const cdp = await page.context().newCDPSession(page);

await page.addInitScript(() => {
  let channel;
  window.__settle = () =>
    new Promise((resolve) => {
      channel ??= new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(0);
    });
  window.__pos = () => document.querySelector('[data-testid="position"]').dataset.pos;
  window.__key = (k) => window.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
  window.__frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
});

if (history) {
  await page.goto(`${server.url}?bench=${history}`);
  await page.waitForFunction((n) => document.querySelector('[data-testid="position"]')?.dataset.len === String(n), history, { timeout: 120_000 });
} else {
  await page.goto(`${server.url}?variant=v5.16&scenario=oom-kill`);
  await page.getByTestId('stage').waitFor({ timeout: 120_000 });
  await page.getByTestId('policy-select').selectOption('round-robin');
}
await page.waitForTimeout(2500); // let the lazy chunks and idle work finish

const endTrace = await startTrace(cdp);
const steps = await page.evaluate(
  async ({ samples, history }) => {
    const out = [];
    let mutations = [];
    const mo = new MutationObserver((ms) => mutations.push(...ms));
    mo.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    const summary = (ms) => {
      let added = 0;
      let removed = 0;
      let attrs = 0;
      let texts = 0;
      const where = new Map();
      for (const m of ms) {
        if (m.type === 'childList') {
          added += m.addedNodes.length;
          removed += m.removedNodes.length;
          const panel = m.target.closest?.('[data-testid]')?.dataset.testid ?? m.target.nodeName;
          where.set(panel, (where.get(panel) ?? 0) + m.addedNodes.length + m.removedNodes.length);
        } else if (m.type === 'attributes') attrs++;
        else texts++;
      }
      return { added, removed, attrs, texts, where: [...where.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, v]) => `${k}:${v}`).join(' ') };
    };
    let runs = 0;
    while (out.length < samples) {
      if (!history) {
        window.__key('Home');
        await window.__settle();
        await window.__frame();
        runs++;
      }
      for (;;) {
        const before = window.__pos();
        mutations = [];
        const i = out.length;
        performance.mark(`mmrace-start-${i}`);
        const t = performance.now();
        window.__key(history ? 'r' : 'n');
        await window.__settle();
        const dom = performance.now() - t;
        performance.mark(`mmrace-end-${i}`);
        mutations.push(...mo.takeRecords());
        const moved = window.__pos() !== before;
        if (!moved) break;
        const actor = document.querySelector('[data-testid="narration"]').dataset.actor;
        out.push({ i, pos: Number(window.__pos()), actor, dom, ...summary(mutations) });
        await window.__frame();
        if (out.length >= samples) break;
      }
      if (runs > samples) throw new Error('the run does not advance');
    }
    mo.disconnect();
    return out;
  },
  { samples, history },
);
const events = await endTrace();

const marks = events.filter((e) => e.cat.includes('blink.user_timing') && e.name.startsWith('mmrace-'));
const main = marks[0] && { pid: marks[0].pid, tid: marks[0].tid };
const win = new Map();
for (const m of marks) {
  const [, kind, i] = m.name.split('-');
  const w = win.get(i) ?? {};
  w[kind] = m.ts;
  win.set(i, w);
}
const xs = events.filter((e) => e.ph === 'X' && e.pid === main?.pid && e.tid === main?.tid && e.dur !== undefined);
let prevActor = null;
for (const st of steps) {
  const w = win.get(String(st.i));
  const inside = xs.filter((e) => e.ts >= w.start && e.ts < w.end);
  const top = inside.filter((e) => !inside.some((p) => p !== e && p.ts <= e.ts && p.ts + p.dur >= e.ts + e.dur));
  st.cpu = top.reduce((t, e) => t + (e.tdur ?? 0), 0) / 1000;
  const sum = (name) => inside.filter((e) => e.name === name).reduce((t, e) => t + e.dur, 0) / 1000;
  st.style = inside.filter((e) => e.name === 'UpdateLayoutTree').map((e) => `${(e.dur / 1000).toFixed(1)}ms/${e.args?.elementCount ?? '?'}el`).join(',');
  st.layout = inside
    .filter((e) => e.name === 'Layout')
    .map((e) => `${(e.dur / 1000).toFixed(1)}ms/${e.args?.beginData?.dirtyObjects ?? '?'}of${e.args?.beginData?.totalObjects ?? '?'}${e.args?.beginData?.partialLayout ? 'p' : ''}`)
    .join(',');
  st.raf = sum('FireAnimationFrame');
  st.idle = sum('FireIdleCallback');
  st.timer = sum('TimerFire');
  st.paint = sum('Paint') + sum('PrePaint') + sum('Layerize');
  const frames = xs.filter((e) => e.name === 'FireAnimationFrame' || e.name === 'PrePaint');
  const prevFrame = frames.filter((e) => e.ts < w.start).at(-1);
  const inFrame = frames.find((e) => e.ts >= w.start && e.ts < w.end);
  st.frameAt = inFrame ? ((inFrame.ts - w.start) / 1000).toFixed(1) : '';
  st.sincePrev = prevFrame ? ((w.start - prevFrame.ts) / 1000).toFixed(1) : '';
  st.switched = prevActor !== null && prevActor !== st.actor;
  prevActor = st.actor;
}
const q = (arr, p) => [...arr].sort((a, b) => a - b)[Math.min(arr.length - 1, Math.floor(p * arr.length))];
console.log(`${history ? `step at the end of a ${history}-step history` : 'real run (v5.16 oom-kill, round-robin)'}; ${steps.length} steps; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`wall ms median ${q(steps.map((s) => s.dom), 0.5).toFixed(2)} p95 ${q(steps.map((s) => s.dom), 0.95).toFixed(2)}; CPU ms median ${q(steps.map((s) => s.cpu), 0.5).toFixed(2)} p95 ${q(steps.map((s) => s.cpu), 0.95).toFixed(2)} (with tracing on)`);
const framed = steps.filter((s) => s.layout || s.raf > 0);
const plain = steps.filter((s) => !(s.layout || s.raf > 0));
console.log(`${framed.length} of ${steps.length} windows hold a layout or an animation frame: wall median ${framed.length ? q(framed.map((s) => s.dom), 0.5).toFixed(2) : '-'} (CPU ${framed.length ? q(framed.map((s) => s.cpu), 0.5).toFixed(2) : '-'}); the others ${plain.length ? q(plain.map((s) => s.dom), 0.5).toFixed(2) : '-'} (CPU ${plain.length ? q(plain.map((s) => s.cpu), 0.5).toFixed(2) : '-'}), p95 ${plain.length ? q(plain.map((s) => s.dom), 0.95).toFixed(2) : '-'}`);
const idled = steps.filter((s) => s.idle > 0);
console.log(`${idled.length} windows run an idle callback (${idled.reduce((t, s) => t + s.idle, 0).toFixed(1)} ms in all); ${steps.filter((s) => s.timer > 0).length} a timer`);
console.log('  wall   cpu  pos actor sw  +nodes -nodes attrs texts  where            | style recalcs                | layouts (dirty of total)     | rAF   paint');
for (const s of [...steps].sort((a, b) => b.dom - a.dom).slice(0, show)) {
  console.log(
    `${s.dom.toFixed(1).padStart(6)} ${s.cpu.toFixed(1).padStart(5)} ${String(s.pos).padStart(4)} ${s.actor.padEnd(5)} ${s.switched ? 'y ' : '  '} ${String(s.added).padStart(6)} ${String(s.removed).padStart(6)} ${String(s.attrs).padStart(5)} ${String(s.texts).padStart(5)}  ${s.where.padEnd(16).slice(0, 16)} | ${s.style.padEnd(28).slice(0, 28)} | ${s.layout.padEnd(28).slice(0, 28)} | ${s.raf.toFixed(1).padStart(4)} ${s.paint.toFixed(1).padStart(5)} idle ${s.idle.toFixed(1)} timer ${s.timer.toFixed(1)} frame at ${s.frameAt} (window starts ${s.sincePrev} after the previous)`,
  );
}
await page.close();
await server.close();
await browser.close();
