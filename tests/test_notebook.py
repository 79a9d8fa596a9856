"""``resizer_lib.course.notebook``: the setup step of every notebook."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from resizer_lib.course.notebook import check_versions, setup


def test_setup_seeds_reports_and_returns_the_profile(monkeypatch, capsys):
    monkeypatch.setenv("RESIZER_PROFILE", "smoke")
    prof = setup(seed=7)
    out = capsys.readouterr().out
    assert prof.name == "smoke" and "profile 'smoke'" in out and "device:" in out
    a = keras.random.uniform((3,), seed=None)
    setup(seed=7, verbose=False)
    b = keras.random.uniform((3,), seed=None)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b))


def test_an_old_package_is_named_with_the_fix():
    with pytest.raises(RuntimeError, match=r"numpy .* is older than 99.0, which this course needs"):
        check_versions({"numpy": (99, 0)})
    assert "keras" in check_versions()
