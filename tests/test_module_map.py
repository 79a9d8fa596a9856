"""The library's module map matches its folders; the old paths that saved files name still import."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _documented(package: str) -> set[str]:
    text = (REPO / package / "README.md").read_text()
    section = text.split("## Module map", 1)[1].split("\n## ", 1)[0]
    found = set()
    for row in re.findall(r"^\| (.+?) \|", section, flags=re.M):
        for name in re.findall(r"`([\w/]+\.py)`", row):
            found.add(name)
    return found


@pytest.mark.parametrize("package", ["resizer_lib", "resizer_lab"])
def test_every_module_is_in_its_package_readme_map_and_nothing_else(package):
    root = REPO / package
    modules = {str(p.relative_to(root)) for p in root.rglob("*.py") if "scripts" not in p.parts}
    packages = {m for m in modules if m.endswith("/__init__.py")}  # described by their folder row
    assert _documented(package) == modules - packages


# the module paths of version 0.1 that a saved .keras file can name -> the registered layers
SAVED_PATHS = {
    "resizer_lib.resizer": ("resizer_lib.models.resizer", ["LearnableResizer", "FixedResize"]),
    "resizer_lib.augment": ("resizer_lib.models.augment", ["RandomShift", "RandomTurn", "RandomZoomJit"]),
    "resizer_lib.cnn_basics": ("resizer_lib.course.cnn_basics", ["DepthwiseMaxPooling2D"]),
}


@pytest.mark.parametrize("old", sorted(SAVED_PATHS))
def test_the_module_paths_that_saved_files_name_hold_the_same_layers(old):
    home, names = SAVED_PATHS[old]
    for name in names:
        assert getattr(importlib.import_module(old), name) is getattr(importlib.import_module(home), name)


def test_importing_the_package_does_nothing():
    """No hook, no TensorFlow, no environment change at ``import resizer_lib``."""
    import subprocess
    import sys

    code = ("import os, sys; before = (list(sys.meta_path), dict(os.environ)); import resizer_lib; "
            "assert list(sys.meta_path) == before[0], sys.meta_path; "
            "assert dict(os.environ) == before[1]; "
            "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.stdout.strip() == "ok", out.stderr


def test_the_public_paths_of_the_course_stay():
    from resizer_lib.data import load_dataset  # noqa: F401
    from resizer_lib.models import build_classifier  # noqa: F401
    from resizer_lib.resizer import LearnableResizer, build_resizer  # noqa: F401
    from resizer_lib.training import ExperimentConfig, compare  # noqa: F401


def test_every_module_has_a_test_module_of_its_own():
    """``resizer_lib/<folder>/<name>.py`` is tested in ``tests/test_<name>.py`` (leading
    underscore dropped), as Keras' tests mirror its sources."""
    root = REPO / "resizer_lib"
    names = {p.stem.lstrip("_") for p in root.rglob("*.py") if p.stem not in ("__init__", "__main__")}
    missing = sorted(n for n in names if not (REPO / "tests" / f"test_{n}.py").is_file())
    assert missing == []


def test_the_readme_lists_every_notebook_and_nothing_else():
    """The README's notebook table and notebooks/ agree (number, name), in order."""
    import re

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    listed = re.findall(r"^\| (\d\d) \| `(\d\d_\w+)` \|", readme, flags=re.M)
    assert all(num == stem[:2] for num, stem in listed), listed
    stems = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.py"))
    assert [stem for _, stem in listed] == stems
