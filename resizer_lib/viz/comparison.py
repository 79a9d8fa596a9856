"""A naive resize of an image beside a learned resizer's (behind ``viz.widgets``'s explorer)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import keras
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from resizer_lib._checks import check_size
from resizer_lib.interpolation import resize_image
from resizer_lib.models.resizer import LearnableResizer
from resizer_lib.viz.display import to_display, to_float
from resizer_lib.viz.spectra import magnitude_spectrum, show_spectrum

__all__ = ["compare_resizers", "model_target_size", "plot_comparison"]


def _fixed_size(shape: Any) -> tuple[int, int] | None:
    """``(h, w)`` of a Keras shape ``(B, h, w, C)`` when both are fixed, else None."""
    if isinstance(shape, tuple) and len(shape) == 4 and all(isinstance(v, int) for v in shape[1:3]):
        return int(shape[1]), int(shape[2])
    return None


def model_target_size(model: Any) -> tuple[int, int] | None:
    """The ``(h, w)`` a resizer model (or ``LearnableResizer`` layer) outputs, when it is fixed."""
    if isinstance(model, LearnableResizer):
        return model.target_size
    inner = (layer.target_size for layer in getattr(model, "layers", ()) if isinstance(layer, LearnableResizer))
    return _fixed_size(getattr(model, "output_shape", None)) or next(inner, None)


def compare_resizers(image: Any, target_size: int | Sequence[int] | None, interpolation: str = "bilinear",
                     antialias: bool = False, resizer_model: Any = None, reference: str = "bilinear") -> dict[str, Any]:
    """Resize one image ``(H, W[, 3])`` (``uint8`` or float in ``[0, 1]``) naively to ``target_size``
    with ``interpolation`` and ``antialias``, and with ``resizer_model`` if given (a resizer
    ``(B, H, W, 3) -> (B, h, w, 3)`` on ``[0, 1]`` inputs; ``target_size=None`` takes its output
    size; a fixed input size gets the image resized to it first, bilinear with antialias).

    Returns float32 arrays: ``"input"`` ``(H, W, 3)``, ``"naive"`` ``(h, w, 3)``, ``"learned"``
    (with a model) or ``"reference"`` (without: the ``reference`` resize, no antialias),
    ``"difference"`` ``(h, w)`` (``learned - naive`` or ``naive - reference``, channel mean),
    ``"spectrum"`` ``(h, w)`` (``magnitude_spectrum`` of the learned output, else of the naive
    one), and ``"meta"``."""
    source = to_float(image)
    source = np.repeat(source[..., None], 3, axis=-1) if source.ndim == 2 else source
    if source.ndim != 3:
        raise ValueError(f"compare_resizers takes one image (H, W[, C]); got shape {source.shape}")
    meta: dict[str, Any] = {"interpolation": interpolation, "antialias": bool(antialias)}
    if resizer_model is None:
        if target_size is None:
            raise ValueError("target_size=None needs a resizer_model; pass target_size=(h, w)")
        target = check_size(target_size, "target_size")
        naive = resize_image(source, target, interpolation, antialias)
        other = {"reference": resize_image(source, target, reference, antialias=False)}
        difference, meta["compared"] = naive - other["reference"], ("naive", f"reference ({reference})")
    else:
        fixed_input = _fixed_size(getattr(resizer_model, "input_shape", None))
        if fixed_input is not None and fixed_input != source.shape[:2]:
            source = resize_image(source, fixed_input, "bilinear", antialias=True)
            meta["input_resized_to"] = fixed_input
        out = keras.ops.convert_to_numpy(resizer_model(source[None], training=False))
        c = source.shape[-1]
        if out.ndim != 4 or out.shape[-1] != c:
            raise ValueError(f"resizer_model must map (B, H, W, {c}) to (B, h, w, {c}); it returned shape {out.shape}. "
                             f"Pass the resizer (e.g. build_resizer(...) or classifier.get_layer('resizer')), "
                             f"not the classifier")
        other = {"learned": out[0].astype(np.float32)}
        target = other["learned"].shape[:2]
        if target_size is not None and check_size(target_size, "target_size") != target:
            raise ValueError(f"target_size={target_size!r} differs from the resizer model's output size "
                             f"{target}; pass target_size=None or {target}")
        naive = resize_image(source, target, interpolation, antialias)
        difference, meta["compared"] = other["learned"] - naive, ("learned", "naive")
    meta["target_size"] = tuple(int(v) for v in target)
    spectrum = magnitude_spectrum(other.get("learned", naive))
    return {"input": source, "naive": naive, **other, "difference": difference.mean(axis=-1),
            "spectrum": spectrum, "meta": meta}


def plot_comparison(result: Mapping[str, Any], mode: str = "clip",
                    figsize: tuple[float, float] = (15.0, 3.4)) -> Figure:
    """Five fixed panels from ``compare_resizers``: input | naive | learned (or reference) |
    difference (diverging colormap, symmetric limits) | spectrum of the output."""
    meta = result["meta"]
    third = "learned" if "learned" in result else "reference"
    aa = " + antialias" if meta["antialias"] else ""
    h, w = meta["target_size"]
    panels = [("input", f"input {result['input'].shape[0]}x{result['input'].shape[1]}"),
              ("naive", f"naive {meta['interpolation']}{aa} {h}x{w}"),
              (third, "learned resizer" if third == "learned" else meta["compared"][1])]
    fig, axes = plt.subplots(1, 5, figsize=figsize)
    for ax, (key, title) in zip(axes[:3], panels, strict=True):
        ax.imshow(to_display(result[key], mode), vmin=0.0, vmax=1.0, interpolation="nearest")
        ax.set_title(title, fontsize=9)
    limit = max(float(np.abs(result["difference"]).max()), 1e-6)
    shown = axes[3].imshow(result["difference"], cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
    axes[3].set_title(f"{meta['compared'][0]} - {meta['compared'][1].split(' ')[0]}", fontsize=9)
    fig.colorbar(shown, ax=axes[3], fraction=0.046, pad=0.04)
    show_spectrum(axes[4], result["spectrum"])
    axes[4].set_title(f"spectrum of {meta['compared'][0]}", fontsize=9)
    for ax in axes:
        ax.set_axis_off()
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.88, wspace=0.3)  # fixed: no jumps
    return fig
