# The build's threads under ThreadSanitizer (make check builds
# build/tsan/rotative): the planner's second thread (compose/pool.h: the
# articles typeset, the page searches), the images converted ahead, the
# pages' colours rewritten on two threads. No data race reported in
# rotative's own code, and the same PDF as the plain build. Pango sorts
# fonts on threads of its own that GLib synchronises out of TSan's sight:
# tests/tsan.supp names those libraries.
. "$(dirname "$0")/lib.sh"
TSAN=${ROTATIVE_TSAN_BIN:-}
if [ -z "$TSAN" ] || [ "$SAN" = 1 ]; then
  echo "  skip threads: no ThreadSanitizer build (a sanitizer build, or run outside make check)"
  exit 0
fi
export TSAN_OPTIONS="halt_on_error=0 report_signal_unsafe=0 suppressions=$PWD/tests/tsan.supp"
GEN=tests/e2e/fixtures/gen-edition.sh
d="$TMP/g40"
GEN_IMAGES=1 GEN_MESSAGES=25 bash $GEN "$d" 40 22 > /dev/null
t="$TMP/t30"
GEN_IMAGES=0 GEN_MESSAGES=0 bash $GEN "$t" 30 23 > /dev/null
# the image cache warm (a plain build first): the images converted ahead
# are done early, and the second thread of the planner, which takes no job
# while they have the second processor, takes its share (RT_PLAN_DEBUG
# counts them)
for spec in "the sample (its reserve: five compositions)|issues/2026-05/issue.yaml" \
  "40 articles, photos and messages|$d/issue.yaml" "30 articles, text alone|$t/issue.yaml"; do
  name=${spec%%|*} ed=${spec#*|}
  "$ROT" build "$ed" -o "$TMP/plain.pdf" --quiet --cache "$TMP/cache" 2> /dev/null
  RT_PLAN_DEBUG=1 "$TSAN" build "$ed" -o "$TMP/ts.pdf" --quiet --cache "$TMP/cache" 2> "$TMP/ts.err"
  n=$(grep -c 'WARNING: ThreadSanitizer' "$TMP/ts.err")
  jobs=$(sed -n 's/^pool: the second thread ran \([0-9]*\) jobs$/\1/p' "$TMP/ts.err" | awk '{s+=$1} END {print s+0}')
  check "$name under ThreadSanitizer: no data race ($n reported; the planner's second thread ran $jobs jobs)" \
    test "$n" = 0 -a "$jobs" -gt 0
  [ "$n" = 0 ] || grep -A12 'WARNING: ThreadSanitizer' "$TMP/ts.err" | head -40
  check "  ... the same PDF as the plain build" cmp "$TMP/ts.pdf" "$TMP/plain.pdf"
done
# watch: one thread plans (what it typesets is kept), the images still
# converted ahead; two builds, one edit between them
w="$TMP/w"
cp -r "$t" "$w"
(
  for _ in $(seq 1 600); do
    grep -q "watching for changes (build 1)" "$TMP/w.err" 2> /dev/null && break
    sleep 0.1
  done
  sleep 0.2
  sed -i '$ s/$/ Encore une phrase./' "$w/articles/a02.md"
) &
"$TSAN" watch "$w/issue.yaml" -o "$TMP/w.pdf" --quiet --builds 2 > /dev/null 2> "$TMP/w.err"
wait
n=$(grep -c 'WARNING: ThreadSanitizer' "$TMP/w.err")
check "watch, two builds, under ThreadSanitizer: no data race ($n reported)" test "$n" = 0
