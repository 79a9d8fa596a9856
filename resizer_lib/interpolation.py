"""Interpolation in one place: the names each backend offers, one check, the kernels, the taps of a resize, and
``resize_image``.

Conventions (``keras.ops.image.resize``, ``tf.image.resize``, ``jax.image.resize``): half-pixel centres (output
``i`` of ``n_in -> n_out`` sits at ``(i + 1/2) n_in / n_out - 1/2``); ``bicubic`` is Keys' cubic, ``a = -0.5``;
weights renormalised at the borders; with ``antialias`` a downscale by ``s`` stretches the kernel ``s`` times.
NumPy only at import.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from resizer_lib._checks import check_int, check_size

__all__ = ["KERNELS", "USES", "check_interpolation", "interpolations", "kernel", "kernel_radius", "resize_image",
           "taps"]

KERNELS: tuple[str, ...] = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5", "area")  # all in NumPy below
_KERAS_MODES = {"tensorflow": KERNELS, "jax": KERNELS[:5], "torch": KERNELS[:3], "numpy": KERNELS[:5]}  # Keras 3.10+
_NO_GRADIENT = {"tensorflow": ("area",)}  # fine for a fixed resize, not for one that trains
_TF_IMAGE_ONLY = ("gaussian", "mitchellcubic")  # only tf.image.resize has them: figures that compare kernels

# What an interpolation is for: "layer" a fixed resize inside a model (keras.ops); "training" a resize that
# back-propagates (the learnable resizer, MULLER); "figure" what resize_image accepts (the layer's modes, plus
# gaussian and mitchellcubic on TensorFlow); "loading" the NumPy / Pillow image loader (every kernel, any backend).
USES = ("layer", "training", "figure", "loading")

_KEYS_A = -0.5  # Keys' cubic as TensorFlow and JAX use it
_RADIUS = {"nearest": 0.5, "bilinear": 1.0, "bicubic": 2.0, "lanczos3": 3.0, "lanczos5": 5.0}


def _backend(backend: str | None) -> str:
    import keras

    return keras.backend.backend() if backend is None else str(backend)


def interpolations(use: str = "layer", backend: str | None = None) -> tuple[str, ...]:
    """The interpolation names for ``use`` (see ``USES``) on ``backend`` (default: the active Keras backend;
    ignored for ``"loading"``). An unknown backend offers bilinear and nearest."""
    if use not in USES:
        raise ValueError(f"use={use!r} is not one of {list(USES)}; pick the one that resizes")
    if use == "loading":
        return KERNELS
    name = _backend(backend)
    modes = _KERAS_MODES.get(name, ("nearest", "bilinear"))
    if use == "training":
        return tuple(m for m in modes if m not in _NO_GRADIENT.get(name, ()))
    return modes + _TF_IMAGE_ONLY if use == "figure" and name == "tensorflow" else modes


def check_interpolation(interpolation: object, use: str = "layer", backend: str | None = None) -> str:
    """``interpolation`` if ``interpolations(use, backend)`` has it, else a one-line ``ValueError`` that names the
    bad value, why, and the choices."""
    allowed = interpolations(use, backend)
    if interpolation in allowed:
        return str(interpolation)
    where = "" if use == "loading" else f" on the {_backend(backend)} backend"
    choices = f"use one of {list(allowed)}"
    if use == "training" and interpolation in interpolations("layer", backend):
        raise ValueError(f"interpolation {interpolation!r} has no gradient{where}, so a resizer cannot train "
                         f"through it; {choices} (a fixed resize may use it)")
    hint = " (only tf.image.resize has it: resize_image with KERAS_BACKEND=tensorflow)"
    hint = hint if interpolation in _TF_IMAGE_ONLY else ""
    raise ValueError(f"Unknown interpolation {interpolation!r}{where}{hint}; {choices}")


def kernel_radius(name: str, scale: float = 1.0) -> float:
    """Half the width of the kernel of ``name`` stretched by ``scale`` (input pixels)."""
    name = check_interpolation(name, "loading")
    s = _check_scale(scale)
    return (s + 1.0) / 2.0 if name == "area" else _RADIUS[name] * s


def kernel(name: str, x: Any, scale: float = 1.0) -> np.ndarray:
    """The continuous kernel ``k(x)`` of an interpolation at offsets ``x`` (input pixels), float64 of ``x``'s shape.

    ``nearest``: a box of width 1; ``bilinear``: the triangle ``max(1 - |x|, 0)``; ``bicubic``: Keys' cubic,
    ``a = -0.5``; ``lanczos3`` / ``lanczos5``: ``sinc(x) sinc(x / n)`` for ``|x| < n``. ``scale`` stretches it,
    ``k(x / s) / s`` (what antialias does when shrinking by ``s``), so its area stays 1. ``area``: the overlap of
    ``[x - s/2, x + s/2]`` (the output pixel's footprint, ``s = scale`` input pixels wide) with the unit pixel
    ``[-1/2, 1/2]``, divided by ``s``: a trapezoid.
    """
    name = check_interpolation(name, "loading")
    s = _check_scale(scale)
    x = np.asarray(x, dtype=np.float64)
    if name == "area":
        return np.maximum(np.minimum(x + s / 2, 0.5) - np.maximum(x - s / 2, -0.5), 0.0) / s
    u = np.abs(x / s)
    if name == "nearest":
        k = np.where(u < 0.5, 1.0, np.where(u == 0.5, 0.5, 0.0))
    elif name == "bilinear":
        k = np.maximum(1.0 - u, 0.0)
    elif name == "bicubic":
        a = _KEYS_A
        near, far = ((a + 2) * u - (a + 3)) * u * u + 1, ((a * u - 5 * a) * u + 8 * a) * u - 4 * a
        k = np.where(u <= 1, near, np.where(u < 2, far, 0.0))
    else:
        n = _RADIUS[name]
        k = np.where(u < n, np.sinc(u) * np.sinc(u / n), 0.0)
    return k / s


@lru_cache(maxsize=64)
def _taps(n_in: int, n_out: int, name: str, antialias: bool) -> tuple[np.ndarray, np.ndarray]:
    scale = n_in / n_out
    if name == "nearest":  # one pixel, floor of the centre: no kernel, no antialias
        index = np.minimum(np.floor((np.arange(n_out) + 0.5) * scale), n_in - 1).astype(int)
        return index[:, None], np.ones((n_out, 1))
    width = scale if name == "area" else (max(scale, 1.0) if antialias else 1.0)
    centre = (np.arange(n_out) + 0.5) * scale - 0.5  # in input pixel coordinates
    radius = kernel_radius(name, width)
    count = int(np.ceil(2 * radius)) + 2
    index = np.floor(centre - radius).astype(int)[:, None] + np.arange(count)[None, :]
    weight = kernel(name, centre[:, None] - index, width)
    weight[(index < 0) | (index >= n_in) | (np.abs(weight) < 1e-12)] = 0.0
    total = weight.sum(axis=1, keepdims=True)
    weight = np.divide(weight, total, out=np.zeros_like(weight), where=total != 0)
    order = np.argsort(weight == 0, axis=1, kind="stable")  # non-zero taps first ...
    index = np.take_along_axis(index, order, axis=1)
    weight = np.take_along_axis(weight, order, axis=1)
    keep = max(1, int((weight != 0).sum(axis=1).max()))  # ... then drop the all-zero columns
    return np.clip(index[:, :keep], 0, n_in - 1), weight[:, :keep]


def taps(n_in: int, n_out: int, name: str = "bilinear", antialias: bool = False):
    """The taps of a resize of one axis from ``n_in`` to ``n_out`` samples: ``(index, weight)``, each
    ``(n_out, K)``: output ``i = sum_k weight[i, k] * input[index[i, k]]``. Half-pixel centres, weights
    renormalised at the borders (float64, read-only). Exact 2x bilinear: each output averages two neighbours."""
    n_in, n_out = check_int(n_in, "n_in"), check_int(n_out, "n_out")
    index, weight = _taps(n_in, n_out, check_interpolation(name, "loading"), bool(antialias))
    index.setflags(write=False)
    weight.setflags(write=False)
    return index, weight


def _check_scale(value: object) -> float:
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    if not ok or not math.isfinite(float(value)) or float(value) <= 0:
        raise ValueError(f"scale must be a finite number > 0; got {value!r}")
    return float(value)


def resize_image(image: Any, size: int | Sequence[int], interpolation: str = "bilinear",
                 antialias: bool = False) -> np.ndarray:
    """Resize an image ``(H, W[, C])`` or a batch ``(B, H, W, C)`` to ``float32 (h, w[, C])`` / ``(B, h, w, C)``.

    Integer inputs are scaled to ``[0, 1]`` first; floats keep their range (bicubic and lanczos may overshoot it).
    ``interpolation``: any of ``interpolations("figure")``. ``antialias`` (default False, as in
    ``keras.ops.image.resize`` and ``keras.layers.Resizing``) low-pass filters a downscale (``nearest`` ignores it,
    ``area`` averages anyway). Runs ``keras.ops.image.resize`` on the active backend (``gaussian`` and
    ``mitchellcubic``: ``tf.image.resize``).
    """
    import keras

    from resizer_lib.viz.display import to_float

    target = check_size(size, "size")
    check_interpolation(interpolation, "figure")
    arr = to_float(image)
    grey = arr.ndim == 2
    arr = arr[..., None] if grey else arr
    if arr.ndim not in (3, 4):
        raise ValueError(f"image must be (H, W), (H, W, C) or (B, H, W, C); got shape {arr.shape}")
    if interpolation in _TF_IMAGE_ONLY:  # only reached on the TensorFlow backend
        import tensorflow as tf

        out = tf.image.resize(arr, target, method=interpolation, antialias=antialias).numpy()
    else:
        out = keras.ops.convert_to_numpy(keras.ops.image.resize(arr, target, interpolation, antialias=antialias))
    out = np.asarray(out, dtype=np.float32)
    return out[..., 0] if grey else out
