#!/usr/bin/env bash
# Builds the web app into dist/ (release, wasm-opt -Oz, relative URLs). Runs setup first unless
# MMRACE_SETUP_DONE=1 (set by run.sh/test.sh, which ran it already).
#
#   bash scripts/build.sh               the site as shipped, into dist/
#   bash scripts/build.sh --test-hooks  the same with the app's `test-hooks` feature (the hooks the
#                                       browser tests and benchmarks drive), into dist-test/
# Both use the `web` cargo profile and share every artifact but the app crate's own, so the
# second build costs the app crate, the LTO link and wasm-opt, not the dependencies.
#
# The pipeline (trunk 0.21 cannot split a wasm module, so the wasm part is ours):
#   1. trunk builds index.html, the CSS and docs-example/ (index.html has no rust asset);
#   2. cargo builds the app for wasm32 (profile `web`, linked with --emit-relocs);
#   3. tools/wasm-split (crate mmrace-wasm-split, built natively) cuts the lazily loaded pieces
#      (the #[wasm_split] functions, see app/src/lazy.rs) out into chunks and writes their
#      loader __wasm_split.js;
#   4. wasm-bindgen --target web on the main module; wasm-opt -Oz on every module; the explore
#      worker's own module (crate mmrace-worker, opt-level 3, wasm-opt -O4) and its script;
#   5. the modules and JS go to dist/wasm-<hash of their contents>/ (a new build never mixes
#      with a cached old one) and index.html gets the script that starts the app.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ "${MMRACE_SETUP_DONE:-0}" != 1 ]; then
  bash scripts/setup.sh
fi

# Download the crates first (trunk runs cargo with --offline), using the ordinary environment.
if [ "${CI:-}" = true ]; then
  cargo fetch --locked --quiet
else
  cargo fetch --quiet
fi

# The splitter is a native tool: build it before wasm-env.sh changes the environment (on the
# Debian route that environment would rebuild std for the host).
cargo build --offline --quiet -p mmrace-wasm-split
splitter="$PWD/target/debug/mmrace-wasm-split"

# shellcheck source=scripts/wasm-env.sh
source scripts/wasm-env.sh
MMRACE_LOG_TAG=build
if [ "$MMRACE_WASM_ROUTE" = debian ]; then
  # build-std resolves std's own dependencies (dlmalloc, ...) from the registry; trunk's
  # --offline needs them cached, so fetch them from std's workspace in the Debian sources.
  cargo fetch --quiet --manifest-path "$(rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
fi
mmrace_log "wasm route: $MMRACE_WASM_ROUTE ($(cargo --version)); trunk $(trunk --version | awk '{print $2}')"

# One build at a time per work tree: two trunk runs share dist/.stage and break each other.
mkdir -p "$MMRACE_ROOT/target"
exec 9>"$MMRACE_ROOT/target/.mmrace-build.lock"
if ! flock -n 9; then
  mmrace_log "another build is running in this work tree; waiting for it"
  flock 9
fi

dist=dist
features=()
trunk_args=()
for a in "$@"; do
  if [ "$a" = --test-hooks ]; then
    dist=dist-test
    features=(--features test-hooks)
    trunk_args+=(--dist dist-test)
  else
    mmrace_die "unknown argument '$a' (expected nothing or --test-hooks)"
  fi
done
start=$SECONDS
trunk build --release --offline --public-url ./ ${trunk_args[@]+"${trunk_args[@]}"}

# The explore worker's module (crate mmrace-worker): built at opt-level 3 (profile `worker`),
# not split, optimised with wasm-opt -O4 (4% faster than -O3 on the slowest cell, 11% faster
# than no wasm-opt); it runs the page's searches off the page's thread.
cargo build --offline --quiet --profile worker --target wasm32-unknown-unknown -p mmrace-worker
worker_wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/worker/mmrace_worker.wasm"

# --emit-relocs: the splitter follows the relocations to find what each piece needs.
export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-Clink-args=--emit-relocs"
cargo build --offline --quiet --profile web --target wasm32-unknown-unknown \
  -p mmrace-app --bin mmrace-app ${features[@]+"${features[@]}"}
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/web/mmrace-app.wasm"

stage="$MMRACE_ROOT/target/wasm-split/$dist"
rm -rf "$stage"
mkdir -p "$stage/split" "$stage/pkg" "$stage/worker"
"$splitter" "$wasm" "$stage/split" mmrace_app
# --keep-lld-exports: the chunks import the main module's function table, which wasm-bindgen
# would otherwise drop from its exports.
wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$stage/pkg" --out-name mmrace_app \
  "$stage/split/mmrace_app.wasm"
# The chunks and their loader sit beside wasm-bindgen's JS (the loader imports ./mmrace_app.js).
find "$stage/split" -maxdepth 1 -type f ! -name mmrace_app.wasm -exec cp {} "$stage/pkg/" \;
for w in "$stage"/pkg/*.wasm; do
  wasm-opt -Oz "$w" -o "$w"
done
wasm-bindgen --target web --no-typescript --out-dir "$stage/worker" --out-name mmrace_worker "$worker_wasm"
wasm-opt -O4 "$stage/worker/mmrace_worker_bg.wasm" -o "$stage/pkg/mmrace_worker_bg.wasm"
cp "$stage/worker/mmrace_worker.js" worker/explore-worker.js "$stage/pkg/"

hash="$(cd "$stage/pkg" && find . -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)"
rm -rf "$dist"/wasm-*
cp -r "$stage/pkg" "$dist/wasm-$hash"
node scripts/inject-loader.mjs "$dist/index.html" "wasm-$hash"
# The default view, pre-rendered into index.html (shown while the wasm loads; see the script).
node scripts/prerender.mjs "$dist"
mmrace_log "$dist/ built in $((SECONDS - start))s ($(ls "$dist/wasm-$hash"/*.wasm | wc -l) wasm modules in $dist/wasm-$hash/)"
