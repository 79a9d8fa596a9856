"""Colab's pins (tools/colab/): the pin file, its refresh, the runtime ``setup()`` reports, and
the check that installing the course replaces none of Colab's packages (tools/colab_stage.sh
runs it on the real environment; here its comparisons, on made-up versions)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / "colab" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and the like look their module up
    spec.loader.exec_module(module)
    return module


refresh_pins = _load("refresh_pins")
check_install = _load("check_install")

# the versions the issue names, Colab's published list of 2026-08-19
COLAB_2026_08_19 = {
    "tensorflow": "2.20.0", "keras": "3.13.2", "tf_keras": "2.20.1", "numpy": "2.1.3",
    "jax": "0.7.2", "ipywidgets": "7.7.1", "widgetsnbextension": "3.6.10",
    "jupyterlab_widgets": "3.0.16", "ipykernel": "6.17.1", "ipython": "7.34.0",
    "jupyter_client": "7.4.9", "traitlets": "5.7.1", "matplotlib": "3.10.0", "scipy": "1.16.3",
    "scikit-image": "0.25.2", "pillow": "11.3.0", "tensorflow-datasets": "4.9.10",
    "protobuf": "5.29.6", "h5py": "3.16.0",
}


def test_the_pin_file_names_its_date_runtime_python_and_every_package():
    path = refresh_pins.current_pin_file()
    meta, pins = refresh_pins.read_pins(path)
    assert path.name == f"colab-{meta['date']}.txt"
    assert re.match(r"^3\.\d+\.\d+$", meta["python"]) and meta["runtime"]
    assert {refresh_pins.normalise(n) for n in COLAB_2026_08_19} <= {
        refresh_pins.normalise(n) for n in pins}
    if meta["date"] == "2026-08-19":
        assert meta["python"] == "3.13.15"
        assert {refresh_pins.normalise(n): v for n, v in pins.items()} == {
            refresh_pins.normalise(n): v for n, v in COLAB_2026_08_19.items()}


def test_the_package_reports_the_runtime_of_the_pin_file():
    """resizer_lib/course/colab_runtime.py is generated from the pin file (refresh_pins.py)."""
    from resizer_lib.course import colab_runtime

    meta, pins = refresh_pins.read_pins(refresh_pins.current_pin_file())
    assert (colab_runtime.DATE, colab_runtime.PYTHON) == (meta["date"], meta["python"])
    assert colab_runtime.VERSIONS == pins
    assert refresh_pins.check() == 0


def test_refresh_rewrites_the_pins_from_colabs_list(tmp_path, monkeypatch):
    folder = tmp_path / "tools" / "colab"
    folder.mkdir(parents=True)
    module = tmp_path / "colab_runtime.py"
    monkeypatch.setattr(refresh_pins, "FOLDER", folder)
    monkeypatch.setattr(refresh_pins, "MODULE", module)
    monkeypatch.setattr(refresh_pins, "ROOT", tmp_path)
    old = folder / "colab-2026-08-19.txt"
    old.write_text(refresh_pins.HEADER.format(date="2026-08-19", runtime="r", python="3.13.15")
                   + "ipywidgets==7.7.1\njupyter_client==7.4.9\ntensorflow==2.20.0\n")
    freeze = tmp_path / "pip-freeze.txt"
    freeze.write_text("# Do not modify\nabsl-py==2.3.1\nipywidgets==8.1.7\nJupyter-Client==8.6.3\n"
                      "google-colab @ file:///colabtools/dist/google-colab-1.0.0.tar.gz\n"
                      "jaxlib @ https://example.org/jaxlib-0.8.1+cuda12-cp313-cp313-linux.whl\n"
                      "tensorflow==2.21.0\n")
    new = refresh_pins.refresh(freeze, "2026-11-02", "3.13.20", None, ["jaxlib"])
    assert new.name == "colab-2026-11-02.txt" and not old.exists()
    meta, pins = refresh_pins.read_pins(new)
    assert meta == {"date": "2026-11-02", "python": "3.13.20",
                    "runtime": "Colab's default runtime on 2026-11-02"}
    assert pins == {"ipywidgets": "8.1.7", "jaxlib": "0.8.1", "jupyter_client": "8.6.3",
                    "tensorflow": "2.21.0"}
    assert 'DATE = "2026-11-02"' in module.read_text()
    freeze.write_text("tensorflow==2.21.0\n")
    with pytest.raises(SystemExit, match="lists no ipywidgets, jaxlib, jupyter_client"):
        refresh_pins.refresh(freeze, "2026-12-01", "3.13.20", None, [])


PINS = {"ipywidgets": "7.7.1", "widgetsnbextension": "3.6.10", "jupyterlab-widgets": "3.0.16",
        "tensorflow": "2.20.0"}


def _report(*installs: tuple[str, str]) -> dict:
    return {"install": [{"metadata": {"name": n, "version": v}} for n, v in installs]}


def test_what_pip_would_replace_is_named():
    """The install before the bounds fitted Colab: ipywidgets>=8.1 replaced Colab's widgets."""
    installed = {**PINS, "packaging": "25.0"}
    before_fix = _report(("resizer_lib", "0.1.0"), ("ipywidgets", "8.1.9"), ("comm", "0.2.3"),
                         ("jupyterlab_widgets", "3.0.17"), ("widgetsnbextension", "4.0.16"))
    assert check_install.would_change(before_fix, PINS, installed) == [
        "ipywidgets: pinned 7.7.1, pip would install 8.1.9",
        "jupyterlab_widgets: pinned 3.0.16, pip would install 3.0.17",
        "widgetsnbextension: pinned 3.6.10, pip would install 4.0.16"]
    assert check_install.would_change(_report(("packaging", "26.0")), PINS, installed) == [
        "packaging: installed 25.0, pip would install 26.0"]
    assert check_install.would_change(_report(("resizer_lib", "0.1.0")), PINS, installed) == []


def test_a_changed_pin_fails_and_an_addition_is_listed():
    before = {**PINS, "pip": "24.2"}
    same, added = check_install.freeze_changes(before, {**before, "resizer-lib": "0.1.0"}, PINS)
    assert same == [] and added == ["resizer-lib 0.1.0"]
    after = {**before, "ipywidgets": "8.1.9", "comm": "0.2.3", "resizer-lib": "0.1.0"}
    del after["pip"]
    problems, added = check_install.freeze_changes(before, after, PINS)
    assert problems == ["ipywidgets: pinned 7.7.1, now 8.1.9", "pip: 24.2 before, not installed after"]
    assert added == ["comm 0.2.3", "resizer-lib 0.1.0"]


def test_the_lowest_pins_are_the_bounds_pyproject_declares():
    """tools/bounds/lowest.txt (`make bounds`) pins each dependency at its `>=` bound, on the
    lowest Python pyproject.toml allows: a bound raised or lowered without it fails here."""
    import tomllib
    from packaging.requirements import Requirement
    from packaging.version import Version

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    bounds = {}
    for text in project["dependencies"]:
        req = Requirement(text)
        (low,) = [s.version for s in req.specifier if s.operator == ">="]
        bounds[refresh_pins.normalise(req.name)] = low
    meta_python = re.search(r"^# python: (\S+)$", (ROOT / "tools/bounds/lowest.txt").read_text(), re.M)
    assert project["requires-python"] == f">={meta_python.group(1)}"
    pins = {refresh_pins.normalise(n): v for n, v in (
        line.split("==") for line in (ROOT / "tools/bounds/lowest.txt").read_text().splitlines()
        if line and not line.startswith("#"))}
    assert {n: Version(v) for n, v in pins.items()} == {n: Version(v) for n, v in bounds.items()}
