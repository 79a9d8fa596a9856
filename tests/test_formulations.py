"""Tests of resizer_lib.course.formulations: the keras.io port, its published bugs, align_corners."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from resizer_lib.course.formulations import (
    keras_io_resizer,
    linear_resize_1d,
    pytorch_blog_counts,
    source_coordinates,
)
from resizer_lib.models.resizer import build_resizer, resizer_param_count

pytestmark = pytest.mark.multibackend


def _random_weights(model: keras.Model, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    out = []
    for v in model.weights:
        w = rng.normal(0.0, 0.1, tuple(v.shape)).astype("float32")
        out.append(np.abs(w) + 0.5 if "variance" in v.path else w)
    return out


def test_keras_io_port_is_the_same_network_as_ours():
    ours = build_resizer((12, 10), filters=6, num_res_blocks=2)
    theirs = keras_io_resizer((12, 10), filters=6, num_res_blocks=2)
    assert theirs.count_params() == ours.count_params() == resizer_param_count(3, 6, num_res_blocks=2)
    weights = _random_weights(ours)
    ours.set_weights(weights)
    theirs.set_weights(weights)
    x = np.random.default_rng(1).uniform(size=(2, 25, 19, 3)).astype("float32")
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(theirs(x, training=False)),
        keras.ops.convert_to_numpy(ours(x, training=False)),
        atol=1e-5,
    )


def test_reused_bottleneck_drops_all_but_the_last_block():
    buggy = keras_io_resizer(8, filters=4, num_res_blocks=3, reuse_bottleneck=True)
    assert buggy.count_params() == resizer_param_count(3, 4, num_res_blocks=1)
    fixed = keras_io_resizer(8, filters=4, num_res_blocks=3)
    assert fixed.count_params() == resizer_param_count(3, 4, num_res_blocks=3)
    names = [layer.name for layer in buggy.layers]
    assert "res2_a_conv" in names and "res0_a_conv" not in names


def test_hard_coded_block_filters_fail_for_other_widths():
    assert keras_io_resizer(8, filters=4, block_filters=4).count_params() == resizer_param_count(filters=4)
    with pytest.raises(ValueError, match="incompatible shapes|shape"):
        keras_io_resizer(8, filters=4, block_filters=8)  # e.g. the example's 16 with filters=32
    assert keras_io_resizer(8, filters=8).count_params() == resizer_param_count(filters=8)


def test_source_coordinates():
    np.testing.assert_allclose(source_coordinates(8, 4), [0.5, 2.5, 4.5, 6.5])
    np.testing.assert_allclose(source_coordinates(8, 4, align_corners=True), [0, 7 / 3, 14 / 3, 7])
    np.testing.assert_allclose(source_coordinates(4, 8)[:2], [-0.25, 0.25])  # upsampling
    assert source_coordinates(5, 1, align_corners=True).tolist() == [0.0]
    for bad in (0, -1, 2.0, True):
        with pytest.raises(ValueError, match="in_size must be an integer >= 1"):
            source_coordinates(bad, 4)


@pytest.mark.parametrize("out_size", [4, 5, 13])
def test_half_pixel_linear_matches_keras_bilinear(out_size):
    signal = (np.arange(8.0) ** 2).astype("float32")
    keras_out = keras.ops.convert_to_numpy(
        keras.ops.image.resize(signal.reshape(1, 1, 8, 1), (1, out_size), interpolation="bilinear")
    ).ravel()
    np.testing.assert_allclose(keras_out, linear_resize_1d(signal, out_size), atol=1e-4)
    corners = linear_resize_1d(signal, out_size, align_corners=True)
    assert corners[0] == signal[0] and corners[-1] == signal[-1]
    assert not np.allclose(corners, keras_out, atol=1e-3)


def test_linear_resize_1d_rejects_bad_signals():
    with pytest.raises(ValueError, match="1-D"):
        linear_resize_1d(np.zeros((2, 3)), 2)
    with pytest.raises(ValueError, match="1-D"):
        linear_resize_1d([], 2)


def test_pytorch_blog_counts():
    assert pytorch_blog_counts() == {"parameters": 12_083, "buffers": 128, "bias_before_bn": 48}
    small = build_resizer(8, filters=4, num_res_blocks=2)  # Keras: no bias before a BatchNorm
    trainable = sum(int(np.prod(v.shape)) for v in small.trainable_weights)
    counts = pytorch_blog_counts(filters=4, num_res_blocks=2)
    assert counts["parameters"] == trainable + counts["bias_before_bn"]
    assert counts["buffers"] == small.count_params() - trainable
    assert pytorch_blog_counts(filters=8, num_res_blocks=2)["bias_before_bn"] == 5 * 8
