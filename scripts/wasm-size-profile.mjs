// Size profile of the wasm module before wasm-opt (it still has its name section): code bytes per
// crate, from the mangled function names, plus the data section. Prints the top contributors;
// `--gzip` adds each crate's code compressed on its own (gzip -9 of its function bodies together:
// what that crate would weigh in the first load if nothing else were there).
//   node scripts/wasm-size-profile.mjs [--functions] [--gzip] [target/wasm-build/wasm32-unknown-unknown/web/mmrace-app.wasm]
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const file = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'target/wasm-build/wasm32-unknown-unknown/web/mmrace-app.wasm';
const b = readFileSync(file);
let p = 8;
const leb = () => {
  let r = 0, s = 0, x;
  do { x = b[p++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80);
  return r;
};
let imports = 0;
const bodies = [];
const starts = [];
const names = new Map();
let data = 0;
while (p < b.length) {
  const id = b[p++];
  const size = leb();
  const end = p + size;
  if (id === 2) {
    // count function imports: they take the first function indices
    let n = leb();
    for (let i = 0; i < n; i++) {
      let l = leb(); p += l; l = leb(); p += l;
      const kind = b[p++];
      if (kind === 0) { leb(); imports++; }
      else if (kind === 1) { p++; const f = leb(); leb(); if (f & 1) leb(); }
      else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); }
      else if (kind === 3) { p += 2; }
      else { leb(); leb(); }
    }
  } else if (id === 10) {
    const n = leb();
    for (let i = 0; i < n; i++) { const s = leb(); bodies.push(s); starts.push(p); p += s; }
  } else if (id === 11) {
    data += size;
  } else if (id === 0) {
    const l = leb();
    const name = b.toString('utf8', p, p + l);
    p += l;
    if (name === 'name') {
      while (p < end) {
        const sub = b[p++];
        const ss = leb();
        const se = p + ss;
        if (sub === 1) {
          const n = leb();
          for (let i = 0; i < n; i++) { const idx = leb(); const nl = leb(); names.set(idx, b.toString('utf8', p, p + nl)); p += nl; }
        }
        p = se;
      }
    }
  }
  p = end;
}
function crate(name) {
  if (!name) return '(unnamed)';
  const m = name.match(/^_ZN(\d+)/);
  if (!m) return name.startsWith('__') || /^[a-z_]+$/.test(name) ? '(runtime, libc)' : '(other)';
  let id = name.slice(3 + m[1].length, 3 + m[1].length + Number(m[1]));
  id = id.replace(/^_?\$LT\$/, '').replace(/^\$RF\$/, '').replace(/^\$u5b\$/, '');
  return id.split('..')[0].split('$')[0] || '(other)';
}
const by = new Map();
const code = new Map();
let total = 0;
bodies.forEach((s, i) => {
  const c = crate(names.get(i + imports));
  by.set(c, (by.get(c) ?? 0) + s);
  if (!code.has(c)) code.set(c, []);
  code.get(c).push(b.subarray(starts[i], starts[i] + s));
  total += s;
});
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const gzip = process.argv.includes('--gzip');
const gz = (parts) => gzipSync(Buffer.concat(parts), { level: 9 }).length;
console.log(`${file}: code ${kb(total)} in ${bodies.length} functions${gzip ? ` (${kb(gz([...code.values()].flat()))} gzip -9)` : ''}, data ${kb(data)}`);
for (const [c, s] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 15))
  console.log(`  ${c.padEnd(24)} ${kb(s).padStart(10)}  ${((100 * s) / total).toFixed(1).padStart(5)}%${gzip ? `  ${kb(gz(code.get(c))).padStart(10)} gzip -9` : ''}`);
if (gzip) {
  // Leptos: its renderer, its reactive graph and the framework crate itself.
  const leptos = ['tachys', 'reactive_graph', 'leptos', 'leptos_dom', 'any_spawner', 'or_poisoned', 'throw_error', 'send_wrapper', 'slotmap', 'guardian'];
  const parts = leptos.flatMap((c) => code.get(c) ?? []);
  const raw = parts.reduce((n, x) => n + x.length, 0);
  console.log(`  Leptos's own crates (${leptos.filter((c) => code.has(c)).join(', ')}): ${kb(raw)}, ${kb(gz(parts))} gzip -9 on their own`);
}
// `--functions`: every function's size and name, one per line (to diff two builds).
if (process.argv.includes('--functions'))
  bodies.forEach((s, i) => console.log(`${s}\t${names.get(i + imports) ?? '(unnamed)'}`));
