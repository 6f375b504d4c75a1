# Supporter-message intake: tests/intake/good (valid messages of every
# format) all check, all print exactly once with every word; each file of
# tests/intake/bad gives its own located error (tests/intake/bad/EXPECTED:
# file, line, text); proofs, the report and its totals.
. "$(dirname "$0")/lib.sh"
G=tests/intake/good B=tests/intake/bad
ngood=$(ls $G | grep -cE '\.ya?ml$')
check "at least 40 good messages ($ngood)" test "$ngood" -ge 40
for f in 1/16 1/8 1/4 1/2 1/1; do
  n=$(grep -l "^format: \"$f\"" $G/*.y*ml | wc -l)
  check "  ... several of format $f ($n)" test "$n" -ge 4
done
"$ROT" intake check $G > "$TMP/good.out" 2> "$TMP/good.err"
check "intake check: every good message is valid" test $? = 0
check "  ... one ok line per file" test "$(grep -c ': ok: ' "$TMP/good.out")" = "$ngood"

# build the good messages into an edition; every message placed once, every word printed
"$ROT" build tests/intake/ed-good/issue.yaml -o "$TMP/good.pdf" --report "$TMP/good.json" --quiet 2> "$TMP/build.err"
check "edition with the good messages builds" test $? = 0
pending=$(grep -l 'status: pending' $G/*.y*ml | wc -l)
check "every paid or offered message placed exactly once" jq -e ".totals.messages_placed == $((ngood - pending)) and ([.pages[].messages[]] | length) == ([.pages[].messages[]] | unique | length)" "$TMP/good.json"
check "the pending one is held" jq -e "[.messages[] | select(.held == \"payment pending\")] | length == $pending" "$TMP/good.json"
pdftotext -raw -enc UTF-8 "$TMP/good.pdf" "$TMP/good.txt"
check "every word of every printed message in the PDF, in order" "$TOOLS/wordcheck" tests/intake/ed-good/issue.yaml "$TMP/good.txt"
check "markup in a message prints literally" grep -qF '<b>bold</b> & <span' "$TMP/good.txt"

# every bad file alone: exit 1 and its own located error
nbad=0
while IFS=$'\t' read -r f line want; do
  [ -n "$f" ] || continue
  nbad=$((nbad + 1))
  "$ROT" intake check "$B/$f" > /dev/null 2> "$TMP/bad.err"
  code=$?
  if [ "$line" = 0 ]; then loc="$B/$f: error: "; else loc="$B/$f:$line:[0-9]*: error: "; fi
  if [ $code = 1 ] && grep -e "^$loc" "$TMP/bad.err" | grep -qF -- "$want"; then
    pass "bad $f: $want"
  else
    fail "bad $f (exit $code; expected line $line: $want)"; sed 's/^/       /' "$TMP/bad.err" | head -4
  fi
done < $B/EXPECTED
check "at least 40 bad messages, each with its fault ($nbad)" test "$nbad" -ge 40
check "every bad file is listed in EXPECTED" test "$(ls $B | grep -cvE '^(EXPECTED|generate.py|README.md|logos)$')" = "$nbad"

# all together: the good ones are unaffected by the bad ones
"$ROT" intake check $G $B > "$TMP/all.out" 2> "$TMP/all.err"
check "good and bad together: exit 1" test $? = 1
check "  ... the good ones still all valid" test "$(grep -c ': ok: ' "$TMP/all.out")" = "$ngood"

# fit: the smallest format that fits is named
"$ROT" intake check $B/66-text-does-not-fit.yaml 2> "$TMP/fit.err"
check "a text too long for its box names the smallest format that fits" grep -q "text does not fit a '1/16' box: [0-9]* lines* too long; the smallest format it fits is '1/[0-9]*'" "$TMP/fit.err"

# the same payment twice
mkdir -p "$TMP/dup" && cp $G/g01-*.yaml "$TMP/dup/a.yaml" && cp $G/g01-*.yaml "$TMP/dup/b.yaml"
"$ROT" intake check "$TMP/dup" 2> "$TMP/dup.err" > /dev/null
check "the same payment reference twice is an error" grep -q "b.yaml: error: payment reference 'MAI26-T001' is also the reference of .*a.yaml" "$TMP/dup.err"

# proofs
"$ROT" intake proof $G/g23-*.yaml -o "$TMP/proof.pdf" 2> /dev/null
check "proof PDF written" test -s "$TMP/proof.pdf"
check "  ... one page, the 1/4 box (2 x 2 modules) plus margins: 140-150 x 170-190 mm" bash -c "pdfinfo '$TMP/proof.pdf' | awk '/Page size/ {w=\$3/72*25.4; h=\$5/72*25.4; exit !(w > 140 && w < 150 && h > 170 && h < 190)}' && pdfinfo '$TMP/proof.pdf' | grep -q '^Pages: *1$'"
from=$(sed -n 's/^from: "\(.*\)"/\1/p' $G/g23-*.yaml)
check "  ... shows the text and the signature" bash -c "pdftotext '$TMP/proof.pdf' - | tr '\n' ' ' | grep -qF '$(echo "$from" | cut -c1-20)'"
"$ROT" intake proof $G/g23-*.yaml -o "$TMP/proof.png" --dpi 50 2> /dev/null
check "proof PNG written" bash -c "od -An -c -N4 '$TMP/proof.png' | grep -q 'P   N   G'"
"$ROT" intake proof $B/12-amount-currency.yaml -o "$TMP/bad-proof.pdf" 2> "$TMP/bp.err"
st=$?
check "no proof for an invalid message (exit 1, no file)" bash -c "test $st = 1 && test ! -e '$TMP/bad-proof.pdf' && grep -q 'is not an amount of euros' '$TMP/bp.err'"

# report
"$ROT" intake report $G > "$TMP/rep.txt"
check "report: one line per message" test "$(grep -cE '\.ya?ml ' "$TMP/rep.txt")" = "$ngood"
check "report: the pending message is held" grep -q 'g50-garage-solidaire.yaml .*held: payment pending' "$TMP/rep.txt"
"$ROT" intake report $G --csv > "$TMP/rep.csv"
check "report --csv: header and one row per message" test "$(wc -l < "$TMP/rep.csv")" = "$((ngood + 1))"
paid=$(awk -F'","|",|,"' 'NR > 1 && $0 ~ /"to print"/ && $0 ~ /,paid,/' "$TMP/rep.csv" | awk -F, '{for (i = 1; i <= NF; i++) if ($i == "paid") s += $(i - 1)} END {printf "%.2f", s}')
check "report: received total = sum of paid amounts ($paid)" grep -q "^received (paid, to print): $paid$" "$TMP/rep.txt"
n16=$(grep -c ',"1/16",' "$TMP/rep.csv")
check "report: counts per format add up" bash -c "awk '/^  1\\// {s += \$3} END {exit !(s == $ngood - $pending)}' '$TMP/rep.txt'"
"$ROT" intake report $B > "$TMP/repbad.txt"
check "report of bad files: each rejected with its reason" test "$(grep -c 'rejected: ' "$TMP/repbad.txt")" -ge "$nbad"
check "report: totals line" grep -q "^[0-9]* messages: 0 to print, 0 held ([^)]*), [0-9]* rejected" "$TMP/repbad.txt"
"$ROT" intake check issues/message-example.yaml > /dev/null 2>&1
check "the commented example for supporters is a valid message" test $? = 0
nlogos=$(grep -l '^logo:' $G/*.y*ml | wc -l)
check "every logo is printed (images in the PDF: $nlogos)" test "$(pdfimages -list "$TMP/good.pdf" | tail -n +3 | wc -l)" = "$nlogos"
