"""Solutions are opt-in: no committed .ipynb holds a solution as a code cell ("Run All" in
JupyterLab, classic Notebook or Colab runs none), each solution of the .py source is there,
folded in markdown, and the notebooks CI executes hold every solution as code."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
spec = importlib.util.spec_from_file_location("sync_notebooks", ROOT / "tools" / "sync_notebooks.py")
sync = importlib.util.module_from_spec(spec)
sys.modules.setdefault("sync_notebooks", sync)
spec.loader.exec_module(sync)
from check_notebooks import solution_code_cells  # noqa: E402

SOURCES = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))


def _solutions(py: Path) -> list[str]:
    full = sync.notebook_from_source(py, solutions_as_code=True)
    return [c.source.strip() for c in full.cells if c.cell_type == "code" and sync.is_solution(c)]


@pytest.mark.parametrize("py", SOURCES, ids=[p.stem for p in SOURCES])
def test_no_committed_code_cell_is_a_solution(py):
    nb = nbformat.read(py.with_suffix(".ipynb"), as_version=4)
    solutions = _solutions(py)
    assert solution_code_cells(nb, set(solutions)) == [], f"{py.stem}.ipynb runs a solution under 'Run All'"
    folded = [c.source for c in nb.cells if c.cell_type == "markdown" and sync.is_solution(c)]
    for code in solutions:
        assert any(code in cell and cell.startswith("<details>") for cell in folded), \
            f"{py.stem}.ipynb lacks the folded solution starting {code.splitlines()[0]!r}"
    assert "jupytext" not in nb.metadata, "a paired .ipynb would read its .py (and solutions) back in"


def test_the_executable_notebooks_keep_every_solution_as_code(tmp_path):
    written = sync.write_executable(ROOT / "notebooks", tmp_path)
    assert [p.stem for p in written] == [p.stem for p in SOURCES]
    for py, ipynb in zip(SOURCES, written, strict=True):
        nb = nbformat.read(ipynb, as_version=4)
        code = {c.source.strip() for c in nb.cells if c.cell_type == "code"}
        assert set(_solutions(py)) <= code


def test_fold_is_closed_markdown_with_the_code():
    folded = sync.fold("x = 1\n")
    assert folded.startswith("<details>") and folded.endswith("</details>")
    assert "```python\nx = 1\n```" in folded and "<details open" not in folded
