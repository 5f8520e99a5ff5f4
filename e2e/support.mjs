// Test support for the browser tests: a static file server on 127.0.0.1 (free port), a
// headless Chromium launcher (Debian's /usr/bin/chromium through playwright-core), and a page
// object (AppPage) that records console errors, page errors, failed requests and every request
// that would leave 127.0.0.1.
//
// The tests and benchmarks need the build with the test hooks, dist-test/ (`bash scripts/build.sh
// --test-hooks`; scripts/test.sh builds it first). MMRACE_DIST=dist points them at the site as
// shipped instead (the tests that drive a hook then fail).

import { createServer } from 'node:http';
import { spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.resolve(ROOT, process.env.MMRACE_DIST ?? 'dist-test');
export const CHROMIUM = process.env.MMRACE_CHROMIUM ?? '/usr/bin/chromium';

// Playwright adds --headless itself (headless: true) and the user data dir is a fresh temp dir.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

let cliBuilt = false;

/**
 * Runs the native `mmrace` CLI, built fresh from this tree first (`cargo build --release --bin
 * mmrace`, a no-op when nothing changed), so a test never compares with a stale binary.
 * Returns stdout; throws with stderr when the exit code is not in `ok` (`mmrace check` exits 1
 * when it finds a violation, by design, so a check passes `ok: [0, 1]`).
 */
export function mmraceCli(args, { ok = [0] } = {}) {
  if (!cliBuilt) {
    const b = spawnSync('cargo', ['build', '-q', '--release', '--bin', 'mmrace'], { cwd: ROOT, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`cargo build --release --bin mmrace failed:\n${b.stderr}`);
    cliBuilt = true;
  }
  const r = spawnSync(path.join(ROOT, 'target', 'release', 'mmrace'), args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (!ok.includes(r.status)) throw new Error(`mmrace ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Throws a clear error when the dist directory has not been built. */
export async function requireDist() {
  try {
    await stat(path.join(DIST, 'index.html'));
  } catch {
    const how = path.basename(DIST) === 'dist-test' ? 'bash scripts/build.sh --test-hooks' : 'bash scripts/build.sh';
    throw new Error(`${DIST}/index.html not found: build it first with '${how}'`);
  }
}

/**
 * Serves `root` under the URL prefix `mount` (e.g. '/sub/dist/') on 127.0.0.1, free port.
 * Anything outside the prefix is a 404, so an absolute URL in the site shows up as a miss.
 * Returns { url, requests, misses, close() }; `url` is the full URL of the mount point.
 */
export async function startStaticServer({ root = DIST, mount = '/' } = {}) {
  if (!mount.startsWith('/') || !mount.endsWith('/')) throw new Error(`bad mount ${mount}`);
  const requests = [];
  const misses = [];
  const server = createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    requests.push(pathname);
    const notFound = () => {
      misses.push(pathname);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    };
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !pathname.startsWith(mount)) {
      return notFound();
    }
    let file = path.join(root, pathname.slice(mount.length));
    if (!file.startsWith(root)) return notFound();
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = path.join(file, 'index.html');
        info = await stat(file);
      }
      const type = MIME[path.extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, {
        'content-type': type,
        'content-length': info.size,
        'cache-control': 'no-store',
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    } catch {
      notFound();
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${mount}`,
    requests,
    misses,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** Launches headless Chromium with a fresh user data dir. Returns { context, close() }. */
export async function launchBrowser() {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'mmrace-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * For a `describe` block: before its tests, checks dist/ is built, launches Chromium and starts
 * the static server (dist/ at /); after them, closes both. Returns `{ browser, server }`, filled
 * in once `before` has run. `clipboard: true` lets pages on the server use the clipboard.
 */
export function useBrowserAndServer({ clipboard = false } = {}) {
  const env = { browser: null, server: null };
  before(async () => {
    await requireDist();
    env.browser = await launchBrowser();
    env.server = await startStaticServer();
    if (clipboard) {
      await env.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: new URL(env.server.url).origin,
      });
    }
  });
  after(async () => {
    await env.server?.close();
    await env.browser?.close();
  });
  return env;
}

/** True when a request URL stays on this machine's 127.0.0.1 (or is a data:/blob: URL). */
export function isLocal(url) {
  const u = new URL(url);
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.href === 'about:blank') return true;
  return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname === '127.0.0.1';
}

/** Page object for the mmrace app. Use AppPage.open(context, baseUrl). */
/** Runs `fn(app, page)` and closes the page whatever happens. */
export async function closing(app, fn) {
  try {
    return await fn(app, app.page);
  } finally {
    await app.close();
  }
}

export class AppPage {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.consoleErrors = [];
    this.consoleWarnings = [];
    this.pageErrors = [];
    this.requests = [];
    this.offMachine = [];
    this.failedRequests = [];
    this.badResponses = [];
  }

  static async open(context, baseUrl) {
    const page = await context.newPage();
    const app = new AppPage(page, baseUrl);
    await app.#watch();
    return app;
  }

  async #watch() {
    const { page } = this;
    page.on('console', (msg) => {
      const where = msg.location()?.url ? ` (${msg.location().url})` : '';
      if (msg.type() === 'error') this.consoleErrors.push(msg.text() + where);
      if (msg.type() === 'warning') this.consoleWarnings.push(msg.text() + where);
    });
    page.on('pageerror', (err) => this.pageErrors.push(String(err?.stack ?? err)));
    page.on('requestfailed', (req) => {
      const error = req.failure()?.errorText;
      // A lazily loaded wasm chunk or the explore worker's files still in flight when the page
      // navigates or reloads are cancelled by the browser (net::ERR_ABORTED); any other
      // failure of them still counts.
      if (error === 'net::ERR_ABORTED' && /\/((split|chunk)_\w+|mmrace_worker_bg)\.wasm$|\/(explore-worker|mmrace_worker)\.js$/.test(req.url())) return;
      if (isLocal(req.url())) this.failedRequests.push(`${req.url()}: ${error}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) this.badResponses.push(`${res.status()} ${res.url()}`);
    });
    // Every request goes through here: record it, and block anything that would leave
    // 127.0.0.1 (recorded in offMachine, which assertClean() checks).
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      this.requests.push(url);
      if (isLocal(url)) return route.continue();
      this.offMachine.push(url);
      return route.abort('blockedbyclient');
    });
  }

  /** Navigates to the site (optionally with a query string such as '?x=1'). */
  async goto(query = '') {
    await this.page.goto(this.baseUrl + query, { waitUntil: 'load' });
  }

  /** The app's root element, <main data-testid="app">. */
  get app() {
    return this.page.getByTestId('app');
  }

  get heading() {
    return this.page.getByRole('heading', { level: 1 });
  }

  get panicAlert() {
    return this.page.locator('#panic[role="alert"]');
  }

  async waitForMounted(timeout = 20_000) {
    await this.app.waitFor({ state: 'visible', timeout });
  }

  /** Everything that went wrong on the page, as a list of strings (empty when clean). */
  problems() {
    return [
      ...this.consoleErrors.map((e) => `console error: ${e}`),
      ...this.pageErrors.map((e) => `page error: ${e}`),
      ...this.failedRequests.map((e) => `request failed: ${e}`),
      ...this.badResponses.map((e) => `HTTP ${e}`),
      ...this.offMachine.map((e) => `request leaving 127.0.0.1: ${e}`),
    ];
  }

  /** Runs axe-core (WCAG 2.x A and AA rules) on the page; returns its violations. */
  async axeViolations() {
    const require = createRequire(import.meta.url);
    await this.page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    return this.page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const result = await axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.target.join(' ')),
      }));
    });
  }

  async close() {
    await this.page.close();
  }
}

/** The trace categories the benchmarks and profiles record (tasks, frames, marks, script). */
export const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'v8.execute'];

/**
 * Starts a Chromium trace through the CDP session `cdp`; the returned function ends it and
 * resolves to the trace events.
 */
export async function startTrace(cdp, categories = TRACE_CATEGORIES) {
  const events = [];
  const onData = (e) => events.push(...e.value);
  cdp.on('Tracing.dataCollected', onData);
  await cdp.send('Tracing.start', { traceConfig: { recordMode: 'recordAsMuchAsPossible', includedCategories: categories } });
  return async () => {
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    await done;
    cdp.off('Tracing.dataCollected', onData);
    return events;
  };
}
