# The paper's own words follow the edition's `language` (jump lines, folios,
# "in this issue", message pages, house boxes, the flatplan), whatever each
# article's language; a layout may leave its words out (the built-in table,
# src/load/words.c) and an edition overrides them key by key.
. "$(dirname "$0")/lib.sh"
S=issues/2026-05
# the sample with every article in English
cp -r $S "$TMP/en"
without_reserve "$TMP/en" # its stories jump
for f in "$TMP"/en/articles/*.md; do sed -i '1a language: en' "$f"; done
"$ROT" build "$TMP/en/issue.yaml" -o "$TMP/en.pdf" --quiet 2> "$TMP/en.err"
check "French edition of English articles builds" test $? = 0
pdftotext -enc UTF-8 "$TMP/en.pdf" "$TMP/en.txt"
check "  ... its jump lines are French" grep -q 'Suite en page [0-9]' "$TMP/en.txt"
check "  ... and their continuations" grep -q 'Suite de la page [0-9]' "$TMP/en.txt"
check "  ... its related boxes are French" grep -qi 'Pour en savoir plus' "$TMP/en.txt"
check "  ... no English word of the paper" bash -c "! grep -nE 'Continued (on|from) page|Further reading|In this issue|They support us|In brief' '$TMP/en.txt'"

# the same articles in a Dutch edition on the same (bilingual) layout
cp -r "$TMP/en" "$TMP/nl"
sed -i 's/^language: fr/language: nl/' "$TMP/nl/issue.yaml"
"$ROT" build "$TMP/nl/issue.yaml" -o "$TMP/nl.pdf" --quiet 2> "$TMP/nl.err"
check "Dutch edition of English articles builds" test $? = 0
pdftotext -enc UTF-8 "$TMP/nl.pdf" "$TMP/nl.txt"
check "  ... jump lines in Dutch" grep -q 'Lees verder op pagina [0-9]' "$TMP/nl.txt"
check "  ... continuations in Dutch" grep -q 'Vervolg van pagina [0-9]' "$TMP/nl.txt"
check "  ... folios in Dutch" grep -q 'Pagina [0-9]' "$TMP/nl.txt"
check "  ... message pages titled in Dutch" grep -q 'Zij steunen ons' "$TMP/nl.txt"
check "  ... related boxes in Dutch" grep -qi 'Meer weten' "$TMP/nl.txt"
check "  ... no French or English word of the paper" bash -c "! grep -nE 'Suite (en|de la) page|Continued|Pour en savoir|Further reading|Ils nous soutiennent|Dans ce num|In this issue|^Page [0-9]' '$TMP/nl.txt'"
"$ROT" flatplan "$TMP/nl/issue.yaml" -o "$TMP/nl-fp.pdf" 2> /dev/null
pdftotext -enc UTF-8 "$TMP/nl-fp.pdf" "$TMP/nl-fp.txt"
check "flatplan of a Dutch edition: its page count in Dutch" grep -qE "[0-9]+ pagina.s" "$TMP/nl-fp.txt"
check "  ... message pages in Dutch" grep -qE 'BOODSCHAPPEN' "$TMP/nl-fp.txt"
check "  ... jumps in Dutch" grep -qE 'verder p\. [0-9]' "$TMP/nl-fp.txt"
check "  ... no English label" bash -c "! grep -nE 'MESSAGES|cont\. p\.|[0-9] pages' '$TMP/nl-fp.txt'"
# (the French edition of English articles: its stories jump, the sample's need not)
"$ROT" flatplan "$TMP/en/issue.yaml" -o "$TMP/fr-fp.pdf" 2> /dev/null
pdftotext -enc UTF-8 "$TMP/fr-fp.pdf" "$TMP/fr-fp.txt"
check "flatplan of a French edition: labels in French" bash -c "grep -qE 'suite p\. [0-9]' '$TMP/fr-fp.txt' && grep -qE '[0-9]+ pages' '$TMP/fr-fp.txt' && ! grep -q 'cont\. p\.' '$TMP/fr-fp.txt'"

# a layout without words: the built-in table
mkdir -p "$TMP/lay"
sed '/^words:/,/^messages:/{/^messages:/!d}' layouts/tabloid.yaml > "$TMP/lay/bare.yaml"
check "  (the test layout has no words)" bash -c "! grep -q 'continued_on' '$TMP/lay/bare.yaml'"
cp -r "$TMP/en" "$TMP/bare"
sed -i "s|^layout: tabloid|layout: $TMP/lay/bare.yaml|; s/^language: fr/language: nl/" "$TMP/bare/issue.yaml"
"$ROT" build "$TMP/bare/issue.yaml" -o "$TMP/bare.pdf" --quiet 2> "$TMP/bare.err"
check "a layout without words builds" test $? = 0
pdftotext -enc UTF-8 "$TMP/bare.pdf" "$TMP/bare.txt"
check "  ... with the built-in Dutch words" bash -c "grep -q 'Lees verder op pagina' '$TMP/bare.txt' && grep -q 'Steun ons' '$TMP/bare.txt'"

# the edition's own words over the layout's (on the edition whose stories jump)
cp -r "$TMP/en" "$TMP/own"
cat >> "$TMP/own/issue.yaml" <<'YAML'
words:
  support_call: "Votre message dans notre numéro de juin : écrivez-nous avant le 20 !"
  continued_on: "Lire la suite page %d"
  messages_title: "Ils nous soutiennent à 100%"
YAML
"$ROT" build "$TMP/own/issue.yaml" -o "$TMP/own.pdf" --quiet 2> "$TMP/own.err"
check "edition words: builds" test $? = 0
pdftotext -enc UTF-8 "$TMP/own.pdf" "$TMP/own.txt"
check "  ... its call for messages printed" grep -q 'numéro de juin' "$TMP/own.txt"
check "  ... the layout's call gone" bash -c "! grep -q 'édition de mai' '$TMP/own.txt'"
check "  ... a % sign in a word without a number prints as itself" bash -c "grep -q 'soutiennent à 100%' '$TMP/own.txt' && ! grep -q '100%%' '$TMP/own.txt'"
check "  ... its jump lines" grep -q 'Lire la suite page [0-9]' "$TMP/own.txt"
printf 'words:\n  continued_on: "Suite %%s"\n  jump: "x"\n' >> "$TMP/en/issue.yaml"
"$ROT" check "$TMP/en/issue.yaml" 2> "$TMP/bad.err"
check "edition words: a wrong format is a located error" bash -c "test $? = 1 && grep -q \"issue.yaml:[0-9]*:[0-9]*: error: 'continued_on' must contain exactly one %d\" '$TMP/bad.err'"
check "  ... an unknown key too" grep -q "issue.yaml:[0-9]*:[0-9]*: error: unknown key 'jump'" "$TMP/bad.err"
