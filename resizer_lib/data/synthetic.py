"""The offline "synthetic" dataset: smooth random pictures whose class lives in a faint stripe.

Backgrounds, shapes and noise do not depend on the class; a period-2 stripe of ``amplitude`` grey levels does:
class 0 ``"vertical"`` alternates ``+a, -a`` column by column, class 1 ``"horizontal"`` row by row. A 2x bilinear
resize (half-pixel centres, no antialias) averages each 2x2 block, where the stripe sums to zero: the class
evidence is erased *exactly*. Image ``i`` depends only on ``(seed, i)``; each pair ``(2k, 2k + 1)`` holds one of
each class.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from resizer_lib._checks import check_int, check_size

__all__ = ["SYNTHETIC_CLASS_NAMES", "make_synthetic", "synthetic_image", "synthetic_label"]

SYNTHETIC_CLASS_NAMES: tuple[str, ...] = ("vertical", "horizontal")

DEFAULT_AMPLITUDE = 24  # grey levels: learnable behind the resizer in a quick run (3 and 12 are not)
DEFAULT_NOISE_STD = 2.0  # grey levels
_BACKGROUND_RANGE = (40.0, 215.0)  # grey levels of the grid colours
_SHAPE_RANGE = (30.0, 225.0)  # grey levels of the shapes' colours
_GRID = 4  # the background is a 4x4 grid of random colours, interpolated smoothly
_LABEL_STREAM = 1  # seed-sequence tags: labels and images use independent streams
_IMAGE_STREAM = 2


def make_synthetic(num_images: int, image_size: int | Sequence[int] = (96, 96), seed: int = 0,
                   amplitude: int = DEFAULT_AMPLITUDE, noise_std: float = DEFAULT_NOISE_STD, coverage: float = 1.0,
                   offset: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``num_images`` synthetic images and their labels, deterministically: ``(uint8 (N, H, W, 3), int32 (N,))``
    with ``0 = "vertical"``, ``1 = "horizontal"`` (``SYNTHETIC_CLASS_NAMES``).

    ``image_size``: ``(H, W)`` or an int (even sizes: a 2x resize erases the class exactly); the same ``seed`` gives
    identical arrays; ``amplitude``: of the stripes, in grey levels (``0``: the class-free backgrounds);
    ``noise_std``: of the uniform pixel noise, in grey levels; ``coverage``: the share of the area the stripes
    cover, ``(0, 1]``, in a random rectangle on even pixel coordinates; ``offset``: the first image's index
    (train and validation sets use disjoint ranges).
    """
    h, w = check_size(image_size, "image_size")
    num_images = check_int(num_images, "num_images", minimum=0)
    check_int(seed, "seed", minimum=0)
    check_int(offset, "offset", minimum=0)
    if check_int(amplitude, "amplitude", minimum=0) > 100:
        raise ValueError(f"amplitude must be between 0 and 100 grey levels; got {amplitude!r}")
    if not isinstance(noise_std, (int, float)) or isinstance(noise_std, bool) or noise_std < 0:
        raise ValueError(f"noise_std must be a number >= 0 (grey levels); got {noise_std!r}")
    if not isinstance(coverage, (int, float)) or not 0 < coverage <= 1:
        raise ValueError(f"coverage must be a fraction in (0, 1]; got {coverage!r}")
    images = np.empty((num_images, h, w, 3), dtype=np.uint8)
    labels = np.array([synthetic_label(offset + i, seed) for i in range(num_images)], dtype=np.int32)
    for i in range(num_images):
        images[i] = synthetic_image(offset + i, (h, w), seed, amplitude, noise_std, coverage, label=labels[i])
    return images, labels


def synthetic_label(index: int, seed: int = 0) -> int:
    """The label of image ``index``: each pair ``(2k, 2k + 1)`` holds one of each class."""
    pair_rng = np.random.default_rng([seed, index // 2, _LABEL_STREAM])
    return int((index % 2) ^ int(pair_rng.random() < 0.5))


def synthetic_image(index: int, image_size: tuple[int, int], seed: int = 0, amplitude: int = DEFAULT_AMPLITUDE,
                    noise_std: float = DEFAULT_NOISE_STD, coverage: float = 1.0, label: int | None = None):
    """One synthetic image ``uint8 (H, W, 3)``; the unchecked core of ``make_synthetic``."""
    h, w = image_size
    label = synthetic_label(index, seed) if label is None else label
    rng = np.random.default_rng([seed, index, _IMAGE_STREAM])
    picture = _background(rng, h, w)
    _draw_shapes(rng, picture)
    if noise_std > 0:  # uniform: cheaper than normal
        noise = rng.random(picture.shape, dtype=np.float32)
        picture += (noise - np.float32(0.5)) * np.float32(noise_std * np.sqrt(12.0))
    # round and clip *before* the stripes, so that base +- amplitude never clips: the pattern then averages to
    # exactly zero over every 2x2 block
    base = np.clip(np.rint(picture, out=picture), amplitude, 255 - amplitude, out=picture).astype(np.int16)
    mask = _stripe_mask(rng, h, w, coverage)
    return (base + (_stripes(rng, h, w, amplitude, label) * mask)[:, :, None]).astype(np.uint8)


def _background(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A smooth colour field ``float32 (H, W, 3)``: a random 4x4 grid, bilinearly interpolated."""
    grid = rng.uniform(*_BACKGROUND_RANGE, size=(_GRID, _GRID, 3)).astype(np.float32)
    per_row = np.tensordot(_interp_matrix(h), grid, axes=1)  # (H, G) . (G, G, 3) -> (H, G, 3)
    return np.matmul(_interp_matrix(w), per_row)  # (W, G) @ (H, G, 3) -> (H, W, 3)


def _interp_matrix(n: int) -> np.ndarray:
    """``float32 (n, G)`` linear-interpolation weights from ``G`` grid nodes over ``n`` pixels."""
    pos = np.linspace(0.0, _GRID - 1.0, n)
    lower = np.minimum(np.floor(pos).astype(int), _GRID - 2)
    frac = pos - lower
    weights = np.zeros((n, _GRID), dtype=np.float32)
    weights[np.arange(n), lower] = 1.0 - frac
    weights[np.arange(n), lower + 1] = frac
    return weights


def _draw_shapes(rng: np.random.Generator, picture: np.ndarray) -> None:
    """Paint 1-3 random ellipses or rectangles of random colour, in place."""
    h, w, _ = picture.shape
    for _ in range(int(rng.integers(1, 4))):
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        ry, rx = rng.uniform(0.1, 0.35) * h, rng.uniform(0.1, 0.35) * w
        colour = rng.uniform(*_SHAPE_RANGE, size=3).astype(np.float32)
        ellipse = rng.random() < 0.5
        top, bottom = max(0, int(cy - ry)), min(h, int(cy + ry) + 1)
        left, right = max(0, int(cx - rx)), min(w, int(cx + rx) + 1)
        dy = ((np.arange(top, bottom) - cy) / ry)[:, None]
        dx = ((np.arange(left, right) - cx) / rx)[None, :]
        inside = dy**2 + dx**2 <= 1.0 if ellipse else (abs(dy) <= 1) & (abs(dx) <= 1)
        picture[top:bottom, left:right][inside] = colour


def _stripe_mask(rng: np.random.Generator, h: int, w: int, coverage: float) -> np.ndarray:
    """``int16 (H, W)`` 0/1 mask: a random rectangle of about ``coverage`` of the area, its corners on even
    coordinates (every 2x2 block is entirely in or out)."""
    if coverage >= 1.0:
        return np.ones((h, w), dtype=np.int16)
    mask = np.zeros((h, w), dtype=np.int16)
    side = np.sqrt(coverage)
    mh, mw = max(2, 2 * round(side * h / 2)), max(2, 2 * round(side * w / 2))
    top = 2 * int(rng.integers(0, max(h - mh, 0) // 2 + 1))
    left = 2 * int(rng.integers(0, max(w - mw, 0) // 2 + 1))
    mask[top : top + mh, left : left + mw] = 1
    return mask


def _stripes(rng: np.random.Generator, h: int, w: int, amplitude: int, label: int) -> np.ndarray:
    """``int16 (H, W)`` period-2 pattern with a random phase: columns for 0, rows for 1."""
    phase = int(rng.integers(2))
    line = amplitude * (1 - 2 * ((np.arange(w if label == 0 else h) + phase) % 2))
    return np.broadcast_to(line[None, :] if label == 0 else line[:, None], (h, w)).astype(np.int16)
