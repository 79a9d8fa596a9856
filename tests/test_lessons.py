"""Every lesson (notebooks/NN_*.py, the jupytext sources) within the course's budgets: at most about
450 lines of lesson (the generated jupytext header and Setup section not counted), at most 2,000
words of prose, sentences under 25 words on average; "What you will learn" first, a summary and
3-5 further readings last."""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))
MAX_LINES, MAX_WORDS, MAX_SENTENCE = 450, 2000, 25
SETUP = re.compile(r"^# %% \[markdown\]\n# ## Setup\n.*?^PROFILE = setup\(\)\n", re.M | re.S)
HEADER = re.compile(r"\A# ---\n.*?^# ---\n", re.M | re.S)


def lesson_lines(text: str) -> int:
    """Lines of the lesson: the file without its jupytext header and generated Setup section."""
    return len(SETUP.sub("", HEADER.sub("", text, count=1), count=1).splitlines())


def prose(nb) -> str:
    """The markdown a learner reads: every markdown cell but the Setup one, without math, tables,
    links' targets, code spans' content and HTML."""
    cells = [c.source for c in nb.cells if c.cell_type == "markdown" and not c.source.startswith("## Setup")]
    text = "\n\n".join(cells)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$]*\$", " X ", text)
    text = re.sub(r"^\|.*\|\s*$", " ", text, flags=re.M)  # tables are not sentences
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return text


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9][\w'’.,-]*", text)


def sentences(text: str) -> list[str]:
    """Sentences: split after . ! ? and at paragraph ends; a list item ends one too. Headings
    are not sentences."""
    text = re.sub(r"^\s*#+\s.*$", "\n", text, flags=re.M)
    text = re.sub(r"^\s*(?:[*-]|\d+\.)\s+", "\n\n", text, flags=re.M)
    parts = re.split(r"(?<=[.!?])\s+|\n\s*\n", text)
    return [p for p in parts if len(words(p)) >= 1]


@pytest.mark.parametrize("py", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_within_budget(py):
    text = py.read_text()
    nb = jupytext.reads(text, fmt="py:percent")
    body = prose(nb)
    n_lines, n_words = lesson_lines(text), len(words(body))
    average = n_words / max(1, len(sentences(body)))
    assert n_lines <= MAX_LINES, f"{py.name}: {n_lines} lines of lesson (at most {MAX_LINES})"
    assert n_words <= MAX_WORDS, f"{py.name}: {n_words} words of prose (at most {MAX_WORDS})"
    assert average < MAX_SENTENCE, f"{py.name}: {average:.1f} words per sentence (under {MAX_SENTENCE})"


@pytest.mark.parametrize("py", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_opens_with_what_you_will_learn_and_ends_with_readings(py):
    nb = jupytext.reads(py.read_text(), fmt="py:percent")
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert "**What you will learn here**" in markdown[0], f"{py.name}: the first cell says what you will learn"
    text = "\n".join(markdown)
    assert "## Summary" in text, f"{py.name}: no '## Summary'"
    reading = re.search(r"## Further reading\n(.*?)(?=\n#|\Z)", text, flags=re.S)
    assert reading, f"{py.name}: no '## Further reading'"
    items = re.findall(r"^\* ", reading.group(1), flags=re.M)
    assert 3 <= len(items) <= 5, f"{py.name}: {len(items)} further readings (3 to 5)"


def test_the_measures_count_what_they_say():
    text = "One two three. Four five six seven!\n\n* An item here\n* Another one"
    assert len(words(text)) == 12
    assert len(sentences(text)) == 4
    assert lesson_lines("# ---\n# a\n# ---\n\n# %% [markdown]\n# ## Setup\n# x\n\n# %%\nPROFILE = setup()\n\nx = 1\n") == 3
