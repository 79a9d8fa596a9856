"""The course as a static website (a book), built offline: ``make site``.

    python tools/site/build_site.py                   # RESIZER_PROFILE (default quick) -> build/site/
    python tools/site/build_site.py --profile smoke --out build/site-smoke   # what `make test` checks
    python tools/site/build_site.py --check-photos build/site               # the licensed-photo check only
    python tools/site/build_site.py --profile smoke --executed build/colab/executed --out build/site-smoke
                                                     # `make site-test`: render what `make colab` executed

What it does:

1. **Execute.** Every notebook (``notebooks/*.ipynb``, in name order: a lesson is a page, whatever
   the lessons are called) becomes its student copy (``tools/make_handouts.py``: the cells tagged
   ``solution`` removed, so no solution reaches a page) and runs top to bottom under the profile,
   with ``tools/run_notebooks.py``, in a fresh kernel. The kernel runs in a temporary folder that
   holds a copy of ``resizer_lib`` and the notebook and nothing else: the licensed photos beside
   the checkout (``../shared/datasets``) cannot be reached from there, and a first cell, which no
   page shows, asserts it. Executed notebooks are cached in ``build/site-cache/<profile>/`` under a
   key made of their code cells, every file of ``resizer_lib/``, the profile and the package
   versions: a notebook runs again only when its code or the library changes; a prose edit only
   re-renders (seconds). With ``--executed DIR`` nothing runs here: the pages are made from the
   notebooks that ``make colab`` executed (with their solutions as code, which the pages drop,
   alone in a folder with no photos beside it, as on Colab), so ``make test`` runs each lesson once.
2. **Widgets.** A widget app cannot run in a static page: the output of a cell that shows one is
   replaced by the explorer's static figure (``static_explorer`` at the app's opening settings)
   and a line saying that the live version runs in Jupyter or Colab.
3. **Pages.** The front page from ``README.md``, a page per lesson (with an "Open in Colab" button
   pinned to the release and a download link, both from ``pyproject.toml``), a page listing every
   exercise, the results (``results/README.md``) and the teachers' page (``TEACHING.md``). Links
   between these files become links between pages; links to other files of the repository go to
   GitHub at the release tag.
4. **Render** with Sphinx (myst-nb, sphinx-book-theme): search, previous/next, MathJax served from
   the site itself. Nothing is loaded from another host when a page is viewed.
5. **Check** that no file of the site, nor any image inside a notebook it serves, is one of the
   licensed photos (sha256 of the files, and of the pixels for images of a photo's size).
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

import nbformat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import make_handouts  # noqa: E402
import sync_notebooks  # noqa: E402

LIBRARY = ROOT / "resizer_lib"
NOTEBOOKS = ROOT / "notebooks"
SHARED_DATASETS = ROOT.parent / "shared" / "datasets"
RUNNER = ROOT / "tools" / "run_notebooks.py"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".tif", ".tiff"}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# the repository's Markdown files that are pages of the site, and their page names
PAGES = {"README.md": "index.md", "TEACHING.md": "teaching.md", "results/README.md": "results.md"}

# -- cells the build adds to a notebook before it runs (and removes after) ------------------------
GUARD_TAG, STATIC_TAG = "site-guard", "site-static-figure"
GUARD_CELL = '''\
# The site is built without the licensed photos: no shared/datasets above this folder or above
# the library this kernel imports.
import pathlib as _pathlib

import resizer_lib as _resizer_lib

_library = _pathlib.Path(_resizer_lib.__file__).resolve().parents[1]
_places = [_pathlib.Path.cwd().resolve(), *_pathlib.Path.cwd().resolve().parents, _library, *_library.parents]
_found = sorted({str(p / "shared" / "datasets") for p in _places if (p / "shared" / "datasets").exists()})
assert not _found, f"the licensed photos are reachable from the site's kernel: {_found}"
assert str(_library) == LIBRARY_DIR, f"the kernel imports resizer_lib from {_library}"
del _pathlib, _resizer_lib, _library, _places, _found
'''
# after a cell that shows a resize explorer: the same figure, without widgets
STATIC_CELL = '''\
from resizer_lib.viz.widgets import ResizeExplorer as _Explorer
from resizer_lib.viz.widgets import static_explorer as _static_explorer

_apps = [_v for _v in list(globals().values()) if isinstance(_v, _Explorer)]
if _apps:
    _c = {_k: _w.value for _k, _w in _apps[-1].controls.items()}
    _static_explorer(_c["image"], _c["interpolation"], _c["size"], _c["antialias"],
                     use_learned=_c["resizer"] == "learned" and _apps[-1].resizer_model is not None,
                     resizer_model=_apps[-1].resizer_model, images=getattr(_apps[-1], "_images", None))
del _apps
'''
WIDGET_NOTE = ("The live version of this app, with its controls, runs in Jupyter or in Colab "
               "(“Open in Colab” at the top of the page); here is its figure at the settings it opens with.")
WIDGET_NOTE_HTML = f'<p class="widget-note">{WIDGET_NOTE}</p>'


# -- the release ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Site:
    """Where the course lives and is published: from ``pyproject.toml``."""

    release: sync_notebooks.Release
    url: str  # [project.urls] Documentation: the site's address

    def colab_url(self, stem: str) -> str:
        return self.release.colab_url(stem)

    def github_url(self, path: str, folder: bool = False) -> str:
        kind = "tree" if folder else "blob"
        return f"{self.release.repository}/{kind}/{self.release.tag}/{path}".rstrip("/")


def read_site(pyproject: Path = ROOT / "pyproject.toml") -> Site:
    release = sync_notebooks.read_release(pyproject)
    url = sync_notebooks.read_site_url(pyproject)
    return Site(release, url)


# -- the licensed photos -------------------------------------------------------------------------
def licensed_photos(datasets: Path = SHARED_DATASETS) -> tuple[set[str], set[tuple[int, int]]]:
    """The sha256 of every licensed photo (from each ``manifest.csv``) and the photos' sizes."""
    hashes: set[str] = set()
    sizes: set[tuple[int, int]] = set()
    for manifest in sorted(datasets.glob("*/manifest.csv")):
        with manifest.open(newline="") as f:
            for row in csv.DictReader(f):
                hashes.add(row["sha256"].lower())
                if row.get("width") and row.get("height"):
                    sizes.add((int(row["width"]), int(row["height"])))
    return hashes, sizes


def _pixel_hash(data: bytes) -> tuple[tuple[int, int], str] | None:
    """``((width, height), sha256 of the RGB pixels)`` of an image file's bytes; None if unreadable."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:
            rgb = im.convert("RGB")
            return rgb.size, hashlib.sha256(rgb.tobytes()).hexdigest()
    except Exception:  # noqa: BLE001 - not an image Pillow reads (an SVG, a font)
        return None


def _notebook_images(path: Path) -> list[tuple[str, bytes]]:
    """Every image output inside a notebook file, as ``(where, bytes)``."""
    found = []
    nb = json.loads(path.read_text())
    for i, cell in enumerate(nb.get("cells", [])):
        for output in cell.get("outputs", []):
            for mime, value in output.get("data", {}).items():
                if mime.startswith("image/") and mime != "image/svg+xml":
                    text = "".join(value) if isinstance(value, list) else value
                    found.append((f"{path} cell {i} {mime}", base64.b64decode(text)))
    return found


def photo_problems(site: Path, datasets: Path = SHARED_DATASETS) -> list[str]:
    """Files of ``site`` (and images inside its notebooks) that are licensed photos: by the
    file's sha256, and, for images of a licensed photo's size, by the sha256 of the pixels."""
    hashes, sizes = licensed_photos(datasets)
    if not hashes:
        return []
    problems, candidates = [], []  # candidates: (where, bytes) of images of a photo's size
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() in hashes:
            problems.append(f"{path.relative_to(site)} is a licensed photo (its sha256 is in a manifest)")
        items = [(str(path.relative_to(site)), data)] if path.suffix.lower() in IMAGE_SUFFIXES else []
        if path.suffix == ".ipynb":
            items = _notebook_images(path)
            problems += [f"{where} is a licensed photo" for where, blob in items
                         if hashlib.sha256(blob).hexdigest() in hashes]
        for where, blob in items:
            pixels = _pixel_hash(blob)
            if pixels and pixels[0] in sizes:
                candidates.append((where, pixels[1], pixels[0]))
    if candidates:  # decode only the photos of those sizes
        wanted = {size for _, _, size in candidates}
        photo_pixels = set()
        for manifest in sorted(datasets.glob("*/manifest.csv")):
            with manifest.open(newline="") as f:
                for row in csv.DictReader(f):
                    if (int(row["width"]), int(row["height"])) in wanted:
                        file = manifest.parent / row["file"]
                        pixels = _pixel_hash(file.read_bytes()) if file.is_file() else None
                        if pixels:
                            photo_pixels.add(pixels[1])
        problems += [f"{where} has the pixels of a licensed photo" for where, h, _ in candidates
                     if h in photo_pixels]
    return problems


# -- notebooks -----------------------------------------------------------------------------------
def discover(folder: Path = NOTEBOOKS) -> list[Path]:
    """The lessons: every ``*.ipynb`` of the folder, in name order."""
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def library_digest(library: Path = LIBRARY) -> str:
    """sha256 over every file of the library (names and bytes; caches and compiled files left out)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in library.rglob("*") if p.is_file()
                       and "__pycache__" not in p.parts and p.suffix != ".pyc"):
        digest.update(str(path.relative_to(library)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _versions() -> str:
    names = ("keras", "tensorflow", "numpy", "matplotlib", "ipykernel")
    found = []
    for name in names:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return f"python={sys.version_info[0]}.{sys.version_info[1]} " + " ".join(found)


def student_copy(path: Path) -> nbformat.NotebookNode:
    """The notebook without its solution cells (``make_handouts``), outputs cleared."""
    nb = nbformat.read(path, as_version=4)
    return make_handouts.make_handout(nb, str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)).notebook


def is_widget_app(cell) -> bool:
    """A code cell that shows a resize explorer (the course marks it ``# WIDGET-APP``)."""
    return cell.cell_type == "code" and ("# WIDGET-APP" in cell.source or "resize_explorer(" in cell.source)


def cache_key(nb, profile: str, library: str, versions: str) -> str:
    """What an execution depends on: the code cells, the library, the profile, the packages and
    the cells this build adds."""
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    blob = json.dumps([code, profile, library, versions, GUARD_CELL, STATIC_CELL,
                       os.environ.get("KERAS_BACKEND", "tensorflow")])
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def with_build_cells(nb, library_dir: Path | None) -> nbformat.NotebookNode:
    """A copy of ``nb`` with a static figure after each widget app and, where this build runs it
    (``library_dir``: the library its kernel must import), the guard cell first."""
    cells = [] if library_dir is None else [nbformat.v4.new_code_cell(
        GUARD_CELL.replace("LIBRARY_DIR", repr(str(library_dir.resolve()))), metadata={"tags": [GUARD_TAG]})]
    for cell in nb.cells:
        cells.append(cell)
        if is_widget_app(cell):
            cells.append(nbformat.v4.new_code_cell(STATIC_CELL, metadata={"tags": [STATIC_TAG]}))
    copy = nbformat.from_dict(dict(nb))
    copy.cells = [nbformat.from_dict(dict(c)) for c in cells]
    for i, cell in enumerate(copy.cells):
        cell["id"] = f"c{i:04d}"
    return copy


def without_build_cells(nb) -> nbformat.NotebookNode:
    """The executed notebook as its pages show it: the guard cell gone; a widget app's output
    replaced by the static figure that followed it and a line that says where the app runs."""
    cells = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if GUARD_TAG in tags:
            continue
        if STATIC_TAG in tags:
            if cells and cells[-1].cell_type == "code":
                cells[-1].outputs = [_note_output(), *[o for o in cell.outputs if o.output_type != "stream"]]
            continue
        if cell.cell_type == "code" and any(WIDGET_MIME in o.get("data", {}) for o in cell.get("outputs", [])):
            # any other widget: its live view is left to Jupyter and Colab
            cell.outputs = [_note_output(), *[o for o in cell.outputs if WIDGET_MIME not in o.get("data", {})
                                               and o.output_type != "stream"]]
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    return nb


def _note_output():
    return nbformat.v4.new_output("display_data", data={"text/html": WIDGET_NOTE_HTML, "text/plain": WIDGET_NOTE})


@dataclass
class Job:
    source: Path
    notebook: nbformat.NotebookNode  # the student copy
    cached: Path  # where its executed copy is (or will be) kept


def _run_one(job: Job, stage: Path, profile: str, timeout: int) -> tuple[Job, float, str]:
    """Execute one notebook in ``stage`` (a folder with the library's copy); ``(job, s, error)``."""
    folder = stage / job.source.stem
    folder.mkdir()
    path = folder / job.source.name
    nbformat.write(with_build_cells(job.notebook, stage / "lib"), path)
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "PYTHONPATH")}
    env.update(RESIZER_PROFILE=profile, PYTHONPATH=str(stage / "lib"), PYTHONUNBUFFERED="1")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(RUNNER), "--timeout", str(timeout), "--out", str(folder / "out"),
                           str(path)], cwd=folder, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        return job, seconds, (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-1]
    executed = nbformat.read(folder / "out" / job.source.name, as_version=4)
    job.cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = job.cached.with_suffix(".tmp")
    nbformat.write(without_build_cells(executed), tmp)
    tmp.replace(job.cached)
    return job, seconds, ""


def from_executed(path: Path, executed_dir: Path) -> nbformat.NotebookNode:
    """The page of ``path`` from its copy executed elsewhere (``executed_dir/<name>``, run with
    its solutions as code and the static figures of ``with_build_cells(nb, None)``): the solution cells
    dropped, the widget outputs as ``without_build_cells`` leaves them, the current prose."""
    copy = executed_dir / path.name
    if not copy.is_file():
        raise SystemExit(f"build_site: error: no executed copy of {path.name} in {executed_dir} "
                         "(make colab writes them there)")
    executed = nbformat.read(copy, as_version=4)
    executed.cells = [c for c in executed.cells if "solution" not in c.get("metadata", {}).get("tags", [])]
    executed = without_build_cells(executed)
    page = student_copy(path)
    mine = [c.source for c in page.cells if c.cell_type == "code"]
    theirs = [c.source for c in executed.cells if c.cell_type == "code"]
    if mine != theirs:
        raise SystemExit(f"build_site: error: {copy} was executed from other code than {path.name}: "
                         "run make colab again")
    return merge_prose(executed, page)


def execute_all(jobs: list[Job], profile: str, workers: int, timeout: int) -> list[str]:
    """Run the jobs, ``workers`` kernels at a time, longest code first; the errors, one line each."""
    if not jobs:
        return []
    errors = []
    with tempfile.TemporaryDirectory(prefix="resizer-site-") as tmp:
        stage = Path(tmp)
        shutil.copytree(LIBRARY, stage / "lib" / "resizer_lib",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        order = sorted(jobs, key=lambda j: -sum(len(c.source) for c in j.notebook.cells if c.cell_type == "code"))
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            futures = [pool.submit(_run_one, job, stage, profile, timeout) for job in order]
            for future in concurrent.futures.as_completed(futures):
                job, seconds, error = future.result()
                print(f"  {job.source.name}: {'FAILED: ' + error if error else 'executed'} ({seconds:.0f} s)",
                      flush=True)
                if error:
                    errors.append(f"{job.source.name}: {error}")
    return errors


# -- Markdown: links and pages ------------------------------------------------------------------
_CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.S)
_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*([^)\s]+)(\s+\"[^\"]*\")?\s*\)")
_BADGE = re.compile(r"!\[Open In Colab\]\([^)]*\)", re.I)


def _code_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _CODE.finditer(text)]


def _in_code(at: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= at < end for start, end in spans)


class Linker:
    """Rewrites the links of a Markdown text that lives at ``source`` (a path in the repository)
    for the page it becomes at ``page`` (a path in the site's sources)."""

    def __init__(self, site: Site, lessons: list[str], src: Path | None = None):
        self.site = site
        self.lessons = set(lessons)  # the lessons' stems
        self.src = src  # where the site's sources are written (repository images are copied there)
        self.copied: set[str] = set()

    def page_for(self, repo_path: str) -> str | None:
        """The site page (a path in the sources) for a file of the repository, if it is one."""
        if repo_path in PAGES:
            return PAGES[repo_path]
        p = PurePosixPath(repo_path)
        if p.parent.as_posix() == "notebooks" and p.suffix in (".ipynb", ".py") and p.stem in self.lessons:
            return f"notebooks/{p.stem}.ipynb"
        return None

    def target(self, target: str, source: str, page: str, image: bool) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("#", "/")):
            return target
        path, _, fragment = target.partition("#")
        resolved = os.path.normpath(PurePosixPath(source).parent.joinpath(path).as_posix())
        if resolved.startswith(".."):  # outside the repository
            return target
        here = PurePosixPath(page).parent
        anchor = f"#{fragment}" if fragment else ""
        mapped = self.page_for(resolved)
        if mapped:
            return os.path.relpath(mapped, here.as_posix() or ".") + anchor
        if image and (ROOT / resolved).is_file() and PurePosixPath(resolved).suffix.lower() in IMAGE_SUFFIXES:
            copy = f"_repo/{resolved}"
            if self.src is not None and resolved not in self.copied:
                write_if_changed(self.src / copy, (ROOT / resolved).read_bytes())
                self.copied.add(resolved)
            return os.path.relpath(copy, here.as_posix() or ".")
        return self.site.github_url(resolved, folder=(ROOT / resolved).is_dir()) + anchor

    def rewrite(self, text: str, source: str, page: str) -> str:
        def link(m: re.Match) -> str:
            bang, label, target, title = m.group(1), m.group(2), m.group(3), m.group(4) or ""
            if not bang and _BADGE.search(label):  # a Colab badge: its picture is on Google's site
                return f"[Open in Colab]({target})"
            if bang and re.match(r"^https?:", target):  # a picture from elsewhere: a link instead
                return f"[{label or target}]({target})"
            return f"{bang}[{label}]({self.target(target, source, page, bool(bang))}{title})"

        spans = _code_spans(text)  # a link inside code is text; a link whose label is code is a link
        return _LINK.sub(lambda m: m.group(0) if _in_code(m.start(), spans) else link(m), text)


def lesson_title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return ""


_HEADER_LINES = re.compile(r"^\s*\[!\[Open In Colab\][^\n]*\n?(?:\s*·\s*source:[^\n]*\n?)?", re.M | re.I)
_EXERCISES = re.compile(r"^(#{1,6})\s*Exercises?\b.*$", re.M | re.I)


def lesson_header(site: Site, stem: str) -> str:
    """The buttons under a lesson's title: Colab at the release, the notebook, its source."""
    source = f"notebooks/{stem}.py" if (NOTEBOOKS / f"{stem}.py").is_file() else f"notebooks/{stem}.ipynb"
    return (
        '<div class="lesson-links">\n'
        f'<a class="colab-button" href="{site.colab_url(stem)}">Open in Colab</a>\n'
        f'<a class="download-button" href="../downloads/{stem}.ipynb" download>Download the notebook</a>\n'
        f'<a class="source-button" href="{site.github_url(source)}">Source ({site.release.tag})</a>\n'
        "</div>\n"
    )


def lesson_page(nb, stem: str, site: Site, linker: Linker) -> nbformat.NotebookNode:
    """The executed notebook as the lesson's page: the site's header (Colab, download) in place
    of the badge, links rewritten, and a label on the exercises for the exercises page."""
    header_done = False
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        text = cell.source
        if not header_done and re.search(r"^#\s+.+$", text, re.M):
            text = _HEADER_LINES.sub("", text, count=1)
            h1 = re.search(r"^#\s+.+$\n?", text, re.M)
            text = text[: h1.end()] + "\n" + lesson_header(site, stem) + "\n" + text[h1.end():].lstrip("\n")
            header_done = True
        text = _EXERCISES.sub(lambda m: f"({exercise_label(stem)})=\n{m.group(0)}", text, count=1)
        cell.source = linker.rewrite(text, f"notebooks/{stem}.ipynb", f"notebooks/{stem}.ipynb")
    return nb


def exercise_label(stem: str) -> str:
    """The exercises' label in a lesson (also the HTML id: lower case, hyphens)."""
    return re.sub(r"[^a-z0-9]+", "-", f"exercises-{stem}".lower()).strip("-")


def exercises_of(nb) -> str:
    """The numbered list of exercises from the notebook's Exercises section ("" if none)."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        m = _EXERCISES.search(cell.source)
        if not m:
            continue
        lines, out, started = cell.source[m.end():].splitlines(), [], False
        for i, line in enumerate(lines):
            numbered = re.match(r"^\d+\.\s", line)
            if numbered:
                started = True
            elif started and line.strip() and not line.startswith((" ", "\t")):
                prev_blank = i > 0 and not lines[i - 1].strip()
                if prev_blank:
                    break
            if started:
                out.append(line)
        return "\n".join(out).strip()
    return ""


def exercises_page(lessons: list[tuple[str, str, nbformat.NotebookNode]], linker: Linker) -> str:
    parts = [
        "# Exercises\n",
        "Every lesson ends with exercises. In the notebook each has a cell with the names to fill in, "
        "whose last line checks your answer and says \"✓ right\" or what is off, without giving the "
        "answer away. The solutions are not on this site: open the notebook in Jupyter or Colab, "
        "try first, then read them there.\n",
    ]
    total = 0
    for stem, title, nb in lessons:
        text = exercises_of(nb)
        if not text:
            continue
        count = len(re.findall(r"^\d+\.\s", text, re.M))
        total += count
        text = linker.rewrite(text, f"notebooks/{stem}.ipynb", "exercises.md")
        parts.append(f"## {title}\n\n{count} exercise{'s' if count != 1 else ''} · "
                     f"{{ref}}`work on them in the lesson <{exercise_label(stem)}>`\n\n{text}\n")
    lessons_with = len(parts) - 2
    parts.insert(2, f"{total} exercises in {lessons_with} lesson{'s' if lessons_with != 1 else ''}.\n")
    return "\n".join(parts)


def front_page(readme: str, site: Site, lessons: list[tuple[str, str, nbformat.NotebookNode]], linker: Linker) -> str:
    """README.md as the front page, with the book's tables of contents (shown in the sidebar)."""
    text = linker.rewrite(readme, "README.md", "index.md")
    first = lessons[0] if lessons else None
    links = ([f"[start with {first[1]}](notebooks/{first[0]}.ipynb)"] if first else []) + [
        "[every exercise](exercises.md)", "[the results](results.md)", "[for teachers](teaching.md)"]
    box = "```{admonition} Read the course\n:class: tip\n" + " · ".join(links) + "\n```\n"
    h1 = re.search(r"^#\s+.+$\n?", text, re.M)
    at = h1.end() if h1 else 0
    toc = ("\n```{toctree}\n:hidden:\n:caption: Lessons\n\n"
           + "\n".join(f"notebooks/{stem}" for stem, _, _ in lessons)
           + "\n```\n\n```{toctree}\n:hidden:\n:caption: The course\n\nexercises\nresults\nteaching\n```\n")
    return text[:at] + "\n" + box + toc + "\n" + text[at:].lstrip("\n")


# -- slides for teachers: each lesson's figures and display equations, one per screen ------------
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$|(\\begin\{(equation|align|gather)\*?\}.+?\\end\{\3\*?\})", re.S)
SLIDES_HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: slides</title>
<style>
html {{ scroll-snap-type: y mandatory; }}
body {{ margin: 0; font-family: system-ui, sans-serif; color: #222; }}
section {{ height: 100vh; box-sizing: border-box; padding: 3vh 4vw; scroll-snap-align: start;
  display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 2vh; }}
h1 {{ font-size: 2.6rem; text-align: center; }} h2 {{ font-size: 1.8rem; margin: 0; text-align: center; }}
img {{ max-width: 92vw; max-height: 76vh; object-fit: contain; }}
.maths {{ font-size: 1.4rem; }} .small {{ color: #555; }} a {{ color: #0b5394; }}
@media print {{ section {{ height: auto; min-height: 95vh; page-break-after: always; }} }}
</style>
<script>window.MathJax = {{ tex: {{ inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]] }} }};</script>
<script defer src="../_static/mathjax/tex-chtml.js"></script>
<script>
document.addEventListener("keydown", (e) => {{
  const step = {{ ArrowRight: 1, ArrowLeft: -1 }}[e.key];
  if (!step) return;
  const slides = Array.from(document.querySelectorAll("section"));
  const now = slides.findIndex((s) => s.getBoundingClientRect().top > -innerHeight / 2);
  const next = slides[Math.max(0, Math.min(slides.length - 1, now + step))];
  if (next) {{ next.scrollIntoView(); e.preventDefault(); }}
}});
</script>
</head><body>
"""


def _heading_text(markdown: str) -> str | None:
    m = re.search(r"^#{1,2}\s+(.+)$", markdown, re.M)
    return re.sub(r"[*`]", "", m.group(1)).strip() if m else None


def slide_deck(nb, stem: str, title: str, site: Site) -> tuple[str, dict[str, bytes]]:
    """A lesson's slides (HTML) and their pictures (``{file name: PNG bytes}``): a title slide,
    then per section its display equations and each of its figures, one per screen."""
    import html

    slides, pictures, section = [], {}, title
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            section = _heading_text(cell.source) or section
            for m in _DISPLAY_MATH.finditer(cell.source):
                maths = m.group(0) if m.group(2) else f"$${m.group(1)}$$"
                slides.append(f'<section><h2>{html.escape(section)}</h2><div class="maths">'
                              f"{html.escape(maths)}</div></section>")
            continue
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                name = f"{stem}-{len(pictures) + 1:02d}.png"
                pictures[name] = base64.b64decode("".join(png) if isinstance(png, list) else png)
                slides.append(f'<section><h2>{html.escape(section)}</h2><img src="{stem}/{name}" '
                              f'alt="figure {len(pictures)} of {html.escape(title)}"></section>')
    cover = (f"<section><h1>{html.escape(title)}</h1><p class=\"small\">Learning to Resize {site.release.tag} · "
             f"{len(pictures)} figures · ← → to move, F11 for full screen</p>"
             f'<p><a href="../notebooks/{stem}.html">the lesson</a> · <a href="{site.colab_url(stem)}">'
             "Open in Colab</a></p></section>")
    return SLIDES_HEAD.format(title=html.escape(title)) + "\n".join([cover, *slides]) + "\n</body></html>\n", pictures


def slides_list(lessons: list[tuple[str, str, nbformat.NotebookNode]]) -> str:
    """The teachers' page's paragraph that links every deck."""
    items = "\n".join(f'<li><a href="slides/{stem}.html">{title}</a></li>' for stem, title, _ in lessons)
    return ("## Slides\n\nEach lesson's figures and display equations, one per screen, for a class "
            "(made from the executed lessons of this site; ← and → move, the browser's print makes a PDF):\n\n"
            f"<ul>\n{items}\n</ul>\n")


def write_if_changed(path: Path, data: bytes | str) -> bool:
    """Write only when the content differs, so Sphinx rebuilds only what changed."""
    blob = data.encode() if isinstance(data, str) else data
    if path.is_file() and path.read_bytes() == blob:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(blob)
    return True


# -- the build -----------------------------------------------------------------------------------
def mathjax_dir() -> Path:
    """MathJax 3, as the sphinx-mathjax-offline package ships it (served from the site)."""
    import importlib.util

    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("build_site: MathJax is missing: pip install -e '.[site]'")
    return Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax"


def copy_mathjax(static: Path) -> None:
    source, target = mathjax_dir(), static / "mathjax"
    if (target / "tex-chtml.js").is_file():
        return
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "tex-chtml.js", target / "tex-chtml.js")
    for sub in ("output/chtml/fonts/woff-v2", "input/tex/extensions"):
        shutil.copytree(source / sub, target / sub, dirs_exist_ok=True)


def write_slides(out: Path, site: Site, lessons: list[tuple[str, str, nbformat.NotebookNode]]) -> None:
    """Each lesson's deck into ``out/slides/``; a figure the pages already have (Sphinx names
    them by their sha256 in ``_images/``) is linked, not copied."""
    slides = out / "slides"
    if slides.is_dir():
        shutil.rmtree(slides)
    for stem, title, nb in lessons:
        deck, pictures = slide_deck(nb, stem, title, site)
        for name, data in pictures.items():
            shared = out / "_images" / f"{hashlib.sha256(data).hexdigest()}.png"
            if shared.is_file():
                deck = deck.replace(f'src="{stem}/{name}"', f'src="../_images/{shared.name}"')
            else:
                write_if_changed(slides / stem / name, data)
        write_if_changed(slides / f"{stem}.html", deck)


def write_sources(src: Path, site: Site, executed: list[tuple[Path, nbformat.NotebookNode]]) -> list:
    stems = [path.stem for path, _ in executed]
    linker = Linker(site, stems, src)
    lessons = []
    for path, nb in executed:
        nb = lesson_page(nbformat.from_dict(json.loads(json.dumps(nb))), path.stem, site, linker)
        lessons.append((path.stem, lesson_title(nb), nb))
        write_if_changed(src / "notebooks" / path.name, nbformat.writes(nb))
        write_if_changed(src / "_extra" / "downloads" / path.name, path.read_bytes())
    for old in (src / "notebooks").glob("*.ipynb"):  # lessons renamed or removed
        if old.stem not in stems:
            old.unlink()
    for old in (src / "_extra" / "downloads").glob("*.ipynb"):
        if old.stem not in stems:
            old.unlink()
    write_if_changed(src / "index.md", front_page((ROOT / "README.md").read_text(), site, lessons, linker))
    write_if_changed(src / "exercises.md", exercises_page(lessons, linker))
    for repo_path, page in PAGES.items():
        if page != "index.md":
            text = linker.rewrite((ROOT / repo_path).read_text(), repo_path, page)
            if page == "teaching.md":
                text = text.rstrip("\n") + "\n\n" + slides_list(lessons)
            if page == "results.md":  # its heading names the folder; the page is the results
                text = re.sub(r"^#\s+results/?\s*$", "# Results", text, count=1, flags=re.M)
            write_if_changed(src / page, text)
    write_if_changed(src / "conf.py", (HERE / "conf.py").read_bytes())
    for static in (HERE / "static").iterdir():
        write_if_changed(src / "_static" / static.name, static.read_bytes())
    copy_mathjax(src / "_static")
    settings = {"version": site.release.version, "tag": site.release.tag, "repository": site.release.repository,
                "url": site.url, "lessons": stems}
    write_if_changed(src / "site.json", json.dumps(settings, indent=1))
    return lessons


def sphinx(src: Path, out: Path, doctrees: Path, fresh: bool) -> int:
    from sphinx.cmd.build import build_main

    args = ["-b", "html", "-q", "-W", "--keep-going", "-d", str(doctrees), str(src), str(out)]
    return build_main((["-E"] if fresh else []) + args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", default=os.environ.get("RESIZER_PROFILE", "quick"))
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--cache", type=Path, default=ROOT / "build" / "site-cache",
                        help="executed notebooks, one folder per profile")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "2")),
                        help="kernels at a time")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per cell")
    parser.add_argument("--fresh", action="store_true", help="render every page again (not re-execute)")
    parser.add_argument("--check-photos", type=Path, metavar="SITE", help="only check a built site")
    parser.add_argument("--executed", type=Path, metavar="DIR",
                        help="render the notebooks executed in DIR (by `make colab`) instead of executing them")
    parser.add_argument("--add-static-figures", type=Path, metavar="DIR",
                        help="only add the static-figure cells to the notebooks in DIR (for --executed)")
    args = parser.parse_args(argv)
    if args.add_static_figures:
        for path in sorted(args.add_static_figures.glob("*.ipynb")):
            nbformat.write(with_build_cells(nbformat.read(path, as_version=4), None), path)
        return 0
    if args.check_photos:
        problems = photo_problems(args.check_photos)
        print("\n".join(problems) or f"{args.check_photos}: no licensed photo")
        return 1 if problems else 0

    start = time.perf_counter()
    site = read_site()
    sources = discover()
    if not sources:
        parser.error(f"no notebooks in {NOTEBOOKS}")
    if args.executed:
        pages = [(path, from_executed(path, args.executed)) for path in sources]
        print(f"build_site: {len(sources)} notebooks executed by another stage, from {args.executed}", flush=True)
        return render(args, site, pages, start, time.perf_counter())
    library, versions = library_digest(), _versions()
    cache = args.cache / args.profile
    jobs, executed = [], []
    for path in sources:
        nb = student_copy(path)
        job = Job(path, nb, cache / f"{path.stem}.{cache_key(nb, args.profile, library, versions)}.ipynb")
        executed.append((path, job))
        if not job.cached.is_file():
            jobs.append(job)
    print(f"build_site: {len(sources)} notebooks under {args.profile!r}; "
          f"{len(sources) - len(jobs)} from the cache, {len(jobs)} to execute", flush=True)
    errors = execute_all(jobs, args.profile, args.workers, args.timeout)
    if errors:
        print("build_site: error: " + "\n".join(errors), file=sys.stderr)
        return 1
    executed_at = time.perf_counter()
    keep = {job.cached.name for _, job in executed}
    for old in cache.glob("*.ipynb"):  # executions no page uses any more
        if old.name not in keep:
            old.unlink()
    pages = [(path, merge_prose(nbformat.read(job.cached, as_version=4), job.notebook)) for path, job in executed]
    return render(args, site, pages, start, executed_at)


def render(args: argparse.Namespace, site: Site, pages: list, start: float, executed_at: float) -> int:
    """Pages, Sphinx, slides and the photo check, from the executed notebooks ``pages``."""
    src = args.out.parent / f"{args.out.name}-src"
    lessons = write_sources(src, site, pages)
    doctrees = args.out.parent / f"{args.out.name}-doctrees"
    status = sphinx(src, args.out, doctrees, args.fresh)
    if status:
        shutil.rmtree(doctrees, ignore_errors=True)  # else the next build skips the pages that warned
        print(f"build_site: error: Sphinx failed ({status}); the messages are above", file=sys.stderr)
        return 1
    write_slides(args.out, site, lessons)
    for source_map in args.out.glob("_static/**/*.map"):  # the themes' source maps: for their developers
        source_map.unlink()
    problems = photo_problems(args.out)
    if problems:
        print("build_site: error: " + "\n".join(problems), file=sys.stderr)
        return 1
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    end = time.perf_counter()
    print(f"build_site: {args.out} ({size / 1e6:.1f} MB) in {end - start:.0f} s "
          f"(executing {executed_at - start:.0f} s, rendering {end - executed_at:.0f} s)")
    return 0


def merge_prose(executed, current):
    """The executed notebook with the current Markdown cells: the cache is keyed on code only, so
    a prose edit reuses the outputs (the code cells are the same, in the same order)."""
    outputs = [c for c in executed.cells if c.cell_type == "code"]
    cells = []
    for cell in current.cells:
        cell = nbformat.from_dict(dict(cell))
        if cell.cell_type == "code":
            done = outputs.pop(0)
            cell.outputs, cell.execution_count = done.outputs, done.execution_count
        cells.append(cell)
    executed.cells = cells
    return executed


if __name__ == "__main__":
    sys.exit(main())
