"""One source of truth for where the course lives: ``pyproject.toml``.

Every notebook's Colab badge, its install cell, the package's copies of the committed study
summaries and the README's generated paragraphs (between ``<!-- generated: NAME -->`` and
``<!-- end generated: NAME -->``) are *generated*: from ``[project.urls] Repository``, the
``version`` (the release tag ``v<version>`` that badges and install cells pin),
``[project.urls] Documentation`` (the website's address) and ``results/``. So are the committed
``.ipynb`` files, from their jupytext ``.py`` sources:

    python tools/sync_notebooks.py                          # --check (make lint): exit 1 on any disagreement
    python tools/sync_notebooks.py --write                  # make sync: rewrite all of the above
    python tools/sync_notebooks.py --executable build/notebooks   # CI: notebooks with solutions as code

Solutions are opt-in. In the ``.py`` a solution is a code cell tagged ``solution``. In the
committed ``.ipynb`` (what JupyterLab, classic Notebook, Colab and GitHub show) each becomes a
markdown cell tagged ``solution`` holding the code, folded in ``<details>``: "Run All" runs no
solution anywhere. ``--executable`` writes the notebooks with every solution as code, for CI,
which runs each solution through its exercise check. The committed ``.ipynb`` carries no
jupytext pairing, so opening it never reads the ``.py`` (and its solutions) back in.
The install cell installs ``$RESIZER_INSTALL`` when it is set (a wheel file, a fork, another
tag), else the pinned release; it never installs ``main``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parents[1]
BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
SETUP_START = "# %% [markdown]\n# ## Setup\n"
SETUP_END = "PROFILE = setup()\n"


@dataclass(frozen=True)
class Release:
    """Where the course lives: ``repository`` (https://github.com/<owner>/<name>) and ``version``."""

    repository: str
    version: str
    bounds: tuple[str, ...]  # the declared bounds of the packages Colab preinstalls

    @property
    def tag(self) -> str:
        return f"v{self.version}"

    @property
    def github_path(self) -> str:
        """``<owner>/<name>`` of the repository."""
        match = re.fullmatch(r"https://github\.com/([\w.-]+/[\w.-]+?)/?", self.repository)
        if not match:
            raise ValueError(f"[project.urls] Repository must be https://github.com/<owner>/<name>; "
                             f"got {self.repository!r}")
        return match.group(1)

    @property
    def install_spec(self) -> str:
        return f"resizer_lib @ git+{self.repository}@{self.tag}"

    def colab_url(self, stem: str) -> str:
        """Colab's address of notebook ``stem`` at the release tag."""
        return f"https://colab.research.google.com/github/{self.github_path}/blob/{self.tag}/notebooks/{stem}.ipynb"

    def badge_line(self, stem: str) -> str:
        return f"# [![Open In Colab]({BADGE})]({self.colab_url(stem)})"


def read_release(pyproject: Path = ROOT / "pyproject.toml") -> Release:
    """The release described by ``pyproject.toml``; ``ValueError`` naming what is missing."""
    project = tomllib.loads(pyproject.read_text())["project"]
    if "version" not in project:
        raise ValueError(f"{pyproject}: [project] needs a static version = \"X.Y.Z\" (the release tag)")
    repository = project.get("urls", {}).get("Repository")
    if not repository:
        raise ValueError(f"{pyproject}: [project.urls] needs Repository = \"https://github.com/<owner>/<name>\"")
    preinstalled = ("tensorflow", "keras")
    bounds = tuple(d.replace(" ", "") for d in project["dependencies"]
                   if re.split(r"[<>=!~\[ ;]", d, maxsplit=1)[0] in preinstalled)
    return Release(repository.rstrip("/"), project["version"], bounds)


def read_site_url(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The course website's address: ``[project.urls] Documentation`` (``make site`` builds it)."""
    url = tomllib.loads(pyproject.read_text())["project"].get("urls", {}).get("Documentation")
    if not url or not re.fullmatch(r"https://\S+/", url):
        raise ValueError(f"{pyproject}: [project.urls] needs Documentation = \"https://.../\" (the website's "
                         f"address, ending in /); got {url!r}")
    return url


def setup_cells(release: Release) -> str:
    """The Setup section every notebook starts with (a markdown cell and the install cell)."""
    bounds = " and ".join(f"`{b}`" for b in release.bounds)
    return f'''{SETUP_START}# In Colab this cell installs the course library, release {release.version} (git tag `{release.tag}`,
# the release this notebook belongs to; set `RESIZER_INSTALL` to a wheel file, a fork or another
# tag to install that instead). pip keeps Colab's own TensorFlow and Keras when they already
# meet the course's bounds ({bounds}). Locally, `make lab` has installed everything.
# `setup()` checks every package the course needs, seeds everything and prints the profile
# (`RESIZER_PROFILE`: `smoke`, `quick`, `colab` or `full`) and the device.

# %%
import os
import sys

if "google.colab" in sys.modules:  # Colab: install the course library, pinned to its release
    import subprocess

    INSTALL = os.environ.get("RESIZER_INSTALL", "{release.install_spec}")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", INSTALL], check=True)

from resizer_lib.course.notebook import setup

{SETUP_END}'''


def synced_source(text: str, stem: str, release: Release) -> str:
    """``text`` (a jupytext percent source) with its badge, source link and Setup regenerated.
    ``ValueError`` when the notebook lacks its H1 or its Setup section."""
    h1 = re.search(r"^# # .+\n", text, flags=re.M)
    if not h1:
        raise ValueError(f"{stem}.py has no '# # NN · Title' heading in its first markdown cell")
    header = f"#\n{release.badge_line(stem)}\n# · source: [`{stem}.py`]({stem}.py) (the `.ipynb` is generated from it with jupytext)\n"
    rest = text[h1.end():]
    old = re.match(r"#\n# \[!\[Open In Colab\].*\n(# · source:.*\n)?", rest)
    rest = rest[old.end():] if old else rest
    text = text[: h1.end()] + header + rest
    start = text.find(SETUP_START)
    end = text.find(SETUP_END, start)
    if start < 0 or end < 0:
        raise ValueError(f"{stem}.py has no Setup section ('## Setup' markdown, then a cell ending "
                         f"in {SETUP_END.strip()!r})")
    return text[:start] + setup_cells(release) + text[end + len(SETUP_END):]


SOLUTION = "solution"
# jupytext's own cell metadata: meaningless in a generated .ipynb
_JUPYTEXT_CELL_KEYS = ("lines_to_next_cell", "lines_to_end_of_cell_marker", "cell_marker", "region_name")


def is_solution(cell) -> bool:
    return SOLUTION in cell.get("metadata", {}).get("tags", [])


def fold(code: str) -> str:
    """A solution's code as folded markdown: closed until the learner opens it."""
    return ("<details><summary>Solution (open it after you have tried)</summary>\n\n"
            f"```python\n{code.strip()}\n```\n\n</details>")


def notebook_from_source(py: Path, solutions_as_code: bool = False):
    """The ``.ipynb`` for ``py``: solutions folded into markdown (the committed, learner's form),
    or kept as code (``solutions_as_code``: what CI executes). No outputs, no jupytext pairing,
    cell ids derived from the notebook's name and the cell's position."""
    import hashlib

    import jupytext
    import nbformat

    source = jupytext.read(py)
    cells = []
    for i, cell in enumerate(source.cells):
        metadata = {k: v for k, v in cell.get("metadata", {}).items() if k not in _JUPYTEXT_CELL_KEYS}
        metadata.pop("jupyter", None)  # no source_hidden: folding is the markdown's job
        if cell.cell_type == "code" and is_solution(cell) and not solutions_as_code:
            new = nbformat.v4.new_markdown_cell(fold(cell.source), metadata=metadata)
        elif cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(cell.source, metadata=metadata)
        else:
            new = nbformat.v4.new_markdown_cell(cell.source, metadata=metadata)
        new["id"] = hashlib.sha1(f"{py.stem}:{i}".encode()).hexdigest()[:8]
        cells.append(new)
    metadata = {k: v for k, v in source.metadata.items() if k != "jupytext"}
    return nbformat.v4.new_notebook(cells=cells, metadata=metadata)


def ipynb_text(py: Path, solutions_as_code: bool = False) -> str:
    import nbformat

    return nbformat.writes(notebook_from_source(py, solutions_as_code)) + "\n"


def ipynb_problems(folder: Path, write: bool) -> list[str]:
    """Each committed ``.ipynb`` against the one generated from its ``.py``."""
    problems = []
    for py in sorted(folder.glob("[0-9][0-9]_*.py")):
        ipynb, wanted = py.with_suffix(".ipynb"), ipynb_text(py)
        if not ipynb.is_file() or ipynb.read_text() != wanted:
            if write:
                ipynb.write_text(wanted)
            else:
                problems.append(f"{ipynb} differs from the one generated from {py.name}; run `make sync`")
    return problems


def write_executable(folder: Path, out: Path) -> list[Path]:
    """Every notebook with its solutions as code, into ``out`` (CI executes these)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for py in sorted(folder.glob("[0-9][0-9]_*.py")):
        target = out / f"{py.stem}.ipynb"
        target.write_text(ipynb_text(py, solutions_as_code=True))
        written.append(target)
    return written


def notebook_problems(folder: Path, release: Release, write: bool) -> list[str]:
    problems = []
    for py in sorted(folder.glob("[0-9][0-9]_*.py")):
        text = py.read_text()
        try:
            wanted = synced_source(text, py.stem, release)
        except ValueError as err:
            problems.append(str(err))
            continue
        for n, line in enumerate(wanted.splitlines(), 1):
            if re.search(r"""["']\.\./""", line.split("#")[0]):
                problems.append(f"{py}:{n}: reads outside the notebook's folder ({line.strip()}); "
                                f"ship the file with the package (resizer_lib.training.studies) instead")
        if wanted != text:
            if write:
                py.write_text(wanted)
            else:
                problems.append(f"{py}: badge or install cell disagrees with pyproject.toml "
                                f"({release.repository} {release.tag}); run `make sync`")
    return problems


# the studies the package ships (resizer_lib/study_data/<name>.json, read by load_study) -> their
# file under results/, the source of truth in a checkout
SOURCES = {
    "synthetic_quick": "synthetic_quick.json",
    "photos_small_cnn_128to64": "photos_small_cnn_128to64.json",
    "photos_small_cnn_128to64_keras_io": "photos_small_cnn_128to64_keras_io.json",
    "photos_densenet121_300to150_gpu": "photos_densenet121_300to150_gpu.json",
    "photos_densenet121_300to150_gpu_4arms": "photos_densenet121_300to150_gpu_4arms.json",
    "photos_densenet121_300to150_gpu_batchnorm": "photos_densenet121_300to150_gpu/batchnorm.json",
    "map_small_cnn": "map_small_cnn.json",  # the factor map (map-report), partial until complete
    "warm_start_small_cnn": "warm_start_small_cnn.json",  # the warm start (map-report on its runs)
    "fair_small_cnn_primary": "fair_small_cnn_primary.json",  # the fair test, primary comparisons (fair_study.sh report)
}


def packaged_copies(results: Path, package: Path = ROOT / "resizer_lib" / "study_data") -> dict[str, tuple[Path, Path]]:
    """``{name: (source under results/, its copy in the package)}`` for every entry of ``SOURCES``:
    the pairs ``make sync`` copies and ``make lint`` compares."""
    return {name: (Path(results) / rel, Path(package) / f"{name}.json") for name, rel in SOURCES.items()}


def study_problems(results: Path, write: bool) -> list[str]:
    problems = []
    pairs = packaged_copies(results)
    for name, (source, copy) in pairs.items():
        if not source.is_file():
            problems.append(f"{source} is missing: the package ships it as study {name!r}")
        elif not copy.is_file() or copy.read_bytes() != source.read_bytes():
            if write:
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, copy)
            else:
                problems.append(f"{copy} differs from {source}; run `make sync`")
    folder = next(iter(pairs.values()))[1].parent if pairs else None
    for stray in sorted(folder.glob("*.json")) if folder and folder.is_dir() else []:
        if stray.stem not in pairs:
            problems.append(f"{stray} is not listed in tools/sync_notebooks.py's SOURCES")
    return problems


def _map_findings(results: Path) -> str:
    from resizer_lab.factor_map import format_findings
    from resizer_lib.files import read_json

    return format_findings(read_json(results / "map_small_cnn.json"))


def _warm_start_table(results: Path) -> str:
    from resizer_lab.factor_map import (
        format_accuracy_table,
        format_difference_table,
        format_status,
    )
    from resizer_lib.files import read_json

    path = results / "warm_start_small_cnn.json"
    if not path.is_file():
        return ("Not run yet: `bash resizer_lab/scripts/warm_start_study.sh`, then `bash resizer_lab/scripts/warm_start_study.sh "
                "report` writes `results/warm_start_small_cnn.{json,md,png}` and `make sync` this table.")
    result = read_json(path)
    return "\n\n".join([format_status(result), format_difference_table(result), format_accuracy_table(result)])


def _site_address(results: Path) -> str:
    return (f"The course is also a website, every lesson with its figures: <{read_site_url()}> "
            f"(`make site` builds it into `build/site/`).")


# paragraphs generated from results/ (and pyproject.toml): name -> its text, per file
GENERATED = {"site": _site_address, "map-findings": _map_findings, "warm-start": _warm_start_table}
GENERATED_IN = {"README.md": ("site",), "results/README.md": ("map-findings", "warm-start")}


def _wrap(text: str, width: int = 100) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False))


def readme_problems(readme: Path, results: Path, write: bool, names=None) -> list[str]:
    """Each generated block of ``readme`` (``names``, default all) against its text from
    ``results``; rewritten with ``write``."""
    sys.path.insert(0, str(ROOT))
    text = readme.read_text()
    new, problems = text, []
    for name, generate in GENERATED.items():
        if names is not None and name not in names:
            continue
        block = re.compile(rf"(<!-- generated: {name} -->\n)(.*?)(<!-- end generated: {name} -->)", re.S)
        found = block.search(new)
        if found is None:
            problems.append(f"{readme}: no '<!-- generated: {name} -->' ... '<!-- end generated: {name} -->' block")
            continue
        body = "\n\n".join(part if part.startswith("|") else _wrap(part)
                           for part in generate(results).split("\n\n")) + "\n"
        if found[2] != body:
            new = new[: found.start(2)] + body + new[found.end(2):]
            if not write:
                problems.append(f"{readme}: the generated paragraph '{name}' disagrees with {results}; run `make sync`")
    if write and new != text:
        readme.write_text(new)
    return problems


def main(argv: list[str] | None = None) -> int:
    from resizer_lib.tf_logging import install

    install()  # the study tables import the lab, which imports Keras: no C++ log lines
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite instead of checking")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks")
    parser.add_argument("--results", type=Path, default=ROOT / "results")
    parser.add_argument("--executable", type=Path, metavar="DIR",
                        help="only write the notebooks with solutions as code into DIR")
    args = parser.parse_args(argv)
    if args.executable:
        written = write_executable(args.notebooks, args.executable)
        print(f"{len(written)} notebooks with their solutions as code in {args.executable}")
        return 0
    release = read_release()
    problems = notebook_problems(args.notebooks, release, args.write)
    problems += ipynb_problems(args.notebooks, args.write)
    problems += study_problems(args.results, args.write)
    for readme, names in GENERATED_IN.items():
        problems += readme_problems(ROOT / readme, args.results, args.write, names)
    for p in problems:
        print(p)
    print(f"sync ({release.repository} {release.tag}): {'OK' if not problems else f'{len(problems)} problem(s)'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
