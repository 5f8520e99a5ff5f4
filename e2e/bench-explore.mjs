// Benchmark (prints figures; not a test): exhaustive exploration of every variant × scenario
// in the browser (core compiled to wasm), best of 3. Run after `bash scripts/build.sh`:
//   node e2e/bench-explore.mjs
// With --combinations: every combination the scenario picker offers (kill × mrelease 0–2 ×
// readers 0–2) on every variant, once each; prints the ones over 0.5 s and a summary.
// With --worker: each search as the explore panel runs it, in an explore worker (its own wasm
// module at opt-level 3) started 150 ms ahead, timed from the request to the report; without it, the
// page's own module runs the search in one call (what the in-page fallback runs, unsliced).
// Needs the test-hooks build: `bash scripts/build.sh --test-hooks`.
import { AppPage, DIST, launchBrowser, requireDist, startStaticServer } from './support.mjs';

const VARIANTS = ['v5.16', 'v5.17-rc1', 'v5.17', 'v6.1', 'b1-no-barrier', 'b2-skip-after-unlock',
  'b3-skip-check-outside-lock', 'b4-mrelease-mmgrab', 'b6-munlock-first', 'b7-victim-by-task', 'b8-munlock-outside-lock'];
const SCENARIOS = ['oom-kill', 'user-kill', 'proc-reader'];

await requireDist();
const browser = await launchBrowser();
const server = await startStaticServer({ root: DIST, mount: '/' });
try {
  const app = await AppPage.open(browser.context, server.url);
  await app.goto('');
  await app.waitForMounted();
  await app.page.waitForFunction(() => window.wasmBindings?.mmrace_explore_bench);
  const inWorker = process.argv.includes('--worker');
  const where = inWorker ? 'explore worker' : 'page module';
  const measure = (v, sc) => app.page.evaluate(async ([a, b, worker]) => {
    if (!worker) return JSON.parse(window.wasmBindings.mmrace_explore_bench(a, b));
    const request = window.wasmBindings.mmrace_search_request(a, b);
    const url = document.querySelector('script[data-worker]').getAttribute('data-worker');
    // Started ahead, as the page starts the panel's worker once it is idle: timed from the
    // request to the report.
    const w = new Worker(url, { type: 'module' });
    await new Promise((r) => setTimeout(r, 150));
    const t0 = performance.now();
    try {
      const reply = await new Promise((resolve, reject) => {
        w.onmessage = (e) => {
          const r = JSON.parse(e.data);
          if (r.Done || r.Failed) resolve(r);
        };
        w.onerror = (e) => reject(new Error(`the explore worker failed: ${e.message ?? 'its script did not load'}`));
        w.postMessage(request);
      });
      if (reply.Failed) throw new Error(reply.Failed);
      const r = reply.Done;
      const violated = [...new Set(r.outcomes.map((o) => o.inv))].join(',');
      return { variant: a, scenario: b, states: r.states, transitions: r.transitions, ms: performance.now() - t0, violated };
    } finally {
      w.terminate();
    }
  }, [v, sc, inWorker]);
  if (process.argv.includes('--combinations')) {
    const times = [];
    for (const v of VARIANTS) {
      for (const kill of ['user', 'oom', 'user,oom']) {
        for (const mr of [0, 1, 2]) {
          for (const rd of [0, 1, 2]) {
            const sc = `kill=${kill} mrelease=${mr} readers=${rd}`;
            const r = await measure(v, sc);
            times.push({ v, sc, ms: r.ms, states: r.states });
            if (r.ms > 500) console.log(`${v.padEnd(28)} ${sc.padEnd(34)} ${String(r.states).padStart(8)} states ${r.ms.toFixed(0).padStart(6)} ms`);
          }
        }
      }
    }
    const total = times.reduce((a, t) => a + t.ms, 0);
    const over = times.filter((t) => t.ms > 1000).length;
    const worst = times.reduce((a, t) => (t.ms > a.ms ? t : a));
    console.log(`${times.length} combinations in ${(total / 1000).toFixed(1)} s (wasm, headless Chromium); ${over} over 1 s; slowest ${worst.v} ${worst.sc}: ${(worst.ms / 1000).toFixed(2)} s, ${worst.states} states (${where})`);
  } else {
    let states = 0;
    let ms = 0;
    for (const v of VARIANTS) {
      for (const s of SCENARIOS) {
        let best = null;
        for (let i = 0; i < 3; i++) {
          const r = await measure(v, s);
          if (!best || r.ms < best.ms) best = r;
        }
        states += best.states;
        ms += best.ms;
        const rate = best.ms > 0 ? Math.round(best.states / (best.ms / 1000)) : 'n/a';
        console.log(`${v.padEnd(28)} ${s.padEnd(12)} ${String(best.states).padStart(8)} states ${String(best.transitions).padStart(9)} transitions ${best.ms.toFixed(1).padStart(8)} ms ${String(rate).padStart(10)} states/s  ${best.violated || 'safe'}`);
      }
  }
  console.log(`total: ${states} states in ${(ms / 1000).toFixed(3)} s = ${Math.round(states / (ms / 1000))} states/s (wasm, headless Chromium, best of 3, ${where})`);
  }
} finally {
  await server.close();
  await browser.close();
}
