// Helpers for the browser tests of fragment links (permalinks, embed, talk mode, export/import, a11y):
// opening the app at a fragment, reading its position, and the guided tours as the core exports
// them (`mmrace tours --json`), so the tests follow the tours the site actually ships.

import { AppPage, closing, mmraceCli } from './support.mjs';

/** The two counterexamples used throughout (from `mmrace run --json`). */
export const S2_LINK = 'v=1&variant=v5.17-rc1&sc=user-kill&s=M4V27M5';
export const S1_LINK = 'v=1&variant=b4-mrelease-mmgrab&sc=user-kill&s=M5V16M5V4M';
/** The largest cell the scenario picker offers: b4 with two process_mrelease callers and two
 *  /proc readers, seven actors, 0.59 M states, the longest search (most of a second). */
export const LARGEST_CELL_LINK = 'v=2&variant=b4-mrelease-mmgrab&kill=oom&mr=2&rd=2';

/** Opens the app at `suffix` ('', '#…', '?…#…') at 1280×720 and waits until it is mounted. */
export async function openApp(context, baseUrl, suffix = '', { width = 1280, height = 720 } = {}) {
  const app = await AppPage.open(context, baseUrl);
  await app.page.setViewportSize({ width, height });
  await app.goto(suffix);
  await app.waitForMounted();
  await app.page.getByTestId('position').first().waitFor({ state: 'attached', timeout: 20_000 });
  return app;
}

/** Opens the app as `openApp` does, runs `fn(app, page)` and always closes the page. */
export async function withApp(context, baseUrl, suffix, fn, size) {
  return closing(await openApp(context, baseUrl, suffix, size), fn);
}

/** Current position and length (from the narration's data attributes). */
export async function position(page) {
  const el = page.getByTestId('position').first();
  return {
    pos: Number(await el.getAttribute('data-pos')),
    len: Number(await el.getAttribute('data-len')),
  };
}

export async function waitPosition(page, pos, len, timeout = 10_000) {
  await page.waitForFunction(
    ([p, n]) => {
      const el = document.querySelector('[data-testid="position"]');
      return el && el.dataset.pos === String(p) && (n === null || el.dataset.len === String(n));
    },
    [pos, len ?? null],
    { timeout },
  );
}

/** Waits until the address bar's fragment matches `re`; returns it (without '#'). */
export async function waitHash(page, re, timeout = 10_000) {
  const src = re.source;
  const flags = re.flags;
  await page.waitForFunction(
    ([s, f]) => new RegExp(s, f).test(decodeURIComponent(location.hash.slice(1))),
    [src, flags],
    { timeout },
  );
  return page.evaluate(() => location.hash.slice(1));
}

/** The fragment's key=value pairs as an object. */
export function fragmentParams(hash) {
  const out = {};
  for (const p of hash.replace(/^#/, '').split('&')) {
    if (!p) continue;
    const i = p.indexOf('=');
    out[i < 0 ? p : p.slice(0, i)] = i < 0 ? '' : decodeURIComponent(p.slice(i + 1));
  }
  return out;
}

/**
 * In talk mode, starts `tour` (one of `loadTours()`) wherever the page is: a running tour hides
 * the tour picker, so End tour comes first; then picks the tour, starts it and waits for cue 0.
 */
export async function startTour(page, tour) {
  if (await page.getByTestId('tour-exit').isVisible()) {
    await page.getByTestId('tour-exit').click();
    await page.getByTestId('tour').waitFor({ state: 'detached' });
  }
  await page.getByTestId('tour-select').selectOption({ label: tour.title });
  await page.getByTestId('tour-start').click();
  await page.locator(`[data-testid="tour"][data-tour="${tour.id}"][data-cue="0"]`).waitFor({ timeout: 10_000 });
}

/**
 * The guided tours as the core exports them (`mmrace tours --json`): [{id, title, variant,
 * compare, scenario, mrelease, cues: [{schedule, caption, expect, expect_other}]}], a promise
 * being {kind, invariant | actor | flag}.
 */
export async function loadTours() {
  const tours = JSON.parse(mmraceCli(['tours', '--json']));
  if (tours.length < 6 || tours.some((t) => !t.id || !t.variant || t.cues.length === 0)) {
    throw new Error(`mmrace tours --json gave too little: ${JSON.stringify(tours)}`);
  }
  return tours;
}
