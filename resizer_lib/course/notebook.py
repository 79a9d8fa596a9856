"""The notebooks' setup step: versions, device, profile, seeds and figure defaults in one call.

Every notebook's first code cell installs ``resizer_lib`` when it runs in Colab, then calls
``setup()``; locally it checks that the installed versions are the ones the course was tested
with, so a learner sees a clear message instead of a confusing error ten cells later.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import sys

from packaging.requirements import Requirement

from resizer_lib.profiles import Profile, get_profile

__all__ = ["IN_COLAB", "MIN_VERSIONS", "check_versions", "colab_runtime_note",
           "declared_requirements", "requirement_problems", "setup", "widget_manager"]

IN_COLAB = "google.colab" in sys.modules
# used only where the package metadata is missing (a bare checkout on sys.path): the bounds of
# pyproject.toml's dependencies, which are the ones checked whenever resizer_lib is installed
MIN_VERSIONS = {"keras": (3, 13), "tensorflow": (2, 18), "tensorflow-datasets": (4, 9),
                "numpy": (1, 26), "matplotlib": (3, 9), "ipywidgets": (7, 7)}


def declared_requirements() -> list[Requirement]:
    """The run-time dependencies ``resizer_lib`` declares (``pyproject.toml``), without extras."""
    try:
        texts = importlib.metadata.requires("resizer_lib") or []
    except importlib.metadata.PackageNotFoundError:
        texts = [f"{name}>={'.'.join(map(str, low))}" for name, low in MIN_VERSIONS.items()]
    reqs = [Requirement(t) for t in texts]
    return [r for r in reqs if r.marker is None or r.marker.evaluate({"extra": ""})]


def requirement_problems(requirements: list[Requirement], version_of) -> list[str]:
    """What is missing or out of bounds: one line per requirement that ``version_of(name)``
    (the installed version, or ``None``) does not satisfy, each with the fix."""
    problems = []
    for req in requirements:
        found = version_of(req.name)
        if found is None:
            problems.append(f"{req.name} is not installed; this course needs {req} "
                            f"(pip install '{req}')")
        elif not req.specifier.contains(found, prereleases=True):
            problems.append(f"{req.name} {found} does not satisfy {req}, which this course needs "
                            f"(pip install '{req}', or `make setup` in a checkout)")
    return problems


def _installed(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def check_versions(minimum: dict[str, tuple[int, int]] | None = None) -> dict[str, str]:
    """Check every declared dependency (or only ``minimum``: ``{name: (major, minor)}``) against
    the installed versions, without importing them; ``RuntimeError`` listing every problem.
    Returns ``{name: installed version}``."""
    reqs = (declared_requirements() if minimum is None else
            [Requirement(f"{n}>={'.'.join(map(str, low))}") for n, low in minimum.items()])
    problems = requirement_problems(reqs, _installed)
    if problems:
        raise RuntimeError("; ".join(problems))
    return {r.name: _installed(r.name) for r in reqs}


def _major(version: str | None) -> int:
    try:
        return int((version or "0").split(".")[0])
    except ValueError:
        return 0


def widget_manager() -> str:
    """Make ipywidgets render where the notebook runs, and say how. Colab renders its own
    ipywidgets 7 as they are; ipywidgets 8 needs Colab's *custom widget manager*, which this
    turns on only then. Elsewhere the front end's own manager (``jupyterlab_widgets`` for
    JupyterLab, ``widgetsnbextension`` for classic Notebook) must be installed in the
    environment that serves the notebook."""
    if "google.colab" in sys.modules:
        ipywidgets = _installed("ipywidgets")
        if _major(ipywidgets) < 8:
            return f"Colab's own widget manager (ipywidgets {ipywidgets})"
        from google.colab import output  # type: ignore[import-not-found]

        output.enable_custom_widget_manager()
        return "Colab's custom widget manager (enabled, for ipywidgets 8)"
    found = [f"{name} {_installed(name)}" for name in ("jupyterlab_widgets", "widgetsnbextension")
             if _installed(name)]
    return ", ".join(found) if found else ("none found: widgets will not render; "
                                           "pip install jupyterlab_widgets")


def colab_runtime_note(version_of=_installed, python: str | None = None) -> list[str]:
    """What ``setup()`` says in Colab: the runtime the course was tested on and, where this one
    differs (``version_of(name)`` and ``python`` against the tested versions), what to do."""
    from resizer_lib.course import colab_runtime as tested

    python = python or platform.python_version()
    headline = ", ".join(f"{n} {tested.VERSIONS[n]}" for n in ("tensorflow", "keras", "ipywidgets")
                         if n in tested.VERSIONS)
    lines = [f"tested on Colab's runtime of {tested.DATE} (Python {tested.PYTHON}, {headline})"]
    differs = [] if python.split(".")[:2] == tested.PYTHON.split(".")[:2] else [f"Python {python}"]
    for name, version in tested.VERSIONS.items():
        found = version_of(name)
        if found is not None and found != version:
            differs.append(f"{name} {found} (tested {version})")
    if differs:
        lines.append(f"this runtime differs: {', '.join(differs)}. If a cell fails, choose the "
                     f"runtime with Python {'.'.join(tested.PYTHON.split('.')[:2])} and "
                     f"TensorFlow {tested.VERSIONS.get('tensorflow', '?')} under Runtime > Change "
                     "runtime type > Runtime version, then run the notebook again")
    return lines


def setup(profile: str | None = None, seed: int = 42, verbose: bool = True) -> Profile:
    """Check versions, report backend and device, seed everything, return the active profile.

    First it keeps TensorFlow's C++ log lines out of the notebook (``resizer_lib.tf_logging``),
    so call it before anything imports Keras or TensorFlow.
    """
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
