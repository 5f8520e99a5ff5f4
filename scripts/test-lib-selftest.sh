#!/usr/bin/env bash
# Checks that the last line of scripts/test.sh, `tests: N passed, M failed`, says 0 failed only
# when nothing failed. Runs test.sh's own step and summary code (scripts/test-lib.sh) on small
# stand-in steps, one of them a real `cargo clippy -D warnings` on a two-line crate with a
# warning, so it costs seconds, not a whole test run. Run by scripts/test.sh; alone:
#   bash scripts/test-lib-selftest.sh
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
lib="$PWD/scripts/test-lib.sh"
work="$(mktemp -d "${TMPDIR:-/tmp}/mmrace-test-lib.XXXXXX")"
trap 'rm -rf "$work"' EXIT
failures=0

# expect NAME WANT_RC WANT_LAST_LINE SCRIPT: runs SCRIPT (bash, after sourcing test-lib.sh and
# mmrace_test_begin) and compares its exit code and last line of output.
expect() {
  local name="$1" want_rc="$2" want_last="$3" script="$4" out rc last
  out="$(cd "$work" && TMPDIR="$work" bash -c "source '$lib'; mmrace_test_begin; $script" 2>&1)"
  rc=$?
  last="$(printf '%s\n' "$out" | tail -n1)"
  if [ "$rc" = "$want_rc" ] && [ "$last" = "$want_last" ]; then
    echo "ok   $name: exit $rc, '$last'"
  else
    echo "FAIL $name: exit $rc (want $want_rc), last line '$last' (want '$want_last')"
    printf '%s\n' "$out" | sed 's/^/       /'
    failures=$((failures + 1))
  fi
}

# A crate whose only fault is a clippy warning (an unused variable).
mkdir -p "$work/warn/src"
printf '[package]\nname = "warn"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n' >"$work/warn/Cargo.toml"
printf 'fn main() {\n    let unused = 1;\n}\n' >"$work/warn/src/main.rs"
export CARGO_TARGET_DIR="$work/target"

# The stand-in must fail for the warning, and only for it.
clippy_out="$(cd "$work" && cargo clippy --quiet --manifest-path warn/Cargo.toml -- -D warnings 2>&1)"
if [ $? -eq 0 ] || ! grep -q 'unused variable' <<<"$clippy_out"; then
  echo "FAIL the warning crate does not fail clippy with 'unused variable':"
  printf '%s\n' "$clippy_out"
  failures=$((failures + 1))
fi

cargo_ok='printf "test result: ok. 7 passed; 0 failed; 0 ignored\ntest result: ok. 3 passed; 0 failed; 0 ignored\n"'
node_ok='printf "ℹ tests 4\nℹ pass 4\nℹ fail 0\nℹ cancelled 0\n"'

expect "all steps pass" 0 "tests: 14 passed, 0 failed" "
  run_step fmt true; run_step cargo-test $cargo_ok; run_step e2e $node_ok; exit 0"
expect "a clippy warning" 1 "tests: 10 passed, 1 failed" "
  run_step fmt true
  run_step clippy cargo clippy --quiet --manifest-path warn/Cargo.toml -- -D warnings
  run_step cargo-test $cargo_ok; exit 0"
expect "fmt, the build and the bundle report fail" 1 "tests: 0 passed, 3 failed" "
  run_step fmt false; run_step build false; run_step bundle-report false; exit 0"
expect "a test binary that does not compile" 1 "tests: 7 passed, 1 failed" "
  run_step cargo-test bash -c 'printf \"test result: ok. 7 passed; 0 failed;\nerror[E0425]: cannot find value\n\"; exit 101'
  exit 0"
expect "two failed test cases count two" 1 "tests: 8 passed, 2 failed" "
  run_step cargo-test bash -c 'printf \"test result: FAILED. 5 passed; 1 failed;\ntest result: FAILED. 3 passed; 1 failed;\n\"; exit 101'
  exit 0"
expect "browser tests: failed and cancelled" 1 "tests: 3 passed, 2 failed" "
  run_step e2e bash -c 'printf \"ℹ pass 3\nℹ fail 1\nℹ cancelled 1\n\"; exit 1'; exit 0"
expect "browser tests die before reporting" 1 "tests: 0 passed, 1 failed" "
  run_step e2e bash -c 'echo Segmentation fault; exit 139'; exit 0"
expect "the build fails, later steps skipped" 1 "tests: 0 passed, 1 failed" "
  run_step build false; skip_step e2e 'build failed'; exit 0"
expect "setup fails and stops the script" 1 "tests: 0 passed, 1 failed" "
  run_step setup false || exit 1; run_step fmt true"
expect "the script dies outside any step" 1 "tests: 0 passed, 1 failed" "
  run_step fmt true; exit 2"

if [ "$failures" -ne 0 ]; then
  echo "test-lib selftest: $failures case(s) failed"
  exit 1
fi
echo "test-lib selftest: all cases passed"
