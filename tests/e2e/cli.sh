# The command line: help, version, usage errors (exit 2), I/O errors (exit 2),
# no partial output, and an installed copy that finds its layouts and fonts.
. "$(dirname "$0")/lib.sh"

status() { "$@" >/dev/null 2>&1; echo $?; }

check "--help exits 0 and shows usage" bash -c "'$ROT' --help | grep -q 'rotative build EDITION.yaml'"
check "--version" bash -c "'$ROT' --version | grep -Eq '^rotative [0-9]+\.[0-9]+'"
check "no arguments: exit 2" test "$(status "$ROT")" = 2
check "unknown command: exit 2" test "$(status "$ROT" frobnicate x.yaml)" = 2
check "unknown option: exit 2" test "$(status "$ROT" build --bogus issues/2026-05/issue.yaml)" = 2
check "missing edition file: exit 2" test "$(status "$ROT" check "$TMP/nope.yaml")" = 2
check "unwritable output: exit 2" test "$(status "$ROT" build issues/2026-05/issue.yaml -o /nonexistent-dir/x.pdf)" = 2

# a broken edition never leaves a PDF behind
mkdir -p "$TMP/bad"
printf 'paper: "X"\nnumber: 1\n' > "$TMP/bad/issue.yaml"
code=$(status "$ROT" build "$TMP/bad/issue.yaml" -o "$TMP/bad/out.pdf")
check "bad edition: exit 1" test "$code" = 1
check "bad edition: no output file, no temporary left" bash -c "! ls '$TMP/bad' | grep -q pdf"

# make install with DESTDIR and PREFIX; the installed program runs from anywhere
make --no-print-directory -s install DESTDIR="$TMP/stage" PREFIX=/opt/rot BIN_OVERRIDE= >/dev/null 2>&1
check "install puts the program, layouts and fonts in place" \
  test -x "$TMP/stage/opt/rot/bin/rotative" -a -f "$TMP/stage/opt/rot/share/rotative/layouts/tabloid.yaml" \
       -a -d "$TMP/stage/opt/rot/share/rotative/fonts/pt-serif"
ed=$(realpath issues/2026-05/issue.yaml)
check "installed program builds the sample from another folder" \
  bash -c "cd '$TMP' && '$TMP/stage/opt/rot/bin/rotative' build '$ed' -o '$TMP/inst.pdf' --quiet && test -s '$TMP/inst.pdf'"
