#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the browser test (tests/test_browser.py).
#
#   bash tools/setup_browser.sh
#
# - Chromium already there: prints its version and exits at once (idempotent).
# - Missing, and apt-get is usable (root, or passwordless sudo): installs Debian's `chromium`.
# - Missing and cannot be installed: says why and exits 0, so the browser test skips with a reason;
#   under CI=true it exits 1 instead, because CI must run the browser test.
# It never runs `playwright install` (Playwright's own browser download cannot work offline).
set -uo pipefail

CHROMIUM=/usr/bin/chromium

have_chromium() {
    [ -x "$CHROMIUM" ]
}

give_up() {
    echo "setup_browser: $1" >&2
    if [ "${CI:-}" = "true" ]; then
        echo "setup_browser: CI=true needs Chromium at $CHROMIUM; failing." >&2
        exit 1
    fi
    echo "setup_browser: the browser test will be skipped." >&2
    exit 0
}

if have_chromium; then
    echo "setup_browser: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM") is installed"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    give_up "no $CHROMIUM and no apt-get to install it (install Chromium by hand)."
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    give_up "no $CHROMIUM, and apt-get needs root (run: sudo apt-get install chromium)."
fi

export DEBIAN_FRONTEND=noninteractive
APT=("${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 -q)
echo "setup_browser: installing Debian's chromium with apt-get"
"${APT[@]}" update >/dev/null || give_up "apt-get update failed (no access to the Debian mirror?)."
"${APT[@]}" install -y --no-install-recommends chromium >/dev/null \
    || give_up "apt-get install chromium failed."

have_chromium || give_up "apt-get finished but $CHROMIUM is still missing."
echo "setup_browser: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM") installed"
