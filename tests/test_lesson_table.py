"""tools/lesson_table.py: the README's table of lessons follows the notebooks and their times."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("lesson_table", ROOT / "tools" / "lesson_table.py")
lesson_table = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lesson_table)


def _lesson(folder: Path, stem: str, title: str) -> None:
    (folder / f"{stem}.py").write_text(f"# %% [markdown]\n# # {stem[:2]} · {title}\n")


def test_a_row_per_lesson_with_its_time_and_a_badge_pinned_to_the_release(tmp_path):
    _lesson(tmp_path, "00_first", "The first one")
    _lesson(tmp_path, "01_second", "The second one")
    times = tmp_path / "times.json"
    times.write_text(json.dumps({"notebooks": {"00_first": 42.0, "01_second": 150.0}}))
    rows = lesson_table.table(tmp_path, times).splitlines()[2:]
    version = lesson_table.read_release().version
    assert [r.split(" | ")[1:4] for r in rows] == [["`00_first`", "The first one", "42 s"],
                                                   ["`01_second`", "The second one", "2.5 min"]]
    assert all(f"/blob/v{version}/notebooks/" in r for r in rows)


def test_a_lesson_without_a_time_says_so_and_one_without_a_heading_is_refused(tmp_path):
    _lesson(tmp_path, "00_first", "The first one")
    assert "| not timed |" in lesson_table.table(tmp_path, tmp_path / "none.json")
    (tmp_path / "01_bad.py").write_text("# %% [markdown]\n# no heading\n")
    with pytest.raises(ValueError, match="01_bad.py has no"):
        lesson_table.table(tmp_path, tmp_path / "none.json")


def test_the_readme_table_is_current_and_its_figure_exists():
    assert lesson_table.main([]) == 0
    readme = (ROOT / "README.md").read_text()
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", readme):
        assert (ROOT / image).is_file(), image
