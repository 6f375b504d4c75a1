# GitHub Flavored Markdown as it comes from other projects (issue 14):
# tests/gfm/ holds articles modelled on a README, a budget report, results
# and meeting notes, with tables, footnotes, strikethrough, autolinks,
# nested emphasis, entities, hard breaks and escaped markup. Checks that
# every word prints in order, that no markup character from the sources
# reaches the PDF unless it was escaped there, that tables print as tables
# (columns on one baseline per row, figures aligned on their decimal sign,
# the header repeated where a table continues), the located errors, the
# list-item warning, addresses never hyphenated, and the drop-cap lines.
. "$(dirname "$0")/lib.sh"
ED=tests/gfm/issue.yaml
PDF=$TMP/gfm.pdf

check "the GFM edition builds" "$ROT" build "$ED" -o "$PDF" --report "$TMP/gfm.json"
[ -f "$PDF" ] || { fail "no PDF written"; exit 0; }
pdftotext -raw -enc UTF-8 "$PDF" "$TMP/gfm.txt"
check "every word of every article (table cells and notes too), in order" \
  "$TOOLS/wordcheck" "$ED" "$TMP/gfm.txt"

# Markup characters: the PDF has exactly as many as the sources escape.
src=$(cat tests/gfm/articles/*.md)
count() { grep -oF -- "$1" | wc -l; }
for pair in '|:\|' '[^:\[^' '~~:\~~' '**:\*\*' '`:\`' '__:\_\_' '---:\-\-\-'; do
  seq=${pair%%:*} esc=${pair#*:}
  want=$(printf '%s' "$src" | count "$esc")
  got=$(count "$seq" < "$TMP/gfm.txt")
  check "'$seq' in the PDF only where the source escapes it ($got, escaped $want)" test "$got" = "$want"
done

# Tables as tables: a row's cells on one baseline, left to right; figures
# aligned on their decimal sign (en: '.'), whole numbers on the same line.
pdftotext -bbox "$PDF" "$TMP/gfm.html"
word() { # word TEXT FIELD (xMin=2, yMin=4, xMax=6) of its first occurrence
  awk -F'"' -v w="$1" -v f="$2" '/<word /{t=$0; sub(/.*">/, "", t); sub(/<.*/, "", t); if (t == w) {print $f; exit}}' "$TMP/gfm.html"
}
y1=$(word Operating 4) y2=$(word Version 4) y3=$(word Architecture 4) y4=$(word Status 4)
check "table header: one baseline ($y1 $y2 $y3 $y4)" test "$y1" = "$y2" -a "$y2" = "$y3" -a "$y3" = "$y4"
x1=$(word Operating 2) x2=$(word Version 2) x3=$(word Architecture 2) x4=$(word Status 2)
check "table header: columns left to right" awk -v a="$x1" -v b="$x2" -v c="$x3" -v d="$x4" 'BEGIN{exit !(a < b && b < c && c < d)}'
d1=$(word 24.04 6) d2=$(word 3.20 6)
# the whole number in the same column: the first "40" after "24.04" (the
# next row of the table; another "40" elsewhere on the page may be nearer)
whole=$(awk -F'"' '/<word /{t=$0; sub(/.*">/, "", t); sub(/<.*/, "", t); if (t == "24.04") seen = 1; else if (seen && t == "40") {print $6; exit}}' "$TMP/gfm.html")
check "figures aligned on the decimal sign (24.04 ends at $d1, 3.20 at $d2)" awk -v a="$d1" -v b="$d2" 'BEGIN{exit !(a - b < 0.3 && b - a < 0.3)}'
check "a whole number ends at the decimal sign, not at the column's edge ($whole < $d1)" awk -v a="$whole" -v b="$d1" 'BEGIN{exit !(b - a > 5)}'
# the budget table: wherever its rows are, a header row heads their column
heads=$(awk -F'"' '/<word /{t=$0; sub(/.*">/, "", t); sub(/<.*/, "", t); if (t == "Poste") printf "%.0f ", $2}' "$TMP/gfm.html")
rows=$(awk -F'"' '/<word /{t=$0; sub(/.*">/, "", t); sub(/<.*/, "", t); if (t == "Personnel" || t == "CPAS" || t == "Dette" || t == "Fonctionnement" || t == "Enseignement") printf "%.0f ", $2}' "$TMP/gfm.html")
check "every column of a table's rows starts with its header (headers at x $heads; rows at x $rows)" \
  bash -c 'for r in $2; do case " $1 " in *" $r "*) ;; *) exit 1;; esac; done' _ "$heads" "$rows"
# a table wider than a column lies across the block: the 7-column one
w=$(awk -F'"' '/<word /{t=$0; sub(/.*">/, "", t); sub(/<.*/, "", t); if (t == "Projet") a=$2; if (t == "dossier") b=$6} END{print b - a}' "$TMP/gfm.html")
check "a table wider than a column spans the block ($w pt)" awk -v w="$w" 'BEGIN{exit !(w > 300)}'
check "footnotes: the notes print at the end (1 and 2 of the budget)" grep -q "Sans l’indexation des salaires" "$TMP/gfm.txt"
check "strikethrough: struck words print, without tildes" grep -q "une réduction de l’endettement" "$TMP/gfm.txt"
check "an autolinked address prints once" test "$(grep -o 'dev@example.org' "$TMP/gfm.txt" | wc -l)" = 1
check "e-mail address not hyphenated (breaks only after @ . /)" \
  bash -c "! grep -qE '(^|[^a-z])ka-$' '$TMP/gfm.txt' && grep -q 'kazachstan@' '$TMP/gfm.txt'"
check "same input, byte-identical PDF" bash -c "'$ROT' build '$ED' -o '$TMP/again.pdf' --quiet 2>/dev/null && cmp '$PDF' '$TMP/again.pdf'"

# Dutch on A4: ragged list items with long compounds no longer claim their
# spaces are too wide (they are never stretched); an address is never
# hyphenated.
"$ROT" build tests/gfm/nl.yaml -o "$TMP/nl.pdf" > "$TMP/nl.out" 2>&1
check "list items: no contradictory 'spaces under 2x (widest 1.00x)' warning" bash -c "! grep -q 'widest 1.00x' '$TMP/nl.out'"
pdftotext -raw -enc UTF-8 "$TMP/nl.pdf" "$TMP/nl.txt"
check "nl: a compound wider than the list's measure is hyphenated" grep -q "werknemersvertegenwoordigings-" "$TMP/nl.txt"
check "nl: the address keeps its letters together" bash -c "grep -q 'kazachstan@' '$TMP/nl.txt' && ! grep -qE '^zachstan|-zachstan' '$TMP/nl.txt'"

# Drop caps (issue 14, point 10): the lines beside the initial are no looser
# than most of the paper's.
"$ROT" build issues/2026-05/issue.yaml -o "$TMP/s.pdf" --report "$TMP/s.json" --quiet 2>/dev/null
worst=$(jq '[.articles[].typography.drop_cap_space_ratio_max // empty] | max' "$TMP/s.json")
n=$(jq '[.articles[].typography.drop_cap_space_ratio_max // empty] | length' "$TMP/s.json")
check "sample: $n drop caps, lines beside them at most 1.35x (widest $worst)" \
  awk -v w="$worst" -v n="$n" 'BEGIN{exit !(n >= 1 && w <= 1.35)}'

# Located errors, and a message's profile.
FIX=tests/e2e/fixtures/mini
k=0
err() { # err NAME FILE 'EXPECTED' < content of FILE
  local name=$1 file=$2 expect=$3
  k=$((k + 1))
  local dir="$TMP/case$k"
  cp -r "$FIX" "$dir"
  cat > "$dir/$file"
  (cd "$dir" && "$ROT" check issue.yaml > out.txt 2>&1; echo $? > code)
  if [ "$(cat "$dir/code")" = 1 ] && grep -qF -- "$expect" "$dir/out.txt"; then
    pass "error: $name"
  else
    fail "error: $name (exit $(cat "$dir/code"); expected: $expect)"
    sed 's/^/       /' "$dir/out.txt" | head -8
  fi
}
err "a table too wide for the page" articles/b.md "articles/b.md:6:1: error: this table is too wide for the page" <<'EOF'
---
title: "Large"
---
Texte.

| Anticonstitutionnellement | Intergouvernementalisation | Déconstitutionnalisation | Internationalisation | Institutionnalisation | Professionnalisation | Départementalisation | Incompréhensibilités | Recommandations | Réglementations | Collectivisations | Nationalisations | Désindustrialisation | Électrifications | Réorganisations | Décentralisations |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
| a | b | c | d | e | f | g | h | i | j | k | l | m | n | o | p |
EOF
err "a footnote with no definition" articles/b.md "articles/b.md:4:17: error: footnote [^source] has no definition" <<'EOF'
---
title: "Note"
---
Un chiffre cité[^source] sans sa note.
EOF
err "strong emphasis never closed" articles/b.md "articles/b.md:5:9: error: '**' that opens no strong emphasis" <<'EOF'
---
title: "Gras"
---
Un paragraphe correct.
Puis un **mot qui ne ferme pas.
EOF
err "a table in a supporter message" messages/m1.yaml "messages/m1.yaml:3:3: error: a table is not allowed in a supporter message" <<'EOF'
from: "Section de Liège"
text: |
  | a | b |
  |---|---|
  | 1 | 2 |
format: "1/8"
contact: "x@example.org"
payment: {amount: 55, reference: "T-1", status: paid}
EOF
err "strikethrough in a supporter message" messages/m1.yaml "messages/m1.yaml:3:9: error: strikethrough is not allowed in a supporter message" <<'EOF'
from: "Section de Liège"
text: |
  Merci ~~pas~~ à tous.
format: "1/8"
contact: "x@example.org"
payment: {amount: 55, reference: "T-1", status: paid}
EOF
cat > "$TMP/msg.yaml" <<'EOF'
from: "Section de Liège"
text: "Écrivez-nous : contact@example.org ou www.example.org."
format: "1/8"
contact: "x@example.org"
payment: {amount: 55, reference: "T-2", status: paid}
EOF
check "a supporter's address stays text (no autolink to refuse)" "$ROT" intake check "$TMP/msg.yaml"
