# Memory: the sample build and a check full of errors run clean under
# valgrind (no invalid access, no uninitialised use, no definite leak of
# rotative's own; tests/valgrind.supp lists the libraries' one-time
# allocations).
. "$(dirname "$0")/lib.sh"
if ldd "$ROT" 2>/dev/null | grep -q libasan; then
  echo "  skip valgrind: this is a sanitizer build (valgrind cannot run it)"; exit 0
fi
if ! command -v valgrind >/dev/null; then
  fail "valgrind is not installed (.ci/deps installs it)"; exit 0
fi
VG="valgrind -q --num-callers=50 --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 --suppressions=tests/valgrind.supp"
$VG "$ROT" build issues/2026-05/issue.yaml -o "$TMP/vg.pdf" --quiet > "$TMP/vg1.log" 2>&1
code=$?
check "valgrind: sample build is clean (exit $code)" test "$code" = 0
[ "$code" = 0 ] || grep -A8 '==[0-9]*==' "$TMP/vg1.log" | head -30
# a photograph given as a JPEG (written as a JPEG again, its inks decoded
# and measured; then deflated after all)
dir="$TMP/jpeg"; cp -r tests/e2e/fixtures/mini "$dir"
"$TOOLS/mkimage" jpeg "$dir/images/photo.jpg" 600 400
sed -i 's#\.\./images/pic\.png#../images/photo.jpg#' "$dir/articles/a.md"
$VG "$ROT" build "$dir/issue.yaml" -o "$TMP/vgj.pdf" --quiet --no-cache > "$TMP/vg4.log" 2>&1
code=$?
ROTATIVE_FAULT=jpeg-ink $VG "$ROT" build "$dir/issue.yaml" -o "$TMP/vgf.pdf" --quiet --no-cache >> "$TMP/vg4.log" 2>&1
code=$code$?
check "valgrind: a JPEG photo's build is clean, and its Flate fallback (exit $code)" test "$code" = 00
[ "$code" = 00 ] || grep -A8 '==[0-9]*==' "$TMP/vg4.log" | head -30
# a CMYK JPEG past the ink limit (decoded, its inks lowered, a JPEG again),
# then one within it (left as it is)
"$TOOLS/mkcmykjpeg" "$dir/images/photo.jpg" 300 200 100 90 90 100
$VG "$ROT" build "$dir/issue.yaml" -o "$TMP/vgc.pdf" --quiet --no-cache > "$TMP/vg5.log" 2>&1
code=$?
"$TOOLS/mkcmykjpeg" "$dir/images/photo.jpg" 300 200 50 0 0 0
$VG "$ROT" build "$dir/issue.yaml" -o "$TMP/vgc.pdf" --quiet --no-cache >> "$TMP/vg5.log" 2>&1
code=$code$?
"$TOOLS/mkimage" jpeg-icc "$dir/images/photo.jpg" 300 200 /usr/share/color/icc/ghostscript/a98.icc
$VG "$ROT" build "$dir/issue.yaml" -o "$TMP/vgc.pdf" --quiet --no-cache >> "$TMP/vg5.log" 2>&1
code=$code$?
check "valgrind: a CMYK JPEG's build is clean, past the ink limit and within it; an RGB one with its ICC profile (exit $code)" test "$code" = 000
[ "$code" = 000 ] || grep -A8 '==[0-9]*==' "$TMP/vg5.log" | head -30
$VG "$ROT" check /tmp/nonexistent-rotative-edition.yaml > "$TMP/vg2.log" 2>&1
check "valgrind: I/O error path is clean" test "$?" = 2
dir="$TMP/bad"; cp -r tests/e2e/fixtures/mini "$dir"
printf 'paper: 1\nnumber: x\ndate: 2026-02-30\nprice: -1\nlanguage: xx\nlayout: nope\narticles: [articles/a.md, articles/zz.md]\nmessages: messages\nextra: 1\n' > "$dir/issue.yaml"
printf 'from: "x"\ntext: |\n  # titre\nformat: "1/3"\ncontact: 1\npayment: {amount: 1, reference: r, status: maybe}\nlogo: /etc/passwd\n' > "$dir/messages/m1.yaml"
$VG "$ROT" check "$dir/issue.yaml" > "$TMP/vg3.log" 2>&1
code=$?
check "valgrind: input with many errors is clean (exit $code)" test "$code" = 1
[ "$code" = 1 ] || grep -A8 '==[0-9]*==' "$TMP/vg3.log" | head -30
