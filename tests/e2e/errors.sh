# Malformed inputs: each case breaks one file of a small valid edition and
# expects `rotative check` to exit 1 with the error at the right
# path:line:col. The last case makes ten mistakes at once and expects ten
# located errors.
. "$(dirname "$0")/lib.sh"
FIX=tests/e2e/fixtures/mini
n=0

# err NAME FILE 'EXPECTED path:line:col: error: text' < new content of FILE
err() {
  local name=$1 file=$2 expect=$3
  n=$((n + 1))
  local dir="$TMP/case$n"
  cp -r "$FIX" "$dir"
  mkdir -p "$(dirname "$dir/$file")"
  cat > "$dir/$file"
  [ "$file" = mylayout.yaml ] && sed -i 's/^layout: tabloid/layout: mylayout.yaml/' "$dir/issue.yaml"
  (cd "$dir" && "$ROT" check issue.yaml > out.txt 2>&1; echo $? > code)
  if [ "$(cat "$dir/code")" = 1 ] && grep -qF -- "$expect" "$dir/out.txt"; then
    pass "error: $name"
  else
    fail "error: $name (exit $(cat "$dir/code"); expected: $expect)"
    sed 's/^/       /' "$dir/out.txt" | head -8
  fi
}

check "the fixture itself is valid" "$ROT" check "$FIX/issue.yaml"

err "unknown key in the edition" issue.yaml "issue.yaml:8:1: error: unknown key 'colour' in the edition" <<'EOF'
paper: "P"
number: 7
date: 2026-05-01
price: 2
language: fr
layout: tabloid
articles: [articles/a.md]
colour: red
EOF
err "date that does not exist" issue.yaml "issue.yaml:3:7: error: date must be a real date written YYYY-MM-DD, not '2026-02-29'" <<'EOF'
paper: "P"
number: 7
date: 2026-02-29
price: 2
language: fr
layout: tabloid
articles: [articles/a.md]
EOF
err "date in the wrong format" issue.yaml "issue.yaml:3:7: error: date must be a real date written YYYY-MM-DD, not '1/5/2026'" <<'EOF'
paper: "P"
number: 7
date: 1/5/2026
price: 2
language: fr
layout: tabloid
articles: [articles/a.md]
EOF
err "unknown language" issue.yaml "issue.yaml:5:11: error: language must be fr, nl or en, not 'de'" <<'EOF'
paper: "P"
number: 7
date: 2026-05-01
price: 2
language: de
layout: tabloid
articles: [articles/a.md]
EOF
err "layout that does not exist" issue.yaml "issue.yaml:6:9: error: layout not found: 'broadsheet'" <<'EOF'
paper: "P"
number: 7
date: 2026-05-01
price: 2
language: fr
layout: broadsheet
articles: [articles/a.md]
EOF
err "number that is not a number" issue.yaml "issue.yaml:2:9: error: number must be a whole number, not 'sept'" <<'EOF'
paper: "P"
number: sept
date: 2026-05-01
price: 2
language: fr
layout: tabloid
articles: [articles/a.md]
EOF
err "page count not a multiple of 4" issue.yaml "issue.yaml:7:8: error: pages must be a multiple of 4" <<'EOF'
paper: "P"
number: 7
date: 2026-05-01
price: 2
language: fr
layout: tabloid
pages: 10
articles: [articles/a.md]
EOF
err "missing required key" issue.yaml "issue.yaml:1:1: error: missing required key 'articles' in the edition" <<'EOF'
paper: "P"
number: 7
date: 2026-05-01
price: 2
language: fr
layout: tabloid
EOF
err "article file missing" issue.yaml "issue.yaml:9:5: error: file not found: 'articles/zz.md'" <<'EOF'
paper: "P"
number: 7
date: 2026-05-01
price: 2
language: fr
layout: tabloid
articles:
  - articles/a.md
  - articles/zz.md
EOF
err "lead not among the articles" issue.yaml "issue.yaml:8:9: error: lead 'articles/c.md' is not one of the edition's articles" <<'EOF'
paper: "P"
number: 7
date: 2026-05-01
price: 2
language: fr
layout: tabloid
front:
  lead: articles/c.md
articles: [articles/a.md]
EOF
err "span wider than the layout" issue.yaml "issue.yaml:9:11: error: span 7 is wider than the layout's 5 columns" <<'EOF'
paper: "P"
number: 7
date: 2026-05-01
price: 2
language: fr
layout: tabloid
articles:
  - file: articles/a.md
    span: 7
EOF
err "YAML syntax error" issue.yaml "issue.yaml:1:8: error: YAML syntax: found unexpected end of stream while scanning a quoted scalar" <<'EOF'
paper: "P
number: 7
date: 2026-05-01
EOF
err "article without front matter" articles/b.md "articles/b.md:1:1: error: article must start with YAML front matter ('---')" <<'EOF'
# Une brève
Du texte.
EOF
err "front matter never closed" articles/b.md "articles/b.md:1:1: error: front matter is not closed" <<'EOF'
---
title: "Une brève"
Du texte.
EOF
err "article without a title" articles/b.md "articles/b.md:2:1: error: missing required key 'title' in article front matter" <<'EOF'
---
section: "Agenda"
---
Du texte.
EOF
err "misspelt key, with a suggestion" articles/b.md "articles/b.md:3:1: error: unknown key 'kikcer' in article front matter (did you mean 'kicker'?)" <<'EOF'
---
title: "Une brève"
kikcer: "Agenda"
---
Du texte.
EOF
err "image file missing" articles/b.md "articles/b.md:5:11: error: file not found: '../images/none.png'" <<'EOF'
---
title: "Une brève"
images:
  - caption: "x"
    file: ../images/none.png
---
Du texte.
EOF
err "image that is not PNG or JPEG" articles/b.md "articles/b.md:4:11: error: '../issue.yaml' is not a PNG or JPEG image" <<'EOF'
---
title: "Une brève"
images:
  - file: ../issue.yaml
---
Du texte.
EOF
err "code block in an article" articles/b.md "articles/b.md:7:1: error: a code block is not supported in an article" <<'EOF'
---
title: "Une brève"
---
Du texte.

Encore du texte.
```
code
```
EOF
err "raw HTML in an article" articles/b.md "articles/b.md:5:13: error: raw HTML is not supported" <<'EOF'
---
title: "Une brève"
---

Du texte et <b>gras</b>.
EOF
err "wrong type in front matter" articles/b.md "articles/b.md:3:10: error: section must be a value, not a list" <<'EOF'
---
title: "Une brève"
section: [a, b]
---
Du texte.
EOF
err "message with an unknown format" messages/m1.yaml "messages/m1.yaml:3:9: error: unknown format '1/3' (the rate card has '1/16', '1/8', '1/4', '1/2', '1/1')" <<'EOF'
from: "Section"
text: "Merci."
format: "1/3"
contact: "x@example.org"
payment: {amount: 30, reference: "R", status: paid}
EOF
err "message amount not a number of euros" messages/m1.yaml "messages/m1.yaml:6:11: error: amount '30 balles' is not an amount of euros: write the number, like 30 or 30.00" <<'EOF'
from: "Section"
text: "Merci."
format: "1/8"
contact: "x@example.org"
payment:
  amount: 30 balles
  reference: "R"
  status: paid
EOF
err "message with an unknown payment status" messages/m1.yaml "messages/m1.yaml:5:47: error: status must be paid, pending or offered, not 'maybe'" <<'EOF'
from: "Section"
text: "Merci."
format: "1/16"
contact: "x@example.org"
payment: {amount: 30, reference: "R", status: maybe}
EOF
err "message without contact" messages/m1.yaml "messages/m1.yaml:1:1: error: missing required key 'contact' in a message" <<'EOF'
from: "Section"
text: "Merci."
format: "1/16"
payment: {amount: 30, reference: "R", status: paid}
EOF
err "message logo outside its folder" messages/m1.yaml "messages/m1.yaml:6:7: error: logo must not leave the messages folder ('..')" <<'EOF'
from: "Section"
text: "Merci."
format: "1/16"
contact: "x@example.org"
payment: {amount: 30, reference: "R", status: paid}
logo: ../images/pic.png
EOF
err "message with a YAML alias (billion laughs)" messages/m1.yaml "messages/m1.yaml:2:4: error: YAML aliases are not allowed" <<'EOF'
a: &a ["lol", "lol", "lol"]
b: *a
EOF
err "message with a heading" messages/m1.yaml "messages/m1.yaml:3:3: error: a heading is not allowed in a supporter message" <<'EOF'
from: "Section"
text: |
  # Grand titre
format: "1/16"
contact: "x@example.org"
payment: {amount: 30, reference: "R", status: paid}
EOF
printf 'from: "Section \x01"\ntext: "Merci."\nformat: "1/16"\ncontact: "x@example.org"\npayment: {amount: 30, reference: "R", status: paid}\n' > "$TMP/ctrl.yaml"
err "message with a control character" messages/m1.yaml "messages/m1.yaml:1:16: error: control character U+0001 in text" < "$TMP/ctrl.yaml"
err "layout length without a unit" mylayout.yaml "mylayout.yaml:7:11: error: baseline: length needs a unit (mm, pt, cm, in): '11'" < <(sed 's/^baseline: 11pt/baseline: 11/' layouts/tabloid.yaml)
err "layout style naming a missing font" mylayout.yaml "mylayout.yaml:19:18: error: style 'body': font 'Comic Sans' is not in the fonts folder (available: EB Garamond, Liberation Serif, PT Sans Narrow, PT Sans, PT Serif)" < <(sed 's/body:          {font: Liberation Serif,/body:          {font: Comic Sans,/' layouts/tabloid.yaml)
err "layout style with an unknown colour" mylayout.yaml "mylayout.yaml:22:89: error: color: unknown colour 'blue'" < <(sed '/^  kicker:/s/color: red/color: blue/' layouts/tabloid.yaml)
err "small capitals in a face without them" mylayout.yaml "mylayout.yaml:19:18: error: style 'body': font 'Liberation Serif' has no small capitals (OpenType smcp)" < <(sed 's/align: justify, indent: 3mm}/align: justify, indent: 3mm, small_caps: true}/' layouts/tabloid.yaml)
err "drop cap in a font that is not there" mylayout.yaml "error: drop_cap: font 'Futura' is not in the fonts folder" < <(sed 's/^drop_cap: {lines: 3, font: PT Serif,/drop_cap: {lines: 3, font: Futura,/' layouts/tabloid.yaml)
err "drop cap spanning too many lines" mylayout.yaml "error: lines must be between 2 and 6, not 9" < <(sed 's/^drop_cap: {lines: 3,/drop_cap: {lines: 9,/' layouts/tabloid.yaml)
err "layout words with a bad printf format" mylayout.yaml "must contain exactly one %d" < <(sed 's/continued_on: "Suite en page %d"/continued_on: "Suite en page %s"/' layouts/tabloid.yaml)

# ten mistakes at once: ten located errors, exit 1
dir="$TMP/ten"; cp -r "$FIX" "$dir"
cat > "$dir/issue.yaml" <<'EOF'
paper: "P"
number: 0
date: 2026-13-01
price: gratuit
language: xx
layout: tabloid
pages: 6
front:
  lead: articles/nope.md
articles:
  - articles/a.md
  - articles/missing.md
couleur: rouge
EOF
cat > "$dir/articles/a.md" <<'EOF'
---
titre: "x"
---
<div>x</div>
EOF
(cd "$dir" && "$ROT" check issue.yaml > out.txt 2>&1; echo $? > code)
located=$(grep -cE '^[^:]+:[0-9]+:[0-9]+: error: ' "$dir/out.txt")
check "ten mistakes: exit 1" test "$(cat "$dir/code")" = 1
check "ten mistakes: at least ten located errors ($located)" test "$located" -ge 10
