#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the browser test (tests/test_browser.py),
# and a JupyterLab 3 with ipywidgets 7's extension for its ipywidgets 7 variant (JupyterLab 4's
# widget manager renders ipywidgets 8 only) in build/browser/jupyterlab3.
#
#   bash tools/setup_browser.sh
#
# - Chromium already there: prints its version (idempotent).
# - Missing, and apt-get is usable (root, or passwordless sudo): installs Debian's `chromium`.
# - Missing and cannot be installed: says why and exits 0, so the browser test skips with a reason;
#   under CI=true it exits 1 instead, because CI must run the browser test.
# - JupyterLab 3: kept while its pins are the same, else built afresh with $PYTHON (default
#   python3), from a wheelhouse after the first time (tools/wheelhouse.sh).
# It never runs `playwright install` (Playwright's own browser download cannot work offline).
set -uo pipefail
cd "$(dirname "$0")/.."

source tools/wheelhouse.sh

CHROMIUM=/usr/bin/chromium
LAB3=build/browser/jupyterlab3
LAB3_PINS=("jupyterlab==3.6.8" "jupyterlab_widgets==1.1.11")

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

ensure_chromium() {
    if have_chromium; then
        echo "setup_browser: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM") is installed"
        return
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
}

pip_python() {  # the development environment's (recent) pip where there is one
    if [ -x "${BIN:-.venv/bin}/python" ]; then echo "${BIN:-.venv/bin}/python"; else echo "$LAB3/bin/python"; fi
}

ensure_lab3() {
    if [ -x "$LAB3/bin/python" ] && [ "$(cat "$LAB3/.pins" 2>/dev/null)" = "${LAB3_PINS[*]}" ]; then
        echo "setup_browser: ${LAB3_PINS[*]} in $LAB3"
        return
    fi
    rm -rf "$LAB3"
    "${PYTHON:-python3}" -m venv "$LAB3" && PIP_PYTHON=$(pip_python) pinned_install "$LAB3/bin/python" "${LAB3_PINS[@]}" \
        || give_up "could not install ${LAB3_PINS[*]} in $LAB3."
    echo "${LAB3_PINS[*]}" > "$LAB3/.pins"
    echo "setup_browser: ${LAB3_PINS[*]} installed in $LAB3"
}

# one setup at a time: the browser and site-test stages may run side by side
mkdir -p build && exec 9> build/.browser.lock && flock 9
ensure_chromium
ensure_lab3
