# rotative serve through HTTP (curl) on a free loopback port, on a copy of
# the sample edition: the form and its rate card, a good submission (the
# file it writes passes `intake check`, the proof is served at the page's
# proportions), each class of bad input (4xx, the problem next to its
# field, nothing written), the body limit, the CSRF token, the rate limit,
# /admin with and without the token and marking a message paid, a Dutch
# edition, and a clean stop on SIGTERM.
. "$(dirname "$0")/lib.sh"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT

# start NAME EDITION [options]: starts a server on a free port; sets PORT
start() {
  local name=$1 ed=$2; shift 2
  "$ROT" serve "$ed" --listen 127.0.0.1:0 "$@" > "$TMP/$name.log" 2>&1 &
  PIDS+=($!)
  eval "${name}_pid=$!"
  PORT=
  for _ in $(seq 100); do
    PORT=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)/$|\1|p' "$TMP/$name.log")
    [ -n "$PORT" ] && break
    kill -0 "$!" 2>/dev/null || break
    sleep 0.1
  done
  eval "${name}_port=$PORT"
}

cp -r issues/2026-05 "$TMP/ed"
MSG="$TMP/ed/messages"
ls -A "$MSG" > "$TMP/before.txt"
printf 'Zx8-test-token-0123456789abcdef\n' > "$TMP/token"
chmod 600 "$TMP/token"
start main "$TMP/ed/issue.yaml" --admin-token-file "$TMP/token" --rate 1000
B="http://127.0.0.1:$main_port"
check "serve starts on a free loopback port ($main_port)" test -n "$main_port"

JAR="$TMP/jar"
NB=$(printf '\302\240') # amounts are written "30,00${NB}€" with a no-break space
token() { curl -s -b "$JAR" -c "$JAR" "$B/" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p'; }
# post FIELD=VALUE...: the form as a browser sends it (multipart), with the
# token; the default fields are overridden by those given; `logo=@FILE;type=T`
# attaches a file. Prints the status; the page is in $TMP/out.
post() {
  local tok; tok=$(token)
  declare -A f=([from]="Section locale de Test" [text]="Bon courage à toutes et à tous !" [contact]="test@example.org" [format]=auto)
  local extra=() a
  for a in "$@"; do
    case $a in logo=*) extra+=(-F "$a");; *) f[${a%%=*}]=${a#*=};; esac
  done
  local args=() k
  for k in "${!f[@]}"; do args+=(--form-string "$k=${f[$k]}"); done
  curl -s -b "$JAR" --form-string "csrf=$tok" "${args[@]}" "${extra[@]}" -o "$TMP/out" -D "$TMP/hdr" -w '%{http_code}' "$B/"
}
files_unchanged() { ls -A "$MSG" | diff "$TMP/before.txt" - > /dev/null; }

# --- the form
curl -s -D "$TMP/form.hdr" -o "$TMP/form.html" "$B/"
check "GET /: 200, HTML in UTF-8" grep -qi '^content-type: text/html; charset=utf-8' "$TMP/form.hdr"
check "GET /: a Content-Security-Policy without inline scripts" grep -qi "^content-security-policy: default-src 'none'; script-src 'self';" "$TMP/form.hdr"
check "GET /: nosniff, no framing" bash -c "grep -qi '^x-content-type-options: nosniff' '$TMP/form.hdr' && grep -qi '^x-frame-options: DENY' '$TMP/form.hdr'"
check "GET /: a SameSite=Strict HttpOnly cookie for the CSRF token" grep -qi '^set-cookie: rotative_form=[0-9a-f]\{32\}; .*HttpOnly; SameSite=Strict' "$TMP/form.hdr"
check "form: in French, with the layout's call for messages" grep -q '<html lang="fr">.*\|<h1>Soutenez-nous : placez votre message dans notre édition de mai !</h1>' "$TMP/form.html"
check "form: the rate card, every format with its size and price" bash -c "grep -q '<td>1/16</td><td>63 × 77 mm (1 × 1 modules)</td><td>30,00${NB}€</td>' '$TMP/form.html' && grep -q '<td>1/1</td><td>265 × 319 mm (4 × 4 modules)</td><td>360,00${NB}€</td>' '$TMP/form.html' && test \$(grep -c '^<tr><td>1/' '$TMP/form.html') = 5"
check "form: fields from, text, format, contact, logo and a CSRF token" bash -c "for f in 'input type=\"text\" id=\"from\" name=\"from\"' 'textarea id=\"text\" name=\"text\"' 'select id=\"format\" name=\"format\"' 'id=\"contact\" name=\"contact\"' 'input type=\"file\" id=\"logo\" name=\"logo\" accept=\"image/png,image/jpeg\"' 'name=\"csrf\" value=\"[0-9]*-[0-9a-f]\{64\}\"'; do grep -q \"\$f\" '$TMP/form.html' || exit 1; done"
check "form: multipart, works without JavaScript (the script only adds the live proof)" bash -c "grep -q '<form method=\"post\" action=\"/\" enctype=\"multipart/form-data\"' '$TMP/form.html' && grep -q '<script src=\"/form.js\"></script>' '$TMP/form.html' && ! grep -q '<script>' '$TMP/form.html'"
code=$(curl -s -o "$TMP/js" -w '%{http_code} %{content_type}' "$B/form.js")
check "form.js and style.css served with their types" bash -c "test '$code' = '200 text/javascript; charset=utf-8' && test \"\$(curl -s -o /dev/null -w '%{content_type}' '$B/style.css')\" = 'text/css; charset=utf-8'"

# --- a good submission, with a logo
code=$(post 'from=Boulangerie "Au Bon Pain" <b>&amp;</b>' $'text=Le 1er mai, tous dans la rue !\r\n\r\nSolidarité avec les grévistes.' format=1/8 'logo=@tests/intake/good/logos/centrale.png;type=image/png')
check "good submission: 303 to its page" bash -c "test '$code' = 303 && grep -qi '^location: /message/web-[0-9]\{8\}-[0-9a-f]\{12\}' '$TMP/hdr'"
loc=$(sed -n 's/^[Ll]ocation: \(.*\)\r$/\1/p' "$TMP/hdr")
id=${loc#/message/}
f="$MSG/$id.yaml"
check "  ... a new message file under a server-chosen name" test -f "$f"
check "  ... status pending, the price of its format, a structured reference" bash -c "grep -q '^  status: pending$' '$f' && grep -q '^  amount: 55.00$' '$f' && grep -q '^  reference: \"+++[0-9]\{3\}/[0-9]\{4\}/[0-9]\{5\}+++\"$' '$f'"
ref=$(sed -n 's/^  reference: "\(.*\)"$/\1/p' "$f")
d=$(echo "$ref" | tr -dc 0-9)
check "  ... the reference's check digits are its first ten digits modulo 97" test "$(( (10#${d:0:10} % 97 == 0 ? 97 : 10#${d:0:10} % 97) ))" = "$((10#${d:10:2}))"
check "  ... the logo stored under the same name" bash -c "test -f '$MSG/logos/$id.png' && cmp -s tests/intake/good/logos/centrale.png '$MSG/logos/$id.png'"
"$ROT" intake check "$f" > "$TMP/ic.out" 2>&1
check "  ... the file passes intake check" test $? = 0
check "  ... the sender's quotes and markup kept exactly (YAML escaped)" grep -qF "ok: 'Boulangerie \"Au Bon Pain\" <b>&amp;</b>', 1/8, pending 55.00" "$TMP/ic.out"
"$ROT" intake check "$MSG" > /dev/null 2>&1
check "  ... the whole folder still passes intake check (no duplicate reference)" test $? = 0
check "  ... no staging folder left behind" bash -c "! ls -A '$MSG' | grep -q '^\.serve-'"
curl -s -o "$TMP/page.html" -w '%{http_code}' "$B$loc" > "$TMP/code"
check "proof page: 200 with the amount and the reference" bash -c "test \$(cat '$TMP/code') = 200 && grep -q '<dd id=\"amount\">55,00${NB}€</dd>' '$TMP/page.html' && grep -qF '<dd id=\"reference\">$ref</dd>' '$TMP/page.html' && grep -q 'en attente du paiement' '$TMP/page.html'"
check "proof page: every value escaped" bash -c "grep -qF '<dd id=\"from\">Boulangerie &quot;Au Bon Pain&quot; &lt;b&gt;&amp;amp;&lt;/b&gt;</dd>' '$TMP/page.html' && ! grep -qF '<b>&amp;</b>' '$TMP/page.html'"
w=$(sed -n 's/.*id="proof" src="[^"]*" width="\([0-9]*\)" height="\([0-9]*\)".*/\1 \2/p' "$TMP/page.html")
curl -s -o "$TMP/proof.png" -D "$TMP/proof.hdr" "$B$loc/proof.png"
check "proof image: served as image/png" bash -c "grep -qi '^content-type: image/png' '$TMP/proof.hdr' && od -An -c -N4 '$TMP/proof.png' | grep -q 'P   N   G'"
pw=$(od -An -tu1 -j16 -N8 "$TMP/proof.png" | awk '{printf "%d %d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}')
check "proof image: the <img> has its proportions ($w for $pw px)" awk -v a="$w" -v b="$pw" 'BEGIN {split(a, x, " "); split(b, y, " "); r1 = x[1] / x[2]; r2 = y[1] / y[2]; exit !(x[1] > 0 && (r1 - r2 < 0.01 && r2 - r1 < 0.01))}'
check "proof image: a 1/8 box (130 x 77 mm) plus the proof's margins, at 150 dpi" awk -v b="$pw" 'BEGIN {split(b, y, " "); w = y[1] / 150 * 25.4; h = y[2] / 150 * 25.4; exit !(w > 140 && w < 150 && h > 100 && h < 110)}'
"$ROT" intake proof "$f" -o "$TMP/cli-proof.png" --dpi 150 2> /dev/null
check "proof image: the same pixels as intake proof of the filed file" cmp -s "$TMP/proof.png" "$TMP/cli-proof.png"

# the desk starts its font and word caches afresh every 64 messages: the
# proof stays the same across that
for i in $(seq 70); do curl -s -o "$TMP/again.png" "$B$loc/proof.png"; done
check "proof image: the same after 70 more proofs (caches renewed on the way)" cmp -s "$TMP/proof.png" "$TMP/again.png"

# urlencoded works too; "auto" takes the smallest format the text fits
tok=$(token)
long=$(printf 'Nous soutenons la lutte des travailleuses et des travailleurs. %.0s' $(seq 14))
code=$(curl -s -b "$JAR" -o /dev/null -D "$TMP/hdr2" -w '%{http_code}' --data-urlencode "csrf=$tok" --data-urlencode "from=Famille Dupont" --data-urlencode "text=$long" --data-urlencode "format=auto" --data-urlencode "contact=+32 4 123 45 67" "$B/")
f2="$MSG/$(sed -n 's/^[Ll]ocation: \/message\/\(.*\)\r$/\1/p' "$TMP/hdr2").yaml"
check "urlencoded submission: 303 and a file" bash -c "test '$code' = 303 && test -f '$f2'"
check "  ... format auto: the smallest that fits (1/8 for this text, not 1/16)" grep -q '^format: "1/8"$' "$f2"
ls -A "$MSG" > "$TMP/before.txt"

# --- bad input: 4xx, the problem next to its field, nothing written
bad() { # bad NAME STATUS FIELD TEXT post-args...
  local name=$1 want=$2 field=$3 text=$4; shift 4
  local got; got=$(post "$@")
  if [ "$got" = "$want" ] && grep -A0 "<p class=\"error\" id=\"$field-error\"" "$TMP/out" | grep -qF -- "$text" && files_unchanged; then
    pass "bad input: $name ($want, next to '$field')"
  else
    fail "bad input: $name (got $got, want $want with '$text' next to $field)"
    grep 'class="error"' "$TMP/out" | head -3 | sed 's/^/       /'
  fi
}
bad "empty sender" 422 from "Ce champ est obligatoire." "from=   "
bad "empty text" 422 text "Ce champ est obligatoire." "text="
bad "empty contact" 422 contact "Ce champ est obligatoire." "contact="
bad "sender too long" 422 from "Trop long : 201 caractères, 200 au plus." "from=$(printf 'x%.0s' $(seq 201))"
bad "text too long" 422 text "Trop long : 2001 caractères, 2000 au plus." "text=$(printf 'é%.0s' $(seq 2001))"
bad "text too long for any box: bytes beyond 64 KiB" 422 text "Trop long" "text=$(head -c 70000 /dev/zero | tr '\0' a)"
bad "text too long for its box" 422 text "Le texte ne tient pas dans le format 1/16" "format=1/16" "text=$long"
bad "a control character" 422 text "Caractère non accepté (code U+001B) en position 4." "text=abc$(printf '\033')def"
bad "a bidi override in the sender" 422 from "Caractère non accepté (code U+202E)" "from=Anne$(printf '\342\200\256')enna"
bad "a noncharacter" 422 text "Caractère non accepté (code U+FFFF)" "text=ab$(printf '\357\277\277')"
bad "not UTF-8 (Latin-1)" 422 text "pas de l’UTF-8" "text=$(printf 'caf\351')"
bad "a control character as a character reference" 422 text "control character U+001B" "text=abc &#27; def"
bad "a list (paragraphs and emphasis only)" 422 text "a list is not allowed" $'text=- un\n- deux'
bad "a new line in the contact" 422 contact "Une seule ligne" $'contact=a@b.be\nBcc: x@y.z'
bad "a path as the format" 422 format "Choisissez un des formats de la liste." "format=../../layouts/tabloid.yaml"
bad "a text file named .png" 422 logo "Le logo doit être une image PNG ou JPEG." "logo=@tests/intake/bad/logos/texte.png;type=image/png"
bad "a GIF logo" 422 logo "Le logo doit être une image PNG ou JPEG." "logo=@tests/intake/bad/logos/logo.gif;type=image/gif"
bad "an SVG logo" 422 logo "Le logo doit être une image PNG ou JPEG." "logo=@tests/intake/bad/logos/logo.svg;type=image/svg+xml"
bad "a PNG declared as text" 422 logo "Le logo doit être une image PNG ou JPEG." "logo=@tests/intake/bad/logos/valide.png;type=text/plain"
bad "a truncated PNG" 422 logo "is truncated or damaged" "logo=@tests/intake/bad/logos/tronque.png;type=image/png"
bad "a PNG claiming 100000 x 100000 pixels" 422 logo "100000 x 100000 pixels" "logo=@tests/intake/bad/logos/geant.png;type=image/png"
bad "a decompression bomb (20000 x 5000)" 422 logo "too large for a logo" "logo=@tests/intake/bad/logos/bombe.png;type=image/png"
check "bad input: the typed values come back in the form, escaped" bash -c "$(declare -f post token); B='$B' JAR='$JAR' TMP='$TMP'; post 'from=<script>alert(1)</script>' 'text=' > /dev/null; grep -qF 'value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"' '$TMP/out' && ! grep -qF '<script>alert' '$TMP/out'"

# a path in the logo's file name never reaches the file system
code=$(post "logo=@tests/intake/good/logos/centrale.png;type=image/png;filename=../../../evil.png")
check "a path as the logo's file name: filed under the server's name only" bash -c "test '$code' = 303 && test ! -e '$TMP/evil.png' && test ! -e '$TMP/ed/evil.png' && ! find '$TMP' -name evil.png | grep -q . && ls '$MSG/logos' | grep -qv centrale"
check "a YAML key in a value stays inside its string" bash -c "$(declare -f post token); B='$B' JAR='$JAR' TMP='$TMP'; test \$(post \$'from=x\"\nformat: \"1/1\"\npayment: {status: paid}' 'format=1/16') = 422"
code=$(post $'text=Ligne un\n  status: paid\n"\nformat: "1/1' format=1/16)
f3="$MSG/$(sed -n 's/^[Ll]ocation: \/message\/\(.*\)\r$/\1/p' "$TMP/hdr").yaml"
"$ROT" intake report "$MSG" --csv > "$TMP/rep.csv"
check "  ... a text holding YAML is filed as text (format 1/16, pending)" bash -c "test '$code' = 303 && grep -F \"\$(basename '$f3')\" '$TMP/rep.csv' | grep -q '\"1/16\",1,1,30.00,30.00,pending,\"held\"'"
ls -A "$MSG" > "$TMP/before.txt"

# the body limit: 413 for a declared 6 MB body, closed for an endless one
head -c 6000000 /dev/urandom > "$TMP/big.png"
code=$(post "logo=@$TMP/big.png;type=image/png")
check "a 6 MB body: 413, nothing written" bash -c "test '$code' = 413 && $(declare -f files_unchanged); MSG='$MSG' TMP='$TMP' files_unchanged"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/x-www-form-urlencoded' -H 'Transfer-Encoding: chunked' --data-binary @"$TMP/big.png" "$B/")
check "a 6 MB chunked body (no length): the connection is closed, nothing written" bash -c "test '$code' != 200 && test '$code' != 303 && $(declare -f files_unchanged); MSG='$MSG' TMP='$TMP' files_unchanged"

# strict types, CSRF, methods, paths
code=$(curl -s -b "$JAR" -o /dev/null -w '%{http_code}' -H 'Content-Type: text/plain' --data "from=x" "$B/")
check "POST as text/plain: 415" test "$code" = 415
code=$(curl -s -b "$JAR" -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data '{"from":"x"}' "$B/")
check "POST as JSON: 415" test "$code" = 415
code=$(curl -s -b "$JAR" -o /dev/null -w '%{http_code}' -H 'Content-Type: application/x-www-form-urlencoded; charset=iso-8859-1' --data "from=x" "$B/")
check "POST urlencoded in another charset: 415" test "$code" = 415
code=$(curl -s -b "$JAR" -o /dev/null -w '%{http_code}' --data "from=a&from=b" "$B/")
check "a field sent twice: 400" test "$code" = 400
code=$(curl -s -b "$JAR" -o /dev/null -w '%{http_code}' --data "from=a&path=/etc/passwd" "$B/")
check "an unknown field: 400" test "$code" = 400
code=$(curl -s -b "$JAR" -o /dev/null -w '%{http_code}' -F "from=@tests/intake/good/logos/centrale.png" "$B/")
check "a file where text is expected: 400" test "$code" = 400
code=$(curl -s -b "$JAR" -o "$TMP/out" -w '%{http_code}' --data-urlencode "csrf=123-abc" --data-urlencode "from=A" --data-urlencode "text=B" --data-urlencode "contact=c" "$B/")
check "a forged CSRF token: 403, the form again with the reason, nothing written" bash -c "test '$code' = 403 && grep -q 'id=\"general-error\">Le formulaire a expiré' '$TMP/out' && $(declare -f files_unchanged); MSG='$MSG' TMP='$TMP' files_unchanged"
tok=$(token)
code=$(curl -s -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$tok" --data-urlencode "from=A" --data-urlencode "text=B" --data-urlencode "contact=c" "$B/")
check "a valid token without its cookie (another browser): 403" test "$code" = 403
code=$(curl -s -b "$JAR" -o /dev/null -w '%{http_code}' -H 'Origin: https://evil.example' --data-urlencode "csrf=$tok" --data-urlencode "from=A" --data-urlencode "text=B" --data-urlencode "contact=c" "$B/")
check "a post from another site's page (Origin): 403" test "$code" = 403
check "PUT and DELETE: 405 with Allow" bash -c "test \$(curl -s -o /dev/null -w '%{http_code}' -X PUT '$B/') = 405 && curl -s -D - -o /dev/null -X DELETE '$B/admin' | grep -qi '^allow: GET, HEAD, POST'"
check "a path outside the site: 404" bash -c "for u in /../../etc/passwd /message/../issue.yaml /message/web-20260101-0123456789ab /message/$id/../../issue.yaml /messages/$id.yaml '/message/%2e%2e%2fissue'; do c=\$(curl -s --path-as-is -o /dev/null -w '%{http_code}' '$B'\"\$u\"); test \"\$c\" = 404 || { echo \"\$u: \$c\"; exit 1; }; done"
check "nothing written by any bad request" files_unchanged

# live proof (the script's request): JSON with a PNG, problems by field
tok=$(token)
curl -s -b "$JAR" -o "$TMP/pv.json" -D "$TMP/pv.hdr" --form-string "csrf=$tok" --form-string "from=Anne" --form-string "text=$long" --form-string "format=1/16" --form-string "contact=" "$B/preview"
check "live proof: JSON, the text's problem next to it, no problem yet for the empty contact" bash -c "grep -qi '^content-type: application/json' '$TMP/pv.hdr' && jq -e '(.problems.text | startswith(\"Le texte ne tient pas dans le format 1/16\")) and (.problems.contact == null) and .ok == false' '$TMP/pv.json'"
check "live proof: a PNG of the proof with its size" bash -c "jq -r .png '$TMP/pv.json' | base64 -d > '$TMP/pv.png' && od -An -c -N4 '$TMP/pv.png' | grep -q 'P   N   G' && jq -e '.width > 100 and .height > 100' '$TMP/pv.json'"
check "live proof: writes nothing" files_unchanged

# --- admin
code=$(curl -s -o /dev/null -D "$TMP/a.hdr" -w '%{http_code}' "$B/admin")
check "/admin without a token: 401 with WWW-Authenticate" bash -c "test '$code' = 401 && grep -qi '^www-authenticate: Bearer' '$TMP/a.hdr'"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer Zx8-test-token-0123456789abcdeX" "$B/admin")
check "/admin with a wrong token: 401" test "$code" = 401
code=$(curl -s -o /dev/null -w '%{http_code}' -u admin:Zx8-test-token-0123456789abcdef "$B/admin")
check "/admin with the token as a password (Basic): 401" test "$code" = 401
AUTH="Authorization: Bearer Zx8-test-token-0123456789abcdef"
curl -s -o "$TMP/admin.html" -w '%{http_code}' -H "$AUTH" "$B/admin" > "$TMP/code"
check "/admin with the token: 200, one row per message file" bash -c "test \$(cat '$TMP/code') = 200 && test \$(grep -c '^<tr class=' '$TMP/admin.html') = \$(ls '$MSG' | grep -c '\.yaml$')"
check "/admin: the web message pending, with a button to mark it paid" grep -q "<tr class=\"pending\"><td class=\"file\">$id.yaml</td>.*Marquer payé" "$TMP/admin.html"
check "/admin: the sample's pending message too, and paid and offered ones" bash -c "grep -q '<tr class=\"pending\"><td class=\"file\">m20-garage-martin.yaml' '$TMP/admin.html' && grep -q '<tr class=\"paid\">' '$TMP/admin.html' && grep -q '<tr class=\"offered\">' '$TMP/admin.html'"
"$ROT" intake report "$MSG" > "$TMP/rep.txt"
rec=$(sed -n 's/^received (paid, to print): \([0-9]*\)\.\([0-9]*\)$/\1,\2/p' "$TMP/rep.txt")
exp=$(sed -n 's/^expected (held, payment pending): \([0-9]*\)\.\([0-9]*\)$/\1,\2/p' "$TMP/rep.txt")
check "/admin: the totals of intake report (received $rec, expected $exp)" bash -c "grep -q '<dd id=\"received\">$rec${NB}€</dd>' '$TMP/admin.html' && grep -q '<dd id=\"expected\">$exp${NB}€</dd>' '$TMP/admin.html'"
atok=$(sed -n "s/.*<td class=\"file\">$id.yaml<\/td>.*name=\"csrf\" value=\"\([^\"]*\)\".*/\1/p" "$TMP/admin.html")
code=$(curl -s -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$atok" --data-urlencode "file=$id.yaml" "$B/admin/paid")
check "mark paid without the token: 401, unchanged" bash -c "test '$code' = 401 && grep -q '^  status: pending$' '$f'"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" --data-urlencode "csrf=x" --data-urlencode "file=$id.yaml" "$B/admin/paid")
check "mark paid without the admin's CSRF token: 403, unchanged" bash -c "test '$code' = 403 && grep -q '^  status: pending$' '$f'"
for p in ../issue.yaml /etc/passwd .hidden.yaml "$id.yaml/.." "logos/$id.png"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" --data-urlencode "csrf=$atok" --data-urlencode "file=$p" "$B/admin/paid")
  [ "$code" = 400 ] || break
done
check "mark paid of a path (../issue.yaml, /etc/passwd...): 400" bash -c "test '$code' = 400 && $(declare -f files_unchanged); MSG='$MSG' TMP='$TMP' files_unchanged"
cp "$f" "$TMP/before-paid.yaml"
code=$(curl -s -o /dev/null -D "$TMP/mp.hdr" -w '%{http_code}' -H "$AUTH" --data-urlencode "csrf=$atok" --data-urlencode "file=$id.yaml" "$B/admin/paid")
check "mark paid: 303 back to /admin, the file now paid" bash -c "test '$code' = 303 && grep -q '^  status: paid$' '$f' && grep -qi '^location: /admin?paid=$id.yaml' '$TMP/mp.hdr'"
"$ROT" intake check "$f" > /dev/null 2>&1
check "  ... and it still passes intake check, nothing but the status changed" bash -c "test $? = 0 && diff '$TMP/before-paid.yaml' '$f' | grep -c '^[<>]' | grep -qx 2 && diff <(sed 's/^  status: pending$/  status: paid/' '$TMP/before-paid.yaml') '$f' > /dev/null"
curl -s -o "$TMP/admin2.html" -H "$AUTH" "$B/admin?paid=$id.yaml"
"$ROT" intake report "$MSG" > "$TMP/rep2.txt"
rec2=$(sed -n 's/^received (paid, to print): \([0-9]*\)\.\([0-9]*\)$/\1,\2/p' "$TMP/rep2.txt")
check "  ... /admin shows it paid, the received total up by 55 ($rec2)" bash -c "grep -q '<tr class=\"paid\"><td class=\"file\">$id.yaml' '$TMP/admin2.html' && grep -q '<dd id=\"received\">$rec2${NB}€</dd>' '$TMP/admin2.html' && test $(( ${rec2%,*} - ${rec%,*} )) = 55"
code=$(curl -s -o "$TMP/out" -w '%{http_code}' -H "$AUTH" --data-urlencode "csrf=$atok" --data-urlencode "file=$id.yaml" "$B/admin/paid")
check "mark paid twice: 409 with the reason" bash -c "test '$code' = 409 && grep -q 'payment status is not &#39;pending&#39;' '$TMP/out'"

check "the server survived every bad request" bash -c "test \$(curl -s -o /dev/null -w '%{http_code}' '$B/') = 200 && kill -0 $main_pid"
check "every request logged, no client text in the log" bash -c "grep -q '^127.0.0.1 submit 303$' '$TMP/main.log' && ! grep -q 'alert(1)' '$TMP/main.log'"

# --- the rate limit (a server allowing 10 requests a minute)
start slow "$TMP/ed/issue.yaml" --rate 10
codes=""
for i in $(seq 14); do codes="$codes $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$slow_port/")"; done
check "rate limit: 10 requests pass, then 429 ($codes)" bash -c "echo '$codes' | grep -q '^\( 200\)\{10\} 429'"
check "rate limit: 429 says when to retry" bash -c "curl -s -D - -o /dev/null 'http://127.0.0.1:$slow_port/' | grep -qi '^retry-after: [0-9]'"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 198.51.100.7, 203.0.113.9' "http://127.0.0.1:$slow_port/")
check "rate limit: per client (another client behind the proxy still passes)" test "$code" = 200
kill -TERM "$slow_pid"

# --- a Dutch edition: the form in Dutch
mkdir -p "$TMP/nl" && cp -r tests/e2e/fixtures/mini/* "$TMP/nl/" && sed -i 's/^language: fr/language: nl/' "$TMP/nl/issue.yaml"
start nl "$TMP/nl/issue.yaml"
curl -s -o "$TMP/nl.html" "http://127.0.0.1:$nl_port/"
check "a Dutch edition: the form in Dutch, with the call in Dutch" bash -c "grep -q '<html lang=\"nl\">' '$TMP/nl.html' && grep -q '<h1>Steun ons: plaats uw boodschap in ons meinummer!</h1>' '$TMP/nl.html' && grep -q 'Uw boodschap' '$TMP/nl.html' && grep -q '30,00${NB}€' '$TMP/nl.html'"
kill -TERM "$nl_pid"

# --- usage errors
"$ROT" serve > /dev/null 2>&1
check "serve without an edition: exit 2" test $? = 2
"$ROT" serve "$TMP/ed/issue.yaml" --listen nowhere > /dev/null 2> "$TMP/e1"
check "a bad --listen: exit 2 with the expected form" bash -c "test $? = 2 && grep -q 'ADDRESS:PORT' '$TMP/e1'"
"$ROT" serve "$TMP/ed/issue.yaml" --listen "127.0.0.1:$main_port" > /dev/null 2> "$TMP/e2"
check "a port in use: exit 2, says so" bash -c "test $? = 2 && grep -q 'cannot listen on 127.0.0.1:$main_port: Address already in use' '$TMP/e2'"
printf 'short\n' > "$TMP/short"
"$ROT" serve "$TMP/ed/issue.yaml" --admin-token-file "$TMP/short" --listen 127.0.0.1:0 > /dev/null 2> "$TMP/e3"
check "an admin token under 16 characters: exit 2" bash -c "test $? = 2 && grep -q 'at least 16' '$TMP/e3'"
sed '/^messages:/d' "$TMP/ed/issue.yaml" > "$TMP/ed/nomsg.yaml"
"$ROT" serve "$TMP/ed/nomsg.yaml" --listen 127.0.0.1:0 > /dev/null 2> "$TMP/e4"
check "an edition without a messages folder: exit 1" bash -c "test $? = 1 && grep -q 'no messages folder' '$TMP/e4'"

# --- SIGTERM: a clean stop
kill -TERM "$main_pid"
for _ in $(seq 100); do kill -0 "$main_pid" 2>/dev/null || break; sleep 0.1; done
wait "$main_pid"
code=$?
check "SIGTERM: stops cleanly, exit 0" bash -c "test '$code' = 0 && grep -q '^rotative serve: stopped$' '$TMP/main.log'"
check "  ... and leaves no staging folder" bash -c "! ls -A '$MSG' | grep -q '^\.serve-'"
