#!/bin/sh
# cshare report -f html: ONE self-contained file.  Checked twice: (1) the HTML
# has no src=, href=, url(), @import or <script at all; (2) headless Chromium
# opens it with the network unreachable (unshare -n when possible, a dead
# proxy and resolver otherwise) and a NetLog of every request; the only URL
# requested must be the file itself.  The screenshot is kept as a test
# artifact: build/test-artifacts/report.png.  Skips (77) without chromium.
. "$CS_SRC/tests/cli/lib.sh"
D="$CS_SRC/tests/data/compliance"
ART="${CS_BUILD:-$CS_SRC/build}/test-artifacts"
mkdir -p "$ART"

# the healthcare example on the shipped model and checks, for a realistic
# picture; the fixture model when the shipped data cannot make a report
HTML="$ART/report.html"
CSHARE_HOME="$CS_SRC" "$CSHARE" report "$CS_SRC/examples/healthcare" --framework hipaa -f html \
	-o "$HTML" --as-of 2026-11-29 2>"$TMP/err"
RC=$?
if [ "$RC" -gt 1 ]; then
	echo "note: examples/healthcare gave exit $RC; using the fixture deployment"
	run report --data "$D/data" --as-of 2026-11-29 --deployment "$D/deployments/unattested-service-yes.yaml" -f html -o "$HTML"
	expect_rc "fixture html written" 1
else
	ok "healthcare html written (exit $RC)"
fi
expect_in "html: doctype" "$HTML" "<!DOCTYPE html>"
expect_in "html: owner chart" "$HTML" 'aria-label="Owner split"'
expect_in "html: family chart" "$HTML" 'aria-label="Status per control family"'
expect_in "html: inline css" "$HTML" "<style>"
for pat in 'src=' 'href=' 'url(' '@import' '<script' '<link' '<img' '<iframe'; do
	if grep -qiF -- "$pat" "$HTML"; then bad "html: no $pat" "$(grep -oiF -- "$pat" "$HTML" | head -3)"; else ok "html: no $pat"; fi
done

CHROME=""
for c in chromium chromium-browser google-chrome; do
	command -v "$c" >/dev/null 2>&1 && { CHROME=$(command -v "$c"); break; }
done
if [ -z "$CHROME" ]; then
	echo "skip: chromium not installed (scripts/deps.sh test installs it)"
	[ "$T_FAIL" = 0 ] && exit 77
	finish
fi
NET=""
if command -v unshare >/dev/null 2>&1 && unshare -n true 2>/dev/null; then NET="unshare -n"; fi
# shot HTML PNG NETLOG: opens HTML in headless Chromium, network unreachable
shot() {
	# shellcheck disable=SC2086
	timeout 120 $NET "$CHROME" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--no-first-run --disable-background-networking --disable-component-update --disable-sync \
		--disable-default-apps --user-data-dir="$TMP/profile" --hide-scrollbars \
		--proxy-server=127.0.0.1:9 --host-resolver-rules="MAP * ~NOTFOUND" \
		--log-net-log="$3" --net-log-capture-mode=Default \
		--window-size=1280,2000 --screenshot="$2" "file://$1" >"$TMP/chrome.log" 2>&1
}
# page_urls NETLOG FILEURL: the URLs the page asked for (NetLog URL_REQUEST_START_JOB
# events with a page initiator; Chromium's own background requests have the
# initiator "not an origin"), except the file itself and data: URLs
page_urls() {
	python3 - "$1" "$2" <<'PY'
import json, re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
try:
    log, _ = json.JSONDecoder().raw_decode(text)
except ValueError:  # a log cut short: close it
    log, _ = json.JSONDecoder().raw_decode(text.rstrip().rstrip(",") + "]}")
types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
seen = set()
for ev in log.get("events", []):
    p = ev.get("params") or {}
    if types.get(ev.get("type")) != "URL_REQUEST_START_JOB" or "url" not in p:
        continue
    if p.get("initiator") == "not an origin":
        continue
    u = p["url"]
    if u != sys.argv[2] and not u.startswith("data:") and u not in seen:
        seen.add(u)
        print(u)
PY
}
# the checker must see an external request when there is one
printf '<!DOCTYPE html><html><body><img src="http://example.invalid/pixel.png"></body></html>' >"$TMP/control.html"
shot "$TMP/control.html" "$TMP/control.png" "$TMP/control-netlog.json"
if [ -s "$TMP/control-netlog.json" ] && page_urls "$TMP/control-netlog.json" "file://$TMP/control.html" | grep -q example.invalid; then
	ok "control: an external image is seen in the NetLog"
else
	bad "control: the NetLog check did not see an external image" "$(tail -5 "$TMP/chrome.log")"
fi
rm -f "$ART/report.png"
shot "$HTML" "$ART/report.png" "$TMP/netlog.json"
if [ -s "$ART/report.png" ]; then ok "screenshot kept: $ART/report.png ($(wc -c <"$ART/report.png") bytes)"; else bad "no screenshot" "$(tail -20 "$TMP/chrome.log")"; fi
if [ ! -s "$TMP/netlog.json" ]; then
	bad "no NetLog written" "$(tail -5 "$TMP/chrome.log")"
else
	page_urls "$TMP/netlog.json" "file://$HTML" >"$TMP/urls"
	if [ -s "$TMP/urls" ]; then bad "the report requested other resources" "$(head -10 "$TMP/urls")"; else ok "no request but the file itself (NetLog)"; fi
fi
finish
