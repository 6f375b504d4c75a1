#!/usr/bin/env bash
# make bench: generates a 20,000-word edition (40 messages, 10 images) and
# one four times larger, builds each RUNS times as PDF/X-1a, and prints the
# median wall time and peak memory next to two references from the same run:
#   - the Pango floor: Pango's own greedy layout of the same paragraphs into
#     the same columns (tests/tools/pango_greedy --time), text only;
#   - pdflatex with multicol and microtype on the same article text and
#     structure (no images, no messages; tests/bench/tex.sh); `make bench`
#     installs TeX Live's packages when root (.ci/deps bench).
# A third edition, ed16t, is the first without images and messages: the
# same work as the pdflatex reference.
# Every build is a cold one: its image cache (src/finish/cache.c) emptied
# before each run. Then, for the editions with images, the rebuild after one
# edit: in `watch` (one article changed RUNS times, each rebuild's time as
# watch --stats prints it, the build alone: not the wait for a save's events
# to settle nor the load that finds the folders to watch; the fonts, shaped
# words and unchanged paragraphs kept, the image cache warm), and as a second `build` (one article changed
# before each run, the image cache warm from the builds before).
# Machines are noisy: compare the ratios, not the milliseconds; the paired
# pdflatex / rotative ratio moves least.
set -euo pipefail
BIN=${1:?usage: bench.sh ROTATIVE TOOLS_DIR}
TOOLS=${2:?}
RUNS=${RUNS:-5}
W=${BENCH_DIR:-build/bench}
mkdir -p "$W"
W=$(cd "$W" && pwd)
stat() { "$TOOLS/runstat" "$RUNS" "$@"; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# pdflatex / rotative with the two run in turn, RUNS pairs: the median of the
# pairs' ratios, which a machine whose speed drifts during the run moves less
# than the ratio of the two medians (runs minutes apart)
paired() { # reads $cache, $ed, $name and $W/ed$name.tex
  local rs=() i a b
  for i in $(seq 1 "$RUNS"); do
    a=$("$TOOLS/runstat" 1 sh -c 'rm -rf "$1"; exec "$2" build "$3" -o "$4" --quiet --cache "$1"' sh \
      "$cache" "$BIN" "$ed/issue.yaml" "$W/ed$name.pdf" | field median_ms)
    b=$(cd "$W" && "$OLDPWD/$TOOLS/runstat" 1 pdflatex -interaction=batchmode -halt-on-error "ed$name.tex" | field median_ms)
    rs+=("$(ratio "$b" "$a")")
  done
  printf '%s\n' "${rs[@]}" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}

declare -A med rebuild second
printf '%-10s %6s %7s %6s %8s %10s %9s %12s %14s\n' edition words pages msgs images median_ms peak_mb pango_floor_ms pdflatex_ms
for spec in "16:20000:40:10" "16t:20000:0:0" "64:80000:160:40"; do
  IFS=: read -r name words msgs imgs <<< "$spec"
  ed="$W/ed$name" cache="$W/cache-ed$name"
  bash tests/bench/gen.sh "$ed" "$words" "$msgs" "$imgs" 2> /dev/null
  rm -rf "$cache"
  "$BIN" build "$ed/issue.yaml" -o "$W/ed$name.pdf" --quiet --no-cache 2> /dev/null
  pages=$(pdfinfo "$W/ed$name.pdf" | awk '/^Pages:/ {print $2}')
  nwords=$(awk '/^---$/{f++; next} f>=2{n+=NF} END{print n}' "$ed"/articles/*.md)
  # cold: an empty cache each run (exec: runstat measures rotative itself)
  r=$(stat sh -c 'rm -rf "$1"; exec "$2" build "$3" -o "$4" --quiet --cache "$1"' sh \
    "$cache" "$BIN" "$ed/issue.yaml" "$W/ed$name.pdf")
  ms=$(echo "$r" | field median_ms) mb=$(echo "$r" | field max_rss_mb)
  med[$name]=$ms
  if [ "$imgs" -gt 0 ]; then
    # warm: the cache the last cold run left; one article edited before each run
    r=$(stat sh -c 'sed -i "\$ s/\$/ Encore une phrase./" "$1"; exec "$2" build "$3" -o "$4" --quiet --cache "$5"' sh \
      "$ed/articles/a002.md" "$BIN" "$ed/issue.yaml" "$W/ed$name-warm.pdf" "$cache")
    second[$name]="$(echo "$r" | field median_ms) $(echo "$r" | field max_rss_mb)"
    # watch: RUNS edits, one after each build; the first build is not counted
    wout="$W/watch-ed$name.out" wlog="$W/watch-ed$name.log"
    rm -f "$wout" "$wlog"
    (
      for i in $(seq 1 "$RUNS"); do
        for _ in $(seq 1 600); do
          [ -f "$wlog" ] && grep -q "watching for changes (build $i)" "$wlog" && break
          sleep 0.1
        done
        sleep 0.2
        sed -i "\$ s/\$/ Encore une phrase./" "$ed/articles/a002.md"
      done
    ) &
    r=$("$TOOLS/runstat" 1 sh -c 'exec "$1" watch "$2" -o "$3" --quiet --stats --cache "$4" --builds "$5" > "$6" 2> "$7"' sh \
      "$BIN" "$ed/issue.yaml" "$W/ed$name-watch.pdf" "$cache" "$((RUNS + 1))" "$wout" "$wlog")
    wait
    wms=$(sed -n 's/^build \([0-9]*\): \([0-9]*\) ms.*/\1 \2/p' "$wout" | awk '$1 > 1 {print $2}' | sort -n |
      awk '{v[NR] = $1} END {print NR ? v[int((NR + 1) / 2)] : "-"}')
    rebuild[$name]="$wms $(echo "$r" | field max_rss_mb)"
  fi
  floor=$("$TOOLS/pango_greedy" "$ed/issue.yaml" --time "$RUNS" | tail -1)
  tex=- pair=-
  if command -v pdflatex > /dev/null; then
    bash tests/bench/tex.sh "$ed" "$W/ed$name.tex"
    (cd "$W" && pdflatex -interaction=batchmode -halt-on-error "ed$name.tex" > /dev/null) || true
    if [ -s "$W/ed$name.log" ] && grep -q 'Output written' "$W/ed$name.log"; then
      tex=$(cd "$W" && "$OLDPWD/$TOOLS/runstat" "$RUNS" pdflatex -interaction=batchmode -halt-on-error "ed$name.tex" | field median_ms)
      pair=$(paired)
    fi
  fi
  printf '%-10s %6s %7s %6s %8s %10s %9s %12s %14s\n' "ed$name" "$nwords" "$pages" "$msgs" "$imgs" "$ms" "$mb" "$floor" "$tex"
  echo "  rotative / Pango floor: $(ratio "$ms" "$floor")x$([ "$tex" != - ] && echo "; pdflatex / rotative: ${pair}x paired (the median of $RUNS pairs run in turn; $(ratio "$tex" "$ms")x from the two medians; pdflatex sets the text only)")"
  if [ -n "${rebuild[$name]:-}" ]; then
    read -r wms wmb <<< "${rebuild[$name]}"
    echo "  rebuild after one edit / cold build: $(ratio "$wms" "$ms")x ($wms ms in watch, $wmb MB peak over its $((RUNS + 1)) builds)"
    read -r sms smb <<< "${second[$name]}"
    echo "  second build after one edit / cold build: $(ratio "$sms" "$ms")x ($sms ms, $smb MB: a new process, warm image cache)"
  fi
done
[ "${#med[@]}" -eq 3 ] || exit 1
echo "64-page-class / 16-page-class time: $(ratio "${med[64]}" "${med[16]}")x (4x the content)"
