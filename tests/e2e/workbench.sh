# The editor's workbench: the JSON build report (checked against the PDF it
# describes), page previews, the flatplan, and watch mode (a file changed
# on disk gives a rebuilt PDF; a broken file keeps the last good one).
. "$(dirname "$0")/lib.sh"
ED=issues/2026-05/issue.yaml

png_size() { # width x height from the PNG header
  od -An -tu1 -j16 -N8 "$1" | awk '{printf "%dx%d\n", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}'
}

"$ROT" build "$ED" -o "$TMP/s.pdf" --report "$TMP/r.json" --png "$TMP/png" --dpi 30 2> "$TMP/err.txt"
check "build with --report and --png succeeds" test $? = 0
J="$TMP/r.json"
check "report: valid JSON with the schema name" jq -e '.schema == "rotative-report/1" and .status == 0' "$J"
pages=$(pdfinfo "$TMP/s.pdf" | awk '/^Pages:/ {print $2}')
check "report: one entry per PDF page ($pages)" jq -e "(.pages | length) == $pages and .totals.pages == $pages" "$J"
check "report: pages numbered 1..N, the first is the front page" jq -e '[.pages[].number] == [range(1; (.pages|length)+1)] and .pages[0].kind == "front"' "$J"
check "report: every article placed, with its first and last page" jq -e '.articles | all(.placed and .first_page >= 1 and .last_page >= .first_page)' "$J"
check "report: each article's segments are listed on their pages" jq -e '([.articles[] | .index as $i | .segments[] | {a: $i, p: .page}] | sort) == ([.pages[] | .number as $p | .blocks[] | {a: .article, p: $p}] | sort)' "$J"
JUMPS='. as $r | [.pages[] as $p | $p.blocks[] | select(.continues_on) | {a: .article, from: $p.number, to: .continues_on}] | all(. as $x | [$r.pages[] | select(.number == $x.to) | .blocks[] | select(.article == $x.a and .continued_from == $x.from)] | length == 1)'
check "report: a jump's target page holds the continuation" jq -e "$JUMPS" "$J"
# an edition whose lead jumps from the front page
bash tests/e2e/fixtures/gen-edition.sh "$TMP/gen" 28 > /dev/null
"$ROT" build "$TMP/gen/issue.yaml" -o "$TMP/gen.pdf" --report "$TMP/gen.json" --quiet 2> /dev/null
check "report (generated edition): it has jumps, each target page holds the continuation" jq -e "([.pages[].blocks[] | select(.continues_on)] | length > 0) and ($JUMPS)" "$TMP/gen.json"
check "report: jumps point to the page where the next segment is" jq -e '[.articles[] | .segments as $s | range(0; ($s|length)-1) as $k | $s[$k].continues_on == $s[$k+1].page] | all' "$J"
check "report: word counts add up" jq -e '([.articles[].words] | add) == .totals.words and .totals.words > 5000' "$J"
# words: the report's count for one article against pdftotext of its pages
check "report: every message placed once or held with a reason" jq -e '.messages | all((.page != null and .held == null and (.box_mm|length) == 4) or (.page == null and (.held|type) == "string"))' "$J"
check "report: placed messages are listed on their page" jq -e '([.messages[] | select(.page) | .index] | sort) == ([.pages[].messages[]] | sort)' "$J"
check "report: held and placed counts match the messages" jq -e '.totals.messages_held == ([.messages[] | select(.held)] | length) and .totals.messages_placed == ([.messages[] | select(.page)] | length)' "$J"
check "report: the pending message is held for its payment" jq -e '[.messages[] | select(.status == "pending") | .held] | all(. == "payment pending")' "$J"
check "report: paid total is the sum of paid amounts" jq -e '.totals.amount_paid == ([.messages[] | select(.status == "paid") | .amount] | add)' "$J"
check "report: warnings kept with file, line and column" jq -e '.totals.warnings as $w | [.diagnostics[] | select(.severity == "warning" and .line > 0)] | length > 0 and length <= $w' "$J"
check "summary: page by page on stderr" grep -q '^page  2 ' "$TMP/err.txt"
check "summary: the held message named under problems" grep -q '^held: .*m20-garage-martin.yaml.*payment pending' "$TMP/err.txt"

# previews
n=$(ls "$TMP/png" | grep -c '^le-drapeau-rouge-412-p[0-9][0-9].png$')
check "--png: one PNG per page ($n)" test "$n" = "$pages"
# 289 x 380 mm at 30 dpi
check "--png: size follows --dpi (342x449)" test "$(png_size "$TMP/png/le-drapeau-rouge-412-p01.png")" = 342x449
check "--png: previews are not blank" bash -c "test \$(stat -c %s '$TMP/png/le-drapeau-rouge-412-p02.png') -gt 20000"
# the previews and messages do not depend on the threads the build may use
cp "$TMP/s.pdf" "$TMP/s-first.pdf"
"$ROT" build "$ED" -o "$TMP/s.pdf" --png "$TMP/png1" --dpi 30 --jobs 1 2> "$TMP/err1.txt"
check "--png on one thread (--jobs 1): the same previews" diff -r "$TMP/png" "$TMP/png1"
check "  ... and the same messages" diff "$TMP/err.txt" "$TMP/err1.txt"
check "  ... and the same PDF" cmp "$TMP/s.pdf" "$TMP/s-first.pdf"

# a failed build still writes the report, and no PDF/PNG
cp -r tests/e2e/fixtures/mini "$TMP/mini"
printf 'from: "x"\n' > "$TMP/mini/messages/zz-broken.yaml"
"$ROT" build "$TMP/mini/issue.yaml" -o "$TMP/bad.pdf" --report "$TMP/bad.json" 2>/dev/null
check "failed build: exit 1" test $? = 1
check "failed build: report written, status 1, errors located" jq -e '.status == 1 and .totals.errors > 0 and ([.diagnostics[] | select(.severity == "error" and (.file|endswith("zz-broken.yaml")))] | length) > 0' "$TMP/bad.json"
check "failed build: no PDF" test ! -e "$TMP/bad.pdf"
rm "$TMP/mini/messages/zz-broken.yaml"

# flatplan
"$ROT" flatplan "$ED" -o "$TMP/fp.png" --quiet
check "flatplan PNG written" test -s "$TMP/fp.png"
check "flatplan PNG is wide (spreads side by side)" bash -c "s=\$(od -An -tu1 -j16 -N8 '$TMP/fp.png' | awk '{print ((\$3*256+\$4) > (\$7*256+\$8))}'); test \"\$s\" = 1"
"$ROT" flatplan "$ED" -o "$TMP/fp.pdf" --quiet
check "flatplan PDF: one page" bash -c "pdfinfo '$TMP/fp.pdf' | grep -q '^Pages: *1$'"
sleep 1.1 # a second later: a date of the clock's would show
"$ROT" flatplan "$ED" -o "$TMP/fp2.pdf" --quiet
check "flatplan PDF: the same bytes a second later (the edition's date, not the clock's)" cmp "$TMP/fp.pdf" "$TMP/fp2.pdf"
pdftotext -layout "$TMP/fp.pdf" "$TMP/fp.txt"
check "flatplan: titles on their blocks" grep -q "Le cordon sanitaire" "$TMP/fp.txt"
nmp=$(jq '[.pages[] | select(.kind == "messages")][0].messages | length' "$TMP/r.json")
check "flatplan: message pages marked with their count ($nmp)" grep -q "MESSAGES (\?$nmp" "$TMP/fp.txt"
check "flatplan: sections in the legend" grep -q "International" "$TMP/fp.txt"
jto=$(jq '[.pages[].blocks[] | select(.continues_on) | .continues_on][0]' "$TMP/gen.json")
"$ROT" flatplan "$TMP/gen/issue.yaml" -o "$TMP/gfp.pdf" --quiet
pdftotext -layout "$TMP/gfp.pdf" "$TMP/gfp.txt"
check "flatplan: jumps shown, in the edition's language (suite p. $jto)" grep -q "suite p. $jto" "$TMP/gfp.txt"
# its tints lie over the pages' thumbnails, translucent (the thumbnails show
# through them): an ExtGState with a fill opacity under 1, used
qpdf --qdf --object-streams=disable "$TMP/gfp.pdf" "$TMP/gfp-q.pdf"
check "flatplan: the sections' tints are translucent over the thumbnails" \
  bash -c "grep -aq '/ca 0\.[0-9]' '$TMP/gfp-q.pdf' && grep -aq '^/RtA[0-9]* gs' '$TMP/gfp-q.pdf'"
check "flatplan without -o is a usage error" bash -c "'$ROT' flatplan '$ED' 2>/dev/null; test \$? = 2"

# watch mode: a change on disk rebuilds; a broken input keeps the last good PDF
W="$TMP/mini"
"$ROT" watch "$W/issue.yaml" -o "$TMP/w.pdf" --builds 3 2> "$TMP/watch.txt" &
wpid=$!
wait_for() { # wait_for 'pattern' count: until the log shows it count times
  for _ in $(seq 1 1200); do
    [ "$(grep -c "$1" "$TMP/watch.txt")" -ge "$2" ] && return 0
    sleep 0.1
  done
  return 1
}
check "watch: first build" wait_for 'watching for changes (build 1)' 1
check "watch: first PDF written" test -s "$TMP/w.pdf"
sleep 0.3
sed -i 's/^Le /Zyxwvu le /' "$W/articles/b.md"
grep -q Zyxwvu "$W/articles/b.md" || sed -i '0,/^[A-Z]/s/^\([A-Z]\)/Zyxwvu \1/' "$W/articles/b.md"
check "watch: a saved article triggers a rebuild" wait_for 'watching for changes (build 2)' 1
check "watch: the rebuilt PDF has the new text" bash -c "pdftotext '$TMP/w.pdf' - | grep -q Zyxwvu"
# the rebuild reuses the fonts, shaped words and paragraphs of the first
# build (rt_build_keep): its PDF is the one a fresh build of the same files writes
"$ROT" build "$W/issue.yaml" -o "$TMP/w-fresh.pdf" --quiet 2> /dev/null
check "watch: the rebuild after an edit is byte-identical to a fresh build" cmp "$TMP/w.pdf" "$TMP/w-fresh.pdf"
cp "$TMP/w.pdf" "$TMP/w-good.pdf"
sleep 0.3
printf 'title: [unclosed\n' > "$W/articles/b.md.new" && mv "$W/articles/b.md.new" "$W/articles/b.md"
check "watch: a broken file is reported" wait_for 'the last good PDF is kept' 1
check "watch: the last good PDF is kept" cmp -s "$TMP/w.pdf" "$TMP/w-good.pdf"
wait $wpid
check "watch: --builds 3 stops after three builds" test $? = 1

# watch keeps the fonts it embedded and the pages' operators it compressed:
# after a one-word edit in one story, the rebuild subsets no font again and
# compresses again only the pages whose operators changed, and its PDF is
# the one a fresh build writes (--stats says what was kept)
# watch_once EDITION OUT.pdf LOG 'EDIT' [options...]: a watch of two builds,
# EDIT run (eval) between them; its stdout in LOG.out
watch_once() {
  local ed=$1 out=$2 log=$3 edit=$4 pid
  shift 4
  "$ROT" watch "$ed" -o "$out" "$@" --builds 2 > "$log.out" 2> "$log" &
  pid=$!
  for _ in $(seq 1 1200); do grep -q 'changes (build 1)' "$log" && break; sleep 0.1; done
  sleep 0.3
  eval "$edit"
  for _ in $(seq 1 1200); do grep -q 'changes (build 2)' "$log" && break; sleep 0.1; done
  wait $pid
}
S="$TMP/sample-watch"
cp -R issues/2026-05 "$S"
watch_once "$S/issue.yaml" "$TMP/s.pdf" "$TMP/sw.txt" "sed -i '0,/ la / s/ la / la toute /' '$S/articles/12-chili.md'" --stats
"$ROT" build "$S/issue.yaml" -o "$TMP/s-fresh.pdf" --quiet 2> /dev/null
grep 'kept from the builds before' "$TMP/sw.txt.out" | tail -1 > "$TMP/kept.txt"
check "watch: after a one-word edit, every font kept ($(cat "$TMP/kept.txt"))" \
  awk '{exit !($6 > 0 && $6 == $8)}' "$TMP/kept.txt"
check "  ... and some pages' operators, not all" awk '{exit !($11 > 0 && $11 < $13)}' "$TMP/kept.txt"
check "  ... the first build kept nothing" \
  bash -c "grep 'kept from the builds before' '$TMP/sw.txt.out' | head -1 | grep -q ': 0 of [0-9]* fonts subset, 0 of'"
check "  ... and the rebuild is byte-identical to a fresh build" cmp "$TMP/s.pdf" "$TMP/s-fresh.pdf"

# a paragraph with a drop cap is kept with its initial: after its first word
# changes (and with it the initial), the rebuild is a fresh build's PDF
watch_once "$S/issue.yaml" "$TMP/d.pdf" "$TMP/dw.txt" \
  "sed -i '0,/^Aux élections communales/ s/^Aux élections communales/Lors des élections communales/' '$S/articles/13-analyse-extreme-droite.md'"
"$ROT" build "$S/issue.yaml" -o "$TMP/d-fresh.pdf" --quiet 2> /dev/null
check "watch: a drop cap's paragraph edited (its initial changed): the new words in the PDF" \
  bash -c "pdftotext '$TMP/d.pdf' - | tr '\n' ' ' | grep -q 'Lors des élections communales'"
check "  ... and the rebuild is byte-identical to a fresh build" cmp "$TMP/d.pdf" "$TMP/d-fresh.pdf"

# watch keeps the page searches of the build before (a search is a function
# of the stories waiting, the page and the layout): after each of three
# edits (a sentence added, a headline changed, a word inserted), the PDF is
# the one a watch that keeps none writes (RT_NO_KEPT_SEARCHES=1), and the
# rebuilds take some of their searches from the build before
edit_seq() { # edit_seq DIR OUT [env...]: watch DIR through the edits, a PDF per build in OUT
  local dir=$1 out=$2; shift 2
  rm -rf "$dir" "$out"; mkdir -p "$out"; cp -R issues/2026-05 "$dir"
  env "$@" "$ROT" watch "$dir/issue.yaml" -o "$dir/w.pdf" --quiet --stats --builds 4 > "$out/stats" 2> "$out/log" &
  local pid=$! i
  local edits=("sed -i '\$ s/\$/ Une phrase de plus./' '$dir/articles/12-chili.md'"
               "sed -i '0,/^title: \"/s/^title: \"/title: \"Nouveau : /' '$dir/articles/07-salaires.md'"
               "sed -i '0,/ la / s/ la / la toute /' '$dir/articles/01-pensions.md'")
  for i in 1 2 3; do
    for _ in $(seq 1 1200); do grep -q "changes (build $i)" "$out/log" && break; sleep 0.1; done
    cp "$dir/w.pdf" "$out/b$i.pdf"
    sleep 0.3
    eval "${edits[$((i - 1))]}"
  done
  wait $pid
  cp "$dir/w.pdf" "$out/b4.pdf"
}
edit_seq "$TMP/ks" "$TMP/ks-out" RT_KEPT=1
edit_seq "$TMP/kn" "$TMP/kn-out" RT_NO_KEPT_SEARCHES=1
same=0
for i in 1 2 3 4; do cmp -s "$TMP/ks-out/b$i.pdf" "$TMP/kn-out/b$i.pdf" && same=$((same + 1)); done
kept=$(sed -n 's/.*, \([0-9]*\) of \([0-9]*\) page searches$/\1 \2/p' "$TMP/ks-out/stats" | tail -2 | tr '\n' ' ')
check "watch: the page searches of the build before kept ($kept)" \
  bash -c "echo '$kept' | awk '{exit !(\$1 > 0 && \$1 < \$2 && \$3 > 0 && \$3 < \$4)}'"
check "  ... and after each of three edits the PDF a watch keeping none writes ($same of 4 the same)" test "$same" = 4
check "  ... and the edits show (the last PDF not the first)" bash -c "! cmp -s '$TMP/ks-out/b1.pdf' '$TMP/ks-out/b4.pdf'"
check "  ... a watch keeping none keeps none" bash -c "grep -q ', 0 of 0 page searches' '$TMP/kn-out/stats' && ! grep -q ', [1-9][0-9]* of [0-9]* page searches' '$TMP/kn-out/stats'"

# watch keeps typeset paragraphs by their style too: after the layout's body
# font changes, the rebuild is the PDF a fresh build writes
L="$TMP/minilay"
cp -R tests/e2e/fixtures/mini "$L"
cp layouts/tabloid.yaml "$L/lay.yaml"
sed -i 's/^layout: tabloid$/layout: lay.yaml/' "$L/issue.yaml"
watch_once "$L/issue.yaml" "$TMP/l.pdf" "$TMP/lay.txt" \
  "cp '$TMP/l.pdf' '$TMP/l-first.pdf'; sed -i 's/^\\(  body: *{font:\\) Liberation Serif/\\1 EB Garamond/' '$L/lay.yaml'"
"$ROT" build "$L/issue.yaml" -o "$TMP/l-fresh.pdf" --quiet 2> /dev/null
check "watch: the body font changed in the layout" grep -q 'body: *{font: EB Garamond' "$L/lay.yaml"
check "watch: the rebuild after a layout change is byte-identical to a fresh build" cmp "$TMP/l.pdf" "$TMP/l-fresh.pdf"
check "  ... and not the first build's PDF (the change shows)" bash -c "! cmp -s '$TMP/l.pdf' '$TMP/l-first.pdf'"

# watch mode keeps stories where they were: after a one-line edit, fewer
# stories change page than in a fresh build of the same files (seed 7), and
# never many more (seed 22: the count of pages flipped on a few cells of one
# gap, and 20 stories moved where a fresh build moves none)
moved() { jq -n --slurpfile a "$1" --slurpfile b "$2" '[range(0; $a[0].articles | length) as $i | select($i != 9 and $a[0].articles[$i].first_page != $b[0].articles[$i].first_page)] | length'; }
stable() { # stable SEED: sets mw (stories moved in watch) and mf (in a fresh build)
  local S="$TMP/stable-$1"
  bash tests/e2e/fixtures/gen-edition.sh "$S" 28 "$1" > /dev/null
  RT_PLAN_DEBUG=1 "$ROT" watch "$S/issue.yaml" -o "$S.pdf" --report "$S-1.json" --builds 2 2> "$S.txt" &
  local spid=$!
  # generous waits: a 28-article build takes seconds under ASan on a busy machine
  for _ in $(seq 1 1800); do grep -q 'changes (build 1)' "$S.txt" && break; sleep 0.1; done
  cp "$S-1.json" "$S-first.json"
  sleep 0.3
  printf '\nUne phrase de plus, pour voir ce qui bouge quand un article gagne une ligne ou deux.\n' >> "$S/articles/a10.md"
  for _ in $(seq 1 1800); do grep -q 'changes (build 2)' "$S.txt" && break; sleep 0.1; done
  wait $spid
  "$ROT" build "$S/issue.yaml" -o "$S-fresh.pdf" --report "$S-fresh.json" --quiet 2> /dev/null
  mw=$(moved "$S-first.json" "$S-1.json") mf=$(moved "$S-first.json" "$S-fresh.json")
  # page counts tried (RT_PLAN_DEBUG's "count:" lines) by the first build and the rebuild
  c1=$(sed -n '1,/changes (build 1)/p' "$S.txt" | grep -c '^count: ')
  c2=$(sed -n '/changes (build 1)/,$p' "$S.txt" | grep -c '^count: ')
}
stable 7
check "watch: after a one-line edit $mw stories change page (a fresh build: $mf)" test "$mw" -lt "$mf"
stable 22
check "watch: after a one-line edit $mw stories change page, a fresh build $mf (seed 22)" test "$mw" -le $((mf + 2))
# ... and where the last build's page count still holds, the rebuild plans
# that count alone (seed 7: the edit pushed a story onto a fifth page, all
# counts were tried again)
check "watch: the rebuild plans the last build's page count alone ($c2 tried; the first build $c1)" \
  test "$c1" -gt 1 -a "$c2" -eq 1
