// Page object for the mmrace stepper (built on support.mjs's AppPage, which records console
// errors, page errors, failed requests and off-machine requests).

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AppPage, ROOT } from './support.mjs';

export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');

export class StepperPage {
  /** @param {AppPage} app */
  constructor(app) {
    this.app = app;
    this.page = app.page;
  }

  /**
   * Opens the app at 1280×720 with an optional query string and waits until it is mounted and
   * the view `ready` (a test id: the stepper's stage, or e.g. 'compare' for a compare link) shows;
   * throws if it does not.
   */
  /** `beforeGoto(page)`: runs before the page is navigated (routes, listeners). */
  static async open(context, baseUrl, query = '', { ready = 'stage', beforeGoto } = {}) {
    const app = await AppPage.open(context, baseUrl);
    await app.page.setViewportSize({ width: 1280, height: 720 });
    if (beforeGoto) await beforeGoto(app.page);
    await app.goto(query);
    await app.waitForMounted();
    const sp = new StepperPage(app);
    try {
      await sp.byTestId(ready).waitFor({ state: 'visible', timeout: 20_000 });
    } catch (e) {
      const problems = app.problems();
      await app.close();
      throw new Error(`the ${ready} view did not show for '${query}': ${e.message}; page problems: ${JSON.stringify(problems)}`);
    }
    return sp;
  }

  byTestId(id) {
    return this.page.getByTestId(id);
  }
  get stage() {
    return this.byTestId('stage');
  }
  column(actor) {
    return this.page.locator(`[data-testid="actor-column"][data-actor="${actor}"]`);
  }
  stepButton(actor) {
    return this.page.locator(`[data-testid="step-button"][data-actor="${actor}"]`);
  }
  /** The id of the highlighted line in an actor's listing (its next step or call site). */
  async currentLine(actor) {
    const ids = await this.column(actor)
      .locator('.frame:not([hidden]) [data-testid="line"][aria-current]')
      .evaluateAll((els) => els.map((e) => e.dataset.line));
    return ids[ids.length - 1];
  }
  async status(actor) {
    return this.column(actor).getAttribute('data-status');
  }
  async pos() {
    return Number(await this.byTestId('position').getAttribute('data-pos'));
  }
  async len() {
    return Number(await this.byTestId('position').getAttribute('data-len'));
  }
  async waitPos(n, timeout = 5_000) {
    await this.page.waitForFunction(
      (n) => document.querySelector('[data-testid="position"]')?.dataset.pos === String(n),
      n,
      { timeout },
    );
  }
  async narration() {
    return (await this.byTestId('narration').textContent()).trim();
  }
  async lockWriter() {
    return (await this.byTestId('lock-writer').textContent()).trim();
  }
  async lockReaders() {
    return (await this.byTestId('lock-readers').textContent()).trim();
  }
  async lockQueue() {
    return this.byTestId('lock-queue')
      .locator('li.waiter')
      .evaluateAll((els) => els.map((e) => e.textContent.trim()));
  }
  vma(letter) {
    return this.page.locator(`[data-testid="vma"][data-vma="${letter}"]`);
  }
  async vmaState(letter) {
    const v = this.vma(letter);
    return {
      pt: await v.getAttribute('data-pt'),
      live: (await v.getAttribute('data-live')) === 'true',
      mapped: (await v.getAttribute('data-mapped')) === 'true',
      walkers: (await v.getByTestId('vma-walkers').textContent()).trim(),
    };
  }
  async counter(id) {
    return Number(await this.byTestId(id).locator('.counter-value').getAttribute('data-value'));
  }
  async flag(name) {
    return (await this.page.locator(`[data-testid="mm-flag"][data-flag="${name}"]`).getAttribute('data-set')) === 'true';
  }
  violation(inv) {
    return this.page.locator(`[data-testid="violation"][data-inv="${inv}"]`);
  }
  async violationIds() {
    return this.page
      .locator('[data-testid="violation"]')
      .evaluateAll((els) => els.map((e) => e.dataset.inv));
  }
  async step(actor) {
    const before = await this.pos();
    await this.stepButton(actor).click();
    await this.waitPos(before + 1);
  }
  async replay(schedule) {
    await this.byTestId('schedule-input').fill(schedule);
    await this.byTestId('schedule-replay').click();
  }
  async selectVariant(id) {
    await this.byTestId('variant-select').selectOption(id);
  }
  async selectScenario(id) {
    await this.byTestId('scenario-select').selectOption(id);
  }
  /**
   * The stage's HTML without the transport bar and the "step i of n" line: the picture of the
   * state a presenter sees (narration, violations, lock, mm, VMAs, actor columns).
   */
  async snapshot() {
    return this.stage.evaluate((el) => {
      const copy = el.cloneNode(true);
      copy.querySelectorAll('.transport, [data-testid="position"]').forEach((n) => n.remove());
      // Serialize with attributes sorted (their order depends on the order of DOM updates,
      // which is not part of the picture), without the framework's empty comment markers, and
      // without hidden elements (a listing keeps the frames it built off the stack, hidden, and
      // builds some ahead of time when the page is idle).
      const out = [];
      (function walk(n) {
        if (n.nodeType === Node.TEXT_NODE) return out.push(n.textContent);
        if (n.nodeType !== Node.ELEMENT_NODE || n.hasAttribute('hidden')) return;
        const attrs = [...n.attributes].map((a) => `${a.name}="${a.value}"`).sort();
        out.push(`<${n.localName}${attrs.length ? ' ' : ''}${attrs.join(' ')}>`);
        n.childNodes.forEach(walk);
        out.push(`</${n.localName}>`);
      })(copy);
      return out.join('');
    });
  }
  /** Saves a viewport screenshot; `top` scrolls the page to the stage first. */
  async screenshot(name, { top = false, ...options } = {}) {
    await mkdir(ARTIFACTS, { recursive: true });
    if (top) {
      await this.page.evaluate(() => {
        document.activeElement?.blur?.();
        window.scrollTo(0, 0);
      });
    }
    const file = path.join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path: file, ...options });
    return file;
  }
  problems() {
    return this.app.problems();
  }
  async close() {
    await this.app.close();
  }
}
