# Fewer, truer messages: --quiet prints errors only (and the help says so);
# an impossible pin is one error, not a pile of consequences; a pin past the
# end says where the stories end; `intake report` keeps its columns with
# accented names (padding by characters, not bytes).
. "$(dirname "$0")/lib.sh"
S=issues/2026-05
"$ROT" build $S/issue.yaml -o "$TMP/s.pdf" 2> "$TMP/loud.err"
check "the sample has warnings or notes to hide" grep -qE ': (warning|note): ' "$TMP/loud.err"
"$ROT" build $S/issue.yaml -o "$TMP/q.pdf" --quiet 2> "$TMP/q.err"
check "--quiet: builds, nothing on stderr" bash -c "test $? = 0 && test ! -s '$TMP/q.err' && test -s '$TMP/q.pdf'"
cp -r $S "$TMP/bad"
printf 'from: "x"\ntext: "y"\nformat: "1/3"\ncontact: "c"\npayment: {amount: 30, reference: "Q-1", status: paid}\n' > "$TMP/bad/messages/zz.yaml"
"$ROT" build "$TMP/bad/issue.yaml" -o "$TMP/bad.pdf" --quiet 2> "$TMP/bq.err"
check "--quiet: an error still printed" bash -c "test $? = 1 && grep -q \"zz.yaml:3:9: error: unknown format '1/3'\" '$TMP/bq.err'"
check "  ... and only errors" bash -c "! grep -qE ': (warning|note): |^page |^problems:' '$TMP/bq.err'"
"$ROT" --help > "$TMP/help.txt"
check "the help says --quiet prints errors only" grep -q -- '--quiet   only errors on standard error' "$TMP/help.txt"

# an impossible no_jump pin: the real error once, no overset pile
for lay in tabloid a4; do
  cp -r $S "$TMP/nj-$lay"
  sed -i "s|^layout: tabloid|layout: $lay|; s|^  - articles/01-pensions.md\$|  - {file: articles/01-pensions.md, no_jump: true, span: 1}|" "$TMP/nj-$lay/issue.yaml"
  "$ROT" build "$TMP/nj-$lay/issue.yaml" -o "$TMP/nj.pdf" 2> "$TMP/nj.err"
  check "$lay: impossible no_jump pin: exit 1, its error" bash -c "test $? = 1 && grep -q \"issue.yaml:[0-9]*:5: error: '.*01-pensions.md' cannot be placed without a jump (no_jump)\" '$TMP/nj.err'"
  check "  ... one error only (the consequences are notes)" test "$(grep -c ': error: ' "$TMP/nj.err")" = 1
done
# a pin past the end: where the stories end, accurately
NL=issues/2026-05-nl
"$ROT" build $NL/issue.yaml -o "$TMP/nl.pdf" --report "$TMP/nl.json" --quiet 2> /dev/null
last=$(jq '[.pages[] | select(.kind == "front" or .kind == "articles") | .number] | max' "$TMP/nl.json")
cp -r $NL "$TMP/p40"
sed -i 's|^  - articles/02-haven.md$|  - {file: articles/02-haven.md, page: 40}|' "$TMP/p40/issue.yaml"
"$ROT" build "$TMP/p40/issue.yaml" -o "$TMP/p40.pdf" 2> "$TMP/p40.err"
# the failed plan may end its stories a page later than the edition without
# the pin (the pinned story was left out of it): either is accurate
n=$(sed -n "s/.*but its stories fill pages 1 to \([0-9]*\) .*/\1/p" "$TMP/p40.err")
check "page: 40 in a $last-page-of-stories edition: says so (pages 1 to ${n:-?})" bash -c "test -n '$n' && test '$n' -ge '$last' && test '$n' -le $((last + 1)) && grep -q \"error: '.*02-haven.md' is pinned to page 40, but its stories fill pages 1 to $n (the supporter messages and house pages come after them): pin it to page $n or earlier\" '$TMP/p40.err'"
check "  ... one error" test "$(grep -c ': error: ' "$TMP/p40.err")" = 1

# intake report: columns by characters
for d in $S/messages $NL/messages tests/intake/good; do
  "$ROT" intake report $d > "$TMP/rep.txt" 2> /dev/null
  cols=$(perl -CS -ne 'if (/\.ya?ml / && / (1\/\d+) /) { print index($_, " $1 "), "\n" }' < "$TMP/rep.txt" | sort -u | wc -l)
  check "intake report $d: the format column at one place on every line" test "$cols" = 1
done
