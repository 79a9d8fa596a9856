"""CNN arithmetic for lessons 01-03 and the exercise checks: output sizes, receptive fields, a
layer's cost, hand-made line filters and depth-wise max pooling. Channels-last: ``(H, W, C)``
for NumPy, ``(B, H, W, C)`` for Keras tensors, kernels ``(kh, kw, C_in, C_out)``."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import keras
import numpy as np
from keras import layers

from resizer_lib._checks import check_int, check_size

__all__ = ["DepthwiseMaxPooling2D", "LayerCost", "conv_layer_cost", "conv_output_size", "line_filters",
           "receptive_fields"]


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: str = "valid") -> int:
    """Output length along one axis: ``"valid"`` (n - k) // s + 1, ``"same"`` ceil(n / s) (Keras' rule)."""
    n, k, s = check_int(size, "size"), check_int(kernel_size, "kernel_size"), check_int(stride, "stride")
    if not isinstance(padding, str) or padding.lower() not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same'; got {padding!r}")
    if padding.lower() == "same":
        return math.ceil(n / s)
    if n < k:
        raise ValueError(f"kernel_size={k} does not fit in size={n} with padding='valid'; use padding='same' or a "
                         "smaller kernel")
    return (n - k) // s + 1


def line_filters(size: int = 7, angles: Sequence[int] = (90, 0)) -> np.ndarray:
    """Line detectors ``float32 (size, size, 1, len(angles))``, one per angle in degrees (0 is
    horizontal, 45 "/", 90 vertical, 135 "\\"): +2 on the line, minus as much on its two
    neighbouring lines, so each sums to zero."""
    size = check_int(size, "size", minimum=3)
    if size % 2 == 0:
        raise ValueError(f"size must be odd so the line has a centre; got {size}")
    angles = tuple(angles)
    if not angles or any(a not in (0, 45, 90, 135) for a in angles):
        raise ValueError(f"angles must be a non-empty list of [0, 45, 90, 135]; got {angles!r}")
    row, col = np.mgrid[:size, :size] - size // 2
    filters = np.zeros((size, size, 1, len(angles)), dtype=np.float32)
    for i, angle in enumerate(angles):
        across = {0: row, 45: row + col, 90: col, 135: col - row}[angle]  # steps across the line
        line, sides = across == 0, np.abs(across) == 1
        filters[:, :, 0, i] = 2 * line - sides * (2 * line.sum() / sides.sum())
    return filters


def receptive_fields(specs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``[(r_1, j_1), ...]``: receptive field and jump (in input pixels) after each of the
    ``(kernel_size, stride)`` layers: r_l = r_{l-1} + (k_l - 1) j_{l-1}, j_l = j_{l-1} s_l."""
    if isinstance(specs, (str, bytes)) or not isinstance(specs, Sequence) or not specs:
        raise ValueError(f"specs must be a non-empty list of (kernel_size, stride); got {specs!r}")
    rf, jump, out = 1, 1, []
    for i, spec in enumerate(specs):
        if not isinstance(spec, (tuple, list)) or len(spec) != 2:
            raise ValueError(f"specs[{i}] must be (kernel_size, stride); got {spec!r}")
        k, s = check_int(spec[0], f"specs[{i}] kernel_size"), check_int(spec[1], f"specs[{i}] stride")
        rf, jump = rf + (k - 1) * jump, jump * s
        out.append((rf, jump))
    return out


@dataclass(frozen=True)
class LayerCost:
    """What one ``Conv2D`` layer costs per input image (multiply by the batch size)."""

    params: int  # weights + biases
    output_shape: tuple[int, int, int]  # (H', W', filters)
    activations: int  # numbers in the output feature maps
    bytes_per_image: int  # activations x 4 bytes (float32)
    multiplications: int  # multiply-adds to compute the output

    def as_row(self) -> dict:
        """The cost as one row of a table, in readable units."""
        return {"parameters": f"{self.params:,}", "output (H', W', C)": " x ".join(map(str, self.output_shape)),
                "activations / image": f"{self.activations:,}",
                "memory / image": f"{self.bytes_per_image / 1e6:.1f} MB",
                "multiply-adds / image": f"{self.multiplications / 1e6:,.0f} M"}


def conv_layer_cost(input_shape: Sequence[int], filters: int, kernel_size: int | Sequence[int],
                    strides: int | Sequence[int] = 1, padding: str = "same", use_bias: bool = True) -> LayerCost:
    """Parameters, float32 output memory and multiply-adds of a ``Conv2D`` on ``(H, W, C_in)`` inputs."""
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (H, W, C_in); got {input_shape!r}")
    h, w, c_in = (check_int(v, "input_shape") for v in input_shape)
    f = check_int(filters, "filters")
    (kh, kw), (sh, sw) = check_size(kernel_size, "kernel_size"), check_size(strides, "strides")
    out_h, out_w = conv_output_size(h, kh, sh, padding), conv_output_size(w, kw, sw, padding)
    activations = out_h * out_w * f
    return LayerCost(params=(kh * kw * c_in + (1 if use_bias else 0)) * f, output_shape=(out_h, out_w, f),
                     activations=activations, bytes_per_image=4 * activations,
                     multiplications=kh * kw * c_in * activations)


@keras.saving.register_keras_serializable(package="resizer_lib")
class DepthwiseMaxPooling2D(layers.Layer):
    """Max over groups of ``pool_size`` consecutive channels: ``(B, H, W, C) -> (B, H, W, C/k)``."""

    def __init__(self, pool_size: int = 2, **kwargs):
        super().__init__(**kwargs)
        self.pool_size = check_int(pool_size, "pool_size")

    def build(self, input_shape):
        if input_shape[-1] is None or input_shape[-1] % self.pool_size:
            raise ValueError(f"DepthwiseMaxPooling2D(pool_size={self.pool_size}) needs a channel count that "
                             f"is a multiple of {self.pool_size}; got {input_shape[-1]}")
        super().build(input_shape)

    def call(self, inputs):
        shape = keras.ops.shape(inputs)
        groups = inputs.shape[-1] // self.pool_size
        return keras.ops.max(keras.ops.reshape(inputs, (*shape[:-1], groups, self.pool_size)), axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], input_shape[-1] // self.pool_size)

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size}
