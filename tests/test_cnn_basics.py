"""CNN fundamentals: convolution by hand agrees with Keras, size formulas, receptive fields,
layer costs, depth-wise pooling and the classic blocks' parameter counts."""

from __future__ import annotations

import itertools

import keras
import numpy as np
import pytest

from resizer_lib.course.cnn_basics import (
    RESNET34_TRAINABLE_PARAMS,
    DepthwiseMaxPooling2D,
    build_resnet34,
    conv2d_numpy,
    conv_layer_cost,
    conv_output_size,
    empirical_receptive_field,
    line_filters,
    receptive_fields,
    residual_unit,
    same_padding,
    se_block,
)

pytestmark = pytest.mark.multibackend


def _keras_conv(x: np.ndarray, kernel: np.ndarray, stride, padding: str) -> np.ndarray:
    out = keras.ops.conv(x[None].astype("float32"), kernel.astype("float32"), stride, padding)
    return keras.ops.convert_to_numpy(out)[0]


def _trainable(model: keras.Model) -> int:
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


# -- convolution by hand ---------------------------------------------------------------------
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("stride", [1, 2, 3, (1, 2)])
def test_conv2d_numpy_matches_keras(padding, stride):
    rng = np.random.default_rng(0)
    x, kernel = rng.normal(size=(10, 13, 3)), rng.normal(size=(3, 4, 3, 5))
    ours = conv2d_numpy(x, kernel, stride, padding)
    np.testing.assert_allclose(ours, _keras_conv(x, kernel, stride, padding), atol=1e-4)


def test_conv2d_numpy_by_the_formula_on_a_tiny_example():
    x = np.arange(16.0).reshape(4, 4)
    k = np.array([[1.0, 0.0], [0.0, -1.0]])  # x[i, j] - x[i+1, j+1]
    out = conv2d_numpy(x, k, bias=0.5)
    assert out.shape == (3, 3)
    np.testing.assert_array_equal(out, np.full((3, 3), -5.0 + 0.5))


def test_same_is_zero_padding_then_valid():
    rng = np.random.default_rng(1)
    for n, k, s in itertools.product([5, 6, 7], [1, 2, 3, 4], [1, 2, 3]):
        x, kernel = rng.normal(size=(n, n + 1, 2)), rng.normal(size=(k, k, 2, 1))
        (t, b), (left, r) = same_padding(n, k, s), same_padding(n + 1, k, s)
        padded = np.pad(x, ((t, b), (left, r), (0, 0)))
        np.testing.assert_allclose(
            _keras_conv(x, kernel, s, "same"), _keras_conv(padded, kernel, s, "valid"), atol=1e-4
        )


def test_conv2d_numpy_rejects_mismatched_channels():
    with pytest.raises(ValueError, match="C_in"):
        conv2d_numpy(np.zeros((5, 5, 3)), np.zeros((3, 3, 2, 1)))
    with pytest.raises(ValueError, match="2-D kernel"):
        conv2d_numpy(np.zeros((5, 5, 3)), np.zeros((3, 3)))


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


def test_same_padding_puts_the_odd_zero_after():
    assert same_padding(5, 3, 1) == (1, 1)
    assert same_padding(6, 4, 1) == (1, 2)
    assert same_padding(6, 3, 2) == (0, 1)
    assert same_padding(5, 1, 2) == (0, 0)


def test_dilation_and_bad_arguments():
    assert conv_output_size(10, 3, dilation=2) == 6  # a 5-wide window
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
    assert empirical_receptive_field(specs, 40) == formula


def test_receptive_fields_values_and_errors():
    assert receptive_fields([(3, 1), (3, 1)]) == [(3, 1), (5, 1)]
    assert receptive_fields([(2, 2), (3, 1)]) == [(2, 2), (6, 2)]
    with pytest.raises(ValueError, match="specs"):
        receptive_fields([])
    with pytest.raises(ValueError, match="does not fit"):
        empirical_receptive_field([(3, 1)] * 5, 8)


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


# -- blocks ----------------------------------------------------------------------------------
def test_residual_units_identity_and_projection():
    inputs = keras.Input((8, 8, 16))
    same = keras.Model(inputs, residual_unit(inputs, 16, name="a"))
    down = keras.Model(inputs, residual_unit(inputs, 32, strides=2, name="b"))
    assert same.output.shape == (None, 8, 8, 16)
    assert down.output.shape == (None, 4, 4, 32)
    assert _trainable(same) == 2 * 9 * 16 * 16 + 2 * 2 * 16
    assert _trainable(down) == 9 * 16 * 32 + 9 * 32 * 32 + 16 * 32 + 3 * 2 * 32
    assert "b_proj" in [layer.name for layer in down.layers]
    assert not any(layer.name.endswith("_proj") for layer in same.layers)


@pytest.mark.slow
def test_resnet34_parameter_count_matches_torchvision():
    model = build_resnet34()
    assert _trainable(model) == RESNET34_TRAINABLE_PARAMS == 21_797_672
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    assert sum(1 for c in convs if not c.name.endswith("_proj")) == 33  # + the dense = 34
    small = build_resnet34((64, 64, 3), num_classes=3)
    assert small(np.zeros((1, 64, 64, 3), "float32")).shape == (1, 3)


def test_se_block_rescales_each_channel():
    inputs = keras.Input((6, 6, 32))
    model = keras.Model(inputs, se_block(inputs, ratio=8))
    assert model.count_params() == 2 * 32 * 4 + 4 + 32
    x = np.random.default_rng(3).uniform(0.5, 1.0, size=(1, 6, 6, 32)).astype("float32")
    ratio = keras.ops.convert_to_numpy(model(x)) / x
    weights = ratio[0, 0, 0]
    np.testing.assert_allclose(ratio[0], np.broadcast_to(weights, (6, 6, 32)), rtol=1e-5)
    assert np.all((weights > 0) & (weights < 1))
    with pytest.raises(ValueError, match="ratio"):
        se_block(keras.Input((4, 4, 8)), ratio=16)
