# Reading order for layout-analysing extractors: plain pdftotext (poppler's
# own guess at blocks and columns, not the content stream) reads every word
# of every story and message in order, because the composer marks the cuts
# between modules and between a story's columns with invisible lines of
# spaces (src/compose/order.c) and keeps the text of every line inside its
# measure (src/compose/text.c); neither prints anything.
. "$(dirname "$0")/lib.sh"
GEN=tests/e2e/fixtures/gen-edition.sh

"$ROT" build issues/2026-05/issue.yaml -o "$TMP/s.pdf" --quiet
pdftotext -enc UTF-8 "$TMP/s.pdf" "$TMP/s.txt"
check "sample, plain pdftotext: every word of every article and message in order, close together, none glued" \
  "$TOOLS/wordcheck" issues/2026-05/issue.yaml "$TMP/s.txt"

# tables: the Dutch sample's (cells of two lines beside cells of one). Each
# row's text is read a size apart from the next row's, its cells kept apart,
# and marks lie between the rows, so that a row is read before the next and
# a cell's lines together (src/compose/table.c, order.c)
"$ROT" build issues/2026-05-nl/issue.yaml -o "$TMP/nl.pdf" --quiet
pdftotext -enc UTF-8 "$TMP/nl.pdf" "$TMP/nl.txt"
check "Dutch sample (a table), plain pdftotext: every word in order, row after row, none glued" \
  "$TOOLS/wordcheck" issues/2026-05-nl/issue.yaml "$TMP/nl.txt"
check "  ... a cell's two lines read together, before the next cell" \
  bash -c "tr -s ' \n' ' ' < '$TMP/nl.txt' | grep -q 'GNU/Linux kernel >= 2.6.32, glibc >= 2.12 x64'"

# the GFM edition: tables in a column beside the next column's text, a
# table across the columns under a subhead, footnotes side by side. Every
# cut down between columns lies in the middle of the gutter (one x per
# gutter on the page, src/compose/order.c), and a subhead over a wide table
# keeps its space under the text above (src/compose/fill/fill.c)
"$ROT" build tests/gfm/issue.yaml -o "$TMP/gfm.pdf" --quiet
pdftotext -enc UTF-8 "$TMP/gfm.pdf" "$TMP/gfm.txt"
check "GFM edition (tables, footnotes), plain pdftotext: every word in order, none glued" \
  "$TOOLS/wordcheck" tests/gfm/issue.yaml "$TMP/gfm.txt"
check "  ... footnotes side by side read one after the other" \
  bash -c "tr -s ' \n' ' ' < '$TMP/gfm.txt' | grep -q 'la hausse serait de 1,4 %. 2 Montants hors TVA, selon le plan d’investissement'"

# the same on A4, where a column of figures is at its narrowest: a figure
# grouped by no-break spaces ("4 250 000 €") is one word to the table's
# widths (src/compose/table.c), so it never runs out of its cell, where its
# text would be squeezed into the cell and its spaces lost
cp -r tests/gfm "$TMP/gfm-a4" && sed -i 's/^layout: .*/layout: a4/' "$TMP/gfm-a4/issue.yaml"
"$ROT" build "$TMP/gfm-a4/issue.yaml" -o "$TMP/gfm-a4.pdf" --quiet
pdftotext -enc UTF-8 "$TMP/gfm-a4.pdf" "$TMP/gfm-a4.txt"
check "GFM edition on A4, plain pdftotext: every word in order, figures with their spaces" \
  "$TOOLS/wordcheck" "$TMP/gfm-a4/issue.yaml" "$TMP/gfm-a4.txt"

# generated editions: 16 stories in Dutch, English and French; 40 on the
# tabloid (photos and messages; text only) and on A4 (the same two)
specs=("nl 16 7 tabloid 1 0" "en 16 7 tabloid 1 0" "fr 16 7 tabloid 1 0" "fr 40 21 tabloid 1 25"
       "fr 40 22 tabloid 0 0" "fr 40 21 a4 1 25" "fr 40 22 a4 0 0")
[ "$SAN" = 1 ] && specs=("fr 40 21 a4 1 25")
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

# the marks draw nothing: with every mark (a marked-content span whose text
# is two spaces) set in invisible text (rendering mode 3: the same
# advances), the pages render to the same pixels. (The text of a run read
# inside the measure is drawn the same way, two space glyphs, but in the
# call of the run's own glyphs: text.sh and words.sh read it.)
qpdf --qdf --object-streams=disable "$TMP/s.pdf" "$TMP/q.pdf"
n=$(grep -ac 'ActualText <feff00200020>' "$TMP/q.pdf")
check "sample: $n marks in the content streams" test "$n" -gt 100
# (a glyph is a space when a font's ToUnicode maps its code to U+0020; a
# literal string's bytes are spaces themselves)
check "  ... each shows space glyphs only" perl -0777 -ne '
  my %space = map { lc($_) => 1 } /<([0-9a-fA-F]{4})> <0020>/g;
  my $bad = !%space;
  while (m{/Span << /ActualText <feff00200020> >> BDC\n((?:(?!EMC\n).)*?)EMC\n}gs) {
    my $ops = $1;
    my @s = ($ops =~ /\(((?:[^()\\]|\\.)*)\)/g);
    my @h = ($ops =~ /<([0-9a-fA-F]*)>/g);
    $bad++ if !@s && !@h;
    $bad++ if grep { !/^ *$/ } @s;
    for my $h (@h) { $bad++ if length($h) % 4 || grep { !$space{lc $_} } ($h =~ /(.{4})/g) }
  }
  exit($bad > 0)' "$TMP/q.pdf"
perl -0pe 's{(/Span << /ActualText <feff00200020> >> BDC\n)((?:(?!EMC\n).)*?)(EMC\n)}{$1 3 Tr\n$2 0 Tr\n$3}gs' \
  "$TMP/q.pdf" > "$TMP/q2.pdf"
fix-qdf "$TMP/q2.pdf" > "$TMP/blank.pdf"
pdftoppm -r 40 -gray "$TMP/s.pdf" "$TMP/with"
pdftoppm -r 40 -gray "$TMP/blank.pdf" "$TMP/without" 2> "$TMP/pp.err"
same=1
for f in "$TMP"/with-*.pgm; do cmp -s "$f" "$TMP/without-${f##*/with-}" || same=0; done
check "  ... every page renders the same with the marks invisible" test "$same" = 1 -a -f "$TMP/with-01.pgm" -a ! -s "$TMP/pp.err"
