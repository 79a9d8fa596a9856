"""Notebook hygiene, run by `make lint`: every notebooks/NN_*.py (jupytext, the source of truth)
has its .ipynb twin, the twin has no outputs, and the two say the same thing.

Fix with `make sync` (regenerates the .ipynb files from the .py files).
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext


def _cells(nb) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


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
        nb = jupytext.read(ipynb)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
                problems.append(f"{ipynb}: cell {i} has outputs; strip them (run `make sync`)")
        if _cells(jupytext.read(py)) != _cells(nb):
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
