# Helpers for end-to-end tests. Each check appends one line to $RESULTS.
ROT=${ROTATIVE_BIN:?run through tests/run.sh}
TOOLS=${ROTATIVE_TOOLS:?}
TMP=$(mktemp -d)
# the image cache of every build goes here unless a test names another (never ~/.cache)
export XDG_CACHE_HOME=$TMP/xdg-cache
# under SANITIZE=1 (ASan/UBSan, several times slower) scripts may run their
# large generated editions once instead of across every seed: the first pass
# runs them all
SAN=${ROTATIVE_SANITIZE:-0}
trap 'rm -rf "$TMP"' EXIT

pass() { echo "pass 1 $*" >> "$RESULTS"; echo "  ok   $*"; }
fail() { echo "fail 1 $*" >> "$RESULTS"; echo "  FAIL $*"; }
check() { # check "name" command...
  local name=$1; shift
  if "$@" > "$TMP/check.out" 2>&1; then pass "$name"; else fail "$name"; sed 's/^/       /' "$TMP/check.out" | head -15; fi
}
# without_reserve DIR: the edition in DIR without its `reserve:` (the sample's
# house page and jumps are the edition as listed: its reserve fills them)
without_reserve() { sed -i '/^reserve:/,/^[a-z]/{/^reserve:/d;/^  - articles\/r/d;/^#/d}' "$1/issue.yaml"; }
