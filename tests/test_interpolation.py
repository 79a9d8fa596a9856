"""``resizer_lib.interpolation``: the one home of interpolation names, checks, kernels, taps and
``resize_image``, and the decisions taken where earlier copies of them disagreed."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from resizer_lib.interpolation import (
    KERNELS,
    check_interpolation,
    interpolations,
    kernel,
    resize_image,
    taps,
)

pytestmark = pytest.mark.multibackend
IS_TF = keras.backend.backend() == "tensorflow"


def apply_taps(image: np.ndarray, size: tuple[int, int], name: str, antialias: bool) -> np.ndarray:
    """The resize that ``taps`` describes, one axis at a time, in float64."""
    out = image.astype(np.float64)
    for axis, n in enumerate(size):
        moved = np.moveaxis(out, axis, 0)
        index, weight = taps(moved.shape[0], n, name, antialias)
        shape = weight.shape + (1,) * (moved.ndim - 1)
        out = np.moveaxis((moved[index] * weight.reshape(shape)).sum(axis=1), 0, axis)
    return out


# -- names and the check ---------------------------------------------------------------------
def test_names_per_backend_and_use():
    assert interpolations("layer", "tensorflow") == KERNELS
    assert "area" not in interpolations("training", "tensorflow")
    assert "area" not in interpolations("layer", "jax")
    assert set(interpolations("layer", "jax")) <= set(KERNELS)
    assert interpolations("layer", "some_future_backend") == ("nearest", "bilinear")
    assert interpolations("figure", "tensorflow")[-2:] == ("gaussian", "mitchellcubic")
    assert interpolations("figure", "jax") == interpolations("layer", "jax")
    # decision: the NumPy / Pillow loader has every kernel on every backend (area on JAX too)
    assert interpolations("loading", "jax") == KERNELS
    assert check_interpolation("area", "loading", backend="torch") == "area"


@pytest.mark.parametrize("value, use, backend, pattern", [
    ("cubic", "layer", "tensorflow", r"^Unknown interpolation 'cubic' on the tensorflow backend; use one of \["),
    ("area", "training", "tensorflow", r"^interpolation 'area' has no gradient on the tensorflow .*use one of"),
    ("gaussian", "figure", "jax", r"^Unknown interpolation 'gaussian' .*KERAS_BACKEND=tensorflow.*use one of"),
    (None, "loading", None, r"^Unknown interpolation None; use one of \['nearest'"),
    ("bilinear", "train", None, r"^use='train' is not one of"),
])
def test_refusals_are_one_line_naming_the_value_and_the_fix(value, use, backend, pattern):
    with pytest.raises(ValueError, match=pattern) as info:
        check_interpolation(value, use, backend)
    assert "\n" not in str(info.value)


# -- kernels and taps ------------------------------------------------------------------------
@pytest.mark.parametrize("name", KERNELS)
@pytest.mark.parametrize("scale", [1.0, 2.5])
def test_kernels_integrate_to_one(name, scale):
    x = np.linspace(-16, 16, 320001)
    area = np.trapezoid(kernel(name, x, scale), x)
    # Lanczos is sinc(x) sinc(x/n) cut off at |x| = n, so its area is 1 only up to the cut
    assert area == pytest.approx(1.0, abs=1e-2 if name.startswith("lanczos") else 1e-6)
    assert kernel(name, 1e9, scale) == 0.0


@pytest.mark.parametrize("name", ["bilinear", "bicubic", "lanczos3", "lanczos5"])
def test_interpolating_kernels_are_one_at_zero_and_zero_at_other_integers(name):
    assert np.allclose(kernel(name, np.arange(-5, 6).astype(float)), np.eye(11)[5], atol=1e-12)


def test_area_taps_are_the_exact_pixel_overlap():
    """Decision: one area kernel. The loader had the overlap of input pixel [j, j + 1) with the
    footprint [i s, (i + 1) s); the lesson had a trapezoid kernel. They agree: pinned here."""
    for n_in, n_out in [(10, 4), (7, 3), (4, 10)]:
        index, weight = taps(n_in, n_out, "area")
        s = n_in / n_out
        dense = np.zeros((n_out, n_in))
        np.add.at(dense, (np.arange(n_out)[:, None], index), weight)
        j = np.arange(n_in)[None, :]
        start = np.arange(n_out)[:, None] * s
        overlap = np.maximum(np.minimum(j + 1, start + s) - np.maximum(j, start), 0)
        assert np.allclose(dense, overlap / overlap.sum(axis=1, keepdims=True))


def test_nearest_takes_the_pixel_under_the_floor_of_the_centre():
    """Decision: ``kernel("nearest")`` is the symmetric box (0.5 at |x| = 1/2, for the
    continuous picture); the discrete resize picks floor((i + 1/2) s), as TensorFlow does."""
    index, weight = taps(4, 2, "nearest")
    assert index[:, 0].tolist() == [1, 3] and weight.tolist() == [[1.0], [1.0]]
    assert kernel("nearest", 0.5) == 0.5


def test_taps_are_read_only_and_sum_to_one():
    index, weight = taps(37, 11, "lanczos3", True)
    assert np.allclose(weight.sum(axis=1), 1.0)
    with pytest.raises(ValueError):
        weight[0, 0] = 2.0


@pytest.mark.parametrize("name", KERNELS)
@pytest.mark.parametrize("antialias", [False, True])
def test_taps_match_tf_image_resize(name, antialias):
    tf = pytest.importorskip("tensorflow")
    image = np.random.default_rng(1).integers(0, 256, (37, 53, 3), dtype=np.uint8)
    for size in [(17, 20), (80, 101), (37, 25), (1, 1)]:
        ours = apply_taps(image, size, name, antialias)
        ref = tf.image.resize(image, size, method=name, antialias=antialias).numpy()
        assert np.abs(ours - ref).max() < 0.5, size  # TF tabulates some kernels


def test_load_image_matches_the_taps_on_every_kernel(tmp_path):
    """The loader (Pillow for bilinear / nearest, NumPy for the rest) = the taps, to one level."""
    from PIL import Image

    from resizer_lib.data.imaging import load_image

    image = np.random.default_rng(2).integers(0, 256, (30, 47, 3), dtype=np.uint8)
    Image.fromarray(image).save(tmp_path / "x.png")
    for name in KERNELS:
        for antialias in (False, True):
            ours = load_image(tmp_path / "x.png", (13, 9), name, antialias).astype(int)
            ref = np.clip(np.rint(apply_taps(image, (13, 9), name, antialias)), 0, 255)
            assert np.abs(ours - ref).max() <= 1, (name, antialias)


# -- resize_image ----------------------------------------------------------------------------
def test_resize_image_is_keras_with_antialias_off_by_default(rgb):
    """Decision: one public ``resize_image``, float32 through ``keras.ops.image.resize``, with
    Keras' default ``antialias=False``. The loader's uint8 resize (default ``antialias=True``)
    stays private behind ``load_image``."""
    x = rgb.astype("float32") / 255.0
    ref = keras.ops.convert_to_numpy(keras.ops.image.resize(x, (13, 17)))
    np.testing.assert_array_equal(resize_image(rgb, (13, 17)), ref)
    assert not np.allclose(resize_image(rgb, 13), resize_image(rgb, 13, antialias=True))


def test_resize_image_every_mode_and_shape(rgb):
    for mode in interpolations("figure"):
        out = resize_image(rgb, (20, 24), mode)
        assert out.shape == (20, 24, 3) and out.dtype == np.float32, mode
        assert -0.5 < out.mean() < 1.5, mode  # uint8 became [0, 1]
    assert resize_image(rgb[..., 0], 10).shape == (10, 10)
    assert resize_image(np.stack([rgb] * 2), (8, 6), antialias=True).shape == (2, 8, 6, 3)
    assert not np.allclose(resize_image(rgb, 13, "nearest"), resize_image(rgb, 13, "bilinear"))


@pytest.mark.skipif(not IS_TF, reason="gaussian/mitchellcubic need the TensorFlow backend")
def test_resize_image_tf_only_modes(rgb):
    out = resize_image(rgb, (10, 12), "gaussian", antialias=True)
    assert out.shape == (10, 12, 3)
    assert not np.allclose(out, resize_image(rgb, (10, 12), "mitchellcubic"))


def test_resize_image_errors(rgb):
    with pytest.raises(ValueError, match=r"Unknown interpolation 'cubic'.*bilinear"):
        resize_image(rgb, 8, "cubic")
    with pytest.raises(ValueError, match="size must be a positive integer"):
        resize_image(rgb, (0, 8))
    with pytest.raises(ValueError, match="shape"):
        resize_image(np.zeros(5), 2)
