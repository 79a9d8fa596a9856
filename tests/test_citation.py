"""CITATION.cff says what pyproject.toml says: the same version and repository, MIT, and the
paper the course teaches."""

from __future__ import annotations

from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text())


@pytest.fixture(scope="module")
def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_version_and_repository_are_pyproject_s(citation, project):
    assert citation["version"] == project["version"]
    assert citation["repository-code"] == project["urls"]["Repository"]


def test_the_course_is_described(citation, project):
    assert citation["cff-version"] == "1.2.0"
    assert citation["title"] == "Learning to Resize: a notebook course"
    assert citation["license"] == project["license"] == "MIT"
    assert citation["authors"] == [{"name": "Learning to Resize contributors"}]


def test_the_paper_is_referenced(citation):
    (paper,) = [r for r in citation["references"] if "Resize Images" in r["title"]]
    assert paper["title"] == "Learning to Resize Images for Computer Vision Tasks"
    assert [a["family-names"] for a in paper["authors"]] == ["Talebi", "Milanfar"]
    assert paper["year"] == 2021 and "ICCV" in paper["collection-title"]
    assert "2103.09950" in paper["url"] and paper["doi"] == "10.48550/arXiv.2103.09950"
