# The message desk on the edition's layout: `intake check/proof/report`
# find the edition whose messages folder holds the files (or --edition),
# use its layout and language and say so; the build names the same smallest
# format as intake for a message that does not fit.
. "$(dirname "$0")/lib.sh"
NL=issues/2026-05-nl
"$ROT" intake check $NL/messages > "$TMP/c.out" 2> "$TMP/c.err"
check "intake check in the Dutch A4 edition's folder: ok" test $? = 0
check "  ... says it used the edition's A4 layout" grep -q "layout 'a4' of the edition $NL/issue.yaml, language nl" "$TMP/c.out"
"$ROT" intake check $NL/messages/m01-afdeling-gent.yaml > "$TMP/c1.out" 2>&1
check "  ... a single file of it too" grep -q "layout 'a4' of the edition $NL/issue.yaml" "$TMP/c1.out"
"$ROT" intake report $NL/messages > "$TMP/r.out" 2>&1
check "intake report names the layout" grep -q "^report on the layout 'a4' of the edition" "$TMP/r.out"
"$ROT" intake report $NL/messages --csv > "$TMP/r.csv" 2>&1
check "  ... the CSV in a column" bash -c "head -1 '$TMP/r.csv' | grep -q ',layout\$' && sed -n 2p '$TMP/r.csv' | grep -q ',\"a4\"\$'"
"$ROT" intake check tests/intake/good/g01-section-jemappes.yaml > "$TMP/t.out" 2>&1
check "no edition above: the tabloid, and it says so" grep -q "layout 'tabloid', the default: no edition" "$TMP/t.out"
"$ROT" intake check --edition $NL/issue.yaml tests/intake/good/g01-section-jemappes.yaml > "$TMP/e.out" 2>&1
check "--edition names the edition" grep -q "layout 'a4' of the edition $NL/issue.yaml, language nl" "$TMP/e.out"
"$ROT" intake check --edition "$TMP/none.yaml" $NL/messages > /dev/null 2> "$TMP/e2.err"
check "  ... a missing one is an I/O error" bash -c "test $? = 2 && grep -q 'none.yaml: error: ' '$TMP/e2.err'"
"$ROT" intake check --layout tabloid $NL/messages > "$TMP/l.out" 2>&1
check "--layout still wins" grep -q "layout 'tabloid' from --layout" "$TMP/l.out"

# proofs at the edition's size: every message of the Dutch edition
for f in $NL/messages/*.yaml; do
  b=$(basename "$f" .yaml)
  "$ROT" intake proof "$f" -o "$TMP/$b.pdf" 2> "$TMP/$b.err"
  "$ROT" intake proof "$f" --layout tabloid -o "$TMP/$b-t.pdf" 2> /dev/null
  w=$(pdfinfo "$TMP/$b.pdf" 2> /dev/null | sed -n 's/^Page size: *\([0-9.]*\) x.*/\1/p')
  wt=$(pdfinfo "$TMP/$b-t.pdf" 2> /dev/null | sed -n 's/^Page size: *\([0-9.]*\) x.*/\1/p')
  check "proof of $b: on the A4 layout (its caption, stderr)" bash -c "grep -q \"proof on the layout 'a4' of the edition\" '$TMP/$b.err' && pdftotext '$TMP/$b.pdf' - | grep -q 'mm — a4'"
  check "  ... at the A4 box size, not the tabloid's ($w vs $wt pt)" bash -c "test -n '$w' && test -n '$wt' && test '$w' != '$wt'"
done

# a 1/16 that fits the tabloid's box but not the A4's
cp -r $NL "$TMP/ed"
txt=$(for i in 1 2 3 4 5 6; do printf 'Elke donderdag delen we groenten uit. '; done)
cat > "$TMP/ed/messages/m09-lang.yaml" <<YAML
from: "Buurtwerking Sint-Amandsberg"
text: "$txt"
format: "1/16"
contact: "buurt@example.org"
payment:
  amount: 30
  reference: "VAAN58-009"
  status: paid
YAML
"$ROT" intake check --layout tabloid "$TMP/ed/messages/m09-lang.yaml" > /dev/null 2>&1
check "  (the long message fits the tabloid's 1/16)" test $? = 0
"$ROT" intake check "$TMP/ed/messages/m09-lang.yaml" > /dev/null 2> "$TMP/i.err"
check "intake check in the A4 edition: it does not fit its 1/16" bash -c "test $? = 1 && grep -q \"m09-lang.yaml:2:[0-9]*: error: text does not fit a '1/16' box: .* the smallest format it fits is '1/8'\" '$TMP/i.err'"
"$ROT" build "$TMP/ed/issue.yaml" -o "$TMP/ed.pdf" 2> "$TMP/b.err"
check "the build fails with the same error" bash -c "test $? = 1 && test ! -e '$TMP/ed.pdf'"
check "  ... and the same hint" bash -c "grep 'm09-lang.yaml.*error: text does not fit' '$TMP/b.err' | sed 's/^[^:]*:[0-9]*:[0-9]*: //' > '$TMP/b.msg' && grep 'm09-lang.yaml.*error: text does not fit' '$TMP/i.err' | sed 's/^[^:]*:[0-9]*:[0-9]*: //' > '$TMP/i.msg' && test -s '$TMP/b.msg' && cmp '$TMP/b.msg' '$TMP/i.msg'"
