"""Images on screen and on disk: display normalisation, image grids, saving figures.

Images are ``(H, W)``, ``(H, W, 1|3)`` or batches ``(B, H, W, C)``; ``uint8`` means ``0..255``,
floats ``[0, 1]`` (a resizer's output is unbounded). Plotting functions return the ``Figure``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

DISPLAY_MODES = ("clip", "minmax", "percentile")
_OTHER_FORMATS = (".jpg", ".jpeg", ".svg", ".pdf", ".eps", ".tif", ".tiff", ".webp", ".gif")


__all__ = ["DISPLAY_MODES", "clipping_warnings", "save_figure", "show_images", "to_display",
           "to_float"]

def _as_numpy(x: Any) -> np.ndarray:
    """A NumPy array from NumPy, TF, JAX or torch (CPU or GPU) tensors."""
    if hasattr(x, "detach"):  # torch
        x = x.detach().cpu()
    return np.asarray(x)


def to_float(image: Any) -> np.ndarray:
    """Any image or batch as ``float32``: ``uint16`` divided by 65535, every other integer type
    (``uint8``, and ``int64`` from ``np.array([[0, 255]])``) by 255; booleans to ``{0, 1}``;
    floats unchanged. Same shape."""
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
    if arr.ndim == 2 or (arr.ndim == 3 and arr.shape[-1] in (1, 3, 4)):
        return False
    if arr.ndim == 4 and arr.shape[-1] in (1, 3, 4):
        return True
    raise ValueError(
        f"expected an image (H, W), (H, W, C) or a batch (B, H, W, C) with C in 1, 3, 4; got "
        f"shape {arr.shape}. For a batch of grey images add a channel axis (x[..., None]); "
        f"for feature maps pick channels (x[..., :3] or x[..., k])"
    )


def to_display(
    image: Any, mode: str = "clip", percentiles: tuple[float, float] = (1.0, 99.0)
) -> np.ndarray:
    """An image (or batch) as ``float32`` in ``[0, 1]`` for ``imshow``, per image, all channels
    together: ``"clip"`` to ``[0, 1]``, ``"minmax"`` stretches (a constant image becomes 0),
    ``"percentile"`` stretches ``percentiles`` and clips. Integers are scaled first
    (``to_float``); NaN and inf become finite. ``(H, W, 1)`` -> ``(H, W)``; batches likewise.
    """
    if mode not in DISPLAY_MODES:
        raise ValueError(f"Unknown display mode {mode!r}; choose one of {list(DISPLAY_MODES)}")
    lo_p, hi_p = percentiles
    if not 0.0 <= lo_p < hi_p <= 100.0:
        raise ValueError(f"percentiles must satisfy 0 <= low < high <= 100; got {percentiles!r}")
    arr = to_float(image)
    batched = check_image_rank(arr)
    finite = np.isfinite(arr)
    if not finite.all():
        fill = float(np.median(arr[finite])) if finite.any() else 0.0
        arr = np.where(finite, arr, fill).astype(np.float32)
    if mode == "clip":
        out = np.clip(arr, 0.0, 1.0)
    else:
        axes = tuple(range(1, arr.ndim)) if batched else None
        if mode == "minmax":
            lo, hi = arr.min(axis=axes, keepdims=True), arr.max(axis=axes, keepdims=True)
        else:
            lo = np.percentile(arr, lo_p, axis=axes, keepdims=True)
            hi = np.percentile(arr, hi_p, axis=axes, keepdims=True)
        scale = np.where(hi > lo, hi - lo, 1.0)
        out = np.clip((arr - lo) / scale, 0.0, 1.0)
        out = np.where(hi > lo, out, 0.0)
    has_channels = arr.ndim == (4 if batched else 3)
    if has_channels and out.shape[-1] == 1:
        out = out[..., 0]
    return out.astype(np.float32)


@contextmanager
def clipping_warnings() -> Iterator[list[str]]:
    """``with clipping_warnings() as caught:`` fills ``caught`` with matplotlib's "Clipping input
    data ..." warnings logged in the block (a raw ``imshow`` of a resizer output; never
    ``to_display``)."""
    caught: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "Clipping input data" in record.getMessage():
                caught.append(record.getMessage())

    handler = _Collect(level=logging.WARNING)
    logger = logging.getLogger("matplotlib.image")
    logger.addHandler(handler)
    try:
        yield caught
    finally:
        logger.removeHandler(handler)


def image_list(images: Any) -> list[np.ndarray]:
    if isinstance(images, (list, tuple)):
        items = [_as_numpy(img) for img in images]
    else:
        arr = _as_numpy(images)
        items = list(arr) if arr.ndim == 4 else [arr]
    if not items:
        raise ValueError("images is empty; pass at least one image")
    return items


def show_images(
    images: Any,
    titles: Sequence[str] | None = None,
    ncols: int = 4,
    mode: str = "clip",
    panel_size: float = 2.5,
    cmap: str = "gray",
    suptitle: str | None = None,
) -> Figure:
    """A grid of images (a list of any sizes, or a batch ``(B, H, W, C)``), each through
    ``to_display(image, mode)``, ``ncols`` panels a row."""
    items = image_list(images)
    if not isinstance(ncols, int) or isinstance(ncols, bool) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer; got {ncols!r}")
    if titles is not None and len(titles) != len(items):
        raise ValueError(f"got {len(titles)} titles for {len(items)} images; pass one per image")
    cols = min(ncols, len(items))
    rows = math.ceil(len(items) / cols)
    fig, axes = plt.subplots(
        rows, cols, figsize=(panel_size * cols, panel_size * rows), squeeze=False
    )
    for i, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if i >= len(items):
            continue
        shown = to_display(items[i], mode)
        ax.imshow(shown, cmap=cmap if shown.ndim == 2 else None, vmin=0.0, vmax=1.0)
        if titles is not None:
            ax.set_title(str(titles[i]), fontsize=9)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def save_figure(
    fig: Figure, name: str, folder: str | Path = "figures", dpi: int = 150, tight: bool = True
) -> Path:
    """Write ``fig`` to ``folder/name.png`` and return the path (``name``: no folders). Never
    save figures of the cats-and-dogs photos into the repository (their licence forbids it)."""
    if not isinstance(fig, Figure):
        raise ValueError(f"fig must be a matplotlib Figure; got {type(fig).__name__}")
    stem = str(name)
    if stem.lower().endswith(".png"):
        stem = stem[:-4]
    if not stem or "/" in stem or "\\" in stem or Path(stem).suffix.lower() in _OTHER_FORMATS:
        raise ValueError(
            f"name must be a plain file name such as 'resizer_outputs' (PNG is added); got "
            f"{name!r}. Put folders in folder=..."
        )
    path = Path(folder) / f"{stem}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi, bbox_inches="tight" if tight else None, format="png")
    return path
