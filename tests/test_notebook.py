"""``resizer_lib.course.notebook``: the setup step of every notebook."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from resizer_lib.course.notebook import check_versions, setup, widget_manager


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
    with pytest.raises(RuntimeError, match=r"numpy \S+ does not satisfy numpy>=99.0, which this course needs"):
        check_versions({"numpy": (99, 0)})
    versions = check_versions()  # every declared dependency, as pyproject.toml states them
    assert {"keras", "tensorflow", "tensorflow-datasets", "ipywidgets", "matplotlib", "numpy"} <= set(versions)


def test_the_bounds_logic_on_made_up_versions():
    """What an install cell in Colab relies on: a preinstalled TensorFlow or Keras that
    satisfies the bounds is accepted as it is; one outside them is named with the fix."""
    from packaging.requirements import Requirement

    from resizer_lib.course.notebook import declared_requirements, requirement_problems

    reqs = [Requirement("tensorflow>=2.18"), Requirement("keras>=3.10,<4"), Requirement("ipywidgets>=7.7")]
    colab = {"tensorflow": "2.20.0", "keras": "3.13.2", "ipywidgets": "7.7.1"}
    assert requirement_problems(reqs, colab.get) == []  # Colab's own widgets are accepted
    problems = requirement_problems(reqs, {**colab, "ipywidgets": "7.6.5"}.get)
    assert problems == ["ipywidgets 7.6.5 does not satisfy ipywidgets>=7.7, which this course needs "
                        "(pip install 'ipywidgets>=7.7', or `make setup` in a checkout)"]
    assert requirement_problems(reqs, {"tensorflow": "2.21.0rc1", "keras": "3.15.1", "ipywidgets": "8.1.9"}.get) == []
    missing = requirement_problems(reqs, {"tensorflow": "2.18.0", "keras": "4.0.0"}.get)
    assert "keras 4.0.0 does not satisfy keras<4,>=3.10" in missing[0] and "not installed" in missing[1]
    names = {r.name for r in declared_requirements()}
    assert "pytest" not in names and {"keras", "tensorflow"} <= names  # extras left out


def test_setup_names_every_package_and_the_widget_front_end(monkeypatch, capsys):
    monkeypatch.setenv("RESIZER_PROFILE", "smoke")
    setup()
    out = capsys.readouterr().out
    for name in ("tensorflow", "keras", "tensorflow-datasets", "ipywidgets", "matplotlib", "numpy"):
        assert f"{name} " in out
    assert "widgets: ipywidgets" in out and "jupyterlab_widgets" in out  # installed by [lab]


def _ipywidgets_installed(monkeypatch, version: str) -> None:
    from resizer_lib.course import notebook

    real = notebook._installed
    monkeypatch.setattr(notebook, "_installed", lambda name: version if name == "ipywidgets" else real(name))


def test_in_colab_the_custom_widget_manager_is_turned_on_for_ipywidgets_8_only(monkeypatch, fake_colab):
    _ipywidgets_installed(monkeypatch, "8.1.9")
    assert widget_manager() == "Colab's custom widget manager (enabled, for ipywidgets 8)"
    assert fake_colab == ["on"]
    fake_colab.clear()
    _ipywidgets_installed(monkeypatch, "7.7.1")
    assert widget_manager() == "Colab's own widget manager (ipywidgets 7.7.1)" and fake_colab == []


def test_in_colab_setup_names_the_tested_runtime_and_what_to_do_on_another(monkeypatch, capsys, fake_colab):
    from resizer_lib.course import colab_runtime
    from resizer_lib.course.notebook import colab_runtime_note

    tested = colab_runtime.VERSIONS
    same = colab_runtime_note(tested.get, python=colab_runtime.PYTHON)
    assert same == [f"tested on Colab's runtime of {colab_runtime.DATE} (Python "
                    f"{colab_runtime.PYTHON}, tensorflow {tested['tensorflow']}, keras "
                    f"{tested['keras']}, ipywidgets {tested['ipywidgets']})"]
    older = {**tested, "tensorflow": "2.19.0"}
    note = colab_runtime_note(older.get, python="3.12.11")
    assert len(note) == 2 and note[0] == same[0]
    assert note[1].startswith(f"this runtime differs: Python 3.12.11, tensorflow 2.19.0 (tested "
                              f"{tested['tensorflow']}). If a cell fails, choose the runtime with "
                              f"Python {'.'.join(colab_runtime.PYTHON.split('.')[:2])}")
    assert "Runtime > Change runtime type > Runtime version" in note[1]
    patch = colab_runtime.PYTHON.rsplit(".", 1)[0] + ".0"  # another patch release: the same
    assert colab_runtime_note(tested.get, python=patch) == same

    _ipywidgets_installed(monkeypatch, "7.7.1")
    monkeypatch.setenv("RESIZER_PROFILE", "smoke")
    setup()
    out = capsys.readouterr().out
    assert f"Colab: tested on Colab's runtime of {colab_runtime.DATE}" in out
    assert "Colab's own widget manager (ipywidgets 7.7.1)" in out


def test_without_a_front_end_manager_the_report_says_what_to_install(monkeypatch):
    from resizer_lib.course import notebook

    monkeypatch.setattr(notebook, "_installed", lambda name: None)
    assert "widgets will not render; pip install jupyterlab_widgets" in widget_manager()
