# Layout decisions live in the layout file: the `composition:` section, the
# optional styles and print settings change the pages they should, and bad
# values are located errors.
. "$(dirname "$0")/lib.sh"
ED=issues/2026-05
mk() { # mk NAME 'yaml lines appended to the tabloid layout': an edition using it
  local d="$TMP/$1"
  cp -r "$ED" "$d"
  { cat layouts/tabloid.yaml; printf '%s\n' "$2"; } > "$d/custom.yaml"
  sed -i 's/^layout: .*/layout: custom.yaml/' "$d/issue.yaml"
  echo "$d/issue.yaml"
}

"$ROT" build "$ED/issue.yaml" -o "$TMP/ref.pdf" --quiet 2> "$TMP/ref.err"
check "reference: the sample has the front page's rail" bash -c "pdftotext -f 1 -l 1 '$TMP/ref.pdf' - | grep -qi 'dans ce numéro'"

e=$(mk norail 'composition: {rail_columns: 6}')
"$ROT" build "$e" -o "$TMP/norail.pdf" --quiet 2> "$TMP/norail.err"
check "composition: rail_columns: 6 on 5 columns: no rail on the front page" \
  bash -c "test -s '$TMP/norail.pdf' && ! pdftotext -f 1 -l 1 '$TMP/norail.pdf' - | grep -qi 'dans ce numéro'"

e=$(mk ppi 'print: {ink_limit: 240, images: cmyk, min_ppi: 1200}')
sed -i '/^print:/{/min_ppi/!d}' "$(dirname "$e")/custom.yaml"
"$ROT" build "$e" -o "$TMP/ppi.pdf" 2> "$TMP/ppi.err"
check "print: min_ppi: 1200 warns about every image" bash -c "test -s '$TMP/ppi.pdf' && grep -q 'prints at [0-9]* ppi (under 1200)' '$TMP/ppi.err'"
e=$(mk ppilow 'print: {ink_limit: 240, images: cmyk, min_ppi: 10}')
sed -i '/^print:/{/min_ppi/!d}' "$(dirname "$e")/custom.yaml"
"$ROT" build "$e" -o "$TMP/ppilow.pdf" 2> "$TMP/ppilow.err"
check "  ... min_ppi: 10 about none" bash -c "test -s '$TMP/ppilow.pdf' && ! grep -q 'ppi (under' '$TMP/ppilow.err'"

e=$(mk small 'composition: {headline_scale: [0.5, 0.6, 0.7, 0.8]}')
sed -i '/^composition: {rail/d' "$(dirname "$e")/custom.yaml"
"$ROT" build "$e" -o "$TMP/small.pdf" --quiet 2> /dev/null
check "composition: headline_scale changes the pages" bash -c "test -s '$TMP/small.pdf' && ! cmp -s '$TMP/small.pdf' '$TMP/ref.pdf'"

e=$(mk teaser 'composition: {}')
sed -i 's/^styles:$/styles:\n  teaser: {font: Liberation Serif, weight: bold, size: 12pt, leading: 13pt}/' "$(dirname "$e")/custom.yaml"
"$ROT" build "$e" -o "$TMP/teaser.pdf" --quiet 2> /dev/null
check "styles: an optional style (teaser) given in the layout is used" \
  bash -c "pdffonts -f 1 -l 1 '$TMP/teaser.pdf' | grep -q 'LiberationSerif-Bold' && ! pdffonts -f 1 -l 1 '$TMP/ref.pdf' | grep -q 'LiberationSerif-Bold'"

e=$(mk bad 'composition:
  hole_rows: many
  costs: {jump: 80, jummp: 3}
  baseline_offset: 2')
"$ROT" check "$e" > "$TMP/bad.out" 2>&1
st=$?
check "bad composition values: exit 1" test $st = 1
check "  ... hole_rows not a number, located" grep -q 'custom.yaml:[0-9]*:14: error: hole_rows' "$TMP/bad.out"
check "  ... an unknown cost, with a suggestion" grep -q "custom.yaml:[0-9]*:[0-9]*: error: unknown key 'jummp'.*did you mean 'jump'" "$TMP/bad.out"
check "  ... baseline_offset out of range" grep -q 'error: baseline_offset' "$TMP/bad.out"
