"""Images on screen: display normalisation and image grids.

Images are ``(H, W)``, ``(H, W, 1|3)`` or batches ``(B, H, W, C)``; ``uint8`` means ``0..255``,
floats ``[0, 1]`` (a resizer's output is unbounded). Plotting functions return the ``Figure``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

DISPLAY_MODES = ("clip", "minmax", "percentile")

__all__ = ["DISPLAY_MODES", "clipping_warnings", "show_images", "to_display", "to_float"]


def _as_numpy(x: Any) -> np.ndarray:
    """A NumPy array from NumPy, TF, JAX or torch (CPU or GPU) tensors."""
    return np.asarray(x.detach().cpu() if hasattr(x, "detach") else x)  # torch: detach first


def to_float(image: Any) -> np.ndarray:
    """Any image or batch as ``float32``, same shape: ``uint16`` divided by 65535, every other
    integer type (``uint8``, and ``int64`` from ``np.array([[0, 255]])``) by 255; booleans to
    ``{0, 1}``; floats unchanged."""
    arr = _as_numpy(image)
    if arr.dtype == bool:
        return arr.astype(np.float32)
    if np.issubdtype(arr.dtype, np.integer):
        return arr.astype(np.float32) / (65535.0 if arr.dtype == np.uint16 else 255.0)
    if not np.issubdtype(arr.dtype, np.floating):
        raise ValueError(f"expected a numeric image; got dtype {arr.dtype}")
    return arr.astype(np.float32)


def check_image_rank(arr: np.ndarray) -> bool:
    """True for a batch ``(B, H, W, C)``; False for one image; ValueError otherwise."""
    if arr.ndim == 2 or (arr.ndim in (3, 4) and arr.shape[-1] in (1, 3, 4)):
        return arr.ndim == 4
    raise ValueError(f"expected an image (H, W), (H, W, C) or a batch (B, H, W, C) with C in 1, 3, 4; got "
                     f"shape {arr.shape}. For a batch of grey images add a channel axis (x[..., None]); "
                     f"for feature maps pick channels (x[..., :3] or x[..., k])")


def to_display(image: Any, mode: str = "clip", percentiles: tuple[float, float] = (1.0, 99.0)) -> np.ndarray:
    """An image (or batch) as ``float32`` in ``[0, 1]`` for ``imshow``, per image, all channels
    together: ``"clip"`` to ``[0, 1]``, ``"minmax"`` stretches (a constant image becomes 0),
    ``"percentile"`` stretches ``percentiles`` and clips. Integers are scaled first
    (``to_float``); NaN and inf become finite. ``(H, W, 1)`` -> ``(H, W)``; batches likewise."""
    if mode not in DISPLAY_MODES:
        raise ValueError(f"Unknown display mode {mode!r}; choose one of {list(DISPLAY_MODES)}")
    if not 0.0 <= percentiles[0] < percentiles[1] <= 100.0:
        raise ValueError(f"percentiles must satisfy 0 <= low < high <= 100; got {percentiles!r}")
    arr = to_float(image)
    batched = check_image_rank(arr)
    finite = np.isfinite(arr)
    if not finite.all():
        arr = np.where(finite, arr, float(np.median(arr[finite])) if finite.any() else 0.0).astype(np.float32)
    if mode == "clip":
        out = np.clip(arr, 0.0, 1.0)
    else:
        axes = tuple(range(1, arr.ndim)) if batched else None
        if mode == "minmax":
            lo, hi = arr.min(axis=axes, keepdims=True), arr.max(axis=axes, keepdims=True)
        else:
            lo, hi = (np.percentile(arr, p, axis=axes, keepdims=True) for p in percentiles)
        out = np.where(hi > lo, np.clip((arr - lo) / np.where(hi > lo, hi - lo, 1.0), 0.0, 1.0), 0.0)
    if arr.ndim == (4 if batched else 3) and out.shape[-1] == 1:
        out = out[..., 0]
    return out.astype(np.float32)


@contextmanager
def clipping_warnings() -> Iterator[list[str]]:
    """``with clipping_warnings() as caught:`` fills ``caught`` with matplotlib's "Clipping input
    data ..." warnings logged in the block (a raw ``imshow`` of a resizer output; never
    ``to_display``)."""
    caught: list[str] = []
    handler = logging.Handler(level=logging.WARNING)
    handler.addFilter(lambda record: "Clipping input data" in record.getMessage())
    handler.emit = lambda record: caught.append(record.getMessage())
    logger = logging.getLogger("matplotlib.image")
    logger.addHandler(handler)
    try:
        yield caught
    finally:
        logger.removeHandler(handler)


def image_list(images: Any) -> list[np.ndarray]:
    """A list of images from a list of any sizes or a batch ``(B, H, W, C)``; ValueError if empty."""
    if isinstance(images, (list, tuple)):
        items = [_as_numpy(img) for img in images]
    else:
        arr = _as_numpy(images)
        items = list(arr) if arr.ndim == 4 else [arr]
    if not items:
        raise ValueError("images is empty; pass at least one image")
    return items


def show_images(images: Any, titles: Sequence[str] | None = None, ncols: int = 4, mode: str = "clip",
                panel_size: float = 2.5, cmap: str = "gray") -> Figure:
    """A grid of images (a list of any sizes, or a batch ``(B, H, W, C)``), each through
    ``to_display(image, mode)``, ``ncols`` panels a row."""
    items = image_list(images)
    if not isinstance(ncols, int) or isinstance(ncols, bool) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer; got {ncols!r}")
    if titles is not None and len(titles) != len(items):
        raise ValueError(f"got {len(titles)} titles for {len(items)} images; pass one per image")
    cols = min(ncols, len(items))
    rows = math.ceil(len(items) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(panel_size * cols, panel_size * rows), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if i < len(items):
            shown = to_display(items[i], mode)
            ax.imshow(shown, cmap=cmap if shown.ndim == 2 else None, vmin=0.0, vmax=1.0)
            ax.set_title("" if titles is None else str(titles[i]), fontsize=9)
    fig.tight_layout()
    return fig
