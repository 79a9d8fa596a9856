"""The shared argument checks (integers, sizes) and image file extensions. NumPy only."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["IMAGE_EXTENSIONS", "check_int", "check_size", "is_int"]

# what Pillow decodes: the folder loader, the sample-image helpers
IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".ppm", ".pgm"})


def is_int(value: object) -> bool:
    """A Python or NumPy integer, and not a bool."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def check_int(value: object, name: str, minimum: int = 1) -> int:
    """``value`` as an ``int`` if it is an integer ``>= minimum``, else ``ValueError``."""
    if not is_int(value) or int(value) < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def check_size(value: object, name: str) -> tuple[int, int]:
    """``value`` as a ``(height, width)`` pair of positive ints, or ``ValueError``: an int (a square) or a
    sequence (tuple, list, 1-D array) of two ints; booleans, floats and strings are refused."""
    pair = (value, value) if is_int(value) else value
    pair = pair.tolist() if isinstance(pair, np.ndarray) and pair.ndim == 1 else pair
    if not (isinstance(pair, Sequence) and not isinstance(pair, str) and len(pair) == 2
            and all(is_int(v) and int(v) > 0 for v in pair)):
        raise ValueError(f"{name} must be a positive integer or a pair of positive integers (height, width); "
                         f"got {value!r}")
    return int(pair[0]), int(pair[1])
