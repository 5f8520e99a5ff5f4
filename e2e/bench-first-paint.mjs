// When the first paint happens and when the live app mounts (figures, not a test): loads the bare
// URL of the built site three times in headless Chromium at 412×823 and prints the paint entries,
// the moment the app's <main data-testid="app"> appeared, and when each file arrived.
//
//   node e2e/bench-first-paint.mjs [dist-dir=dist] [runs=3]
import { loadavg } from 'node:os';
import path from 'node:path';
import { ROOT, launchBrowser, startStaticServer } from './support.mjs';

const root = path.resolve(ROOT, process.argv[2] ?? 'dist');
const runs = Number(process.argv[3] ?? 3);
const server = await startStaticServer({ root });
const browser = await launchBrowser();
console.log(`first paint, ${root}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
try {
  for (let i = 0; i < runs; i++) {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 412, height: 823 });
    await page.addInitScript(() => {
      new MutationObserver(() => {
        if (!window.__mounted && document.querySelector('main[data-testid="app"]')) window.__mounted = performance.now();
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(server.url, { waitUntil: 'load' });
    await page.getByTestId('app').waitFor();
    await page.waitForTimeout(500);
    const r = await page.evaluate(() => ({
      paint: performance.getEntriesByType('paint').map((e) => `${e.name} ${Math.round(e.startTime)} ms`),
      mounted: Math.round(window.__mounted),
      files: performance.getEntriesByType('resource').map((e) => `${e.name.split('/').pop()} ${Math.round(e.responseEnd)}`),
    }));
    console.log(`run ${i + 1}: ${r.paint.join(', ')}; app mounted ${r.mounted} ms; files: ${r.files.join(', ')}`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
