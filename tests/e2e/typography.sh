# Typography targets (issue: 50 mm, 9/11 pt French prose), read from the
# engine's own statistics (--stats) on the test edition and the sample:
# no overfull line; space ratio p95 <= 1.5; no line above 2x except in
# paragraphs reported as having no feasible breaks; at most 2 consecutive
# hyphenated lines; at most 30 hyphenated lines per 100; no widow or orphan.
. "$(dirname "$0")/lib.sh"
for ed in tests/typo/issue.yaml issues/2026-05/issue.yaml; do
  "$ROT" build "$ed" -o "$TMP/t.pdf" --stats > "$TMP/stats.txt" 2> "$TMP/err.txt"
  read -r lines max p95 mean o15 o2 over hyph run widow orph < <(awk '/^ALL/{print $2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12}' "$TMP/stats.txt")
  reported=$(grep -c "no line breaks keep this paragraph's spaces under 2x" "$TMP/err.txt")
  infeasible=$(awk '/had no feasible breaks/{print $1}' "$TMP/stats.txt")
  elsewhere=$(awk -F': ' '/^lines above 2x outside/{print $2}' "$TMP/stats.txt")
  name=$(basename "$(dirname "$ed")")
  check "$name: typeset ($lines lines)" test "${lines:-0}" -gt 100
  check "$name: no overfull line ($over)" test "$over" = 0
  check "$name: space ratio p95 <= 1.5 ($p95)" awk -v v="$p95" 'BEGIN{exit !(v <= 1.5)}'
  check "$name: lines above 2x ($o2) only in paragraphs with no feasible breaks" test "$elsewhere" = 0
  check "$name: each such paragraph reported with its position ($reported)" test "$reported" = "${infeasible:-0}"
  check "$name: at most 2 consecutive hyphens ($run)" test "$run" -le 2
  check "$name: at most 30 hyphenated lines per 100 ($hyph)" awk -v v="$hyph" 'BEGIN{exit !(v <= 30)}'
  check "$name: no widow ($widow) and no orphan ($orph)" test "$widow$orph" = 00
  check "$name: the table is UTF-8, its columns aligned (titles cut at a character)" bash -c \
    "iconv -f UTF-8 -t UTF-8 '$TMP/stats.txt' > /dev/null && test \$(grep -E '[0-9]+ +[0-9]+\$' '$TMP/stats.txt' | while IFS= read -r l; do printf '%s' \"\$l\" | LC_ALL=C.UTF-8 wc -m; done | sort -u | wc -l) = 1"
done
# Pango's greedy justification of the same text is far looser (the reference)
pg=$("$TOOLS/pango_greedy" tests/typo/issue.yaml | awk '/^Pango/{print $7}')
ours=$(awk '/^ALL/{print $4}' <("$ROT" build tests/typo/issue.yaml -o "$TMP/t.pdf" --stats 2>/dev/null))
check "Pango greedy p95 ($pg) is worse than ours ($ours)" awk -v a="$pg" -v b="$ours" 'BEGIN{exit !(a > b)}'
