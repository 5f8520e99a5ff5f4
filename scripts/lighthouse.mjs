// Runs Lighthouse (the version pinned in package-lock.json) against the built site and prints the
// four category scores and the main performance metrics (figures, not a pass/fail check).
//
//   node scripts/lighthouse.mjs [dist-dir=dist] [--desktop] [--json FILE]
//
// Offline: the site is served from this machine on 127.0.0.1 (gzip, as a static host serves it;
// `--no-gzip` serves the bytes as they are) and Chromium is the system one (CHROME_PATH, default
// /usr/bin/chromium). The default is Lighthouse's mobile preset (simulated slow 4G and a 4× slower
// CPU), as the earlier figures were taken; `--desktop` uses the desktop preset.
import { createServer } from 'node:http';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';

const args = process.argv.slice(2);
const flag = (f) => args.includes(f);
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : null;
const dist = path.resolve(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--json') ?? 'dist');
const gzip = !flag('--no-gzip');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

try {
  await stat(path.join(dist, 'index.html'));
} catch {
  console.error(`lighthouse: ${dist}/index.html not found (build it with 'bash scripts/build.sh')`);
  process.exit(1);
}

const server = createServer(async (req, res) => {
  let file = path.join(dist, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (!file.startsWith(dist)) return res.writeHead(404).end();
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
    let body = await readFile(file);
    const headers = { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'max-age=3600' };
    if (gzip && /gzip/.test(req.headers['accept-encoding'] ?? '')) {
      body = gzipSync(body, { level: 9 });
      headers['content-encoding'] = 'gzip';
    }
    res.writeHead(200, headers).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
try {
  const result = await lighthouse(
    url,
    { port: chrome.port, output: 'json', logLevel: 'error' },
    flag('--desktop') ? desktopConfig : undefined,
  );
  const lhr = result.lhr;
  if (jsonOut) await writeFile(jsonOut, result.report);
  const load = loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`Lighthouse ${lhr.lighthouseVersion}, ${flag('--desktop') ? 'desktop' : 'mobile'} preset, ${dist}${gzip ? ' (served gzip)' : ''}; load average ${load}`);
  for (const c of Object.values(lhr.categories)) console.log(`  ${c.title.padEnd(16)} ${Math.round(c.score * 100)}`);
  for (const id of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'interactive', 'speed-index', 'cumulative-layout-shift']) {
    const a = lhr.audits[id];
    if (a) console.log(`  ${a.title.padEnd(28)} ${a.displayValue}`);
  }
  const failed = Object.values(lhr.categories)
    .flatMap((c) => c.auditRefs.map((r) => lhr.audits[r.id]))
    .filter((a) => a && a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual');
  const seen = new Set();
  for (const a of failed) {
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    console.log(`  below 100: ${a.id} (${a.title}${a.displayValue ? `: ${a.displayValue}` : ''})`);
  }
} finally {
  await chrome.kill();
  server.close();
}
