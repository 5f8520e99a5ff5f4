// Prints raw and gzip (level 9) sizes of the wasm, JS and CSS files in dist/ (a figure, not a
// pass/fail check). Usage: node scripts/bundle-report.mjs [dist-dir]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = path.resolve(process.argv[2] ?? 'dist');
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
