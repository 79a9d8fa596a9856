"""Deterministic scenes for detection and segmentation, with exact answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from resizer_lib._checks import check_int

__all__ = ["BACKGROUNDS", "SHAPES", "Scenes", "make_scenes", "shape_footprint"]

SHAPES = ("square", "disc", "triangle")
BACKGROUNDS = ("texture", "flat")
_MAX_TRIES = 200  # placements tried per shape before it is left out


@dataclass(frozen=True)
class Scenes:
    """``N`` scenes and their exact answers: ``images uint8 (N, H, W, 3)``, ``masks (N, H, W)``
    (0 background, class + 1 on shapes), ``boxes[i] float64 (K_i, 4)`` corners, ``labels[i]``."""

    images: np.ndarray
    masks: np.ndarray
    boxes: list[np.ndarray]
    labels: list[np.ndarray]
    classes: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.images)

    @property
    def num_classes(self) -> int:
        """Segmentation classes: the shapes plus background."""
        return len(self.classes) + 1

    def ground_truths(self) -> list[dict]:
        """One ``{"boxes": (K, 4), "labels": (K,)}`` per scene, as the detection metrics take."""
        return [{"boxes": b, "labels": lab} for b, lab in zip(self.boxes, self.labels, strict=True)]


def shape_footprint(shape: str, size: int) -> np.ndarray:
    """The pixels of one shape, ``bool (size, size)``, touching all four sides: a ``disc`` keeps
    centres within ``size / 2 - 0.25``; a ``triangle`` points up, row ``r`` within ``(r + 1) / 2``
    of the middle."""
    if shape not in SHAPES:
        raise ValueError(f"Unknown shape {shape!r}; choose one of {list(SHAPES)}")
    size = check_int(size, "size", minimum=2)
    centres = np.arange(size) + 0.5 - size / 2  # pixel centres relative to the middle
    if shape == "square":
        return np.ones((size, size), dtype=bool)
    if shape == "disc":
        return centres[:, None] ** 2 + centres[None, :] ** 2 <= (size / 2 - 0.25) ** 2
    rows = np.arange(size)[:, None]
    return np.abs(centres)[None, :] <= (rows + 1) / 2


def _texture(rng: np.random.Generator, size: int, waves: int = 6) -> np.ndarray:
    """``float (size, size, 3)`` in about ``70..180``: ``waves`` random plane waves per channel (at
    most 3 cycles per image) plus a faint grain."""
    grid = 2j * np.pi * np.arange(size) / size
    freq = rng.uniform(-3, 3, size=(2, 3, waves))
    phase = np.exp(1j * rng.uniform(0, 2 * np.pi, size=(3, waves)))
    rows = np.exp(freq[0][None] * grid[:, None, None]) * phase  # (size, 3, waves)
    cols = np.exp(freq[1][None] * grid[:, None, None])  # (size, 3, waves)
    smooth = np.einsum("ycw,xcw->yxc", rows, cols).real  # the sum of the waves, (size, size, 3)
    smooth /= np.abs(smooth).max() + 1e-12
    return 125 + 55 * smooth + rng.normal(scale=6.0, size=(size, size, 3))


def _colour(rng: np.random.Generator) -> np.ndarray:
    """A saturated colour, each channel dark (0..40) or bright (215..255), never mid-grey."""
    bright = rng.integers(0, 2, size=3).astype(bool)
    return np.where(bright, rng.uniform(215, 255, 3), rng.uniform(0, 40, 3))


def _place(rng: np.random.Generator, free: np.ndarray, footprint: np.ndarray) -> tuple[int, int] | None:
    """A top-left corner where ``footprint`` plus a 1-pixel margin lies on free pixels."""
    size, n = footprint.shape[0], free.shape[0]
    for _ in range(_MAX_TRIES):
        top, left = int(rng.integers(0, n - size + 1)), int(rng.integers(0, n - size + 1))
        window = free[max(top - 1, 0):top + size + 1, max(left - 1, 0):left + size + 1]
        if window.all():
            return top, left
    return None


def _scene(rng: np.random.Generator, size: int, objects: tuple[int, int], sizes: tuple[int, int],
           classes: tuple[str, ...], background: str):
    image = _texture(rng, size) if background == "texture" else np.full((size, size, 3), 125.0)
    mask = np.zeros((size, size), dtype=np.uint8)
    boxes, labels = [], []
    for _ in range(int(rng.integers(objects[0], objects[1] + 1))):
        label = int(rng.integers(len(classes)))
        footprint = shape_footprint(classes[label], int(rng.integers(sizes[0], sizes[1] + 1)))
        corner = _place(rng, mask == 0, footprint)
        if corner is None:
            continue
        top, left = corner
        region = (slice(top, top + footprint.shape[0]), slice(left, left + footprint.shape[1]))
        image[region][footprint] = _colour(rng)
        mask[region][footprint] = label + 1
        rows, cols = np.nonzero(footprint)
        boxes.append([left + cols.min(), top + rows.min(), left + cols.max() + 1, top + rows.max() + 1])
        labels.append(label)
    pixels = np.clip(np.rint(image), 0, 255).astype(np.uint8)
    return pixels, mask, np.array(boxes, dtype=np.float64).reshape(-1, 4), np.array(labels, dtype=np.int64)


def _check_range(value: object, name: str, minimum: int) -> tuple[int, int]:
    pair = (value, value) if isinstance(value, (int, np.integer)) else value
    if (not isinstance(pair, Sequence) or len(pair) != 2
            or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in pair)
            or not minimum <= pair[0] <= pair[1]):
        raise ValueError(f"{name} must be an int or a pair (low, high) of ints with "
                         f"{minimum} <= low <= high; got {value!r}")
    return int(pair[0]), int(pair[1])


def make_scenes(num: int, image_size: int = 64, objects: int | Sequence[int] = (1, 3),
                sizes: int | Sequence[int] = (8, 20), classes: Sequence[str] = SHAPES,
                background: str = "texture", seed: int = 0) -> Scenes:
    """``num`` scenes of ``image_size x image_size`` pixels, each with ``objects`` shapes (an int
    or a range ``(low, high)``) of ``sizes`` pixels out of ``classes``; scene ``i`` depends only on
    ``(seed, i)``. A shape that finds no free place is left out."""
    num, size = check_int(num, "num", minimum=0), check_int(image_size, "image_size", minimum=4)
    lo_hi, side = _check_range(objects, "objects", 0), _check_range(sizes, "sizes", 2)
    if side[1] > size:
        raise ValueError(f"sizes {side} do not fit in image_size {size}: make the shapes smaller")
    classes = tuple(classes)
    if not classes or any(c not in SHAPES for c in classes) or len(set(classes)) != len(classes):
        raise ValueError(f"classes must be distinct names out of {list(SHAPES)}; got {list(classes)}")
    if background not in BACKGROUNDS:
        raise ValueError(f"Unknown background {background!r}; choose one of {list(BACKGROUNDS)}")
    seed = check_int(seed, "seed", minimum=0)
    parts = [_scene(np.random.default_rng([seed, i]), size, lo_hi, side, classes, background) for i in range(num)]
    images = np.array([p[0] for p in parts], dtype=np.uint8).reshape(num, size, size, 3)
    masks = np.array([p[1] for p in parts], dtype=np.uint8).reshape(num, size, size)
    return Scenes(images, masks, [p[2] for p in parts], [p[3] for p in parts], classes)
