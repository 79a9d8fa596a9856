"""``resizer_lib.training.studies``: the committed study summaries, read from the package."""

from __future__ import annotations

from pathlib import Path

import pytest

from resizer_lib.training import studies
from resizer_lib.training.stats import paired

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.multibackend


def test_every_listed_study_ships_and_loads():
    assert studies.study_names() == sorted(studies.SOURCES)
    for name in studies.study_names():
        assert isinstance(studies.load_study(name), dict)
    cpu = studies.load_study("photos_small_cnn_128to64")
    assert cpu["name"] == "photos_small_cnn_128to64" and cpu["summary"]["arms"]["bilinear"]["n"] == 5
    assert paired(cpu["summary"], "learned", "bilinear")["n"] == 5


def test_the_packaged_copies_are_the_committed_results():
    """What a notebook reads in Colab is byte for byte what results/ holds in the checkout."""
    for name, (source, copy) in studies.packaged_copies(ROOT / "results").items():
        assert source.is_file(), f"results/ lost {source.name}"
        assert copy.read_bytes() == source.read_bytes(), f"{name}: run `make sync`"


@pytest.mark.parametrize("bad", ["", "../results/x", "a/b", ".hidden", 3, None])
def test_a_bad_name_is_refused(bad):
    with pytest.raises(ValueError, match="plain name"):
        studies.load_study(bad)


def test_an_unknown_study_lists_the_known_ones():
    with pytest.raises(ValueError, match="no study 'photos_tiny'.*known: .*photos_small_cnn_128to64"):
        studies.load_study("photos_tiny")
    assert studies.load_study("synthetic_quick.json")["name"] == "synthetic_quick"  # the suffix is fine


def test_a_damaged_copy_says_reinstall(monkeypatch, tmp_path):
    (tmp_path / "broken.json").write_text("{not json")
    monkeypatch.setattr(studies, "_folder", lambda: tmp_path)
    with pytest.raises(ValueError, match="not valid JSON.*reinstall"):
        studies.load_study("broken")
