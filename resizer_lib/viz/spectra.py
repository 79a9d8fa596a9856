"""Spectra of an image's luminance: 2-D Fourier magnitude, ring averages, and the gain of one image
over another in dB, all from one FFT step (``centred_fft``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from resizer_lib.viz.display import check_image_rank, image_list, to_float

_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)  # ITU-R BT.601, as Pillow's "L"

__all__ = ["centred_fft", "channel_statistics", "magnitude_spectrum", "plot_spectra",
           "plot_spectral_gain", "radial_profile", "spectral_gain"]


def centred_fft(image: Any, remove_mean: bool = True, window: bool = False) -> np.ndarray:
    """The centred orthonormal 2-D FFT of one image's luminance (RGB weighted, grey as is):
    complex ``(H, W)``. ``remove_mean`` hides the DC spike; ``window`` (Hann) removes the cross
    the image borders add."""
    lum = to_float(image)
    if lum.ndim == 3 and lum.shape[-1] in (1, 3, 4):
        lum = lum[..., 0] if lum.shape[-1] == 1 else lum[..., :3] @ _LUMA
    if lum.ndim != 2:
        raise ValueError(f"expected one image (H, W) or (H, W, C); got shape {lum.shape}")
    lum = np.nan_to_num(lum.astype(np.float64))
    lum = lum - lum.mean() if remove_mean else lum
    if window:
        lum = lum * np.outer(np.hanning(lum.shape[0]), np.hanning(lum.shape[1]))
    return np.fft.fftshift(np.fft.fft2(lum, norm="ortho"))


def magnitude_spectrum(image: Any, remove_mean: bool = True, window: bool = False,
                       floor: float = 1e-3) -> np.ndarray:
    """``log(|F| + floor)`` of ``centred_fft``: ``(H, W)`` float32, zero frequency at
    ``(H // 2, W // 2)``; ``k`` cycles across the width peak at ``(H // 2, W // 2 +- k)``."""
    if not floor > 0:
        raise ValueError(f"floor must be > 0 (it keeps log finite); got {floor!r}")
    return np.log(np.abs(centred_fft(image, remove_mean, window)) + floor).astype(np.float32)


def show_spectrum(ax, spectrum: np.ndarray) -> Any:
    """imshow a spectrum with robust limits (the 1st..99.9th percentiles)."""
    low, high = np.percentile(spectrum, (1.0, 99.9))
    return ax.imshow(spectrum, cmap="magma", vmin=low, vmax=max(high, low + 1e-6))


def radial_profile(spectrum: np.ndarray, num_bins: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Mean of a centred spectrum ``(H, W)`` per ring: ``(frequencies, profile)``, both
    ``(num_bins,)`` (default ``min(H, W) // 2``), in cycles per pixel up to Nyquist (0.5);
    NaN for an empty ring."""
    spec = np.asarray(spectrum, dtype=np.float64)
    if spec.ndim != 2:
        raise ValueError(f"spectrum must be 2-D (H, W); got shape {spec.shape}")
    h, w = spec.shape
    bins = max(min(h, w) // 2, 1) if num_bins is None else num_bins
    if not isinstance(bins, int) or bins < 1:
        raise ValueError(f"num_bins must be a positive integer or None; got {num_bins!r}")
    radius = np.hypot(((np.arange(h) - h // 2) / h)[:, None], ((np.arange(w) - w // 2) / w)[None, :])
    edges = np.linspace(0.0, 0.5, bins + 1)
    inside = radius <= 0.5
    index = np.digitize(radius, edges[1:-1])[inside]  # 0 .. bins-1 inside Nyquist
    sums = np.bincount(index, weights=spec[inside], minlength=bins)
    counts = np.bincount(index, minlength=bins)
    return (edges[:-1] + edges[1:]) / 2, np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def plot_spectra(images: Mapping[str, Any] | Sequence[Any], titles: Sequence[str] | None = None,
                 window: bool = True, num_bins: int | None = None, panel_size: float = 2.8) -> Figure:
    """Top row: the magnitude spectrum of each image; bottom: their radial profiles overlaid
    (frequency in cycles per pixel of each image). ``images``: ``{title: image}`` or a list."""
    if isinstance(images, Mapping):
        titles, items = list(images), list(images.values())
    else:
        items = image_list(images)
        titles = list(titles) if titles is not None else [f"image {i}" for i in range(len(items))]
    if not items or len(titles) != len(items):
        raise ValueError(f"need one title per image; got {len(titles)} titles, {len(items)} images")
    fig = plt.figure(figsize=(panel_size * max(len(items), 2), panel_size * 2.1))
    grid = fig.add_gridspec(2, len(items), height_ratios=(1, 0.9))
    profile_ax = fig.add_subplot(grid[1, :])
    for i, (title, image) in enumerate(zip(titles, items, strict=True)):
        spectrum = magnitude_spectrum(image, window=window)
        ax = fig.add_subplot(grid[0, i])
        show_spectrum(ax, spectrum)
        ax.set_title(f"{title}\n{spectrum.shape[0]}x{spectrum.shape[1]}", fontsize=9)
        ax.set_axis_off()
        profile_ax.plot(*radial_profile(spectrum, num_bins), label=title)
    profile_ax.set(xlabel="radial frequency (cycles / pixel)", ylabel="mean log |F|")
    profile_ax.grid(alpha=0.3)
    profile_ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def spectral_gain(image: Any, reference: Any, num_bins: int | None = None,
                  window: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """How much more of each spatial frequency ``image`` holds than ``reference`` (one image
    ``(h, w[, C])`` or a batch ``(B, h, w, C)`` each, same shape): ``(frequencies, gain_db)``,
    both ``(num_bins,)``, ``10 log10(P_image / P_reference)`` per ring of luminance power,
    summed over the batch (NaN where the reference has none)."""
    a, b = to_float(image), to_float(reference)
    if a.shape != b.shape:
        raise ValueError(f"image and reference must have the same shape (same size, e.g. a learned and a "
                         f"naive resize to one target); got {a.shape} and {b.shape}")
    pairs = list(zip(a, b, strict=True)) if check_image_rank(a) else [(a, b)]
    rings = [[radial_profile(np.abs(centred_fft(x, window=window)) ** 2, num_bins) for x in pair] for pair in pairs]
    freqs = rings[0][0][0]
    with np.errstate(divide="ignore", invalid="ignore"):
        gain = 10.0 * np.log10(sum(r[0][1] for r in rings) / sum(r[1][1] for r in rings))
    return freqs, np.where(np.isfinite(gain), gain, np.nan)


def plot_spectral_gain(pairs: Mapping[str, tuple[Any, Any]], reference_name: str = "naive",
                       num_bins: int | None = None, figsize: tuple[float, float] = (6.0, 3.4)) -> Figure:
    """One ``spectral_gain`` curve per entry of ``pairs`` (``{label: (image, reference)}``, each
    an image or a batch, the two of one shape); a zero line marks "kept as is"."""
    if not isinstance(pairs, Mapping) or not pairs:
        raise ValueError("pairs must be a non-empty dict {label: (image, reference)}")
    fig, ax = plt.subplots(figsize=figsize)
    ax.axhline(0.0, color="#555555", lw=0.8)
    for label, pair in pairs.items():
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"pairs[{label!r}] must be a pair (image, reference)")
        ax.plot(*spectral_gain(pair[0], pair[1], num_bins), marker=".", label=str(label))
    ax.set(xlabel="radial frequency (cycles / pixel of the output)", ylabel=f"gain over {reference_name} (dB)",
           xlim=(0.0, 0.5))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def channel_statistics(images: Mapping[str, Any], channel_names: str = "RGB") -> list[dict]:
    """Rows for ``show_table``, one per image of ``{label: image or batch}`` and channel:
    ``mean``, ``std``, ``min``, ``max`` and ``outside [0,1]`` (the share a display would clip),
    ``uint8`` scaled to ``[0, 1]`` first."""
    if not isinstance(images, Mapping) or not images:
        raise ValueError("images must be a non-empty dict {label: image or batch}")
    rows = []
    for label, image in images.items():
        arr = to_float(image)
        check_image_rank(arr)
        arr = arr[..., None] if arr.ndim == 2 else arr
        for k in range(arr.shape[-1]):
            v = arr[..., k].ravel()
            rows.append({"image": str(label), "channel": channel_names[k] if k < len(channel_names) else str(k),
                         "mean": float(v.mean()), "std": float(v.std()), "min": float(v.min()),
                         "max": float(v.max()), "outside [0,1]": float(np.mean((v < 0.0) | (v > 1.0)))})
    return rows
