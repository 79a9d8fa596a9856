"""CNN arithmetic: size formulas agree with Keras, receptive fields with a measurement, layer
costs with Keras' counts; line filters and depth-wise pooling. (Convolution by hand and the
classic blocks are written, and checked, in lessons 01 and 03.)"""

from __future__ import annotations

import itertools

import keras
import numpy as np
import pytest

from resizer_lib.course.cnn_basics import (
    DepthwiseMaxPooling2D,
    conv_layer_cost,
    conv_output_size,
    line_filters,
    receptive_fields,
)

pytestmark = pytest.mark.multibackend


def _measured_receptive_field(specs, n: int) -> int:
    """Poke each pixel of an ``n x n`` input through all-ones kernels; the pokes that reach the
    centre output span its receptive field (lesson 02 measures it the same way)."""
    x = keras.ops.convert_to_tensor(np.eye(n * n, dtype="float32").reshape(n * n, n, n, 1))
    for k, s in specs:
        x = keras.ops.conv(x, keras.ops.ones((k, k, 1, 1)), strides=s, padding="valid")
    out = keras.ops.convert_to_numpy(x)
    columns = np.flatnonzero(out[:, out.shape[1] // 2, out.shape[2] // 2, 0].reshape(n, n).any(axis=0))
    return int(columns[-1] - columns[0] + 1)


def test_line_filters():
    f = line_filters(5)
    assert f.shape == (5, 5, 1, 2)
    np.testing.assert_array_equal(f[:, :, 0, 0], np.tile([0, -1, 2, -1, 0], (5, 1)))  # vertical
    np.testing.assert_array_equal(f[:, :, 0, 1], f[:, :, 0, 0].T)  # horizontal
    every = line_filters(7, angles=(0, 45, 90, 135))
    np.testing.assert_allclose(every.sum(axis=(0, 1, 2)), 0.0, atol=1e-5)  # flat regions -> 0
    np.testing.assert_array_equal(np.diag(np.fliplr(every[:, :, 0, 1])), 2)  # "/" line
    np.testing.assert_array_equal(np.diag(every[:, :, 0, 3]), 2)  # "\\" line
    with pytest.raises(ValueError, match="odd"):
        line_filters(4)
    with pytest.raises(ValueError, match="angles"):
        line_filters(5, angles=(30,))


# -- sizes -----------------------------------------------------------------------------------
def test_output_size_formulas_match_keras_layers():
    for n, k, s, pad in itertools.product([7, 8, 31], [1, 3, 5], [1, 2, 3], ["valid", "same"]):
        layer = keras.layers.Conv2D(1, k, strides=s, padding=pad)
        shape = layer.compute_output_shape((1, n, n, 1))
        assert shape[1] == conv_output_size(n, k, s, pad), (n, k, s, pad)


def test_bad_arguments():
    with pytest.raises(ValueError, match="does not fit"):
        conv_output_size(3, 5)
    with pytest.raises(ValueError, match="padding"):
        conv_output_size(10, 3, padding="full")
    with pytest.raises(ValueError, match="stride"):
        conv_output_size(10, 3, stride=0)


# -- receptive fields ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "specs", [[(3, 1)] * 3, [(3, 1), (2, 2)] * 3, [(7, 2), (3, 2), (3, 1), (3, 1)], [(5, 3)]]
)
def test_receptive_field_formula_equals_measurement(specs):
    formula = receptive_fields(specs)[-1][0]
    assert _measured_receptive_field(specs, 40) == formula


def test_receptive_fields_values_and_errors():
    assert receptive_fields([(3, 1), (3, 1)]) == [(3, 1), (5, 1)]
    assert receptive_fields([(2, 2), (3, 1)]) == [(2, 2), (6, 2)]
    with pytest.raises(ValueError, match="specs"):
        receptive_fields([])
    with pytest.raises(ValueError, match="specs\\[1\\] must be"):
        receptive_fields([(3, 1), (3,)])


# -- costs -----------------------------------------------------------------------------------
def test_conv_layer_cost_agrees_with_keras():
    cost = conv_layer_cost((150, 100, 3), 200, 5)
    assert cost.params == (5 * 5 * 3 + 1) * 200 == 15_200
    assert cost.output_shape == (150, 100, 200)
    assert cost.bytes_per_image == 150 * 100 * 200 * 4 == 12_000_000
    assert cost.multiplications == 225_000_000
    layer = keras.layers.Conv2D(200, 5, padding="same")
    layer.build((None, 150, 100, 3))
    assert layer.count_params() == cost.params
    assert "parameters" in cost.as_row()
    no_bias = conv_layer_cost((8, 8, 4), 6, (3, 1), strides=2, padding="valid", use_bias=False)
    assert no_bias.params == 3 * 1 * 4 * 6 and no_bias.output_shape == (3, 4, 6)
    with pytest.raises(ValueError, match="input_shape"):
        conv_layer_cost((8, 8), 6, 3)


# -- pooling ---------------------------------------------------------------------------------
def test_depthwise_max_pooling():
    x = np.random.default_rng(2).normal(size=(2, 4, 5, 6)).astype("float32")
    out = keras.ops.convert_to_numpy(DepthwiseMaxPooling2D(3)(x))
    np.testing.assert_array_equal(out, x.reshape(2, 4, 5, 2, 3).max(axis=-1))
    inputs = keras.Input((4, 5, 6))
    assert DepthwiseMaxPooling2D(2)(inputs).shape == (None, 4, 5, 3)
    with pytest.raises(ValueError, match="multiple of 4"):
        DepthwiseMaxPooling2D(4)(inputs)
    restored = DepthwiseMaxPooling2D.from_config(DepthwiseMaxPooling2D(3).get_config())
    assert restored.pool_size == 3
