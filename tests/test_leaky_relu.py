"""``FusableLeakyReLU``: exactly the values and gradients of Keras' LeakyReLU."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from resizer_lib.models.leaky_relu import FusableLeakyReLU

pytestmark = pytest.mark.multibackend


def _images(shape, seed=0):
    return np.random.default_rng(seed).uniform(0, 1, size=shape).astype("float32")


@pytest.mark.parametrize("slope", [0.0, 0.2, 0.5])
def test_fusable_leaky_relu_gives_the_values_and_gradients_of_keras_leaky_relu(slope):
    x = np.concatenate([_images((4, 5, 5, 3)) * 8 - 4, np.zeros((1, 5, 5, 3), "float32")])
    x[0, 0, 0] = [-0.0, 1e-38, -1e-38]
    ours, theirs = FusableLeakyReLU(negative_slope=slope), keras.layers.LeakyReLU(negative_slope=slope)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(ours(x)), keras.ops.convert_to_numpy(theirs(x)))
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        grads = []
        for layer in (ours, theirs):
            t = tf.constant(x)
            with tf.GradientTape() as tape:
                tape.watch(t)
                y = layer(t) * tf.constant(np.arange(x.size, dtype="float32").reshape(x.shape))
            grads.append(tape.gradient(y, t).numpy())
        np.testing.assert_array_equal(grads[0], grads[1])


def test_fusable_leaky_relu_round_trips_its_config():
    layer = FusableLeakyReLU(negative_slope=0.3, name="act")
    again = FusableLeakyReLU.from_config(layer.get_config())
    assert again.negative_slope == pytest.approx(0.3) and again.name == "act"
