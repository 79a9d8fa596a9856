# shellcheck shell=bash
# Sourced by the stages that build pinned environments (colab_stage.sh, bounds_stage.sh,
# setup_browser.sh). `python_of X.Y` prints the path of a Python X.Y (pyenv's, or one on PATH),
# or nothing. `pinned_install PYTHON PIP_ARGS...` installs PIP_ARGS (requirements, -r and
# -c files) into PYTHON's environment from a wheelhouse of exactly what they resolve to: the first
# time with the index (`pip wheel`, which also builds the packages PyPI has only as sources),
# then, while the Python version, the arguments and the files they name are the same, from the
# wheelhouse alone with the index off: no network, no resolution against PyPI (which costs about
# a minute on these machines even with pip's cache warm). The wheelhouses live in
# ${RESIZER_WHEELHOUSE:-~/.cache/resizer_lib/wheelhouse}/<hash>; delete them to start cold.
pinned_install() {
    local python=$1; shift
    local root=${RESIZER_WHEELHOUSE:-${XDG_CACHE_HOME:-$HOME/.cache}/resizer_lib/wheelhouse}
    # pip itself from $PIP_PYTHON where given (a recent pip resolves without long backtracking,
    # which an environment's bundled pip may not), acting on $python's environment
    local pip=("${PIP_PYTHON:-$python}" -m pip --python "$python")
    local key arg
    key=$({ "$python" -V 2>&1
            for arg in "$@"; do echo "$arg"; if [ -f "$arg" ]; then cat "$arg"; fi; done; } \
          | sha256sum | cut -c1-16)
    local house=$root/$key
    if [ ! -f "$house/.complete" ]; then
        rm -rf "$house" && mkdir -p "$house"
        PIP_DISABLE_PIP_VERSION_CHECK=1 "${pip[@]}" wheel --quiet -w "$house" "$@" || return 1
        touch "$house/.complete"
    fi
    # No bytecode: Python compiles only what is imported, when it is (a third of the time here;
    # the stages let the first process write the bytecode, even under PYTHONDONTWRITEBYTECODE).
    # uv, where the development environment has it (`make setup`), unpacks in a fraction of pip's time.
    local uv
    uv=$(dirname "${PIP_PYTHON:-$python}")/uv
    if [ -x "$uv" ]; then
        "$uv" pip install --quiet --python "$python" --no-index --find-links "$house" "$@"
    else
        PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_FIND_LINKS= "${pip[@]}" install --quiet --no-index \
            --no-compile --find-links "$house" "$@"
    fi
}

python_of() {  # python_of X.Y: a Python X.Y that runs (pyenv's first), or nothing
    local root candidate
    root=${PYENV_ROOT:-$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")}
    for candidate in "$root"/versions/"$1".*/bin/"python$1" "python$1"; do
        # (a pyenv shim is on PATH even where it cannot run that version: run it to know)
        if "$candidate" -c '' >/dev/null 2>&1; then command -v "$candidate"; return 0; fi
    done
}

build_wheel() {  # build_wheel PIP_PYTHON OUT_DIR: this checkout's wheel into OUT_DIR
    # one build at a time (setuptools builds in the checkout's build/): stages may run side by side
    mkdir -p build
    flock build/.wheel.lock "$1" -m pip wheel --quiet --no-deps . -w "$2"
}
