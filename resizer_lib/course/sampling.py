"""Lesson 08: sampling, aliasing and what each interpolation does to every spatial frequency.

Frequencies are in cycles per pixel (``0 .. 0.5``); a downscale by ``factor`` maps ``f`` cycles per
input pixel to ``factor * f`` per output pixel. Resizes run ``keras.ops.image.resize``; the kernels
live in ``resizer_lib.interpolation``."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from resizer_lib._checks import check_int, check_size
from resizer_lib.data.synthetic import DEFAULT_AMPLITUDE, make_synthetic
from resizer_lib.interpolation import (
    check_interpolation,
    interpolations,
    kernel,
    kernel_radius,
    resize_image,
    taps,
)
from resizer_lib.viz.spectra import centred_fft

__all__ = [
    "alias_frequency", "frequency_response", "measured_gain", "plot_resize_response", "resize_response",
    "resize_taps", "set_stripe_detector", "sinusoid", "spectral_peak", "stripe_pair", "zone_plate",
    "zone_plate_alias_energy",
]


# -- checks ------------------------------------------------------------------------------------
def _check_positive(value: object, name: str) -> float:
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    if not ok or not math.isfinite(float(value)) or float(value) <= 0:
        raise ValueError(f"{name} must be a finite number > 0; got {value!r}")
    return float(value)


def _frequencies(f: Any, name: str = "frequency", high: float | None = None) -> np.ndarray:
    """``f`` as a float64 array of finite values ``>= 0`` (and ``<= high``), else ValueError."""
    arr = np.asarray(f, dtype=np.float64)
    bad = ~np.isfinite(arr) | (arr < 0) | (arr > high if high is not None else False)
    if bad.any():
        span = ">= 0" if high is None else f"[0, {high}]"
        hint = (" cycles per input pixel: a sampled image holds nothing above 0.5, higher frequencies "
                "are their aliases (see alias_frequency)") if high == 0.5 else ""
        raise ValueError(f"{name} must be finite and in {span}{hint}; got {arr[bad].flat[0]!r}")
    return arr


def _check_factor(factor: object) -> int:
    return check_int(factor, "factor (an integer downscale factor)", minimum=1)


# -- signals -----------------------------------------------------------------------------------
def sinusoid(size: int | Sequence[int], frequency: float, angle: float = 0.0, phase: float = 0.0) -> np.ndarray:
    """``cos(2 pi f (x cos(angle) + y sin(angle)) + phase)`` at the pixel centres: float64 ``(H, W)``."""
    h, w = check_size(size, "size")
    f = float(_frequencies(frequency))
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    theta = np.deg2rad(float(angle))
    return np.cos(2 * np.pi * f * (x * np.cos(theta) + y * np.sin(theta)) + float(phase))


def zone_plate(size: int | Sequence[int], max_frequency: float = 0.5) -> np.ndarray:
    """A zone plate ``0.5 + 0.5 cos(pi k r^2)``: float64 ``(H, W)`` in ``[0, 1]``."""
    h, w = check_size(size, "size")
    fmax = _check_positive(max_frequency, "max_frequency")
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = np.hypot(y - (h - 1) / 2, x - (w - 1) / 2)
    return 0.5 + 0.5 * np.cos(np.pi * fmax / np.hypot((h - 1) / 2, (w - 1) / 2) * r**2)


def alias_frequency(frequency: Any, rate: float = 1.0) -> np.ndarray | float:
    """Where ``frequency`` appears after sampling at ``rate`` samples per unit, ``|f - rate round(f /
    rate)|`` in ``[0, rate / 2]``, element-wise (a scalar gives a float). At rate 1: 0.8 -> 0.2."""
    f, r = _frequencies(frequency), _check_positive(rate, "rate")
    folded = np.abs(f - r * np.round(f / r))
    return float(folded) if folded.ndim == 0 else folded


def spectral_peak(image: Any) -> tuple[float, float]:
    """``(fy, fx)``, cycles per pixel, of the largest peak of the spectrum of ``image`` (``(H, W)`` or
    ``(H, W, C)``, its luminance; the mean removed). Of the two symmetric peaks of a real image the
    one with ``fx > 0`` (or ``fx = 0, fy >= 0``) is returned; Nyquist reads ``+0.5``."""
    spectrum = np.abs(centred_fft(np.asarray(image, dtype=np.float64)))
    h, w = spectrum.shape
    iy, ix = np.unravel_index(int(np.argmax(spectrum)), spectrum.shape)
    fy, fx = (iy - h // 2) / h, (ix - w // 2) / w
    if fx < 0 or (fx == 0 and fy < 0):  # the other peak of the symmetric pair
        fy, fx = -fy, -fx
    if fx == 0.5:  # (fy, 1/2) and (-fy, 1/2) are one pair at Nyquist
        fy = abs(fy)
    return float(0.5 if fy == -0.5 else fy) + 0.0, float(fx) + 0.0  # + 0.0: no -0.0


# -- kernels -----------------------------------------------------------------------------------
def frequency_response(name: str, frequency: Any, scale: float = 1.0, points: int = 20001) -> np.ndarray:
    """``H(f) = integral k(x) cos(2 pi f x) dx`` of the (even) kernel at ``frequency`` (cycles per input
    pixel, >= 0), by the trapezoid rule on ``points`` samples: float64, the shape of ``frequency``.
    Signed (lanczos and bicubic have negative lobes); nearest is ``sinc(s f)``, bilinear ``sinc(s f)^2``."""
    r, f = kernel_radius(name, scale), _frequencies(frequency)
    x = np.linspace(-r, r, check_int(points, "points", minimum=101))
    weights = np.full(x.size, x[1] - x[0])
    weights[[0, -1]] /= 2
    return (np.cos(2 * np.pi * f.reshape(-1, 1) * x[None, :]) @ (kernel(name, x, scale) * weights)).reshape(f.shape)


def resize_taps(name: str, factor: int, antialias: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """``(offsets, weights)``, each ``(T,)``: the filter an interior output pixel of a downscale by an
    integer ``factor`` applies (half-pixel centres; weights sum to 1)."""
    name, s = check_interpolation(name, "loading"), _check_factor(factor)
    index, weight = taps(16 * s, 16, name, antialias)
    offsets = 8.5 * s - 0.5 - index[8].astype(np.float64)  # output pixel 8, an interior one
    order = np.argsort(-offsets)
    return offsets[order], weight[8][order]


def resize_response(name: str, frequency: Any, factor: int, antialias: bool = False) -> np.ndarray:
    """The gain ``|sum_t w_t exp(-2 pi i f d_t)|`` of a downscale by ``factor`` (taps from ``resize_taps``)
    at ``frequency`` in ``[0, 0.5]`` cycles per input pixel: float64, the shape of ``frequency``. A
    sinusoid leaves with this amplitude at ``alias_frequency(factor * f)``. Exact 2x bilinear: ``|cos pi f|``."""
    f = _frequencies(frequency, high=0.5)
    offsets, weights = resize_taps(name, factor, antialias)
    return np.abs(np.exp(-2j * np.pi * f.reshape(-1, 1) * offsets[None, :]) @ weights).reshape(f.shape)


def measured_gain(name: str, frequency: Any, factor: int, antialias: bool = False, length: int = 192) -> np.ndarray:
    """The gain of ``keras.ops.image.resize`` measured on complex sinusoids: float64, the shape of
    ``frequency`` (cycles per input pixel, in ``[0, 0.5]``)."""
    name = check_interpolation(check_interpolation(name, "loading"), "layer")
    s, f = _check_factor(factor), _frequencies(frequency, high=0.5)
    n = check_int(length, "length", minimum=4 * s)
    if n % s:
        raise ValueError(f"length must be a multiple of factor={s}; got {length!r}")
    margin = math.ceil(kernel_radius(name, s if (antialias or name == "area") else 1) / s) + 2
    if n // s <= 2 * margin:
        raise ValueError(f"length={length} is too short for factor={s}; use at least {s * (2 * margin + 4)}")
    phase = 2 * np.pi * f.reshape(-1, 1) * np.arange(n)[None, :]  # (F, n)
    rows = np.concatenate([np.cos(phase), np.sin(phase)])[:, None, :, None]  # (2F, 1, n, 1)
    out = resize_image(rows.astype(np.float32), (1, n // s), name, bool(antialias))[:, 0, :, 0].astype(np.float64)
    return np.abs(out[: f.size] + 1j * out[f.size :])[:, margin:-margin].mean(axis=1).reshape(f.shape)


# -- aliasing ----------------------------------------------------------------------------------
def zone_plate_alias_energy(size: int, factor: int, interpolation: str = "bilinear", antialias: bool = False,
                            max_frequency: float = 0.5) -> float:
    """How much of a zone plate survives a downscale where it cannot be represented: the mean square
    of ``output - 0.5`` where either local frequency passes Nyquist, over the input's (1: all aliased)."""
    side, s = check_int(size, "size", minimum=8), _check_factor(factor)
    if side % s:
        raise ValueError(f"size must be a multiple of factor={s}; got size={size!r}")
    out = resize_image(zone_plate(side, max_frequency).astype(np.float32), (side // s, side // s),
                       interpolation, antialias)
    centres = (np.arange(side // s) + 0.5) * s - 0.5 - (side - 1) / 2  # from the plate's centre
    k = _check_positive(max_frequency, "max_frequency") / np.hypot((side - 1) / 2, (side - 1) / 2)
    fy, fx = np.meshgrid(k * centres, k * centres, indexing="ij")  # the local frequency vector
    above = (np.abs(fy) > 0.5 / s) | (np.abs(fx) > 0.5 / s)  # the grid folds each axis alone
    return float(np.mean((out.astype(np.float64)[above] - 0.5) ** 2) / 0.125) if above.any() else 0.0


# -- the synthetic class, stage by stage --------------------------------------------------------
def stripe_pair(image_size: int | Sequence[int] = (32, 32), orientation: str = "vertical",
                amplitude: int = DEFAULT_AMPLITUDE, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``(plain, striped)``: float32 ``(H, W, 3)`` in ``[0, 1]``, one synthetic background without and
    with the class stripe, as ``data.synthetic`` builds them: the background clipped to ``[a, 255 - a]``,
    then ``+a, -a`` by column (``"vertical"``) or row (``"horizontal"``); ``a = amplitude`` grey levels."""
    h, w = check_size(image_size, "image_size")
    if orientation not in ("vertical", "horizontal"):
        raise ValueError(f"orientation must be 'vertical' or 'horizontal'; got {orientation!r}")
    a = check_int(amplitude, "amplitude", minimum=0)
    if a > 100:
        raise ValueError(f"amplitude must be between 0 and 100 grey levels; got {amplitude!r}")
    background = make_synthetic(1, (h, w), seed=check_int(seed, "seed", minimum=0), amplitude=0)[0][0]
    plain = np.clip(background.astype(np.float32), a, 255 - a)
    sign = 1 - 2 * (np.arange(w if orientation == "vertical" else h) % 2)
    stripe = a * (sign[None, :] if orientation == "vertical" else sign[:, None])
    return plain / 255.0, (plain + stripe[:, :, None].astype(np.float32)) / 255.0


def set_stripe_detector(resizer: Any) -> Any:
    """Hand-set the resizer's stem to detect the synthetic stripes; returns ``resizer``."""
    from resizer_lib.course.extract import find_resizer_layer

    layer = find_resizer_layer(resizer)
    if layer.filters < 2:
        raise ValueError(f"set_stripe_detector needs filters >= 2 (one per orientation); got filters={layer.filters}")
    kernel, bias = (np.zeros_like(np.asarray(w)) for w in layer.stem_conv7.get_weights())
    c = kernel.shape[2]
    kernel[3, 3, :, 0], kernel[3, 4, :, 0] = 1.0 / c, -1.0 / c  # along x: vertical stripes
    kernel[3, 3, :, 1], kernel[4, 3, :, 1] = 1.0 / c, -1.0 / c  # along y: horizontal stripes
    layer.stem_conv7.set_weights([kernel, bias])
    one, one_bias = (np.asarray(w) for w in layer.stem_conv1.get_weights())
    layer.stem_conv1.set_weights([np.eye(layer.filters, dtype=one.dtype)[None, None], np.zeros_like(one_bias)])
    return resizer


# -- the figure --------------------------------------------------------------------------------
def plot_resize_response(names: Sequence[str] = ("bilinear",), factor: int = 2,
                         antialias: bool | Sequence[bool] = False, measured: bool = True) -> Figure:
    """The gain of a downscale by ``factor`` at every input frequency 0 .. 0.5: ``resize_response`` as
    lines (dashed with antialias) and, with ``measured``, ``measured_gain`` as dots (modes the backend
    lacks left out). Above the output's Nyquist limit ``0.5 / factor`` (shaded) what passes aliases."""
    s = _check_factor(factor)
    options = (antialias,) if isinstance(antialias, (bool, np.bool_)) else tuple(antialias)
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    f, dots = np.linspace(0, 0.5, 201), np.linspace(0.0, 0.5, 11)
    for i, name in enumerate(names):
        for aa in options:
            label = f"{name}{', antialias' if aa else ''}"
            ax.plot(f, resize_response(name, f, s, aa), "--" if aa else "-", color=f"C{i}", label=label)
            if measured and name in interpolations("layer"):
                ax.plot(dots, measured_gain(name, dots, s, aa), "o", color=f"C{i}", ms=4)
    ax.axvspan(0.5 / s, 0.5, color="#b00020", alpha=0.07)
    ax.text(0.5 / s + 0.005, 1.02, "aliases", color="#b00020", fontsize=8)
    ax.set(xlim=(0, 0.5), ylim=(0, 1.1), xlabel="frequency (cycles / input pixel)", ylabel="gain")
    ax.set_title(f"{s}x downscale: lines predicted, dots measured", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return fig
