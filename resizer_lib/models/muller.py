"""MULLER, the multilayer Laplacian resizer (Tu, Milanfar & Talebi, ICCV 2023, arXiv 2304.02859).

A plain resize plus the resized band-pass details of the input, two learned scalars per layer::

    x_0 = x,   y = resize(x)                                    # (B, h, w, C)
    for k = 1 .. K:
        x_k = G(x_{k-1})                                         # Gaussian blur, (B, H, W, C)
        y   = y + tanh(w_k * resize(x_k - x_{k-1}) + b_k)        # detail of band k, resized
    return y

``G``: a separable Gaussian per channel, zero padding. All ``w_k = b_k = 0`` at the start, so
training starts from the plain resize. Written from the paper's description.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import keras
from keras import layers, ops

from resizer_lib._checks import check_int, check_size
from resizer_lib.interpolation import check_interpolation

__all__ = ["MullerResizer", "gaussian_taps"]


def gaussian_taps(kernel_size: int, stddev: float) -> list[float]:
    """The 1-D Gaussian filter ``(kernel_size,)``, normalised to sum 1."""
    taps = [math.exp(-(i * i) / (2.0 * stddev * stddev)) for i in range(-(kernel_size // 2), kernel_size // 2 + 1)]
    return [t / sum(taps) for t in taps]


@keras.saving.register_keras_serializable(package="resizer_lib")
class MullerResizer(layers.Layer):
    """MULLER: ``(B, H, W, C) -> (B, h, w, C)`` with ``(h, w) = target_size``.

    Args:
        target_size: ``(h, w)`` or an int for a square.
        num_layers: ``K``, the number of Laplacian layers (the paper uses 2).
        kernel_size: taps of the Gaussian blur (odd, >= 3; the paper: 5).
        stddev: its standard deviation in pixels (the paper: 1.0).
        interpolation: the base resize (``bilinear`` in the paper); must have a gradient.
        antialias: antialias the resizes (off in the paper).
    """

    def __init__(self, target_size: int | Sequence[int] = (224, 224), num_layers: int = 2, kernel_size: int = 5,
                 stddev: float = 1.0, interpolation: str = "bilinear", antialias: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.target_size = check_size(target_size, "target_size")
        self.num_layers = check_int(num_layers, "num_layers")
        self.kernel_size = check_int(kernel_size, "kernel_size", minimum=3)
        if self.kernel_size % 2 == 0:
            raise ValueError(f"kernel_size must be odd (a centred filter); got {kernel_size!r}")
        if isinstance(stddev, bool) or not isinstance(stddev, (int, float)) or not stddev > 0:
            raise ValueError(f"stddev must be a number > 0 (pixels); got {stddev!r}")
        self.stddev = float(stddev)
        self.interpolation = check_interpolation(interpolation, "training")
        self.antialias = bool(antialias)

    def build(self, input_shape):
        if len(input_shape) != 4 or input_shape[-1] is None:
            raise ValueError(f"MullerResizer expects (B, H, W, C) with a known C; got {tuple(input_shape)}")
        self.channels = int(input_shape[-1])
        self.layer_weights, self.layer_biases = [], []
        for k in range(1, self.num_layers + 1):  # in this order: saved files list them so
            self.layer_weights.append(self.add_weight(name=f"weight_{k}", shape=(), initializer="zeros"))
            self.layer_biases.append(self.add_weight(name=f"bias_{k}", shape=(), initializer="zeros"))

    def _resize(self, x):
        return ops.image.resize(x, self.target_size, interpolation=self.interpolation, antialias=self.antialias)

    def _blur(self, x):
        """Separable Gaussian per channel, zero padding: ``(B, H, W, C) -> (B, H, W, C)``."""
        taps = ops.convert_to_tensor(gaussian_taps(self.kernel_size, self.stddev), dtype=x.dtype)
        ones = ops.ones((1, 1, self.channels, 1), dtype=x.dtype)
        vertical = ops.reshape(taps, (self.kernel_size, 1, 1, 1)) * ones
        horizontal = ops.reshape(taps, (1, self.kernel_size, 1, 1)) * ones
        x = ops.depthwise_conv(x, horizontal, strides=1, padding="same")
        return ops.depthwise_conv(x, vertical, strides=1, padding="same")

    def call(self, inputs):
        x = ops.cast(inputs, self.compute_dtype)
        y = self._resize(x)
        for weight, bias in zip(self.layer_weights, self.layer_biases, strict=True):
            blurred = self._blur(x)
            y = y + ops.tanh(weight * self._resize(blurred - x) + bias)
            x = blurred
        return y

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *self.target_size, input_shape[-1])

    def get_config(self):
        return super().get_config() | dict(target_size=list(self.target_size), num_layers=self.num_layers,
                                           kernel_size=self.kernel_size, stddev=self.stddev,
                                           interpolation=self.interpolation, antialias=self.antialias)
