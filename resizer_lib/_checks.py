"""The argument checks every module shares: integers, sizes, interpolation names, image files.

One home, so that every public function refuses the same bad value with the same message, and
no module imports the model code (or Keras) just to validate a size. NumPy only: the interpolation
table is keyed by backend *name*, and the active backend is looked up only when none is given.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "ALL_RESIZE_MODES",
    "IMAGE_EXTENSIONS",
    "TF_IMAGE_ONLY_MODES",
    "TF_DECODABLE_EXTENSIONS",
    "check_int",
    "check_interpolation",
    "check_size",
    "is_int",
    "interpolations_for",
]

# What Pillow decodes (the folder loader, the sample-image helpers) ...
IMAGE_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".ppm", ".pgm"}
)
# ... and the part of it that ``tf.io.decode_image`` reads (the tf.data file pipeline).
TF_DECODABLE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".gif")

# Modes ``keras.ops.image.resize`` accepts, per backend (checked against Keras 3.10+), and the
# modes without a gradient there: fine for a fixed resize, not for a resize that trains.
RESIZE_MODES = {
    "tensorflow": ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5"),
    "jax": ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5"),
    "torch": ("bilinear", "nearest", "bicubic"),
    "numpy": ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5"),
}
NO_GRADIENT = {"tensorflow": ("area",)}
# Every mode above (what the NumPy/Pillow image loader offers), and the two that only
# ``tf.image.resize`` has (shown in the figures that compare kernels, never trained through).
ALL_RESIZE_MODES = RESIZE_MODES["tensorflow"]
TF_IMAGE_ONLY_MODES = ("gaussian", "mitchellcubic")


def is_int(value: object) -> bool:
    """A Python or NumPy integer, and not a bool."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def check_int(value: object, name: str, minimum: int = 1) -> int:
    """``value`` as an ``int`` if it is an integer ``>= minimum``, else ``ValueError``."""
    if not is_int(value) or int(value) < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def check_size(value: object, name: str) -> tuple[int, int]:
    """``value`` as a ``(height, width)`` pair of positive ints, or ``ValueError``.

    Accepts an int (a square) or a sequence (tuple, list, 1-D array) of two ints. Booleans,
    floats and strings are refused.
    """
    pair = (value, value) if is_int(value) else value
    if isinstance(pair, np.ndarray) and pair.ndim == 1:
        pair = pair.tolist()
    ok = (
        isinstance(pair, Sequence)
        and not isinstance(pair, str)
        and len(pair) == 2
        and all(is_int(v) and int(v) > 0 for v in pair)
    )
    if not ok:
        raise ValueError(
            f"{name} must be a positive integer or a pair of positive integers (height, width); "
            f"got {value!r}"
        )
    return int(pair[0]), int(pair[1])


def interpolations_for(backend: str | None = None, trainable: bool = False) -> tuple[str, ...]:
    """The resize modes of ``keras.ops.image.resize`` on ``backend`` (default: the active one).

    With ``trainable=True`` the modes without a gradient there are left out (``area`` on
    TensorFlow), since the learnable resizer back-propagates through its feature resize.
    """
    if backend is None:
        import keras

        backend = keras.backend.backend()
    modes = RESIZE_MODES.get(backend, ("bilinear", "nearest"))
    if trainable:
        modes = tuple(m for m in modes if m not in NO_GRADIENT.get(backend, ()))
    return modes


def check_interpolation(interpolation: object, trainable: bool, backend: str | None = None) -> str:
    """``interpolation`` if ``keras.ops.image.resize`` has it on ``backend`` (default: active),
    with a gradient when ``trainable``; else ``ValueError`` naming the choices."""
    if backend is None:
        import keras

        backend = keras.backend.backend()
    allowed = interpolations_for(backend, trainable=trainable)
    if interpolation in allowed:
        return str(interpolation)
    if trainable and interpolation in NO_GRADIENT.get(backend, ()):
        raise ValueError(
            f"interpolation={interpolation!r} has no gradient on the {backend} backend, so the "
            f"learnable resizer cannot train through it; use one of {list(allowed)} "
            f"(for a fixed, non-trainable resize, 'area' is fine in build_classifier)"
        )
    raise ValueError(
        f"Unknown interpolation {interpolation!r} for the {backend} backend; "
        f"choose one of {list(allowed)}"
    )
