#!/usr/bin/env bash
# Runs every test: the cmocka unit tests, then the end-to-end scripts in
# tests/e2e/ (which build editions and read the PDFs back with poppler).
# Prints one closing line: "N passed, N failed".
#   usage: tests/run.sh BIN UNIT_TEST...
set -u
cd "$(dirname "$0")/.."
export ROTATIVE_BIN=$(realpath "$1"); shift
export ROTATIVE_TOOLS=$(dirname "$ROTATIVE_BIN")/tests
export RESULTS=$(mktemp)
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
trap 'rm -f "$RESULTS"' EXIT
for t in "$@"; do
  echo "== unit: $(basename "$t")"
  if out=$("$t" 2>&1); then
    n=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    echo "pass ${n:-0} $(basename "$t")" >> "$RESULTS"
    printf '%s\n' "$out" | tail -2
  else
    printf '%s\n' "$out" | grep -E 'FAILED|ERROR|Assert|error' | head -20
    n=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    echo "fail ${n:-1} $(basename "$t")" >> "$RESULTS"
  fi
done
for s in tests/e2e/*.sh; do
  [ "$(basename "$s")" = lib.sh ] && continue
  echo "== e2e: $(basename "$s")"
  t0=$SECONDS
  bash "$s" || echo "fail 1 $(basename "$s") (script exited non-zero)" >> "$RESULTS"
  echo "   ($(basename "$s"): $((SECONDS - t0)) s)"
done
passed=$(awk '$1=="pass"{s+=$2} END{print s+0}' "$RESULTS")
failed=$(awk '$1=="fail"{s+=$2} END{print s+0}' "$RESULTS")
if [ "$failed" -gt 0 ]; then
  echo "failures:"; grep '^fail' "$RESULTS" | sed 's/^/  /'
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
