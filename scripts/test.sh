#!/usr/bin/env bash
# The project's whole check, as CI runs it (.ci/run): setup, then
#   cargo fmt --check, cargo clippy -D warnings (native; plus the app for wasm32 on the rustup
#   route), cargo test --workspace (native), the wasm build of the site (scripts/build.sh ->
#   dist/), the bundle report with its byte budget (of dist/, the site as shipped), the build
#   with the test hooks (scripts/build.sh --test-hooks -> dist-test/; only the app crate, the
#   link and wasm-opt are redone) and the browser tests against it (node --test e2e/).
# Every step runs even when an earlier one failed (except that the browser tests need the
# build); the exit code is non-zero if any step failed. Ends with a summary.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/common.sh
source scripts/common.sh
MMRACE_LOG_TAG=test

total_start=$SECONDS
logdir="$(mktemp -d "${TMPDIR:-/tmp}/mmrace-test.XXXXXX")"
step_names=()
step_results=()
failed=0

# run_step NAME CMD...: runs CMD, shows and logs its output, records ok/FAILED and the time.
run_step() {
  local name="$1"
  shift
  local start=$SECONDS rc
  printf '\n==== %s: %s\n' "$name" "$*"
  "$@" 2>&1 | tee "$logdir/$name.log"
  rc=${PIPESTATUS[0]}
  local took=$((SECONDS - start))
  step_names+=("$name")
  if [ "$rc" -eq 0 ]; then
    step_results+=("ok        ${took}s")
  else
    step_results+=("FAILED    ${took}s (exit $rc)")
    failed=1
  fi
  return "$rc"
}

skip_step() {
  printf '\n==== %s: skipped (%s)\n' "$1" "$2"
  step_names+=("$1")
  step_results+=("skipped   ($2)")
}

# CI must not silently rewrite Cargo.lock.
locked=()
[ "${CI:-}" = true ] && locked=(--locked)

if ! run_step setup bash scripts/setup.sh; then
  echo "setup failed; nothing else can run" >&2
  exit 1
fi
export MMRACE_SETUP_DONE=1
mmrace_tool_path

run_step fmt cargo fmt --all --check
run_step clippy cargo clippy "${locked[@]}" --workspace --all-targets -- -D warnings
if [ "$(mmrace_wasm_route)" = rustup ]; then
  run_step clippy-wasm cargo clippy "${locked[@]}" -p mmrace-app --target wasm32-unknown-unknown -- -D warnings
else
  skip_step clippy-wasm "Debian wasm route has no wasm32 clippy; native clippy lints the app"
fi
run_step cargo-test cargo test "${locked[@]}" --workspace

if run_step build bash scripts/build.sh; then
  run_step bundle-report bash scripts/bundle-report.sh --budget
else
  skip_step bundle-report "build failed"
fi
if run_step build-test bash scripts/build.sh --test-hooks; then
  run_step e2e node --test --test-reporter=spec e2e/
else
  skip_step e2e "build-test failed"
  failed=1
fi

# ---- summary ----------------------------------------------------------------------------------
printf '\n==== summary (logs in %s)\n' "$logdir"
for i in "${!step_names[@]}"; do
  printf '  %-14s %s\n' "${step_names[$i]}" "${step_results[$i]}"
done
printf '  %-14s %ss\n' "total" "$((SECONDS - total_start))"

passed_total=0
failed_total=0
if [ -f "$logdir/cargo-test.log" ]; then
  echo
  echo "cargo test --workspace:"
  grep -E '^test result:' "$logdir/cargo-test.log" | sed 's/^/  /'
  read -r p f < <(awk '/^test result:/ {
      for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed;/) p += $i; if ($(i+1) ~ /^failed;/) f += $i }
    } END { print p + 0, f + 0 }' "$logdir/cargo-test.log")
  passed_total=$((passed_total + p))
  failed_total=$((failed_total + f))
fi
if [ -f "$logdir/e2e.log" ]; then
  echo
  echo "node --test e2e/ (browser tests):"
  grep -E '^ℹ (tests|pass|fail|cancelled|skipped|todo) ' "$logdir/e2e.log" | sed 's/^/  /'
  p="$(awk '/^ℹ pass / {print $3}' "$logdir/e2e.log" | tail -n1)"
  f="$(awk '/^ℹ fail / {print $3}' "$logdir/e2e.log" | tail -n1)"
  c="$(awk '/^ℹ cancelled / {print $3}' "$logdir/e2e.log" | tail -n1)"
  passed_total=$((passed_total + ${p:-0}))
  failed_total=$((failed_total + ${f:-0} + ${c:-0}))
fi
echo
if [ "$failed" -ne 0 ]; then
  echo "RESULT: FAILED (see the steps above)"
else
  echo "RESULT: all steps passed"
fi
echo "tests: ${passed_total} passed, ${failed_total} failed"
exit "$failed"
