"""``tools/sync_notebooks.py``: badges, install cells and study copies generated from pyproject."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("sync_notebooks", ROOT / "tools" / "sync_notebooks.py")
sync = importlib.util.module_from_spec(spec)
sys.modules["sync_notebooks"] = sync
spec.loader.exec_module(sync)

OLD = '''# %% [markdown]
# # 09 · A lesson
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/someone/else/blob/main/notebooks/09_lesson.ipynb)
# · source: [`09_lesson.py`](09_lesson.py)
#
# What it is about.

# %% [markdown]
# ## Setup
# Old words.

# %%
import sys

if "google.colab" in sys.modules:
    import subprocess

    subprocess.run([sys.executable, "-m", "pip", "install", "git+https://github.com/someone/else"])

from resizer_lib.course.notebook import setup

PROFILE = setup()

# %%
print(PROFILE)
'''
RELEASE = sync.Release("https://github.com/learning-to-resize/learning-to-resize", "1.2.3",
                       ("keras>=3.10", "tensorflow>=2.18"))


def _setup_code(text: str) -> str:
    """The install part of the generated setup cell (what runs before ``setup()`` is imported)."""
    cell = text[text.index("# %%\nimport os"):]
    return cell.split("from resizer_lib")[0]


def test_pyproject_is_the_one_source():
    release = sync.read_release()
    assert release.repository.startswith("https://github.com/") and release.tag == f"v{release.version}"
    import resizer_lib

    assert resizer_lib.__version__ == release.version
    assert {b.split(">=")[0] for b in release.bounds} == {"keras", "tensorflow"}


def test_the_website_address_is_read_from_pyproject_and_checked(tmp_path):
    assert sync.read_site_url().startswith("https://") and sync.read_site_url().endswith("/")
    assert sync.read_site_url() in " ".join((ROOT / "README.md").read_text().split())  # make sync wrote it
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\nversion = "1.2.3"\n[project.urls]\nRepository = "https://github.com/a/b"\n')
    with pytest.raises(ValueError, match="Documentation"):
        sync.read_site_url(pyproject)


def test_the_header_and_setup_are_regenerated_and_the_rest_kept():
    new = sync.synced_source(OLD, "09_lesson", RELEASE)
    assert "/blob/v1.2.3/notebooks/09_lesson.ipynb" in new and "someone/else" not in new
    assert "blob/main" not in new and "@v1.2.3" in new and "Old words" not in new
    assert new.endswith("PROFILE = setup()\n\n# %%\nprint(PROFILE)\n") and "What it is about." in new
    assert "`keras>=3.10` and `tensorflow>=2.18`" in new  # the bounds pip keeps Colab's versions within
    assert sync.synced_source(new, "09_lesson", RELEASE) == new  # idempotent


def test_a_notebook_without_h1_or_setup_is_named():
    with pytest.raises(ValueError, match="09_lesson.py has no '# # NN"):
        sync.synced_source("# %%\nprint(1)\n", "09_lesson", RELEASE)
    with pytest.raises(ValueError, match="no Setup section"):
        sync.synced_source("# %% [markdown]\n# # 09 · x\n\n# %%\nprint(1)\n", "09_lesson", RELEASE)


def test_check_reports_then_write_fixes(tmp_path):
    (tmp_path / "09_lesson.py").write_text(OLD)
    assert any("disagrees with pyproject.toml" in p for p in sync.notebook_problems(tmp_path, RELEASE, write=False))
    assert sync.notebook_problems(tmp_path, RELEASE, write=True) == []
    assert sync.notebook_problems(tmp_path, RELEASE, write=False) == []


def test_a_repository_that_is_not_github_is_refused():
    with pytest.raises(ValueError, match="https://github.com/<owner>/<name>"):
        sync.Release("https://gitlab.com/a/b", "1.0", ()).badge_line("00_x")


@pytest.mark.parametrize("override", [None, "/tmp/resizer_lib-1.2.3-py3-none-any.whl"])
def test_the_install_cell_installs_the_release_or_the_override(monkeypatch, override):
    code = _setup_code(sync.synced_source(OLD, "09_lesson", RELEASE))
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda args, check: calls.append(args))
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    if override:
        monkeypatch.setenv("RESIZER_INSTALL", override)
    else:
        monkeypatch.delenv("RESIZER_INSTALL", raising=False)
    exec(compile(code, "setup-cell", "exec"), {})
    wanted = override or "resizer_lib @ git+https://github.com/learning-to-resize/learning-to-resize@v1.2.3"
    assert calls == [[sys.executable, "-m", "pip", "install", "-q", wanted]]
    assert "--upgrade" not in calls[0] and "-U" not in calls[0]  # Colab's TF/Keras stay if in bounds


def test_outside_colab_the_install_cell_installs_nothing(monkeypatch):
    code = _setup_code(sync.synced_source(OLD, "09_lesson", RELEASE))
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("installed outside Colab"))
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(compile(code, "setup-cell", "exec"), {})


def test_the_course_is_in_sync():
    """What `make lint` checks: every notebook and every study copy agrees with its source."""
    assert sync.main([]) == 0


def test_the_packaged_copies_are_the_committed_results():
    """What a notebook reads in Colab is byte for byte what results/ holds in the checkout."""
    from resizer_lib.training.studies import study_names

    assert study_names() == sorted(sync.SOURCES)
    for name, (source, copy) in sync.packaged_copies(ROOT / "results").items():
        assert source.is_file(), f"results/ lost {source.name}"
        assert copy.read_bytes() == source.read_bytes(), f"{name}: run `make sync`"


def test_a_notebook_that_reads_outside_its_folder_is_named(tmp_path):
    text = sync.synced_source(OLD, "09_lesson", RELEASE) + '\n# %%\nstudy = open("../results/a.json")  # no\n'
    (tmp_path / "09_lesson.py").write_text(text)
    problems = sync.notebook_problems(tmp_path, RELEASE, write=False)
    assert len(problems) == 1 and "reads outside the notebook's folder" in problems[0]
    (tmp_path / "09_lesson.py").write_text(text.replace('open("../results/a.json")', "1"))
    assert sync.notebook_problems(tmp_path, RELEASE, write=False) == []


def test_binder_installs_what_make_setup_installs():
    """environment.yml (the one file Binder reads) and `make setup` install the same extras."""
    env = (ROOT / "environment.yml").read_text()
    make = (ROOT / "Makefile").read_text()
    assert "- -e .[lab,test,site]" in env and 'pip install --quiet -e ".[lab,test,site]"' in make


def test_a_readme_paragraph_generated_from_results_is_checked_then_rewritten(tmp_path, monkeypatch):
    monkeypatch.setattr(sync, "GENERATED", {"demo": lambda results: f"Made from {results.name}. " * 30})
    readme = tmp_path / "README.md"
    readme.write_text("# Course\n\nBefore.\n\n<!-- generated: demo -->\nstale words\n<!-- end generated: demo -->\n\nAfter.\n")
    assert any("'demo' disagrees" in p for p in sync.readme_problems(readme, tmp_path / "results", write=False))
    assert "stale words" in readme.read_text()  # the check mode writes nothing
    assert sync.readme_problems(readme, tmp_path / "results", write=True) == []
    text = readme.read_text()
    assert "stale words" not in text and text.startswith("# Course\n\nBefore.\n") and text.endswith("\n\nAfter.\n")
    body = text.split("<!-- generated: demo -->\n")[1].split("<!-- end generated: demo -->")[0]
    assert " ".join(body.split()).count("Made from results.") == 30 and max(map(len, body.splitlines())) <= 100
    assert sync.readme_problems(readme, tmp_path / "results", write=False) == []


def test_a_readme_without_the_generated_block_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(sync, "GENERATED", {"demo": lambda results: "text"})
    readme = tmp_path / "README.md"
    readme.write_text("# Course\n")
    assert any("no '<!-- generated: demo -->'" in p for p in sync.readme_problems(readme, tmp_path, write=True))


def test_the_warm_start_table_says_not_run_until_its_results_exist(tmp_path):
    assert sync._warm_start_table(tmp_path).startswith("Not run yet: `bash resizer_lab/scripts/warm_start_study.sh`")
    # any factor-map result has the warm start's shape: the course's map stands in for one
    (tmp_path / "warm_start_small_cnn.json").write_bytes((ROOT / "results" / "map_small_cnn.json").read_bytes())
    status, table, accuracy = sync._warm_start_table(tmp_path).split("\n\n", 2)
    assert status.startswith("**Status: ") and "Seeds used: 2x" in status and "Learned − bilinear" not in status
    assert table.startswith("| factor | paired difference | seeds |") and "| 4x | learned − bilinear |" in table
    assert accuracy.startswith(("Final-epoch validation accuracy (%)", "This report was written before"))
