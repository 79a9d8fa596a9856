"""``FusableLeakyReLU``: exactly ``keras.layers.LeakyReLU``, with a gradient that TensorFlow's CPU
fusion keeps. Read it as a plain LeakyReLU."""

from __future__ import annotations

import keras
from keras import layers, ops

__all__ = ["FusableLeakyReLU"]


@keras.saving.register_keras_serializable(package="resizer_lib")
class FusableLeakyReLU(layers.LeakyReLU):
    """``keras.layers.LeakyReLU`` whose gradient reads its output, not its input: ``(...) -> (...)``.

    Same values and gradient (``y = lrelu(x)`` has the sign of ``x``). Why: on CPUs where
    TensorFlow turns oneDNN on, Grappler fuses ``Conv2D -> BiasAdd -> LeakyRelu``, but the
    built-in gradient reads the removed ``BiasAdd`` output, so the rewrite fails ("remapper
    failed ... LeakyReluGrad ...") and every fusion of the graph is dropped. Other backends
    use the plain ``keras.ops.leaky_relu``.
    """

    def call(self, inputs):
        slope = self.negative_slope
        if keras.backend.backend() != "tensorflow":
            return ops.leaky_relu(inputs, slope)
        import tensorflow as tf

        @tf.custom_gradient
        def forward(x):
            y = tf.nn.leaky_relu(x, alpha=slope)
            return y, lambda upstream: tf.raw_ops.LeakyReluGrad(gradients=upstream, features=y, alpha=slope)

        return forward(inputs)
