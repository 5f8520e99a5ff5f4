// Projector mode on the screens talks use (1024×768, 1280×720, 1920×1080): every cue of every
// guided tour (core/src/tour.rs) must show, without scrolling, the caption, mmap_lock (writer,
// readers, queue), mm_users/mm_count and the flags, every VMA, the current line of each actor
// (inside its listing too), and the cue's verdict or violation in large, high-contrast type with
// a symbol and words. One screenshot per size goes to docs/ (linked from the README).

import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { ROOT, useBrowserAndServer } from './support.mjs';
import { loadTours, startTour, withApp, S1_LINK, S2_LINK } from './fragment-page.mjs';

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1024, height: 768 },
  { width: 1920, height: 1080 },
];
// The cue photographed for docs/: the syzbot tour's S2 cue.
const SHOT_TOUR = 'syzbot-uaf';

/** Bounding boxes (and a few styles) of everything the audience must see, read in one go. */
function measure() {
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left, y: r.top, right: r.right, bottom: r.bottom, w: r.width, h: r.height };
  };
  const need = [];
  const add = (what, el) => need.push({ what, ...(el ? box(el) : { missing: true }) });
  const q = (s) => document.querySelector(s);
  add('caption', q('[data-testid="tour-caption"]'));
  add('mmap_lock', q('[data-testid="mmap-lock"]'));
  for (const id of ['lock-writer', 'lock-readers', 'lock-queue', 'mm-users', 'mm-count']) add(id, q(`[data-testid="${id}"]`));
  document.querySelectorAll('[data-testid="mm-flag"]').forEach((el) => add(`flag ${el.dataset.flag}`, el));
  const vmas = document.querySelectorAll('[data-testid="vma"]');
  vmas.forEach((el, i) => add(`VMA ${i}`, el));
  const lines = [];
  document.querySelectorAll('[data-testid="actor-column"]').forEach((col) => {
    const current = [...col.querySelectorAll('[data-testid="line"][aria-current]')].pop();
    if (col.dataset.status === 'done' || col.dataset.status === 'absent') return;
    add(`current line of ${col.dataset.actor}`, current);
    if (current) {
      const listing = col.querySelector('[data-testid="listing"]').getBoundingClientRect();
      const r = current.getBoundingClientRect();
      lines.push({ actor: col.dataset.actor, inListing: r.top >= listing.top - 1 && r.bottom <= listing.bottom + 1 });
    }
  });
  // The verdict of the cue: the promise and the first violation's title.
  const verdicts = [];
  for (const el of [q('[data-testid="tour-promise"]'), q('[data-testid="violation"] h2')]) {
    if (!el) continue;
    add(el.closest('[data-testid="violation"]') ? 'violation' : 'verdict', el);
    const cs = getComputedStyle(el);
    let bgEl = el;
    while (bgEl && getComputedStyle(bgEl).backgroundColor.match(/rgba\(.*, 0\)|transparent/)) bgEl = bgEl.parentElement;
    verdicts.push({
      text: el.innerText,
      size: parseFloat(cs.fontSize),
      weight: Number(cs.fontWeight),
      color: cs.color,
      background: bgEl ? getComputedStyle(bgEl).backgroundColor : 'rgb(255, 255, 255)',
    });
  }
  return {
    need,
    lines,
    verdicts,
    vmaCount: vmas.length,
    viewport: { w: window.innerWidth, h: window.innerHeight },
    scroll: { x: document.documentElement.scrollWidth, y: document.documentElement.scrollHeight },
  };
}

function luminance(rgb) {
  const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

function checkCue(m, where) {
  const { w, h } = m.viewport;
  assert.ok(m.vmaCount >= 3, `${where}: the VMAs are on the page`);
  for (const n of m.need) {
    assert.ok(!n.missing, `${where}: ${n.what} is on the page`);
    assert.ok(n.w > 0 && n.h > 0, `${where}: ${n.what} is displayed`);
    assert.ok(
      n.x >= -0.5 && n.y >= -0.5 && n.right <= w + 0.5 && n.bottom <= h + 0.5,
      `${where}: ${n.what} at [${Math.round(n.x)}, ${Math.round(n.y)}, ${Math.round(n.right)}, ${Math.round(n.bottom)}] is outside the ${w}×${h} viewport`,
    );
  }
  for (const l of m.lines) assert.ok(l.inListing, `${where}: ${l.actor}'s current line is scrolled into its listing`);
  assert.ok(m.scroll.x <= w && m.scroll.y <= h, `${where}: the page does not scroll (${m.scroll.x}×${m.scroll.y})`);
  for (const v of m.verdicts) {
    assert.ok(v.size >= 19, `${where}: verdict "${v.text}" in large type (${v.size}px)`);
    assert.ok(v.weight >= 700, `${where}: verdict "${v.text}" is bold`);
    assert.ok(contrast(v.color, v.background) >= 7, `${where}: verdict "${v.text}" contrast ${contrast(v.color, v.background).toFixed(1)} ≥ 7`);
    assert.match(v.text, /^\s*[✓✗⚠△]\s*\S+/, `${where}: verdict "${v.text}" has a symbol and words, not colour alone`);
  }
}

describe('projector mode: every cue of every tour fits the screen', { timeout: 30 * 60_000 }, () => {
  const env = useBrowserAndServer();
  let tours;
  before(async () => {
    tours = await loadTours();
  });

  for (const size of SIZES) {
    test(`${size.width}×${size.height}`, { timeout: 10 * 60_000 }, async () => {
      await withApp(env.browser.context, env.server.url, '#talk=1', async (app, page) => {
        for (const tour of tours) {
          await startTour(page, tour);
          for (let i = 1; i <= tour.cues.length; i++) {
            await page.keyboard.press('ArrowRight');
            await page.locator(`[data-testid="tour"][data-cue="${i}"]`).waitFor({ timeout: 10_000 });
            // The listings scroll their current line into view on the next frame.
            await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
            const m = await page.evaluate(measure);
            checkCue(m, `${tour.id} cue ${i} at ${size.width}×${size.height}`);
            if (tour.id === SHOT_TOUR && tour.cues[i - 1].expect.kind === 'Fires') {
              await page.screenshot({ path: path.join(ROOT, 'docs', `projector-${size.width}x${size.height}.png`) });
            }
          }
        }
        assert.deepEqual(app.problems(), []);
      }, size);
    });
  }
});

describe('the violation alert keeps its height without a tour', () => {
  const env = useBrowserAndServer();

  // The stage fills the viewport; before the fix the alert (a scrolling box) was the flex item
  // that shrank: 0 px high in projector mode at 1280×720, 8 px without it.
  for (const suffix of ['', '&talk=1']) {
    for (const size of [{ width: 1280, height: 720 }, { width: 1024, height: 768 }]) {
      test(`S2 at ${size.width}×${size.height}${suffix}`, async () => {
        await withApp(env.browser.context, env.server.url, `#${S2_LINK}${suffix}`, async (app, page) => {
          const alert = page.getByTestId('violation').first();
          await alert.waitFor({ state: 'visible' });
          const box = await page.getByTestId('violations').evaluate((el) => ({
            h: el.getBoundingClientRect().height,
            content: el.scrollHeight,
          }));
          // At least its title line (in projector mode on a short screen the title is all it shows),
          // and all of it up to the box's cap.
          assert.ok(box.h >= 30 && box.h >= Math.min(box.content, 152) - 1, `the alert is ${box.h} px high of ${box.content}`);
          assert.deepEqual(app.problems(), []);
        }, size);
      });
    }
  }
});

describe('stepping freely in projector mode fits the first screen', () => {
  const env = useBrowserAndServer();

  // No tour: the header, the share and present bar and the transport stay. The stage must still
  // show mmap_lock, the counts, the flags, every VMA, each actor's current line and the
  // violation without scrolling (the timeline below may be scrolled to). Before the chrome's
  // smaller type, the header and the bar took four rows at 1280×720 and the columns' current
  // lines fell below the fold.
  const sizes = [{ width: 1280, height: 720 }, { width: 1024, height: 768 }, { width: 1366, height: 768 }, { width: 1920, height: 1080 }];
  const cases = [['S1', S1_LINK], ['S2', S2_LINK]].flatMap(([name, link]) => sizes.map((size) => ({ name, link, size })));
  for (const { name, link, size } of cases) {
    test(`${name} at ${size.width}×${size.height}`, async () => {
      await withApp(env.browser.context, env.server.url, `#${link}&talk=1`, async (app, page) => {
        await page.getByTestId('violation').first().waitFor({ state: 'visible' });
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const m = await page.evaluate(measure);
        const where = `free stepping, ${name}, at ${size.width}×${size.height}`;
        const { w, h } = m.viewport;
        assert.ok(m.lines.length >= 1, `${where}: current lines to show`);
        for (const n of m.need.filter((x) => x.what !== 'caption')) {
          assert.ok(!n.missing && n.w > 0 && n.h > 0, `${where}: ${n.what} is displayed`);
          assert.ok(
            n.x >= -0.5 && n.y >= -0.5 && n.right <= w + 0.5 && n.bottom <= h + 0.5,
            `${where}: ${n.what} at [${Math.round(n.x)}, ${Math.round(n.y)}, ${Math.round(n.right)}, ${Math.round(n.bottom)}] is outside the ${w}×${h} viewport`,
          );
        }
        for (const l of m.lines) assert.ok(l.inListing, `${where}: ${l.actor}'s current line is scrolled into its listing`);
        assert.ok(m.scroll.x <= w, `${where}: no horizontal scroll (${m.scroll.x})`);
        assert.deepEqual(app.problems(), []);
      }, size);
    });
  }
});
