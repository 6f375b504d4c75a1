# What rotative reads (issue 11, inputs): every case runs the real program
# (`check`, `build`, `intake check`) on a copy of the small fixture edition
# with one thing broken, and expects exit 1 (2 for an unreadable edition)
# with the error at its exact path:line:col. Characters no one should
# print (noncharacters, surrogates, controls, bidirectional overrides,
# NUL), absurd layouts, images that do not decode whole, the same article
# listed twice however written, and files that are not regular files.
. "$(dirname "$0")/lib.sh"
FIX=tests/e2e/fixtures/mini
n=0

# fresh: a new copy of the fixture in $dir
fresh() {
  n=$((n + 1))
  dir="$TMP/in$n"
  cp -r "$FIX" "$dir"
}

# expect NAME CODE 'path:line:col: error: text' COMMAND... (run in $dir)
expect() {
  local name=$1 want_code=$2 want=$3
  shift 3
  (cd "$dir" && timeout 60 "$@" > out.txt 2>&1; echo $? > code)
  local code
  code=$(cat "$dir/code")
  if [ "$code" = "$want_code" ] && { [ -z "$want" ] || grep -qF -- "$want" "$dir/out.txt"; }; then
    pass "input: $name"
  else
    fail "input: $name (exit $code, want $want_code; expected: $want)"
    sed 's/^/       /' "$dir/out.txt" | head -8
  fi
}

# the same, for `rotative check issue.yaml`
check_err() { expect "$1" 1 "$2" "$ROT" check issue.yaml; }

# a layout for the edition: tabloid with sed expressions applied
layout() {
  sed "$@" layouts/tabloid.yaml > "$dir/my.yaml"
  sed -i 's/^layout: tabloid/layout: my.yaml/' "$dir/issue.yaml"
}

article() { printf -- "$1" > "$dir/articles/b.md"; }
# the line of the shipped tabloid layout that matches a pattern
tline() { grep -n -m1 -e "$1" layouts/tabloid.yaml | cut -d: -f1; }
message() { printf -- "$1" > "$dir/messages/m1.yaml"; }
MSG_TAIL='format: "1/16"\ncontact: "x@example.org"\npayment: {amount: 30, reference: "R-1", status: paid}\n'

# ---------------------------------------------------------- characters
fresh; article '---\ntitle: "Une brève"\n---\nUn texte avec un \xef\xb7\x90 en plein milieu.\n'
check_err "noncharacter U+FDD0 in an article body" "articles/b.md:4:18: error: noncharacter U+FDD0 in text"
expect "  ... and build refuses it" 1 "articles/b.md:4:18: error: noncharacter U+FDD0" "$ROT" build issue.yaml -o out.pdf
check "  ... and writes no PDF" test ! -e "$dir/out.pdf"

fresh; article '---\ntitle: "Une brève \xf0\x9f\xbf\xbe"\n---\nDu texte.\n'
check_err "noncharacter U+1FFFE in front matter" "articles/b.md:2:19: error: noncharacter U+1FFFE in text"

fresh; article '---\ntitle: "Une brève \\uFFFF"\n---\nDu texte.\n'
check_err "noncharacter written as a YAML escape" "articles/b.md:2:19: error: noncharacter U+FFFF in text (written '\\uFFFF'"

fresh; article '---\ntitle: "Une brève"\n---\nPremière ligne du paragraphe,\nla suite &#xFDEF; ici.\n'
check_err "noncharacter written as a character reference, 2nd line of a paragraph" "articles/b.md:5:10: error: noncharacter U+FDEF in the text (written as a character reference"

# cmark-gfm writes these two as the single bytes 0xFE, 0xFF (not UTF-8):
# the composition's decoder read past the text (found by fuzz_build)
fresh; article '---\ntitle: "Une brève"\n---\nDu texte &#65534; et &#xFFFF; ici.\n'
check_err "U+FFFE written as a character reference" "articles/b.md:4:10: error: noncharacter U+FFFE in the text (written as a character reference"
check "  ... U+FFFF too" grep -qF "articles/b.md:4:22: error: noncharacter U+FFFF in the text (written as a character reference" "$dir/out.txt"

fresh; article '---\ntitle: "Une brève"\n---\nPremière ligne,\npuis \x1b et &#x202E; ici.\n'
check_err "control character located at its column, not the paragraph's" "articles/b.md:5:6: error: control character U+001B in text"
check "  ... the override after it too" grep -qF "articles/b.md:5:11: error: invisible formatting character U+202E in the text (written as a character reference" "$dir/out.txt"

fresh; article '---\ntitle: "Une brève"\n---\nDu texte [un lien](https://example.org/&#x7f;) ici.\n'
check_err "control character in a link address (printed with links: inline)" "articles/b.md:4:40: error: control character U+007F in a link's address"

fresh; article '---\ntitle: "Une brève"\n---\nUn surrogat \xed\xa0\x80 encodé.\n'
check_err "surrogate encoded in UTF-8" "articles/b.md:4:13: error: invalid UTF-8: surrogate U+D800 encoded in UTF-8"

fresh; article '---\ntitle: "Une brève"\n---\nAvant le NUL \x00 et après.\n\nUn second paragraphe.\n'
check_err "NUL byte in an article (it used to drop the rest)" "articles/b.md:4:14: error: NUL byte (U+0000) in the file"

fresh; sed -i 's/^paper: "La Gazette d.essai"/paper: "La Gazette \xef\xbf\xbe"/' "$dir/issue.yaml"
check_err "noncharacter in the edition file" "issue.yaml:2:20: error: noncharacter U+FFFE in text"

fresh; layout 's/support_call: "Soutenez-nous : placez/support_call: "Soutenez-nous \xef\xbf\xbf : placez/'
check_err "noncharacter in a layout's words" "my.yaml:$(tline 'support_call: "Soutenez-nous : placez'):34: error: noncharacter U+FFFF in text"

fresh; layout 's/^    "1\/16": {columns: 1/    "1\/16\\uFDD5": {columns: 1/'
check_err "noncharacter in a rate name (a key, printed on the rate card)" "my.yaml:$(tline '^    "1/16": {columns: 1'):10: error: noncharacter U+FDD5 in text (written '\\uFDD5'"

fresh; message "from: \"Section\"\ntext: |\n  Merci \xef\xbf\xbe beaucoup.\n$MSG_TAIL"
expect "intake: noncharacter in a message text" 1 "messages/m1.yaml:3:9: error: noncharacter U+FFFE in text" "$ROT" intake check messages/m1.yaml
check_err "  ... and in the edition" "messages/m1.yaml:3:9: error: noncharacter U+FFFE in text"
expect "  ... and build refuses it" 1 "messages/m1.yaml:3:9: error: noncharacter U+FFFE" "$ROT" build issue.yaml -o out.pdf

fresh; message "from: \"Section \\\\uFDD0\"\ntext: \"Merci.\"\n$MSG_TAIL"
expect "intake: noncharacter escaped in 'from'" 1 "messages/m1.yaml:1:16: error: noncharacter U+FDD0 in text (written '\\uFDD0'" "$ROT" intake check messages/m1.yaml

fresh; message "from: \"Section\"\ntext: |\n  Merci.\n\n  Vraiment &#xFDD0; merci.\n$MSG_TAIL"
expect "intake: noncharacter as a character reference, column inside the text block" 1 "messages/m1.yaml:5:12: error: noncharacter U+FDD0 in the text (written as a character reference" "$ROT" intake check messages/m1.yaml

fresh; message "# Commentaire \xf4\x8f\xbf\xbf\nfrom: \"Section\"\ntext: \"Merci.\"\n$MSG_TAIL"
expect "intake: noncharacter U+10FFFF anywhere, even in a comment" 1 "messages/m1.yaml:1:15: error: noncharacter U+10FFFF in text" "$ROT" intake check messages/m1.yaml

fresh; message "from: \"Section\"\ntext: \"Merci.\"\nformat: \"1/16\"\ncontact: \"x\xe2\x80\xa8@example.org\"\npayment: {amount: 30, reference: \"R-1\", status: paid}\n"
expect "intake: line separator in 'contact' (never printed, still refused)" 1 "messages/m1.yaml:4:12: error: invisible formatting character U+2028 in text" "$ROT" intake check messages/m1.yaml

fresh; printf -- '\xef\xbb\xbf---\ntitle: "Une brève avec BOM"\n---\nDu texte.\n' > "$dir/articles/b.md"
printf '\xef\xbb\xbf' | cat - "$dir/issue.yaml" > "$dir/x" && mv "$dir/x" "$dir/issue.yaml"
printf '\xef\xbb\xbf' | cat - layouts/tabloid.yaml > "$dir/my.yaml" && sed -i 's/^layout: tabloid/layout: my.yaml/' "$dir/issue.yaml"
expect "a UTF-8 BOM before the front matter, the edition and the layout is accepted" 0 "" "$ROT" build issue.yaml -o out.pdf --quiet
check "  ... and the article is printed" sh -c "pdftotext '$dir/out.pdf' - | grep -q 'Une brève avec BOM'"

# ---------------------------------------------------------------- files
fresh; mkfifo "$dir/articles/fifo.md"; mkdir "$dir/articles/dossier.md"
head -c 10485760 /dev/zero | tr '\0' 'a' | cat <(printf -- '---\ntitle: "Long"\n---\n') - > "$dir/articles/long.md"
printf 'paper: "P"\nnumber: 7\ndate: 2026-05-01\nprice: 2\nlanguage: fr\nlayout: tabloid\narticles:\n  - articles/a.md\n  - /dev/zero\n  - articles/fifo.md\n  - articles/dossier.md\n  - articles/long.md\n' > "$dir/issue.yaml"
check_err "/dev/zero as an article" "issue.yaml:9:5: error: article '/dev/zero' cannot be read: it is a character device, not a regular file"
check "  ... a FIFO (never blocks)" grep -qF "issue.yaml:10:5: error: article 'articles/fifo.md' cannot be read: it is a named pipe (FIFO), not a regular file" "$dir/out.txt"
check "  ... a folder named .md" grep -qF "issue.yaml:11:5: error: article 'articles/dossier.md' cannot be read: it is a folder, not a regular file" "$dir/out.txt"
check "  ... a 10 MB article names the limit" grep -qF "articles/long.md: error: cannot read article: too large (10.0 MB; at most 4 MB)" "$dir/out.txt"

fresh; mkfifo "$dir/fifo.yaml"
expect "a FIFO as the edition file (never blocks)" 2 "fifo.yaml: error: cannot read edition file: it is a named pipe (FIFO), not a regular file" "$ROT" check fifo.yaml
mkfifo "$dir/messages/m2.yaml"
expect "a FIFO in the messages folder" 1 "messages/m2.yaml: error: cannot read message file: it is a named pipe (FIFO), not a regular file" "$ROT" intake check messages

fresh; ln -s a.md "$dir/articles/lien.md"
printf 'paper: "P"\nnumber: 7\ndate: 2026-05-01\nprice: 2\nlanguage: fr\nlayout: tabloid\nfront:\n  lead: ./articles/a.md\n  teasers: [articles/b.md, ./articles/../articles/b.md]\narticles:\n  - articles/a.md\n  - articles/b.md\n  - ./articles/a.md\n  - articles/../articles/a.md\n  - articles/lien.md\n' > "$dir/issue.yaml"
check_err "the same article as ./articles/a.md" "issue.yaml:13:5: error: article './articles/a.md' is already listed at line 11 (as 'articles/a.md': the same file)"
check "  ... as articles/../articles/a.md" grep -qF "issue.yaml:14:5: error: article 'articles/../articles/a.md' is already listed at line 11" "$dir/out.txt"
check "  ... through a symbolic link" grep -qF "issue.yaml:15:5: error: article 'articles/lien.md' is already listed at line 11" "$dir/out.txt"
check "  ... the same teaser twice" grep -qF "issue.yaml:9:28: error: teaser './articles/../articles/b.md' is already listed at line 9" "$dir/out.txt"
check "  ... a lead written otherwise is still the listed article" test "$(grep -c 'lead' "$dir/out.txt")" = 0
check "  ... exactly four errors" grep -q '^4 errors$' "$dir/out.txt"
printf 'paper: "P"\nnumber: 7\ndate: 2026-05-01\nprice: 2\nlanguage: fr\nlayout: tabloid\nfront:\n  lead: ./articles/b.md\narticles:\n  - articles/a.md\n  - articles/b.md\n' > "$dir/issue.yaml"
expect "a lead written ./articles/b.md leads" 0 "" "$ROT" build issue.yaml -o out.pdf --report r.json --quiet
check "  ... at the top of the front page" jq -e '.pages[0].blocks | min_by(.top_row) | .title == "Une brève"' "$dir/r.json"

# --------------------------------------------------------------- images
IMG="$TOOLS/mkimage"
fresh
"$IMG" png "$dir/images/bon.png" 400 300
"$IMG" png-short "$dir/images/court.png" 400 300
"$IMG" png-claim "$dir/images/geant.png" 10000 10000 100
"$IMG" jpeg "$dir/images/photo.jpg" 400 300
cp "$dir/images/photo.jpg" "$dir/images/photo.png"
cp "$dir/images/bon.png" "$dir/images/bon.jpg"
head -c 3000 "$dir/images/photo.jpg" > "$dir/images/coupe.jpg"
article '---\ntitle: "Images"\nimages:\n  - file: ../images/bon.png\n  - file: ../images/court.png\n  - file: ../images/geant.png\n  - {file: ../images/photo.png, caption: "x"}\n  - file: ../images/coupe.jpg\n  - file: ../images/bon.jpg\n  - file: ../images/photo.jpg\n---\nDu texte.\n'
check_err "PNG with a valid header and short pixel data" "articles/b.md:5:11: error: '../images/court.png' is truncated or damaged (PNG: Not enough image data)"
check "  ... a header claiming 10000 x 10000 with 100 bytes" grep -qF "articles/b.md:6:11: error: '../images/geant.png' is truncated or damaged (PNG: " "$dir/out.txt"
check "  ... a JPEG named .png" grep -qF "articles/b.md:7:12: error: '../images/photo.png' is a JPEG image, but its name ends in .png" "$dir/out.txt"
check "  ... a truncated JPEG" grep -qF "articles/b.md:8:11: error: '../images/coupe.jpg' is truncated or damaged (JPEG: Premature end of JPEG file)" "$dir/out.txt"
check "  ... a PNG named .jpg" grep -qF "articles/b.md:9:11: error: '../images/bon.jpg' is a PNG image, but its name does not end in .png" "$dir/out.txt"
check "  ... and nothing about the good ones" test "$(grep -c 'error' "$dir/out.txt")" = 6
# build leaves a PNG's decoding to the conversion (once, on a thread while
# the pages are made): the same errors, at the same places
expect "  ... build reports the same (the PNGs decoded after load stopped)" 1 "articles/b.md:5:11: error: '../images/court.png' is truncated or damaged (PNG: Not enough image data)" "$ROT" build issue.yaml -o out.pdf
check "  ... and the 10000 x 10000 one" grep -qF "articles/b.md:6:11: error: '../images/geant.png' is truncated or damaged (PNG: " "$dir/out.txt"
check "  ... the same six, no PDF" sh -c "test \$(grep -c error '$dir/out.txt') = 6 && test ! -e '$dir/out.pdf'"
article '---\ntitle: "Images"\nimages:\n  - file: ../images/bon.png\n  - file: ../images/court.png\n---\nDu texte.\n'
expect "a damaged PNG alone: build composes, then says where it is named" 1 "articles/b.md:5:11: error: '../images/court.png' is truncated or damaged (PNG: Not enough image data)" "$ROT" build issue.yaml -o out.pdf
check "  ... once, and no PDF" sh -c "test \$(grep -c 'court.png' '$dir/out.txt') = 1 && test ! -e '$dir/out.pdf'"
expect "  ... --jobs 1 (decoded by load) says the same" 1 "articles/b.md:5:11: error: '../images/court.png' is truncated or damaged (PNG: Not enough image data)" "$ROT" build issue.yaml -o out.pdf --jobs 1
expect "  ... --split too" 1 "articles/b.md:5:11: error: '../images/court.png' is truncated or damaged (PNG: Not enough image data)" "$ROT" build issue.yaml --split pages
check "  ... and writes no page" test -z "$(ls -A "$dir/pages" 2> /dev/null)"
# nothing left out unsaid: a strip of a picture (32 to 1) prints at its
# proportions, caption and all; an image an article cannot print (past 16)
# is an error at the line that names it (a warning with --allow-overset)
fresh
"$IMG" png "$dir/images/strip.png" 2048 64
article '---\ntitle: "Bandeau"\nimages:\n  - {file: ../images/strip.png, caption: "Un bandeau panoramique."}\n---\nDu texte sous le bandeau.\n'
expect "a picture 32 times as wide as tall: built" 0 "" "$ROT" build issue.yaml -o out.pdf
check "  ... and printed, with its caption" sh -c "pdfimages -list '$dir/out.pdf' | awk '\$4 == 2048 && \$5 == 64' | grep -q . && pdftotext '$dir/out.pdf' - | grep -q 'Un bandeau panoramique.'"
imgs=""; for i in $(seq 1 17); do "$IMG" png "$dir/images/p$i.png" 300 200; imgs="$imgs  - file: ../images/p$i.png\n"; done
article "---\ntitle: \"Album\"\nimages:\n$imgs---\nDu texte.\n"
expect "an article with 17 images: the 17th is named, not dropped" 1 "articles/b.md:20:5: error: image 'articles/../images/p17.png' is not printed: an article prints at most 16 images" "$ROT" build issue.yaml -o out.pdf
fresh; "$IMG" jpeg "$dir/messages/logo.png" 60 60
message "from: \"Section\"\ntext: \"Merci.\"\n${MSG_TAIL}logo: logo.png\n"
expect "intake: a logo that is a JPEG named .png" 1 "messages/m1.yaml:6:7: error: 'logo.png' is a JPEG image, but its name ends in .png" "$ROT" intake check messages/m1.yaml
"$IMG" png-claim "$dir/messages/logo.png" 3000 2000 100
expect "intake: a logo whose pixel data stops short" 1 "messages/m1.yaml:6:7: error: 'logo.png' is truncated or damaged (PNG: " "$ROT" intake check messages/m1.yaml

# -------------------------------------------------------------- layouts
fresh; layout 's/width: 289mm/width: 1e308mm/'
check_err "page width 1e308mm (crashed the finishing step)" "my.yaml:4:15: error: width '1e308mm' is too large to be a length"
expect "  ... build exits 1 and writes nothing" 1 "my.yaml:4:15: error:" "$ROT" build issue.yaml -o out.pdf
check "  ... no PDF" test ! -e "$dir/out.pdf"
fresh; layout 's/width: 289mm/width: 1e20mm/'
check_err "page width 1e20mm (gave null pages)" "my.yaml:4:15: error: page width 1e+20mm is over the PDF limit"
fresh; layout 's/height: 380mm/height: 5100mm/'
check_err "page height over the PDF limit (14,400 pt with the marks band)" "my.yaml:4:30: error: page height 5100mm is over the PDF limit: with the 12mm band of crop marks on each side (--marks), a page may be at most 5056.0mm"
fresh; layout 's/masthead: {height: 46mm}/masthead: {height: 400mm}/'
check_err "masthead taller than the page (gave a blank front page)" "my.yaml:16:20: error: masthead height 400.0mm leaves 0 of the front page's 91 rows for articles"
fresh; layout 's/masthead: {height: 46mm}/masthead: {height: 10mm}/'
check_err "masthead too short for its type" "my.yaml:16:20: error: masthead height 10.0mm is less than its type needs"
fresh; layout 's/inner: 12mm, outer: 12mm/inner: 150mm, outer: 150mm/'
check_err "margins wider than the page" "my.yaml:5:10: error: the inner and outer margins (300.0mm together) leave no room across the 289.0mm page"
fresh; layout 's/top: 12mm, bottom: 14mm/top: 200mm, bottom: 150mm/'
check_err "margins leave too few rows" "my.yaml:5:10: error: the text area (30.0mm high) holds 7 rows of the 11pt baseline: at least 20 are needed"
fresh; layout 's/count: 5, gutter: 4mm/count: 12, gutter: 4mm/'
check_err "columns and gutters do not fit the width" "my.yaml:6:10: error: 12 columns with 4.0mm gutters do not fit the 265.0mm between the margins: each column would be 18.4mm"
fresh; layout 's/size: 9pt, leading: 11pt, align: justify/size: 25pt, leading: 26pt, align: justify/; s/^baseline: 11pt/baseline: 26pt/'
check_err "body type too large for the columns" "my.yaml:19:18: error: style 'body': 25pt type is too large for 49.8mm columns"
fresh; layout 's/lead_headline: {font: PT Sans Narrow, weight: bold, size: 48pt, leading: 48pt/lead_headline: {font: PT Sans Narrow, weight: bold, size: 48pt, leading: 200pt/'
check_err "leading more than 3 times the size" "my.yaml:21:76: error: leading (200pt) is more than 3 times the size (48pt)"
fresh; layout 's/bleed: 3mm/bleed: 9mm/'
check_err "bleed wider than the marks allow" "my.yaml:4:44: error: bleed 9.0mm is too wide: at most 5mm"
fresh; layout 's/rules: {width: 0.5pt/rules: {width: 0pt/'
check_err "rule width 0 (does not print)" "my.yaml:8:16: error: rule width must be between 0.1pt and 4pt, not 0pt"
fresh; layout 's/rules: {width: 0.5pt/rules: {width: 0.15pt/'
expect "rule width under what newsprint holds: a warning, the edition still checks" 0 "my.yaml:8:16: warning: rule width 0.15pt is under 0.25pt, the thinnest line most newsprint presses hold" "$ROT" check issue.yaml
expect "  ... and builds" 0 "my.yaml:8:16: warning: rule width 0.15pt" "$ROT" build issue.yaml -o out.pdf
fresh; layout 's/red: \[0, 95, 90, 5\]/red: [100, 95, 90, 5]/'
check_err "colour over the ink limit" "my.yaml:12:3: error: colour 'red' has 290% total ink, over the ink limit (240%, print.ink_limit)"
# black and a rich black have the same sRGB stand-in (the previews'): the
# PDF, written in the layout's inks, prints each as itself (the rules in
# rich black, the text in black, which overprints)
fresh; layout 's/  grey: \[0, 0, 0, 55\]/  grey: [0, 0, 0, 55]\n  rich: [30, 0, 0, 100]/; s/^rules: {width: 0.5pt, color: black}/rules: {width: 0.5pt, color: rich}/'
expect "black and rich black (the same stand-in): the edition builds" 0 "" "$ROT" build issue.yaml -o out.pdf
check "  ... the rules print in rich black, the text in black" bash -c "cd '$dir' && qpdf --qdf --object-streams=disable out.pdf q.pdf && grep -aq '^0.3 0 0 1 K\$' q.pdf && grep -aq '^0 g\$' q.pdf"
fresh; layout 's/grid: {columns: 4, rows: 4}/grid: {columns: 12, rows: 24}/'
check_err "message modules too small" "my.yaml:$(tline '^  grid: {columns: 4, rows: 4}'):9: error: the message grid (12 x 24) makes modules of 18.4 x 9.5mm: too small"
fresh; layout 's/^  caption: /  captoin: /'
check_err "misspelt style name (read past the list of names before)" "my.yaml:$(tline '^  caption: '):3: error: unknown key 'captoin' in 'styles' (did you mean 'caption'?)"
fresh; layout 's/width: 289mm/width: 0mm/; s/height: 380mm/height: 1e20mm/; s/bleed: 3mm/bleed: 50mm/; s/^baseline: 11pt/baseline: 2pt/; s/rules: {width: 0.5pt/rules: {width: 9pt/; s/red: \[0, 95, 90, 5\]/red: [100, 100, 90, 5]/; s/masthead: {height: 46mm}/masthead: {height: 0mm}/; s/size: 26pt, leading: 27pt/size: 500pt, leading: 27pt/'
check_err "eight layout problems at once: every one reported" "my.yaml:4:15: error: page width must be more than 0"
located=$(grep -cE '^my\.yaml:[0-9]+:[0-9]+: error: ' "$dir/out.txt")
check "  ... eight located errors ($located)" test "$located" = 8
