"""Student copies of the course's notebooks: every cell tagged ``solution`` removed.

    python tools/make_handouts.py --out build/handouts            # every notebooks/NN_*.py
    python tools/make_handouts.py --out build/handouts notebooks/09_learnable_resizer.py
    python tools/make_handouts.py --check                          # analyse only, write nothing

Each handout is an ``.ipynb`` made from the jupytext ``.py`` source (the source of truth), with

* every cell tagged ``solution`` removed (the "## Solutions" heading and the collapsed solution
  cells), every other cell kept: the header, the Setup cells and the exercise stubs (tagged
  ``exercise``), so the copy still runs top to bottom;
* no outputs, no execution counts, no jupytext pairing (a learner's save writes no ``.py``), and
  cell ids derived from the notebook's name, so the same source always gives the same file.

The tool refuses (exit status 1, one line per problem, naming the notebook, the cell and its line
in the ``.py``) when a handout would not run or would leak a solution:

* a kept cell reads a name whose last assignment before it is in a solution cell (the handout
  would lack it), or in an exercise stub (the cell would depend on the learner's answer);
* a markdown cell with a "Solutions" heading, or a code cell starting "# Solution", is not tagged
  ``solution`` (its solutions would reach the learners).

The dependency check reads the code (Python's ``ast``); it sees names, not side effects: a
solution cell that changes an object in place (``model.set_weights(...)``) is not detected.
The handouts are generated, never committed: ``build/`` is ignored by git (TEACHING.md says why).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOLUTION, EXERCISE = "solution", "exercise"
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*solutions?\b", re.IGNORECASE | re.MULTILINE)
_SOLUTION_COMMENT = re.compile(r"^\s*#\s*solutions?\b", re.IGNORECASE)
_MAGIC = re.compile(r"^(\s*)[%!]")
_MARKER = re.compile(r"^# %%")
# jupytext's own cell metadata: meaningless in a handout
_JUPYTEXT_CELL_KEYS = ("lines_to_next_cell", "lines_to_end_of_cell_marker", "cell_marker", "region_name")


class HandoutError(ValueError):
    """A notebook cannot become a handout; ``problems`` lists why, one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Handout:
    """What ``make_handout`` made: the notebook and what it removed and kept."""

    notebook: nbformat.NotebookNode
    removed: int  # solution cells removed (markdown and code)
    exercises: int  # exercise stubs kept


# -- cells ---------------------------------------------------------------------------------------
def cell_tags(cell) -> set[str]:
    """The cell's tags (``metadata.tags``), as a set."""
    return set(cell.get("metadata", {}).get("tags", []))


def is_solution(cell) -> bool:
    return SOLUTION in cell_tags(cell)


def is_exercise(cell) -> bool:
    return EXERCISE in cell_tags(cell)


def cell_lines(source_text: str, num_cells: int) -> list[int | None]:
    """Line (1-based) of each cell's ``# %%`` marker in a jupytext percent source; ``None`` for
    every cell when the markers do not match the cells one to one."""
    lines = [i for i, line in enumerate(source_text.splitlines(), 1) if _MARKER.match(line)]
    return lines if len(lines) == num_cells else [None] * num_cells


def _cell(index: int, lines: list[int | None]) -> str:
    """``cell 5 (line 27)``: the cell's index in the notebook and its line in the source."""
    line = lines[index] if index < len(lines) else None
    return f"cell {index}" + (f" (line {line})" if line else "")


def _where(label: str, index: int, lines: list[int | None]) -> str:
    return f"{label}, {_cell(index, lines)}"


# -- names a cell reads and binds ------------------------------------------------------------------
class _Scope(ast.NodeVisitor):
    """The names one scope loads and binds; nested scopes (functions, lambdas, classes,
    comprehensions) contribute only the names they read from outside."""

    def __init__(self) -> None:
        self.loads: set[str] = set()
        self.stores: set[str] = set()
        self.globals: set[str] = set()

    def visit_Name(self, node: ast.Name) -> None:
        (self.loads if isinstance(node.ctx, ast.Load) else self.stores).add(node.id)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, ast.Name):
            self.loads.add(node.target.id)  # x += 1 reads x first
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.stores.add(alias.asname or alias.name.split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.stores.update(a.asname or a.name for a in node.names if a.name != "*")

    def visit_Global(self, node: ast.Global) -> None:
        self.globals.update(node.names)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.stores.add(node.name)
        self.generic_visit(node)

    def _inner(self, body: list[ast.AST], params: set[str]) -> None:
        inner = _Scope()
        for stmt in body:
            inner.visit(stmt)
        self.loads |= inner.loads - (inner.stores - inner.globals) - params
        self.stores |= inner.stores & inner.globals  # `global x; x = ...` binds the module's x

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        args = node.args
        for expr in [*args.defaults, *(d for d in args.kw_defaults if d is not None)]:
            self.visit(expr)
        params = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
        params |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
        if isinstance(node, ast.Lambda):
            self._inner([node.body], params)
            return
        for decorator in node.decorator_list:
            self.visit(decorator)
        self.stores.add(node.name)
        self._inner(node.body, params)

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for expr in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.visit(expr)
        self.stores.add(node.name)
        self._inner(node.body, set())

    def _comprehension(self, node) -> None:
        inner = _Scope()
        for gen in node.generators:
            inner.visit(gen)
        for part in ("elt", "key", "value"):
            if hasattr(node, part):
                inner.visit(getattr(node, part))
        self.loads |= inner.loads - inner.stores

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _comprehension


def _parse(source: str) -> ast.Module:
    """The cell's code; IPython magics and shell lines (``%...``, ``!...``) read as ``pass``."""
    code = "\n".join(_MAGIC.sub(r"\1pass  # ", line) for line in source.splitlines())
    return ast.parse(code)


def cell_names(source: str) -> tuple[set[str], set[str]]:
    """``(reads, binds)`` of a code cell at the notebook's top level: ``reads`` are the names it
    uses before binding them itself (the ones an earlier cell must provide, builtins included),
    ``binds`` every name it assigns, defines or imports. Raises ``SyntaxError``."""
    reads: set[str] = set()
    binds: set[str] = set()
    for stmt in _parse(source).body:
        scope = _Scope()
        scope.visit(stmt)
        reads |= scope.loads - binds
        binds |= scope.stores
    return reads, binds


# -- the checks ----------------------------------------------------------------------------------
def leak_problems(nb, label: str, lines: list[int | None]) -> list[str]:
    """Cells that hold solutions but are not tagged ``solution``: one line each."""
    problems = []
    for i, cell in enumerate(nb.cells):
        if is_solution(cell):
            continue
        first = next((line for line in cell.source.splitlines() if line.strip()), "")
        if (cell.cell_type == "markdown" and _HEADING.search(cell.source)) or (
            cell.cell_type == "code" and _SOLUTION_COMMENT.match(first)
        ):
            problems.append(
                f"{_where(label, i, lines)}: looks like a solution ({first.strip()[:60]!r}) but "
                f'is not tagged "solution"; tag it (`# %% tags=["solution"]`) so that no handout '
                f"shows it"
            )
    return problems


def dependency_problems(nb, label: str, lines: list[int | None]) -> list[str]:
    """Kept cells that read a name last set by a solution cell or by an exercise stub."""
    problems = []
    last_set: dict[str, int] = {}  # name -> index of the cell that set it last
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        try:
            reads, binds = cell_names(cell.source)
        except SyntaxError as err:
            problems.append(f"{_where(label, i, lines)}: cannot be parsed ({err.msg}, cell line "
                            f"{err.lineno}); fix the code")
            continue
        if not is_solution(cell):
            for name in sorted(reads & last_set.keys()):
                source = nb.cells[last_set[name]]
                if is_solution(source):
                    problems.append(
                        f"{_where(label, i, lines)} reads `{name}`, which only the solution "
                        f"{_cell(last_set[name], lines)} sets: the handout has no "
                        f"solutions, so this cell would fail there. Set `{name}` outside the "
                        f"solutions, or move this cell into them"
                    )
                elif is_exercise(source) and not is_exercise(cell):
                    problems.append(
                        f"{_where(label, i, lines)} reads `{name}`, which the exercise stub "
                        f"{_cell(last_set[name], lines)} sets: it would depend on "
                        f"the learner's answer. Set `{name}` outside the exercises"
                    )
        for name in binds:
            last_set[name] = i
    return problems


def _cell_id(stem: str, index: int) -> str:
    return hashlib.sha1(f"{stem}:{index}".encode()).hexdigest()[:8]


def make_handout(nb, label: str, lines: list[int | None] | None = None) -> Handout:
    """The student copy of ``nb`` (a notebook read by jupytext; not changed): solution cells
    removed, outputs stripped, no jupytext pairing. Raises ``HandoutError`` listing every problem
    (``label`` names the notebook in the messages, ``lines`` the cells' lines in its source)."""
    lines = lines if lines is not None else [None] * len(nb.cells)
    problems = leak_problems(nb, label, lines) + dependency_problems(nb, label, lines)
    if problems:
        raise HandoutError(problems)
    stem = Path(label).stem
    cells = []
    for i, cell in enumerate(nb.cells):
        if is_solution(cell):
            continue
        cell = nbformat.from_dict(dict(cell))  # a copy
        cell.metadata = nbformat.from_dict(
            {k: v for k, v in cell.get("metadata", {}).items() if k not in _JUPYTEXT_CELL_KEYS})
        cell["id"] = _cell_id(stem, i)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    metadata = {k: v for k, v in nb.metadata.items() if k != "jupytext"}
    handout = nbformat.v4.new_notebook(cells=cells, metadata=metadata)
    handout.nbformat, handout.nbformat_minor = 4, 5
    nbformat.validate(handout)
    return Handout(handout, removed=sum(map(is_solution, nb.cells)),
                   exercises=sum(map(is_exercise, nb.cells)))


def handout_from_source(source: Path) -> Handout:
    """``make_handout`` for a jupytext ``.py`` source (the messages give its lines)."""
    nb = jupytext.read(source)
    return make_handout(nb, _label(source), cell_lines(source.read_text(), len(nb.cells)))


def _label(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def write_handouts(sources: list[Path], out: Path | None) -> list[str]:
    """Write ``out/<stem>.ipynb`` for each source (``out=None``: check only). Returns the
    problems; a notebook with problems gets no handout (and loses a stale one)."""
    problems: list[str] = []
    for source in sources:
        target = out / f"{source.stem}.ipynb" if out is not None else None
        try:
            handout = handout_from_source(source)
        except HandoutError as err:
            problems += err.problems
            if target is not None:
                target.unlink(missing_ok=True)
            continue
        if target is not None:
            out.mkdir(parents=True, exist_ok=True)
            nbformat.write(handout.notebook, target)
        print(f"{_label(target) if target else _label(source)}: {handout.removed} solution cells "
              f"removed, {handout.exercises} exercise stubs kept")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="*", type=Path,
                        help="jupytext .py notebooks (default: every notebooks/NN_*.py)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "handouts",
                        help="folder for the handouts (default: build/handouts)")
    parser.add_argument("--check", action="store_true", help="analyse only; write nothing")
    args = parser.parse_args(argv)
    sources = args.sources or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))
    bad = [s for s in sources if s.suffix != ".py" or not s.is_file()]
    if bad or not sources:
        parser.error(f"give jupytext .py notebooks that exist; got {[str(b) for b in bad] or 'none'}")
    out = None if args.check else args.out
    if out is not None and not args.sources and out.is_dir():  # the full set: no stale handouts
        keep = {f"{s.stem}.ipynb" for s in sources}
        for old in out.glob("*.ipynb"):
            if old.name not in keep:
                old.unlink()
    problems = write_handouts(sources, out)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"handouts: {len(problems)} problem(s); no handout for those notebooks", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
