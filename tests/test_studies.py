"""``resizer_lib.training.studies``: the committed study summaries, read from the package."""

from __future__ import annotations

import pytest

from resizer_lib.training import studies

pytestmark = pytest.mark.multibackend


def test_every_shipped_study_loads():
    assert "synthetic_quick" in studies.study_names()
    for name in studies.study_names():
        assert isinstance(studies.load_study(name), dict)
    cpu = studies.load_study("photos_small_cnn_128to64")
    assert cpu["name"] == "photos_small_cnn_128to64" and cpu["summary"]["arms"]["bilinear"]["n"] == 5
    assert all(pair["n"] == 5 for pair in cpu["summary"]["pairs"])


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
