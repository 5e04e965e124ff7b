#!/usr/bin/env bash
# Best effort: the browser tests need Debian's Chromium (and chromium-driver, which Selenium
# drives), the CAT-tool test OmegaT. Install them where this user may (root with apt-get);
# elsewhere those tests skip with their reason.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v omegat >/dev/null 2>&1 || missing+=(omegat)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null 2>&1 \
    || echo "ensure_test_tools: could not install ${missing[*]}; the tests that need them will skip" >&2
fi
exit 0
