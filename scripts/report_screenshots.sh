#!/usr/bin/env bash
# Render a review report in headless Chromium and save screenshots (PNG).
#   scripts/report_screenshots.sh [OUTPUT_FOLDER] [SCREENSHOT_FOLDER]
# Defaults: outputs/seeds (made by `make demo`) and docs/. Installs Debian's chromium if missing.
set -euo pipefail
out="${1:-outputs/seeds}"
shots="${2:-docs}"
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
[ -f "$out/report.html" ] || { echo "no $out/report.html: run make demo first" >&2; exit 2; }
mkdir -p "$shots"
page="file://$(cd "$out" && pwd)/report.html"
shoot() {  # name, url, height
  chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size=1280,"$3" --screenshot="$shots/$1" "$2" >/dev/null 2>&1
  echo "wrote $shots/$1"
}
shoot report-summary.png "$page" 900
# a document pair on a page of its own: a copy of the folder, with pages per document pair
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cp "$out"/*.json "$out"/*.jsonl "$tmp"/
"${ALIGN:-align}" report "$tmp" --pages >/dev/null 2>&1
# the page with the most parallel pairs
best="$(grep -c 'data-method="parallel"' "$tmp"/report/*.html | sort -t: -k2 -n | tail -1 | cut -d: -f1)"
shoot report-pairs.png "file://$best" 1000
