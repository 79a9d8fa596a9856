"""The README's table of lessons, generated from the notebooks and their measured times.

Each row: the number, the notebook, its title (the ``# # NN · Title`` heading of its ``.py``),
its wall time under ``quick`` (from ``results/lesson_times.json``, which ``make times`` writes
with ``tools/run_notebooks.py --times``) and its Colab badge (pinned to the release in
``pyproject.toml``). Two modes, as ``sync_notebooks.py``:

    python tools/lesson_table.py          # check (make lint): exit 1 when the README disagrees
    python tools/lesson_table.py --write  # make sync: rewrite the README's block
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sync_notebooks import BADGE, ROOT, read_release  # noqa: E402

BLOCK = re.compile(r"(<!-- generated: lessons -->\n)(.*?)(<!-- end generated: lessons -->)", re.S)


def lessons(folder: Path) -> list[tuple[str, str]]:
    """``[(stem, title)]`` of every ``NN_name.py`` in ``folder``, in order."""
    out = []
    for path in sorted(folder.glob("[0-9][0-9]_*.py")):
        heading = re.search(r"^# # \d\d · (.+)$", path.read_text(encoding="utf-8"), flags=re.M)
        if not heading:
            raise ValueError(f"{path.name} has no '# # NN · Title' heading")
        out.append((path.stem, heading.group(1).strip()))
    return out


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.0f} s"


def table(folder: Path, times_file: Path) -> str:
    """The Markdown table of lessons (without the block markers)."""
    release = read_release()
    times = json.loads(times_file.read_text())["notebooks"] if times_file.is_file() else {}
    rows = ["| | notebook | lesson | `quick` | |", "|---|---|---|---|---|"]
    for stem, title in lessons(folder):
        url = (f"https://colab.research.google.com/github/{release.github_path}/blob/"
               f"{release.tag}/notebooks/{stem}.ipynb")
        took = _minutes(times[stem]) if stem in times else "not timed"
        rows.append(f"| {stem[:2]} | `{stem}` | {title} | {took} | [![Open In Colab]({BADGE})]({url}) |")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the README's block")
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks")
    parser.add_argument("--times", type=Path, default=ROOT / "results" / "lesson_times.json")
    args = parser.parse_args(argv)
    text = args.readme.read_text(encoding="utf-8")
    match = BLOCK.search(text)
    if not match:
        print(f"{args.readme}: no '<!-- generated: lessons -->' block", file=sys.stderr)
        return 1
    wanted = table(args.notebooks, args.times)
    if match.group(2) == wanted:
        return 0
    if args.write:
        args.readme.write_text(text[: match.start(2)] + wanted + text[match.end(2):], encoding="utf-8")
        return 0
    print(f"{args.readme}: the table of lessons disagrees with notebooks/; run `make sync`", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
