"""Inside the learnable resizer: run it stage by stage, list its layers, count its work, draw it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import ops
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch

from resizer_lib._checks import check_size
from resizer_lib.course.extract import find_resizer_layer
from resizer_lib.models.resizer import resizer_param_count

__all__ = [
    "Stage",
    "draw_resizer_diagram",
    "multiply_adds",
    "resizer_stages",
    "sublayers",
]


@dataclass(frozen=True)
class Stage:
    """One intermediate tensor of the resizer: ``value`` is a NumPy array ``(B, ., ., .)``."""

    name: str
    description: str
    value: np.ndarray

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.value.shape)


def resizer_stages(resizer: Any, images: Any, training: bool = False) -> list[Stage]:
    """Run a resizer on ``images (B, H, W, C)`` (floats in ``[0, 1]``) one stage at a time:
    ``input``, ``naive (B, h, w, C)``, ``features``, ``bottleneck``, ``refined`` ``(B, h, w, F)``,
    ``correction (B, h, w, C)`` and ``output = naive + correction``."""
    layer = find_resizer_layer(resizer)
    x = ops.convert_to_tensor(np.asarray(images, dtype="float32"))
    if len(x.shape) != 4:
        raise ValueError(f"images must be a batch (B, H, W, C); got shape {tuple(x.shape)}")
    naive = layer._resize(x)
    features = layer.stem(naive if layer.resize_first else x, training=training)
    bottleneck = features if layer.resize_first else layer._resize(features)
    refined = layer.residual(bottleneck, training=training)
    correction = layer.out_conv7(refined)
    output = naive + correction
    interp = layer.interpolation
    rows = [
        ("input", "the images, values in [0, 1]", x),
        ("naive", f"{interp} resize of the input (the image skip)", naive),
        ("features", "conv 7x7 -> LeakyReLU -> conv 1x1 -> LeakyReLU -> BN", features),
        ("bottleneck", f"{interp} resize of the features", bottleneck),
        ("refined", "residual blocks -> conv 3x3 -> BN, + bottleneck", refined),
        ("correction", "conv 7x7 back to the image channels", correction),
        ("output", "naive + correction", output),
    ]
    return [Stage(name, text, ops.convert_to_numpy(value)) for name, text, value in rows]


def sublayers(resizer: Any) -> list[keras.layers.Layer]:
    """The resizer's layers in forward order (stem, residual blocks, tail, output conv)."""
    layer = find_resizer_layer(resizer)
    blocks = [getattr(block, part) for block in layer.res_blocks for part in block.PARTS]
    return [
        layer.stem_conv7,
        layer.stem_act1,
        layer.stem_conv1,
        layer.stem_act2,
        layer.stem_bn,
        *blocks,
        layer.tail_conv3,
        layer.tail_bn,
        layer.out_conv7,
    ]


def multiply_adds(
    input_size: int | Sequence[int],
    target_size: int | Sequence[int],
    channels: int = 3,
    filters: int = 16,
    num_res_blocks: int = 1,
) -> dict[str, int]:
    """Multiply-adds of the resizer's convolutions for one image, split by resolution."""
    (hi, wi), (ho, wo) = check_size(input_size, "input_size"), check_size(target_size, "target_size")
    c, f, n = channels, filters, num_res_blocks
    full = hi * wi * (49 * c * f + f * f)
    target = ho * wo * (n * 2 * 9 * f * f + 9 * f * f + 49 * f * c)
    return {"full_resolution": full, "target_resolution": target, "total": full + target}


# -- the diagram -------------------------------------------------------------------------------
_FULL, _TARGET, _IO = "#f6c28b", "#9cc3e6", "#d9d9d9"


def _box(ax, x, y, w, h, text, colour) -> None:
    ax.add_patch(
        FancyBboxPatch(
            (x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.004,rounding_size=0.012",
            facecolor=colour, edgecolor="#333333", linewidth=1.0,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=8.5)


def _arrow(ax, start, end, **kwargs) -> None:
    style = dict(arrowstyle="-|>", color="#333333", lw=1.0, shrinkA=0, shrinkB=0)
    style.update(kwargs)
    ax.annotate("", xy=end, xytext=start, arrowprops=style)


def _plus(ax, x, y, r=0.016) -> None:
    ax.add_patch(Circle((x, y), r, facecolor="white", edgecolor="#333333", linewidth=1.0))
    ax.text(x, y, "+", ha="center", va="center", fontsize=11)


def draw_resizer_diagram(
    input_size: int | Sequence[int] = (300, 300),
    target_size: int | Sequence[int] = (150, 150),
    filters: int = 16,
    num_res_blocks: int = 1,
    channels: int = 3,
    interpolation: str = "bilinear",
    figsize: tuple[float, float] = (7.5, 9.0),
) -> Figure:
    """A block diagram of the resizer, drawn with matplotlib: one box per stage with its output
    shape (``B x H x W x C``) and parameter count, orange at full resolution, blue at the
    target size, and the two skip connections (bottleneck and image). Returns the Figure."""
    (hi, wi), (ho, wo) = check_size(input_size, "input_size"), check_size(target_size, "target_size")
    c, f, n = channels, filters, num_res_blocks
    if not isinstance(n, int) or n < 1 or not isinstance(f, int) or f < 1:
        raise ValueError(f"filters and num_res_blocks must be integers >= 1; got {f!r}, {n!r}")
    block = 2 * 9 * f * f + 8 * f
    block_rows = [(f"residual block {i + 1}: conv3x3-BN-LReLU-conv3x3-BN, + skip", block)
                  for i in range(n)] if n <= 3 else [
        (f"{n} x residual block: conv3x3-BN-LReLU-conv3x3-BN, + skip", n * block)]
    full, target = f"B x {hi} x {wi}", f"B x {ho} x {wo}"
    # (label, shape text, params, colour, kind)
    rows = [
        ("input image", f"{full} x {c}", None, _IO, "box"),
        (f"conv 7x7, {c}->{f}  +  LeakyReLU(0.2)", f"{full} x {f}", 49 * c * f + f, _FULL, "box"),
        (f"conv 1x1, {f}->{f}  +  LeakyReLU(0.2)", f"{full} x {f}", f * f + f, _FULL, "box"),
        ("BatchNorm", f"{full} x {f}", 4 * f, _FULL, "box"),
        (f"{interpolation} resize of the features", f"{target} x {f}  (bottleneck)", 0, _TARGET, "box"),
        *[(label, f"{target} x {f}", p, _TARGET, "box") for label, p in block_rows],
        ("conv 3x3 (no bias)  +  BatchNorm", f"{target} x {f}", 9 * f * f + 4 * f, _TARGET, "box"),
        ("", "", None, None, "plus_bottleneck"),
        (f"conv 7x7, {f}->{c}", f"{target} x {c}", 49 * f * c + c, _TARGET, "box"),
        ("", "", None, None, "plus_image"),
        ("output image", f"{target} x {c}", None, _IO, "box"),
    ]
    fig, ax = plt.subplots(figsize=figsize)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    x0, width, height = 0.47, 0.5, 0.045
    ys = np.linspace(0.95, 0.04, len(rows))
    centres = {}
    for i, ((label, shape, params, colour, kind), y) in enumerate(zip(rows, ys, strict=True)):
        if kind == "box":
            _box(ax, x0, y, width, height, label, colour)
            note = shape if params is None else f"{shape}\n{params:,} params"
            ax.text(x0 + width / 2 + 0.015, y, note, ha="left", va="center", fontsize=7.5)
        else:
            _plus(ax, x0, y)
        centres[i] = (kind, y)
        if i:
            top = ys[i - 1] - (height / 2 if rows[i - 1][4] == "box" else 0.016)
            bottom = y + (height / 2 if kind == "box" else 0.016)
            _arrow(ax, (x0, top), (x0, bottom))
    y_bottleneck = ys[4]
    y_plus_b = next(y for (kind, y) in centres.values() if kind == "plus_bottleneck")
    y_plus_i = next(y for (kind, y) in centres.values() if kind == "plus_image")
    # bottleneck skip: from the resize box, down the left, into the first +
    xs = x0 - width / 2 - 0.03
    ax.plot([x0 - width / 2, xs, xs], [y_bottleneck, y_bottleneck, y_plus_b], color="#1f5f99", lw=1.2)
    _arrow(ax, (xs, y_plus_b), (x0 - 0.016, y_plus_b), color="#1f5f99", lw=1.2)
    ax.text(xs - 0.01, (y_bottleneck + y_plus_b) / 2, "bottleneck\nskip", ha="right",
            va="center", fontsize=7.5, color="#1f5f99")
    # image skip: the naive resize of the input, far left
    xi = 0.07
    y_in = ys[0]
    ax.plot([x0 - width / 2, xi, xi], [y_in, y_in, y_plus_i], color="#a0522d", lw=1.2)
    _arrow(ax, (xi, y_plus_i), (x0 - 0.016, y_plus_i), color="#a0522d", lw=1.2)
    _box(ax, xi, (y_in + y_plus_i) / 2, 0.12, 0.09, f"naive\n{interpolation}\nresize\nto {ho}x{wo}",
         _TARGET)
    total = resizer_param_count(c, f, n)
    ax.set_title(
        f"learnable resizer: {hi}x{wi} -> {ho}x{wo}, {f} filters, {n} residual block(s), "
        f"{total:,} parameters\norange: input resolution, blue: target resolution",
        fontsize=9,
    )
    fig.tight_layout()
    return fig
