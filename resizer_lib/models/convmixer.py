"""ConvMixer ("Patches Are All You Need?", Trockman & Kolter, 2022): ``(B, H, W, C)`` in ``[0, 1]``
-> ``(B, K)`` probabilities: a patch embedding, ``depth`` blocks of depth-wise then point-wise
convolutions with residuals, global average pooling and a softmax ``Dense``."""

from __future__ import annotations

from collections.abc import Sequence

import keras
from keras import layers

from resizer_lib._checks import check_int, is_int

BN_MOMENTUM = 0.9  # PyTorch's default (its momentum=0.1), as in the paper's code

__all__ = ["BN_MOMENTUM", "build_convmixer", "convmixer_param_count"]


def _check_input_shape(input_shape: object, patch_size: int) -> tuple:
    """``(H, W, C)`` with ``H, W >= patch_size`` (or ``None``: any size) and ``C >= 1``."""
    ok = isinstance(input_shape, Sequence) and not isinstance(input_shape, str) and len(input_shape) == 3
    if not (ok and all(d is None or (is_int(d) and d > 0) for d in input_shape[:2])
            and is_int(input_shape[2]) and input_shape[2] > 0):
        raise ValueError(f"input_shape must be (height, width, channels) with positive integers (height and "
                         f"width may be None); got {input_shape!r}. For RGB 32x32 images pass (32, 32, 3)")
    if any(d is not None and d < patch_size for d in input_shape[:2]):
        raise ValueError(f"input_shape {tuple(input_shape)} is smaller than patch_size={patch_size}: the "
                         f"patch embedding needs one {patch_size}x{patch_size} patch; use larger images or a "
                         "smaller patch_size")
    return tuple(None if d is None else int(d) for d in input_shape)


def build_convmixer(input_shape: Sequence[int | None], num_classes: int, width: int = 256, depth: int = 8,
                    kernel_size: int = 5, patch_size: int = 2, name: str = "convmixer") -> keras.Model:
    """ConvMixer-``width``/``depth``: ``(B, H, W, C)`` in ``[0, 1]`` -> ``(B, num_classes)`` softmax."""
    width, depth = check_int(width, "width"), check_int(depth, "depth")
    kernel_size, patch_size = check_int(kernel_size, "kernel_size"), check_int(patch_size, "patch_size")
    num_classes = check_int(num_classes, "num_classes", minimum=2)
    inputs = keras.Input(shape=_check_input_shape(input_shape, patch_size), name="pixels")
    x = _gelu_bn(layers.Conv2D(width, patch_size, strides=patch_size, name="patch_embed")(inputs), "patch")
    for i in range(depth):  # one block: (B, h, w, width) -> (B, h, w, width)
        y = _gelu_bn(layers.DepthwiseConv2D(kernel_size, padding="same", name=f"mixer{i}_depthwise")(x), f"mixer{i}_dw")
        x = layers.Add(name=f"mixer{i}_residual")([y, x])
        x = _gelu_bn(layers.Conv2D(width, 1, name=f"mixer{i}_pointwise")(x), f"mixer{i}_pw")
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    return keras.Model(inputs, layers.Dense(num_classes, activation="softmax", name="predictions")(x), name=name)


def _gelu_bn(x, name: str):
    """GELU then BatchNorm, the paper's order: layers ``{name}_gelu`` and ``{name}_bn``."""
    x = layers.Activation("gelu", name=f"{name}_gelu")(x)
    return layers.BatchNormalization(momentum=BN_MOMENTUM, name=f"{name}_bn")(x)


def convmixer_param_count(width: int = 256, depth: int = 8, kernel_size: int = 5, patch_size: int = 2,
                          channels: int = 3, num_classes: int = 10) -> dict[str, int]:
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
