"""The learnable resizer of Talebi & Milanfar (ICCV 2021), in backend-agnostic Keras 3.

The layer maps a batch of images of any size ``(B, H, W, C)`` to ``(B, h, w, C)`` where
``(h, w)`` is the target size. It adds a learned residual to a naive resize::

    naive   = resize(x)                                   # (B, h, w, C)
    f       = BN(lrelu(conv1x1(lrelu(conv7x7(x)))))       # (B, H, W, F), full resolution
    b       = resize(f)                                   # (B, h, w, F), the bottleneck
    r       = res_block_n(... res_block_1(b))             # (B, h, w, F), chained blocks
    r       = BN(conv3x3(r)) + b                          # (B, h, w, F)
    y       = naive + conv7x7(r)                          # (B, h, w, C)

With ``zero_init=True`` the last ``conv7x7`` starts at zero (kernel and bias): ``y`` is then
exactly ``naive`` until the first training step, and the gradient to that convolution is not
zero, so a trained model keeps its predictions when the resizer is inserted in front of it.

With ``resize_first=True`` the same blocks run *after* the naive resize (``x`` is resized
first, the bottleneck resize is then the identity): identical parameters, but the network
never sees full resolution. This is the course's "more layers" control.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
from keras import layers, ops

from resizer_lib._checks import check_int, check_size
from resizer_lib.interpolation import check_interpolation
from resizer_lib.models.leaky_relu import FusableLeakyReLU  # a CPU graph-fusion fix; same maths
from resizer_lib.models.spec import ResizerSpec, resolve_spec

__all__ = ["FixedResize", "LearnableResizer", "ResidualBlock", "build_resizer", "resizer_param_count"]


@keras.saving.register_keras_serializable(package="resizer_lib")
class LearnableResizer(layers.Layer):
    """Learnable resizer layer: ``(B, H, W, C) -> (B, h, w, C)`` with ``(h, w) = target_size``.

    Args:
        target_size: ``(h, w)`` or an int for a square; any size, down or up.
        filters, num_res_blocks, interpolation, antialias, bn_momentum, zero_init: the
            hyper-parameters, checked by ``ResizerSpec`` (which documents them); ``layer.spec``
            holds them.
        channels: ``C``, channels of the input and the output (1 for grey, 3 for RGB).
        resize_first: the "more layers" control: resize first, then run the same blocks.
    """

    def __init__(self, target_size: int | Sequence[int] = (150, 150), filters: int = ResizerSpec.filters,
                 num_res_blocks: int = ResizerSpec.num_res_blocks, interpolation: str = ResizerSpec.interpolation,
                 channels: int = 3, antialias: bool = ResizerSpec.antialias, resize_first: bool = False,
                 bn_momentum: float = ResizerSpec.bn_momentum, zero_init: bool = ResizerSpec.zero_init, **kwargs):
        super().__init__(**kwargs)
        self.target_size = check_size(target_size, "target_size")
        self.spec = ResizerSpec(filters, num_res_blocks, interpolation, antialias, bn_momentum, zero_init)
        for field, value in self.spec.to_dict().items():  # layer.filters, layer.num_res_blocks, ...
            setattr(self, field, value)
        self.channels = check_int(channels, "channels")
        self.resize_first = bool(resize_first)
        f, m = self.filters, self.bn_momentum
        self.stem_conv7 = layers.Conv2D(f, 7, padding="same", name="stem_conv7x7")
        self.stem_act1 = FusableLeakyReLU(negative_slope=0.2, name="stem_lrelu1")
        self.stem_conv1 = layers.Conv2D(f, 1, padding="same", name="stem_conv1x1")
        self.stem_act2 = FusableLeakyReLU(negative_slope=0.2, name="stem_lrelu2")
        self.stem_bn = layers.BatchNormalization(momentum=m, name="stem_bn")
        self.res_blocks = [ResidualBlock(f, m, name=f"res{i}") for i in range(self.num_res_blocks)]
        self.tail_conv3 = layers.Conv2D(f, 3, padding="same", use_bias=False, name="tail_conv3x3")
        self.tail_bn = layers.BatchNormalization(momentum=m, name="tail_bn")
        zeros = {"kernel_initializer": "zeros", "bias_initializer": "zeros"} if self.zero_init else {}
        self.out_conv7 = layers.Conv2D(self.channels, 7, padding="same", name="out_conv7x7", **zeros)

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(f"LearnableResizer expects a batch of images (B, H, W, C), rank 4; "
                             f"got input shape {tuple(input_shape)} (rank {len(input_shape)})")
        if input_shape[-1] is not None and input_shape[-1] != self.channels:
            raise ValueError(f"LearnableResizer was built for channels={self.channels} but the input has "
                             f"{input_shape[-1]} channels (shape {tuple(input_shape)}); pass "
                             f"channels={input_shape[-1]} to build_resizer")
        h, w = self.target_size
        full = (None, h, w, self.channels) if self.resize_first else (None, None, None, self.channels)
        feat_full, feat = full[:3] + (self.filters,), (None, h, w, self.filters)
        self.stem_conv7.build(full)
        self.stem_conv1.build(feat_full)
        self.stem_bn.build(feat_full)
        for layer in (*self.res_blocks, self.tail_conv3, self.tail_bn, self.out_conv7):
            layer.build(feat)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *self.target_size, self.channels)

    def _resize(self, x):
        return ops.image.resize(x, self.target_size, interpolation=self.interpolation, antialias=self.antialias)

    def stem(self, x, training=None):
        """Full-resolution features ``(B, H, W, C) -> (B, H, W, F)``."""
        x = self.stem_act1(self.stem_conv7(x))
        x = self.stem_act2(self.stem_conv1(x))
        return self.stem_bn(x, training=training)

    def residual(self, bottleneck, training=None):
        """Chained residual blocks and the tail ``(B, h, w, F) -> (B, h, w, F)``."""
        x = bottleneck
        for block in self.res_blocks:  # chained: each block feeds the next
            x = block(x, training=training)
        return self.tail_bn(self.tail_conv3(x), training=training) + bottleneck

    def call(self, inputs, training=None):
        x = ops.cast(inputs, self.compute_dtype)
        naive = self._resize(x)
        features = self.stem(naive if self.resize_first else x, training=training)
        bottleneck = features if self.resize_first else self._resize(features)
        return naive + self.out_conv7(self.residual(bottleneck, training=training))

    def get_config(self):
        return super().get_config() | dict(target_size=list(self.target_size), channels=self.channels,
                                           resize_first=self.resize_first, **self.spec.to_dict())


@keras.saving.register_keras_serializable(package="resizer_lib")
class ResidualBlock(layers.Layer):
    """One residual block, ``x + BN(conv3x3(lrelu(BN(conv3x3(x)))))``: ``(B, h, w, F) -> (B, h, w, F)``.

    Saved as one group of ten variables, on every Keras version. Files from before, with each
    block a list of layers inside a list (which only Keras >= 3.15 saves), load as well."""

    PARTS = ("conv_a", "bn_a", "act", "conv_b", "bn_b")
    _LEGACY = ("conv2d", "batch_normalization", "conv2d_1", "batch_normalization_1")  # those files' names

    def __init__(self, filters: int = 16, momentum: float = 0.99, **kwargs):
        super().__init__(**kwargs)
        p = f"{self.name}_"
        self.conv_a = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=p + "conv_a")
        self.bn_a = layers.BatchNormalization(momentum=momentum, name=p + "bn_a")
        self.act = FusableLeakyReLU(negative_slope=0.2, name=p + "lrelu")
        self.conv_b = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=p + "conv_b")
        self.bn_b = layers.BatchNormalization(momentum=momentum, name=p + "bn_b")
        self.filters, self.momentum = filters, momentum

    def get_config(self):
        return super().get_config() | {"filters": self.filters, "momentum": self.momentum}

    def build(self, input_shape):
        for name in self.PARTS:
            getattr(self, name).build(input_shape)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def call(self, x, training=None):
        y = self.act(self.bn_a(self.conv_a(x), training=training))
        return x + self.bn_b(self.conv_b(y), training=training)

    def __dir__(self):  # Keras' saving walks dir(): it skips the parts, which this layer saves as one group
        return [name for name in super().__dir__() if name not in self.PARTS]

    def save_own_variables(self, store):
        for i, variable in enumerate(self.weights):
            store[str(i)] = variable

    def load_own_variables(self, store):
        if len(store.keys()) == 0 and hasattr(store, "_h5_entry_path"):  # an earlier file: one group per part
            head, tail = store._h5_entry_path.rsplit("/", 1)  # .../res_blocks/residual_block_1
            legacy = f"{head}/{tail.replace('residual_block', 'container')}"
            if len(store.get(f"{legacy}/{self._LEGACY[0]}").keys()) == 0:
                raise ValueError(f"the file holds no weights for residual block {self.name!r}: Keras 3.13 and "
                                 "3.14 did not save the blocks of resizer_lib 0.1's resizer; train it again")
            for part, name in zip((self.conv_a, self.bn_a, self.conv_b, self.bn_b), self._LEGACY, strict=True):
                part.load_own_variables(store.get(f"{legacy}/{name}"))
            return
        if len(store.keys()) != len(self.weights):
            raise ValueError(f"residual block {self.name!r} holds {len(self.weights)} variables but the file "
                             f"gives {len(store.keys())}: load the file into the resizer that saved it")
        for i, variable in enumerate(self.weights):
            variable.assign(store[str(i)])


@keras.saving.register_keras_serializable(package="resizer_lib")
class FixedResize(layers.Layer):
    """A plain, non-trainable resize ``(B, H, W, C) -> (B, h, w, C)`` (the baseline arms).

    Unlike ``keras.layers.Resizing``, whose ``call`` defaults to ``training=True`` and so runs
    the layers after it in training mode when a model is called without ``training=``, this
    layer has no training behaviour at all. Any mode of ``interpolations("layer")``.
    """

    def __init__(self, target_size=(150, 150), interpolation="bilinear", antialias=False, **kwargs):
        super().__init__(**kwargs)
        self.target_size = check_size(target_size, "target_size")
        self.interpolation = check_interpolation(interpolation, "layer")
        self.antialias = bool(antialias)

    def call(self, inputs):
        x = ops.cast(inputs, self.compute_dtype)
        return ops.image.resize(x, self.target_size, interpolation=self.interpolation, antialias=self.antialias)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *self.target_size, input_shape[-1])

    def get_config(self):
        return super().get_config() | dict(target_size=list(self.target_size), interpolation=self.interpolation,
                                           antialias=self.antialias)


def build_resizer(target_size: int | Sequence[int], spec: ResizerSpec | None = None, *, channels: int = 3,
                  resize_first: bool = False, name: str = "learnable_resizer", **spec_fields) -> keras.Model:
    """A functional model ``(B, None, None, channels) -> (B, h, w, channels)`` around the layer.

    The hyper-parameters are a ``ResizerSpec`` or its fields as keywords (``filters=8``,
    ``num_res_blocks=2``, ``interpolation=``, ``antialias=``, ``bn_momentum=``,
    ``zero_init=True``: output equal to the naive resize until the first step), not both.

    >>> build_resizer((150, 150)).count_params()
    12163
    """
    layer = LearnableResizer(target_size, channels=channels, resize_first=resize_first,
                             name="resizer", **resolve_spec(spec, spec_fields).to_dict())
    inputs = keras.Input(shape=(None, None, layer.channels), name="image")
    return keras.Model(inputs, layer(inputs), name=name)


def resizer_param_count(channels: int = 3, filters: int = 16, num_res_blocks: int = 1) -> int:
    """The resizer's parameter count from the formula (trainable + BN moving statistics).

    Conv7x7 C->F (+bias), Conv1x1 F->F (+bias), BN(F); per block 2 x Conv3x3 F->F (no bias)
    + 2 x BN(F); Conv3x3 F->F (no bias) + BN(F); Conv7x7 F->C (+bias). Each BN holds 4F numbers.
    """
    c, f, n = channels, filters, num_res_blocks
    stem, blocks = (49 * c * f + f) + (f * f + f) + 4 * f, n * (2 * 9 * f * f + 2 * 4 * f)
    tail, out = 9 * f * f + 4 * f, 49 * f * c + c
    return stem + blocks + tail + out
