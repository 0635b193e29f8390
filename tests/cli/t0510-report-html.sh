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
rm -f "$ART/report.png" "$TMP/netlog.json"
# shellcheck disable=SC2086
timeout 120 $NET "$CHROME" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
	--no-first-run --disable-background-networking --disable-component-update --disable-sync \
	--disable-default-apps --user-data-dir="$TMP/profile" --hide-scrollbars \
	--proxy-server=127.0.0.1:9 --host-resolver-rules="MAP * ~NOTFOUND" \
	--log-net-log="$TMP/netlog.json" --net-log-capture-mode=Default \
	--window-size=1280,2000 --screenshot="$ART/report.png" "file://$HTML" >"$TMP/chrome.log" 2>&1
if [ -s "$ART/report.png" ]; then ok "screenshot kept: $ART/report.png ($(wc -c <"$ART/report.png") bytes)"; else bad "no screenshot" "$(tail -20 "$TMP/chrome.log")"; fi
if [ ! -s "$TMP/netlog.json" ]; then
	bad "no NetLog written" "$(tail -5 "$TMP/chrome.log")"
else
	# every URL the page made Chromium request, except the file itself
	python3 - "$TMP/netlog.json" "file://$HTML" >"$TMP/urls" <<'PY'
import json, re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read().rstrip().rstrip(",")
if not text.endswith("]}"):
    text += "]}"
try:
    log = json.loads(text)
    urls = set()
    for ev in log.get("events", []):
        u = (ev.get("params") or {}).get("url")
        if u:
            urls.add(u)
except ValueError:
    urls = set(re.findall(r'"url":"([^"]+)"', text))
for u in sorted(urls):
    if u != sys.argv[2] and not u.startswith("data:"):
        print(u)
PY
	if [ -s "$TMP/urls" ]; then bad "the report requested other resources" "$(head -10 "$TMP/urls")"; else ok "no request but the file itself (NetLog)"; fi
fi
finish
