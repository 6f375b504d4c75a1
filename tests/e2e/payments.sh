# Payments as supporters make them: amounts written the usual ways are
# read; over the price is a donation (printed, in the reports); under it the
# message is held (not printed) with a warning and the reason, and the build
# goes on; anything else says exactly what to write.
. "$(dirname "$0")/lib.sh"
msg() { # msg FILE AMOUNT [FORMAT]
  cat > "$1" <<YAML
from: "Section de test"
text: "Un message de soutien pour la section de test."
format: "${3:-1/16}"
contact: "x@example.org"
payment:
  amount: $2
  reference: "R-$(basename "$1" .yaml)"
  status: paid
YAML
}
mkdir -p "$TMP/a"
i=0
for a in '30' '"30,00 €"' '30,00 €' '30.00' '"€ 30"' '€30' '30 EUR' '30,-' '"30,00"' '30 euros'; do
  i=$((i + 1))
  msg "$TMP/a/m$i.yaml" "$a"
  "$ROT" intake check --layout tabloid "$TMP/a/m$i.yaml" > "$TMP/a/out" 2>&1
  check "amount $a is read as 30.00" bash -c "test $? = 0 && grep -q ': ok: .*paid 30.00, reference' '$TMP/a/out'"
done
for a in '30 dollars' '"trente"' '30.5.0' '1e3' '-30' '30,000'; do
  i=$((i + 1))
  msg "$TMP/a/m$i.yaml" "$a"
  "$ROT" intake check --layout tabloid "$TMP/a/m$i.yaml" > /dev/null 2> "$TMP/a/err"
  check "amount $a: says what to write, at its line" bash -c "test $? = 1 && grep -q \"m$i.yaml:6:11: error: amount '.*' is not an amount of euros: write the number, like 30 or 30.00\" '$TMP/a/err'"
done

# an edition with a donation and a message paid short
cp -r tests/e2e/fixtures/mini "$TMP/ed"
msg "$TMP/ed/messages/m2-gift.yaml" '"50,00 €"'
sed -i 's/Un message de soutien/Un don pour la cause/' "$TMP/ed/messages/m2-gift.yaml"
msg "$TMP/ed/messages/m3-short.yaml" 20
sed -i 's/Un message de soutien/Message encore impayé/' "$TMP/ed/messages/m3-short.yaml"
"$ROT" intake check "$TMP/ed/messages" > "$TMP/c.out" 2> "$TMP/c.err"
check "intake check: both valid" test $? = 0
check "  ... the donation said" grep -q "m2-gift.yaml: ok: .*paid 50.00 (a donation of 20.00 over the price)" "$TMP/c.out"
check "  ... the short payment said: held" grep -q "m3-short.yaml: ok: .*paid 20.00 (under the price 30.00: held, not printed)" "$TMP/c.out"
check "  ... with a located warning" grep -q "m3-short.yaml:6:11: warning: paid 20.00, under the price of format '1/16' (30.00): held" "$TMP/c.err"
"$ROT" intake report "$TMP/ed/messages" > "$TMP/r.out" 2>&1
check "intake report: the donation" grep -q "m2-gift.yaml .* to print: a donation of 20.00" "$TMP/r.out"
check "  ... the held one, with the reason" grep -q "m3-short.yaml .* held: paid 20.00, under the price" "$TMP/r.out"
check "  ... donations totalled" grep -q "of which donations (paid over the price): 20.00" "$TMP/r.out"
"$ROT" build "$TMP/ed/issue.yaml" -o "$TMP/ed.pdf" --report "$TMP/ed.json" 2> "$TMP/b.err"
check "the build goes on (exit 0)" test $? = 0
check "  ... a warning, not an error, at the amount" bash -c "grep -q 'm3-short.yaml:6:11: warning: paid 20.00, under the price' '$TMP/b.err' && ! grep -q 'error:' '$TMP/b.err'"
check "  ... listed among the problems, with the reason" grep -q "^held: .*m3-short.yaml (Section de test, paid 20.00, under the price" "$TMP/b.err"
pdftotext -enc UTF-8 "$TMP/ed.pdf" - | tr "\n" " " > "$TMP/ed.txt"
check "  ... the donation's message printed" grep -q "Un don pour la cause" "$TMP/ed.txt"
check "  ... the held one not" bash -c "! grep -q 'encore impayé' '$TMP/ed.txt'"
check "JSON report: the donation and the held reason" jq -e '([.messages[] | select(.path | endswith("m2-gift.yaml")) | .donation] == [20]) and ([.messages[] | select(.path | endswith("m3-short.yaml")) | .held | startswith("paid 20.00, under the price")] == [true]) and .totals.donations == 20' "$TMP/ed.json"
