# The reserve ("le marbre"): stories listed under `reserve:` print only
# where the copy falls short of the pages, in place of house pages and
# large house boxes; the rest stay out. The edition printed is the same as
# the one that lists those stories among its articles, byte for byte.
. "$(dirname "$0")/lib.sh"
GEN=tests/e2e/fixtures/gen-edition.sh


# 25 short stories, no photos, on a tabloid: 8 pages with 3 house pages
R="$TMP/short"
GEN_IMAGES=0 GEN_RESERVE=30 bash $GEN "$R" 25 22 > /dev/null
cp -r "$R" "$TMP/short-none" && without_reserve "$TMP/short-none"
"$ROT" build "$TMP/short-none/issue.yaml" -o "$TMP/none.pdf" --report "$TMP/none.json" --quiet 2> /dev/null
check "25 short stories without a reserve: house pages ($(jq .design.house_pages "$TMP/none.json"))" \
  jq -e '.design.house_pages >= 2' "$TMP/none.json"
"$ROT" build "$R/issue.yaml" -o "$TMP/r.pdf" --report "$TMP/r.json" 2> "$TMP/r.err"
check "with a reserve of 30: no house page, house boxes at most 3 % of the article pages, none over 10 % of a page" \
  jq -e '.design | .house_pages == 0 and .house_share <= 0.03 and .house_max <= 0.10' "$TMP/r.json"
check "  ... as many pages as without it" \
  bash -c "test \$(jq .totals.pages '$TMP/r.json') = \$(jq .totals.pages '$TMP/none.json')"
np=$(jq .reserve.printed "$TMP/r.json")
check "  ... some of the reserve printed ($np), not all of it; the report lists the rest" \
  jq -e '.reserve.printed > 0 and .reserve.printed < 30 and (.reserve.left | length) == 30 - .reserve.printed and ([.articles[] | select(.reserve)] | length) == .reserve.printed' "$TMP/r.json"
check "  ... the build says how many, and what the copy left to house before" \
  grep -q "note: $np of the reserve's 30 stories printed: the articles listed left" "$TMP/r.err"
check "  ... the summary marks them" grep -q "^reserve: $np of 30 stories printed" "$TMP/r.err"
# the stories printed are those the report names: the same edition with
# them listed among its articles (in the report's order) prints the same bytes
jq -r '"articles:", (.articles[] | "  - " + (.path | sub(".*/articles/"; "articles/")))' "$TMP/r.json" > "$TMP/arts.yaml"
sed -n '1,/^articles:/p' "$R/issue.yaml" | sed '$d' > "$R/listed.yaml"
cat "$TMP/arts.yaml" >> "$R/listed.yaml"
"$ROT" build "$R/listed.yaml" -o "$TMP/listed.pdf" --quiet 2> /dev/null
check "  ... the same PDF as the edition that lists them among its articles" cmp "$TMP/r.pdf" "$TMP/listed.pdf"
check "  ... each printed story after the last of its section" \
  jq -e '[.articles[] | .section] as $s | [range(1; $s | length) | select($s[.] != $s[. - 1])] | length <= 6' "$TMP/r.json"
pdftotext -raw -enc UTF-8 "$TMP/r.pdf" "$TMP/r.txt"
check "  ... every word of every story printed, in order" "$TOOLS/wordcheck" "$R/listed.yaml" "$TMP/r.txt"
left=$(jq -r '.reserve.left[0]' "$TMP/r.json")
title=$(sed -n 's/^title: "\(.*\)"$/\1/p' "$left")
check "  ... a story left in the reserve is not printed ($(basename "$left"))" \
  bash -c "! pdftotext -enc UTF-8 '$TMP/r.pdf' - | tr -s ' \n' ' ' | grep -qF '$title'"
"$ROT" build "$R/issue.yaml" -o "$TMP/r2.pdf" --jobs 1 --quiet 2> /dev/null
check "  ... byte-identical when built again (one thread)" cmp "$TMP/r.pdf" "$TMP/r2.pdf"

# a reserve too small for the room: all of it printed, said so
S="$TMP/small"
GEN_IMAGES=0 GEN_RESERVE=4 bash $GEN "$S" 25 22 > /dev/null
"$ROT" build "$S/issue.yaml" -o "$TMP/s.pdf" --report "$TMP/s.json" 2> "$TMP/s.err"
check "a reserve of 4 short stories: all printed, fewer house pages ($(jq .design.house_pages "$TMP/s.json"))" \
  jq -e --argjson h "$(jq .design.house_pages "$TMP/none.json")" '.reserve.printed == 4 and .design.house_pages < $h' "$TMP/s.json"
check "  ... the build says the reserve is used up" grep -q 'stories printed: .*(the reserve is used up)' "$TMP/s.err"

# enough copy: the reserve stays out and the PDF is the one without it
F="$TMP/full"
GEN_MESSAGES=25 GEN_RESERVE=6 bash $GEN "$F" 40 24 > /dev/null
cp -r "$F" "$TMP/full-none" && without_reserve "$TMP/full-none"
"$ROT" build "$F/issue.yaml" -o "$TMP/f.pdf" --report "$TMP/f.json" --quiet 2> /dev/null
"$ROT" build "$TMP/full-none/issue.yaml" -o "$TMP/f-none.pdf" --quiet 2> /dev/null
check "40 stories that fill their pages: nothing of the reserve printed" jq -e '.reserve.printed == 0 and (.reserve.left | length) == 6' "$TMP/f.json"
check "  ... the same PDF as without a reserve" cmp "$TMP/f.pdf" "$TMP/f-none.pdf"

# pages: set, and the copy short of them: the reserve fills them too
P="$TMP/pages"
GEN_IMAGES=0 GEN_RESERVE=30 bash $GEN "$P" 25 21 > /dev/null
sed -i 's/^layout: tabloid$/layout: tabloid\npages: 8/' "$P/issue.yaml"
"$ROT" build "$P/issue.yaml" -o "$TMP/p.pdf" --report "$TMP/p.json" --quiet 2> /dev/null
check "pages: 8 with copy for 4: the reserve fills them (no house page)" \
  jq -e '.totals.pages == 8 and .design.house_pages == 0 and .reserve.printed > 0' "$TMP/p.json"

# mistakes in the reserve are reported, all of them, where they are
E="$TMP/bad"
GEN_IMAGES=0 GEN_RESERVE=3 bash $GEN "$E" 6 5 > /dev/null
cat >> "$E/issue.yaml" <<'EOF'
  - articles/a02.md
  - {file: articles/extra.md, page: 3}
  - articles/nowhere.md
EOF
cp "$E/articles/r02.md" "$E/articles/extra.md"
sed -i 's|teasers: \[articles/a05.md|teasers: [articles/r03.md, articles/a05.md|' "$E/issue.yaml"
"$ROT" check "$E/issue.yaml" 2> "$TMP/bad.err"
check "a mistaken reserve: exit 1" test $? = 1
la=$(grep -n '^  - articles/a02.md' "$E/issue.yaml" | tail -1 | cut -d: -f1)
check "  ... a story listed among the articles too, with the line" \
  grep -q "issue.yaml:$la:5: error: article 'articles/a02.md' is already listed at line" "$TMP/bad.err"
check "  ... a story of the reserve pinned to a page" grep -q "error: a story of the reserve has no 'page'" "$TMP/bad.err"
check "  ... a file that is not there" grep -q "error: file not found: 'articles/nowhere.md'" "$TMP/bad.err"
check "  ... a teaser taken from the reserve" \
  grep -q "error: teaser 'articles/r03.md' is a story of the reserve" "$TMP/bad.err"
sed '/^reserve:/,$d; s|articles/r03.md, ||' "$E/issue.yaml" > "$E/one.yaml"
printf 'reserve: articles/r01.md\n' >> "$E/one.yaml"
"$ROT" check "$E/one.yaml" 2> "$TMP/one.err"
check "'reserve' that is not a list: an error" grep -q "error: 'reserve'" "$TMP/one.err"

# watch: an edit of a few lines keeps the stories of the reserve printed
W="$TMP/watch"
GEN_IMAGES=0 GEN_RESERVE=30 bash $GEN "$W" 25 22 > /dev/null
"$ROT" watch "$W/issue.yaml" -o "$TMP/w.pdf" --report "$TMP/w.json" --builds 2 2> "$TMP/w.txt" &
wpid=$!
for _ in $(seq 1 1800); do grep -q 'changes (build 1)' "$TMP/w.txt" && break; sleep 0.1; done
jq -c '[.articles[] | select(.reserve) | .path]' "$TMP/w.json" > "$TMP/w1.txt"
sleep 0.3
printf '\nUne phrase de plus, pour voir si le marbre reste le même quand un article gagne une ligne.\n' >> "$W/articles/a10.md"
for _ in $(seq 1 1800); do grep -q 'changes (build 2)' "$TMP/w.txt" && break; sleep 0.1; done
wait $wpid
jq -c '[.articles[] | select(.reserve) | .path]' "$TMP/w.json" > "$TMP/w2.txt"
check "watch: after a one-line edit the same stories of the reserve print" \
  bash -c "test -s '$TMP/w1.txt' && test \"\$(cat '$TMP/w1.txt')\" != '[]' && cmp '$TMP/w1.txt' '$TMP/w2.txt'"
check "  ... and still no house page" jq -e '.design.house_pages == 0' "$TMP/w.json"

# watch: the stories kept from the last build give way when they would now
# leave listed text out (an article grew seven times over, `pages:` set)
V="$TMP/watch-pages"
GEN_IMAGES=0 GEN_RESERVE=30 bash $GEN "$V" 25 21 > /dev/null
sed -i 's/^layout: tabloid$/layout: tabloid\npages: 8/' "$V/issue.yaml"
"$ROT" watch "$V/issue.yaml" -o "$TMP/v.pdf" --report "$TMP/v.json" --allow-overset --builds 2 2> "$TMP/v.txt" &
wpid=$!
for _ in $(seq 1 1800); do grep -q 'changes (build 1)' "$TMP/v.txt" && break; sleep 0.1; done
cp "$TMP/v.json" "$TMP/v1.json"
sleep 0.3
body=$(sed '1,/^---$/d' "$V/articles/a10.md")
for _ in 1 2 3 4 5 6; do printf '\n%s\n' "$body" >> "$V/articles/a10.md"; done
for _ in $(seq 1 1800); do grep -q 'changes (build 2)' "$TMP/v.txt" && break; sleep 0.1; done
wait $wpid
check "watch, pages: 8: the first build prints the reserve, no text left out" \
  jq -e '.reserve.printed > 0 and .totals.overset_lines == 0' "$TMP/v1.json"
check "  ... an article seven times longer: fewer of the reserve, still no text left out ($(jq .reserve.printed "$TMP/v1.json") -> $(jq .reserve.printed "$TMP/v.json"))" \
  jq -e --argjson p "$(jq .reserve.printed "$TMP/v1.json")" '.totals.overset_lines == 0 and .reserve.printed < $p' "$TMP/v.json"

# what the reserve holds is the newsroom's, printed or not
check "an output named like a story of the reserve is refused" \
  bash -c "cp '$R/articles/r30.md' '$TMP/r30.keep'; '$ROT' build '$R/issue.yaml' -o '$R/articles/r30.md' --quiet 2> '$TMP/clash.err'; test \$? = 2 && cmp -s '$R/articles/r30.md' '$TMP/r30.keep' && grep -q 'would overwrite a story of the reserve' '$TMP/clash.err'"
# a damaged photo in a story of the reserve that does not print: an error,
# as `check` says (and as with one thread), not a photo the cache learns
B="$TMP/badimg"
cp -r "$F" "$B"
head -c 3000 issues/2026-05/images/manif.png > "$B/images/broken.png"
rb=$(cd "$B/articles" && grep -L '^images:' r*.md | head -1)
sed -i '1a images:\n  - file: ../images/broken.png' "$B/articles/$rb"
"$ROT" check "$B/issue.yaml" > /dev/null 2>&1; cs=$?
"$ROT" build "$B/issue.yaml" -o "$TMP/b.pdf" --cache "$TMP/bcache" --report "$TMP/b.json" --quiet 2> "$TMP/b.err"; bs=$?
check "a damaged photo in a story of the reserve not printed: build fails as check does ($bs, $cs)" \
  bash -c "test $bs = 1 && test $cs = 1 && jq -e '.reserve.printed == 0' '$TMP/b.json' > /dev/null && grep -q '$rb.*broken.png' '$TMP/b.err'"
# a character no font has, in a story of the reserve: that story is left
# out (the build does not fail for a story it does not print)
C="$TMP/nochar"
cp -r "$R" "$C"
printf '\nUn signe que nulle police n’a : 𒀀.\n' >> "$C/articles/r01.md"
"$ROT" build "$C/issue.yaml" -o "$TMP/c.pdf" --report "$TMP/c.json" 2> "$TMP/c.err"
check "a story of the reserve with a character no font has: not printed, the build succeeds ($?)" \
  jq -e '.status == 0 and (.reserve.left | map(test("r01.md")) | any)' "$TMP/c.json"
check "  ... a warning says why, where the character is" \
  grep -q "r01.md:[0-9]*:[0-9]*: warning: this story of the reserve is left out: the character .* (U+12000) is in no font" "$TMP/c.err"
check "  ... the others fill the room as before ($(jq .reserve.printed "$TMP/c.json") printed)" \
  jq -e '.design.house_pages == 0 and .design.house_share <= 0.03' "$TMP/c.json"
