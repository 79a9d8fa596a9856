"""MULLER (``resizer_lib.models.muller``): shapes, parameters, the plain resize at initial values,
gradients, the blur, bad arguments; the ``.keras`` round trip is in ``test_layer_contract``."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from resizer_lib.models import build_classifier
from resizer_lib.models.muller import MullerResizer, gaussian_taps
from resizer_lib.models.resizer import FixedResize
from resizer_lib.runtime import resolve_jit  # XLA on JAX, as studies compile; no XLA on a TF CPU

pytestmark = pytest.mark.multibackend


def _images(shape, seed=0):
    return np.random.default_rng(seed).uniform(0, 1, size=shape).astype("float32")


@pytest.mark.parametrize("layers", [1, 2, 3])
def test_shapes_and_the_papers_parameter_count(layers):
    muller = MullerResizer((6, 5), num_layers=layers)
    y = muller(_images((2, 12, 10, 3)))
    assert tuple(y.shape) == (2, 6, 5, 3)
    assert muller.count_params() == 2 * layers


def test_at_its_initial_values_it_is_the_plain_resize():
    x = _images((2, 16, 12, 3))
    ours = keras.ops.convert_to_numpy(MullerResizer((8, 6))(x))
    plain = keras.ops.convert_to_numpy(FixedResize((8, 6))(x))
    np.testing.assert_allclose(ours, plain, atol=1e-6)


def test_its_scalars_add_resized_band_pass_detail():
    x = _images((1, 16, 16, 1))
    muller = MullerResizer((8, 8), num_layers=1)
    muller(x)
    muller.layer_weights[0].assign(1.0)
    blurred = keras.ops.convert_to_numpy(muller._blur(keras.ops.convert_to_tensor(x)))
    detail = keras.ops.convert_to_numpy(FixedResize((8, 8))(blurred - x))
    plain = keras.ops.convert_to_numpy(FixedResize((8, 8))(x))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(muller(x)), plain + np.tanh(detail), atol=1e-5)


def test_the_blur_is_a_normalised_gaussian_that_keeps_a_flat_interior():
    taps = gaussian_taps(5, 1.0)
    assert len(taps) == 5 and sum(taps) == pytest.approx(1.0) and taps[2] == max(taps)
    muller = MullerResizer(4)
    flat = np.full((1, 12, 12, 2), 0.7, "float32")
    muller(flat)
    out = keras.ops.convert_to_numpy(muller._blur(keras.ops.convert_to_tensor(flat)))
    np.testing.assert_allclose(out[0, 2:-2, 2:-2], 0.7, atol=1e-6)  # zero padding only at the rim


def test_gradients_reach_every_scalar():
    model = build_classifier("tiny_cnn", (16, 16), (8, 8), "muller", seed=0)
    layer = model.get_layer("muller")
    for v in layer.weights:  # away from 0, where tanh's gradient in b alone would also be fine
        v.assign(0.3)
    model.compile("adam", "sparse_categorical_crossentropy", jit_compile=resolve_jit("auto"))
    before = [keras.ops.convert_to_numpy(v).copy() for v in layer.weights]
    x = (_images((8, 16, 16, 3)) * 255).astype("uint8")
    model.fit(x, np.arange(8) % 2, epochs=1, batch_size=8, verbose=0)
    after = [keras.ops.convert_to_numpy(v) for v in layer.weights]
    assert all(not np.allclose(a, b) for a, b in zip(after, before, strict=True))


@pytest.mark.parametrize("kwargs, message", [
    ({"num_layers": 0}, "num_layers must be an integer >= 1"),
    ({"kernel_size": 4}, "kernel_size must be odd"),
    ({"kernel_size": 1}, "kernel_size must be an integer >= 3"),
    ({"stddev": 0}, "stddev must be a number > 0"),
    ({"interpolation": "sharpest"}, "Unknown interpolation 'sharpest'"),
    ({"target_size": (0, 4)}, "target_size must be a positive integer"),
])
def test_bad_arguments_name_the_value(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MullerResizer(**({"target_size": 4} | kwargs))


def test_the_muller_arm_is_a_study_arm():
    from resizer_lib.training import ExperimentConfig

    assert ExperimentConfig(arms=("bilinear", "muller")).arms == ("bilinear", "muller")
    model = build_classifier("tiny_cnn", (16, 16), (8, 8), "muller", seed=0)
    assert model.get_layer("muller").count_params() == 4
