"""``resizer_lib.profiles``: the ``RESIZER_PROFILE`` knob."""

from __future__ import annotations

import pytest

from resizer_lib.profiles import PROFILES, get_profile, profile_name

pytestmark = pytest.mark.multibackend


def _work(p) -> int:
    """Pixels processed in training, per notebook run: the quantity the profiles scale."""
    return p.image_size[0] * p.image_size[1] * p.num_train * p.epochs * p.seeds


def test_four_profiles_each_with_a_description_and_growing_sizes():
    assert list(PROFILES) == ["smoke", "quick", "colab", "full"]
    assert all(p.description for p in PROFILES.values())
    sizes = [p.image_size[0] for p in PROFILES.values()]
    assert sizes == sorted(sizes) and PROFILES["full"].image_size == (300, 300)
    assert PROFILES["full"].target_size == (150, 150) and PROFILES["full"].backbone == "densenet121"
    work = [_work(p) for p in PROFILES.values()]
    assert work == sorted(work)  # each profile does more than the one before


def test_colab_is_the_quick_path_scaled_for_a_gpu():
    colab, quick = PROFILES["colab"], PROFILES["quick"]
    assert colab.backbone == quick.backbone  # the same code path, only larger
    assert colab.image_size[0] // colab.target_size[0] == quick.image_size[0] // quick.target_size[0] == 2
    # the README's estimate (up to about 20 minutes per notebook on a T4) rests on this ratio of work
    assert 20 <= _work(colab) / _work(quick) <= 80


def test_pick_sizes_one_thing_per_profile():
    quick = PROFILES["quick"]
    assert quick.pick(smoke=1, quick=2, colab=3, full=4) == 2
    with pytest.raises(KeyError, match="no value for profile 'quick'.*pass quick="):
        quick.pick(smoke=1, full=4)
    with pytest.raises(ValueError, match="unknown profile name.*'laptop'"):
        quick.pick(quick=1, laptop=2)


def test_the_argument_wins_then_the_variable_then_quick(monkeypatch):
    monkeypatch.delenv("RESIZER_PROFILE", raising=False)
    assert profile_name() == "quick"
    monkeypatch.setenv("RESIZER_PROFILE", "smoke")
    assert get_profile().name == "smoke" and get_profile("full").name == "full"


def test_an_unknown_profile_names_where_it_came_from(monkeypatch):
    monkeypatch.setenv("RESIZER_PROFILE", "fast")
    with pytest.raises(ValueError, match="Unknown profile 'fast' \\(from RESIZER_PROFILE\\)"):
        get_profile()
    with pytest.raises(ValueError, match="from the argument"):
        get_profile("huge")
