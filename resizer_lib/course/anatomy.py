"""Inside the learnable resizer: run it stage by stage, list its layers, count its work, draw it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import ops
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch

from resizer_lib._checks import check_int, check_size
from resizer_lib.course.extract import find_resizer_layer
from resizer_lib.models.resizer import resizer_param_count

__all__ = ["Stage", "draw_resizer_diagram", "multiply_adds", "resizer_stages", "sublayers"]


class Stage(NamedTuple):
    """One intermediate tensor of the resizer: ``value`` is a NumPy array ``(B, ., ., .)``."""

    name: str
    description: str
    value: np.ndarray
    shape: tuple[int, ...]


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
    interp = layer.interpolation
    return [Stage(name, text, value := ops.convert_to_numpy(tensor), tuple(value.shape)) for name, text, tensor in (
        ("input", "the images, values in [0, 1]", x),
        ("naive", f"{interp} resize of the input (the image skip)", naive),
        ("features", "conv 7x7 -> LeakyReLU -> conv 1x1 -> LeakyReLU -> BN", features),
        ("bottleneck", f"{interp} resize of the features", bottleneck),
        ("refined", "residual blocks -> conv 3x3 -> BN, + bottleneck", refined),
        ("correction", "conv 7x7 back to the image channels", correction),
        ("output", "naive + correction", naive + correction))]


def sublayers(resizer: Any) -> list[keras.layers.Layer]:
    """The resizer's layers in forward order (stem, residual blocks, tail, output conv)."""
    layer = find_resizer_layer(resizer)
    blocks = [getattr(block, part) for block in layer.res_blocks for part in block.PARTS]
    return [layer.stem_conv7, layer.stem_act1, layer.stem_conv1, layer.stem_act2, layer.stem_bn,
            *blocks, layer.tail_conv3, layer.tail_bn, layer.out_conv7]


def multiply_adds(input_size: int | Sequence[int], target_size: int | Sequence[int], channels: int = 3,
                  filters: int = 16, num_res_blocks: int = 1) -> dict[str, int]:
    """Multiply-adds of the resizer's convolutions for one image, split by resolution."""
    (hi, wi), (ho, wo) = check_size(input_size, "input_size"), check_size(target_size, "target_size")
    c, f, n = channels, filters, num_res_blocks
    full = hi * wi * (49 * c * f + f * f)
    target = ho * wo * (n * 2 * 9 * f * f + 9 * f * f + 49 * f * c)
    return {"full_resolution": full, "target_resolution": target, "total": full + target}


# -- the diagram -------------------------------------------------------------------------------
_FULL, _TARGET, _IO, _INK = "#f6c28b", "#9cc3e6", "#d9d9d9", "#333333"


def _box(ax, x, y, w, h, text, colour) -> None:
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.004,rounding_size=0.012",
                                facecolor=colour, edgecolor=_INK, linewidth=1.0))
    ax.text(x, y, text, ha="center", va="center", fontsize=8.5)


def _arrow(ax, start, end, colour: str = _INK, lw: float = 1.0) -> None:
    ax.annotate("", xy=end, xytext=start, arrowprops=dict(arrowstyle="-|>", color=colour, lw=lw, shrinkA=0, shrinkB=0))


def draw_resizer_diagram(input_size: int | Sequence[int] = (300, 300), target_size: int | Sequence[int] = (150, 150),
                         filters: int = 16, num_res_blocks: int = 1, channels: int = 3,
                         interpolation: str = "bilinear", figsize: tuple[float, float] = (7.5, 9.0)) -> Figure:
    """A block diagram of the resizer, drawn with matplotlib: one box per stage with its output
    shape (``B x H x W x C``) and parameter count, orange at full resolution, blue at the
    target size, and the two skip connections (bottleneck and image). Returns the Figure."""
    (hi, wi), (ho, wo) = check_size(input_size, "input_size"), check_size(target_size, "target_size")
    c, f, n = channels, check_int(filters, "filters"), check_int(num_res_blocks, "num_res_blocks")
    full, target, block = f"B x {hi} x {wi}", f"B x {ho} x {wo}", 2 * 9 * f * f + 8 * f
    unit = "conv3x3-BN-LReLU-conv3x3-BN, + skip"
    blocks = [(f"residual block {i + 1}: {unit}", f"{target} x {f}", block, _TARGET) for i in range(n)] \
        if n <= 3 else [(f"{n} x residual block: {unit}", f"{target} x {f}", n * block, _TARGET)]
    rows = [("input image", f"{full} x {c}", None, _IO),  # (label, shape, parameters, colour); None: a "+"
            (f"conv 7x7, {c}->{f}  +  LeakyReLU(0.2)", f"{full} x {f}", 49 * c * f + f, _FULL),
            (f"conv 1x1, {f}->{f}  +  LeakyReLU(0.2)", f"{full} x {f}", f * f + f, _FULL),
            ("BatchNorm", f"{full} x {f}", 4 * f, _FULL),
            (f"{interpolation} resize of the features", f"{target} x {f}  (bottleneck)", 0, _TARGET), *blocks,
            ("conv 3x3 (no bias)  +  BatchNorm", f"{target} x {f}", 9 * f * f + 4 * f, _TARGET), None,
            (f"conv 7x7, {f}->{c}", f"{target} x {c}", 49 * f * c + c, _TARGET), None,
            ("output image", f"{target} x {c}", None, _IO)]
    fig, ax = plt.subplots(figsize=figsize)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    x0, width, height, r = 0.47, 0.5, 0.045, 0.016
    ys = np.linspace(0.95, 0.04, len(rows))
    for i, (row, y) in enumerate(zip(rows, ys, strict=True)):
        if row is None:
            ax.add_patch(Circle((x0, y), r, facecolor="white", edgecolor=_INK, linewidth=1.0))
            ax.text(x0, y, "+", ha="center", va="center", fontsize=11)
        else:
            label, shape, params, colour = row
            _box(ax, x0, y, width, height, label, colour)
            note = shape if params is None else f"{shape}\n{params:,} params"
            ax.text(x0 + width / 2 + 0.015, y, note, ha="left", va="center", fontsize=7.5)
        if i:
            above, below = (r if x is None else height / 2 for x in (rows[i - 1], row))
            _arrow(ax, (x0, ys[i - 1] - above), (x0, y + below))
    plus_b, plus_i = (y for row, y in zip(rows, ys, strict=True) if row is None)
    xb, xi = x0 - width / 2 - 0.03, 0.07  # the bottleneck skip (from the resize box) and the image skip
    for x, start, end, colour in ((xb, ys[4], plus_b, "#1f5f99"), (xi, ys[0], plus_i, "#a0522d")):
        ax.plot([x0 - width / 2, x, x], [start, start, end], color=colour, lw=1.2)
        _arrow(ax, (x, end), (x0 - r, end), colour, 1.2)
    ax.text(xb - 0.01, (ys[4] + plus_b) / 2, "bottleneck\nskip", ha="right", va="center", fontsize=7.5,
            color="#1f5f99")
    _box(ax, xi, (ys[0] + plus_i) / 2, 0.12, 0.09, f"naive\n{interpolation}\nresize\nto {ho}x{wo}", _TARGET)
    ax.set_title(f"learnable resizer: {hi}x{wi} -> {ho}x{wo}, {f} filters, {n} residual block(s), "
                 f"{resizer_param_count(c, f, n):,} parameters\norange: input resolution, blue: target resolution",
                 fontsize=9)
    fig.tight_layout()
    return fig
