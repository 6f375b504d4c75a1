# Page design, measured from the build report's `design` figures (the same
# figures as ../shared/tools/compcheck.py): no page of stacked full-width
# strips, no shallow wide block, the largest block at the top, no level
# headlines side by side, pages filled, jumps that pay, the back page never
# a house page; on the sample and on generated editions of 40 articles
# (several seeds, tabloid and A4, with and without images and messages).
# Tall photos keep their shape; a photo's focus guides its crop.
. "$(dirname "$0")/lib.sh"
GEN=tests/e2e/fixtures/gen-edition.sh

goals() { # goals NAME REPORT: the structural goals, every edition
  local n=$1 j=$2
  check "$n: no page with 3 full-width strips, never more than 2 one under another" \
    jq -e '.design | .pages_with_3_strips == 0 and .max_stack <= 2' "$j"
  check "$n: at most 1.5 full-width blocks per article page" jq -e '.design.full_width_per_page <= 1.5' "$j"
  check "$n: the largest block at the top of 80 % of the article pages" \
    jq -e '.design | .largest_top >= 0.8 * .article_pages' "$j"
  check "$n: at most one pair of level headlines side by side" jq -e '.design.bumps <= 1' "$j"
  check "$n: empty area at most 1 % of the article pages" jq -e '.design.empty_share <= 0.01' "$j"
  check "$n: no article jumps twice, none with a small first piece, at most 0.15 jumps per article" \
    jq -e '.design | .jumped_twice == 0 and .small_first_pieces == 0 and .jumps_per_article <= 0.15' "$j"
  check "$n: the front page jumps at most its lead; the back page is not a house page" \
    jq -e '.design | .front_jumps <= 1 and .back != "house"' "$j"
  check "$n: no block of 4+ columns with under 12 text rows per column" jq -e '.design.shallow == 0' "$j"
  check "$n: message pages at least 3/4 full" \
    jq -e '([.pages[] | select(.kind == "messages")] | length) == 0 or .design.message_fill_min >= 0.75' "$j"
  check "$n: jumps land where the report says" jq -e '. as $r | [.articles[] | .segments as $s | range(0; ($s|length)-1) as $k | $s[$k].continues_on == $s[$k+1].page] | all' "$j"
}

# the sample: every goal
"$ROT" build issues/2026-05/issue.yaml -o "$TMP/s.pdf" --report "$TMP/s.json" 2> "$TMP/s.err"
goals sample "$TMP/s.json"
check "sample: house boxes at most 3 % of the article pages, none over 10 % of a page" \
  jq -e '.design | .house_share <= 0.03 and .house_max <= 0.10' "$TMP/s.json"
check "sample: no block with a column 6 rows short of its foot" \
  jq -e '.design.hollow == 0 and ([.pages[].blocks[].short_rows] | length > 0 and max < 6)' "$TMP/s.json"
check "sample: message pages at least 3/4 full; at most one house page" \
  jq -e '.design | .message_fill_min >= 0.75 and .house_pages <= 1' "$TMP/s.json"
check "sample: no message page ends in a blank (the paper's box in their room)" \
  jq -e '.design.message_blank_max == 0 and ([.pages[] | select(.kind == "messages") | .calls[]] | length) > 0' "$TMP/s.json"
mp=$(jq '[.pages[] | select(.kind == "messages" and (.calls | length) > 0) | .number] | last' "$TMP/s.json")
check "  ... its box on page $mp: how to place a message, not the call again" \
  bash -c "pdftotext -f $mp -l $mp -enc UTF-8 '$TMP/s.pdf' - | tr -s ' \n' ' ' | grep -q 'Choisissez un format' && test \$(pdftotext -f $mp -l $mp -enc UTF-8 '$TMP/s.pdf' - | tr -s ' \n' ' ' | grep -o 'placez votre message' | wc -l) = 1"
# the boxes in turn: the rate card and how on one page, who places a
# message on the next (the same box did close every page of the spreads)
seq=""
for p in $(jq '.pages[] | select(.kind == "messages" and (.calls | length) > 0) | .number' "$TMP/s.json"); do
  t=$(pdftotext -f $p -l $p -enc UTF-8 "$TMP/s.pdf" - | tr -s ' \n' ' ')
  if echo "$t" | grep -q 'Choisissez un format'; then seq="${seq}h"; elif echo "$t" | grep -q 'Une section, une association'; then seq="${seq}w"; else seq="${seq}?"; fi
done
check "  ... the message pages' boxes take turns, the rate card and how, then who ($seq)" \
  bash -c "echo '$seq' | grep -qx 'h\(wh\)*w\?'"
check "sample: design warnings are on stderr with their page" grep -q 'warning: page [0-9]*: ' "$TMP/s.err"
check "sample: the report's page figures add up to its totals" \
  jq -e '((([.pages[] | select(.design) | .design.full_width] | add) / .design.article_pages) - .design.full_width_per_page | fabs) < 0.001' "$TMP/s.json"

# the sample's house page: an advertisement for supporter messages over the
# whole page (who places one, the rate card drawn to scale, how), not a
# frame around a list of prices
# (the sample as listed: its reserve takes the room of its house page)
cp -r issues/2026-05 "$TMP/listed" && rm -rf "$TMP/listed/preview" && without_reserve "$TMP/listed"
"$ROT" build "$TMP/listed/issue.yaml" -o "$TMP/listed.pdf" --report "$TMP/listed.json" --quiet 2> /dev/null
check "the sample without its reserve: one house page" jq -e '.design.house_pages == 1' "$TMP/listed.json"
hp=$(jq '[.pages[] | .kind] | index("house") + 1' "$TMP/listed.json")
pdftotext -f "$hp" -l "$hp" -enc UTF-8 "$TMP/listed.pdf" - | tr -s ' \n' ' ' > "$TMP/house.txt"
check "sample: its house page (page $hp) calls for messages, says who places one and how" \
  bash -c "grep -q 'placez votre message' '$TMP/house.txt' && grep -q 'Une section, une association' '$TMP/house.txt' && grep -q 'avant l’impression' '$TMP/house.txt'"
check "  ... with every format of the rate card and its price" \
  bash -c "for f in '1/16 30 €' '1/8 55 €' '1/4 100 €' '1/2 190 €' '1/1 360 €'; do grep -qF \"\$f\" '$TMP/house.txt' || exit 1; done"
pdftoppm -f "$hp" -l "$hp" -r 12 -gray "$TMP/listed.pdf" "$TMP/house"
ink=$(od -An -v -tu1 "$TMP"/house*.pgm | tr -s ' ' '\n' | awk 'NF && $1 < 200 {n++} NF {t++} END{printf "%.3f", n / t}')
check "  ... the formats drawn: ink on a tenth of the page at least ($ink; a frame around the list: 0.055)" \
  awk -v i="$ink" 'BEGIN{exit !(i >= 0.09)}'
cp -r "$TMP/listed" "$TMP/ed"
printf 'words:\n  support_text: ""\n' >> "$TMP/ed/issue.yaml"
"$ROT" build "$TMP/ed/issue.yaml" -o "$TMP/s2.pdf" --quiet 2> /dev/null
check "  ... a word set empty in the edition is left out" \
  bash -c "pdftotext -f $hp -l $hp -enc UTF-8 '$TMP/s2.pdf' - | tr -s ' \n' ' ' | grep -q 'placez votre message' && ! pdftotext -f $hp -l $hp '$TMP/s2.pdf' - | grep -q 'Une section'"

# the Dutch A4 sample: the structural goals; its message page full, no house page
"$ROT" build issues/2026-05-nl/issue.yaml -o "$TMP/nl.pdf" --report "$TMP/nl.json" --quiet 2> /dev/null
goals "Dutch A4 sample" "$TMP/nl.json"
check "Dutch A4 sample: its front page calls for messages once (the rail; the gap under the lead says who places one)" \
  bash -c "test \$(pdftotext -f 1 -l 1 -enc UTF-8 '$TMP/nl.pdf' - | tr -s ' \n' ' ' | grep -o 'plaats uw boodschap' | wc -l) = 1 && pdftotext -f 1 -l 1 -enc UTF-8 '$TMP/nl.pdf' - | tr -s ' \n' ' ' | grep -q 'Een afdeling, een vereniging'"
cp -r issues/2026-05-nl "$TMP/nl-words" && rm -rf "$TMP/nl-words/preview"
sed -i 's/^words:$/words:\n  support_text: ""/' "$TMP/nl-words/issue.yaml"
"$ROT" build "$TMP/nl-words/issue.yaml" -o "$TMP/nl-words.pdf" --quiet 2> /dev/null
check "  ... and with 'who places one' set empty, how to place one (not the call again)" \
  bash -c "test \$(pdftotext -f 1 -l 1 -enc UTF-8 '$TMP/nl-words.pdf' - | tr -s ' \n' ' ' | grep -o 'plaats uw boodschap' | wc -l) = 1 && pdftotext -f 1 -l 1 -enc UTF-8 '$TMP/nl-words.pdf' - | tr -s ' \n' ' ' | grep -q 'Kies een formaat'"
check "Dutch A4 sample: its message page at least 3/4 full, no house page, no house box over 10 % of a page" \
  jq -e '.design | .message_fill_min >= 0.75 and .house_pages == 0 and .house_max <= 0.10' "$TMP/nl.json"

specs=("tabloid 21 1 25" "tabloid 22 0 0" "a4 21 1 25" "a4 22 0 0")
[ "$SAN" = 1 ] && specs=("a4 21 1 25")
for spec in "${specs[@]}"; do
  set -- $spec
  d="$TMP/g-$1-$2"
  GEN_IMAGES=$3 GEN_MESSAGES=$4 bash $GEN "$d" 40 "$2" > /dev/null
  sed -i "s/^layout: .*/layout: $1/" "$d/issue.yaml"
  "$ROT" build "$d/issue.yaml" -o "$d.pdf" --report "$d.json" --quiet 2> /dev/null
  goals "40 articles ($1, seed $2, images $3, messages $4)" "$d.json"
  check "  ... no message page ends in a blank" jq -e '.design.message_blank_max == 0' "$d.json"
  pdftotext -raw -enc UTF-8 "$d.pdf" "$d.txt"
  check "  ... every word in order" "$TOOLS/wordcheck" --any-spread "$d/issue.yaml" "$d.txt"
done

# blocks with a column that ends 6 rows or more above their foot: counted
# in the report (per block, per page, in all) and warned about, page by page
d="$TMP/g-a4-21"
check "40 articles (a4, seed 21, photos): at most one block with a column 6 rows short ($(jq .design.hollow "$d.json")): a photo with text under and beside it grows as far as the text still reaches the block's foot" \
  jq -e '.design.hollow <= 1' "$d.json"
d="$TMP/g-tabloid-22"
if [ -f "$d.json" ]; then
  "$ROT" build "$d/issue.yaml" -o "$d-w.pdf" --report "$d-w.json" 2> "$d-w.err" > /dev/null
  check "40 articles (tabloid, seed 22): each block with a column 6 rows short is warned about, with its page" \
    bash -c "test \$(grep -c 'rows above its block.s foot' '$d-w.err') = \$(jq .design.hollow '$d-w.json') && test \$(jq .design.hollow '$d-w.json') -gt 0 && test \"\$(jq -r '.pages[] | select(.design.hollow > 0) | .number as \$n | range(.design.hollow) | \$n' '$d-w.json' | tr '\n' ' ')\" = \"\$(sed -n 's/.*warning: page \\([0-9]*\\): a column of .* ends [0-9]* rows above.*/\\1/p' '$d-w.err' | tr '\n' ' ')\""
  check "  ... and the report's blocks say by how many rows" \
    jq -e '.design.hollow as $h | [.pages[].blocks[] | select(.short_rows >= 6)] | length == $h' "$d-w.json"
fi

# the planner's page searches on two threads (compose/search.h) and on one
# (--jobs 1): the same plan, so the same PDF, report and messages
d="$TMP/g-a4-21"
cp -r "$d" "$d-j"
for j in 0 1; do
  "$ROT" build "$d-j/issue.yaml" -o "$d-j/out.pdf" --report "$d-j/out.json" --jobs $((j + 1)) \
    > /dev/null 2> "$d-j/err$j.txt"
  mv "$d-j/out.pdf" "$d-j/out$j.pdf"
  mv "$d-j/out.json" "$d-j/out$j.json"
done
check "40 articles, searched on two threads and on one: the same PDF" cmp "$d-j/out0.pdf" "$d-j/out1.pdf"
check "  ... the same report" cmp "$d-j/out0.json" "$d-j/out1.json"
check "  ... the same messages" cmp "$d-j/err0.txt" "$d-j/err1.txt"
RT_PLAN_DEBUG=1 "$ROT" build "$d-j/issue.yaml" -o "$d-j/dbg.pdf" > /dev/null 2> "$d-j/dbg.txt"
jobs=$(sed -n 's/^pool: the second thread ran \([0-9]*\) jobs$/\1/p' "$d-j/dbg.txt" | awk '{s+=$1} END {print s+0}')
check "  ... and the second thread did share the work ($jobs jobs)" test "$jobs" -gt 0

# generated editions with a reserve of 25 stories: every goal on the
# tabloid (25 and 40 stories, with and without photos and messages, seeds
# 21-23), the house ones included; on A4, no house page and no article
# page over a tenth house but where its gaps hold supporter messages (its
# pages are small: the room between the messages of a gap can be an eighth)
# goals() in one expression
all_goals='.design as $d | ($d.pages_with_3_strips == 0 and $d.max_stack <= 2 and $d.full_width_per_page <= 1.5
  and $d.largest_top >= 0.8 * $d.article_pages and $d.bumps <= 1 and $d.empty_share <= 0.01
  and $d.jumped_twice == 0 and $d.small_first_pieces == 0 and $d.jumps_per_article <= 0.15
  and $d.front_jumps <= 1 and $d.back != "house" and $d.shallow == 0
  and (([.pages[] | select(.kind == "messages")] | length) == 0 or $d.message_fill_min >= 0.75))'
specs=()
for lay in tabloid a4; do for n in 25 40; do for im in 1 0; do for s in 21 22 23; do
  specs+=("$lay $n $im $s")
done; done; done; done
# seed 35: two pages of two stories across, the lower one's photo grown to
# the foot; the page is led by it (the larger block) instead
specs+=("tabloid 25 1 35")
[ "$SAN" = 1 ] && specs=("tabloid 25 0 22" "a4 40 1 21")
for spec in "${specs[@]}"; do
  set -- $spec
  d="$TMP/res-$1-$2-$3-$4"
  GEN_IMAGES=$3 GEN_MESSAGES=$((25 * $3)) GEN_RESERVE=25 bash $GEN "$d" $2 $4 > /dev/null
  sed -i "s/^layout: .*/layout: $1/" "$d/issue.yaml"
  "$ROT" build "$d/issue.yaml" -o "$d.pdf" --report "$d.json" --quiet 2> /dev/null
  name="$2 stories and a reserve ($1, seed $4, photos and messages $3)"
  check "$name: the structural goals" jq -e "$all_goals" "$d.json"
  if [ $1 = tabloid ]; then
    check "  ... house boxes at most 3 % of the article pages, none over 10 % of a page, no house page ($(jq -c '.design | [.house_share, .house_max, .house_pages]' "$d.json"))" \
      jq -e '.design | .house_share <= 0.03 and .house_max <= 0.10 and .house_pages == 0' "$d.json"
  else
    check "  ... no house page, no house box over a tenth of a page but around messages ($(jq -c '.design | [.house_share, .house_max, .house_pages]' "$d.json"))" \
      jq -e '.design.house_pages == 0 and ([.pages[] | select(.kind == "articles" and .design.house_share > 0.10 and (.messages | length) == 0)] | length) == 0' "$d.json"
  fi
done

# a lead a few lines too long for the front (A4, seed 8, no photos: 62 rows
# where the front has 58) leaves too little to continue by the usual rule;
# it goes on the front all the same, continued inside, rather than leave the
# front without a story
d="$TMP/front-long"
GEN_IMAGES=0 GEN_MESSAGES=0 GEN_RESERVE=25 bash $GEN "$d" 25 8 > /dev/null
sed -i "s/^layout: .*/layout: a4/" "$d/issue.yaml"
"$ROT" build "$d/issue.yaml" -o "$d.pdf" --report "$d.json" --quiet 2> "$d.err"
check "a lead a little too long for the front: on the front page all the same ($(jq -c '[.pages[0].blocks[].article]' "$d.json"))" \
  jq -e '.pages[0].blocks[0].article == 0 and .articles[0].segments[0].page == 1' "$d.json"
check "  ... continued on page 2, its jump line right" \
  jq -e '.articles[0].segments | length == 2 and .[0].continues_on == 2 and .[1].page == 2' "$d.json"
check "  ... and no warning that the front carries no story" bash -c "! grep -q 'front carries no story' '$d.err'"

# two stories across the page without photos (seed 9: stories of one length,
# the pages F+F): the longer one leads the page, on top
d="$TMP/two-across"
GEN_IMAGES=0 GEN_MESSAGES=0 bash $GEN "$d" 25 9 > /dev/null
"$ROT" build "$d/issue.yaml" -o "$d.pdf" --report "$d.json" --quiet 2> /dev/null
check "two stories across a page, no photo: the larger block on top ($(jq -c '.design | [.largest_top, .article_pages]' "$d.json"))" \
  jq -e '.design | .article_pages >= 10 and .largest_top >= 0.8 * .article_pages' "$d.json"

# briefs-heavy editions (half their stories under 200 words): the pages take
# briefs in their rails before short stories, and where mostly briefs wait,
# the main stack ends in a column of briefs beside a narrower stack (its
# first brief a row below the stack's first story, under a heading), so that
# no page is left briefs across its main stack
subs=0
for spec in "40 22" "40 24"; do
  set -- $spec
  [ "$SAN" = 1 ] && [ "$2" = 22 ] && continue # one of them under the sanitizers
  d="$TMP/briefs-$1-$2"
  GEN_IMAGES=1 GEN_MESSAGES=25 bash $GEN "$d" $1 $2 > /dev/null
  "$ROT" build "$d/issue.yaml" -o "$d.pdf" --report "$d.json" --quiet 2> /dev/null
  goals "$1 stories, seed $2, briefs-heavy" "$d.json"
  check "  ... at most one brief set across 3 columns ($(jq .design.briefs_wide "$d.json"))" \
    jq -e '.design.briefs_wide <= 1' "$d.json"
  subs=$((subs + $(jq '[.pages[] | .blocks as $b | $b[] | select(.col0 == 0 and .columns == 2 and .top_row > 2) as $s
            | $b[] | select(.col0 == 2 and .top_row == $s.top_row - 1)] | length' "$d.json")))
done
# (seed 22's front takes briefs in the column under its lead: seed 24 shows it)
check "  ... a main stack ends in a column of briefs beside a narrower stack ($subs)" test "$subs" -gt 0

# too little copy for the page count (25 short stories, no photos, 8 pages):
# the call for messages takes pages of its own rather than fill most of an
# article page around one story
d="$TMP/g-short"
GEN_IMAGES=0 GEN_MESSAGES=0 bash $GEN "$d" 25 22 > /dev/null
"$ROT" build "$d/issue.yaml" -o "$d.pdf" --report "$d.json" --quiet 2> /dev/null
check "25 short stories on 8 pages: no article page a quarter house box" jq -e '.design.house_max <= 0.25' "$d.json"
check "  ... its house pages spread between article pages, never two in a row ($(jq -c '[.pages[].kind[0:1]] | join("")' "$d.json"))" \
  jq -e '([.pages[] | select(.kind == "house")] | length) >= 2 and ([.pages[].kind] as $k | [range(1; $k | length) | select($k[.] == "house" and $k[. - 1] == "house")] | length) == 0' "$d.json"
# its largest gap (two columns or more, an eighth of a page or more): the
# house page's advertisement, scaled, with the rate card
hb=$(jq '[.pages[] | select(.kind == "articles" and .design.house_share >= 0.125 and ([.house_boxes[] | select(.columns >= 2)] | length) > 0) | .number] | first // 0' "$d.json")
check "  ... its largest gap (page $hb) holds the advertisement: the call, every format and price" \
  bash -c "test '$hb' -gt 0 && pdftotext -f '$hb' -l '$hb' -enc UTF-8 '$d.pdf' - | tr -s ' \n' ' ' | grep -q 'placez votre message.*1/16 30 €.*1/1 360 €'"
# copy short with messages (25 stories, photos, 25 messages; seed 23: seed
# 22's front now takes the stories under its lead, and leaves no page two
# gaps): an article page's gaps call for messages once; a second box says
# how to place one
d="$TMP/short-msg"
GEN_IMAGES=1 GEN_MESSAGES=25 bash $GEN "$d" 25 23 > /dev/null
"$ROT" build "$d/issue.yaml" -o "$d.pdf" --report "$d.json" --quiet 2> /dev/null
pp=$(jq '[.pages[] | select(.kind == "articles" and (.house_boxes | length) >= 2) | .number] | first // 0' "$d.json")
check "25 stories and messages: page $pp's two gaps call once, the other says how to place a message" \
  bash -c "test '$pp' -gt 0 && t=\$(pdftotext -f $pp -l $pp -enc UTF-8 '$d.pdf' - | tr -s ' \n' ' ') && test \$(echo \"\$t\" | grep -o 'placez votre message' | wc -l) = 1 && echo \"\$t\" | grep -q 'Choisissez un format'"

# copy short of the page count on A4 (25 stories for 12 pages) and tabloid (40
# stories, no photos, for 8): the room goes in house pages or in bands at the
# foot of the pages, never in one story above a page-sized call
for spec in "a4 25 23" "tabloid 40 21"; do
  set -- $spec
  d="$TMP/short-$1"
  GEN_IMAGES=0 GEN_MESSAGES=0 bash $GEN "$d" $2 $3 > /dev/null
  sed -i "s/^layout: .*/layout: $1/" "$d/issue.yaml"
  "$ROT" build "$d/issue.yaml" -o "$d.pdf" --report "$d.json" --quiet 2> /dev/null
  check "$2 stories short of the page count ($1): no article page a quarter house box; the back page a story" \
    jq -e '.design.house_max <= 0.25 and .design.back == "articles"' "$d.json"
done

# the benchmark's text-only edition (the sample's articles again and again,
# no photos, no messages: copy pages short of 16): no page of three stories
# across it, even where no pattern leaves the room its share asks
d="$TMP/bench16t"
bash tests/bench/gen.sh "$d" 20000 0 0 2> /dev/null
"$ROT" build "$d/issue.yaml" -o "$d.pdf" --report "$d.json" --quiet 2> /dev/null
goals "the benchmark's 20,000 words without photos" "$d.json"
check "  ... no article page a quarter house box" jq -e '.design.house_max <= 0.25' "$d.json"

# a tall photo keeps its shape; the focus guides the crop
d="$TMP/photo"
cp -r tests/e2e/fixtures/mini "$d"
"$TOOLS/mkimage" png "$d/images/tall.png" 800 1200
sed -i 's|file: ../images/pic.png|file: ../images/tall.png|' "$d/articles/a.md"
"$ROT" build "$d/issue.yaml" -o "$d/a.pdf" --quiet 2> /dev/null
check "a tall photo prints (its own proportions, in fewer columns)" bash -c "pdfimages -list '$d/a.pdf' | grep -q ' 800  *1200 '"
sed -i 's|file: ../images/tall.png|file: ../images/tall.png\n    focus: [0.5, 0.1]|' "$d/articles/a.md"
"$ROT" build "$d/issue.yaml" -o "$d/top.pdf" --quiet 2> /dev/null
sed -i 's|focus: \[0.5, 0.1\]|focus: [0.5, 0.9]|' "$d/articles/a.md"
"$ROT" build "$d/issue.yaml" -o "$d/bottom.pdf" --quiet 2> /dev/null
check "a photo's focus moves its crop" bash -c "test -s '$d/top.pdf' && test -s '$d/bottom.pdf' && ! cmp -s '$d/top.pdf' '$d/bottom.pdf'"
sed -i 's|focus: \[0.5, 0.9\]|focus: [2, 0.9]|' "$d/articles/a.md"
"$ROT" check "$d/issue.yaml" > "$d/bad.txt" 2>&1
check "a focus outside the image is a located error" grep -q 'a.md:[0-9]*:[0-9]*: error: focus x' "$d/bad.txt"

# a long lead whose square photo leaves under a fifth of its lines on the
# front page (A4, seed 42, with a reserve): the front opens with it all the
# same, not with supporter messages and the lead inside the paper
d="$TMP/front42"
GEN_IMAGES=1 GEN_MESSAGES=25 GEN_RESERVE=25 bash $GEN "$d" 25 42 > /dev/null
sed -i 's/^layout: .*/layout: a4/' "$d/issue.yaml"
"$ROT" build "$d/issue.yaml" -o "$d.pdf" --report "$d.json" --quiet 2> "$d.err"
check "a4 seed 42: the front page opens with the lead (its first block is the lead)" \
  jq -e '.pages[0].blocks[0].article == 0 and .articles[0].first_page == 1' "$d.json"
check "  ... no warning that the lead fits on the front page in no shape" \
  jq -e '[.diagnostics[] | select(.message | test("fits on the front page in no shape"))] | length == 0' "$d.json"
# tabloid, seed 36: a lead 2 rows too tall whole, with too little left to
# jump, and a square photo: it opens the front all the same, its photo
# cropped by those rows (before, the front carried only supporter messages,
# then a warning said the lead fitted there in no shape)
d="$TMP/front36"
GEN_IMAGES=1 GEN_MESSAGES=25 GEN_RESERVE=25 bash $GEN "$d" 25 36 > /dev/null
"$ROT" build "$d/issue.yaml" -o "$d.pdf" --report "$d.json" --quiet 2> "$d.err"
check "tabloid seed 36: the front opens with the lead, whole, with its photo" \
  jq -e '.pages[0].blocks[0].article == 0 and .articles[0].first_page == 1 and .articles[0].last_page == 1 and ([.diagnostics[] | select(.message | test("no shape|is not printed"))] | length == 0)' "$d.json"
check "  ... its photo cropped, not dropped: the front page shows an image" \
  bash -c "pdfimages -f 1 -l 1 -list '$d.pdf' | awk 'NR > 2' | grep -q image"

# the front page with copy to spare (tabloid, 40 stories and a reserve, no
# photos, no messages): stories under the lead, a secondary stack beside a
# column of shorter ones, not the lead over a call for messages a third of
# the page (30 % before); its index names no story of the front itself
d="$TMP/front32"
GEN_IMAGES=0 GEN_MESSAGES=0 GEN_RESERVE=25 bash $GEN "$d" 40 32 > /dev/null
"$ROT" build "$d/issue.yaml" -o "$d.pdf" --report "$d.json" --quiet 2> "$d.err"
FRONT_HOUSE='(.grid.columns * (.grid.rows - .grid.first_row)) as $A | ([.pages[0].house_boxes[] | .columns * .rows] | add // 0) / $A'
check "tabloid seed 32: the front carries stories under its lead, side by side ($(jq -c '[.pages[0].blocks[] | [.columns, .rows]]' "$d.json"))" \
  jq -e '.pages[0].blocks as $b | ($b | length) >= 3 and $b[0].article == 0 and ([$b[1:][] | select(.columns < $b[0].columns)] | length) >= 2' "$d.json"
check "  ... no house box over a tenth of the front ($(jq "$FRONT_HOUSE" "$d.json"))" jq -e "($FRONT_HOUSE) <= 0.10" "$d.json"
check "  ... its index names no story of the front page (no 'Page 1')" \
  bash -c "pdftotext -f 1 -l 1 -raw '$d.pdf' - | grep -q '^Page [0-9]' && ! pdftotext -f 1 -l 1 -raw '$d.pdf' - | grep -qx 'Page 1'"
# teasers the edition names, one of them on the front: left out of the
# index, with a warning
on_front=$(jq -r '[.articles[] | select(.first_page == 1 and .index > 0) | .path | sub(".*/"; "")] | first' "$d.json")
sed -i "s|^  teasers: .*|  teasers: [articles/$on_front, articles/a20.md]|" "$d/issue.yaml"
"$ROT" build "$d/issue.yaml" -o "$d.pdf" --report "$d.json" --quiet 2> "$d.err"
check "  ... a teaser the edition names on the front ($on_front): a warning, and not in the index" \
  bash -c "jq -e '[.diagnostics[] | select(.severity == \"warning\" and (.message | test(\"is left out of the front page.s index: the story is on the front page\")))] | length == 1' '$d.json' >/dev/null && ! pdftotext -f 1 -l 1 -raw '$d.pdf' - | grep -qx 'Page 1'"
