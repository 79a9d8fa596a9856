"""``tools/site/build_site.py`` without building: how notebooks become pages (links, the Colab
button, widgets, the exercises), the execution cache's key and the licensed-photo check. The
built site itself is opened in a browser by ``tests/test_site.py`` (``make site-test``)."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("build_site", ROOT / "tools" / "site" / "build_site.py")
build_site = importlib.util.module_from_spec(spec)
sys.modules["build_site"] = build_site
spec.loader.exec_module(build_site)

SITE = build_site.read_site()
TAG = SITE.release.tag


def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(c[1]) if c[0] == "md" else nbformat.v4.new_code_cell(c[1])
                for c in cells]
    return nb


def test_the_lessons_are_every_notebook_in_name_order():
    found = build_site.discover()
    assert found == sorted(ROOT.glob("notebooks/*.ipynb")) and found


def test_links_become_pages_copied_images_or_github_at_the_release(tmp_path):
    linker = build_site.Linker(SITE, ["04_sampling"], tmp_path)
    png = next(ROOT.glob("results/*.png")).relative_to(ROOT).as_posix()
    text = (f"![curves]({png}) [teachers](TEACHING.md#the-notebooks) [lesson](notebooks/04_sampling.ipynb) "
            "[code](resizer_lib/models/resizer.py) [web](https://example.org/a) `[not](a link)`\n"
            "```\n[inside](a fence)\n```\n"
            "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab/x) "
            "![remote](https://example.org/b.png)")
    out = linker.rewrite(text, "README.md", "index.md")
    assert f"![curves](_repo/{png})" in out and (tmp_path / "_repo" / png).is_file()
    assert "[teachers](teaching.md#the-notebooks)" in out and "[lesson](notebooks/04_sampling.ipynb)" in out
    assert f"[code]({SITE.release.repository}/blob/{TAG}/resizer_lib/models/resizer.py)" in out
    assert "[web](https://example.org/a)" in out and "`[not](a link)`" in out and "[inside](a fence)" in out
    assert "[Open in Colab](https://colab/x)" in out and "colab-badge.svg" not in out  # no remote picture
    assert linker.rewrite("[`TEACHING.md`](TEACHING.md)", "README.md", "index.md") == "[`TEACHING.md`](teaching.md)"
    assert "[remote](https://example.org/b.png)" in out and "![remote]" not in out
    # from a lesson (notebooks/), relative paths resolve from there
    out = linker.rewrite("[readme](../README.md) [results](../results/README.md)",
                         "notebooks/04_sampling.ipynb", "notebooks/04_sampling.ipynb")
    assert out == "[readme](../index.md) [results](../results.md)"


def test_a_lesson_page_has_the_colab_button_pinned_to_the_release_and_labelled_exercises():
    source = nbformat.read(ROOT / "notebooks" / "00_overview.ipynb", as_version=4)
    stem = "00_overview"
    page = build_site.lesson_page(source, stem, SITE, build_site.Linker(SITE, [stem]))
    first = page.cells[0].source
    assert first.startswith("# 00 ") and "colab-badge.svg" not in first and "· source:" not in first
    url = f"https://colab.research.google.com/github/{SITE.release.github_path}/blob/{TAG}/notebooks/{stem}.ipynb"
    assert f'<a class="colab-button" href="{url}">' in first
    assert f'href="../downloads/{stem}.ipynb"' in first
    assert any(f"({build_site.exercise_label(stem)})=\n## Exercises" in c.source for c in page.cells)


def test_the_exercises_are_the_numbered_list_of_the_exercises_section():
    nb = _nb(("md", "# 01 · A lesson"), ("md", "## Exercises\n\nEach has a cell.\n\n1. **One.** Do $x$.\n"
                                             "   More of one.\n2. **Two.**\n\nThe checks say right."))
    assert build_site.exercises_of(nb) == "1. **One.** Do $x$.\n   More of one.\n2. **Two.**"
    page = build_site.exercises_page([("01_a", "01 · A lesson", nb)], build_site.Linker(SITE, ["01_a"]))
    assert "2 exercises in 1 lesson." in page and "## 01 · A lesson" in page
    assert f"<{build_site.exercise_label('01_a')}>" in page and build_site.exercise_label("01_a") == "exercises-01-a"


def test_a_widget_apps_output_becomes_its_static_figure_and_a_note():
    nb = _nb(("code", "x = 1"), ("code", "# WIDGET-APP\napp = resize_explorer()\napp"), ("code", "y = 2"))
    staged = build_site.with_build_cells(nb, Path("/tmp/lib"))
    tags = [c.metadata.get("tags", []) for c in staged.cells]
    assert tags[0] == [build_site.GUARD_TAG] and tags[3] == [build_site.STATIC_TAG] and len(staged.cells) == 5
    widget = nbformat.v4.new_output("display_data", data={build_site.WIDGET_MIME: {"model_id": "a"},
                                                          "text/plain": "VBox()"})
    figure = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})
    staged.cells[2].outputs = [widget]
    staged.cells[3].outputs = [figure]
    page = build_site.without_build_cells(staged)
    assert [c.source for c in page.cells] == [c.source for c in nb.cells]
    outputs = page.cells[1].outputs
    assert "Jupyter or in Colab" in outputs[0].data["text/html"] and outputs[1].data["image/png"]
    assert all(build_site.WIDGET_MIME not in o.get("data", {}) for o in outputs)


def test_the_cache_key_follows_code_library_and_profile_not_prose():
    nb = _nb(("md", "prose"), ("code", "x = 1"))
    key = build_site.cache_key(nb, "quick", "lib1", "v")
    edited = _nb(("md", "other prose"), ("code", "x = 1"))
    assert build_site.cache_key(edited, "quick", "lib1", "v") == key
    assert build_site.cache_key(_nb(("code", "x = 2")), "quick", "lib1", "v") != key
    assert len({key, build_site.cache_key(nb, "smoke", "lib1", "v"), build_site.cache_key(nb, "quick", "lib2", "v")}) == 3
    executed = _nb(("md", "prose"), ("code", "x = 1"))
    executed.cells[1].outputs = [nbformat.v4.new_output("stream", text="out")]
    merged = build_site.merge_prose(executed, edited)
    assert merged.cells[0].source == "other prose" and merged.cells[1].outputs[0].text == "out"


def test_the_library_digest_changes_with_any_file(tmp_path):
    (tmp_path / "a.py").write_text("x = 1")
    before = build_site.library_digest(tmp_path)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "a.pyc").write_bytes(b"junk")
    assert build_site.library_digest(tmp_path) == before
    (tmp_path / "data.json").write_text("{}")
    assert build_site.library_digest(tmp_path) != before


def test_a_licensed_photo_is_found_by_its_file_or_its_pixels(tmp_path):
    datasets, site = tmp_path / "datasets", tmp_path / "site"
    (datasets / "set" / "val").mkdir(parents=True)
    site.mkdir()
    rng = np.random.default_rng(0)
    photo = datasets / "set" / "val" / "p.png"
    Image.fromarray(rng.integers(0, 255, (30, 40, 3), dtype=np.uint8)).save(photo)
    digest = hashlib.sha256(photo.read_bytes()).hexdigest()
    (datasets / "set" / "manifest.csv").write_text(f"file,label,split,width,height,sha256\nval/p.png,cat,val,40,30,{digest}\n")
    Image.fromarray(rng.integers(0, 255, (30, 40, 3), dtype=np.uint8)).save(site / "other.png")  # same size, other pixels
    assert build_site.photo_problems(site, datasets) == []
    (site / "copy.bin").write_bytes(photo.read_bytes())
    Image.open(photo).save(site / "again.bmp")  # the same pixels in another file
    problems = build_site.photo_problems(site, datasets)
    assert len(problems) == 2 and "copy.bin is a licensed photo" in problems[0] and "again.bmp" in problems[1]


@pytest.mark.parametrize("name", sorted(p.name for p in ROOT.glob("notebooks/*.ipynb")))
def test_no_solution_reaches_a_page(name):
    nb = build_site.student_copy(ROOT / "notebooks" / name)
    assert not any("solution" in c.metadata.get("tags", []) for c in nb.cells)


def test_pages_from_notebooks_executed_elsewhere_drop_the_solutions_and_keep_the_prose(tmp_path):
    """``--executed`` (``make site-test``): a notebook the Colab stage ran with its solutions as
    code becomes the page of the committed notebook; other code is refused, in one line."""
    source = ROOT / "notebooks" / "05_augmentation.ipynb"
    page = build_site.student_copy(source)
    executed = nbformat.read(source, as_version=4)
    executed.cells = [nbformat.v4.new_code_cell("print('the solution')", metadata={"tags": ["solution"]}),
                      *page.cells]
    for i, cell in enumerate(c for c in executed.cells if c.cell_type == "code"):
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"out {i}\n")]
    nbformat.write(executed, tmp_path / source.name)
    made = build_site.from_executed(source, tmp_path)
    codes = [c for c in made.cells if c.cell_type == "code"]
    assert [c.source for c in codes] == [c.source for c in page.cells if c.cell_type == "code"]
    assert codes[0].outputs[0]["text"] == "out 1\n"  # the solution's output is gone with it
    assert [c.source for c in made.cells if c.cell_type == "markdown"] == \
        [c.source for c in page.cells if c.cell_type == "markdown"]
    codes[0].source += "\nprint('changed')"
    executed.cells = made.cells
    nbformat.write(executed, tmp_path / source.name)
    with pytest.raises(SystemExit, match="executed from other code than 05_augmentation.ipynb"):
        build_site.from_executed(source, tmp_path)
    with pytest.raises(SystemExit, match="no executed copy of 05_augmentation.ipynb"):
        build_site.from_executed(source, tmp_path / "missing")
