#!/usr/bin/env bash
# Test the bounds pyproject.toml declares: a fresh environment at the lowest versions its
# dependencies allow (tools/bounds/lowest.txt, on its lowest Python where the machine has it),
# the wheel installed under those pins with the index off (pip fails if they do not meet its
# requirements), then a few fast tests and one notebook (`smoke`), from a copy outside the
# checkout. `make bounds` (part of `make test`).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${BIN:-.venv/bin}
STAGE=${STAGE:-build/bounds}
PINS=tools/bounds/lowest.txt
TESTS=(tests/test_notebook.py tests/test_widgets.py tests/test_resizer.py)
NOTEBOOK=notebooks/09_learnable_resizer.ipynb
START=$SECONDS

MINOR=$(sed -n 's/^# python: //p' "$PINS")
source tools/wheelhouse.sh
PY=${BOUNDS_PYTHON:-$(python_of "$MINOR")}
if [ -z "$PY" ]; then
    PY=$(command -v python3)
    echo "bounds stage: no Python $MINOR on this machine; using $("$PY" -V 2>&1) instead" >&2
fi

rm -rf "$STAGE" && mkdir -p "$STAGE/wheel"
build_wheel "$BIN/python" "$STAGE/wheel"
"$PY" -m venv "$STAGE/venv"
VPY=$ROOT/$STAGE/venv/bin/python
PIP_PYTHON=$BIN/python pinned_install "$VPY" -r "$PINS" -c "$PINS" "pytest>=8.0" "nbval>=0.11"
# the wheel with the index off: its requirements must be met by the pins as they are
PIP_DISABLE_PIP_VERSION_CHECK=1 "$VPY" -m pip install --quiet --no-index "$STAGE"/wheel/resizer_lib-*.whl
"$VPY" -m pip check
echo "bounds stage: $("$VPY" -V 2>&1) with $(grep -v '^#' "$PINS" | tr '\n' ' ')($((SECONDS - START)) s)"

# the installed wheel, not the checkout: the tests run from an empty folder against copies
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -r tests "$WORK/tests" && cp "$NOTEBOOK" "$WORK/"
(cd "$WORK" && env -u PYTHONPATH -u PYTHONDONTWRITEBYTECODE RESIZER_PROFILE=smoke KERAS_BACKEND=tensorflow MPLBACKEND=Agg \
    "$VPY" -m pytest -q -p no:cacheprovider -W ignore::DeprecationWarning \
    -m "not slow and not browser" \
    "${TESTS[@]}" --nbval-lax --nbval-current-env "$(basename "$NOTEBOOK")")
echo "bounds stage: passed on the lowest versions pyproject.toml allows ($((SECONDS - START)) s)"
