"""``FusableLeakyReLU``: the resizer's LeakyReLU, with a gradient TensorFlow's CPU fusion keeps.

It computes exactly ``keras.layers.LeakyReLU``; only the graph TensorFlow builds for its
gradient differs (the class docstring says why). The learnable resizer
(``resizer_lib.models.resizer``) uses it; a learner reading the paper's layer can read it as a
plain LeakyReLU.
"""

from __future__ import annotations

import keras
from keras import layers, ops

__all__ = ["FusableLeakyReLU"]


@keras.saving.register_keras_serializable(package="resizer_lib")
class FusableLeakyReLU(layers.LeakyReLU):
    """``keras.layers.LeakyReLU`` whose gradient reads its output, not its input: ``(...) -> (...)``.

    Same forward op, same values, and the same gradient, since for ``a > 0`` the output
    ``y = lrelu(x)`` has the sign of ``x`` (for ``a = 0`` both are 0 where ``x <= 0``): the
    gradient is ``g`` where ``y > 0`` and ``a g`` elsewhere, exactly what TensorFlow's
    ``LeakyReluGrad`` computes from ``x``.

    Why: on CPUs where TensorFlow turns oneDNN on (Intel Xeons with AVX-512), Grappler's
    remapper fuses ``Conv2D -> BiasAdd -> LeakyRelu`` into one kernel. In a training graph the
    built-in gradient still reads the ``BiasAdd`` output, which the fusion removes, so the
    rewrite fails ("remapper failed: ... fanout ... LeakyReluGrad exist for missing node ...
    BiasAdd") and TensorFlow drops every remapper rewrite of that graph. Reading the output
    (as ``ReluGrad`` does for ReLU) leaves the ``BiasAdd`` one consumer, and the fusion works.
    On TensorFlow the gradient is the same ``LeakyReluGrad`` kernel fed the output; on other
    backends the layer is the plain ``keras.ops.leaky_relu`` (they have no such rewrite).
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
