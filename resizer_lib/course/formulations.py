"""Other published formulations of the resizer, and their bugs, made checkable.

* ``keras_io_resizer``: a functional-API port of the keras.io example "Learning to Resize in
  Computer Vision" (Sayak Paul). With its defaults it is the same network as
  ``resizer_lib.resizer.LearnableResizer``: same layers, same 12,163 parameters, same weight
  order, so ``set_weights`` carries weights across. Two flags reproduce published bugs:
  ``reuse_bottleneck=True`` (earlier versions of the example fed *every* residual block the
  bottleneck, ``for _ in range(n): x = res_block(bottleneck)``, so only the last block stays in
  the graph) and ``block_filters=16`` (the example's ``res_block`` hard-codes 16 filters, so any
  other ``filters`` fails at the skip connection).
* ``source_coordinates`` / ``linear_resize_1d``: where a linear resize samples its input with
  half-pixel centres (Keras, TensorFlow 2, JAX) or with PyTorch's ``align_corners=True``.
* ``pytorch_blog_counts``: the parameter count of a PyTorch resizer published in a blog post on the paper
  (conv biases everywhere; ``parameters()`` leaves BatchNorm running statistics out).
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
from keras import layers

from resizer_lib._checks import check_int, check_size

__all__ = [
    "keras_io_resizer",
    "linear_resize_1d",
    "pytorch_blog_counts",
    "source_coordinates",
]


def _conv_bn(x, filters: int, kernel: int, name: str, activation: bool):
    """Conv (no bias) -> BN [-> LeakyReLU 0.2], the example's ``conv_block``."""
    x = layers.Conv2D(filters, kernel, padding="same", use_bias=False, name=f"{name}_conv")(x)
    x = layers.BatchNormalization(name=f"{name}_bn")(x)
    return layers.LeakyReLU(negative_slope=0.2, name=f"{name}_lrelu")(x) if activation else x


def _res_block(x, filters: int, name: str):
    y = _conv_bn(x, filters, 3, f"{name}_a", activation=True)
    y = _conv_bn(y, filters, 3, f"{name}_b", activation=False)
    return layers.Add(name=f"{name}_add")([x, y])


def keras_io_resizer(
    target_size: int | Sequence[int],
    filters: int = 16,
    num_res_blocks: int = 1,
    interpolation: str = "bilinear",
    block_filters: int | None = None,
    reuse_bottleneck: bool = False,
    name: str = "keras_io_resizer",
) -> keras.Model:
    """The keras.io example's resizer ``(B, None, None, 3) -> (B, h, w, 3)``, functional API.

    Args:
        target_size: ``(h, w)`` or an int.
        filters: width of the stem, the projection and (unless ``block_filters``) the blocks.
        num_res_blocks: residual blocks at the target size.
        interpolation: for both ``Resizing`` layers (naive image and feature bottleneck).
        block_filters: filters inside each residual block; ``None`` uses ``filters`` (correct);
            ``16`` reproduces the example's hard-coded count (then ``filters != 16`` raises
            Keras' shape error at the block's ``Add``).
        reuse_bottleneck: ``True`` reproduces the earlier loop ``x = res_block(bottleneck)``:
            every block reads the bottleneck, so blocks ``1 .. n-1`` are dropped from the model.
    """
    h, w = check_size(target_size, "target_size")
    inner = filters if block_filters is None else block_filters
    inputs = keras.Input(shape=(None, None, 3), name="image")
    naive = layers.Resizing(h, w, interpolation=interpolation, name="naive_resize")(inputs)
    x = layers.Conv2D(filters, 7, padding="same", name="stem_conv7x7")(inputs)
    x = layers.LeakyReLU(negative_slope=0.2, name="stem_lrelu1")(x)
    x = layers.Conv2D(filters, 1, padding="same", name="stem_conv1x1")(x)
    x = layers.LeakyReLU(negative_slope=0.2, name="stem_lrelu2")(x)
    x = layers.BatchNormalization(name="stem_bn")(x)
    bottleneck = layers.Resizing(h, w, interpolation=interpolation, name="bottleneck")(x)
    x = bottleneck
    for i in range(num_res_blocks):
        x = _res_block(bottleneck if reuse_bottleneck else x, inner, f"res{i}")
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name="tail_conv3x3")(x)
    x = layers.BatchNormalization(name="tail_bn")(x)
    x = layers.Add(name="bottleneck_skip")([bottleneck, x])
    x = layers.Conv2D(3, 7, padding="same", name="out_conv7x7")(x)
    outputs = layers.Add(name="image_skip")([naive, x])
    return keras.Model(inputs, outputs, name=name)


def source_coordinates(in_size: int, out_size: int, align_corners: bool = False) -> np.ndarray:
    """Where output pixel ``i`` samples the input of a linear resize, ``float64 (out_size,)``.

    Pixel ``k`` of the input is centred at coordinate ``k``.

    * half-pixel centres (``align_corners=False``; Keras, TF2, JAX, PyTorch's default):
      ``(i + 0.5) * in_size / out_size - 0.5``; for an exact 2x reduction every output pixel
      sits halfway between two input pixels (``0.5, 2.5, 4.5, ...``): it averages them.
    * ``align_corners=True`` (PyTorch option, TF1 ``resize_bilinear``): the corner pixels map
      onto each other, ``i * (in_size - 1) / (out_size - 1)``: a slightly different scale
      (``299 / 149`` instead of ``2`` for 300 -> 150) whose phase drifts across the image.
    """
    for value, label in ((in_size, "in_size"), (out_size, "out_size")):
        check_int(value, label)
    i = np.arange(out_size, dtype=np.float64)
    if align_corners:
        return i * ((in_size - 1) / (out_size - 1)) if out_size > 1 else np.zeros(1)
    return (i + 0.5) * (in_size / out_size) - 0.5


def linear_resize_1d(signal: Sequence[float], out_size: int, align_corners: bool = False) -> np.ndarray:
    """Linearly resample a 1-D ``signal (N,)`` to ``(out_size,)`` (no antialias); positions from
    ``source_coordinates``, clamped to the edge pixels as every library does."""
    values = np.asarray(signal, dtype=np.float64)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"signal must be a non-empty 1-D sequence; got shape {values.shape}")
    coords = source_coordinates(values.size, out_size, align_corners)
    return np.interp(np.clip(coords, 0, values.size - 1), np.arange(values.size), values)


def pytorch_blog_counts(channels: int = 3, filters: int = 16, num_res_blocks: int = 1) -> dict:
    """Sizes of the blog post's PyTorch ``Resizer`` (every ``nn.Conv2d`` keeps its bias).

    Returns ``{"parameters": ..., "buffers": ..., "bias_before_bn": ...}``: ``parameters`` is
    ``sum(p.numel() for p in model.parameters())`` (trainable only: PyTorch keeps BatchNorm's
    running mean and variance in buffers), ``buffers`` those running statistics (``2F`` per
    BatchNorm; plus one ``num_batches_tracked`` scalar each, not counted), ``bias_before_bn``
    the biases of convolutions that feed a BatchNorm (Keras's version drops them).
    """
    c, f, n = channels, filters, num_res_blocks
    batchnorms = 1 + 2 * n + 1
    conv_weights = 49 * c * f + f * f + n * 2 * 9 * f * f + 9 * f * f + 49 * f * c
    conv_biases = f + f + n * 2 * f + f + c
    bias_before_bn = n * 2 * f + f  # res-block convs and the 3x3 projection
    return {
        "parameters": conv_weights + conv_biases + batchnorms * 2 * f,
        "buffers": batchnorms * 2 * f,
        "bias_before_bn": bias_before_bn,
    }
