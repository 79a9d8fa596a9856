"""A naive resize of an image beside a learned resizer's (behind ``viz.widgets``'s explorer)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import keras
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from resizer_lib._checks import check_size
from resizer_lib.interpolation import interpolations, resize_image
from resizer_lib.models.resizer import LearnableResizer
from resizer_lib.viz.display import to_display, to_float
from resizer_lib.viz.spectra import magnitude_spectrum, show_spectrum

__all__ = ["compare_resizers", "model_target_size", "plot_comparison"]


def available_interpolations() -> tuple[str, ...]:
    """Kept for ``viz/widgets.py`` only: ``resizer_lib.interpolation.interpolations("figure")``."""
    return interpolations("figure")


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
        interpolation, antialias: the naive resize (``interpolations("figure")``).
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
    show_spectrum(axes[4], result["spectrum"])
    axes[4].set_title(f"spectrum of {meta['compared'][0]}", fontsize=9)
    for ax in axes:
        ax.set_axis_off()
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.88, wspace=0.3)  # fixed: no jumps
    return fig
