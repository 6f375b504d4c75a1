# The fuzz corpora and every input that once broke a harness
# (tests/fuzz/regressions/), replayed through the same harnesses built with
# the ordinary compiler (and ASan/UBSan under SANITIZE=1).
. "$(dirname "$0")/lib.sh"
for t in message edition markdown form build; do
  n=$(find tests/fuzz/corpus/$t tests/fuzz/regressions/$t -type f ! -name README.md | wc -l)
  check "fuzz corpus and regressions replay cleanly: $t ($n inputs)" "$TOOLS/replay_$t" tests/fuzz/corpus/$t tests/fuzz/regressions/$t
done
