// Robustness: no text is ever inserted as HTML. The app's sources (Rust, the page, the docs
// example) use no inner_html / innerHTML / insertAdjacentHTML / document.write; everything goes
// through text nodes and attributes. (The browser tests also feed markup through a link and a
// trace import and check that it shows up as text: permalink.test.mjs, export.test.mjs.)

import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './support.mjs';

const PATTERN = /inner_html|outer_html|insert_adjacent_html|innerHTML|outerHTML|insertAdjacentHTML|document\.write|dangerously/;

async function* files(dir, exts) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p, exts);
    else if (exts.some((x) => e.name.endsWith(x))) yield p;
  }
}

test('no source inserts text as HTML', async () => {
  const hits = [];
  const roots = [
    [path.join(ROOT, 'app', 'src'), ['.rs']],
    [path.join(ROOT, 'core', 'src'), ['.rs']],
    [path.join(ROOT, 'docs-example'), ['.html', '.js']],
  ];
  let n = 0;
  for (const [dir, exts] of roots) {
    for await (const f of files(dir, exts)) {
      n++;
      const lines = (await readFile(f, 'utf8')).split('\n');
      lines.forEach((l, i) => {
        if (PATTERN.test(l)) hits.push(`${path.relative(ROOT, f)}:${i + 1}: ${l.trim()}`);
      });
    }
  }
  const index = await readFile(path.join(ROOT, 'site', 'index.html'), 'utf8');
  if (PATTERN.test(index)) hits.push('site/index.html');
  assert.ok(n > 20, `scanned ${n} files`);
  assert.deepEqual(hits, []);
});
