# Nothing lost, ever (issue 11, the outputs): every file the build writes
# goes through a locked temporary beside it, is checked (every write, flush,
# fsync, close; a PDF read back for its page count) and renamed into place
# only when whole; a failure leaves the previous file byte-identical and no
# temporary behind; an output that is an input is refused before anything
# is written; watch mode ignores its own outputs; --split creates its
# folder; the print boxes nest exactly, with no RGB groups and no
# /Interpolate. As root: a full disk (tmpfs) at several sizes.
. "$(dirname "$0")/lib.sh"
MINI=tests/e2e/fixtures/mini
E="$TMP/ed"
cp -r "$MINI" "$E"
cp -r "$MINI" "$TMP/pristine"
no_temps() { # no_temps DIR...: no rotative temporary left
  ! find "$@" -name '.*.rotative-tmp-*' 2>/dev/null | grep -q .
}
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/{print $2}'; }

"$ROT" build "$E/issue.yaml" -o "$TMP/ref.pdf" --quiet 2>/dev/null
check "the mini edition builds (reference)" test "$(pages "$TMP/ref.pdf")" = 4
N=$(pages "$TMP/ref.pdf")

# ---- a failed write keeps the previous file, and says why (exit 2)
O="$TMP/o"
mkdir -p "$O"
cp "$TMP/ref.pdf" "$O/e.pdf"
"$ROT" build "$E/issue.yaml" -o "$TMP/nowhere/e.pdf" --quiet 2> "$TMP/err.txt"
check "a folder that does not exist: exit 2" test $? = 2
check "  ... with the reason" grep -q "nowhere/e.pdf: error: cannot write: No such file or directory" "$TMP/err.txt"
mkdir -p "$O/afolder"
"$ROT" build "$E/issue.yaml" -o "$O/afolder" --quiet 2> "$TMP/err.txt"
check "-o naming a folder: exit 2, the folder stays" bash -c "test $? = 2 && test -d '$O/afolder'"
check "  ... no temporary left" no_temps "$O"

# ---- the written PDF is read back before it is put in place
ROTATIVE_FAULT=short-pdf "$ROT" build "$E/issue.yaml" -o "$O/e.pdf" --quiet 2> "$TMP/err.txt"
check "a PDF that does not read back whole: exit 2" test $? = 2
check "  ... an internal error that names the file" grep -q "e.pdf: error: internal error: the PDF written" "$TMP/err.txt"
check "  ... the previous PDF is byte-identical" cmp -s "$O/e.pdf" "$TMP/ref.pdf"
check "  ... no temporary left" no_temps "$O"
ROTATIVE_FAULT=short-memory-file "$ROT" build "$E/issue.yaml" -o "$O/e.pdf" --quiet 2> "$TMP/err.txt"
check "qpdf's finished file cut short (it does not check its writes): exit 2" test $? = 2
check "  ... an error that says so, against the file" grep -q "e.pdf: error: PDF finishing: the finished file was cut short" "$TMP/err.txt"
check "  ... the previous PDF is byte-identical" cmp -s "$O/e.pdf" "$TMP/ref.pdf"
check "  ... no temporary left" no_temps "$O"
ROTATIVE_FAULT=short-pdf "$ROT" build "$E/issue.yaml" --split "$O/sp" --quiet 2>/dev/null
check "the same for --split pages: exit 2, no page file, no temporary" \
  bash -c "test $? = 2 && test -z \"\$(ls -A '$O/sp')\""

# ---- temporaries of a killed run are removed by the next run; a live one is not
touch "$O/.e.pdf.rotative-tmp-999999" "$O/.other.png.rotative-tmp-12-3"
"$ROT" build "$E/issue.yaml" -o "$O/e.pdf" --quiet 2>/dev/null
check "stale temporaries (no lock held) are removed by the next build" \
  bash -c "test ! -e '$O/.e.pdf.rotative-tmp-999999' && test ! -e '$O/.other.png.rotative-tmp-12-3'"
check "  ... and the build wrote the same PDF" cmp -s "$O/e.pdf" "$TMP/ref.pdf"
(ROTATIVE_FAULT=kill "$ROT" build "$E/issue.yaml" -o "$O/e.pdf" --quiet; true) 2>/dev/null
check "a build killed once its temporary is written (kill -9) leaves it" \
  bash -c "test \$(ls -A '$O' | grep -c '^\.e\.pdf\.rotative-tmp-') = 1"
check "  ... and the previous PDF" cmp -s "$O/e.pdf" "$TMP/ref.pdf"
"$ROT" build "$E/issue.yaml" -o "$O/e2.pdf" --quiet 2>/dev/null
check "  ... which the next run writing there removes" no_temps "$O"
touch "$O/.busy.pdf.rotative-tmp-7"
flock "$O/.busy.pdf.rotative-tmp-7" "$ROT" build "$E/issue.yaml" -o "$O/e.pdf" --quiet 2>/dev/null
check "a temporary another process holds locked is left alone" test -e "$O/.busy.pdf.rotative-tmp-7"
rm -f "$O/.busy.pdf.rotative-tmp-7"

# ---- an output that is a file the build reads is refused before anything is written
refused() { # refused NAME ROTATIVE-ARGS...: exit 2, a clear message, inputs intact, nothing written
  local name=$1; shift
  rm -f "$TMP/r.json"
  local quiet=--quiet
  [ "$1" = intake ] && quiet=
  "$ROT" "$@" $quiet > /dev/null 2> "$TMP/err.txt"
  local code=$?
  if [ "$code" = 2 ] && grep -q "would overwrite" "$TMP/err.txt" && diff -r "$TMP/pristine" "$E" > /dev/null &&
     [ ! -e "$TMP/r.json" ]; then pass "refused: $name"
  else fail "refused: $name (exit $code)"; sed 's/^/       /' "$TMP/err.txt" | head -5; diff -r "$TMP/pristine" "$E" | head -3; fi
}
refused "-o the edition file" build "$E/issue.yaml" -o "$E/issue.yaml" --report "$TMP/r.json"
refused "-o an article through ./ and ../" build "$E/issue.yaml" -o "$E/./images/../articles/b.md"
refused "-o an image" build "$E/issue.yaml" -o "$E/images/pic.png"
refused "-o a message" build "$E/issue.yaml" -o "$E/messages/m1.yaml"
ln -s "$E/articles/a.md" "$TMP/link.pdf"
refused "-o a symlink to an article" build "$E/issue.yaml" -o "$TMP/link.pdf"
ln "$E/articles/b.md" "$TMP/hard.pdf"
refused "-o a hard link of an article" build "$E/issue.yaml" -o "$TMP/hard.pdf"
refused "--report an article" build "$E/issue.yaml" -o "$TMP/x.pdf" --report "$E/articles/a.md"
mkdir -p "$TMP/split"
ln -s "$E/articles/a.md" "$TMP/split/la-gazette-d-essai-7-p02.pdf"
refused "--split page file that is an article" build "$E/issue.yaml" --split "$TMP/split"
check "  ... no other page was written" bash -c "test \$(ls -A '$TMP/split' | wc -l) = 1"
mkdir -p "$TMP/png"
ln -s "$E/images/pic.png" "$TMP/png/la-gazette-d-essai-7-p01.png"
refused "--png preview that is an image" build "$E/issue.yaml" -o "$TMP/x.pdf" --png "$TMP/png"
printf 'from: [pas fermé\n' > "$E/messages/casse.yaml"
cp "$E/messages/casse.yaml" "$TMP/pristine/messages/casse.yaml"
refused "--report a message that does not load" build "$E/issue.yaml" -o "$TMP/x.pdf" --report "$E/messages/casse.yaml"
rm -f "$E/messages/casse.yaml" "$TMP/pristine/messages/casse.yaml"
refused "flatplan -o the edition file" flatplan "$E/issue.yaml" -o "$E/issue.yaml"
refused "intake proof -o the message" intake proof "$E/messages/m1.yaml" -o "$E/messages/m1.yaml"
check "  ... nothing was written by the refused builds" test ! -e "$TMP/x.pdf"

# ---- --split creates its folder (like --png)
"$ROT" build "$E/issue.yaml" --split "$TMP/new-split" --quiet 2>/dev/null
check "--split DIR creates DIR" test -d "$TMP/new-split"
check "  ... one whole PDF per page" bash -c "for f in '$TMP'/new-split/*-p0[1-$N].pdf; do test \$(pdfinfo \"\$f\" | awk '/^Pages:/{print \$2}') = 1 || exit 1; done; test \$(ls '$TMP/new-split' | wc -l) = $N"

# ---- watch -o into a watched folder does not rebuild itself forever
W="$TMP/w"
cp -r "$MINI" "$W"
"$ROT" watch "$W/issue.yaml" -o "$W/out.pdf" --report "$W/out.json" --builds 2 2> "$TMP/watch.txt" &
wpid=$!
for _ in $(seq 1 300); do grep -q 'changes (build 1)' "$TMP/watch.txt" && break; sleep 0.1; done
check "watch -o into the edition's folder: first build" test -s "$W/out.pdf"
sleep 2 # what the build wrote must not count as a change
check "  ... its own PDF, report and temporaries start no rebuild" bash -c "! grep -q 'change seen' '$TMP/watch.txt'"
echo "Une ligne de plus, pour la forme." >> "$W/articles/b.md"
for _ in $(seq 1 300); do grep -q 'changes (build 2)' "$TMP/watch.txt" && break; sleep 0.1; done
check "  ... a real change still rebuilds" grep -q 'changes (build 2)' "$TMP/watch.txt"
kill "$wpid" 2>/dev/null
wait "$wpid" 2>/dev/null

# ---- watch with the image cache and the previews inside a watched folder:
# the cache's entries start no rebuild; an input photo beside the previews does
W2="$TMP/w2"
cp -r "$MINI" "$W2"
"$ROT" watch "$W2/issue.yaml" -o "$TMP/w2.pdf" --cache "$W2/images" --png "$W2/images" --builds 2 2> "$TMP/watch2.txt" &
wpid=$!
for _ in $(seq 1 300); do grep -q 'changes (build 1)' "$TMP/watch2.txt" && break; sleep 0.1; done
check "watch --cache and --png in the images folder: first build" bash -c "test -s '$TMP/w2.pdf' && ls '$W2/images' | grep -q -- '-p01.png\$'"
sleep 2
check "  ... the cache's entries and the previews start no rebuild" bash -c "! grep -q 'change seen' '$TMP/watch2.txt'"
photo=$(ls "$W2/images" | grep -v -- '-p[0-9]*\.png$' | grep '\.png$' | head -1)
"$TOOLS/mkimage" png "$W2/images/$photo" 900 600
for _ in $(seq 1 300); do grep -q 'changes (build 2)' "$TMP/watch2.txt" && break; sleep 0.1; done
check "  ... a new photo ($photo) beside the previews still rebuilds" grep -q 'changes (build 2)' "$TMP/watch2.txt"
kill "$wpid" 2>/dev/null
wait "$wpid" 2>/dev/null

# ---- a replaced file keeps its mode
"$ROT" build "$E/issue.yaml" -o "$TMP/mode.pdf" --quiet 2>/dev/null
chmod 600 "$TMP/mode.pdf"
"$ROT" build "$E/issue.yaml" -o "$TMP/mode.pdf" --quiet 2>/dev/null
check "a PDF written over a 0600 file stays 0600" test "$(stat -c %a "$TMP/mode.pdf")" = 600

# ---- print output: boxes from one rounding, no RGB group, no /Interpolate
for std in x1a x4 none; do
  "$ROT" build "$E/issue.yaml" -o "$TMP/p-$std.pdf" --pdfx "$std" --quiet 2>/dev/null
  qpdf --qdf --object-streams=disable "$TMP/p-$std.pdf" "$TMP/q-$std.pdf"
  check "--pdfx $std: no /DeviceRGB anywhere (page groups blend in CMYK)" bash -c "! grep -aq DeviceRGB '$TMP/q-$std.pdf'"
  check "--pdfx $std: no /Interpolate on images" bash -c "! grep -aq Interpolate '$TMP/q-$std.pdf'"
done
qbox() { # qbox QDF KEY: the numbers of the first page's box as written
  awk -v k="/$2" '$1 == k && $2 == "[" {on = 1; next} on && $1 == "]" {exit} on {printf "%s ", $1}' "$1"
}
mb=$(qbox "$TMP/q-x1a.pdf" MediaBox) tb=$(qbox "$TMP/q-x1a.pdf" TrimBox) bb=$(qbox "$TMP/q-x1a.pdf" BleedBox)
check "without marks, MediaBox, BleedBox and TrimBox are the same numbers ($mb)" \
  bash -c "test -n '$mb' && test '$mb' = '$tb' && test '$mb' = '$bb'"
"$ROT" build "$E/issue.yaml" -o "$TMP/marks.pdf" --marks --pdfx x4 --quiet 2>/dev/null
check "with marks (PDF/X-4), preflight passes the boxes exactly" bash -c "'$ROT' preflight '$TMP/marks.pdf' --standard x4 | grep -q 'PASS  page boxes'"
check "  ... and passes the colour spaces (groups) and interpolation" bash -c "'$ROT' preflight '$TMP/marks.pdf' --standard x4 | grep -q 'PASS  colour spaces' && '$ROT' preflight '$TMP/marks.pdf' --standard x4 | grep -q 'PASS  image interpolation'"

# ---- a full disk: either a whole PDF (exit 0) or the previous one untouched
if [ "$(id -u)" != 0 ]; then
  echo "  skip disk-full test (not root)"
else
  M="$TMP/mnt"
  mkdir -p "$M"
  if ! mount -t tmpfs -o size=64k tmpfs "$M" 2>/dev/null; then
    echo "  skip disk-full test (cannot mount a tmpfs)"
  else
    umount "$M"
    "$ROT" build "$E/issue.yaml" -o "$TMP/full-ref.pdf" --report "$TMP/full-ref.json" --png "$TMP/full-ref-png" --dpi 20 --quiet 2>/dev/null
    bad=0 ok0=0 failed=0
    for size in 64k 96k 128k 152k 176k 184k 192k 200k 224k 256k 1m 4m; do
      mount -t tmpfs -o size=$size tmpfs "$M" || { bad=1; break; }
      # the previous PDF (if it fits), then the build over it
      if cp "$TMP/ref.pdf" "$M/e.pdf" 2>/dev/null; then old=1; else rm -f "$M/e.pdf"; old=0; fi
      "$ROT" build "$E/issue.yaml" -o "$M/e.pdf" --quiet 2> "$TMP/full.txt"
      code=$?
      if [ "$code" = 0 ]; then
        cmp -s "$M/e.pdf" "$TMP/full-ref.pdf" || { echo "       $size: exit 0 but not the whole PDF"; bad=1; }
        [ "$(pages "$M/e.pdf")" = "$N" ] || { echo "       $size: exit 0 but $(pages "$M/e.pdf") pages"; bad=1; }
        ok0=$((ok0 + 1))
      else
        failed=$((failed + 1))
        [ "$code" = 2 ] || { echo "       $size: exit $code (want 2)"; bad=1; }
        grep -q "No space left on device" "$TMP/full.txt" || { echo "       $size: no reason given"; cat "$TMP/full.txt"; bad=1; }
        if [ "$old" = 1 ]; then cmp -s "$M/e.pdf" "$TMP/ref.pdf" || { echo "       $size: the previous PDF changed"; bad=1; }
        else [ ! -e "$M/e.pdf" ] || { echo "       $size: a PDF appeared"; bad=1; }; fi
      fi
      no_temps "$M" || { echo "       $size: a temporary was left"; ls -la "$M"; bad=1; }
      # previews and the report into what is left
      "$ROT" build "$E/issue.yaml" -o "$M/e.pdf" --report "$M/r.json" --png "$M/png" --dpi 20 --quiet 2>/dev/null
      for f in "$M"/png/*.png; do
        [ -e "$f" ] || continue
        cmp -s "$f" "$TMP/full-ref-png/$(basename "$f")" || { echo "       $size: a partial preview $f"; bad=1; }
      done
      [ ! -e "$M/r.json" ] || jq -e . "$M/r.json" > /dev/null || { echo "       $size: a broken report"; bad=1; }
      no_temps "$M" || { echo "       $size: a temporary was left (previews, report)"; bad=1; }
      umount "$M"
    done
    echo "       disk full: $ok0 sizes wrote the whole PDF, $failed failed cleanly"
    check "disk full (tmpfs, 64k to 4m): whole PDF or previous one kept, never a temporary" \
      bash -c "test $bad = 0 && test $ok0 -ge 1 && test $failed -ge 1"
  fi
fi
