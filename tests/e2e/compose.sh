# Page composition: a generated edition of 28 articles (unique text) is
# composed into modular pages; the report and the PDF read back show no
# overlap, no hole beyond the limit, every word printed once in order, jump
# lines naming the page where the text continues, pins honoured, pages in
# multiples of 4, overset reported.
. "$(dirname "$0")/lib.sh"
GEN=tests/e2e/fixtures/gen-edition.sh
bash $GEN "$TMP/ed" 28
ED="$TMP/ed/issue.yaml"
"$ROT" build "$ED" -o "$TMP/ed.pdf" --report "$TMP/ed.json" 2> "$TMP/ed.err"
check "generated edition of 28 articles builds" test $? = 0
J="$TMP/ed.json"
pages=$(pdfinfo "$TMP/ed.pdf" | awk '/^Pages:/ {print $2}')
check "page count a multiple of 4 ($pages)" test $((pages % 4)) = 0
check "  ... house pages said in the report" bash -c "jq -e '.totals.house_pages == ([.pages[] | select(.kind == \"house\")] | length)' '$J' >/dev/null && { jq -e '.totals.house_pages == 0' '$J' >/dev/null || grep -q 'note: .* house page.* added to make $pages pages' '$TMP/ed.err'; }"
check "every article placed" jq -e '.articles | all(.placed)' "$J"
check "several articles side by side (modular pages)" jq -e '[.pages[].blocks[] | select(.columns < 5)] | length >= 8' "$J"
# blocks and house boxes as grid rectangles: no two overlap
RECTS='[(.blocks[], .house_boxes[]) | {c0: .col0, c1: (.col0 + .columns), r0: .top_row, r1: (.top_row + .rows)}]'
OVERLAP="[.pages[] | $RECTS | . as \$r | range(0; length) as \$i | range(\$i + 1; length) as \$j | (\$r[\$i].c0 < \$r[\$j].c1 and \$r[\$j].c0 < \$r[\$i].c1 and \$r[\$i].r0 < \$r[\$j].r1 and \$r[\$j].r0 < \$r[\$i].r1)] | any | not"
# holes: on article pages, no column has more than 3 empty rows in a row
HOLES=".grid as \$g | [.pages[] | select(.kind == \"articles\") | $RECTS as \$r |
    range(0; \$g.columns) as \$c |
    [range(\$g.first_row; \$g.rows) as \$row | [\$r[] | select(.c0 <= \$c and \$c < .c1 and .r0 <= \$row and \$row < .r1)] | length] |
    reduce .[] as \$n ({run: 0, max: 0}; if \$n == 0 then {run: (.run + 1), max: ([.max, .run + 1] | max)} else {run: 0, max: .max} end) | .max <= 3] | all"
check "no two blocks overlap" jq -e "$OVERLAP" "$J"
check "blocks inside the text area" jq -e ".grid as \$g | [.pages[] | $RECTS[] | .c0 >= 0 and .c1 <= \$g.columns and .r0 >= 0 and .r1 <= \$g.rows] | all" "$J"
check "no column with more than 3 empty rows (holes filled by house boxes)" jq -e "$HOLES" "$J"
pdftotext -raw -enc UTF-8 "$TMP/ed.pdf" "$TMP/ed.txt"
check "every word of every article, in order, and no line printed twice" "$TOOLS/wordcheck" --once "$ED" "$TMP/ed.txt"
# jumps: "Suite en page N" on page P, "Suite de la page P" on page N
njumps=0 badjumps=0
for p in $(seq 1 "$pages"); do
  pdftotext -f "$p" -l "$p" -enc UTF-8 "$TMP/ed.pdf" - | grep -o 'Suite en page [0-9]*' | awk '{print $4}' > "$TMP/j.txt"
  while read -r n; do
    njumps=$((njumps + 1))
    pdftotext -f "$n" -l "$n" -enc UTF-8 "$TMP/ed.pdf" - | grep -q "Suite de la page $p\$" || { badjumps=$((badjumps + 1)); echo "  page $p: 'Suite en page $n', but page $n has no 'Suite de la page $p'"; }
  done < "$TMP/j.txt"
done
check "articles jump ($njumps jump lines)" test "$njumps" -ge 1
check "each jump line names the page where the text continues" test "$badjumps" = 0
check "  ... and the report agrees with the PDF" test "$(jq '[.pages[].blocks[] | select(.continues_on)] | length' "$J")" = "$njumps"
check "the front page: masthead, lead jumping inside, teasers, the call for messages" bash -c "pdftotext -raw -f 1 -l 1 -enc UTF-8 '$TMP/ed.pdf' - > '$TMP/p1.txt' && grep -q \"La Gazette d.essai\" '$TMP/p1.txt' && grep -qi 'Dans ce numéro' '$TMP/p1.txt' && grep -q 'Soutenez-nous' '$TMP/p1.txt' && jq -e '.articles[0].first_page == 1 and (.articles[0].segments | length) >= 2' '$J' >/dev/null"
for t in 4 8 13; do
  title=$(sed -n 's/^title: "\(.*\)"/\1/p' "$TMP/ed/articles/a$(printf %02d $((t + 1))).md" | cut -c1-12)
  pg=$(jq ".articles[$t].first_page" "$J")
  check "  ... teaser '$title...' says page $pg" bash -c "tr '\n' ' ' < '$TMP/p1.txt' | grep -o '$title[^P]*Page [0-9]*' | grep -q 'Page $pg\$'"
done
"$ROT" build "$ED" -o "$TMP/again.pdf" --quiet 2>/dev/null
check "same input, byte-identical PDF" cmp "$TMP/ed.pdf" "$TMP/again.pdf"

# pins: page, span, position, no_jump
cp -r "$TMP/ed" "$TMP/pin"
sed -i 's|^  - articles/a11.md$|  - {file: articles/a11.md, page: 3, span: 2}|; s|^  - articles/a07.md$|  - {file: articles/a07.md, position: top, page: 4}|; s|^  - articles/a20.md$|  - {file: articles/a20.md, position: bottom, span: 3}|; s|^  - articles/a16.md$|  - {file: articles/a16.md, no_jump: true}|' "$TMP/pin/issue.yaml"
"$ROT" build "$TMP/pin/issue.yaml" -o "$TMP/pin.pdf" --report "$TMP/pin.json" 2> "$TMP/pin.err"
check "pinned edition builds" test $? = 0
check "pin page 3, span 2 honoured" jq -e '.articles[10] | .first_page == 3 and .segments[0].columns == 2' "$TMP/pin.json"
check "pin position top (page 4) honoured" jq -e '.articles[6].first_page == 4 and ([.pages[3].blocks[] | select(.article == 6)][0].top_row == .grid.first_row)' "$TMP/pin.json"
check "pin position bottom, span 3 honoured" jq -e '.articles[19] as $a | $a.segments[0].columns == 3 and ([.pages[$a.first_page - 1].blocks[] | select(.article == 19)][0] | .top_row + .rows) >= .grid.rows - 3' "$TMP/pin.json"
check "pin no_jump honoured" jq -e '.articles[15].segments | length == 1' "$TMP/pin.json"
# impossible pins
cp -r "$TMP/ed" "$TMP/bad1"
sed -i 's|^  - articles/a01.md$|  - {file: articles/a01.md, no_jump: true, span: 1}|' "$TMP/bad1/issue.yaml"
"$ROT" build "$TMP/bad1/issue.yaml" -o "$TMP/bad1.pdf" 2> "$TMP/bad1.err"
check "impossible pin (no_jump, one column, long article): exit 1" test $? = 1
check "  ... with the reason" grep -q "issue.yaml:[0-9]*:[0-9]*: error: '.*a01.md' cannot be placed without a jump (no_jump): it needs [0-9]* rows in 1 columns, a page has [0-9]*" "$TMP/bad1.err"
check "  ... and no PDF" test ! -e "$TMP/bad1.pdf"
cp -r "$TMP/ed" "$TMP/bad2"
sed -i 's|^  - articles/a03.md$|  - {file: articles/a03.md, page: 40}|' "$TMP/bad2/issue.yaml"
"$ROT" build "$TMP/bad2/issue.yaml" -o "$TMP/bad2.pdf" 2> "$TMP/bad2.err"
check "impossible pin (page 40): clear error" grep -q "error: '.*a03.md' is pinned to page 40, but its stories fill pages 1 to [0-9]* (the supporter messages and house pages come after them): pin it to page [0-9]* or earlier" "$TMP/bad2.err"

# the edition's page count: overset is an error unless allowed
cp -r "$TMP/ed" "$TMP/short"
sed -i 's/^layout: tabloid$/layout: tabloid\npages: 4/' "$TMP/short/issue.yaml"
"$ROT" build "$TMP/short/issue.yaml" -o "$TMP/short.pdf" 2> "$TMP/short.err"
check "pages: 4 for 28 articles: overset is an error (exit 1)" test $? = 1
check "  ... naming the articles and how much is over" grep -q "error: overset: [0-9]* lines (about [0-9]* words) found no page" "$TMP/short.err"
"$ROT" build "$TMP/short/issue.yaml" -o "$TMP/short.pdf" --allow-overset --report "$TMP/short.json" 2> "$TMP/short.err"
st=$?
check "  ... --allow-overset builds the 4 pages" bash -c "test $st = 0 && pdfinfo '$TMP/short.pdf' | grep -q '^Pages: *4$'"
check "  ... and the report counts the overset lines" jq -e '.totals.overset_lines > 100' "$TMP/short.json"
cp -r "$TMP/ed" "$TMP/long"
sed -i 's/^layout: tabloid$/layout: tabloid\npages: 16/' "$TMP/long/issue.yaml"
"$ROT" build "$TMP/long/issue.yaml" -o "$TMP/long.pdf" --report "$TMP/long.json" 2>/dev/null
check "pages: 16 is honoured with house pages" bash -c "pdfinfo '$TMP/long.pdf' | grep -q '^Pages: *16$' && jq -e '.totals.house_pages >= 1' '$TMP/long.json' >/dev/null"

# the sample edition too: no overlaps, no holes beyond the limit
"$ROT" build issues/2026-05/issue.yaml -o "$TMP/sample.pdf" --report "$TMP/sample.json" -q 2>/dev/null
check "sample: no two blocks overlap" jq -e "$OVERLAP" "$TMP/sample.json"
check "sample: no column with more than 3 empty rows" jq -e "$HOLES" "$TMP/sample.json"
check "sample: page count a multiple of 4" jq -e '.totals.pages % 4 == 0' "$TMP/sample.json"
