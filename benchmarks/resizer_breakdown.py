"""Where the learnable resizer's training time goes, layer group by layer group (TensorFlow).

    python benchmarks/resizer_breakdown.py --size 300 --target 150 --batch 8

Times forward + backward (gradients of the weights, and of the input where a layer group is
not the first) of: the whole resizer; its full-resolution head (Conv 7x7 -> LeakyReLU -> Conv
1x1 -> LeakyReLU -> BatchNorm, before the bottleneck resize); each single layer of that head;
and the low-resolution rest. Also reports each group's achieved GFLOP/s.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402

import resizer_lib  # noqa: E402, F401  (quiets TensorFlow's C++ log lines before TF is imported)


def time_step(model, x, steps: int) -> float:
    import tensorflow as tf

    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = tf.reduce_mean(tf.square(model(x, training=True)))
        return tape.gradient(loss, [*model.trainable_variables, x])

    step(x)
    step(x)
    start = time.perf_counter()
    for _ in range(steps):
        step(x)
    return (time.perf_counter() - start) / steps


def main(argv=None) -> None:
    import keras
    from keras import layers

    from resizer_lib.models.leaky_relu import FusableLeakyReLU
    from resizer_lib.models.resizer import build_resizer

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", type=int, default=300)
    p.add_argument("--target", type=int, default=150)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--steps", type=int, default=3)
    a = p.parse_args(argv)
    hi, lo, b = a.size, a.target, a.batch
    rng = np.random.default_rng(0)
    x_hi = rng.random((b, hi, hi, 3), dtype=np.float32)
    f_hi = rng.random((b, hi, hi, 16), dtype=np.float32)
    f_lo = rng.random((b, lo, lo, 16), dtype=np.float32)

    def model(shape, fn):
        inp = keras.Input(shape)
        return keras.Model(inp, fn(inp))

    def head(i):
        x = FusableLeakyReLU(0.2)(layers.Conv2D(16, 7, padding="same")(i))
        x = FusableLeakyReLU(0.2)(layers.Conv2D(16, 1, padding="same")(x))
        return layers.Resizing(lo, lo)(layers.BatchNormalization()(x))

    class NormaliseAfterResize(layers.Layer):
        """BatchNorm (training mode) with statistics from the full-resolution input but applied
        after the resize: exact, since a linear resize whose weights sum to 1 commutes with a
        per-channel affine map. ``(B, H, W, C) -> (B, h, w, C)``."""

        def build(self, shape):
            self.gamma = self.add_weight(shape=(shape[-1],), initializer="ones")
            self.beta = self.add_weight(shape=(shape[-1],), initializer="zeros")

        def call(self, x):
            mean, var = keras.ops.moments(x, axes=[0, 1, 2])
            small = keras.ops.image.resize(x, (lo, lo), interpolation="bilinear")
            return keras.ops.batch_normalization(small, mean, var, axis=-1, offset=self.beta,
                                                 scale=self.gamma, epsilon=1e-3)

    def head_after(i):
        x = FusableLeakyReLU(0.2)(layers.Conv2D(16, 7, padding="same")(i))
        x = FusableLeakyReLU(0.2)(layers.Conv2D(16, 1, padding="same")(x))
        return NormaliseAfterResize()(x)

    conv = 2 * b  # FLOPs per output pixel and multiply-add, times the batch
    groups = [  # name, model, input, forward FLOPs
        ("whole resizer", build_resizer((lo, lo)), x_hi, None),
        ("full-res head (to the bottleneck)", model((hi, hi, 3), head), x_hi, None),
        ("full-res head, normalised after the resize (exact rewrite)", model((hi, hi, 3), head_after),
         x_hi, None),
        ("  conv 7x7 3->16", model((hi, hi, 3), lambda i: layers.Conv2D(16, 7, padding="same")(i)), x_hi,
         conv * hi * hi * 16 * 147),
        ("  LeakyReLU (16 ch)", model((hi, hi, 16), lambda i: FusableLeakyReLU(0.2)(i)), f_hi, None),
        ("  conv 1x1 16->16", model((hi, hi, 16), lambda i: layers.Conv2D(16, 1)(i)), f_hi,
         conv * hi * hi * 16 * 16),
        ("  BatchNorm (16 ch)", model((hi, hi, 16), lambda i: layers.BatchNormalization()(i)), f_hi, None),
        ("  bilinear resize of 16 ch", model((hi, hi, 16), lambda i: layers.Resizing(lo, lo)(i)), f_hi, None),
        ("low-res rest: conv 7x7 16->3", model((lo, lo, 16), lambda i: layers.Conv2D(3, 7, padding="same")(i)),
         f_lo, conv * lo * lo * 3 * 16 * 49),
        ("low-res rest: conv 3x3 16->16", model((lo, lo, 16), lambda i: layers.Conv2D(16, 3, padding="same")(i)),
         f_lo, conv * lo * lo * 16 * 16 * 9),
    ]
    print(f"input {hi}x{hi} -> {lo}x{lo}, batch {b}; forward + backward per step\n")
    print("| part | ms / step | GFLOP/s (3x forward) |\n|---|---:|---:|")
    for name, m, x, flops in groups:
        sec = time_step(m, x, a.steps)
        rate = f"{3 * flops / sec / 1e9:.0f}" if flops else ""
        print(f"| {name} | {1000 * sec:.0f} | {rate} |", flush=True)


if __name__ == "__main__":
    main()
