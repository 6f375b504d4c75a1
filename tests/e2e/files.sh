# Supporters' and editors' files as they come: saved as Windows-1252 (one
# error with its line, "save it as UTF-8"), indented with tabs ("use
# spaces", line:col), a straight " inside a quoted text (the same hint in a
# message, an article's front matter, a flow list or the edition).
. "$(dirname "$0")/lib.sh"
FIX=tests/e2e/fixtures/mini
case_() { # case_ NAME FILE 'EXPECTED' < content
  local name=$1 file=$2 expect=$3 dir="$TMP/c$RANDOM$RANDOM"
  cp -r "$FIX" "$dir"
  cat > "$dir/$file"
  (cd "$dir" && "$ROT" check issue.yaml > out.txt 2>&1; echo $? > code)
  if [ "$(cat "$dir/code")" = 1 ] && grep -qF -- "$expect" "$dir/out.txt"; then
    pass "$name"
  else
    fail "$name (exit $(cat "$dir/code"); expected: $expect)"
    sed 's/^/       /' "$dir/out.txt" | head -6
  fi
  cp "$dir/out.txt" "$TMP/last.out"
}
Q='(a straight " inside a quoted text ends it: write “ ” or « » instead, or \")'
printf 'from: "Caf\xe9 du Coin"\ntext: |\n  Merci \xe0 tous, \x93camarades\x94 !\n  Et \xe0 bient\xf4t.\nformat: "1/16"\ncontact: "x@example.org"\npayment: {amount: 30, reference: "R", status: paid}\n' > "$TMP/w.yaml"
case_ "Windows-1252 message: not UTF-8, save it as UTF-8, at its line" messages/m1.yaml "messages/m1.yaml:1:11: error: not UTF-8: byte 0xE9 ('é' in Windows-1252): the file is saved as Windows-1252 or Latin-1 (Notepad's \"ANSI\"); save it as UTF-8" < "$TMP/w.yaml"
check "  ... one error for the file, the other bytes in a note" bash -c "test \$(grep -c 'error:' '$TMP/last.out') = 1 && grep -q 'note: 5 more bytes in this file are not UTF-8 either' '$TMP/last.out'"
printf -- '---\ntitle: "Le r\xe9veil"\n---\nTexte \x96 fin.\n' > "$TMP/w.md"
case_ "Windows-1252 article: the same, at its line" articles/b.md "articles/b.md:2:13: error: not UTF-8: byte 0xE9 ('é' in Windows-1252)" < "$TMP/w.md"
printf 'from: "Section"\ntext: "Merci."\nformat: "1/16"\ncontact: "x@example.org"\npayment:\n  amount: 30\n\treference: "R"\n  status: paid\n' > "$TMP/t.yaml"
case_ "tab indentation in a message: use spaces, line:col" messages/m1.yaml "messages/m1.yaml:7:1: error: tabs are not allowed for indentation, use spaces" < "$TMP/t.yaml"
printf -- '---\ntitle: "Un titre"\nimages:\n  - file: ../images/pic.png\n \t caption: "x"\n---\nTexte.\n' > "$TMP/t.md"
case_ "tab indentation in front matter: line:col" articles/b.md "articles/b.md:5:2: error: tabs are not allowed for indentation, use spaces" < "$TMP/t.md"
printf 'from: "Le collectif "Wavre debout""\ntext: "Merci."\nformat: "1/16"\ncontact: "x@example.org"\npayment: {amount: 30, reference: "R", status: paid}\n' > "$TMP/q1.yaml"
case_ "straight quote in a message's from: the hint" messages/m1.yaml "messages/m1.yaml:1:" < "$TMP/q1.yaml"
check "  ... $Q" grep -qF "$Q" "$TMP/last.out"
printf 'from: "Section"\ntext: "Merci."\nformat: "1/16"\ncontact: "x@example.org"\npayment: {amount: 30, reference: "R"1", status: paid}\n' > "$TMP/q2.yaml"
case_ "straight quote in a flow mapping: the same hint" messages/m1.yaml "$Q" < "$TMP/q2.yaml"
printf -- '---\ntitle: "Le "grand" soir"\n---\nTexte.\n' > "$TMP/q.md"
case_ "straight quote in an article title: the same hint" articles/b.md "$Q" < "$TMP/q.md"
printf -- '---\nkicker: "Social"\ntitle: "Le "grand" soir"\nbyline: "Par X"\n---\nTexte.\n' > "$TMP/q3.md"
case_ "  ... not on the first line: the same hint" articles/b.md "articles/b.md:3:" < "$TMP/q3.md"
check "  ... $Q" grep -qF "$Q" "$TMP/last.out"
sed 's/^paper: .*/paper: "La "Gazette" d essai"/' $FIX/issue.yaml > "$TMP/q.yaml"
case_ "straight quote in the edition: the same hint" issue.yaml "$Q" < "$TMP/q.yaml"
