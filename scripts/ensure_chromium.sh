#!/usr/bin/env bash
# Best effort: the browser tests need Debian's Chromium. Install it where this user may
# (root with apt-get); elsewhere the tests skip with their reason.
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
    || echo "ensure_chromium: could not install chromium; the browser tests will skip" >&2
fi
exit 0
