#!/usr/bin/env bash
# Play Colab on Colab's own runtime: run every notebook the way a learner meets it there, from
# the *installed package*, outside the checkout. `make colab` (part of `make test`).
#
#  1. build the wheel of resizer_lib (what a release tag installs);
#  2. build a fresh virtual environment on Colab's Python (pyenv's X.Y, else pythonX.Y on PATH;
#     where neither exists, the default python3, said in one line) from Colab's pins
#     (tools/colab/colab-<date>.txt, the newest), plus the test tools that run notebooks
#     (nbclient: not Colab's, installed under the pins as constraints, so
#     they move none), from a wheelhouse of what they resolve to, so that a second run fetches
#     nothing (tools/wheelhouse.sh);
#  3. make `google.colab` importable as a stub and imported at start-up, as in a Colab kernel, so
#     every notebook takes its Colab branch; its `output.enable_custom_widget_manager` fails
#     under ipywidgets 7, which Colab renders with its own manager;
#  4. install the wheel as a notebook's install cell does, and fail if pip would change, or
#     changed, any pinned package (tools/colab/check_install.py);
#  5. copy the notebooks alone into an empty temporary folder (no ../shared beside it, as on
#     Colab: the cells that use the real photos skip there; they run in the `handout` stage, in
#     the checkout) and execute them all (`smoke`), each once, two kernels at a time, with
#     tools/run_notebooks.py: a notebook that raises, or reads a file the package does not ship,
#     or prints a TensorFlow C++ log line, fails. The install cells find the wheel installed, with
#     pip's index switched off (PIP_NO_INDEX), so an install cell that would fetch anything fails.
#     The executed notebooks are kept in $STAGE/executed: the website's test build renders them
#     (`make site-test`), so each lesson runs once in `make test`.
# Leaves $STAGE/venv for the browser test's ipywidgets 7 kernel (RESIZER_COLAB_STUB=0 there).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${BIN:-.venv/bin}
WORKERS=${WORKERS:-2}
STAGE=${STAGE:-build/colab}
PINS=${COLAB_PINS:-$(ls tools/colab/colab-*.txt | sort | tail -1)}
TEST_TOOLS=("nbclient>=0.7")
START=$SECONDS
lap() { echo "colab stage: $1 ($((SECONDS - START)) s)"; }

WANT=$(sed -n 's/^# python: //p' "$PINS")  # Colab's Python, e.g. 3.13.15
MINOR=${WANT%.*}
source tools/wheelhouse.sh
PY=${COLAB_PYTHON:-$(python_of "$MINOR")}
if [ -z "$PY" ]; then
    PY=$(command -v python3)
    echo "colab stage: no Python $MINOR on this machine (Colab's runtime has $WANT); using" \
         "$("$PY" -V 2>&1) instead" >&2
fi
echo "colab stage: $(basename "$PINS") on $("$PY" -V 2>&1) (Colab's: Python $WANT)"

rm -rf "$STAGE" && mkdir -p "$STAGE/wheel"
build_wheel "$BIN/python" "$STAGE/wheel"
WHEEL=$ROOT/$(ls "$STAGE"/wheel/resizer_lib-*.whl)
FILES=$(unzip -Z1 "$WHEEL")  # (not piped into grep -q, whose early exit fails the pipe)
grep -qx "resizer_lib/study_data/photos_small_cnn_128to64.json" <<<"$FILES" \
    || { echo "colab stage: the wheel lacks the study data" >&2; exit 1; }
grep -qx "resizer_lib/course/colab_runtime.py" <<<"$FILES" \
    || { echo "colab stage: the wheel lacks the tested runtime" >&2; exit 1; }

"$PY" -m venv "$STAGE/venv"
VPY=$ROOT/$STAGE/venv/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK=1
PIP_PYTHON=$BIN/python pinned_install "$VPY" -r "$PINS" -c "$PINS" "${TEST_TOOLS[@]}"
lap "environment built"

VSITE=$("$VPY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
mkdir -p "$STAGE/stub/google/colab"  # a namespace `google` beside protobuf's, as in Colab
cat > "$STAGE/stub/google/colab/__init__.py" <<'EOF'
"""A stand-in for Colab's `google.colab`, imported at start-up as in a Colab kernel."""
from google.colab import output  # noqa: F401
EOF
cat > "$STAGE/stub/google/colab/output.py" <<'EOF'
"""Colab's output module: the custom widget manager, which only ipywidgets 8 needs."""
enabled = []


def enable_custom_widget_manager():
    import ipywidgets

    if int(ipywidgets.__version__.split(".")[0]) < 8:
        raise AssertionError("Colab renders ipywidgets 7 with its own widget manager: the "
                             "custom one should be left off")
    enabled.append(True)
EOF
echo "import os, sys; os.environ.get('RESIZER_COLAB_STUB') == '0' or (sys.path.append('$ROOT/$STAGE/stub'), __import__('google.colab'))" \
    > "$VSITE/zz_colab_stub.pth"

(cd /tmp && "$VPY" - <<'EOF'
import importlib.util, sys
assert "google.colab" in sys.modules, "the Colab stub is not imported at start-up"
assert importlib.util.find_spec("resizer_lib") is None, "resizer_lib is importable before the install cell"
import google.protobuf  # noqa: F401  (the stub must not hide protobuf's google package)
EOF
)

# The install, as the first notebook's install cell does it (the others then find it in place,
# as on one Colab machine, so parallel kernels do not install at the same moment).
"$VPY" tools/colab/check_install.py "$PINS" "$WHEEL"
lap "wheel installed"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/course"
PHOTOS=$(cd "$WORK/course" && TF_CPP_MIN_LOG_LEVEL=3 "$VPY" -c \
    'from resizer_lib.data.sample_images import shared_photos_dir as d; print(d() or "")')
if [ -n "$PHOTOS" ]; then
    echo "colab stage: the notebooks find photos at $PHOTOS; Colab has none (and the site may show none)" >&2
    exit 1
fi
# Every notebook with its solutions as code (the committed ones fold them out of "Run All"), so
# each solution runs through its exercise check, and with the website's static figure after each
# widget app: the one execution of each lesson in CI.
"$BIN/python" tools/sync_notebooks.py --executable "$STAGE/executable" >/dev/null
"$BIN/python" tools/site/build_site.py --add-static-figures "$STAGE/executable"
ORDER=()  # the order given (the longest first keeps the workers busy to the end)
for nb in ${NOTEBOOKS:-notebooks/*.ipynb}; do
    cp "$STAGE/executable/$(basename "$nb")" "$WORK/course/"; ORDER+=("$WORK/course/$(basename "$nb")")
done
# (PYTHONDONTWRITEBYTECODE off: the environment is installed without bytecode, so the first kernel
# writes it for the others; Colab's ipykernel starts debugpy, which notes Python 3.13's frozen
# modules once per kernel; MPLBACKEND unset, so that figures come out inline as on Colab and the
# website shows them)
(cd "$WORK/course" && env -u PYTHONPATH -u PYTHONDONTWRITEBYTECODE -u MPLBACKEND RESIZER_PROFILE=smoke KERAS_BACKEND=tensorflow \
    RESIZER_INSTALL="$WHEEL" PIP_NO_INDEX=1 PYDEVD_DISABLE_FILE_VALIDATION=1 \
    "$VPY" "$ROOT/tools/run_notebooks.py" --workers "$WORKERS" --timeout 1800 --out "$ROOT/$STAGE/executed" "${ORDER[@]}")
lap "every notebook ran from $(basename "$WHEEL") outside the checkout, on Colab's pins"
