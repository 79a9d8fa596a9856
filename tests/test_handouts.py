"""``tools/make_handouts.py``: student copies without solutions, that still run, and never leak.

(a) a small notebook written here: solution cells go, exercise stubs stay, a solution's code never
reaches the handout, and a later cell that needs a solution is refused by name; (b) the course's
own notebooks: every handout has no solution cell, no line found only in a solution, and every
exercise stub. Running a handout end to end is CI's ``handout`` stage (``make handout``: lesson
04's, in the checkout, where its photo cells find the photos).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "make_handouts.py"
spec = importlib.util.spec_from_file_location("make_handouts", TOOL)
handouts = importlib.util.module_from_spec(spec)
sys.modules["make_handouts"] = handouts
spec.loader.exec_module(handouts)

MARKER = "SOLUTION_MARKER_7f3a"  # a string only the fixture's solution holds

HEADER = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 99 · A lesson

# %%
base = 20

# %% [markdown]
# ## Exercises
# 1. Double `base`.

# %% tags=["exercise"]
# Exercise 1: your code here
doubled = None  # 2 * base
"""

SOLUTIONS = f"""
# %% [markdown] tags=["solution"]
# ## Solutions
# Open a cell to read it; try first.

# %% tags=["solution"] jupyter={{"source_hidden": true}}
def helper(x):
    return x * 2  # {MARKER}


doubled = helper(base)
assert doubled == 40
"""


def write(tmp_path: Path, text: str, name: str = "99_lesson.py") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def run_tool(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(TOOL), *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT)


# -- (a) a fixture notebook ----------------------------------------------------------------------
def test_solution_cells_go_exercise_cells_stay(tmp_path):
    source = write(tmp_path, HEADER + SOLUTIONS + "\n# %%\nprint(base)\n")
    result = run_tool("--out", tmp_path / "out", source)
    assert result.returncode == 0, result.stderr
    nb = nbformat.read(tmp_path / "out" / "99_lesson.ipynb", as_version=4)
    nbformat.validate(nb)
    sources = [c.source for c in nb.cells]
    assert not any(handouts.SOLUTION in c.metadata.get("tags", []) for c in nb.cells)
    assert [c.metadata.get("tags") for c in nb.cells if c.metadata.get("tags")] == [["exercise"]]
    assert "doubled = None  # 2 * base" in "\n".join(sources)
    assert sources[0] == "# 99 · A lesson" and sources[-1] == "print(base)"  # header and the rest kept
    assert "Solutions" not in json.dumps(nb) and MARKER not in json.dumps(nb)
    assert "jupytext" not in nb.metadata  # no pairing: a learner's save writes no .py
    assert all(c.outputs == [] and c.execution_count is None for c in nb.cells if c.cell_type == "code")
    assert "99_lesson.ipynb: 2 solution cells removed, 1 exercise stubs kept" in result.stdout


def test_the_same_source_gives_the_same_file(tmp_path):
    source = write(tmp_path, HEADER + SOLUTIONS)
    run_tool("--out", tmp_path / "a", source)
    run_tool("--out", tmp_path / "b", source)
    assert (tmp_path / "a" / "99_lesson.ipynb").read_bytes() == (tmp_path / "b" / "99_lesson.ipynb").read_bytes()


def test_a_later_cell_that_needs_a_solution_is_refused_by_name(tmp_path):
    source = write(tmp_path, HEADER + SOLUTIONS + "\n# %%\nprint(helper(3))\n")
    result = run_tool("--out", tmp_path / "out", source)
    assert result.returncode == 1
    line = next(line for line in result.stderr.splitlines() if "helper" in line)
    assert "99_lesson.py, cell 6 (line 35) reads `helper`" in line
    assert "solution cell 5 (line 27)" in line
    assert not (tmp_path / "out" / "99_lesson.ipynb").exists()


def test_a_later_cell_that_reads_a_name_a_solution_reassigned_is_refused(tmp_path):
    """`doubled` exists in the handout (the stub's None), but the later cell would read the
    solution's value in the full notebook and the stub's in the handout."""
    source = write(tmp_path, HEADER + SOLUTIONS + "\n# %%\nprint(doubled + 1)\n")
    with pytest.raises(handouts.HandoutError, match=r"cell 6 \(line 35\) reads `doubled`"):
        handouts.handout_from_source(source)


def test_a_later_cell_that_reads_a_stub_is_refused(tmp_path):
    source = write(tmp_path, HEADER + "\n# %%\nprint(doubled)\n")
    with pytest.raises(handouts.HandoutError, match=r"reads `doubled`, which the exercise stub cell 3"):
        handouts.handout_from_source(source)


@pytest.mark.parametrize("later", [
    "print(base)",  # set outside the solutions
    "helper = len\nprint(helper('ab'))",  # rebinds the name before reading it
    "def f(helper):\n    return helper\nprint(f(1))",  # a parameter, not the solution's helper
    "print([helper for helper in range(3)])",  # a comprehension variable
])
def test_later_cells_that_do_not_need_the_solutions_pass(tmp_path, later):
    source = write(tmp_path, HEADER + SOLUTIONS + f"\n# %%\n{later}\n")
    handout = handouts.handout_from_source(source)
    assert handout.removed == 2 and handout.exercises == 1


def test_a_function_that_reads_a_solution_name_is_refused(tmp_path):
    source = write(tmp_path, HEADER + SOLUTIONS + "\n# %%\ndef later():\n    return helper(1)\n")
    with pytest.raises(handouts.HandoutError, match="reads `helper`"):
        handouts.handout_from_source(source)


@pytest.mark.parametrize("leak", [
    "# %% [markdown]\n# ## Solutions\n# Open a cell.\n",
    "# %%\n# Solution 1: the answer\ndoubled = 2 * base\n",
])
def test_an_untagged_solution_is_refused(tmp_path, leak):
    source = write(tmp_path, HEADER + "\n" + leak)
    with pytest.raises(handouts.HandoutError, match='is not tagged "solution"'):
        handouts.handout_from_source(source)


def test_magics_do_not_stop_the_analysis(tmp_path):
    source = write(tmp_path, HEADER + SOLUTIONS + "\n# %%\n# %timeit base\nprint(helper)\n")
    with pytest.raises(handouts.HandoutError, match="reads `helper`"):
        handouts.handout_from_source(source)


def test_a_notebook_with_problems_loses_its_stale_handout(tmp_path):
    out = tmp_path / "out"
    good = write(tmp_path, HEADER + SOLUTIONS)
    assert run_tool("--out", out, good).returncode == 0
    write(tmp_path, HEADER + SOLUTIONS + "\n# %%\nprint(helper(3))\n")
    assert run_tool("--out", out, good).returncode == 1
    assert not (out / "99_lesson.ipynb").exists()


def test_bad_arguments_are_refused_with_the_fix(tmp_path):
    result = run_tool("--out", tmp_path, tmp_path / "missing.py")
    assert result.returncode == 2 and "give jupytext .py notebooks that exist" in result.stderr


def test_check_mode_writes_nothing(tmp_path):
    source = write(tmp_path, HEADER + SOLUTIONS)
    result = run_tool("--check", "--out", tmp_path / "out", source)
    assert result.returncode == 0 and not (tmp_path / "out").exists()


# -- (b) the course's notebooks ------------------------------------------------------------------
SOURCES = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))


def _trivial(line: str) -> bool:
    """Lines too common to prove a leak: blank, comments, brackets, plain imports, short ones."""
    s = line.strip()
    return (len(s) < 12 or s.startswith(("#", "import ", "from ", "print(", "assert ", "return "))
            or set(s) <= set("()[]{},:; "))


@pytest.fixture(scope="module", params=SOURCES, ids=[p.stem for p in SOURCES])
def course_handout(request):
    source = request.param
    try:
        return source, jupytext.read(source), handouts.handout_from_source(source)
    except handouts.HandoutError as err:
        if all("is not tagged" in p for p in err.problems):
            pytest.skip(f"{source.name} does not tag its solutions yet: {err.problems[0]}")
        raise


def test_every_course_notebook_has_a_handout_without_solution_cells(course_handout):
    _, original, handout = course_handout
    cells = handout.notebook.cells
    assert not any(handouts.is_solution(c) for c in cells)
    assert len(cells) == len(original.cells) - handout.removed
    assert handout.removed == sum(map(handouts.is_solution, original.cells))


def test_no_line_found_only_in_a_solution_reaches_a_handout(course_handout):
    _, original, handout = course_handout
    text = "\n".join(c.source for c in handout.notebook.cells)
    kept_lines = {line.strip() for line in text.splitlines()}
    solution_lines = {line.strip() for c in original.cells if handouts.is_solution(c)
                      for line in c.source.splitlines() if not _trivial(line)}
    other_lines = {line.strip() for c in original.cells if not handouts.is_solution(c)
                   for line in c.source.splitlines()}
    only_in_solutions = solution_lines - other_lines
    assert not (only_in_solutions & kept_lines)
    assert handout.removed == 0 or only_in_solutions  # the comparison has something to find


def test_every_exercise_stub_is_kept(course_handout):
    _, original, handout = course_handout
    stubs = [c.source for c in original.cells if handouts.is_exercise(c)]
    kept = [c.source for c in handout.notebook.cells if handouts.is_exercise(c)]
    assert kept == stubs
    if handout.removed:  # a notebook with solutions has exercises for them
        assert stubs


def test_the_exercise_stubs_call_a_check(course_handout):
    """Stable notebooks' stubs check the learner's answer (03, 06 and 08 are wired separately)."""
    source, _, handout = course_handout
    if source.stem[:2] not in ("00", "01", "02", "04", "05", "07"):
        pytest.skip(f"{source.name}: its stubs are wired when the notebook is stable")
    stubs = [c.source for c in handout.notebook.cells if handouts.is_exercise(c)]
    assert sum("exercise_checks import" in s for s in stubs) >= 1
