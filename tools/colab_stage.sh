#!/usr/bin/env bash
# Play Colab: run every notebook the way a learner meets it there, from the *installed package*,
# outside the checkout. `make colab` (part of `make test`).
#
#  1. build the wheel of resizer_lib (what a release tag installs);
#  2. make a fresh virtual environment whose preinstalled packages stand for Colab's (TensorFlow,
#     Keras, Jupyter ...: links to the ones in .venv, without resizer_lib);
#  3. make `google.colab` importable as a stub and imported at start-up, as in a Colab kernel, so
#     every notebook takes its Colab branch: its install cell runs and installs the wheel through
#     RESIZER_INSTALL, with pip's index switched off (PIP_NO_INDEX), so an install cell that would
#     fetch anything else, or replace a preinstalled package, fails;
#  4. copy the notebooks alone into an empty temporary folder and execute them under nbval
#     (`smoke`): a notebook that reads a file the package does not ship fails there.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${BIN:-.venv/bin}
WORKERS=${WORKERS:-2}
STAGE=${STAGE:-build/colab}
SITE=$("$BIN/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')

rm -rf "$STAGE" && mkdir -p "$STAGE/wheel"
"$BIN/python" -m pip wheel --quiet --no-deps . -w "$STAGE/wheel"
WHEEL=$(ls "$STAGE"/wheel/resizer_lib-*.whl)
unzip -l "$WHEEL" | grep -q "resizer_lib/study_data/photos_small_cnn_128to64.json" \
    || { echo "colab stage: the wheel lacks the study data" >&2; exit 1; }

"$BIN/python" -m venv --without-pip "$STAGE/venv"
VSITE=$("$STAGE/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
for entry in "$SITE"/*; do  # Colab's preinstalled packages: everything but the course library
    case "$(basename "$entry")" in
        resizer_lib*|resizer_lab*|__editable__*resizer_lib*|__pycache__) continue ;;
    esac
    ln -s "$entry" "$VSITE/"
done
mkdir -p "$STAGE/stub/google/colab"  # a namespace `google` beside protobuf's, as in Colab
cat > "$STAGE/stub/google/colab/__init__.py" <<'EOF'
"""A stand-in for Colab's `google.colab`, imported at start-up as in a Colab kernel."""
from google.colab import output  # noqa: F401
EOF
cat > "$STAGE/stub/google/colab/output.py" <<'EOF'
"""Colab's output module: the custom widget manager that ipywidgets 8 needs there."""
enabled = []


def enable_custom_widget_manager():
    enabled.append(True)
EOF
echo "import sys; sys.path.append('$ROOT/$STAGE/stub'); import google.colab" > "$VSITE/zz_colab_stub.pth"

(cd /tmp && "$ROOT/$STAGE/venv/bin/python" - <<'EOF'
import importlib.util, sys
assert "google.colab" in sys.modules, "the Colab stub is not imported at start-up"
assert importlib.util.find_spec("resizer_lib") is None, "resizer_lib is importable before the install cell"
import google.protobuf  # noqa: F401  (the stub must not hide protobuf's google package)
EOF
)

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ORDER=()  # the order given (the longest first keeps the workers busy to the end)
for nb in ${NOTEBOOKS:-notebooks/*.ipynb}; do cp "$nb" "$WORK/"; ORDER+=("./$(basename "$nb")"); done
# The first install, as the first notebook's install cell does it (the others then find it in
# place, as on one Colab machine), so parallel kernels do not install at the same moment.
PIP_NO_INDEX=1 "$STAGE/venv/bin/python" -m pip install --quiet "$WHEEL"
(cd "$WORK" && env -u PYTHONPATH RESIZER_PROFILE=smoke KERAS_BACKEND=tensorflow MPLBACKEND=Agg \
    RESIZER_INSTALL="$ROOT/$WHEEL" PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    "$ROOT/$STAGE/venv/bin/python" -m pytest -q -p no:cacheprovider -n "$WORKERS" --dist loadscope \
    --nbval-lax --nbval-current-env "${ORDER[@]}")
echo "colab stage: every notebook ran from $(basename "$WHEEL") outside the checkout"
