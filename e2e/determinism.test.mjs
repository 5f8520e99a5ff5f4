// The same seed gives the same trace natively and in wasm: the browser computes the seeded-run
// fingerprint with the core compiled to wasm (window.wasmBindings.mmrace_fingerprint) and the
// test compares it with the native `mmrace fingerprint` (built fresh from this tree).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppPage, mmraceCli, useBrowserAndServer } from './support.mjs';

const CASES = [
  ['v5.16', 'oom-kill', 1],
  ['v5.17-rc1', 'user-kill', 7],
  ['v6.1', 'proc-reader', 42],
  ['b4-mrelease-mmgrab', 'oom-kill', 3],
];

function nativeFingerprint(variant, scenario, seed) {
  return mmraceCli(['fingerprint', '--variant', variant, '--scenario', scenario, '--seed', String(seed), '--steps', '10000']).trim();
}

describe('determinism: native and wasm', { timeout: 600_000 }, () => {
  const env = useBrowserAndServer();

  test('seeded runs have identical fingerprints natively and in wasm', { timeout: 600_000 }, async () => {
    const app = await AppPage.open(env.browser.context, env.server.url);
    await app.goto('');
    await app.waitForMounted();
    await app.page.waitForFunction(() => window.wasmBindings?.mmrace_fingerprint);
    for (const [variant, scenario, seed] of CASES) {
      const wasm = await app.page.evaluate(
        ([v, s, n]) => window.wasmBindings.mmrace_fingerprint(v, s, n, 10000),
        [variant, scenario, seed],
      );
      assert.match(wasm, /^[0-9a-f]{16}$/);
      assert.equal(wasm, nativeFingerprint(variant, scenario, seed), `${variant} ${scenario} seed ${seed}`);
    }
    assert.deepEqual(app.problems(), []);
  });

  test('the explorer reaches the native verdicts in wasm', { timeout: 600_000 }, async (t) => {
    const app = await AppPage.open(env.browser.context, env.server.url);
    await app.goto('');
    await app.waitForMounted();
    await app.page.waitForFunction(() => window.wasmBindings?.mmrace_explore_bench);
    const run = (v, s) => app.page.evaluate(([a, b]) => JSON.parse(window.wasmBindings.mmrace_explore_bench(a, b)), [v, s]);
    const native = (v, s) => JSON.parse(mmraceCli(['check', '--variant', v, '--scenario', s, '--json'], { ok: [0, 1] }));
    const safe = await run('v5.17', 'oom-kill');
    assert.equal(safe.violated, '');
    assert.equal(safe.states, native('v5.17', 'oom-kill').states, 'same state count as the native explorer');
    const bad = await run('v5.17-rc1', 'user-kill');
    const nativeBad = native('v5.17-rc1', 'user-kill');
    assert.equal(bad.violated, nativeBad.violated.join(','));
    assert.equal(bad.violated, 'S2');
    assert.equal(bad.states, nativeBad.states);
    t.diagnostic(`wasm explore: v5.17 oom-kill ${safe.states} states in ${safe.ms} ms`);
  });
});
