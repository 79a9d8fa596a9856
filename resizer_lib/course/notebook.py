"""The notebooks' setup step: versions, device, profile, seeds and figure defaults in one call.

Every notebook's first code cell installs ``resizer_lib`` when it runs in Colab, then calls
``setup()``; locally it checks that the installed versions are the ones the course was tested
with, so a learner sees a clear message instead of a confusing error ten cells later.
"""

from __future__ import annotations

import os
import sys

from packaging.version import Version

from resizer_lib.profiles import Profile, get_profile

__all__ = ["IN_COLAB", "MIN_VERSIONS", "setup", "check_versions"]

IN_COLAB = "google.colab" in sys.modules
MIN_VERSIONS = {"keras": (3, 10), "numpy": (1, 26), "matplotlib": (3, 8)}


def check_versions(minimum: dict[str, tuple[int, int]] = MIN_VERSIONS) -> dict[str, str]:
    """Import each package and assert its version is at least ``minimum``; return the versions."""
    found = {}
    for name, low in minimum.items():
        module = __import__(name)
        found[name] = module.__version__
        if Version(module.__version__) < Version(".".join(map(str, low))):
            raise RuntimeError(
                f"{name} {module.__version__} is older than {'.'.join(map(str, low))}, which this "
                f"course needs; run `make setup` (or `pip install -e .`) to update"
            )
    return found


def setup(profile: str | None = None, seed: int = 42, verbose: bool = True) -> Profile:
    """Check versions, report backend and device, seed everything, return the active profile."""
    import keras
    import matplotlib.pyplot as plt

    versions = check_versions()
    prof = get_profile(profile)
    os.environ["RESIZER_PROFILE"] = prof.name
    keras.utils.set_random_seed(seed)
    plt.rcParams.update({"figure.dpi": 90, "axes.titlesize": 10, "image.interpolation": "nearest"})
    if verbose:
        from resizer_lib.runtime import device_description

        extra = " (Colab)" if IN_COLAB else ""
        print(f"keras {versions['keras']} on {keras.backend.backend()}{extra}; device: {device_description()}")
        print(f"profile {prof.name!r}: images {prof.image_size} -> {prof.target_size}, "
              f"{prof.epochs} epochs, {prof.seeds} seed(s)  (set RESIZER_PROFILE=smoke|quick|full)")
    return prof
