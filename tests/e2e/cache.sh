#!/usr/bin/env bash
# The cache of finished image streams (src/finish/cache.c): used (entries
# appear, a second build reads them), invalidated when the image, the
# profile, the ink limit or grey/CMYK changes, proof against corrupt and
# foreign entries, bounded, shared by two builds at once, and never a change
# in the PDF's bytes. Every build names its cache folder under $TMP.
source "$(dirname "$0")/lib.sh"
echo "== cache"

ED=$TMP/ed C=$TMP/cache
cp -R tests/e2e/fixtures/mini "$ED"
cp layouts/tabloid.yaml "$ED/lay.yaml"
sed -i 's/^layout: tabloid$/layout: lay.yaml/' "$ED/issue.yaml"
build() { # build OUT.pdf [options...]: prints the --stats cache line
  local out=$1; shift
  "$ROT" build "$ED/issue.yaml" -o "$out" --quiet --stats "$@" 2> "$TMP/err" | grep '^image cache:'
}
line() { sed -n 's/^image cache: \([0-9]*\) read, \([0-9]*\) converted, \([0-9]*\) rejected, \([0-9]*\) written.*/\1 \2 \3 \4/p' <<< "$1"; }
entries() { find "$C" -name '*.img' | wc -l; }

r=$(build "$TMP/ref.pdf" --no-cache)
check "--no-cache: no cache used" grep -qx 'image cache: off' <<< "$r"
check "--no-cache: nothing written in XDG_CACHE_HOME" test ! -e "$XDG_CACHE_HOME/rotative"

# the images are converted on a thread while the pages are made (or, with
# --jobs 1, by the main thread after them): the same bytes either way
"$ROT" build "$ED/issue.yaml" -o "$TMP/jobs1.pdf" --quiet --no-cache --jobs 1
check "--jobs 1 (no thread, the images after the pages): same PDF" cmp "$TMP/ref.pdf" "$TMP/jobs1.pdf"
"$ROT" build "$ED/issue.yaml" -o "$TMP/jobs0.pdf" --quiet --no-cache --jobs 0 2> "$TMP/jobs.err"
check "--jobs 0: a usage error (exit 2)" test $? -eq 2
check "  ... that says what --jobs takes" grep -q -- '--jobs takes a number from 1 to 64' "$TMP/jobs.err"

r=$(build "$TMP/cold.pdf" --cache "$C")
check "cold cache: the image is converted and written ($r)" test "$(line "$r")" = "0 1 0 1"
check "cold cache: one entry in the folder" test "$(entries)" -eq 1
check "cold cache: same PDF as --no-cache" cmp "$TMP/ref.pdf" "$TMP/cold.pdf"
r=$(build "$TMP/warm.pdf" --cache "$C")
check "warm cache: the image is read, not converted ($r)" test "$(line "$r")" = "1 0 0 0"
check "warm cache: same PDF as --no-cache" cmp "$TMP/ref.pdf" "$TMP/warm.pdf"
check "no temporary files left" test -z "$(find "$C" -name '*.tmp-*')"
# load decodes an image whole once: the cache then knows its bytes (a .chk
# entry) and a later build checks only its header; a changed file is
# decoded again, and a damaged one refused, warm cache or not
check "decoded once: the cache knows the file's bytes (one .chk entry)" test "$(find "$C" -name '*.chk' | wc -l)" -eq 1
cp "$ED/images/pic.png" "$TMP/pic.png"
head -c "$(($(stat -c %s "$TMP/pic.png") * 2 / 3))" "$TMP/pic.png" > "$ED/images/pic.png"
"$ROT" build "$ED/issue.yaml" -o "$TMP/dmg.pdf" --quiet --cache "$C" 2> "$TMP/dmg.err"
check "warm cache: a damaged image is still refused" sh -c "grep -q 'pic.png.*truncated or damaged' '$TMP/dmg.err' && test ! -e '$TMP/dmg.pdf'"
cp "$TMP/pic.png" "$ED/images/pic.png"

entry=$(find "$C" -name '*.img' | head -1)
truncate -s 200 "$entry"
r=$(build "$TMP/trunc.pdf" --cache "$C")
check "truncated entry: rejected and converted again ($r)" test "$(line "$r")" = "0 1 1 1"
check "truncated entry: same PDF" cmp "$TMP/ref.pdf" "$TMP/trunc.pdf"
r=$(build "$TMP/again.pdf" --cache "$C")
check "truncated entry: rewritten, read by the next build ($r)" test "$(line "$r")" = "1 0 0 0"
size=$(stat -c %s "$entry")
printf '\xff\xfe\xfd' | dd of="$entry" bs=1 seek=$((size - 100)) conv=notrunc 2> /dev/null
r=$(build "$TMP/garbled.pdf" --cache "$C")
check "garbled data: rejected by its checksum ($r)" test "$(line "$r")" = "0 1 1 1"
check "garbled data: same PDF" cmp "$TMP/ref.pdf" "$TMP/garbled.pdf"
# a foreign entry: a well-formed entry of another key under this one's name
printf 'RTIMGC1\n' > "$TMP/foreign"
head -c 200 /dev/urandom >> "$TMP/foreign"
cp "$TMP/foreign" "$entry"
r=$(build "$TMP/foreign.pdf" --cache "$C")
check "foreign entry: rejected ($r)" test "$(line "$r")" = "0 1 1 1"
check "foreign entry: same PDF" cmp "$TMP/ref.pdf" "$TMP/foreign.pdf"
echo "not a cache entry" > "$C/notes.txt"
build "$TMP/x.pdf" --cache "$C" > /dev/null
check "files that are not entries are left alone" test -s "$C/notes.txt"

# invalidation: each change converts again, and the PDF is the one --no-cache makes
changed() { # changed NAME: a build with the change converts, the next reads
  local r1 r2
  build "$TMP/nc.pdf" --no-cache > /dev/null
  r1=$(build "$TMP/c1.pdf" --cache "$C")
  r2=$(build "$TMP/c2.pdf" --cache "$C")
  check "$1: converted again ($r1)" test "$(line "$r1")" = "0 1 0 1"
  check "$1: then read ($r2)" test "$(line "$r2")" = "1 0 0 0"
  check "$1: same PDF as --no-cache, cold and warm" sh -c "cmp '$TMP/nc.pdf' '$TMP/c1.pdf' && cmp '$TMP/nc.pdf' '$TMP/c2.pdf'"
}
cp "$(ls issues/2026-05/images/*.png | head -1)" "$ED/images/pic.png"
changed "another image in the same file"
check "another image: another PDF" sh -c "! cmp -s '$TMP/ref.pdf' '$TMP/c1.pdf'"
sed -i 's/^print: {ink_limit: 240, images: cmyk}$/print: {ink_limit: 220, images: cmyk}/' "$ED/lay.yaml"
changed "ink limit 240 -> 220"
cp /usr/share/color/icc/ghostscript/default_cmyk.icc "$ED/prof.icc"
sed -i 's/^print: {ink_limit: 220, images: cmyk}$/print: {ink_limit: 220, images: cmyk, profile: prof.icc}/' "$ED/lay.yaml"
build "$TMP/p0.pdf" --cache "$C" > /dev/null
cp /usr/share/color/icc/ghostscript/ps_cmyk.icc "$ED/prof.icc"
changed "other bytes in the profile file"
sed -i 's/images: cmyk, profile/images: grey, profile/' "$ED/lay.yaml"
changed "grey images"
r=$(build "$TMP/x4.pdf" --cache "$C" --pdfx x4)
check "another PDF/X level: converted again ($r)" test "$(line "$r")" = "0 1 0 1"

# two builds at once on an empty cache: both right, the entry whole
rm -rf "$C"
build "$TMP/nc.pdf" --no-cache > /dev/null
"$ROT" build "$ED/issue.yaml" -o "$TMP/p1.pdf" --quiet --cache "$C" 2> /dev/null &
"$ROT" build "$ED/issue.yaml" -o "$TMP/p2.pdf" --quiet --cache "$C" 2> /dev/null &
wait
check "two builds at once: both PDFs right" sh -c "cmp '$TMP/nc.pdf' '$TMP/p1.pdf' && cmp '$TMP/nc.pdf' '$TMP/p2.pdf'"
r=$(build "$TMP/p3.pdf" --cache "$C")
check "two builds at once: the entry is whole ($r)" test "$(line "$r")" = "1 0 0 0"

# bounded: the sample's images under a bound that holds about two of them
SC=$TMP/scache
"$ROT" build issues/2026-05/issue.yaml -o "$TMP/s1.pdf" --quiet --stats --cache "$SC" --cache-size 0.3 2> /dev/null > "$TMP/s1.txt"
total=$(du -cb "$SC"/*.img | tail -1 | cut -f1)
check "bounded: the folder stays under --cache-size ($total bytes)" test "$total" -le $((3 * 1048576 / 10))
check "bounded: the least recently used went ($(grep '^image cache' "$TMP/s1.txt"))" grep -q '[1-9][0-9]* evicted' "$TMP/s1.txt"
"$ROT" build issues/2026-05/issue.yaml -o "$TMP/s0.pdf" --quiet --no-cache 2> /dev/null
"$ROT" build issues/2026-05/issue.yaml -o "$TMP/s2.pdf" --quiet --cache "$SC" --cache-size 0.3 2> /dev/null
check "bounded: the PDF is still the same" sh -c "cmp '$TMP/s0.pdf' '$TMP/s1.pdf' && cmp '$TMP/s0.pdf' '$TMP/s2.pdf'"

# a folder that cannot be used: the build goes on without a cache
echo file > "$TMP/afile"
r=$(build "$TMP/nocache.pdf" --cache "$TMP/afile/sub")
check "unusable cache folder: said, and the build goes on ($r)" grep -q 'off (cannot use' <<< "$r"
check "unusable cache folder: the same PDF" cmp "$TMP/nc.pdf" "$TMP/nocache.pdf"
check "--cache-size refuses 0" sh -c "'$ROT' build '$ED/issue.yaml' -o '$TMP/z.pdf' --cache-size 0; test \$? -eq 2"

# watch: the rebuild after an edit reads the image the first build wrote
WC=$TMP/wcache
"$ROT" watch "$ED/issue.yaml" -o "$TMP/w.pdf" --stats --cache "$WC" --builds 2 > "$TMP/watch.out" 2> "$TMP/watch.err" &
wpid=$!
lines() { grep -c '^image cache:' "$TMP/watch.out"; }
for _ in $(seq 1 100); do [ "$(lines)" -ge 1 ] && break; sleep 0.1; done
sleep 0.3
sed -i '0,/^[A-Z]/s/^\([A-Z]\)/Encore \1/' "$ED/articles/b.md"
for _ in $(seq 1 100); do [ "$(lines)" -ge 2 ] && break; sleep 0.1; done
kill $wpid 2> /dev/null
wait $wpid 2> /dev/null
r=$(grep '^image cache:' "$TMP/watch.out" | sed -n 2p)
check "watch: the rebuild reads the cached image (counts over both builds: $r)" test "$(line "$r")" = "1 1 0 1"

# watch: an image damaged after the first build is decoded again and refused
# (the image decoded whole is remembered only as long as it is unchanged)
"$ROT" watch "$ED/issue.yaml" -o "$TMP/wd.pdf" --cache "$WC" --builds 2 2> "$TMP/wd.err" &
wpid=$!
for _ in $(seq 1 300); do grep -q 'changes (build 1)' "$TMP/wd.err" && break; sleep 0.1; done
sleep 0.3
head -c "$(($(stat -c %s "$TMP/pic.png") * 2 / 3))" "$TMP/pic.png" > "$TMP/pic-dmg.png"
mv "$TMP/pic-dmg.png" "$ED/images/pic.png"
for _ in $(seq 1 300); do grep -q 'changes (build 2)' "$TMP/wd.err" && break; sleep 0.1; done
kill $wpid 2> /dev/null
wait $wpid 2> /dev/null
check "watch: an image damaged after the first build is refused" grep -q 'pic.png.*truncated or damaged' "$TMP/wd.err"
cp "$TMP/pic.png" "$ED/images/pic.png"

# print.profile must name a file
sed -i 's/profile: prof.icc/profile: missing.icc/' "$ED/lay.yaml"
"$ROT" check "$ED/issue.yaml" > /dev/null 2> "$TMP/prof.err"
check "print.profile: a missing file is a located error" grep -q "lay.yaml:[0-9]*:[0-9]*: error: profile not found: 'missing.icc'" "$TMP/prof.err"

# the sample's four photographs: converted ahead on a thread or after the
# pages, into one file or one per page, the same images
"$ROT" build issues/2026-05/issue.yaml -o "$TMP/s-par.pdf" --quiet --no-cache
"$ROT" build issues/2026-05/issue.yaml -o "$TMP/s-one.pdf" --quiet --no-cache --jobs 1
check "sample: --jobs 1 writes the same PDF as the default threads" cmp "$TMP/s-par.pdf" "$TMP/s-one.pdf"
"$ROT" build issues/2026-05/issue.yaml --split "$TMP/split" --no-cache 2> "$TMP/split.err"
"$ROT" build issues/2026-05/issue.yaml --split "$TMP/split1" --no-cache --jobs 1 2> "$TMP/split1.err"
check "sample: --split pages hold the same images with and without threads" diff -r "$TMP/split" "$TMP/split1"
# (the pages rendered on a thread of their own while the one before is finished)
check "  ... and the build says the same, in the same order" \
  diff <(grep -v '^wrote ' "$TMP/split.err") <(grep -v '^wrote ' "$TMP/split1.err")
