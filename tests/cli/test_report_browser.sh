#!/bin/bash
# The demo's report.html in a real browser: Debian's chromium, headless, loads a copy of the page
# alone in an empty directory (so nothing beside it can be fetched) and must log no console
# message (a blocked or failed load, a script error); its DOM must hold the 7 inline figures, and
# its screenshot must be a PNG of the window's size. Skipped (exit 77) without chromium
# (`.ci/install-deps.sh test` installs it) or without cairo (no figures to show).
#   tests/cli/test_report_browser.sh CLI
set -u
cli=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/assert.sh"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "report_browser: skipped: chromium is not installed (bash .ci/install-deps.sh test installs it)"
    exit 77
fi
"$cli" version --json > "$tmp/version.json"
if ! $py -c "import json,sys; sys.exit(0 if json.load(open('$tmp/version.json'))['components']['cairo'] else 1)"; then
    echo "report_browser: skipped: this build has no figures (built without cairo)"
    exit 77
fi

expect_exit 0 "$cli" demo --out "$tmp/demo" --folds 2 --replicates 50
mkdir "$tmp/alone"
cp "$tmp/demo/report.html" "$tmp/alone/"
# a private profile, no background services, console messages on stderr
run() {
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
        --user-data-dir="$tmp/profile" --disable-background-networking --disable-component-update \
        --disable-sync --disable-extensions --enable-logging=stderr --v=0 "$@"
}
run --dump-dom "file://$tmp/alone/report.html" > "$tmp/dom.html" 2> "$tmp/dom.err"
[ "$(grep -o '<svg ' "$tmp/dom.html" | wc -l)" -eq 7 ] && ok || bad "the DOM holds $(grep -o '<svg ' "$tmp/dom.html" | wc -l) figures, expected 7"
grep -q "Content-Security-Policy" "$tmp/dom.html" && ok || bad "report.html lost its Content-Security-Policy (default-src 'none')"
if grep -q "CONSOLE" "$tmp/dom.err"; then bad "the page logged: $(grep -m3 CONSOLE "$tmp/dom.err")"; else ok; fi
# the check above can fail: a page that asks for a file beside it logs a blocked load
sed 's|<body>|<body><img src="profiles_labels.png">|' "$tmp/alone/report.html" > "$tmp/alone/canary.html"
run --dump-dom "file://$tmp/alone/canary.html" > /dev/null 2> "$tmp/canary.err"
grep -q "CONSOLE" "$tmp/canary.err" && ok || bad "a blocked load is not logged, so the check above proves nothing"
run --window-size=1200,2400 --screenshot="$tmp/shot.png" "file://$tmp/alone/report.html" > /dev/null 2>&1
size=$($py -c "import struct; h=open('$tmp/shot.png','rb').read(24); print(struct.unpack('>II', h[16:24]) if h[:8]==b'\x89PNG\r\n\x1a\n' else None)")
[ "$size" = "(1200, 2400)" ] && ok || bad "screenshot: $size, expected (1200, 2400)"
finish report_browser
