"""The library stays small enough to read: line budgets, and the lab stays out of the course.

A learner should be able to read ``resizer_lib`` (d2l serves a whole book with a 2,000-line
library). Lines are counted as ``wc -l`` counts them.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LIB = REPO / "resizer_lib"

# The budgets the library is held to.
TOTAL = 6_000
CORE, MODULE, ONE_NOTEBOOK = 2_500, 400, 250
# modules still over their budget, each at its ceiling today (same rule: they only shrink)
OVER: dict[str, int] = {}
# the part a learner must trust, read in one sitting: the resizer and MULLER layers, the
# classifier builder, loading data, the paired training loop, the statistics
CORE_MODULES = (
    "models/spec.py", "models/resizer.py", "models/muller.py", "models/classifier.py",
    "data/loading.py", "data/folder.py", "data/synthetic.py",
    "training/config.py", "training/batches.py", "training/arms.py", "training/record.py",
    "training/runner.py", "training/stats.py",
)


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n")


def _modules() -> dict[str, int]:
    return {str(p.relative_to(LIB)): _lines(p) for p in sorted(LIB.rglob("*.py"))}


def test_the_library_fits_its_budget():
    total = sum(_modules().values())
    assert total <= TOTAL, f"resizer_lib has {total} lines; the budget is {TOTAL}"


def test_the_core_fits_its_budget():
    modules = _modules()
    assert set(CORE_MODULES) <= set(modules), set(CORE_MODULES) - set(modules)
    core = sum(modules[m] for m in CORE_MODULES)
    assert core <= CORE, f"the core has {core} lines; the budget is {CORE}"


def test_no_module_is_too_long():
    long = {m: n for m, n in _modules().items() if n > OVER.get(m, MODULE)}
    assert long == {}, f"modules over {MODULE} lines: {long}"


def test_helpers_for_one_notebook_are_short():
    """``course/`` holds helpers that exist for one notebook each (``exercise_checks`` serves
    every lesson and has the general budget)."""
    long = {m: n for m, n in _modules().items()
            if m.startswith("course/") and m != "course/exercise_checks.py" and n > OVER.get(m, ONE_NOTEBOOK)}
    assert long == {}, f"one-notebook helpers over {ONE_NOTEBOOK} lines: {long}"


def test_the_ceilings_only_come_down():
    """A ceiling above what a module needs would hide growth: each sits within 10 lines."""
    modules = _modules()
    assert all(OVER[m] - 10 <= modules[m] <= OVER[m] for m in OVER), {m: modules[m] for m in OVER}


def test_no_notebook_and_no_library_module_imports_the_lab():
    pattern = re.compile(r"^\s*(from|import)\s+resizer_lab\b", re.M)
    sources = [*sorted((REPO / "notebooks").glob("*.py")), *sorted(LIB.rglob("*.py"))]
    offenders = [str(p.relative_to(REPO)) for p in sources
                 if pattern.search(p.read_text(encoding="utf-8"))
                 and p != LIB / "__main__.py"]  # the forwarder of `python -m resizer_lib`
    assert offenders == []


def test_no_notebook_imports_a_private_module():
    pattern = re.compile(r"^\s*(from|import)\s+resizer_lib(\.\w+)*\._\w+", re.M)
    offenders = [p.name for p in sorted((REPO / "notebooks").glob("*.py"))
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_wheel_ships_the_library_and_not_the_lab():
    import tomllib

    found = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    assert found["include"] == ["resizer_lib*"]
