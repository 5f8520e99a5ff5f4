// Browser tests of the built site (dist/) in headless Chromium.
// Run: node --test --test-reporter=spec e2e/   (scripts/test.sh builds dist/ and runs them)

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppPage, DIST, ROOT, closing, launchBrowser, requireDist, startStaticServer } from './support.mjs';
import path from 'node:path';

const TIMEOUT = 60_000;

describe('mmrace web app', { timeout: 5 * TIMEOUT }, () => {
  let browser;
  let rootServer;

  before(async () => {
    await requireDist();
    browser = await launchBrowser();
    rootServer = await startStaticServer({ root: DIST, mount: '/' });
  });

  after(async () => {
    await rootServer?.close();
    await browser?.close();
  });

  /** Opens the site at `query` (not waiting for the app: a panic test has none) and runs `fn`. */
  async function withPage(baseUrl, query, fn) {
    const app = await AppPage.open(browser.context, baseUrl);
    await app.goto(query);
    return closing(app, fn);
  }

  test('mounts [data-testid=app] at the site root with no errors', { timeout: TIMEOUT }, async (t) => {
    await withPage(rootServer.url, '', async (app) => {
        await app.waitForMounted();
        assert.match(await app.heading.textContent(), /mmrace/);
        assert.match(await app.page.title(), /mmrace/);
        assert.equal(await app.panicAlert.count(), 0, 'no panic message');
        for (const w of app.consoleWarnings) t.diagnostic(`console warning: ${w}`);
        assert.deepEqual(app.problems(), []);
        assert.deepEqual(rootServer.misses, [], 'every file the page asked for exists');
    });
  });

  test('works from a sub-path (only relative URLs)', { timeout: TIMEOUT }, async () => {
    // The site is served at /sub/dist/ and nothing else is served, so any absolute URL
    // (/x.js) or a URL that climbs out of the site (../x) would be a 404 here.
    const mount = `/sub/${path.relative(ROOT, DIST)}/`;
    const server = await startStaticServer({ root: DIST, mount });
    try {
      await withPage(server.url, '', async (app) => {
          await app.waitForMounted();
          assert.match(await app.heading.textContent(), /mmrace/);
          assert.deepEqual(app.problems(), []);
          assert.deepEqual(server.misses, [], 'no request outside the sub-path');
          assert.ok(server.requests.length >= 3, `html, js and wasm were fetched: ${server.requests}`);
          for (const p of server.requests) assert.ok(p.startsWith(mount), `${p} is under ${mount}`);
      });
    } finally {
      await server.close();
    }
  });

  test('no request leaves 127.0.0.1', { timeout: TIMEOUT }, async () => {
    await withPage(rootServer.url, '', async (app) => {
        await app.waitForMounted();
        // Give late loads (fonts, images, prefetches) a moment to show up.
        await app.page.waitForLoadState('networkidle');
        const hosts = new Set(
          app.requests.map((u) => new URL(u)).filter((u) => u.protocol.startsWith('http')).map((u) => u.hostname),
        );
        assert.deepEqual([...hosts], ['127.0.0.1']);
        assert.deepEqual(app.offMachine, []);
        const kinds = app.requests.map((u) => path.extname(new URL(u).pathname));
        assert.ok(kinds.includes('.wasm'), `the wasm module was loaded: ${app.requests}`);
    });
  });

  test('a panic shows a visible alert instead of a blank page', { timeout: TIMEOUT }, async () => {
    await withPage(rootServer.url, '?mmrace-test-panic', async (app) => {
        await app.panicAlert.waitFor({ state: 'visible', timeout: 20_000 });
        const text = await app.panicAlert.textContent();
        assert.match(text, /deliberate test panic/);
        assert.match(text, /mmrace stopped because of an internal error/);
        // The panic is also reported to the console by console_error_panic_hook.
        assert.ok(
          app.consoleErrors.some((e) => e.includes('deliberate test panic')),
          `console error expected, got ${JSON.stringify(app.consoleErrors)}`,
        );
        assert.deepEqual(app.offMachine, []);
    });
  });

  test('themes: light by default, dark by preference, data-theme overrides', { timeout: TIMEOUT }, async () => {
    await withPage(rootServer.url, '', async (app) => {
        await app.waitForMounted();
        const bg = () => app.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        await app.page.emulateMedia({ colorScheme: 'light' });
        assert.equal(await bg(), 'rgb(255, 255, 255)');
        await app.page.emulateMedia({ colorScheme: 'dark' });
        assert.equal(await bg(), 'rgb(18, 19, 23)');
        await app.page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
        assert.equal(await bg(), 'rgb(255, 255, 255)');
        await app.page.emulateMedia({ colorScheme: 'light' });
        await app.page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
        assert.equal(await bg(), 'rgb(18, 19, 23)');
        assert.deepEqual(app.problems(), []);
    });
  });

  test('accessibility: no axe-core WCAG A/AA violations (light and dark)', { timeout: TIMEOUT }, async () => {
    await withPage(rootServer.url, '', async (app) => {
        await app.waitForMounted();
        for (const scheme of ['light', 'dark']) {
          await app.page.emulateMedia({ colorScheme: scheme });
          const violations = await app.axeViolations();
          assert.deepEqual(violations, [], `${scheme}: ${JSON.stringify(violations, null, 2)}`);
        }
    });
  });
});
