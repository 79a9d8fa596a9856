"""``resizer_lib.profiles``: the ``RESIZER_PROFILE`` knob."""

from __future__ import annotations

import pytest

from resizer_lib.profiles import PROFILES, get_profile, profile_name

pytestmark = pytest.mark.multibackend


def test_three_profiles_each_with_a_description_and_growing_sizes():
    assert list(PROFILES) == ["smoke", "quick", "full"]
    assert all(p.description for p in PROFILES.values())
    sizes = [p.image_size[0] for p in PROFILES.values()]
    assert sizes == sorted(sizes) and PROFILES["full"].image_size == (300, 300)
    assert PROFILES["full"].target_size == (150, 150) and PROFILES["full"].backbone == "densenet121"


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


def test_replace_changes_one_field_and_keeps_the_rest():
    small = PROFILES["quick"].replace(epochs=1)
    assert small.epochs == 1 and small.image_size == PROFILES["quick"].image_size
