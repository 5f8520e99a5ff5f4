# shellcheck shell=bash
# The steps and the summary of scripts/test.sh, apart so that scripts/test-lib-selftest.sh can
# run them on small crafted steps. Source it; it defines functions and changes nothing by itself.
#
# A run writes, in LOGDIR, one log per step (NAME.log) and a line per step in LOGDIR/steps:
#   NAME<TAB>ok|FAILED|skipped<TAB>DETAIL
# The last line of the summary is `tests: N passed, M failed`, where M counts every failure:
# each failed test case, and each failed step whose failure no test case accounts for (fmt,
# clippy, the build, the bundle report, a test binary that does not compile, a failed setup, a
# browser run that dies before reporting). So "0 failed" means that nothing failed.

# mmrace_test_begin: makes $logdir and arranges that however the script ends (a failed setup
# that stops it, a helper that dies, the end), it ends with the summary and exits non-zero if
# anything failed. An exit that no step recorded counts as a failed step of its own.
mmrace_test_begin() {
  total_start=$SECONDS
  logdir="$(mktemp -d "${TMPDIR:-/tmp}/mmrace-test.XXXXXX")"
  : >"$logdir/steps"
  trap mmrace_test_finish EXIT
}

mmrace_test_finish() {
  local rc=$?
  trap - EXIT
  if [ "$rc" -ne 0 ] && ! grep -q $'\tFAILED\t' "$logdir/steps"; then
    mmrace_step_record "$logdir" script FAILED "exited $rc outside any step"
  fi
  echo
  echo "total time: $((SECONDS - total_start))s"
  mmrace_test_summary "$logdir"
  exit $?
}

# run_step NAME CMD...: runs CMD, shows and logs its output in $logdir/NAME.log, records
# ok/FAILED and the time. Returns CMD's exit code.
run_step() {
  local name="$1"
  shift
  local start=$SECONDS rc
  printf '\n==== %s: %s\n' "$name" "$*"
  "$@" 2>&1 | tee "$logdir/$name.log"
  rc=${PIPESTATUS[0]}
  local took=$((SECONDS - start))
  if [ "$rc" -eq 0 ]; then
    mmrace_step_record "$logdir" "$name" ok "${took}s"
  else
    mmrace_step_record "$logdir" "$name" FAILED "${took}s (exit $rc)"
  fi
  return "$rc"
}

# skip_step NAME REASON
skip_step() {
  printf '\n==== %s: skipped (%s)\n' "$1" "$2"
  mmrace_step_record "$logdir" "$1" skipped "($2)"
}

# mmrace_step_record LOGDIR NAME STATUS DETAIL: appends a step's line to LOGDIR/steps.
mmrace_step_record() {
  printf '%s\t%s\t%s\n' "$2" "$3" "$4" >>"$1/steps"
}

# mmrace_cargo_test_counts LOG: prints "PASSED FAILED" summed over cargo test's result lines.
mmrace_cargo_test_counts() {
  awk '/^test result:/ {
      for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed;/) p += $i; if ($(i+1) ~ /^failed;/) f += $i }
    } END { print p + 0, f + 0 }' "$1"
}

# mmrace_node_test_counts LOG: prints "PASSED FAILED" from node --test's final report
# (cancelled tests count as failed).
mmrace_node_test_counts() {
  awk '/^ℹ pass / {p = $3} /^ℹ fail / {f = $3} /^ℹ cancelled / {c = $3}
    END { print p + 0, f + c + 0 }' "$1"
}

# mmrace_test_summary LOGDIR: prints the summary table, the test counts and the RESULT and
# `tests:` lines. Returns 1 if any step failed, else 0.
mmrace_test_summary() {
  local logdir="$1" name status detail p f
  local passed_total=0 failed_total=0 any_failed=0
  printf '\n==== summary (logs in %s)\n' "$logdir"
  while IFS=$'\t' read -r name status detail; do
    printf '  %-14s %-9s %s\n' "$name" "$status" "$detail"
  done <"$logdir/steps"
  while IFS=$'\t' read -r name status detail; do
    p=0
    f=0
    case "$name" in
      cargo-test)
        echo
        echo "cargo test --workspace:"
        grep -E '^test result:' "$logdir/$name.log" | sed 's/^/  /'
        read -r p f < <(mmrace_cargo_test_counts "$logdir/$name.log")
        ;;
      e2e)
        echo
        echo "node --test e2e/ (browser tests):"
        grep -E '^ℹ (tests|pass|fail|cancelled|skipped|todo) ' "$logdir/$name.log" | sed 's/^/  /'
        read -r p f < <(mmrace_node_test_counts "$logdir/$name.log")
        ;;
    esac
    if [ "$status" = FAILED ]; then
      any_failed=1
      # A failed step counts once unless its failed test cases already account for it.
      [ "$f" -eq 0 ] && f=1
    fi
    passed_total=$((passed_total + p))
    failed_total=$((failed_total + f))
  done <"$logdir/steps"
  echo
  if [ "$any_failed" -ne 0 ]; then
    echo "RESULT: FAILED (see the steps above)"
  else
    echo "RESULT: all steps passed"
  fi
  echo "tests: ${passed_total} passed, ${failed_total} failed"
  return "$any_failed"
}
