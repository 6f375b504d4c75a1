# The sample edition: builds, page count, trim size, fonts embedded, every
# word of every article and message present in reading order, nothing
# outside the page, reproducible.
. "$(dirname "$0")/lib.sh"
ED=issues/2026-05/issue.yaml
PDF=$TMP/sample.pdf

check "sample edition builds" "$ROT" build "$ED" -o "$PDF" --quiet
[ -f "$PDF" ] || { fail "no PDF written"; exit 0; }
pages=$(pdfinfo "$PDF" | awk '/^Pages:/{print $2}')
check "at least 12 pages ($pages)" test "$pages" -ge 12
size=$(pdfinfo "$PDF" | awk '/^Page size:/{printf "%.1f x %.1f", $3, $5}')
check "tabloid trim size 289 x 380 mm ($size pt)" test "$size" = "819.2 x 1077.2"
check "every font embedded" bash -c "pdffonts '$PDF' | awk 'NR>2 && \$(NF-4)!=\"yes\"{bad=1; print} END{exit bad}'"
check "only the vendored fonts" bash -c "pdffonts '$PDF' | awk 'NR>2 && \$1 !~ /(PT(Serif|Sans)|LiberationSerif|EBGaramond)/{bad=1; print} END{exit bad}'"
pdftotext -raw -enc UTF-8 "$PDF" "$TMP/sample.txt"
check "every word of every article and message, in order" "$TOOLS/wordcheck" "$ED" "$TMP/sample.txt"
check "no text outside the page" bash -c "pdftotext -bbox '$PDF' - | awk -F'\"' '/<page /{w=\$2; h=\$4} /<word /{if (\$2<0||\$4<0||\$6>w||\$8>h){print; bad=1}} END{exit bad}'"
"$ROT" build "$ED" -o "$TMP/again.pdf" --quiet
check "same input, byte-identical PDF" cmp "$PDF" "$TMP/again.pdf"
check "check command passes on the sample" "$ROT" check "$ED"
