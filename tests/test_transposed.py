"""Transposed convolution by hand (``resizer_lib.dense.transposed``) against Keras' layer."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from resizer_lib.dense.transposed import (
    conv_transpose_scatter,
    conv_transpose_zero_insertion,
    insert_zeros,
    overlap_count,
    transposed_output_size,
    upsample_then_conv,
)

pytestmark = pytest.mark.multibackend

# (kernel, stride, padding, output_padding); TensorFlow's oneDNN kernels refuse an even
# kernel with "same" padding and an explicit output_padding, so those are left out
CASES = [(3, 2, "same", None), (3, 2, "valid", None), (4, 2, "same", None), (2, 3, "valid", None),
         (5, 1, "same", None), (1, 2, "valid", None), (3, 2, "same", 0), (3, 3, "valid", 2),
         (5, 2, "same", 1), (4, 3, "valid", 1)]


@pytest.mark.parametrize("kernel, stride, padding, output_padding", CASES)
def test_both_views_equal_conv2d_transpose_with_its_weights(kernel, stride, padding, output_padding):
    rng = np.random.default_rng(kernel * 10 + stride)
    x = rng.normal(size=(1, 4, 5, 3)).astype("float32")
    layer = keras.layers.Conv2DTranspose(2, kernel, strides=stride, padding=padding,
                                         output_padding=output_padding, bias_initializer="random_normal")
    theirs = keras.ops.convert_to_numpy(layer(x))[0]
    w, b = layer.get_weights()
    assert w.shape == (kernel, kernel, 2, 3)  # (k, k, C_out, C_in)
    scatter = conv_transpose_scatter(x[0], w, stride, padding, b, output_padding)
    zeros = conv_transpose_zero_insertion(x[0], w, stride, padding, b, output_padding)
    np.testing.assert_allclose(scatter, theirs, atol=1e-4)
    np.testing.assert_allclose(zeros, theirs, atol=1e-4)
    assert theirs.shape[:2] == (transposed_output_size(4, kernel, stride, padding, output_padding),
                                transposed_output_size(5, kernel, stride, padding, output_padding))


def test_the_output_size_formula_by_hand():
    assert transposed_output_size(4, 3, 2, "valid") == 9  # (4 - 1) 2 + 3
    assert transposed_output_size(4, 3, 2, "same") == 8  # 4 * 2
    assert transposed_output_size(4, 2, 3, "valid") == 12  # k < s: 4 * 3, not (4 - 1) 3 + 2 = 11
    assert transposed_output_size(4, 3, 2, "same", output_padding=1) == 8  # (4 - 1) 2 + 3 - 2 + 1
    assert transposed_output_size(4, 3, 2, "valid", output_padding=1) == 10


def test_a_single_pixel_scatters_one_copy_of_the_kernel():
    kernel = np.arange(9.0).reshape(3, 3, 1, 1)
    x = np.zeros((3, 3, 1))
    x[1, 2] = 2.0
    out = conv_transpose_scatter(x, kernel, 2, "valid")[..., 0]
    assert out.shape == (7, 7)
    np.testing.assert_array_equal(out[2:5, 4:7], 2 * kernel[..., 0, 0])  # at (1 * 2, 2 * 2)
    assert out.sum() == 2 * kernel.sum()


def test_insert_zeros():
    x = np.arange(4.0).reshape(2, 2, 1)
    np.testing.assert_array_equal(insert_zeros(x, 3)[..., 0],
                                  [[0, 0, 0, 1], [0, 0, 0, 0], [0, 0, 0, 0], [2, 0, 0, 3]])


def test_the_checkerboard_and_its_cure():
    counts = overlap_count(6, 3, 2, "same")
    interior = counts[2:-2, 2:-2]
    assert set(np.unique(interior)) == {1, 2, 4}  # uneven overlap: the checkerboard
    line = np.sqrt(np.diag(interior))  # the 1-D overlap: 1 and 2 in turn
    assert set(line[::2]) | set(line[1::2]) == {1, 2} and len(set(line[::2])) == 1
    np.testing.assert_array_equal(interior, np.outer(line, line))  # 2-D = product of two 1-D
    assert set(np.unique(overlap_count(6, 4, 2, "same")[2:-2, 2:-2])) == {4}  # k divisible by s: even
    even = upsample_then_conv(np.ones((6, 6, 1)), np.ones((3, 3, 1, 1)), 2)[..., 0]
    assert even.shape == (12, 12) and (even[1:-1, 1:-1] == 9).all()


def test_upsample_then_conv_equals_keras_upsampling_and_conv():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1, 3, 4, 2)).astype("float32")
    model = keras.Sequential([keras.Input((3, 4, 2)), keras.layers.UpSampling2D(2),
                              keras.layers.Conv2D(3, 3, padding="same", use_bias=False)])
    theirs = keras.ops.convert_to_numpy(model(x))[0]
    np.testing.assert_allclose(upsample_then_conv(x[0], model.layers[-1].get_weights()[0], 2), theirs, atol=1e-4)


def test_bad_arguments():
    with pytest.raises(ValueError, match="padding"):
        transposed_output_size(4, 3, 2, "full")
    with pytest.raises(ValueError, match="smaller than the stride"):
        transposed_output_size(4, 3, 2, "same", output_padding=2)
    with pytest.raises(ValueError, match=r"\(4, 4\) and \(3, 3, 1, 1\)"):
        conv_transpose_scatter(np.zeros((4, 4)), np.zeros((3, 3, 1, 1)), 2)
    with pytest.raises(ValueError, match="same C_in"):
        conv_transpose_zero_insertion(np.zeros((4, 4, 2)), np.zeros((3, 3, 1, 1)), 2)
    with pytest.raises(ValueError, match="stride"):
        conv_transpose_scatter(np.zeros((4, 4, 1)), np.zeros((3, 3, 1, 1)), 0)
