#!/usr/bin/env bash
# Builds the web app into dist/ (release, wasm-opt -Oz, relative URLs). Runs setup first unless
# MMRACE_SETUP_DONE=1 (set by run.sh/test.sh, which ran it already).
#
#   bash scripts/build.sh               the site as shipped, into dist/
#   bash scripts/build.sh --test-hooks  the same with the app's `test-hooks` feature (the hooks the
#                                       browser tests and benchmarks drive), into dist-test/
# Both use the `web` cargo profile and share every artifact but the app crate's own, so the
# second build costs the app crate, the LTO link and wasm-opt, not the dependencies.
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
args=()
for a in "$@"; do
  if [ "$a" = --test-hooks ]; then
    dist=dist-test
    args+=(--features test-hooks --dist dist-test)
  else
    args+=("$a")
  fi
done
start=$SECONDS
trunk build --release --offline --public-url ./ ${args[@]+"${args[@]}"}
# The default view, pre-rendered into index.html (shown while the wasm loads; see the script).
node scripts/prerender.mjs "$dist"
mmrace_log "$dist/ built in $((SECONDS - start))s"
