"""Images the viz tests share."""

from __future__ import annotations

import numpy as np


def smooth_image(seed: int = 0, shape=(32, 40, 3)) -> np.ndarray:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0 : shape[0], 0 : shape[1]]
    base = 0.5 + 0.2 * np.sin(x / 5.0 + rng.uniform()) * np.cos(y / 7.0)
    return np.repeat(base[..., None], shape[2], axis=-1).astype("float32")

