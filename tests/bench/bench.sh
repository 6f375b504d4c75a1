#!/usr/bin/env bash
# make bench: generates a 20,000-word edition (40 messages, 10 images) and
# one four times larger, builds each RUNS times as PDF/X-1a, and prints the
# median wall time and peak memory next to two references from the same run:
#   - the Pango floor: Pango's own greedy layout of the same paragraphs into
#     the same columns (tests/tools/pango_greedy --time), text only;
#   - pdflatex with multicol and microtype on the same article text (no
#     images, no messages), when pdflatex is installed.
# A third edition, ed16t, is the first without images and messages: the
# same work as the pdflatex reference.
# Machines are noisy: compare the ratios, not the milliseconds.
set -euo pipefail
BIN=${1:?usage: bench.sh ROTATIVE TOOLS_DIR}
TOOLS=${2:?}
RUNS=${RUNS:-5}
W=${BENCH_DIR:-build/bench}
mkdir -p "$W"
stat() { "$TOOLS/runstat" "$RUNS" "$@"; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

declare -A med
printf '%-10s %6s %7s %6s %8s %10s %9s %12s %14s\n' edition words pages msgs images median_ms peak_mb pango_floor_ms pdflatex_ms
for spec in "16:20000:40:10" "16t:20000:0:0" "64:80000:160:40"; do
  IFS=: read -r name words msgs imgs <<< "$spec"
  ed="$W/ed$name"
  bash tests/bench/gen.sh "$ed" "$words" "$msgs" "$imgs" 2> /dev/null
  "$BIN" build "$ed/issue.yaml" -o "$W/ed$name.pdf" --quiet 2> /dev/null
  pages=$(pdfinfo "$W/ed$name.pdf" | awk '/^Pages:/ {print $2}')
  nwords=$(awk '/^---$/{f++; next} f>=2{n+=NF} END{print n}' "$ed"/articles/*.md)
  r=$(stat "$BIN" build "$ed/issue.yaml" -o "$W/ed$name.pdf" --quiet)
  ms=$(echo "$r" | field median_ms) mb=$(echo "$r" | field max_rss_mb)
  med[$name]=$ms
  floor=$("$TOOLS/pango_greedy" "$ed/issue.yaml" --time "$RUNS" | tail -1)
  tex=-
  if command -v pdflatex > /dev/null; then
    bash tests/bench/tex.sh "$ed" "$W/ed$name.tex"
    (cd "$W" && pdflatex -interaction=batchmode -halt-on-error "ed$name.tex" > /dev/null) || true
    if [ -s "$W/ed$name.log" ] && grep -q 'Output written' "$W/ed$name.log"; then
      tex=$(cd "$W" && "$OLDPWD/$TOOLS/runstat" "$RUNS" pdflatex -interaction=batchmode -halt-on-error "ed$name.tex" | field median_ms)
    fi
  fi
  printf '%-10s %6s %7s %6s %8s %10s %9s %12s %14s\n' "ed$name" "$nwords" "$pages" "$msgs" "$imgs" "$ms" "$mb" "$floor" "$tex"
  echo "  rotative / Pango floor: $(ratio "$ms" "$floor")x$([ "$tex" != - ] && echo "; pdflatex / rotative: $(ratio "$tex" "$ms")x (pdflatex sets the text only)")"
done
echo "64-page-class / 16-page-class time: $(ratio "${med[64]}" "${med[16]}")x (4x the content)"
