// Pre-renders the default view into index.html, so a visitor sees the page while the wasm is
// still on its way (on a phone on slow 4G, about three seconds) instead of a blank one.
//
//   node scripts/prerender.mjs [dist-dir=dist]      (scripts/build.sh runs it after trunk)
//
// It serves the built site on 127.0.0.1, opens the bare URL in headless Chromium (the system one,
// as the browser tests use), waits for the app to settle and copies its <main> into index.html
// as a static, inert copy: `<main id="prerender" inert aria-busy="true">`. The app removes that
// copy just before it mounts (`lib.rs`, `start`), and since the copy is the same markup under the
// same CSS, the swap does not move anything on screen.
//
// The copy is of the default view only. A small inline script, run before the first paint,
// drops it where the app would show something else:
//  * a query string, or a fragment other than the default view's own: the link names a view;
//  * any fragment, a frame, or a dismissed orientation card: no orientation card;
//  * a stored theme is applied at once (the app applies it again when it starts).
// Where the copy is dropped, the script also adds the preload hint for the main wasm module that
// index.html leaves out (inject-loader.mjs: with the copy, the module is fetched after its paint).
// Test ids are removed from the copy, so the browser tests find the live app, never the copy.
// The script also sets `window.mmracePainted`, a promise that resolves once the browser reports the
// copy's first or largest paint (after a frame where paint timing is not supported, after
// PAINT_WAIT_MS at the latest). The start script fetches the main wasm module only then
// (inject-loader.mjs), and the app awaits it before it replaces the copy: on a slow network the
// first paint does not share the line with 360 KiB of wasm, and even when the wasm would arrive
// first (a fast network) the copy is on screen, and counted as the largest paint, first.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { launchBrowser, startStaticServer } from '../e2e/support.mjs';

const dist = path.resolve(process.argv[2] ?? 'dist');
const indexPath = path.join(dist, 'index.html');
const MARK = '<!-- mmrace:prerender -->';

/** The keys the app keeps in localStorage (theme_toggle.rs, orientation.rs). */
const THEME_KEY = 'mmrace-theme';
const ORIENTATION_KEY = 'mmrace-orientation';
/**
 * The longest the app waits for the copy's paint to be reported (ms): a browser that reports no
 * paint timing, or a page that does not paint (a tab opened in the background), still starts.
 */
const PAINT_WAIT_MS = 2000;

const index = await readFile(indexPath, 'utf8').catch(() => {
  console.error(`prerender: ${indexPath} not found (build the site first)`);
  process.exit(1);
});
if (index.includes(MARK)) {
  console.error(`prerender: ${indexPath} is already pre-rendered`);
  process.exit(1);
}
if (!index.includes('</body>')) {
  console.error(`prerender: ${indexPath} has no </body>`);
  process.exit(1);
}

const server = await startStaticServer({ root: dist });
const browser = await launchBrowser();
let captured;
try {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(server.url, { waitUntil: 'load' });
  await page.getByTestId('app').waitFor({ timeout: 60_000 });
  // The permalink is written in idle time (within 2 s); it names the default view.
  await page.waitForFunction(() => location.hash.length > 1, null, { timeout: 30_000 });
  await page.waitForTimeout(500);
  if (errors.length) throw new Error(`the page reported errors:\n${errors.join('\n')}`);
  captured = await page.evaluate(() => {
    const main = document.querySelector('main[data-testid="app"]');
    if (!main) return null;
    const copy = main.cloneNode(true);
    // Form state lives in DOM properties, which outerHTML does not carry: write it as attributes.
    const live = main.querySelectorAll('select, input, textarea');
    const cloned = copy.querySelectorAll('select, input, textarea');
    live.forEach((el, i) => {
      const c = cloned[i];
      if (el.tagName === 'SELECT') {
        [...c.options].forEach((o, j) => o.toggleAttribute('selected', el.options[j]?.selected === true));
      } else if (el.tagName === 'TEXTAREA') {
        c.textContent = el.value;
      } else if (el.type === 'checkbox' || el.type === 'radio') {
        c.toggleAttribute('checked', el.checked);
      } else {
        c.setAttribute('value', el.value);
      }
    });
    copy.querySelectorAll('[data-testid]').forEach((el) => el.removeAttribute('data-testid'));
    copy.removeAttribute('data-testid');
    copy.id = 'prerender';
    copy.setAttribute('inert', '');
    copy.setAttribute('aria-busy', 'true');
    return { html: copy.outerHTML, hash: location.hash };
  });
} finally {
  await browser.close();
  await server.close();
}
if (!captured) {
  console.error('prerender: the app rendered no <main data-testid="app">');
  process.exit(1);
}

// Runs before the first paint: keep the copy only where the app will show the same thing.
const script = `<script>(function(){var m=document.getElementById('prerender');if(!m)return;var s;
try{s=window.localStorage}catch(e){}
var t=s&&s.getItem(${JSON.stringify(THEME_KEY)});if(t==='light'||t==='dark')document.documentElement.setAttribute('data-theme',t);
var h=location.hash,q=location.search.replace(/^\\?/,'');
if(q||(h&&h!==${JSON.stringify(captured.hash)})){m.remove();var w=document.querySelector('script[data-wasm]');
if(w){var l=document.createElement('link');l.rel='preload';l.as='fetch';l.type='application/wasm';l.crossOrigin='anonymous';l.href=w.getAttribute('data-wasm');document.head.appendChild(l)}return}
var framed;try{framed=window.self!==window.top}catch(e){framed=true}
if(h||framed||(s&&s.getItem(${JSON.stringify(ORIENTATION_KEY)})==='dismissed')){var o=m.querySelector('.orientation');if(o)o.remove()}
window.mmracePainted=new Promise(function(done){setTimeout(done,${PAINT_WAIT_MS});
var p=window.PerformanceObserver,k=(p&&p.supportedEntryTypes)||[],n=0;
['paint','largest-contentful-paint'].forEach(function(t){if(k.indexOf(t)>=0){n++;new p(function(){done()}).observe({type:t,buffered:true})}});
if(!n)requestAnimationFrame(function(){setTimeout(done,0)})});
})()</script>`;

const out = index.replace('</body>', `${MARK}\n${captured.html}\n${script}\n</body>`);
await writeFile(indexPath, out);
console.log(
  `prerender: ${path.relative(process.cwd(), indexPath)} now carries the default view (${captured.html.length} bytes of markup, fragment ${captured.hash})`,
);
