"""The course's website, opened as a reader would: every page of the built site in headless Chromium.

``make site-test`` (part of ``make test``) builds the site under ``smoke`` into build/site-smoke/
and runs this file on it; ``RESIZER_SITE=build/site pytest -m browser tests/test_site.py`` checks
the ``quick`` build of ``make site``. The site is served from 127.0.0.1 and every request to any
other host is refused and counted: a page that needs the network fails. Checked:

* every page loads with no console error and no uncaught exception, and every image on it loads;
* every internal link (and its #anchor) resolves to a file of the site;
* there is a page per notebook (``notebooks/*.ipynb``, whatever they are called), each with an
  "Open in Colab" link pinned to the release in ``pyproject.toml`` and a notebook to download;
* maths is rendered (MathJax, from the site), search finds "Nyquist", the exercises page lists
  every lesson's exercises;
* no file of the site is one of the licensed photos (``tools/site/build_site.py``'s check).

Screenshots of the front page, a lesson, the teachers' page, the exercises and the search go to
build/site-shots/. Needs Debian's Chromium (``bash tools/setup_browser.sh``) and Playwright; without
them the test skips, except under CI=true where it fails.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("RESIZER_SITE", REPO / "build" / "site"))
SITE = SITE if SITE.is_absolute() else REPO / SITE
SHOTS = REPO / "build" / "site-shots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.browser

spec = importlib.util.spec_from_file_location("build_site", REPO / "tools" / "site" / "build_site.py")
build_site = importlib.util.module_from_spec(spec)
sys.modules["build_site"] = build_site
spec.loader.exec_module(build_site)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true needs the site test to run, but {reason}", pytrace=False)
    pytest.skip(reason)


# -- the site and its server ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no site at {SITE}: build it first (make site, or make site-test)", pytrace=False)
    return SITE


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no access log on the test's output
        pass


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The site over HTTP on 127.0.0.1 (a free port), as a static host serves it."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def browser(server: str):
    if not CHROMIUM.exists():
        _unavailable(f"no browser at {CHROMIUM} (run: bash tools/setup_browser.sh)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Reader:
    """One browser page on the site that records console errors, page errors and every request
    to another host (each refused)."""

    def __init__(self, browser, server: str):
        self.server = server
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.failed: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}")
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.on("requestfailed", self._failed)
        self.context.route("**/*", self._route)

    def _failed(self, request) -> None:
        # a request cut short by the next navigation is not the site's fault
        if request.url.startswith(self.server) and "ERR_ABORTED" not in (request.failure or ""):
            self.failed.append(f"{request.url} ({request.failure})")

    def _route(self, route) -> None:
        if route.request.url.startswith(self.server):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def open(self, path: str) -> None:
        self.errors.clear()
        self.outside.clear()
        self.failed.clear()
        self.page.goto(self.server + path, wait_until="load")
        self.page.evaluate("""async () => {
            if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
            await document.fonts.ready;
        }""")

    def broken_images(self) -> list[str]:
        """Images that did not load (each one scrolled to and decoded first: some load lazily)."""
        return self.page.evaluate("""async () => {
            const bad = [];
            for (const img of Array.from(document.images)) {
                img.loading = 'eager';
                try { await img.decode(); } catch (e) { }
                if (!img.complete || img.naturalWidth === 0) bad.push(img.currentSrc || img.src);
            }
            return bad;
        }""")

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def reader(browser, server: str) -> Iterator[Reader]:
    r = Reader(browser, server)
    try:
        yield r
    finally:
        r.close()


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not p.relative_to(site).parts[0].startswith("_"))


def _lessons() -> list[str]:
    return [p.stem for p in build_site.discover()]


def _shot(reader: Reader, name: str, full_page: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    reader.page.screenshot(path=str(SHOTS / name), full_page=full_page)


# -- links ---------------------------------------------------------------------------------------
class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


@functools.cache
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(errors="replace"))
    return parser


def test_every_internal_link_resolves(site: Path):
    broken = []
    for page in _pages(site):
        base = f"http://site/{page}"
        for href in _parse(site / page).hrefs:
            url = urlsplit(urljoin(base, href))
            if url.scheme not in ("http", "https") or url.netloc != "site":
                continue  # another site (GitHub, Colab, a paper): not this test's business
            target = site / unquote(url.path).lstrip("/")
            if target.is_dir() or unquote(url.path).endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page}: {href} (no file {target.relative_to(site)})")
            elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in _parse(target).ids:
                broken.append(f"{page}: {href} (no #{url.fragment} in {target.relative_to(site)})")
    assert not broken, f"{len(broken)} broken internal link(s):\n" + "\n".join(broken[:40])


# -- every page in the browser, each visited once ------------------------------------------------
@dataclass
class Visit:
    """What a reader met on one page."""

    problems: list[str]  # console errors, uncaught exceptions, images that did not load, other hosts
    colab: list[str]  # the hrefs of the "Open in Colab" buttons
    downloads: list[str]  # the hrefs of the "Download the notebook" links
    prev_next: int  # links to the previous and next pages
    maths: int  # formulas typeset by MathJax
    math_errors: int


@pytest.fixture(scope="module")
def visits(site: Path, reader: Reader) -> dict[str, Visit]:
    found = {}
    for page in _pages(site):
        reader.open(page)
        problems = list(reader.errors)
        problems += [f"image did not load: {src}" for src in reader.broken_images()]
        problems += [f"asked another host for {url}" for url in reader.outside]
        problems += [f"request failed: {url}" for url in reader.failed]
        hrefs = reader.page.evaluate("""() => ({
            colab: Array.from(document.querySelectorAll('a.colab-button')).map(a => a.getAttribute('href')),
            downloads: Array.from(document.querySelectorAll('a.download-button')).map(a => a.getAttribute('href')),
            prevNext: document.querySelectorAll('.prev-next-area a').length,
            maths: document.querySelectorAll('mjx-container').length,
            mathErrors: document.querySelectorAll('mjx-merror').length,
        })""")
        found[page] = Visit(problems, hrefs["colab"], hrefs["downloads"], hrefs["prevNext"], hrefs["maths"],
                            hrefs["mathErrors"])
    return found


def test_every_page_loads_with_its_images_and_no_error(visits: dict[str, Visit]):
    assert len(visits) >= len(_lessons()) + 4, f"only {len(visits)} pages: {sorted(visits)}"
    problems = [f"{page}: {problem}" for page, visit in visits.items() for problem in visit.problems]
    assert not problems, "\n".join(problems[:40])


def test_a_page_per_lesson_with_colab_pinned_to_the_release_and_a_download(site: Path, visits: dict[str, Visit]):
    release = build_site.read_site().release
    problems = []
    for stem in _lessons():
        page = f"notebooks/{stem}.html"
        if page not in visits:
            problems.append(f"no page for notebooks/{stem}.ipynb")
            continue
        visit = visits[page]
        expected = (f"https://colab.research.google.com/github/{release.github_path}/blob/"
                    f"{release.tag}/notebooks/{stem}.ipynb")
        if visit.colab != [expected]:
            problems.append(f"{page}: Colab link {visit.colab}, expected [{expected}]")
        targets = [(site / page).parent / href for href in visit.downloads]
        notebook = (REPO / "notebooks" / f"{stem}.ipynb").read_bytes()
        if len(targets) != 1 or not targets[0].is_file() or targets[0].read_bytes() != notebook:
            problems.append(f"{page}: the download {visit.downloads} is not notebooks/{stem}.ipynb")
        if visit.prev_next == 0:
            problems.append(f"{page}: no previous/next links")
    assert not problems, "\n".join(problems)


def test_maths_is_rendered_from_the_site(visits: dict[str, Visit]):
    lessons = [f"notebooks/{s}.html" for s in _lessons() if "$" in (REPO / "notebooks" / f"{s}.ipynb").read_text()]
    assert lessons and all(visits[page].maths > 0 for page in lessons), {p: visits[p].maths for p in lessons}
    assert not {p: v.math_errors for p, v in visits.items() if v.math_errors}, "MathJax reports an error"


def test_search_finds_nyquist(reader: Reader):
    reader.open("search.html?q=Nyquist")
    reader.page.wait_for_selector("#search-results ul.search li", timeout=20_000)
    results = reader.page.locator("#search-results ul.search li a")
    targets = {results.nth(i).get_attribute("href").split("?")[0].split("#")[0] for i in range(results.count())}
    assert any(t.startswith("notebooks/") for t in targets), f"no lesson among the results: {targets}"
    _shot(reader, "search.png")
    assert not reader.errors, reader.errors


def test_the_exercises_page_lists_every_lessons_exercises(site: Path, reader: Reader):
    reader.open("exercises.html")
    text = reader.page.locator("article").inner_text()
    with_exercises = [s for s in _lessons()
                      if build_site.exercises_of(nbformat.read(REPO / "notebooks" / f"{s}.ipynb", as_version=4))]
    html = reader.page.content()
    missing = [s for s in with_exercises if f'href="notebooks/{s}.html#{build_site.exercise_label(s)}"' not in html]
    assert with_exercises and not missing, f"the exercises page links no exercise of {missing}"
    assert text.count("work on them in the lesson") == len(with_exercises)
    _shot(reader, "exercises.png")


def test_front_lesson_and_teachers_pages_screenshots(browser, server: str):
    """The pages a teacher deciding on the course reads first, saved for a person to look at
    (a new reader: the theme keeps the sidebar's scroll position from page to page)."""
    reader = Reader(browser, server)
    try:
        reader.open("index.html")
        assert reader.page.locator("h1").first.inner_text().strip().startswith("Learning to Resize")
        _shot(reader, "front.png")
        lesson = next((s for s in _lessons() if "aliasing" in s), _lessons()[0])  # maths and figures
        reader.open(f"notebooks/{lesson}.html")
        _shot(reader, "lesson.png")
        reader.page.locator(".cell_output img").nth(1).scroll_into_view_if_needed()
        _shot(reader, "lesson-figure.png")
        reader.open("teaching.html")
        _shot(reader, "teaching.png")
        reader.open(f"slides/{lesson}.html")
        reader.page.keyboard.press("ArrowRight")
        reader.page.wait_for_timeout(500)
        _shot(reader, "slides.png")
        assert not reader.errors, reader.errors
    finally:
        reader.close()


def test_no_file_of_the_site_is_a_licensed_photo(site: Path):
    if not build_site.SHARED_DATASETS.is_dir():
        _unavailable(f"no licensed photos at {build_site.SHARED_DATASETS} to compare with")
    assert build_site.licensed_photos()[0], "no manifest.csv with sha256 under shared/datasets"
    assert build_site.photo_problems(site) == []
