#!/usr/bin/env bash
# layers.sh OBJDIR: checks that calls between the files and folders of src/
# go one way (no circle), from two sources:
#   includes  every `#include "..."` of src/ (x.c and x.h are one node, but a
#             folder's public header, named like the folder, is its own: it
#             declares the folder's types and interface, used by every file)
#   symbols   the objects in OBJDIR (the build, e.g. build/rel): a file that
#             uses a symbol another file defines depends on it
# and that no file of src/ is over 600 lines unless it says why at its top
# ("Longer than ..." in its first 30 lines). Prints each circle or long file
# and exits 1 if there is one. Run it from the repository's top:
#   bash tests/tools/layers.sh build/rel
set -u
obj=${1:?usage: layers.sh OBJDIR}
status=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# nodes are paths under src/ without the extension (src/compose/block)
node() {
  local p=${1#./} dir base
  dir=$(dirname "$p") base=$(basename "$p")
  if [ "$base" = "$(basename "$dir").h" ]; then echo "$dir/$base"; else echo "${p%.*}"; fi
}

# 1. includes
for f in $(find src -name '*.c' -o -name '*.h' | sort); do
  d=$(dirname "$f")
  sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
  while read -r inc; do
    t=$(realpath -m --relative-to=. "$d/$inc")
    [ -e "$t" ] || continue
    a=$(node "$f") b=$(node "$t")
    [ "$a" = "$b" ] || echo "$a $b"
  done
done > "$tmp/includes"

# 2. symbols (defined and used, global, per object)
: > "$tmp/symbols"
for o in $(find "$obj/src" -name '*.o' | sort); do
  c=src/${o#$obj/src/}; c=${c%.o}.c
  [ -e "$c" ] || continue # an object left from a file since moved
  src=$(node "$c")
  nm --defined-only -g "$o" | awk -v s="$src" '$2 ~ /[TDBRC]/ {print $3, s}' >> "$tmp/defs"
  nm -u "$o" | awk -v s="$src" '{print $2, s}' >> "$tmp/uses"
done
sort -u "$tmp/defs" > "$tmp/defs.s"
sort -u "$tmp/uses" > "$tmp/uses.s"
join "$tmp/uses.s" "$tmp/defs.s" | awk '$2 != $3 {print $2, $3}' | sort -u > "$tmp/symbols"

check_graph() { # name file: a circle is a loop for tsort
  local name=$1 file=$2
  if [ ! -s "$file" ]; then
    echo "layers: $name: no edges (nothing built in $obj?)" >&2; status=1; return
  fi
  if ! tsort "$file" > /dev/null 2> "$tmp/loop"; then
    echo "layers: $name between files: a circle"; sed 's/^tsort: /  /' "$tmp/loop"; status=1
  fi
  # folders (src/compose/shape is a folder of its own)
  awk '{a=$1; b=$2; sub(/\/[^\/]*$/, "", a); sub(/\/[^\/]*$/, "", b); if (a != b) print a, b}' \
    "$file" | sort -u > "$file.dirs"
  if [ -s "$file.dirs" ] && ! tsort "$file.dirs" > /dev/null 2> "$tmp/loop"; then
    echo "layers: $name between folders: a circle"; sed 's/^tsort: /  /' "$tmp/loop"; status=1
  fi
}
check_graph includes "$tmp/includes"
check_graph calls "$tmp/symbols"

# 3. long files
for f in $(find src -name '*.c' -o -name '*.h' | sort); do
  n=$(wc -l < "$f")
  if [ "$n" -gt 600 ] && ! head -30 "$f" | grep -q 'Longer than'; then
    echo "layers: $f has $n lines and does not say why at its top"; status=1
  fi
done
[ $status = 0 ] && echo "layers: no circle between $(cut -d' ' -f1 "$tmp/symbols" | sort -u | wc -l) files; folders: $(tr ' ' '\n' < "$tmp/symbols.dirs" | sort -u | tr '\n' ' ')"
exit $status
