# Reading order for layout-analysing extractors (src/compose/order.c):
# plain pdftotext (poppler's own guess at blocks and columns, not the content
# stream) reads every word of every story and message in order, because the
# composer marks the cuts between modules and between a story's columns with
# invisible lines of spaces; the marks print nothing.
. "$(dirname "$0")/lib.sh"
GEN=tests/e2e/fixtures/gen-edition.sh

"$ROT" build issues/2026-05/issue.yaml -o "$TMP/s.pdf" --quiet
pdftotext -enc UTF-8 "$TMP/s.pdf" "$TMP/s.txt"
check "sample, plain pdftotext: every word of every article and message in order, close together, none glued" \
  "$TOOLS/wordcheck" issues/2026-05/issue.yaml "$TMP/s.txt"

# generated editions: Dutch and English (16 stories), and 40 stories on the
# tabloid (photos and messages) and on A4 (text only). Not here: editions where
# poppler joins a line of one column to the larger text beside it across a
# gutter (a standfirst at 12-13 pt beside the first lines of a column; its
# block builder takes words up to one font size away): 3 stories of 12
# editions measured, the marks do not change that.
specs=("nl 16 7 tabloid 1 0" "en 16 7 tabloid 1 0" "fr 40 21 tabloid 1 25" "fr 40 22 a4 0 0")
[ "$SAN" = 1 ] && specs=("en 16 7 tabloid 1 0")
for spec in "${specs[@]}"; do
  set -- $spec
  d="$TMP/g-$1-$2-$3-$4"
  GEN_IMAGES=$5 GEN_MESSAGES=$6 bash $GEN "$d" "$2" "$3" "$1" > /dev/null
  sed -i "s/^layout: .*/layout: $4/" "$d/issue.yaml"
  "$ROT" build "$d/issue.yaml" -o "$d.pdf" --quiet 2> /dev/null
  pdftotext -enc UTF-8 "$d.pdf" "$d.txt"
  check "$1 edition of $2 stories ($4, seed $3), plain pdftotext: every word in order, none glued" \
    "$TOOLS/wordcheck" --any-spread "$d/issue.yaml" "$d.txt"
done

# the marks: on every article page, lines of spaces (1 pt high across a cut,
# tall and thin down one), and nothing else of them in the text
pdftotext -bbox "$TMP/s.pdf" "$TMP/s.html"
marks() { # PAGE: the page's words of spaces, as "w h" in points
  awk -F'"' -v p="$1" '/<page /{n++} n == p && /<word / && $9 ~ /^> *</ {printf "%.1f %.1f\n", $6 - $2, $8 - $4}' "$TMP/s.html"
}
check "sample: cuts across (marks wider than a column, 1 pt high) and down (taller than 40 pt, under 1 pt wide) on page 4" \
  bash -c "$(declare -f marks); TMP='$TMP'; marks 4 | awk '\$1 > 150 && \$2 < 1.5 {a++} \$1 < 1 && \$2 > 40 {d++} END{exit !(a >= 3 && d >= 2)}'"
check "  ... the raw text: a mark reads as spaces, no other character" \
  bash -c "pdftotext -raw -enc UTF-8 '$TMP/s.pdf' - | grep -c '^ *\$' | awk '{exit \$1 < 50}'"

# the marks draw nothing: the pages without them (their marked-content spans
# cut from the content streams) render to the same pixels
qpdf --qdf --object-streams=disable "$TMP/s.pdf" "$TMP/q.pdf"
n=$(grep -ac 'ActualText <feff00200020>' "$TMP/q.pdf")
check "sample: $n marks in the content streams" test "$n" -gt 100
perl -0pe 's{/Span << /ActualText <feff00200020> >> BDC\n.*?EMC\n}{}gs' "$TMP/q.pdf" > "$TMP/q2.pdf"
fix-qdf "$TMP/q2.pdf" > "$TMP/nomarks.pdf"
check "  ... cut out, none left" bash -c "! grep -aq 'ActualText <feff00200020>' '$TMP/nomarks.pdf'"
pdftoppm -r 40 -gray "$TMP/s.pdf" "$TMP/with"
pdftoppm -r 40 -gray "$TMP/nomarks.pdf" "$TMP/without"
same=1
for f in "$TMP"/with-*.pgm; do cmp -s "$f" "$TMP/without-${f##*/with-}" || same=0; done
check "  ... every page renders the same without them" test "$same" = 1 -a -f "$TMP/with-01.pgm"
