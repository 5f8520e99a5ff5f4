// How the page's start splits into tasks (figures, not a test): loads the bare URL of the built
// site in headless Chromium at 412×823 with a Chromium trace running, and prints every main-thread
// task from the first paint on that takes over 4 ms: its duration, the mount turns it ran
// (the app's `mmrace turn N` User Timing marks, app/src/mount.rs) and where its time went. The
// last line sums the blocking time those tasks would have on a phone 4× slower than this machine
// (each task's 4× duration beyond 50 ms, as Lighthouse's Total Blocking Time counts it).
//
//   node e2e/bench-mount.mjs [dist-dir=dist] [runs=3] [url-suffix]
import { loadavg } from 'node:os';
import path from 'node:path';
import { ROOT, launchBrowser, startStaticServer, startTrace } from './support.mjs';

const root = path.resolve(ROOT, process.argv[2] ?? 'dist');
const runs = Number(process.argv[3] ?? 3);
const suffix = process.argv[4] ?? '';
const server = await startStaticServer({ root });
const browser = await launchBrowser();
console.log(`mount tasks, ${root}${suffix}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
try {
  // A first load warms the browser (its processes, the font cache); it is not counted.
  const warm = await browser.context.newPage();
  await warm.goto(server.url + suffix, { waitUntil: 'load' });
  await warm.getByTestId('app').waitFor();
  await warm.close();
  for (let run = 1; run <= runs; run++) {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 412, height: 823 });
    const cdp = await page.context().newCDPSession(page);
    const endTrace = await startTrace(cdp);
    await page.goto(server.url + suffix, { waitUntil: 'load' });
    // No locator while tracing: Playwright's own injected script would show up as a task.
    await page.waitForTimeout(3000);
    const events = await endTrace();
    const paint = await page.evaluate(() => performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint')?.startTime ?? 0);
    if (!(await page.getByTestId('app').isVisible())) throw new Error('the app did not mount within 3 s');
    await page.close();

    const mains = new Set(events.filter((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
    const onMain = events.filter((e) => mains.has(`${e.pid}:${e.tid}`));
    const nav = onMain.find((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL?.startsWith('http'));
    const t0 = nav?.ts ?? Math.min(...onMain.map((e) => e.ts));
    const marks = onMain.filter((e) => e.cat?.includes('blink.user_timing') && e.name.startsWith('mmrace turn'));
    // Top-level tasks only: a task can run a nested one (a nested message loop).
    const all = onMain.filter((e) => e.name === 'RunTask' && e.ph === 'X').sort((a, b) => a.ts - b.ts);
    const top = [];
    for (const t of all) if (!top.length || t.ts >= top[top.length - 1].ts + top[top.length - 1].dur) top.push(t);
    const tasks = top.filter((e) => e.dur > 4000 && (e.ts - t0) / 1000 >= paint - 1);
    let blocking = 0;
    const lines = [];
    for (const t of tasks) {
      const inside = (e) => e.ts >= t.ts && e.ts <= t.ts + t.dur;
      const turns = marks.filter(inside).map((m) => m.name.replace('mmrace turn ', ''));
      const by = {};
      for (const k of onMain) {
        if (k.ph !== 'X' || k === t || !inside(k) || /RunTask|ThreadController|mojo|Microtask|FunctionCall|v8\.callFunction/.test(k.name)) continue;
        by[k.name] = (by[k.name] ?? 0) + k.dur / 1000;
      }
      const where = Object.entries(by).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([n, d]) => `${n} ${d.toFixed(1)}`).join(', ');
      const ms = t.dur / 1000;
      blocking += Math.max(0, 4 * ms - 50);
      lines.push(`  ${((t.ts - t0) / 1000).toFixed(0).padStart(5)} ms  ${ms.toFixed(1).padStart(5)} ms${turns.length ? `  turn ${turns.join(',')}` : ''}  [${where}]`);
    }
    console.log(`run ${run}: first contentful paint ${Math.round(paint)} ms; tasks over 4 ms from then on:`);
    console.log(lines.join('\n'));
    console.log(`  blocking time at a 4x slower CPU: ${Math.round(blocking)} ms`);
  }
} finally {
  await browser.close();
  await server.close();
}
