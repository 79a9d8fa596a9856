"""The ``RESIZER_PROFILE`` knob: one setting that sizes data and epochs for every notebook and the CLI.

* ``smoke``: seconds; what CI runs. Tiny data, one or two epochs: checks that code runs.
* ``quick``: minutes on a 2-core laptop CPU; the offline default shows a real difference.
* ``full``: the keras.io setting (300 -> 150, DenseNet-121, cats_vs_dogs) for a GPU.

The profile only sets sizes and counts; the code path is the same for all three.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, replace

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

    def to_dict(self) -> dict:
        return asdict(self)

    def replace(self, **changes) -> Profile:
        return replace(self, **changes)


PROFILES: dict[str, Profile] = {
    "smoke": Profile("smoke", (32, 32), (16, 16), 64, 32, 16, 1, 1, "tiny_cnn", 64),
    "quick": Profile("quick", (64, 64), (32, 32), 384, 128, 32, 4, 3, "small_cnn", 1024),
    "full": Profile("full", (300, 300), (150, 150), 4096, 1024, 32, 25, 5, "densenet121", None),
}


def profile_name(name: str | None = None) -> str:
    """Resolve a profile name: the argument, else ``$RESIZER_PROFILE``, else ``quick``."""
    chosen = name or os.environ.get("RESIZER_PROFILE") or "quick"
    if chosen not in PROFILES:
        raise ValueError(
            f"Unknown profile {chosen!r} (from "
            f"{'the argument' if name else 'RESIZER_PROFILE'}); choose one of {list(PROFILES)}"
        )
    return chosen


def get_profile(name: str | None = None) -> Profile:
    """The ``Profile`` for ``name`` (or ``$RESIZER_PROFILE``, default ``quick``)."""
    return PROFILES[profile_name(name)]
