# rotative serve in a real browser: Debian's chromium, headless, driven by
# chromedriver's WebDriver HTTP API with curl. It fills the form (with a
# logo), waits for the live proof, submits, and checks the proof page; then
# a text too long for its format comes back with the problem next to the
# field and nothing filed. The browser's console must show no error (a
# Content-Security-Policy violation would be one). SERVE_SCREENSHOTS=DIR
# keeps the screenshots and the server's log there.
. "$(dirname "$0")/lib.sh"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; sleep 0.2; rm -rf "$TMP"' EXIT

if ! command -v chromedriver > /dev/null || ! command -v chromium > /dev/null; then
  fail "browser test: chromium and chromium-driver are not installed (.ci/deps installs them)"
  exit 0
fi

cp -r issues/2026-05 "$TMP/ed"
MSG="$TMP/ed/messages"
"$ROT" serve "$TMP/ed/issue.yaml" --listen 127.0.0.1:0 > "$TMP/serve.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
  PORT=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)/$|\1|p' "$TMP/serve.log")
  [ -n "$PORT" ] && break
  sleep 0.1
done
SITE="http://127.0.0.1:$PORT"

# chromedriver on a free port (tried until one is free)
mkdir -p "$TMP/home"
for try in 1 2 3 4 5; do
  CD=$(( 20000 + (RANDOM * 7 + try * 131) % 40000 ))
  (echo > "/dev/tcp/127.0.0.1/$CD") 2> /dev/null && continue
  HOME="$TMP/home" chromedriver --port="$CD" > "$TMP/cd.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do
    curl -s "http://127.0.0.1:$CD/status" 2> /dev/null | jq -e '.value.ready' > /dev/null 2>&1 && break 2
    sleep 0.1
  done
done
W="http://127.0.0.1:$CD"
caps=$(jq -n --arg dir "$TMP/profile" '{capabilities: {alwaysMatch: {browserName: "chrome",
  "goog:loggingPrefs": {browser: "ALL"},
  "goog:chromeOptions": {binary: "/usr/bin/chromium", args: ["--headless", "--no-sandbox",
    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    "--window-size=1000,1400", ("--user-data-dir=" + $dir)]}}}}')
S=$(curl -s -X POST "$W/session" -H 'Content-Type: application/json' -d "$caps" | jq -r '.value.sessionId // empty')
check "chromium starts headless under chromedriver" test -n "$S"
[ -n "$S" ] || { sed 's/^/       /' "$TMP/cd.log" | tail -5; exit 0; }
trap 'curl -s -X DELETE "$W/session/$S" > /dev/null; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; sleep 0.2; rm -rf "$TMP"' EXIT

wd() { # wd METHOD PATH [JSON]
  curl -s -X "$1" "$W/session/$S$2" -H 'Content-Type: application/json' ${3:+-d "$3"}
}
js() { # js 'script' : the value it returns
  wd POST /execute/sync "$(jq -n --arg s "$1" '{script: $s, args: []}')" | jq -c '.value'
}
el() { # el CSS : the element's reference
  wd POST /element "$(jq -n --arg c "$1" '{using: "css selector", value: $c}')" | jq -r '.value | to_entries[0].value'
}
type_in() { # type_in CSS TEXT
  wd POST "/element/$(el "$1")/value" "$(jq -n --arg t "$2" '{text: $t}')" > /dev/null
}
until_true() { # until_true 'script returning a boolean': waits up to 30 s (90 s under ASan)
  local steps=${WAIT_STEPS:-300}
  [ "$SAN" = 1 ] && steps=$((steps * 3))
  for _ in $(seq $steps); do [ "$(js "$1")" = true ] && return 0; sleep 0.1; done
  # what the page showed, so that a failure says why
  js 'return location.pathname + " | format " + (document.getElementById("format") || {}).value + " | problems: " + ((document.querySelector(".problems") || {}).textContent || "none") + " | text-error: " + ((document.getElementById("text-error") || {}).textContent || "")'
  tail -3 "$TMP/serve.log"
  return 1
}
choose_format() { # choose_format NAME: clicks the option, as a person picks from the list
  wd POST "/element/$(el "#format option[value=\"$1\"]")/click" "{}" > /dev/null
  [ "$(js 'return document.getElementById("format").value')" = "\"$1\"" ]
}

wd POST /url "$(jq -n --arg u "$SITE/" '{url: $u}')" > /dev/null
check "the form loads, in French, with the call for messages" test "$(js 'return document.documentElement.lang + "|" + document.querySelector("h1").textContent')" = '"fr|Soutenez-nous : placez votre message dans notre édition de mai !"'
check "the rate card lists the five formats" test "$(js 'return document.querySelectorAll(".rates tbody tr").length')" = 5

type_in '#from' 'Coopérative « Le Pain Partagé », Liège'
type_in '#text' $'Bon courage pour le 1er mai !\n\nNous serons au cortège avec nos pains et nos idées.'
type_in '#contact' 'pain@example.org'
type_in '#logo' "$PWD/tests/intake/good/logos/centrale.png"
check "the format chosen from the list (1/8)" choose_format 1/8
check "the live proof appears as the supporter types" until_true 'var i = document.getElementById("live-proof"); return !i.hidden && i.complete && i.naturalWidth > 100'
check "  ... with the format and its price" until_true 'return /1\/8 — 55,00\u00a0€/.test(document.getElementById("live-status").textContent)'
check "  ... at the proof's proportions" test "$(js 'var i = document.getElementById("live-proof"); return Math.abs(i.naturalWidth / i.naturalHeight - i.width / i.height) < 0.02')" = true
wd GET /screenshot | jq -r .value | base64 -d > "$TMP/form.png"
check "  ... (a screenshot of the form with its proof)" bash -c "od -An -c -N4 '$TMP/form.png' | grep -q 'P   N   G'"
if [ -n "${SERVE_SCREENSHOTS:-}" ]; then cp "$TMP/form.png" "$SERVE_SCREENSHOTS/serve-form.png"; fi

wd POST "/element/$(el "#send")/click" "{}" >> "$TMP/clicks.log"
check "submitting leads to the proof page" until_true 'return location.pathname.indexOf("/message/web-") === 0 && document.readyState === "complete"'
check "  ... with the amount" test "$(js 'return document.getElementById("amount").textContent')" = "\"55,00$(printf '\302\240')€\""
check "  ... and a structured payment reference" bash -c "echo '$(js 'return document.getElementById("reference").textContent')' | grep -q '^\"+++[0-9]\{3\}/[0-9]\{4\}/[0-9]\{5\}+++\"$'"
check "  ... the proof image loaded, at its real proportions" until_true 'var i = document.getElementById("proof"); return i.complete && i.naturalWidth > 300 && Math.abs(i.naturalWidth / i.naturalHeight - i.width / i.height) < 0.01'
check "  ... the signature as typed, as text" test "$(js 'return document.getElementById("from").textContent')" = '"Coopérative « Le Pain Partagé », Liège"'
wd GET /screenshot | jq -r .value | base64 -d > "$TMP/proof.png"
if [ -n "${SERVE_SCREENSHOTS:-}" ]; then cp "$TMP/proof.png" "$SERVE_SCREENSHOTS/serve-proof.png"; fi
id=$(js 'return location.pathname.split("/")[2]' | tr -d '"')
check "the message is filed and passes intake check" "$ROT" intake check "$MSG/$id.yaml"
check "  ... with its logo" test -f "$MSG/logos/$id.png"

logs=$(wd POST /se/log '{"type": "browser"}' | jq -c '[.value[]? | select(.level == "SEVERE" or (.message | test("Content Security Policy")))]')
check "no error in the browser's console (no CSP violation) ($logs)" test "$logs" = "[]"

# a text too long for 1/16: the form again, the problem under the text
n=$(ls "$MSG" | wc -l)
wd POST /url "$(jq -n --arg u "$SITE/" '{url: $u}')" > /dev/null
type_in '#from' 'Une lectrice'
type_in '#text' "$(printf 'Tenir bon, ensemble, contre la casse sociale et pour la dignité. %.0s' $(seq 12))"
type_in '#contact' 'lectrice@example.org'
check "  ... the format chosen from the list (1/16)" choose_format 1/16
wd POST "/element/$(el "#send")/click" "{}" >> "$TMP/clicks.log"
check "a text too long for its box: the server's form comes back, the problem under the text" until_true 'var e = document.getElementById("text-error"); return location.pathname === "/" && document.querySelector(".problems[role=alert]") !== null && /ne tient pas dans le format 1\/16/.test(e.textContent) && document.getElementById("text").value.length > 500'
check "  ... nothing filed" test "$(ls "$MSG" | wc -l)" = "$n"
if [ -n "${SERVE_SCREENSHOTS:-}" ]; then wd GET /screenshot | jq -r .value | base64 -d > "$SERVE_SCREENSHOTS/serve-problem.png"; fi

logs=$(wd POST /se/log '{"type": "browser"}' | jq -c '[.value[]? | select(.message | test("Content Security Policy|Refused to"))]')
check "  ... and still no CSP violation ($logs)" test "$logs" = "[]"
if [ -n "${SERVE_SCREENSHOTS:-}" ]; then cp "$TMP/serve.log" "$TMP/clicks.log" "$SERVE_SCREENSHOTS/"; fi
