# The Dutch A4 sample edition (issues/2026-05-nl): it builds; no English
# word of the paper on any page (the English article keeps its own
# language); the GFM table from Eclipse Adoptium's BUILDING.md prints as a
# table; the edition's own call for messages; every message proofed at the
# edition's (A4) size.
. "$(dirname "$0")/lib.sh"
NL=issues/2026-05-nl
"$ROT" build $NL/issue.yaml -o "$TMP/nl.pdf" --report "$TMP/nl.json" 2> "$TMP/nl.err"
check "the Dutch A4 sample builds" test $? = 0
check "  ... on the A4 layout, in Dutch" jq -e '.edition.layout == "a4" and .edition.language == "nl"' "$TMP/nl.json"
check "  ... every message placed" jq -e '.totals.messages_placed == ([.messages[]] | length) and .totals.messages_held == 0' "$TMP/nl.json"
pdftotext -enc UTF-8 "$TMP/nl.pdf" "$TMP/nl.txt"
pdftotext -raw -enc UTF-8 "$TMP/nl.pdf" "$TMP/nl-raw.txt"
check "every word of every article and message, in order" "$TOOLS/wordcheck" $NL/issue.yaml "$TMP/nl-raw.txt"
# the paper's English words (the built-in table and the layout's): none
for w in 'Continued on page' 'Continued from page' 'Further reading' 'In this issue' 'They support us' 'In brief' 'Support us' 'No\. [0-9]' '^Page [0-9]'; do
  check "no English word of the paper: '$w'" bash -c "! grep -qiE '$w' '$TMP/nl.txt'"
done
for w in 'Nr\. 58' 'In dit nummer' 'Pagina [0-9]' 'Zij steunen ons' '15 mei 2026' '€ 1,50'; do
  check "the paper's Dutch words: '$w'" grep -qiE "$w" "$TMP/nl.txt"
done
check "the edition's own call for messages (words: in issue.yaml)" bash -c "tr '\n' ' ' < '$TMP/nl.txt' | grep -q 'Steun De Rode Vaan: plaats uw boodschap in ons juninummer'"
check "  ... not the layout's" bash -c "! tr '\n' ' ' < '$TMP/nl.txt' | grep -q 'in ons meinummer'"
check "the English article is there, in English" bash -c "tr '\\n' ' ' < '$TMP/nl-raw.txt' | grep -q 'Long-term support is the heart of the matter'"
# the table: no markup, a row's cells on one baseline, left to right
check "no table markup on the page" bash -c "! grep -qE '\\||---' '$TMP/nl.txt'"
pdftotext -bbox "$TMP/nl.pdf" "$TMP/nl.html"
word() { awk -F'"' -v w="$1" -v f="$2" '/<word /{t=$0; sub(/.*">/, "", t); sub(/<.*/, "", t); if (t == w) {print $f; exit}}' "$TMP/nl.html"; }
y1=$(word System 4) y2=$(word Version 4) y3=$(word Architectures 4) y4=$(word Notes 4)
check "table header on one baseline ($y1 $y2 $y3 $y4)" bash -c "test -n '$y1' && test '$y1' = '$y2' && test '$y2' = '$y3' && test '$y3' = '$y4'"
x1=$(word System 2) x2=$(word Version 2) x3=$(word Architectures 2) x4=$(word Notes 2)
check "  ... columns left to right" awk -v a="$x1" -v b="$x2" -v c="$x3" -v d="$x4" 'BEGIN{exit !(a < b && b < c && c < d)}'
ya=$(word AIX 4) yb=$(word ppc64be 4)
check "  ... a body row on one baseline (AIX $ya, ppc64be $yb)" bash -c "test -n '$ya' && test '$ya' = '$yb'"
# every message proofed at the edition's size: its A4 box, as the build places it
for f in $NL/messages/*.yaml; do
  b=$(basename "$f")
  "$ROT" intake proof "$f" -o "$TMP/p.pdf" 2> "$TMP/p.err"
  pw=$(pdfinfo "$TMP/p.pdf" 2> /dev/null | sed -n 's/^Page size: *\([0-9.]*\) x.*/\1/p')
  bw=$(jq --arg b "$b" '[.messages[] | select(.path | endswith("/" + $b)) | .box_mm[2]][0]' "$TMP/nl.json")
  # the proof is the box plus 8 mm margins each side
  check "proof of $b: the A4 box as printed (${bw} mm + margins; proof $pw pt)" awk -v p="$pw" -v b="$bw" 'BEGIN{exit !(p != "" && b != "null" && (p / 72 * 25.4 - 16 - b) < 1.5 && (b - (p / 72 * 25.4 - 16)) < 1.5)}'
done
