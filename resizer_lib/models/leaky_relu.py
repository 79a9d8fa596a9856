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
        if keras.backend.backend() != "tensorflow":
            return ops.leaky_relu(inputs, self.negative_slope)
        return _leaky_relu_output_gradient(inputs, self.negative_slope)


def _leaky_relu_output_gradient(x, slope: float):
    """TensorFlow only: ``leaky_relu(x)`` with its gradient computed from the output."""
    import tensorflow as tf

    @tf.custom_gradient
    def forward(t):
        y = tf.nn.leaky_relu(t, alpha=slope)

        def grad(upstream):
            return tf.raw_ops.LeakyReluGrad(gradients=upstream, features=y, alpha=slope)

        return y, grad

    return forward(x)
