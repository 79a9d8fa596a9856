"""The ``RESIZER_PROFILE`` knob: one setting that sizes data, epochs and seeds everywhere.

``smoke`` (seconds; CI), ``quick`` (minutes on a laptop CPU; the default), ``colab`` (a free Colab GPU, up to about
20 minutes per notebook), ``full`` (the keras.io setting, hours on a GPU). Only sizes and counts change.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["Profile", "PROFILES", "get_profile", "profile_name"]


@dataclass(frozen=True)
class Profile:
    """Sizes and counts for one profile. Images are ``image_size``, resized to ``target_size``."""

    name: str
    image_size: tuple[int, int]
    target_size: tuple[int, int]
    num_train: int  # synthetic examples per split (train); folders/tfds use all unless capped
    num_val: int
    batch_size: int
    epochs: int
    seeds: int
    backbone: str
    max_train: int | None  # cap on real-data training examples (None: all)
    description: str = ""  # what the profile is for, shown by ``python -m resizer_lib info``

    def pick(self, **per_profile):
        """The value for this profile out of ``per_profile`` (``smoke=..., quick=..., ...``): one place in a
        notebook that sizes something per profile. ``KeyError`` names what is missing."""
        unknown = set(per_profile) - set(PROFILES)
        if unknown:
            raise ValueError(f"unknown profile name(s) {sorted(unknown)}; profiles are {list(PROFILES)}")
        if self.name not in per_profile:
            raise KeyError(f"no value for profile {self.name!r} (given: {sorted(per_profile)}); pass {self.name}=...")
        return per_profile[self.name]


PROFILES: dict[str, Profile] = {p.name: p for p in (
    Profile("smoke", (32, 32), (16, 16), num_train=64, num_val=32, batch_size=16, epochs=1, seeds=1,
            backbone="tiny_cnn", max_train=64,
            description="CI: seconds per notebook; checks that the code runs, shows nothing"),
    Profile("quick", (64, 64), (32, 32), num_train=384, num_val=128, batch_size=32, epochs=4, seeds=3,
            backbone="small_cnn", max_train=1024,
            description="a laptop CPU, minutes: the offline default shows a real difference"),
    Profile("colab", (128, 128), (64, 64), num_train=2048, num_val=512, batch_size=64, epochs=8, seeds=3,
            backbone="small_cnn", max_train=4096,
            description="a free Colab GPU: up to about 20 minutes per notebook, a larger version of quick"),
    Profile("full", (300, 300), (150, 150), num_train=4096, num_val=1024, batch_size=32, epochs=25, seeds=5,
            backbone="densenet121", max_train=None,
            description="a GPU: the keras.io setting (DenseNet-121, 300 -> 150 px)"),
)}


def profile_name(name: str | None = None) -> str:
    """Resolve a profile name: the argument, else ``$RESIZER_PROFILE``, else ``quick``."""
    chosen = name or os.environ.get("RESIZER_PROFILE") or "quick"
    if chosen not in PROFILES:
        raise ValueError(f"Unknown profile {chosen!r} (from {'the argument' if name else 'RESIZER_PROFILE'}); "
                         f"choose one of {list(PROFILES)}")
    return chosen


def get_profile(name: str | None = None) -> Profile:
    """The ``Profile`` for ``name`` (or ``$RESIZER_PROFILE``, default ``quick``)."""
    return PROFILES[profile_name(name)]
