// Prints raw and gzip (level 9) sizes of the wasm, JS and CSS files in dist/.
// Usage: node scripts/bundle-report.mjs [dist-dir] [--budget]
//
// With --budget (scripts/test.sh passes it) it is also a test of the site as shipped, and exits 1
//  * when the first load (the wasm, JS and CSS index.html loads, gzip -9) exceeds BUDGET_GZ_BYTES,
//  * when the site carries the test-only code (the `test-hooks` feature of mmrace-app).
// Byte counts are deterministic for a given toolchain, so this is a test, not a timing. The budget
// sits just above what the site weighs now; the target is 150 KiB (see README, Performance).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const checkBudget = args.includes('--budget');
const dist = path.resolve(args.find((a) => !a.startsWith('--')) ?? 'dist');

/** First-load budget, gzip -9 bytes of index.html's wasm + JS + CSS. */
export const BUDGET_GZ_BYTES = 548 * 1024;
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
const width = Math.max(10, ...rows.map((r) => r.file.length));
const line = (a, b, c) => console.log(`  ${a.padEnd(width)}  ${b.padStart(11)}  ${c.padStart(11)}`);

console.log(`bundle report: ${dist}`);
line('file', 'raw', 'gzip -9');
for (const r of rows) line(r.file, kb(r.raw), kb(r.gz));
for (const kind of kinds) {
  const sel = rows.filter((r) => r.kind === kind);
  if (sel.length) line(`total ${kind}`, kb(sel.reduce((s, r) => s + r.raw, 0)), kb(sel.reduce((s, r) => s + r.gz, 0)));
}
line('total', kb(rows.reduce((s, r) => s + r.raw, 0)), kb(rows.reduce((s, r) => s + r.gz, 0)));

if (checkBudget) {
  // The first load: what index.html references (trunk writes hashed names into it).
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const first = rows.filter((r) => !r.file.includes(path.sep) && html.includes(r.file));
  const gz = first.reduce((s, r) => s + r.gz, 0);
  let ok = true;
  console.log(`first load (${first.map((r) => r.file).join(', ')}): ${kb(gz)} gzip -9; budget ${kb(BUDGET_GZ_BYTES)}, target 150.0 KiB`);
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
