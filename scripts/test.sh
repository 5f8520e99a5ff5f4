#!/usr/bin/env bash
# The project's whole check, as CI runs it (.ci/run): setup, then
#   cargo fmt --check, cargo clippy -D warnings (native; plus the app for wasm32 on the rustup
#   route), cargo test --workspace (native), the wasm build of the site (scripts/build.sh ->
#   dist/), the bundle report with its byte budget (of dist/, the site as shipped), the build
#   with the test hooks (scripts/build.sh --test-hooks -> dist-test/; only the app crate, the
#   link and wasm-opt are redone) and the browser tests against it (node --test e2e/).
# Every step runs even when an earlier one failed (except that the browser tests need the
# build); the exit code is non-zero if any step failed. Ends with a summary whose last line,
# `tests: N passed, M failed`, counts failed steps as well as failed test cases
# (scripts/test-lib.sh; scripts/test-lib-selftest.sh checks it).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/common.sh
source scripts/common.sh
# shellcheck source=scripts/test-lib.sh
source scripts/test-lib.sh
MMRACE_LOG_TAG=test

mmrace_test_begin

# CI must not silently rewrite Cargo.lock.
locked=()
[ "${CI:-}" = true ] && locked=(--locked)

if ! run_step setup bash scripts/setup.sh; then
  echo "setup failed; nothing else can run" >&2
  exit 1
fi
export MMRACE_SETUP_DONE=1
mmrace_tool_path

run_step test-lib bash scripts/test-lib-selftest.sh
run_step fmt cargo fmt --all --check
run_step clippy cargo clippy "${locked[@]}" --workspace --all-targets -- -D warnings
if [ "$(mmrace_wasm_route)" = rustup ]; then
  run_step clippy-wasm cargo clippy "${locked[@]}" -p mmrace-app --target wasm32-unknown-unknown -- -D warnings
else
  skip_step clippy-wasm "Debian wasm route has no wasm32 clippy; native clippy lints the app"
fi
run_step cargo-test cargo test "${locked[@]}" --workspace --no-fail-fast
# The browser tests' determinism check compares with the native CLI: build it fresh.
run_step mmrace-cli cargo build "${locked[@]}" --release --bin mmrace

if run_step build bash scripts/build.sh; then
  run_step bundle-report bash scripts/bundle-report.sh --budget
else
  skip_step bundle-report "build failed"
fi
if run_step build-test bash scripts/build.sh --test-hooks; then
  run_step e2e node --test --test-reporter=spec e2e/
else
  skip_step e2e "build-test failed"
fi

exit 0
