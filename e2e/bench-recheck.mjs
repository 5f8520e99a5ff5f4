// Benchmark (prints figures; not a test): the patch playground's re-check in the page. For each
// variant × preset scenario, edit mode is opened on it, one edit is applied through the edit
// list (a harmless `duplicate __mmput:exit_aio`), and the time from the Apply click to the
// verdict on screen is taken (median of 3), next to the explorer's own time for that search.
// Run after `bash scripts/build.sh --test-hooks` (or with MMRACE_DIST=dist):
//   node e2e/bench-recheck.mjs
import { loadavg } from 'node:os';
import { AppPage, DIST, launchBrowser, requireDist, startStaticServer } from './support.mjs';

const VARIANTS = (process.env.VARIANTS ?? 'v5.16,v5.17-rc1,v5.17,v6.1,b4-mrelease-mmgrab').split(',');
const SCENARIOS = ['oom-kill', 'user-kill', 'proc-reader'];
const EDITS = ['duplicate __mmput:exit_aio\n', ''];

await requireDist();
const browser = await launchBrowser();
const server = await startStaticServer({ root: DIST, mount: '/' });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let worst = 0;
try {
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (const v of VARIANTS) {
    for (const sc of SCENARIOS) {
      const app = await AppPage.open(browser.context, server.url);
      await app.page.setViewportSize({ width: 1400, height: 900 });
      await app.goto(`#v=2&variant=${v}&sc=${sc}&edit=1`);
      await app.waitForMounted();
      const verdictSel = `[data-testid="recheck-verdict"][data-scenario="${sc}"]`;
      await app.page.waitForSelector(verdictSel, { timeout: 60_000 });
      const walls = [];
      const explores = [];
      for (let i = 0; i < 3; i++) {
        const r = await app.page.evaluate(async ([sel, text]) => {
          const box = document.querySelector('[data-testid="edit-text"]');
          box.value = text;
          box.dispatchEvent(new Event('input', { bubbles: true }));
          await new Promise((r) => requestAnimationFrame(() => r()));
          const t0 = performance.now();
          document.querySelector('[data-testid="edit-apply"]').click();
          // The old verdict goes at once (the re-check restarts); wait for the new one.
          for (;;) {
            await new Promise((r) => requestAnimationFrame(() => r()));
            const el = document.querySelector(sel);
            const subject = document.querySelector('[data-testid="editor-subject"]').textContent;
            if (el && (text ? /edit/.test(subject) : !/edit/.test(subject))) {
              return { wall: performance.now() - t0, explore: Number(el.dataset.ms), verdict: el.textContent };
            }
            if (performance.now() - t0 > 60_000) return { wall: NaN, explore: NaN, verdict: 'timeout' };
          }
        }, [verdictSel, EDITS[i % 2]]);
        walls.push(r.wall);
        explores.push(r.explore);
        if (i === 2) {
          const states = (r.verdict.match(/(\d+) states/) || [])[1] ?? '?';
          const w = median(walls);
          worst = Math.max(worst, w);
          console.log(`${v.padEnd(20)} ${sc.padEnd(12)} ${String(states).padStart(8)} states  edit → verdict ${w.toFixed(0).padStart(5)} ms (explore ${median(explores).toFixed(0)} ms)`);
        }
      }
      await app.close();
    }
  }
  console.log(`slowest edit → verdict (median of 3): ${worst.toFixed(0)} ms; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
} finally {
  await server.close();
  await browser.close();
}
