"""CNN fundamentals for lessons 01-03: convolution by hand, output sizes, receptive fields, layer
costs, depth-wise pooling, and the classic building blocks (residual unit, ResNet-34, SE block).
Channels-last: ``(H, W[, C])`` for NumPy helpers, ``(B, H, W, C)`` for Keras tensors; kernels
``(kh, kw, C_in, C_out)`` as ``Conv2D`` stores them; "convolution" is cross-correlation."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import keras
import numpy as np
from keras import layers

from resizer_lib._checks import check_int, check_size

__all__ = [
    "LINE_ANGLES", "PADDINGS", "RESNET34_STAGES", "RESNET34_TRAINABLE_PARAMS",
    "DepthwiseMaxPooling2D", "LayerCost", "build_resnet34", "conv2d_numpy", "conv_layer_cost",
    "conv_output_size", "empirical_receptive_field", "line_filters", "receptive_fields",
    "residual_unit", "same_padding", "se_block",
]


PADDINGS = ("valid", "same")
RESNET34_STAGES = ((64, 3), (128, 4), (256, 6), (512, 3))  # (filters, residual units)
# torchvision's resnet34 (1000 classes) has 21,797,672 parameters, all trainable (its batch-norm
# running statistics are buffers, not parameters); Keras counts those as non-trainable weights.
RESNET34_TRAINABLE_PARAMS = 21_797_672


# -- argument checks -------------------------------------------------------------------------
def _check_padding(padding: object) -> str:
    if not isinstance(padding, str) or padding.lower() not in PADDINGS:
        raise ValueError(f"padding must be 'valid' or 'same'; got {padding!r}")
    return padding.lower()


# -- sizes -----------------------------------------------------------------------------------
def conv_output_size(
    size: int, kernel_size: int, stride: int = 1, padding: str = "valid", dilation: int = 1
) -> int:
    """Output length along one axis: ``"valid"`` (n - k_eff) // s + 1 with k_eff = (k - 1) d + 1;
    ``"same"`` ceil(n / s) (TensorFlow's and Keras' rule)."""
    n = check_int(size, "size")
    k = check_int(kernel_size, "kernel_size")
    s = check_int(stride, "stride")
    d = check_int(dilation, "dilation")
    padding = _check_padding(padding)
    if padding == "same":
        return math.ceil(n / s)
    k_eff = (k - 1) * d + 1
    if n < k_eff:
        raise ValueError(
            f"a {k_eff}-wide window (kernel_size={k}, dilation={d}) does not fit in size={n} "
            f"with padding='valid'; use padding='same' or a smaller kernel"
        )
    return (n - k_eff) // s + 1


def same_padding(size: int, kernel_size: int, stride: int = 1) -> tuple[int, int]:
    """Zeros ``(before, after)`` that ``padding="same"`` adds along one axis."""
    n = check_int(size, "size")
    k = check_int(kernel_size, "kernel_size")
    s = check_int(stride, "stride")
    total = max((math.ceil(n / s) - 1) * s + k - n, 0)
    return total // 2, total - total // 2


# -- convolution by hand ---------------------------------------------------------------------
def conv2d_numpy(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | Sequence[int] = 1,
    padding: str = "valid",
    bias: np.ndarray | float | None = None,
) -> np.ndarray:
    """2-D convolution (cross-correlation, as Keras) in plain NumPy: ``image (H, W)`` or
    ``(H, W, C_in)``, ``kernel (kh, kw)`` or ``(kh, kw, C_in, C_out)``, ``bias`` a scalar or
    ``(C_out,)`` -> float64 ``(H', W')`` for a 2-D kernel, else ``(H', W', C_out)``."""
    x = np.asarray(image, dtype=np.float64)
    w = np.asarray(kernel, dtype=np.float64)
    squeeze = w.ndim == 2
    if squeeze:
        if x.ndim != 2:
            raise ValueError(
                f"a 2-D kernel (kh, kw) needs a 2-D image (H, W); got image shape {x.shape}. "
                f"Pass a kernel of shape (kh, kw, C_in, C_out) for multi-channel images"
            )
        w = w[:, :, None, None]
    if x.ndim == 2:
        x = x[:, :, None]
    if x.ndim != 3 or w.ndim != 4 or w.shape[2] != x.shape[2]:
        raise ValueError(
            f"image (H, W, C_in) and kernel (kh, kw, C_in, C_out) must agree on C_in; got "
            f"image shape {np.shape(image)} and kernel shape {np.shape(kernel)}"
        )
    sh, sw = check_size(stride, "stride")
    kh, kw = w.shape[:2]
    if _check_padding(padding) == "same":
        (top, bottom), (left, right) = same_padding(x.shape[0], kh, sh), same_padding(x.shape[1], kw, sw)
        x = np.pad(x, ((top, bottom), (left, right), (0, 0)))
    out_h = conv_output_size(x.shape[0], kh, sh)
    out_w = conv_output_size(x.shape[1], kw, sw)
    out = np.zeros((out_h, out_w, w.shape[3]))
    for u in range(kh):  # one shifted, strided view of the input per kernel tap
        for v in range(kw):
            patch = x[u : u + sh * (out_h - 1) + 1 : sh, v : v + sw * (out_w - 1) + 1 : sw]
            out += patch @ w[u, v]  # (H', W', C_in) @ (C_in, C_out)
    if bias is not None:
        out += np.asarray(bias, dtype=np.float64)
    return out[:, :, 0] if squeeze else out


LINE_ANGLES = (0, 45, 90, 135)  # degrees: horizontal, "/", vertical, "\\"


def line_filters(size: int = 7, angles: Sequence[int] = (90, 0)) -> np.ndarray:
    """Hand-made line detectors ``float32 (size, size, 1, len(angles))``, one per angle."""
    size = check_int(size, "size", minimum=3)
    if size % 2 == 0:
        raise ValueError(f"size must be odd so the line has a centre; got {size}")
    angles = tuple(angles)
    bad = [a for a in angles if a not in LINE_ANGLES]
    if not angles or bad:
        raise ValueError(f"angles must be a non-empty list of {list(LINE_ANGLES)}; got {angles!r}")
    filters = np.zeros((size, size, 1, len(angles)), dtype=np.float32)
    for i, angle in enumerate(angles):
        line = np.eye(size) if angle == 135 else np.fliplr(np.eye(size))  # diagonals
        if angle in (0, 90):
            line = np.zeros((size, size))
            line[(size // 2, slice(None)) if angle == 0 else (slice(None), size // 2)] = 1.0
        axis = 0 if angle == 0 else 1  # neighbours: the lines one pixel off, across the line
        side = _shift(line, 1, axis) + _shift(line, -1, axis)
        filters[:, :, 0, i] = 2 * line - side * (2 * line.sum() / side.sum())
    return filters


def _shift(a: np.ndarray, by: int, axis: int) -> np.ndarray:
    """``a`` moved ``by`` pixels along ``axis``, zero-filled (no wrap-around)."""
    out = np.zeros_like(a)
    src = [slice(None)] * 2
    dst = [slice(None)] * 2
    src[axis] = slice(0, a.shape[axis] - by) if by > 0 else slice(-by, None)
    dst[axis] = slice(by, None) if by > 0 else slice(0, a.shape[axis] + by)
    out[tuple(dst)] = a[tuple(src)]
    return out


# -- receptive fields ------------------------------------------------------------------------
def receptive_fields(specs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``[(r_1, j_1), ...]``: receptive field and jump (in input pixels) after each of the
    ``(kernel_size, stride)`` layers: r_l = r_{l-1} + (k_l - 1) j_{l-1}, j_l = j_{l-1} s_l."""
    if isinstance(specs, (str, bytes)) or not isinstance(specs, Sequence) or not specs:
        raise ValueError(f"specs must be a non-empty list of (kernel_size, stride); got {specs!r}")
    rf, jump, out = 1, 1, []
    for i, spec in enumerate(specs):
        if not isinstance(spec, (tuple, list)) or len(spec) != 2:
            raise ValueError(f"specs[{i}] must be (kernel_size, stride); got {spec!r}")
        k = check_int(spec[0], f"specs[{i}] kernel_size")
        s = check_int(spec[1], f"specs[{i}] stride")
        rf, jump = rf + (k - 1) * jump, jump * s
        out.append((rf, jump))
    return out


def empirical_receptive_field(specs: Sequence[tuple[int, int]], input_size: int) -> int:
    """Measure the receptive field of the centre output unit by poking each input pixel."""
    n = check_int(input_size, "input_size")
    receptive_fields(specs)  # validates specs
    size = n
    for k, s in specs:
        size = conv_output_size(size, k, s)  # raises when the input is too small
    pokes = np.eye(n * n, dtype=np.float32).reshape(n * n, n, n, 1)
    x = keras.ops.convert_to_tensor(pokes)
    for k, s in specs:
        x = keras.ops.conv(x, keras.ops.ones((k, k, 1, 1)), strides=s, padding="valid")
    out = keras.ops.convert_to_numpy(x)  # (n*n, size, size, 1)
    centre = out[:, size // 2, size // 2, 0].reshape(n, n)
    cols = np.flatnonzero(centre.any(axis=0))
    return int(cols[-1] - cols[0] + 1)


# -- parameter and memory counts -------------------------------------------------------------
@dataclass(frozen=True)
class LayerCost:
    """What one ``Conv2D`` layer costs, per input image (multiply by the batch size)."""

    params: int  # weights + biases
    output_shape: tuple[int, int, int]  # (H', W', filters)
    activations: int  # numbers in the output feature maps
    bytes_per_image: int  # activations x bytes per number (4 for float32)
    multiplications: int  # multiply-adds to compute the output

    def as_row(self) -> dict:
        h, w, c = self.output_shape
        return {
            "parameters": f"{self.params:,}",
            "output (H', W', C)": f"{h} x {w} x {c}",
            "activations / image": f"{self.activations:,}",
            "memory / image": f"{self.bytes_per_image / 1e6:.1f} MB",
            "multiply-adds / image": f"{self.multiplications / 1e6:,.0f} M",
        }


def conv_layer_cost(
    input_shape: Sequence[int],
    filters: int,
    kernel_size: int | Sequence[int],
    strides: int | Sequence[int] = 1,
    padding: str = "same",
    use_bias: bool = True,
    bytes_per_number: int = 4,
) -> LayerCost:
    """Parameters, output memory and multiply-adds of a ``Conv2D`` on ``(H, W, C_in)`` inputs."""
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (H, W, C_in); got {input_shape!r}")
    h, w, c_in = (check_int(v, "input_shape") for v in input_shape)
    f = check_int(filters, "filters")
    (kh, kw), (sh, sw) = check_size(kernel_size, "kernel_size"), check_size(strides, "strides")
    out_h = conv_output_size(h, kh, sh, padding)
    out_w = conv_output_size(w, kw, sw, padding)
    params = (kh * kw * c_in + (1 if use_bias else 0)) * f
    activations = out_h * out_w * f
    return LayerCost(
        params=params,
        output_shape=(out_h, out_w, f),
        activations=activations,
        bytes_per_image=activations * check_int(bytes_per_number, "bytes_per_number"),
        multiplications=kh * kw * c_in * activations,
    )


# -- pooling ---------------------------------------------------------------------------------
@keras.saving.register_keras_serializable(package="resizer_lib")
class DepthwiseMaxPooling2D(layers.Layer):
    """Max over groups of ``pool_size`` consecutive channels: ``(B, H, W, C) -> (B, H, W, C/k)``."""

    def __init__(self, pool_size: int = 2, **kwargs):
        super().__init__(**kwargs)
        self.pool_size = check_int(pool_size, "pool_size")

    def build(self, input_shape):
        channels = input_shape[-1]
        if channels is None or channels % self.pool_size:
            raise ValueError(
                f"DepthwiseMaxPooling2D(pool_size={self.pool_size}) needs a channel count that "
                f"is a multiple of {self.pool_size}; got {channels}"
            )
        super().build(input_shape)

    def call(self, inputs):
        shape = keras.ops.shape(inputs)
        groups = inputs.shape[-1] // self.pool_size
        grouped = keras.ops.reshape(inputs, (*shape[:-1], groups, self.pool_size))
        return keras.ops.max(grouped, axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], input_shape[-1] // self.pool_size)

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size}


# -- building blocks -------------------------------------------------------------------------
def residual_unit(x, filters: int, strides: int = 1, name: str = "unit"):
    """A ResNet basic block on ``(B, H, W, C)`` -> ``(B, ceil(H/s), ceil(W/s), filters)``."""
    filters = check_int(filters, "filters")
    strides = check_int(strides, "strides")
    conv = {"padding": "same", "use_bias": False}
    y = layers.Conv2D(filters, 3, strides=strides, name=f"{name}_conv1", **conv)(x)
    y = layers.BatchNormalization(name=f"{name}_bn1")(y)
    y = layers.ReLU(name=f"{name}_relu1")(y)
    y = layers.Conv2D(filters, 3, name=f"{name}_conv2", **conv)(y)
    y = layers.BatchNormalization(name=f"{name}_bn2")(y)
    skip = x
    if strides != 1 or x.shape[-1] != filters:
        skip = layers.Conv2D(filters, 1, strides=strides, name=f"{name}_proj", **conv)(x)
        skip = layers.BatchNormalization(name=f"{name}_proj_bn")(skip)
    y = layers.Add(name=f"{name}_add")([y, skip])
    return layers.ReLU(name=f"{name}_out")(y)


def build_resnet34(
    input_shape: Sequence[int] = (224, 224, 3), num_classes: int = 1000, name: str = "resnet34"
) -> keras.Model:
    """ResNet-34 (He et al. 2016): ``(B, H, W, 3) -> (B, num_classes)`` softmax."""
    inputs = keras.Input(shape=tuple(input_shape), name="image")
    x = layers.Conv2D(64, 7, strides=2, padding="same", use_bias=False, name="stem_conv")(inputs)
    x = layers.BatchNormalization(name="stem_bn")(x)
    x = layers.ReLU(name="stem_relu")(x)
    x = layers.MaxPooling2D(3, strides=2, padding="same", name="stem_pool")(x)
    previous = 64
    for stage, (filters, units) in enumerate(RESNET34_STAGES, start=1):
        for unit in range(units):
            strides = 2 if unit == 0 and filters != previous else 1
            x = residual_unit(x, filters, strides, name=f"s{stage}u{unit + 1}")
        previous = filters
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    outputs = layers.Dense(check_int(num_classes, "num_classes", 2), activation="softmax",
                           name="predictions")(x)
    return keras.Model(inputs, outputs, name=name)


def se_block(x, ratio: int = 16, name: str = "se"):
    """Squeeze-and-excitation (Hu et al. 2018) on ``(B, H, W, C)``; same shape out."""
    channels = x.shape[-1]
    ratio = check_int(ratio, "ratio")
    if channels is None or channels < ratio:
        raise ValueError(f"se_block needs at least ratio={ratio} channels; got {channels}")
    s = layers.GlobalAveragePooling2D(name=f"{name}_squeeze")(x)
    s = layers.Dense(channels // ratio, activation="relu", name=f"{name}_reduce")(s)
    s = layers.Dense(channels, activation="sigmoid", name=f"{name}_excite")(s)
    s = layers.Reshape((1, 1, channels), name=f"{name}_weights")(s)
    return layers.Multiply(name=f"{name}_scale")([x, s])
