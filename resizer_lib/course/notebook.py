"""Every notebook's first cell: ``setup()`` checks the installed versions against the course's bounds
(a clear message instead of a confusing error ten cells later), then reports device and profile,
seeds everything and sets the figure defaults."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import sys

from packaging.requirements import Requirement
from packaging.version import Version

from resizer_lib.profiles import Profile, get_profile

__all__ = ["IN_COLAB", "MIN_VERSIONS", "check_versions", "colab_runtime_note", "declared_requirements",
           "requirement_problems", "setup", "widget_manager"]

IN_COLAB = "google.colab" in sys.modules
# only where the package metadata is missing (a bare checkout on sys.path): pyproject.toml's bounds
MIN_VERSIONS = {"keras": (3, 13), "tensorflow": (2, 18), "tensorflow-datasets": (4, 9),
                "numpy": (1, 26), "matplotlib": (3, 9), "ipywidgets": (7, 7)}


def _installed(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _at_least(minimum: dict[str, tuple[int, int]]) -> list[Requirement]:
    return [Requirement(f"{name}>={'.'.join(map(str, low))}") for name, low in minimum.items()]


def declared_requirements() -> list[Requirement]:
    """The run-time dependencies ``resizer_lib`` declares (``pyproject.toml``), without extras."""
    try:
        reqs = [Requirement(t) for t in importlib.metadata.requires("resizer_lib") or []]
    except importlib.metadata.PackageNotFoundError:
        reqs = _at_least(MIN_VERSIONS)
    return [r for r in reqs if r.marker is None or r.marker.evaluate({"extra": ""})]


def requirement_problems(requirements: list[Requirement], version_of) -> list[str]:
    """One line, with the fix, per requirement that ``version_of(name)`` (the installed version, or
    ``None``) does not satisfy."""
    problems = []
    for req in requirements:
        found = version_of(req.name)
        if found is None:
            problems.append(f"{req.name} is not installed; this course needs {req} (pip install '{req}')")
        elif not req.specifier.contains(found, prereleases=True):
            problems.append(f"{req.name} {found} does not satisfy {req}, which this course needs "
                            f"(pip install '{req}', or `make setup` in a checkout)")
    return problems


def check_versions(minimum: dict[str, tuple[int, int]] | None = None) -> dict[str, str]:
    """``{name: installed version}`` of every declared dependency (or of ``minimum``, ``{name: (major,
    minor)}``), checked without importing them; ``RuntimeError`` listing every problem."""
    reqs = declared_requirements() if minimum is None else _at_least(minimum)
    problems = requirement_problems(reqs, _installed)
    if problems:
        raise RuntimeError("; ".join(problems))
    return {r.name: _installed(r.name) for r in reqs}


def widget_manager() -> str:
    """Make ipywidgets render where the notebook runs, and say how. Colab renders its own ipywidgets 7;
    ipywidgets 8 needs Colab's *custom widget manager*, turned on only then. Elsewhere the front end's
    manager (``jupyterlab_widgets``, or ``widgetsnbextension`` for classic Notebook) must be installed."""
    if "google.colab" in sys.modules:
        ipywidgets = _installed("ipywidgets")
        if Version(ipywidgets or "0").major < 8:
            return f"Colab's own widget manager (ipywidgets {ipywidgets})"
        from google.colab import output  # type: ignore[import-not-found]

        output.enable_custom_widget_manager()
        return "Colab's custom widget manager (enabled, for ipywidgets 8)"
    found = [f"{n} {_installed(n)}" for n in ("jupyterlab_widgets", "widgetsnbextension") if _installed(n)]
    return ", ".join(found) or "none found: widgets will not render; pip install jupyterlab_widgets"


def colab_runtime_note(version_of=_installed, python: str | None = None) -> list[str]:
    """What ``setup()`` says in Colab: the runtime the course was tested on and, where this one differs
    (``version_of(name)`` and ``python`` against the tested versions), what to do."""
    from resizer_lib.course import colab_runtime as tested

    python, tested_python = python or platform.python_version(), ".".join(tested.PYTHON.split(".")[:2])
    headline = ", ".join(f"{n} {tested.VERSIONS[n]}" for n in ("tensorflow", "keras", "ipywidgets")
                         if n in tested.VERSIONS)
    lines = [f"tested on Colab's runtime of {tested.DATE} (Python {tested.PYTHON}, {headline})"]
    differs = [] if ".".join(python.split(".")[:2]) == tested_python else [f"Python {python}"]
    differs += [f"{name} {version_of(name)} (tested {version})" for name, version in tested.VERSIONS.items()
                if version_of(name) not in (None, version)]
    if differs:
        lines.append(f"this runtime differs: {', '.join(differs)}. If a cell fails, choose the runtime with "
                     f"Python {tested_python} and TensorFlow {tested.VERSIONS.get('tensorflow', '?')} under "
                     "Runtime > Change runtime type > Runtime version, then run the notebook again")
    return lines


def setup(profile: str | None = None, seed: int = 42, verbose: bool = True) -> Profile:
    """Check versions, report backend and device, seed everything, return the active profile. First it
    keeps TensorFlow's C++ log lines out of the notebook (``tf_logging``): call it before importing Keras."""
    from resizer_lib.tf_logging import install

    install()
    import keras
    import matplotlib.pyplot as plt

    versions = check_versions()
    prof = get_profile(profile)
    os.environ["RESIZER_PROFILE"] = prof.name
    keras.utils.set_random_seed(seed)
    plt.rcParams.update({"figure.dpi": 90, "axes.titlesize": 10, "image.interpolation": "nearest"})
    widgets = widget_manager()
    if verbose:
        from resizer_lib.runtime import device_description

        extra = " (Colab)" if IN_COLAB else ""
        print(f"keras {versions['keras']} on {keras.backend.backend()}{extra}; device: {device_description()}")
        print(f"{len(versions)} dependencies within the course's bounds: "
              + ", ".join(f"{n} {v}" for n, v in versions.items()))
        print(f"widgets: ipywidgets {versions.get('ipywidgets', '?')}, front end: {widgets}")
        if "google.colab" in sys.modules:
            print("\n".join(f"Colab: {line}" for line in colab_runtime_note()))
        print(f"profile {prof.name!r}: images {prof.image_size} -> {prof.target_size}, "
              f"{prof.epochs} epochs, {prof.seeds} seed(s)  (set RESIZER_PROFILE=smoke|quick|colab|full)")
    return prof
