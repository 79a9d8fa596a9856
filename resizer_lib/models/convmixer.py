"""ConvMixer ("Patches Are All You Need?", Trockman & Kolter, 2022): ``(B, H, W, C)`` in ``[0, 1]``
-> ``(B, K)`` probabilities: a patch embedding, ``depth`` blocks of depth-wise then point-wise
convolutions with residuals, global average pooling and a softmax ``Dense``."""

from __future__ import annotations

import math
from collections.abc import Sequence

import keras
import numpy as np
from keras import layers

from resizer_lib._checks import check_int, is_int

BN_MOMENTUM = 0.9  # PyTorch's default (its momentum=0.1), as in the paper's code

__all__ = ["BN_MOMENTUM", "build_convmixer", "convmixer_param_count", "depthwise_kernels",
           "filter_mosaic", "find_convmixer", "normalise_per_filter", "patch_embeddings"]


def _check_input_shape(input_shape: object, patch_size: int) -> tuple:
    """``(H, W, C)`` with ``H, W >= patch_size`` (or ``None``: any size) and ``C >= 1``."""
    ok = isinstance(input_shape, Sequence) and not isinstance(input_shape, str) and len(input_shape) == 3
    if ok:
        *spatial, channels = input_shape
        ok = all(d is None or (is_int(d) and d > 0) for d in spatial) and is_int(channels) and channels > 0
    if not ok:
        raise ValueError(
            f"input_shape must be (height, width, channels) with positive integers (height and "
            f"width may be None); got {input_shape!r}. For RGB 32x32 images pass (32, 32, 3)"
        )
    small = [d for d in input_shape[:2] if d is not None and d < patch_size]
    if small:
        raise ValueError(
            f"input_shape {tuple(input_shape)} is smaller than patch_size={patch_size}: the patch "
            f"embedding needs at least one {patch_size}x{patch_size} patch. Use larger images or "
            f"a smaller patch_size"
        )
    return tuple(None if d is None else int(d) for d in input_shape)


def build_convmixer(
    input_shape: Sequence[int | None],
    num_classes: int,
    width: int = 256,
    depth: int = 8,
    kernel_size: int = 5,
    patch_size: int = 2,
    name: str = "convmixer",
) -> keras.Model:
    """ConvMixer-``width``/``depth``: ``(B, H, W, C)`` in ``[0, 1]`` -> ``(B, num_classes)`` softmax."""
    width = check_int(width, "width")
    depth = check_int(depth, "depth")
    kernel_size = check_int(kernel_size, "kernel_size")
    patch_size = check_int(patch_size, "patch_size")
    num_classes = check_int(num_classes, "num_classes", minimum=2)
    shape = _check_input_shape(input_shape, patch_size)
    inputs = keras.Input(shape=shape, name="pixels")
    x = layers.Conv2D(width, patch_size, strides=patch_size, name="patch_embed")(inputs)
    x = layers.Activation("gelu", name="patch_gelu")(x)
    x = layers.BatchNormalization(momentum=BN_MOMENTUM, name="patch_bn")(x)
    for i in range(depth):
        x = _mixer_block(x, width, kernel_size, f"mixer{i}")
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    outputs = layers.Dense(num_classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name=name)


def _mixer_block(x, width: int, kernel_size: int, prefix: str):
    """One block: ``(B, h, w, width) -> (B, h, w, width)``."""
    shortcut = x
    x = layers.DepthwiseConv2D(kernel_size, padding="same", name=f"{prefix}_depthwise")(x)
    x = layers.Activation("gelu", name=f"{prefix}_dw_gelu")(x)
    x = layers.BatchNormalization(momentum=BN_MOMENTUM, name=f"{prefix}_dw_bn")(x)
    x = layers.Add(name=f"{prefix}_residual")([x, shortcut])
    x = layers.Conv2D(width, 1, name=f"{prefix}_pointwise")(x)
    x = layers.Activation("gelu", name=f"{prefix}_pw_gelu")(x)
    return layers.BatchNormalization(momentum=BN_MOMENTUM, name=f"{prefix}_pw_bn")(x)


def convmixer_param_count(
    width: int = 256,
    depth: int = 8,
    kernel_size: int = 5,
    patch_size: int = 2,
    channels: int = 3,
    num_classes: int = 10,
) -> dict[str, int]:
    """The parameter count by hand: ``{"stem", "block", "blocks", "head", "total", "trainable"}``
    (BatchNorm: 4 vectors per channel, the 2 moving statistics not trainable)."""
    bn = 4 * width
    stem = patch_size * patch_size * channels * width + width + bn
    block = (kernel_size * kernel_size * width + width + bn) + (width * width + width + bn)
    head = width * num_classes + num_classes
    total = stem + depth * block + head
    moving_stats = 2 * width * (1 + 2 * depth)
    return {"stem": stem, "block": block, "blocks": depth * block, "head": head,
            "total": total, "trainable": total - moving_stats}


def find_convmixer(model: keras.Model) -> keras.Model:
    """The (possibly nested) model with a ``patch_embed`` layer: ``model`` or one inside it."""
    if any(layer.name == "patch_embed" for layer in model.layers):
        return model
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            try:
                return find_convmixer(layer)
            except ValueError:
                continue
    raise ValueError(
        f"model {model.name!r} holds no ConvMixer (no 'patch_embed' layer); build it with "
        f"build_convmixer or build_classifier('convmixer', ...)"
    )


def normalise_per_filter(filters: np.ndarray) -> np.ndarray:
    """Min-max scale each filter ``filters[i]`` to ``[0, 1]``: ``(N, ...) -> (N, ...)`` float32
    (a constant filter: 0.5). Per filter, since their scales differ by orders of magnitude."""
    arr = np.asarray(filters, dtype=np.float32)
    if arr.ndim < 2 or arr.shape[0] == 0:
        raise ValueError(f"filters must have shape (N, ...) with N >= 1; got {arr.shape}")
    axes = tuple(range(1, arr.ndim))
    lo, hi = arr.min(axis=axes, keepdims=True), arr.max(axis=axes, keepdims=True)
    span = hi - lo
    out = np.where(span > 0, (arr - lo) / np.where(span > 0, span, 1.0), 0.5)
    return out.astype(np.float32)


def patch_embeddings(model: keras.Model, normalise: bool = True) -> np.ndarray:
    """The stem's filters as ``(width, p, p, C)`` images (each normalised to ``[0, 1]``); ``model``
    is a ConvMixer or a classifier holding one."""
    kernel = keras.ops.convert_to_numpy(find_convmixer(model).get_layer("patch_embed").kernel)
    filters = np.transpose(kernel, (3, 0, 1, 2))  # (p, p, C, width) -> (width, p, p, C)
    return normalise_per_filter(filters) if normalise else filters


def depthwise_kernels(model: keras.Model, block: int = 0, normalise: bool = True) -> np.ndarray:
    """The ``k x k`` depth-wise kernels of mixer ``block`` as ``(width, k, k)`` (normalised)."""
    net = find_convmixer(model)
    names = [layer.name for layer in net.layers if layer.name.endswith("_depthwise")]
    if isinstance(block, bool) or not isinstance(block, int) or not 0 <= block < len(names):
        raise ValueError(f"block must be an integer in 0..{len(names) - 1}; got {block!r}")
    kernel = keras.ops.convert_to_numpy(net.get_layer(f"mixer{block}_depthwise").kernel)
    filters = np.transpose(kernel[..., 0], (2, 0, 1))  # (k, k, width, 1) -> (width, k, k)
    return normalise_per_filter(filters) if normalise else filters


def filter_mosaic(filters: np.ndarray, ncols: int = 16, pad: int = 1, fill: float = 1.0) -> np.ndarray:
    """Tile ``(N, k, k[, C])`` filters into one image ``(rows*(k+pad)+pad, ncols*(k+pad)+pad[, C])``
    for one fast ``imshow``; gaps and empty cells are ``fill``."""
    arr = np.asarray(filters, dtype=np.float32)
    if arr.ndim not in (3, 4) or arr.shape[0] == 0:
        raise ValueError(f"filters must be (N, k, k) or (N, k, k, C) with N >= 1; got {arr.shape}")
    ncols = check_int(ncols, "ncols")
    pad = check_int(pad, "pad", minimum=0)
    n, kh, kw = arr.shape[:3]
    cols = min(ncols, n)
    rows = math.ceil(n / cols)
    out = np.full((rows * (kh + pad) + pad, cols * (kw + pad) + pad, *arr.shape[3:]), fill, np.float32)
    for i in range(n):
        r, c = divmod(i, cols)
        top, left = pad + r * (kh + pad), pad + c * (kw + pad)
        out[top : top + kh, left : left + kw] = arr[i]
    return out
