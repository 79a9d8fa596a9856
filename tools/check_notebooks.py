"""Notebook hygiene, run by `make lint`: every notebooks/NN_*.py (jupytext, the source of truth)
has its .ipynb twin; the twin has no outputs, says what the .py says, and runs no solution
(every solution is folded markdown there, never a code cell).

Fix with `make sync` (regenerates the .ipynb files from the .py files).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sync_notebooks import is_solution, notebook_from_source  # noqa: E402


def _cells(nb) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def solution_code_cells(nb, solution_sources: set[str]) -> list[int]:
    """Indices of code cells that are solutions: tagged so, or holding a solution's code."""
    return [i for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and (is_solution(c) or c.source.strip() in solution_sources)]


def check(folder: Path) -> list[str]:
    problems = []
    sources = sorted(folder.glob("[0-9][0-9]_*.py"))
    if not sources:
        problems.append(f"no notebooks/NN_*.py sources in {folder}")
    for py in sources:
        ipynb = py.with_suffix(".ipynb")
        if not ipynb.exists():
            problems.append(f"{ipynb} is missing (run `make sync`)")
            continue
        nb = nbformat.read(ipynb, as_version=4)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
                problems.append(f"{ipynb}: cell {i} has outputs; strip them (run `make sync`)")
        full = notebook_from_source(py, solutions_as_code=True)
        solutions = {c.source.strip() for c in full.cells if c.cell_type == "code" and is_solution(c)}
        for i in solution_code_cells(nb, solutions):
            problems.append(f"{ipynb}: cell {i} is a solution as code: 'Run All' would run it (run `make sync`)")
        if _cells(notebook_from_source(py)) != _cells(nb):
            problems.append(f"{ipynb} differs from {py.name} (run `make sync`)")
    for ipynb in sorted(folder.glob("*.ipynb")):
        if not ipynb.with_suffix(".py").exists():
            problems.append(f"{ipynb} has no .py source")
    return problems


if __name__ == "__main__":
    found = check(Path(sys.argv[1] if len(sys.argv) > 1 else "notebooks"))
    for p in found:
        print(p)
    print(f"notebooks: {'OK' if not found else f'{len(found)} problem(s)'}")
    sys.exit(1 if found else 0)
