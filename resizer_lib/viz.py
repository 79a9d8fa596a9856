"""Figures shared by every notebook: display normalisation, image grids, learning curves,
tables, spectra, and the resize comparison behind the widget (``resizer_lib.widgets``).

Conventions: images are NumPy-like ``(H, W)``, ``(H, W, 1)`` or ``(H, W, 3)``, or batches
``(B, H, W, C)``; ``uint8`` means ``0..255``, floats mean ``[0, 1]`` (the resizer's input range;
its output is unbounded). Every plotting function returns the matplotlib ``Figure`` (made with
pyplot, so a notebook shows it at the end of the cell; ``plt.close(fig)`` to drop it) and never
calls ``plt.show()``. Keras backend-agnostic: TensorFlow is imported only for the two
TensorFlow-only interpolations, and only when the backend is TensorFlow.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import keras
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ._checks import TF_IMAGE_ONLY_MODES, check_size
from .resizer import LearnableResizer, supported_interpolations

__all__ = [
    "DISPLAY_MODES",
    "TF_ONLY_INTERPOLATIONS",
    "aggregate_curves",
    "available_interpolations",
    "channel_statistics",
    "clipping_warnings",
    "compare_resizers",
    "magnitude_spectrum",
    "markdown_table",
    "model_target_size",
    "plot_comparison",
    "plot_history",
    "plot_spectra",
    "plot_spectral_gain",
    "radial_profile",
    "resize_image",
    "save_figure",
    "show_images",
    "show_table",
    "spectral_gain",
    "to_display",
    "to_float",
]

DISPLAY_MODES = ("clip", "minmax", "percentile")
TF_ONLY_INTERPOLATIONS = TF_IMAGE_ONLY_MODES  # tf.image.resize only
_OTHER_FORMATS = (".jpg", ".jpeg", ".svg", ".pdf", ".eps", ".tif", ".tiff", ".webp", ".gif")
_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)  # ITU-R BT.601, as Pillow's "L"


# -- arrays and display normalisation ---------------------------------------------------------
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


def _check_image_rank(arr: np.ndarray) -> bool:
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
    """Map an image (or batch) to ``float32`` in ``[0, 1]`` for ``imshow``.

    ``uint8``/integer inputs are first scaled to ``[0, 1]`` (see ``to_float``); NaN and inf
    become finite. Then, per image (all channels together, so colours keep their balance):

    * ``"clip"``: clip to ``[0, 1]`` (an honest view of a resizer output in the input range);
    * ``"minmax"``: stretch ``[min, max]`` to ``[0, 1]`` (a constant image becomes 0);
    * ``"percentile"``: stretch the ``percentiles`` (default 1st..99th) and clip, robust to
      a few extreme pixels.

    Shapes: ``(H, W)`` and ``(H, W, 1)`` -> ``(H, W)``; ``(H, W, 3|4)`` unchanged; batches
    ``(B, H, W, C)`` -> ``(B, H, W)`` or ``(B, H, W, C)``.
    """
    if mode not in DISPLAY_MODES:
        raise ValueError(f"Unknown display mode {mode!r}; choose one of {list(DISPLAY_MODES)}")
    lo_p, hi_p = percentiles
    if not 0.0 <= lo_p < hi_p <= 100.0:
        raise ValueError(f"percentiles must satisfy 0 <= low < high <= 100; got {percentiles!r}")
    arr = to_float(image)
    batched = _check_image_rank(arr)
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
    """Collect matplotlib's "Clipping input data to the valid range for imshow" warnings.

    ``with clipping_warnings() as caught: ...`` yields a list that fills with the messages
    logged inside the block (they are still shown as usual). Figures that go through
    ``to_display`` never trigger it; a raw ``imshow`` of a resizer output (unbounded) does.
    """
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


# -- image grids --------------------------------------------------------------------------------
def _image_list(images: Any) -> list[np.ndarray]:
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
    """A grid of images (a list of arrays of any sizes, or a batch ``(B, H, W, C)``).

    Each image goes through ``to_display(image, mode)``; grey images use ``cmap``. Returns the
    Figure (``ceil(n / ncols)`` rows of ``min(n, ncols)`` panels, ``panel_size`` inches each).
    """
    items = _image_list(images)
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


# -- learning curves ---------------------------------------------------------------------------
def _runs_of(arm: str, value: Any) -> list[dict]:
    """``history`` | ``[history, ...]`` | keras ``History`` -> list of history dicts."""
    runs = value if isinstance(value, (list, tuple)) else [value]
    runs = [getattr(run, "history", run) for run in runs]  # keras.callbacks.History
    if not runs or not all(isinstance(run, Mapping) for run in runs):
        raise ValueError(
            f"histories[{arm!r}] must be a history dict {{'loss': [...], ...}} or a non-empty "
            f"list of them (one per seed); got {type(value).__name__}"
        )
    return list(runs)


def aggregate_curves(
    curves: Sequence[Sequence[float]], band: str = "minmax"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-epoch ``(mean, low, high)`` over seeds; curves of different lengths (early stopping)
    are padded with NaN and ignored there. ``band``: ``"minmax"`` or ``"std"`` (mean +- std)."""
    if band not in ("minmax", "std"):
        raise ValueError(f"band must be 'minmax' or 'std'; got {band!r}")
    if not curves or max(len(c) for c in curves) == 0:
        raise ValueError("no values to aggregate: every curve is empty")
    table = np.full((len(curves), max(len(c) for c in curves)), np.nan)
    for i, curve in enumerate(curves):
        table[i, : len(curve)] = np.asarray(curve, dtype=float)
    mean = np.nanmean(table, axis=0)
    if band == "minmax":
        return mean, np.nanmin(table, axis=0), np.nanmax(table, axis=0)
    std = np.nanstd(table, axis=0)
    return mean, mean - std, mean + std


def plot_history(
    histories: Mapping[str, Any],
    metrics: Sequence[str] = ("loss", "accuracy"),
    band: str = "minmax",
    panel_size: tuple[float, float] = (5.0, 3.5),
    title: str | None = None,
) -> Figure:
    """Learning curves per arm: one panel per metric, train solid, validation (``val_<metric>``)
    dashed, one colour per arm. With several seeds per arm: the mean line and a shaded band
    (``"minmax"`` or ``"std"``).

    Args:
        histories: ``{arm: history}`` or ``{arm: [history_seed0, history_seed1, ...]}`` where a
            history is ``{"loss": [...], "val_loss": [...], ...}`` (per epoch) or a keras
            ``History``.
        metrics: metric names without the ``val_`` prefix.
    """
    if not isinstance(histories, Mapping) or not histories:
        raise ValueError("histories must be a non-empty dict {arm: history or [histories]}")
    runs = {arm: _runs_of(arm, value) for arm, value in histories.items()}
    keys = sorted({key for arm_runs in runs.values() for run in arm_runs for key in run})
    for metric in metrics:
        if not any(metric in run or f"val_{metric}" in run for r in runs.values() for run in r):
            raise ValueError(f"metric {metric!r} is in no history; available keys: {keys}")
    fig, axes = plt.subplots(
        1, len(metrics), figsize=(panel_size[0] * len(metrics), panel_size[1]), squeeze=False
    )
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, metric in zip(axes[0], metrics, strict=True):
        for i, (arm, arm_runs) in enumerate(runs.items()):
            colour = colours[i % len(colours)]
            for key, style, suffix in ((metric, "-", "train"), (f"val_{metric}", "--", "val")):
                curves = [run[key] for run in arm_runs if key in run and len(run[key])]
                if curves:
                    _plot_band(ax, curves, band, colour, style, f"{arm} ({suffix})")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def _plot_band(ax, curves, band, colour, style, label) -> None:
    mean, low, high = aggregate_curves(curves, band)
    epochs = np.arange(1, len(mean) + 1)
    ax.plot(epochs, mean, style, color=colour, label=label)
    if len(curves) > 1:
        ax.fill_between(epochs, low, high, color=colour, alpha=0.15, linewidth=0)


# -- tables ------------------------------------------------------------------------------------
def _cell(value: Any, floatfmt: str) -> str:
    if isinstance(value, (float, np.floating)):
        text = format(float(value), floatfmt)
    else:
        text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None, floatfmt: str = ".4g"
) -> str:
    """A markdown table of ``rows`` (dicts); ``columns`` default to the keys in first-seen
    order; missing cells are blank; floats use ``floatfmt``."""
    if isinstance(rows, Mapping) or not isinstance(rows, Sequence) or not rows:
        raise ValueError(f"rows must be a non-empty list of dicts; got {type(rows).__name__}")
    bad = [i for i, row in enumerate(rows) if not isinstance(row, Mapping)]
    if bad:
        raise ValueError(f"rows must all be dicts; row {bad[0]} is {type(rows[bad[0]]).__name__}")
    if columns is None:
        columns = list(dict.fromkeys(key for row in rows for key in row))
    lines = [
        "| " + " | ".join(_cell(c, floatfmt) for c in columns) + " |",
        "|" + "|".join(" --- " for _ in columns) + "|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(_cell(row.get(c), floatfmt) for c in columns) + " |")
    return "\n".join(lines)


def show_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str] | None = None,
    floatfmt: str = ".4g",
    show: bool = True,
) -> str:
    """Render ``rows`` (a list of dicts) as a table: in IPython/Jupyter it is displayed as
    Markdown (when ``show``); elsewhere nothing is printed. Returns the markdown string (end the
    notebook line with ``;`` or assign it, or Jupyter also echoes the string)."""
    text = markdown_table(rows, columns, floatfmt)
    if show:
        try:
            from IPython import get_ipython
            from IPython.display import Markdown, display
        except ImportError:  # pragma: no cover - IPython is a dependency of ipywidgets
            return text
        if get_ipython() is not None:
            display(Markdown(text))
    return text


# -- spectra -----------------------------------------------------------------------------------
def _luminance(image: Any) -> np.ndarray:
    """``(H, W)`` float luminance of one image (RGB weighted, grey as is)."""
    arr = to_float(image)
    if arr.ndim == 3 and arr.shape[-1] in (1, 3, 4):
        arr = arr[..., 0] if arr.shape[-1] == 1 else arr[..., :3] @ _LUMA
    if arr.ndim != 2:
        raise ValueError(f"expected one image (H, W) or (H, W, C); got shape {arr.shape}")
    return np.nan_to_num(arr.astype(np.float64))


def magnitude_spectrum(
    image: Any, remove_mean: bool = True, window: bool = False, floor: float = 1e-3
) -> np.ndarray:
    """``log(|F| + floor)`` of the centred 2-D FFT of the luminance: ``(H, W)`` float32.

    The zero frequency is at ``(H // 2, W // 2)``; a pattern of ``k`` cycles across the width
    peaks at ``(H // 2, W // 2 +- k)``. The FFT is orthonormal (``|F|`` scaled by
    ``1 / sqrt(H W)``) so images of different sizes compare; for a ``[0, 1]`` image values run
    from ``log(floor)`` (about -6.9) to a few units. ``remove_mean`` hides the DC spike;
    ``window`` applies a Hann window, which removes the cross that the image borders add.
    """
    if not floor > 0:
        raise ValueError(f"floor must be > 0 (it keeps log finite); got {floor!r}")
    lum = _luminance(image)
    if remove_mean:
        lum = lum - lum.mean()
    if window:
        lum = lum * np.outer(np.hanning(lum.shape[0]), np.hanning(lum.shape[1]))
    spectrum = np.fft.fftshift(np.fft.fft2(lum, norm="ortho"))
    return np.log(np.abs(spectrum) + floor).astype(np.float32)


def _show_spectrum(ax, spectrum: np.ndarray) -> Any:
    """imshow a spectrum with robust limits (the 1st..99.9th percentiles)."""
    low, high = np.percentile(spectrum, (1.0, 99.9))
    return ax.imshow(spectrum, cmap="magma", vmin=low, vmax=max(high, low + 1e-6))


def radial_profile(spectrum: np.ndarray, num_bins: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Mean of a centred spectrum ``(H, W)`` per ring of radial frequency.

    Returns ``(frequencies, profile)``, both ``(num_bins,)``: bin centres in cycles per pixel
    (``0 .. 0.5``, the Nyquist limit; the corners beyond it are left out) and the mean value
    in each ring (NaN where a ring holds no frequency). Default ``num_bins = min(H, W) // 2``.
    """
    spec = np.asarray(spectrum, dtype=np.float64)
    if spec.ndim != 2:
        raise ValueError(f"spectrum must be 2-D (H, W); got shape {spec.shape}")
    h, w = spec.shape
    bins = max(min(h, w) // 2, 1) if num_bins is None else num_bins
    if not isinstance(bins, int) or bins < 1:
        raise ValueError(f"num_bins must be a positive integer or None; got {num_bins!r}")
    fy = (np.arange(h) - h // 2) / h
    fx = (np.arange(w) - w // 2) / w
    radius = np.hypot(fy[:, None], fx[None, :])
    edges = np.linspace(0.0, 0.5, bins + 1)
    index = np.digitize(radius, edges[1:-1])  # 0 .. bins-1 inside Nyquist
    inside = radius <= 0.5
    sums = np.bincount(index[inside], weights=spec[inside], minlength=bins)
    counts = np.bincount(index[inside], minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        profile = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return (edges[:-1] + edges[1:]) / 2, profile


def plot_spectra(
    images: Mapping[str, Any] | Sequence[Any],
    titles: Sequence[str] | None = None,
    window: bool = True,
    num_bins: int | None = None,
    panel_size: float = 2.8,
) -> Figure:
    """Top row: the magnitude spectrum of each image; bottom: their radial profiles overlaid
    (frequency in cycles per pixel of each image). ``images``: ``{title: image}`` or a list."""
    if isinstance(images, Mapping):
        titles, items = list(images), list(images.values())
    else:
        items = _image_list(images)
        titles = list(titles) if titles is not None else [f"image {i}" for i in range(len(items))]
    if not items or len(titles) != len(items):
        raise ValueError(f"need one title per image; got {len(titles)} titles, {len(items)} images")
    n = len(items)
    fig = plt.figure(figsize=(panel_size * max(n, 2), panel_size * 2.1))
    grid = fig.add_gridspec(2, n, height_ratios=(1, 0.9))
    profile_ax = fig.add_subplot(grid[1, :])
    for i, (title, image) in enumerate(zip(titles, items, strict=True)):
        spectrum = magnitude_spectrum(image, window=window)
        ax = fig.add_subplot(grid[0, i])
        _show_spectrum(ax, spectrum)
        ax.set_title(f"{title}\n{spectrum.shape[0]}x{spectrum.shape[1]}", fontsize=9)
        ax.set_axis_off()
        freqs, profile = radial_profile(spectrum, num_bins)
        profile_ax.plot(freqs, profile, label=title)
    profile_ax.set_xlabel("radial frequency (cycles / pixel)")
    profile_ax.set_ylabel("mean log |F|")
    profile_ax.grid(alpha=0.3)
    profile_ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def _pairs(images: Any, reference: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    """Matching ``(image, reference)`` pairs from two images or two batches of one shape."""
    a, b = to_float(images), to_float(reference)
    if a.shape != b.shape:
        raise ValueError(
            f"image and reference must have the same shape (same size, e.g. a learned and a "
            f"naive resize to one target); got {a.shape} and {b.shape}"
        )
    batched = _check_image_rank(a)
    return list(zip(a, b, strict=True)) if batched else [(a, b)]


def _power_spectrum(image: Any, window: bool) -> np.ndarray:
    """``|F|^2`` of the centred orthonormal FFT of the mean-removed luminance, ``(H, W)``."""
    lum = _luminance(image)
    lum = lum - lum.mean()
    if window:
        lum = lum * np.outer(np.hanning(lum.shape[0]), np.hanning(lum.shape[1]))
    return np.abs(np.fft.fftshift(np.fft.fft2(lum, norm="ortho"))) ** 2


def spectral_gain(
    image: Any, reference: Any, num_bins: int | None = None, window: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """How much more (or less) of each spatial frequency ``image`` holds than ``reference``.

    Both are one image ``(h, w[, C])`` or a batch ``(B, h, w, C)`` of the same shape (e.g. a
    learned and a naive resize). Returns ``(frequencies, gain_db)``, both ``(num_bins,)``: the
    radial frequency in cycles per pixel (``0 .. 0.5``) and the ratio of the luminance power in
    each ring, summed over the batch, in dB (``10 log10(P_image / P_reference)``): ``> 0`` where
    ``image`` boosts a frequency, ``0`` where it keeps it, ``< 0`` where it damps it; NaN for
    an empty ring or a ring where the reference has no power.
    """
    power_img, power_ref = 0.0, 0.0
    for img, ref in _pairs(image, reference):
        freqs, p_img = radial_profile(_power_spectrum(img, window), num_bins)
        _, p_ref = radial_profile(_power_spectrum(ref, window), num_bins)
        power_img, power_ref = power_img + p_img, power_ref + p_ref
    with np.errstate(divide="ignore", invalid="ignore"):
        gain = 10.0 * np.log10(power_img / power_ref)
    return freqs, np.where(np.isfinite(gain), gain, np.nan)


def plot_spectral_gain(
    pairs: Mapping[str, tuple[Any, Any]],
    reference_name: str = "naive",
    num_bins: int | None = None,
    figsize: tuple[float, float] = (6.0, 3.4),
) -> Figure:
    """One ``spectral_gain`` curve per entry of ``pairs`` (``{label: (image, reference)}``, each
    an image or a batch, the two of one shape); a zero line marks "kept as is"."""
    if not isinstance(pairs, Mapping) or not pairs:
        raise ValueError("pairs must be a non-empty dict {label: (image, reference)}")
    fig, ax = plt.subplots(figsize=figsize)
    ax.axhline(0.0, color="#555555", lw=0.8)
    for label, pair in pairs.items():
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"pairs[{label!r}] must be a pair (image, reference)")
        freqs, gain = spectral_gain(pair[0], pair[1], num_bins)
        ax.plot(freqs, gain, marker=".", label=str(label))
    ax.set_xlabel("radial frequency (cycles / pixel of the output)")
    ax.set_ylabel(f"gain over {reference_name} (dB)")
    ax.set_xlim(0.0, 0.5)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def channel_statistics(images: Mapping[str, Any], channel_names: str = "RGB") -> list[dict]:
    """Per-channel statistics of each entry of ``images`` (``{label: image or batch}``).

    One row per image and channel: ``image``, ``channel``, ``mean``, ``std``, ``min``, ``max``
    and ``outside [0,1]`` (the fraction of values a ``[0, 1]`` display would clip), over all
    pixels (and every image of a batch). ``uint8`` inputs are scaled to ``[0, 1]`` first, so
    every row is on the same scale. Pass the rows to ``show_table``.
    """
    if not isinstance(images, Mapping) or not images:
        raise ValueError("images must be a non-empty dict {label: image or batch}")
    rows = []
    for label, image in images.items():
        arr = to_float(image)
        _check_image_rank(arr)
        arr = arr[..., None] if arr.ndim == 2 else arr
        for k in range(arr.shape[-1]):
            values = arr[..., k].ravel()
            name = channel_names[k] if k < len(channel_names) else str(k)
            outside = float(np.mean((values < 0.0) | (values > 1.0)))
            rows.append({
                "image": str(label), "channel": name, "mean": float(values.mean()),
                "std": float(values.std()), "min": float(values.min()),
                "max": float(values.max()), "outside [0,1]": outside,
            })
    return rows


# -- resizing ----------------------------------------------------------------------------------
def available_interpolations() -> tuple[str, ...]:
    """Every interpolation ``resize_image`` accepts on the active backend (the widget's list):
    ``supported_interpolations()`` plus ``"gaussian"`` and ``"mitchellcubic"`` on TensorFlow."""
    modes = supported_interpolations()
    if keras.backend.backend() == "tensorflow":
        modes = modes + TF_ONLY_INTERPOLATIONS
    return modes


def _check_mode(interpolation: str) -> None:
    valid = available_interpolations()
    if interpolation in valid:
        return
    hint = ""
    if interpolation in TF_ONLY_INTERPOLATIONS:
        hint = " (it needs KERAS_BACKEND=tensorflow)"
    raise ValueError(
        f"Unknown interpolation {interpolation!r} on the {keras.backend.backend()} backend"
        f"{hint}; choose one of {list(valid)}"
    )


def resize_image(
    image: Any, size: int | Sequence[int], interpolation: str = "bilinear", antialias: bool = False
) -> np.ndarray:
    """Naively resize an image ``(H, W[, C])`` or batch ``(B, H, W, C)`` to ``size = (h, w)``.

    Returns ``float32`` ``(h, w[, C])`` / ``(B, h, w, C)``; ``uint8`` inputs are scaled to
    ``[0, 1]`` first, floats keep their range (bicubic and lanczos may overshoot it).
    ``interpolation`` is any of ``available_interpolations()``; ``antialias`` low-pass filters
    when downsampling (ignored by ``nearest``, and by ``area`` which averages anyway).
    """
    target = check_size(size, "size")
    _check_mode(interpolation)
    arr = to_float(image)
    grey = arr.ndim == 2
    if grey:
        arr = arr[..., None]
    if arr.ndim not in (3, 4):
        raise ValueError(f"expected (H, W), (H, W, C) or (B, H, W, C); got shape {arr.shape}")
    if interpolation in TF_ONLY_INTERPOLATIONS:
        import tensorflow as tf  # only reached on the TensorFlow backend

        out = tf.image.resize(arr, target, method=interpolation, antialias=antialias).numpy()
    else:
        out = keras.ops.convert_to_numpy(
            keras.ops.image.resize(arr, target, interpolation=interpolation, antialias=antialias)
        )
    out = np.asarray(out, dtype=np.float32)
    return out[..., 0] if grey else out


# -- the comparison behind the widget -------------------------------------------------------------
def model_target_size(model: Any) -> tuple[int, int] | None:
    """The ``(h, w)`` a resizer model (or ``LearnableResizer`` layer) outputs, when it is fixed."""
    if isinstance(model, LearnableResizer):
        return model.target_size
    shape = getattr(model, "output_shape", None)
    if isinstance(shape, tuple) and len(shape) == 4 and all(isinstance(v, int) for v in shape[1:3]):
        return int(shape[1]), int(shape[2])
    for layer in getattr(model, "layers", ()):
        if isinstance(layer, LearnableResizer):
            return layer.target_size
    return None


def _model_input_size(model: Any) -> tuple[int, int] | None:
    shape = getattr(model, "input_shape", None)
    if isinstance(shape, tuple) and len(shape) == 4 and all(isinstance(v, int) for v in shape[1:3]):
        return int(shape[1]), int(shape[2])
    return None


def _run_resizer(model: Any, image: np.ndarray) -> np.ndarray:
    """``(H, W, 3)`` float in ``[0, 1]`` -> the model's ``(h, w, 3)`` output (unbounded)."""
    out = keras.ops.convert_to_numpy(model(image[None], training=False))
    if out.ndim != 4 or out.shape[-1] != image.shape[-1]:
        raise ValueError(
            f"resizer_model must map (B, H, W, {image.shape[-1]}) to (B, h, w, "
            f"{image.shape[-1]}); it returned shape {out.shape}. Pass the resizer (e.g. "
            f"build_resizer(...) or classifier.get_layer('resizer')), not the classifier"
        )
    return out[0].astype(np.float32)


def _difference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Signed per-pixel difference ``a - b`` averaged over channels: ``(h, w)``."""
    diff = a - b
    return diff.mean(axis=-1) if diff.ndim == 3 else diff


def compare_resizers(
    image: Any,
    target_size: int | Sequence[int] | None,
    interpolation: str = "bilinear",
    antialias: bool = False,
    resizer_model: Any = None,
    reference: str = "bilinear",
) -> dict[str, Any]:
    """Resize one image naively and (optionally) with a learned resizer, for side-by-side views.

    Args:
        image: ``(H, W)`` or ``(H, W, 3)``, ``uint8`` or float in ``[0, 1]``.
        target_size: ``(h, w)``; ``None`` takes the resizer model's output size.
        interpolation, antialias: the naive resize (see ``available_interpolations()``).
        resizer_model: a resizer ``(B, H, W, 3) -> (B, h, w, 3)``, inputs in ``[0, 1]``. If its
            input size is fixed, the image is first resized to it (bilinear, antialiased).
        reference: without a model, the naive resize is compared with this interpolation
            (no antialias): the difference is zero when both resizes are identical.

    Returns a dict of arrays (float32): ``"input"`` ``(H, W, 3)``, ``"naive"`` ``(h, w, 3)``,
    ``"learned"`` (with a model) or ``"reference"`` (without), ``"difference"`` ``(h, w)``
    (``learned - naive``, or ``naive - reference``, channel mean), ``"spectrum"`` ``(h, w)``
    (``magnitude_spectrum`` of the learned output, else of the naive one), and ``"meta"``.
    """
    source = to_float(image)
    if source.ndim == 2:
        source = np.repeat(source[..., None], 3, axis=-1)
    if source.ndim != 3:
        raise ValueError(f"compare_resizers takes one image (H, W[, C]); got shape {source.shape}")
    meta: dict[str, Any] = {"interpolation": interpolation, "antialias": bool(antialias)}
    learned = None
    if resizer_model is not None:
        fixed_input = _model_input_size(resizer_model)
        if fixed_input is not None and fixed_input != source.shape[:2]:
            source = resize_image(source, fixed_input, "bilinear", antialias=True)
            meta["input_resized_to"] = fixed_input
        learned = _run_resizer(resizer_model, source)
        if target_size is not None and check_size(target_size, "target_size") != learned.shape[:2]:
            raise ValueError(
                f"target_size={target_size!r} differs from the resizer model's output size "
                f"{learned.shape[:2]}; pass target_size=None or {learned.shape[:2]}"
            )
        target = learned.shape[:2]
    elif target_size is None:
        raise ValueError("target_size=None needs a resizer_model; pass target_size=(h, w)")
    else:
        target = check_size(target_size, "target_size")
    naive = resize_image(source, target, interpolation, antialias)
    result: dict[str, Any] = {"input": source, "naive": naive}
    if learned is not None:
        result["learned"] = learned
        result["difference"] = _difference(learned, naive)
        meta["compared"] = ("learned", "naive")
    else:
        result["reference"] = resize_image(source, target, reference, antialias=False)
        result["difference"] = _difference(naive, result["reference"])
        meta["compared"] = ("naive", f"reference ({reference})")
    result["spectrum"] = magnitude_spectrum(learned if learned is not None else naive)
    meta["target_size"] = tuple(int(v) for v in target)
    result["meta"] = meta
    return result


def plot_comparison(
    result: Mapping[str, Any], mode: str = "clip", figsize: tuple[float, float] = (15.0, 3.4)
) -> Figure:
    """Five fixed panels from ``compare_resizers``: input | naive | learned (or reference) |
    difference (diverging colormap, symmetric limits) | spectrum of the output."""
    meta = result["meta"]
    third = "learned" if "learned" in result else "reference"
    aa = " + antialias" if meta["antialias"] else ""
    h, w = meta["target_size"]
    panels = [
        ("input", f"input {result['input'].shape[0]}x{result['input'].shape[1]}"),
        ("naive", f"naive {meta['interpolation']}{aa} {h}x{w}"),
        (third, "learned resizer" if third == "learned" else meta["compared"][1]),
    ]
    fig, axes = plt.subplots(1, 5, figsize=figsize)
    for ax, (key, title) in zip(axes[:3], panels, strict=True):
        ax.imshow(to_display(result[key], mode), vmin=0.0, vmax=1.0, interpolation="nearest")
        ax.set_title(title, fontsize=9)
    diff = result["difference"]
    limit = max(float(np.abs(diff).max()), 1e-6)
    shown = axes[3].imshow(diff, cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
    axes[3].set_title(f"{meta['compared'][0]} - {meta['compared'][1].split(' ')[0]}", fontsize=9)
    fig.colorbar(shown, ax=axes[3], fraction=0.046, pad=0.04)
    _show_spectrum(axes[4], result["spectrum"])
    axes[4].set_title(f"spectrum of {meta['compared'][0]}", fontsize=9)
    for ax in axes:
        ax.set_axis_off()
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.88, wspace=0.3)  # fixed: no jumps
    return fig


# -- saving ------------------------------------------------------------------------------------
def save_figure(
    fig: Figure, name: str, folder: str | Path = "figures", dpi: int = 150, tight: bool = True
) -> Path:
    """Write ``fig`` to ``folder/name.png`` (folder created) and return the path.

    ``name`` is a file name without folders (``".png"`` optional). Never save figures of the
    cats-and-dogs photos into the repository (their licence forbids republishing).
    """
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
