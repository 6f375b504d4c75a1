# Print-ready output: PDF/X-1a by default and PDF/X-4 on request pass
# rotative's preflight and qpdf --check; crafted bad PDFs fail preflight with
# the right messages; Ghostscript's separations show text and rules on the
# black plate only and total ink within the limit; crop marks sit outside
# the bleed.
. "$(dirname "$0")/lib.sh"
# seps PDF NAME: page 1's separations at 30 dpi (Ghostscript), measured by
# sepcheck: "C pixels% max% M ... K ... TAC max%"
seps() {
  gs -q -dNOPAUSE -dBATCH -sDEVICE=tiffsep -sCompression=none -r30 -dFirstPage=1 -dLastPage=1 \
     -sOutputFile="$TMP/$2.tif" "$1" 2>/dev/null
  "$TOOLS/sepcheck" "$TMP/$2"
}
ED=issues/2026-05/issue.yaml

"$ROT" build "$ED" -o "$TMP/x1a.pdf" --quiet 2>/dev/null
"$ROT" preflight "$TMP/x1a.pdf" > "$TMP/pf1.txt"
check "sample as PDF/X-1a passes preflight" test $? = 0
check "  ... version 1.3, PDF/X-1:2001" bash -c "pdfinfo '$TMP/x1a.pdf' | grep -q 'PDF version: *1.3' && pdfinfo '$TMP/x1a.pdf' | grep -q 'PDF subtype: *PDF/X-1:2001'"
check "  ... qpdf --check is clean" qpdf --check "$TMP/x1a.pdf"
"$ROT" build "$ED" -o "$TMP/x4.pdf" --pdfx x4 --quiet 2>/dev/null
check "sample as PDF/X-4 passes preflight" "$ROT" preflight "$TMP/x4.pdf" --standard x4
check "  ... qpdf --check is clean" qpdf --check "$TMP/x4.pdf"
check "a PDF/X-4 file is not PDF/X-1a (version, XMP only)" bash -c "! '$ROT' preflight '$TMP/x4.pdf' --standard x1a >/dev/null"

# crafted files: one good, one per fault
bash tests/pdf/make-bad-pdfs.sh "$TMP/bad"
check "crafted: a conforming file passes" "$ROT" preflight "$TMP/bad/good.pdf"
expect_fail() { # expect_fail FILE 'text in the report'
  "$ROT" preflight "$TMP/bad/$1.pdf" > "$TMP/$1.txt"
  local code=$?
  if [ "$code" = 1 ] && grep -qF -- "$2" "$TMP/$1.txt"; then pass "crafted: $1 fails: $2"
  else fail "crafted: $1 (exit $code; expected: $2)"; sed 's/^/       /' "$TMP/$1.txt"; fi
}
expect_fail rgb-text "page 1: DeviceRGB fill colour (rg) in a content stream"
expect_fail no-trimbox "page 1: no TrimBox"
expect_fail font-not-embedded "page 1: font /F1 (/Helvetica) is not embedded"
expect_fail transparency "page 1: graphics state /G1 has /ca 0.50 (transparency)"
expect_fail ink-over-limit "page 1: fill colour 1 1 1 1 is 400% total ink"
expect_fail box-overhang "page 1: the BleedBox [0 0 819.2126 1077.1654] is not inside the MediaBox [0 0 819.212598 1077.165354]"
expect_fail box-overhang "page 1: the TrimBox [0 0 819.2126 1077.1654] is not inside the MediaBox"
expect_fail rgb-group "page 1: the page group blends in RGB (/Group /CS /DeviceRGB)"
check "crafted: rgb-group fails PDF/X-4 too" bash -c "'$ROT' preflight '$TMP/bad/rgb-group.pdf' --standard x4 | grep -qF 'page 1: the page group blends in RGB'"
expect_fail interpolate "an image has /Interpolate true"
check "an unreadable file: exit 2" bash -c "'$ROT' preflight '$ED' >/dev/null; test \$? = 2"

# separations: total ink within 240 % on every page of the sample
pages=$(pdfinfo "$TMP/x1a.pdf" | awk '/^Pages:/{print $2}')
gs -q -dNOPAUSE -dBATCH -sDEVICE=tiffsep -sCompression=none -r30 \
   -sOutputFile="$TMP/sep%02d.tif" "$TMP/x1a.pdf" 2>/dev/null
worst=0
for i in $(seq -w 1 "$pages"); do
  t=$("$TOOLS/sepcheck" "$TMP/sep$i" | awk '{print $NF}')
  [ "${t:-999}" -gt "$worst" ] && worst=$t
done
check "separations: total ink at most 240% on every page (worst $worst%)" test "$worst" -le 240

# text and rules print on the black plate only: an edition with no colour
mkdir -p "$TMP/k"
sed -e 's/^accent: red/accent: black/' -e 's/color: red/color: black/g' layouts/tabloid.yaml > "$TMP/k/k.yaml"
cp issues/2026-05/articles/03-sncb.md issues/2026-05/articles/05-bref-greve.md "$TMP/k/"
printf 'paper: "K"\nnumber: 1\ndate: 2026-05-01\nprice: 1\nlanguage: fr\nlayout: k.yaml\narticles: [03-sncb.md, 05-bref-greve.md]\n' > "$TMP/k/issue.yaml"
"$ROT" build "$TMP/k/issue.yaml" -o "$TMP/k.pdf" --quiet 2>/dev/null
gs -q -dNOPAUSE -dBATCH -sDEVICE=tiffsep -sCompression=none -r50 -dFirstPage=2 -dLastPage=2 \
   -sOutputFile="$TMP/ksep.tif" "$TMP/k.pdf" 2>/dev/null
read -r _ c _ _ m _ _ y _ _ k _ _ _ < <("$TOOLS/sepcheck" "$TMP/ksep")
check "separations: body text on the black plate only (C $c% M $m% Y $y% of pixels, K $k%)" \
  awk -v c="$c" -v m="$m" -v y="$y" -v k="$k" 'BEGIN{exit !(c == 0 && m == 0 && y == 0 && k > 1)}'
check "black text overprints (ExtGState /OP true)" bash -c "qpdf --qdf --object-streams=disable '$TMP/k.pdf' - 2>/dev/null | grep -aq '/OP true'"

# the print variant: crop marks and slug outside the bleed, boxes nested
"$ROT" build "$ED" -o "$TMP/marks.pdf" --marks --quiet 2>/dev/null
check "--marks: passes preflight (TrimBox in BleedBox in MediaBox)" "$ROT" preflight "$TMP/marks.pdf"
size=$(pdfinfo "$TMP/marks.pdf" | awk '/^Page size:/{printf "%.1f x %.1f", $3, $5}')
check "--marks: the MediaBox is the trim plus 12 mm a side ($size pt)" test "$size" = "887.2 x 1145.2"
check "--marks: slug line outside the trim" bash -c "pdftotext -f 1 -l 1 -y 1120 -H 30 -W 900 -x 0 '$TMP/marks.pdf' - | grep -q 'Le Drapeau Rouge — N° 412 — Page 1'"

# an Adobe CMYK JPEG (inverted inks) prints with its true colours: /Decode
mkdir -p "$TMP/j/images"
"$TOOLS/mkcmykjpeg" "$TMP/j/images/cyan.jpg" 1600 1000 100 0 0 0
printf -- '---\ntitle: "Image CMJN"\nimages:\n  - file: images/cyan.jpg\n    caption: "Cyan pur."\n---\nUn texte court pour accompagner une image en quadrichromie.\n' > "$TMP/j/a.md"
sed -e 's/^accent: red/accent: black/' -e 's/color: red/color: black/g' layouts/tabloid.yaml > "$TMP/j/k.yaml"
printf 'paper: "J"\nnumber: 1\ndate: 2026-05-01\nprice: 1\nlanguage: fr\nlayout: k.yaml\narticles: [a.md, a2.md]\n' > "$TMP/j/issue.yaml"
printf -- '---\ntitle: "Suite"\n---\nTexte.\n' > "$TMP/j/a2.md"
"$ROT" build "$TMP/j/issue.yaml" -o "$TMP/j.pdf" --quiet 2>/dev/null
check "CMYK JPEG: built and passes preflight" "$ROT" preflight "$TMP/j.pdf"
check "CMYK JPEG: the Adobe inversion is declared (/Decode)" bash -c "qpdf --qdf --object-streams=disable '$TMP/j.pdf' - 2>/dev/null | grep -aB15 -A15 '/DCTDecode' | tr -s ' \n' ' ' | grep -q '/Decode \[ 1 0 1 0 1 0 1 0 \]'"
read -r _ _ cmax _ _ mmax _ _ ymax _ _ _ _ _ < <(seps "$TMP/j.pdf" jsep)
check "CMYK JPEG: prints cyan (C max $cmax%, M max $mmax%, Y max $ymax%)" \
  awk -v c="$cmax" -v m="$mmax" -v y="$ymax" 'BEGIN{exit !(c >= 95 && m == 0 && y == 0)}'
cobj=$(pdfimages -list "$TMP/j.pdf" 2> /dev/null | awk '$4 == 1600 && $5 == 1000 {print $11; exit}')
qpdf --show-object="$cobj" --raw-stream-data "$TMP/j.pdf" > "$TMP/j/raw.jpg" 2> /dev/null
check "  ... within the ink limit: the file's own bytes, untouched" cmp "$TMP/j/images/cyan.jpg" "$TMP/j/raw.jpg"
# a CMYK JPEG past the ink limit (100/90/90/100, 380 %): its inks lowered as
# an RGB photo's are (black kept, the chromatic inks in proportion), written
# as a plain CMYK JPEG again; cached; in grey, a grey JPEG
"$TOOLS/mkcmykjpeg" "$TMP/j/images/cyan.jpg" 1600 1000 100 90 90 100
"$ROT" build "$TMP/j/issue.yaml" -o "$TMP/jo.pdf" --quiet --no-cache 2> /dev/null
check "CMYK JPEG at 380 % total ink: built, and passes preflight (total ink within 240 %)" "$ROT" preflight "$TMP/jo.pdf"
read -r ckind cobj < <(pdfimages -list "$TMP/jo.pdf" 2> /dev/null | awk '$4 == 1600 && $5 == 1000 {print $6 "-" $9, $11; exit}')
qpdf --show-object="$cobj" --raw-stream-data "$TMP/jo.pdf" > "$TMP/j/raw.jpg" 2> /dev/null
check "  ... a CMYK JPEG again ($ckind), without the Adobe marker or /Decode" bash -c "test '$ckind' = cmyk-jpeg && ! grep -qa Adobe '$TMP/j/raw.jpg' && ! qpdf --show-object=$cobj '$TMP/jo.pdf' | grep -q '/Decode '"
read -r _ _ cmax _ _ _ _ _ _ _ _ kmax _ tac < <(seps "$TMP/jo.pdf" josep)
check "  ... black kept, cyan lowered (C max $cmax%, K max $kmax%, total $tac%)" \
  awk -v c="$cmax" -v k="$kmax" -v t="$tac" 'BEGIN{exit !(k >= 99 && c >= 40 && c <= 52 && t <= 240)}'
"$ROT" build "$TMP/j/issue.yaml" -o "$TMP/jo1.pdf" --quiet --cache "$TMP/j/cache" 2> /dev/null
"$ROT" build "$TMP/j/issue.yaml" -o "$TMP/jo2.pdf" --quiet --cache "$TMP/j/cache" --stats 2> /dev/null | grep '^image cache' > "$TMP/j/stats"
check "  ... cached, then read: the same PDF as without the cache ($(cat "$TMP/j/stats"))" \
  sh -c "grep -q '^image cache: 1 read, 0 converted' '$TMP/j/stats' && cmp '$TMP/jo.pdf' '$TMP/jo1.pdf' && cmp '$TMP/jo.pdf' '$TMP/jo2.pdf'"
sed -e 's/^print: {ink_limit: 240, images: cmyk}/print: {ink_limit: 240, images: grey}/' "$TMP/j/k.yaml" > "$TMP/j/g.yaml"
sed 's/^layout: k.yaml/layout: g.yaml/' "$TMP/j/issue.yaml" > "$TMP/j/gi.yaml"
"$ROT" build "$TMP/j/gi.yaml" -o "$TMP/jg.pdf" --quiet --no-cache 2> /dev/null
gkind=$(pdfimages -list "$TMP/jg.pdf" 2> /dev/null | awk '$4 == 1600 && $5 == 1000 {print $6 "-" $9; exit}')
check "  ... in grey: a grey JPEG ($gkind), and the PDF passes preflight" sh -c "test '$gkind' = gray-jpeg && '$ROT' preflight '$TMP/jg.pdf' > /dev/null"
# a CMYK JPEG separated for another press (its ICC profile, here
# Ghostscript's ps_cmyk, not the output profile): converted to the output
# profile, black-only colours kept on the black plate; one that carries the
# output profile itself stays as it is
ICC=/usr/share/color/icc/ghostscript
"$TOOLS/mkcmykjpeg" "$TMP/j/images/cyan.jpg" 1600 1000 100 0 0 0 "$ICC/ps_cmyk.icc"
"$ROT" build "$TMP/j/issue.yaml" -o "$TMP/jp.pdf" --quiet --no-cache 2> /dev/null
cobj=$(pdfimages -list "$TMP/jp.pdf" 2> /dev/null | awk '$4 == 1600 && $5 == 1000 {print $11; exit}')
qpdf --show-object="$cobj" --raw-stream-data "$TMP/jp.pdf" > "$TMP/j/raw.jpg" 2> /dev/null
read -r _ _ cmax _ _ _ _ ypx ymax _ _ _ _ _ < <(seps "$TMP/jp.pdf" jpsep)
check "CMYK JPEG with another press's profile: converted to the output profile (C max $cmax%, Y $ypx% of pixels)" \
  sh -c "! cmp -s '$TMP/j/images/cyan.jpg' '$TMP/j/raw.jpg' && awk -v c='$cmax' -v y='$ypx' 'BEGIN{exit !(c >= 60 && c < 98 && y > 0)}' && '$ROT' preflight '$TMP/jp.pdf' > /dev/null"
"$TOOLS/mkcmykjpeg" "$TMP/j/images/cyan.jpg" 1600 1000 0 0 0 70 "$ICC/ps_cmyk.icc"
"$ROT" build "$TMP/j/issue.yaml" -o "$TMP/jp.pdf" --quiet --no-cache 2> /dev/null
read -r _ _ c _ _ m _ _ y _ _ k _ _ _ < <(seps "$TMP/jp.pdf" jpsep)
check "  ... a black-only one stays on the black plate (C $c% M $m% Y $y% max, K $k%)" \
  awk -v c="$c" -v m="$m" -v y="$y" -v k="$k" 'BEGIN{exit !(c == 0 && m == 0 && y == 0 && k > 0)}'
"$TOOLS/mkcmykjpeg" "$TMP/j/images/cyan.jpg" 1600 1000 100 0 0 0 "$ICC/default_rgb.icc"
"$ROT" check "$TMP/j/issue.yaml" > "$TMP/j/check.txt" 2>&1
check "  ... one carrying an RGB profile: a warning at its line, its inks taken as made for this press" \
  grep -qF "a.md:4:11: warning: 'images/cyan.jpg' carries an ICC profile for RGB colours, not CMYK: its inks are taken as made for this press" "$TMP/j/check.txt"
"$TOOLS/mkcmykjpeg" "$TMP/j/images/cyan.jpg" 1600 1000 100 0 0 0 "$ICC/default_cmyk.icc"
"$ROT" build "$TMP/j/issue.yaml" -o "$TMP/jp.pdf" --quiet --no-cache 2> /dev/null
cobj=$(pdfimages -list "$TMP/jp.pdf" 2> /dev/null | awk '$4 == 1600 && $5 == 1000 {print $11; exit}')
qpdf --show-object="$cobj" --raw-stream-data "$TMP/jp.pdf" > "$TMP/j/raw.jpg" 2> /dev/null
check "  ... one carrying the output profile itself: the file's own bytes" cmp "$TMP/j/images/cyan.jpg" "$TMP/j/raw.jpg"
# an APP14 "Adobe" marker too short for libjpeg: the inks are plain, and the
# /Decode, the ink measure and the conversion all read it so (a reader that
# took the marker would print 400 % where the measure saw none)
MKCMYKJPEG_SHORT_ADOBE=1 "$TOOLS/mkcmykjpeg" "$TMP/j/images/cyan.jpg" 1600 1000 0 0 0 0
"$ROT" build "$TMP/j/issue.yaml" -o "$TMP/ja.pdf" --quiet --no-cache 2> /dev/null
cobj=$(pdfimages -list "$TMP/ja.pdf" 2> /dev/null | awk '$4 == 1600 && $5 == 1000 {print $11; exit}')
check "  ... a short Adobe marker: no /Decode, and the PDF passes preflight" \
  sh -c "! qpdf --show-object=$cobj '$TMP/ja.pdf' | grep -q '/Decode ' && '$ROT' preflight '$TMP/ja.pdf' > /dev/null"
"$ROT" build tests/e2e/fixtures/mini/issue.yaml -o "$TMP/lowres.pdf" 2> "$TMP/lowres.txt"
check "a low-resolution image is reported at its line" grep -q "articles/a.md:8:5: warning: image .* prints at [0-9]* ppi (under 200)" "$TMP/lowres.txt"

# layout choice: images in grey print on the black plate alone
sed -e 's/^print: {ink_limit: 240, images: cmyk}/print: {ink_limit: 240, images: grey}/' layouts/tabloid.yaml > "$TMP/grey.yaml"
sed -e 's/^layout: tabloid/layout: grey.yaml/' issues/2026-05/issue.yaml | sed -e 's#articles/#'"$PWD"'/issues/2026-05/articles/#; s#^messages: messages#messages: '"$PWD"'/issues/2026-05/messages#' > "$TMP/grey-issue.yaml"
"$ROT" build "$TMP/grey-issue.yaml" -o "$TMP/grey.pdf" --quiet 2>/dev/null
read -r _ c _ _ _ _ _ _ _ _ k _ _ _ < <(seps "$TMP/grey.pdf" gsep)
check "print: {images: grey}: the front-page photo uses no cyan (C $c%, K $k%)" \
  awk -v c="$c" -v k="$k" 'BEGIN{exit !(c == 0 && k > 5)}'

# photos: every pixel as lcms2 converts it alone (src/finish/images.c keeps a
# memo of converted colours; a picture of flat areas, a palette larger than
# the memo and noise must still come out pixel for pixel the transform's),
# the ink limit applied; on the image threads and with --jobs 1 alike
mkdir -p "$TMP/mx"
cp -R tests/e2e/fixtures/mini/. "$TMP/mx/"
"$TOOLS/mkimage" png-mixed "$TMP/mx/images/pic.png" 400 2400
sed -e 's/^print: {ink_limit: 240, images: cmyk}/print: {ink_limit: 220, images: cmyk}/' layouts/tabloid.yaml > "$TMP/mx/lay.yaml"
sed -i 's/^layout: tabloid$/layout: lay.yaml/' "$TMP/mx/issue.yaml"
"$TOOLS/cmykref" "$TMP/mx/images/pic.png" /usr/share/color/icc/ghostscript/default_cmyk.icc 220 "$TMP/mx/ref.cmyk"
for jobs in 2 1; do
  "$ROT" build "$TMP/mx/issue.yaml" -o "$TMP/mx/j$jobs.pdf" --quiet --no-cache --jobs "$jobs" 2> /dev/null
  obj=$(pdfimages -list "$TMP/mx/j$jobs.pdf" 2> /dev/null | awk '$4 == 400 && $5 == 2400 && $6 == "cmyk" {print $11; exit}')
  qpdf --show-object="$obj" --filtered-stream-data "$TMP/mx/j$jobs.pdf" > "$TMP/mx/j$jobs.cmyk" 2> /dev/null
  check "converted photo (--jobs $jobs): every pixel lcms2's, ink limit 220 % (object ${obj:-none})" \
    cmp "$TMP/mx/ref.cmyk" "$TMP/mx/j$jobs.cmyk"
done

# a photograph given as a JPEG: converted, then written as a JPEG again
# (src/finish/jpeg.c), its inks stored plainly (no Adobe marker, which
# readers take as inverted), the ink limit holding in the decoded pixels,
# each pixel near lcms2's own conversion; in grey, a grey JPEG; cached and
# read back to the same bytes
mkdir -p "$TMP/jq"
cp -R tests/e2e/fixtures/mini/. "$TMP/jq/"
"$TOOLS/mkimage" jpeg "$TMP/jq/images/photo.jpg" 1200 800
sed -i 's#\.\./images/pic\.png#../images/photo.jpg#' "$TMP/jq/articles/a.md"
"$ROT" build "$TMP/jq/issue.yaml" -o "$TMP/jq/j.pdf" --quiet --no-cache 2> /dev/null
jobj=$(pdfimages -list "$TMP/jq/j.pdf" 2> /dev/null | awk '$4 == 1200 && $5 == 800 {print $6, $9, $11; exit}')
check "JPEG photo: written as a CMYK JPEG ($jobj)" test "${jobj% *}" = "cmyk jpeg"
check "  ... the PDF passes preflight (total ink within 240 % as decoded)" "$ROT" preflight "$TMP/jq/j.pdf"
qpdf --show-object="${jobj##* }" --raw-stream-data "$TMP/jq/j.pdf" > "$TMP/jq/raw.jpg" 2> /dev/null
check "  ... no Adobe (APP14) marker: the inks are not to be inverted" bash -c "head -c 2 '$TMP/jq/raw.jpg' | od -An -tx1 | grep -q 'ff d8' && ! grep -qa Adobe '$TMP/jq/raw.jpg'"
qpdf --show-object="${jobj##* }" --filtered-stream-data --decode-level=all "$TMP/jq/j.pdf" > "$TMP/jq/j.cmyk" 2> /dev/null
read -r mean max < <("$TOOLS/cmykref" "$TMP/jq/images/photo.jpg" /usr/share/color/icc/ghostscript/default_cmyk.icc 240 "$TMP/jq/ref.cmyk" "$TMP/jq/j.cmyk" | sed 's/mean=\([^ ]*\) max=\(.*\)/\1 \2/')
check "  ... each ink near lcms2's conversion (mean $mean, max $max of 255)" \
  awk -v m="$mean" -v x="$max" 'BEGIN{exit !(m != "-" && m < 3 && x < 48)}'
"$ROT" build "$TMP/jq/issue.yaml" -o "$TMP/jq/c1.pdf" --quiet --cache "$TMP/jq/cache" 2> /dev/null
"$ROT" build "$TMP/jq/issue.yaml" -o "$TMP/jq/c2.pdf" --quiet --cache "$TMP/jq/cache" --stats 2> /dev/null | grep '^image cache' > "$TMP/jq/stats"
check "  ... cached, then read: the same PDF as without the cache ($(cat "$TMP/jq/stats"))" \
  sh -c "grep -q '^image cache: 1 read, 0 converted' '$TMP/jq/stats' && cmp '$TMP/jq/j.pdf' '$TMP/jq/c1.pdf' && cmp '$TMP/jq/j.pdf' '$TMP/jq/c2.pdf'"
# where the JPEG's loss would keep its inks past the limit, try after try,
# the picture is deflated instead; its cache entry (under the JPEG's key)
# read back as Flate
ROTATIVE_FAULT=jpeg-ink "$ROT" build "$TMP/jq/issue.yaml" -o "$TMP/jq/f.pdf" --quiet --no-cache 2> /dev/null
fobj=$(pdfimages -list "$TMP/jq/f.pdf" 2> /dev/null | awk '$4 == 1200 && $5 == 800 {print $6, $9; exit}')
check "  ... a JPEG past the ink limit (ROTATIVE_FAULT=jpeg-ink): deflated instead ($fobj)" test "$fobj" = "cmyk image"
check "  ... that PDF passes preflight" "$ROT" preflight "$TMP/jq/f.pdf"
ROTATIVE_FAULT=jpeg-ink "$ROT" build "$TMP/jq/issue.yaml" -o "$TMP/jq/f1.pdf" --quiet --cache "$TMP/jq/fcache" 2> /dev/null
"$ROT" build "$TMP/jq/issue.yaml" -o "$TMP/jq/f2.pdf" --quiet --cache "$TMP/jq/fcache" 2> /dev/null
check "  ... its cache entry read back as the Flate stream it holds (the same PDF)" \
  sh -c "cmp '$TMP/jq/f.pdf' '$TMP/jq/f1.pdf' && cmp '$TMP/jq/f.pdf' '$TMP/jq/f2.pdf'"
sed -e 's/^print: {ink_limit: 240, images: cmyk}/print: {ink_limit: 240, images: grey}/' layouts/tabloid.yaml > "$TMP/jq/grey.yaml"
sed -i 's/^layout: tabloid$/layout: grey.yaml/' "$TMP/jq/issue.yaml"
"$ROT" build "$TMP/jq/issue.yaml" -o "$TMP/jq/g.pdf" --quiet --no-cache 2> /dev/null
gobj=$(pdfimages -list "$TMP/jq/g.pdf" 2> /dev/null | awk '$4 == 1200 && $5 == 800 {print $6, $9; exit}')
check "  ... in grey: a grey JPEG ($gobj)" test "$gobj" = "gray jpeg"

# a photograph's own colour profile (a camera's Adobe RGB, a phone's Display
# P3; here ROMM RGB, far wider than sRGB): converted from it, not as sRGB;
# a profile lcms2 cannot use as RGB (a grey one, garbage) is taken as sRGB
ICC=/usr/share/color/icc/ghostscript
mkdir -p "$TMP/ic"
cp -R tests/e2e/fixtures/mini/. "$TMP/ic/"
"$TOOLS/mkimage" png-icc "$TMP/ic/images/pic.png" 400 300 "$ICC/rommrgb.icc"
"$ROT" build "$TMP/ic/issue.yaml" -o "$TMP/ic/p.pdf" --quiet --no-cache 2> /dev/null
iobj=$(pdfimages -list "$TMP/ic/p.pdf" 2> /dev/null | awk '$4 == 400 && $5 == 300 {print $11; exit}')
qpdf --show-object="$iobj" --filtered-stream-data "$TMP/ic/p.pdf" > "$TMP/ic/p.cmyk" 2> /dev/null
CMYKREF_INPUT="$ICC/rommrgb.icc" "$TOOLS/cmykref" "$TMP/ic/images/pic.png" "$ICC/default_cmyk.icc" 240 "$TMP/ic/romm.cmyk"
"$TOOLS/cmykref" "$TMP/ic/images/pic.png" "$ICC/default_cmyk.icc" 240 "$TMP/ic/srgb.cmyk"
check "a PNG with an ICC profile (iCCP, ROMM RGB): every pixel lcms2's from that profile" \
  sh -c "cmp '$TMP/ic/romm.cmyk' '$TMP/ic/p.cmyk' && ! cmp -s '$TMP/ic/srgb.cmyk' '$TMP/ic/p.cmyk'"
"$TOOLS/mkimage" jpeg-icc "$TMP/ic/images/photo.jpg" 600 400 "$ICC/rommrgb.icc"
sed -i 's#\.\./images/pic\.png#../images/photo.jpg#' "$TMP/ic/articles/a.md"
"$ROT" build "$TMP/ic/issue.yaml" -o "$TMP/ic/j.pdf" --quiet --no-cache 2> /dev/null
iobj=$(pdfimages -list "$TMP/ic/j.pdf" 2> /dev/null | awk '$4 == 600 && $5 == 400 {print $11; exit}')
qpdf --show-object="$iobj" --filtered-stream-data --decode-level=all "$TMP/ic/j.pdf" > "$TMP/ic/j.cmyk" 2> /dev/null
read -r rm _ < <(CMYKREF_INPUT="$ICC/rommrgb.icc" "$TOOLS/cmykref" "$TMP/ic/images/photo.jpg" "$ICC/default_cmyk.icc" 240 "$TMP/ic/jr.cmyk" "$TMP/ic/j.cmyk" | sed 's/mean=\([^ ]*\) max=\(.*\)/\1 \2/')
read -r sm _ < <("$TOOLS/cmykref" "$TMP/ic/images/photo.jpg" "$ICC/default_cmyk.icc" 240 "$TMP/ic/js.cmyk" "$TMP/ic/j.cmyk" | sed 's/mean=\([^ ]*\) max=\(.*\)/\1 \2/')
check "  ... a JPEG with one (APP2): near that profile's conversion (mean $rm of 255), far from sRGB's ($sm)" \
  awk -v r="$rm" -v s="$sm" 'BEGIN{exit !(r != "" && r < 3 && s > 10)}'
check "  ... and passes preflight" "$ROT" preflight "$TMP/ic/j.pdf"
head -c 300 /dev/urandom > "$TMP/ic/junk.icc"
sed -i 's#\.\./images/photo\.jpg#../images/pic.png#' "$TMP/ic/articles/a.md"
"$TOOLS/mkimage" png-icc "$TMP/ic/images/pic.png" 400 300 "$ICC/srgb.icc"
"$ROT" build "$TMP/ic/issue.yaml" -o "$TMP/ic/s.pdf" --quiet --no-cache 2> /dev/null
iobj=$(pdfimages -list "$TMP/ic/s.pdf" 2> /dev/null | awk '$4 == 400 && $5 == 300 {print $11; exit}')
qpdf --show-object="$iobj" --filtered-stream-data "$TMP/ic/s.pdf" > "$TMP/ic/s.cmyk" 2> /dev/null
check "  ... an sRGB profile (what cameras embed): converted as an untagged picture is" cmp "$TMP/ic/srgb.cmyk" "$TMP/ic/s.cmyk"
for prof in "$ICC/sgray.icc" "$TMP/ic/junk.icc"; do
  "$TOOLS/mkimage" png-icc "$TMP/ic/images/pic.png" 400 300 "$prof"
  "$ROT" build "$TMP/ic/issue.yaml" -o "$TMP/ic/g.pdf" --no-cache > /dev/null 2> "$TMP/ic/g.err"
  code=$?
  case $prof in *sgray*) say="carries an ICC profile for GRAY colours, not RGB: its colours are taken as sRGB" ;;
    *) say="carries a damaged ICC profile (no profile header): its colours are taken as sRGB" ;; esac
  check "  ... $(basename "$prof"): a warning where the article names the picture" \
    grep -qF "articles/a.md:8:11: warning: '../images/pic.png' $say" "$TMP/ic/g.err"
  iobj=$(pdfimages -list "$TMP/ic/g.pdf" 2> /dev/null | awk '$4 == 400 && $5 == 300 {print $11; exit}')
  qpdf --show-object="$iobj" --filtered-stream-data "$TMP/ic/g.pdf" > "$TMP/ic/g.cmyk" 2> /dev/null
  check "  ... a profile that is not RGB ($(basename "$prof")): built (exit $code), taken as sRGB" \
    sh -c "test $code = 0 && cmp '$TMP/ic/srgb.cmyk' '$TMP/ic/g.cmyk'"
done

# grey pictures (a greyscale PNG or JPEG, or an RGB file whose pixels are
# all grey: a black-and-white photograph, a chart in greys) print on the
# black plate alone, each level as light as the CMYK conversion prints it
# on this press (tests/tools/greyref: the plain level, what the PDF took
# before, is 11 points off on newsprint); a picture with one colour stays CMYK
mkdir -p "$TMP/gy"
cp -R tests/e2e/fixtures/mini/. "$TMP/gy/"
for kind in png-grey png-neutral jpeg-grey jpeg-neutral; do
  case $kind in png*) f=pic.png ;; *) f=photo.jpg ;; esac
  "$TOOLS/mkimage" "$kind" "$TMP/gy/images/$f" 256 16
  sed -i "s#\.\./images/[a-z]*\.[a-z]*#../images/$f#" "$TMP/gy/articles/a.md"
  "$ROT" build "$TMP/gy/issue.yaml" -o "$TMP/gy/$kind.pdf" --quiet --no-cache 2> /dev/null
  read -r gk gobj < <(pdfimages -list "$TMP/gy/$kind.pdf" 2> /dev/null | awk '$4 == 256 && $5 == 16 {print $6 "-" $9, $11; exit}')
  qpdf --show-object="$gobj" --filtered-stream-data --decode-level=all "$TMP/gy/$kind.pdf" 2> /dev/null | head -c 256 > "$TMP/gy/$kind.raw"
  read -r off _ < <("$TOOLS/greyref" /usr/share/color/icc/ghostscript/default_cmyk.icc "$TMP/gy/$kind.raw" | sed 's/max=\([^ ]*\) at=\(.*\)/\1 \2/')
  want=gray-image; case $kind in jpeg*) want=gray-jpeg ;; esac
  check "a grey picture ($kind): on the black plate alone ($gk), its greys within $off points of the CMYK conversion's lightness" \
    sh -c "test '$gk' = '$want' && awk -v d='$off' 'BEGIN{exit !(d != \"\" && d < 4)}' && '$ROT' preflight '$TMP/gy/$kind.pdf' > /dev/null"
done
check "  ... the grey PNG and the grey RGB one print the same greys" cmp "$TMP/gy/png-grey.raw" "$TMP/gy/png-neutral.raw"
# ... their levels read through the profile the file carries: a grey RGB
# picture tagged ROMM RGB (its mid grey far lighter than sRGB's), a grey
# JPEG tagged with a grey profile (as Photoshop's dot gain profiles are)
for spec in "png-neutral pic.png rommrgb.icc" "jpeg-grey photo.jpg ps_gray.icc"; do
  set -- $spec
  "$TOOLS/mkimage" "$1" "$TMP/gy/images/$2" 256 16 "/usr/share/color/icc/ghostscript/$3"
  sed -i "s#\.\./images/[a-z]*\.[a-z]*#../images/$2#" "$TMP/gy/articles/a.md"
  "$ROT" build "$TMP/gy/issue.yaml" -o "$TMP/gy/t.pdf" --quiet --no-cache 2> /dev/null
  gobj=$(pdfimages -list "$TMP/gy/t.pdf" 2> /dev/null | awk '$4 == 256 && $5 == 16 {print $11; exit}')
  qpdf --show-object="$gobj" --filtered-stream-data --decode-level=all "$TMP/gy/t.pdf" 2> /dev/null | head -c 256 > "$TMP/gy/t.raw"
  read -r off _ < <(GREYREF_INPUT="/usr/share/color/icc/ghostscript/$3" "$TOOLS/greyref" /usr/share/color/icc/ghostscript/default_cmyk.icc "$TMP/gy/t.raw" | sed 's/max=\([^ ]*\) at=\(.*\)/\1 \2/')
  check "  ... $1 carrying $3: its greys within $off points of that profile's CMYK conversion" \
    sh -c "awk -v d='$off' 'BEGIN{exit !(d != \"\" && d < 4)}' && ! cmp -s '$TMP/gy/t.raw' '$TMP/gy/png-grey.raw'"
done
"$TOOLS/mkimage" png-neutral "$TMP/gy/images/pic.png" 256 16
sed -i "s#\.\./images/[a-z]*\.[a-z]*#../images/pic.png#" "$TMP/gy/articles/a.md"
"$ROT" build "$TMP/gy/issue.yaml" -o "$TMP/gy/c1.pdf" --quiet --cache "$TMP/gy/cache" 2> /dev/null
"$ROT" build "$TMP/gy/issue.yaml" -o "$TMP/gy/c2.pdf" --quiet --cache "$TMP/gy/cache" --stats 2> /dev/null | grep '^image cache' > "$TMP/gy/stats"
check "  ... cached as grey and read back: the same PDF as without the cache ($(cat "$TMP/gy/stats"))" \
  sh -c "grep -q '^image cache: 1 read, 0 converted, 0 rejected' '$TMP/gy/stats' && cmp '$TMP/gy/png-neutral.pdf' '$TMP/gy/c1.pdf' && cmp '$TMP/gy/png-neutral.pdf' '$TMP/gy/c2.pdf'"

# a JPEG far finer than its place needs: decoded smaller (in eighths of its
# size, by libjpeg) while it keeps 300 ppi; a coarse one is decoded whole
mkdir -p "$TMP/jd"
cp -R tests/e2e/fixtures/mini/. "$TMP/jd/"
"$TOOLS/mkimage" jpeg "$TMP/jd/images/photo.jpg" 4000 3000
sed -i 's#\.\./images/pic\.png#../images/photo.jpg#' "$TMP/jd/articles/a.md"
"$ROT" build "$TMP/jd/issue.yaml" -o "$TMP/jd/d.pdf" --quiet --no-cache 2> /dev/null
read -r dw dh dppi < <(pdfimages -list "$TMP/jd/d.pdf" 2> /dev/null | awk '$3 == "image" && $6 == "cmyk" {print $4, $5, $13; exit}')
check "a 4000 x 3000 JPEG placed at about 640 ppi: decoded at half its size ($dw x $dh, $dppi ppi)" \
  sh -c "test '$dw' = 2000 && test '$dh' = 1500 && test '$dppi' -ge 300"
check "  ... the PDF passes preflight" "$ROT" preflight "$TMP/jd/d.pdf"
"$TOOLS/mkimage" jpeg "$TMP/jd/images/photo.jpg" 1600 1200
"$ROT" build "$TMP/jd/issue.yaml" -o "$TMP/jd/w.pdf" --quiet --no-cache 2> /dev/null
read -r ww wh wppi < <(pdfimages -list "$TMP/jd/w.pdf" 2> /dev/null | awk '$3 == "image" && $6 == "cmyk" {print $4, $5, $13; exit}')
check "  ... one of 1600 x 1200 (about $wppi ppi, under 450) is decoded whole ($ww x $wh)" \
  sh -c "test '$ww' = 1600 && test '$wh' = 1200"

# a PNG far finer than its place needs: read smaller too (the mean of the
# file's pixels under each, tests/tools/shrinkref), a coarse one whole
mkdir -p "$TMP/pd"
cp -R tests/e2e/fixtures/mini/. "$TMP/pd/"
"$TOOLS/mkimage" png "$TMP/pd/images/pic.png" 4000 3000
"$ROT" build "$TMP/pd/issue.yaml" -o "$TMP/pd/d.pdf" --quiet --no-cache 2> /dev/null
read -r pw ph pppi < <(pdfimages -list "$TMP/pd/d.pdf" 2> /dev/null | awk '$3 == "image" && $6 == "cmyk" {print $4, $5, $13; exit}')
check "a 4000 x 3000 PNG placed at about 640 ppi: read at half its size ($pw x $ph, $pppi ppi)" \
  sh -c "test '$pw' = 2000 && test '$ph' = 1500 && test '$pppi' -ge 300"
check "  ... the PDF passes preflight" "$ROT" preflight "$TMP/pd/d.pdf"
"$ROT" build "$TMP/pd/issue.yaml" -o "$TMP/pd/d1.pdf" --quiet --no-cache --jobs 1 2> /dev/null
"$ROT" build "$TMP/pd/issue.yaml" -o "$TMP/pd/c1.pdf" --quiet --cache "$TMP/pd/cache" 2> /dev/null
"$ROT" build "$TMP/pd/issue.yaml" -o "$TMP/pd/c2.pdf" --quiet --cache "$TMP/pd/cache" 2> /dev/null
check "  ... the same bytes on one thread, and from the image cache" \
  sh -c "cmp '$TMP/pd/d.pdf' '$TMP/pd/d1.pdf' && cmp '$TMP/pd/d.pdf' '$TMP/pd/c1.pdf' && cmp '$TMP/pd/d.pdf' '$TMP/pd/c2.pdf'"
"$TOOLS/mkimage" png "$TMP/pd/images/pic.png" 1600 1200
"$ROT" build "$TMP/pd/issue.yaml" -o "$TMP/pd/w.pdf" --quiet --no-cache 2> /dev/null
read -r pw ph pppi < <(pdfimages -list "$TMP/pd/w.pdf" 2> /dev/null | awk '$3 == "image" && $6 == "cmyk" {print $4, $5, $13; exit}')
check "  ... one of 1600 x 1200 (about $pppi ppi, under 450) is read whole ($pw x $ph)" \
  sh -c "test '$pw' = 1600 && test '$ph' = 1200"
"$TOOLS/mkimage" png "$TMP/pd/grad.png" 1003 501
"$TOOLS/mkimage" png-mixed "$TMP/pd/noise.png" 333 219
bad=""
for e in 1 2 3 4 5 6 7; do
  for f in grad noise; do
    r=$("$TOOLS/shrinkref" "$TMP/pd/$f.png" $e) || bad="$bad $f@$e:size"
    awk -v r="${r#*max=}" 'BEGIN {exit !(r <= 0.5)}' || bad="$bad $f@$e:$r"
  done
done
check "  ... read at 1 to 7 eighths, a gradient and noise: each pixel the weighted mean, to the rounding (${bad:-every one})" test -z "$bad"

# a JPEG's EXIF orientation (phones store a portrait picture on its side):
# the picture prints as it shows, in the PDF and in the --png previews alike
for o in 1 3 6 8; do
  mkdir -p "$TMP/ex$o"
  cp -R tests/e2e/fixtures/mini/. "$TMP/ex$o/"
  "$TOOLS/mkimage" jpeg-exif "$TMP/ex$o/images/photo.jpg" 600 300 "$o"
  sed -i 's#\.\./images/pic\.png#../images/photo.jpg#' "$TMP/ex$o/articles/a.md"
  "$ROT" build "$TMP/ex$o/issue.yaml" -o "$TMP/ex$o/e.pdf" --quiet --no-cache --png "$TMP/ex$o/png" --dpi 40 2> /dev/null
  pdftoppm -r 40 -png -f 1 -l 1 "$TMP/ex$o/e.pdf" "$TMP/ex$o/pdf"
  read -r _ gx gy _ bx by < <("$TOOLS/blobs" "$(ls "$TMP/ex$o"/pdf*.png | head -1)")
  read -r _ px py _ qx qy < <("$TOOLS/blobs" "$(ls "$TMP/ex$o"/png/*-p01.png | head -1)")
  case $o in # where the stored top (green) shows against the bottom (blue)
    1) want="above" ok=$((gy < by)) ;;
    3) want="below" ok=$((gy > by)) ;;
    6) want="to the right" ok=$((gx > bx)) ;;
    8) want="to the left" ok=$((gx < bx)) ;;
  esac
  check "EXIF orientation $o: the stored top shows $want (green $gx,$gy; blue $bx,$by)" test "$ok" = 1
  check "  ... the --png preview the same (green $px,$py; blue $qx,$qy)" \
    sh -c "test '$px $py $qx $qy' = '$gx $gy $bx $by' || { dx=\$(( $px - $gx )); dy=\$(( $py - $gy )); test \${dx#-} -le 2 && test \${dy#-} -le 2; }"
done
