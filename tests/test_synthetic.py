"""The offline synthetic set: deterministic, balanced, and its class signal dies in a 2x resize."""

import keras
import numpy as np
import pytest

from resizer_lib.data.synthetic import DEFAULT_AMPLITUDE, SYNTHETIC_CLASS_NAMES, make_synthetic

pytestmark = pytest.mark.multibackend


def stripe_score(images: np.ndarray) -> np.ndarray:
    """Per image: median |horizontal step| - median |vertical step| (grey levels).

    Vertical stripes (class 0) alternate along a row, so horizontal steps are large: > 0.
    """
    grey = images.astype(np.float32).mean(axis=-1)
    dx = np.abs(np.diff(grey, axis=2)).reshape(len(grey), -1)
    dy = np.abs(np.diff(grey, axis=1)).reshape(len(grey), -1)
    return np.median(dx, axis=1) - np.median(dy, axis=1)


def probe_accuracy(train_x, train_y, test_x, test_y) -> float:
    """A 1-feature linear probe: threshold on ``stripe_score`` fitted on train, scored on test."""
    s_train, s_test = stripe_score(train_x), stripe_score(test_x)
    threshold = (s_train[train_y == 0].mean() + s_train[train_y == 1].mean()) / 2
    sign = 1.0 if s_train[train_y == 0].mean() > threshold else -1.0
    predicted = np.where(sign * (s_test - threshold) > 0, 0, 1)
    return float((predicted == test_y).mean())


def half_size(images: np.ndarray) -> np.ndarray:
    h, w = images.shape[1:3]
    resized = keras.ops.image.resize(
        images.astype("float32"), (h // 2, w // 2), interpolation="bilinear", antialias=False
    )
    return keras.ops.convert_to_numpy(resized)


def test_shapes_dtypes_and_balance():
    images, labels = make_synthetic(10, image_size=(24, 32), seed=3)
    assert images.shape == (10, 24, 32, 3) and images.dtype == np.uint8
    assert labels.shape == (10,) and labels.dtype == np.int32
    assert sorted(labels.tolist()) == [0] * 5 + [1] * 5  # each aligned pair holds both classes
    assert SYNTHETIC_CLASS_NAMES == ("vertical", "horizontal")


def test_same_seed_same_arrays_other_seed_differs():
    a_x, a_y = make_synthetic(6, 32, seed=7)
    b_x, b_y = make_synthetic(6, 32, seed=7)
    c_x, _ = make_synthetic(6, 32, seed=8)
    np.testing.assert_array_equal(a_x, b_x)
    np.testing.assert_array_equal(a_y, b_y)
    assert not np.array_equal(a_x, c_x)


def test_prefix_and_offset_are_consistent():
    x8, y8 = make_synthetic(8, 16, seed=1)
    x3, y3 = make_synthetic(3, 16, seed=1)
    xo, yo = make_synthetic(2, 16, seed=1, offset=4)
    np.testing.assert_array_equal(x8[:3], x3)
    np.testing.assert_array_equal(x8[4:6], xo)
    np.testing.assert_array_equal(y8[4:6], yo)


def test_signal_is_faint_period_two_and_cancels_in_every_2x2_block():
    stripes, labels = make_synthetic(16, 32, seed=0, amplitude=3, coverage=0.4)
    plain, _ = make_synthetic(16, 32, seed=0, amplitude=0, coverage=0.4)
    diff = stripes.astype(int) - plain.astype(int)
    assert set(np.unique(diff)) == {-3, 0, 3}
    blocks = diff.reshape(16, 16, 2, 16, 2, 3).sum(axis=(2, 4))
    assert np.all(blocks == 0)
    assert 0.3 < np.mean(diff != 0) < 0.5  # coverage 0.4 of the area
    for d, label in zip(diff[..., 0], labels, strict=True):
        # class 0 (vertical stripes) is constant down each column, class 1 along each row
        axis = 0 if label == 0 else 1
        inside = d != 0
        both = inside[1:] & inside[:-1] if axis == 0 else inside[:, 1:] & inside[:, :-1]
        assert both.any() and np.all(np.diff(d, axis=axis)[both] == 0)


@pytest.mark.parametrize("amplitude", [3, DEFAULT_AMPLITUDE])
def test_linear_probe_full_resolution_vs_2x_bilinear(amplitude):
    train_x, train_y = make_synthetic(200, 48, seed=0, amplitude=amplitude)
    test_x, test_y = make_synthetic(200, 48, seed=0, amplitude=amplitude, offset=10_000)
    full = probe_accuracy(train_x, train_y, test_x, test_y)
    half = probe_accuracy(half_size(train_x), train_y, half_size(test_x), test_y)
    assert full > 0.9, full
    assert half < 0.65, half


def test_2x_bilinear_resize_erases_the_class_exactly():
    images, _ = make_synthetic(8, 40, seed=2)
    backgrounds, _ = make_synthetic(8, 40, seed=2, amplitude=0)
    np.testing.assert_allclose(half_size(images), half_size(backgrounds), atol=1e-3)
    assert np.abs(images.astype(int) - backgrounds).max() == DEFAULT_AMPLITUDE  # at full size


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"num_images": -1}, "num_images"),
        ({"num_images": 2.5}, "num_images"),
        ({"image_size": 0}, "image_size"),
        ({"image_size": (32, -4)}, "image_size"),
        ({"image_size": 32.0}, "image_size"),
        ({"seed": -1}, "seed"),
        ({"amplitude": 1.5}, "amplitude"),
        ({"amplitude": 300}, "amplitude"),
        ({"noise_std": -1}, "noise_std"),
        ({"coverage": 0}, "coverage"),
        ({"coverage": 1.5}, "coverage"),
    ],
)
def test_bad_arguments_raise_value_error(kwargs, match):
    args = {"num_images": 2, "image_size": 16, **kwargs}
    with pytest.raises(ValueError, match=match):
        make_synthetic(**args)
