// Adds the script that starts the app to the index.html trunk built (scripts/build.sh, step 5):
// it imports wasm-bindgen's JS from DIR and instantiates the main wasm module; the lazily loaded
// chunks in DIR are fetched later by DIR/__wasm_split.js.
//
// When index.html carries the pre-rendered view (scripts/prerender.mjs), the main module is fetched
// only once that copy's paint is reported (`window.mmracePainted`): on a slow network the 360 KiB
// of wasm would otherwise share the line with the CSS the first paint waits for. Without the copy
// (a link naming another view), prerender.mjs's inline script adds a preload hint for the module
// (the `data-wasm` attribute below) as soon as the body is parsed.
// Usage: node scripts/inject-loader.mjs DIST/index.html DIR
import { readFileSync, writeFileSync } from 'node:fs';

const [file, dir] = process.argv.slice(2);
if (!file || !dir) {
  console.error('usage: node scripts/inject-loader.mjs DIST/index.html DIR');
  process.exit(2);
}
const html = readFileSync(file, 'utf8');
if (!html.includes('</head>') || html.includes('mmrace_app.js')) {
  console.error(`inject-loader: ${file} has no </head> or already loads the app`);
  process.exit(1);
}
const js = `./${dir}/mmrace_app.js`;
const wasm = `./${dir}/mmrace_app_bg.wasm`;
// window.wasmBindings: the wasm exports, as trunk set them (the test build's hooks use them).
// data-worker: the explore worker's script, which the app starts for each search.
const loader = `<script type="module" data-wasm="${wasm}" data-worker="./${dir}/explore-worker.js">
import init, * as bindings from '${js}';
if (window.mmracePainted) await window.mmracePainted;
await init({ module_or_path: '${wasm}' });
window.wasmBindings = bindings;
</script>
    <link rel="modulepreload" href="${js}" crossorigin="anonymous">
  </head>`;
writeFileSync(file, html.replace('</head>', loader));
