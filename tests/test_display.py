"""``resizer_lib.viz.display``: display normalisation and image grids."""

from __future__ import annotations

import logging

import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from resizer_lib import viz  # noqa: E402
from resizer_lib.viz import (  # noqa: E402
    clipping_warnings,
    show_images,
)
from resizer_lib.viz.display import DISPLAY_MODES  # noqa: E402

pytestmark = pytest.mark.multibackend
IS_TF = keras.backend.backend() == "tensorflow"





# -- to_display ------------------------------------------------------------------------------
SHAPES = [(12, 10), (12, 1), (12, 10, 1), (12, 10, 3), (2, 12, 10, 3), (2, 12, 10, 1)]


@pytest.mark.parametrize("mode", DISPLAY_MODES)
@pytest.mark.parametrize("shape", SHAPES)
def test_to_display_always_in_unit_range(mode, shape):
    rng = np.random.default_rng(0)
    for scale, offset in ((1.0, 0.0), (7.3, -2.0), (1e4, 50.0), (1e-6, 0.3)):
        x = rng.normal(size=shape).astype(np.float32) * scale + offset
        out = viz.to_display(x, mode)
        assert out.dtype == np.float32
        assert out.min() >= 0.0 and out.max() <= 1.0
        expected = shape[:-1] if len(shape) > 2 and shape[-1] == 1 else shape
        assert out.shape == expected


def test_to_display_uint8_and_float_ranges():
    for dtype in (np.uint8, np.int64):
        img = np.array([[0, 128, 255]], dtype=dtype)
        np.testing.assert_allclose(viz.to_display(img), [[0.0, 128 / 255, 1.0]], rtol=1e-6)
    np.testing.assert_allclose(viz.to_display(np.array([[65535]], dtype=np.uint16)), [[1.0]])
    np.testing.assert_array_equal(viz.to_display(np.array([[True, False]])), [[1.0, 0.0]])
    floats = np.array([[-0.5, 0.25, 1.7]], dtype=np.float32)
    np.testing.assert_allclose(viz.to_display(floats, "clip"), [[0.0, 0.25, 1.0]])
    np.testing.assert_allclose(viz.to_display(floats, "minmax"), [[0.0, 0.75 / 2.2, 1.0]], rtol=1e-6)


def test_to_display_minmax_is_per_image_in_a_batch():
    batch = np.stack([np.linspace(0, 1, 12), np.linspace(10, 30, 12)]).reshape(2, 2, 2, 3)
    out = viz.to_display(batch, "minmax")
    for image in out:
        assert image.min() == 0.0 and image.max() == pytest.approx(1.0)


def test_to_display_percentile_ignores_outliers():
    img = np.full((20, 20), 0.5, dtype=np.float32)
    img[:10] = 0.4
    img[0, 0] = 1e6  # a hot pixel
    out = viz.to_display(img, "percentile", percentiles=(1, 99))
    assert out[5, 5] == 0.0 and out[15, 15] == 1.0  # the hot pixel did not squash the range
    assert viz.to_display(img, "minmax")[15, 15] < 0.01  # minmax is squashed by it


def test_to_display_non_finite_and_constant():
    img = np.array([[np.nan, np.inf], [-np.inf, 0.5]], dtype=np.float32)
    for mode in DISPLAY_MODES:
        out = viz.to_display(img, mode)
        assert np.isfinite(out).all() and out.min() >= 0 and out.max() <= 1
    np.testing.assert_array_equal(viz.to_display(np.full((3, 3), 4.0), "minmax"), 0.0)


def test_to_display_accepts_backend_tensors():
    x = keras.ops.convert_to_tensor(np.linspace(-1, 2, 12, dtype="float32").reshape(2, 2, 3))
    out = viz.to_display(x, "minmax")
    assert out.shape == (2, 2, 3) and out.min() == 0.0 and out.max() == pytest.approx(1.0)


def test_to_display_stops_the_imshow_clipping_warning(caplog):
    raw = np.linspace(-0.3, 1.4, 48, dtype=np.float32).reshape(4, 4, 3)
    fig, ax = plt.subplots()
    with caplog.at_level(logging.WARNING, logger="matplotlib.image"):
        ax.imshow(raw)
        assert any("Clipping input data" in r.getMessage() for r in caplog.records)
        caplog.clear()
        ax.imshow(viz.to_display(raw))
        assert not caplog.records


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(image=np.zeros((4, 4)), mode="auto"), "Unknown display mode 'auto'"),
        (dict(image=np.zeros((4, 4, 16))), r"shape \(4, 4, 16\)"),
        (dict(image=np.zeros(5)), r"shape \(5,\)"),
        (dict(image=np.zeros((4, 4)), mode="percentile", percentiles=(99, 1)), "percentiles"),
        (dict(image=np.array([["a"]])), "numeric"),
    ],
)
def test_to_display_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        viz.to_display(**kwargs)


# -- show_images -----------------------------------------------------------------------------
def test_show_images_grid(rgb):
    grey = rgb[..., 0]
    fig = viz.show_images([rgb, grey, rgb.astype(np.float32) * 3], titles=["a", "b", "c"], ncols=2)
    axes = fig.get_axes()
    assert len(axes) == 4  # 2 x 2 grid, last panel empty
    shown = [ax for ax in axes if ax.images]
    assert [ax.get_title() for ax in shown] == ["a", "b", "c"]
    assert shown[1].images[0].get_cmap().name == "gray"
    for ax in shown:
        data = np.asarray(ax.images[0].get_array())
        assert data.min() >= 0 and data.max() <= 1


def test_show_images_batch_array(rgb):
    batch = np.stack([rgb] * 5)
    fig = viz.show_images(batch, ncols=3)
    assert sum(bool(ax.images) for ax in fig.get_axes()) == 5
    assert len(fig.get_axes()) == 6


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(images=[]), "empty"),
        (dict(images=[np.zeros((4, 4))], titles=["a", "b"]), "2 titles for 1 images"),
        (dict(images=[np.zeros((4, 4))], ncols=0), "ncols"),
    ],
)
def test_show_images_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        viz.show_images(**kwargs)




def test_clipping_warnings_are_collected_only_for_raw_out_of_range_images():

    out_of_range = np.full((6, 6, 3), 1.5, np.float32)
    out_of_range[0, 0] = -0.5
    with clipping_warnings() as raw:
        plt.imshow(out_of_range)
    assert len(raw) == 1 and "Clipping input data" in raw[0]
    with clipping_warnings() as ours:
        show_images([out_of_range, out_of_range], mode="percentile")
        show_images([out_of_range], mode="clip")
    assert ours == []
    with clipping_warnings() as after:  # the handler is removed on exit
        pass
    plt.imshow(out_of_range)
    assert after == []
