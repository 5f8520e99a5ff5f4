// Prints raw and gzip (level 9) sizes of the wasm, JS and CSS files in dist/.
// Usage: node scripts/bundle-report.mjs [dist-dir] [--budget]
//
// It lists the first load (what index.html loads: CSS, JS, the main wasm module, and the JS those
// import) apart from the lazily loaded wasm chunks (scripts/build.sh splits them off; each is
// fetched the first time its piece of the UI is used).
// With --budget (scripts/test.sh passes it) it is also a test of the site as shipped, and exits 1
//  * when the first load (gzip -9) exceeds BUDGET_GZ_BYTES,
//  * when the site carries the test-only code (the `test-hooks` feature of mmrace-app).
// Byte counts are deterministic for a given toolchain, so this is a test, not a timing. The budget
// sits just above what the site weighs now; the target is 150 KiB (see README, Performance).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const checkBudget = args.includes('--budget');
const dist = path.resolve(args.find((a) => !a.startsWith('--')) ?? 'dist');

/**
 * First-load budget, gzip -9 bytes of the first load: about 0.3% above its size (364.0 KiB) once
 * the edit-list parser moved to the edit chunk (−20.6 KiB), the explore worker's start (+1.5)
 * came in and the last float formatting left the main module (−7.5).
 */
export const BUDGET_GZ_BYTES = 365 * 1024;
/** Names only the test-hooks build has (wasm exports in the JS glue, the hook's query flag). */
const TEST_ONLY = ['mmrace_explore_bench', 'mmrace_fingerprint', 'mmrace-test-hook', 'liveHeapBytes'];
const kinds = ['.wasm', '.js', '.css'];

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

let files;
try {
  files = walk(dist).filter((f) => kinds.includes(path.extname(f))).sort();
} catch {
  console.error(`bundle report: ${dist} not found (build it with 'bash scripts/build.sh')`);
  process.exit(1);
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const rows = files.map((f) => {
  const data = readFileSync(f);
  return { file: path.relative(dist, f), kind: path.extname(f), raw: data.length, gz: gzipSync(data, { level: 9 }).length };
});
// The first load: what index.html references (the CSS, wasm-bindgen's JS, the main wasm module)
// and the JS those modules import statically (the chunk loader __wasm_split.js). Every other
// wasm module is a lazily loaded chunk, fetched when its piece of the UI is first used, or the
// explore worker's.
const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
// The explore worker's files (its script, named by the start script's data-worker, its JS and
// its wasm module) are fetched in a worker once the page is idle, never by the first load.
const WORKER_FILES = ['explore-worker.js', 'mmrace_worker.js', 'mmrace_worker_bg.wasm'];
const isWorker = (r) => WORKER_FILES.includes(path.basename(r.file));
const firstSet = new Set(rows.filter((r) => !isWorker(r) && html.includes(`./${r.file.split(path.sep).join('/')}`)).map((r) => r.file));
for (const r of rows.filter((r) => firstSet.has(r.file) && r.kind === '.js')) {
  const text = readFileSync(path.join(dist, r.file), 'utf8');
  for (const m of text.matchAll(/^import\b[^'"]*['"](\.\/[^'"]+)['"]/gm)) {
    firstSet.add(path.join(path.dirname(r.file), m[1]));
  }
}
const first = rows.filter((r) => firstSet.has(r.file));
// The loader names, above each shared chunk, the pieces that load it: `/* edit, explore */`.
const sharedBy = new Map();
for (const r of first.filter((r) => path.basename(r.file) === '__wasm_split.js')) {
  const text = readFileSync(path.join(dist, r.file), 'utf8');
  for (const m of text.matchAll(/\/\* ([\w, ]+) \*\/\s*const __chunk_\d+ = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([\w.]+)"/g)) {
    sharedBy.set(path.join(path.dirname(r.file), m[2]), m[1]);
  }
}
const worker = rows.filter(isWorker);
const lazy = rows.filter((r) => !firstSet.has(r.file) && !isWorker(r) && r.kind === '.wasm');
const other = rows.filter((r) => !firstSet.has(r.file) && !isWorker(r) && r.kind !== '.wasm');
const width = Math.max(10, ...rows.map((r) => r.file.length + (sharedBy.has(r.file) ? 11 + sharedBy.get(r.file).length : 0)));
const line = (a, b, c) => console.log(`  ${a.padEnd(width)}  ${b.padStart(11)}  ${c.padStart(11)}`);
const sum = (sel, k) => sel.reduce((s, r) => s + r[k], 0);

console.log(`bundle report: ${dist}`);
line('first load', 'raw', 'gzip -9');
for (const r of first) line(r.file, kb(r.raw), kb(r.gz));
line('total first load', kb(sum(first, 'raw')), kb(sum(first, 'gz')));
if (lazy.length) {
  line('loaded later (chunks)', 'raw', 'gzip -9');
  for (const r of lazy) {
    line(r.file + (sharedBy.has(r.file) ? ` (shared: ${sharedBy.get(r.file)})` : ''), kb(r.raw), kb(r.gz));
  }
  line('total chunks', kb(sum(lazy, 'raw')), kb(sum(lazy, 'gz')));
}
if (worker.length) {
  line('explore worker (started once the page is idle)', 'raw', 'gzip -9');
  for (const r of worker) line(r.file, kb(r.raw), kb(r.gz));
  line('total explore worker', kb(sum(worker, 'raw')), kb(sum(worker, 'gz')));
}
if (other.length) {
  line('other files (not loaded by the app)', 'raw', 'gzip -9');
  for (const r of other) line(r.file, kb(r.raw), kb(r.gz));
}
line('total', kb(sum(rows, 'raw')), kb(sum(rows, 'gz')));
const htmlBytes = Buffer.from(html);
line('index.html (not in the totals)', kb(htmlBytes.length), kb(gzipSync(htmlBytes, { level: 9 }).length));

if (checkBudget) {
  const gz = sum(first, 'gz');
  let ok = true;
  console.log(`first load: ${kb(gz)} gzip -9; budget ${kb(BUDGET_GZ_BYTES)}, target 150.0 KiB`);
  if (first.length === 0 || !first.some((r) => r.kind === '.wasm')) {
    console.log('FAIL: index.html references no wasm module');
    ok = false;
  }
  if (gz > BUDGET_GZ_BYTES) {
    console.log(`FAIL: the first load is ${gz - BUDGET_GZ_BYTES} bytes over the budget`);
    ok = false;
  }
  for (const r of rows.filter((r) => r.kind !== '.css')) {
    const text = readFileSync(path.join(dist, r.file)).toString('latin1');
    const found = TEST_ONLY.filter((n) => text.includes(n));
    if (found.length) {
      console.log(`FAIL: ${r.file} carries test-only code (${found.join(', ')}): build without the test-hooks feature`);
      ok = false;
    }
  }
  if (!ok) process.exit(1);
}
