"""Tests of resizer_lib.viz: display normalisation, grids, curves, tables, spectra, resizing."""

from __future__ import annotations

import logging

import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from resizer_lib import viz  # noqa: E402
from resizer_lib.models.resizer import build_resizer, supported_interpolations  # noqa: E402

pytestmark = pytest.mark.multibackend
IS_TF = keras.backend.backend() == "tensorflow"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def rgb() -> np.ndarray:
    """A smooth RGB ``uint8 (40, 48, 3)`` image with some detail."""
    y, x = np.mgrid[0:40, 0:48]
    img = np.stack([x / 47, y / 39, 0.5 + 0.5 * np.sin(x / 2.0) * np.cos(y / 3.0)], axis=-1)
    return (img * 255).astype(np.uint8)


# -- to_display ------------------------------------------------------------------------------
SHAPES = [(12, 10), (12, 1), (12, 10, 1), (12, 10, 3), (2, 12, 10, 3), (2, 12, 10, 1)]


@pytest.mark.parametrize("mode", viz.DISPLAY_MODES)
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
    for mode in viz.DISPLAY_MODES:
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


# -- learning curves ---------------------------------------------------------------------------
def _history(loss, acc):
    return {
        "loss": loss,
        "accuracy": acc,
        "val_loss": [v + 0.1 for v in loss],
        "val_accuracy": [v - 0.1 for v in acc],
    }


def test_aggregate_curves_minmax_std_and_ragged():
    mean, low, high = viz.aggregate_curves([[1, 2, 3], [3, 4]], band="minmax")
    np.testing.assert_allclose(mean, [2, 3, 3])
    np.testing.assert_allclose(low, [1, 2, 3])
    np.testing.assert_allclose(high, [3, 4, 3])
    mean, low, high = viz.aggregate_curves([[1.0], [3.0]], band="std")
    np.testing.assert_allclose([mean[0], low[0], high[0]], [2, 1, 3])
    with pytest.raises(ValueError, match="band"):
        viz.aggregate_curves([[1.0]], band="sem")


def test_plot_history_lines_and_bands():
    histories = {
        "learned": [_history([1.0, 0.5], [0.5, 0.7]), _history([0.8, 0.3], [0.6, 0.9])],
        "bilinear": _history([1.0, 0.9], [0.5, 0.55]),
    }
    fig = viz.plot_history(histories)
    loss_ax, acc_ax = fig.get_axes()
    labels = [line.get_label() for line in loss_ax.get_lines()]
    assert labels == ["learned (train)", "learned (val)", "bilinear (train)", "bilinear (val)"]
    np.testing.assert_allclose(loss_ax.get_lines()[0].get_ydata(), [0.9, 0.4])
    np.testing.assert_allclose(acc_ax.get_lines()[1].get_ydata(), [0.45, 0.7])
    assert loss_ax.get_lines()[1].get_linestyle() == "--"
    assert len(loss_ax.collections) == 2  # bands for the 2-seed arm only (train and val)
    assert acc_ax.get_ylabel() == "accuracy"


def test_plot_history_accepts_keras_history_objects():
    class FakeHistory:  # what model.fit returns: a .history dict
        history = _history([1.0, 0.5, 0.2], [0.5, 0.6, 0.9])

    fig = viz.plot_history({"arm": FakeHistory()}, metrics=("loss",))
    assert len(fig.get_axes()) == 1
    np.testing.assert_allclose(fig.get_axes()[0].get_lines()[0].get_ydata(), [1.0, 0.5, 0.2])


@pytest.mark.parametrize(
    "histories, metrics, match",
    [
        ({}, ("loss",), "non-empty"),
        ({"a": {"loss": [1.0]}}, ("auc",), r"metric 'auc' is in no history; available keys: \['loss'\]"),
        ({"a": 3}, ("loss",), r"histories\['a'\]"),
        ({"a": []}, ("loss",), r"histories\['a'\]"),
    ],
)
def test_plot_history_errors(histories, metrics, match):
    with pytest.raises(ValueError, match=match):
        viz.plot_history(histories, metrics=metrics)


# -- tables ------------------------------------------------------------------------------------
def test_markdown_table_and_show_table(capsys):
    rows = [{"arm": "learned", "accuracy": 0.876543, "params": 12163}, {"arm": "a|b", "loss": 0.5}]
    text = viz.show_table(rows)
    assert capsys.readouterr().out == ""  # outside IPython nothing is printed
    assert text.splitlines() == [
        "| arm | accuracy | params | loss |",
        "| --- | --- | --- | --- |",
        "| learned | 0.8765 | 12163 |  |",
        "| a\\|b |  |  | 0.5 |",
    ]
    assert viz.markdown_table(rows, columns=["loss"], floatfmt=".2f").splitlines()[-1] == "| 0.50 |"


@pytest.mark.parametrize("rows", [[], {"a": 1}, [{"a": 1}, 3], "abc"])
def test_markdown_table_errors(rows):
    with pytest.raises(ValueError, match="rows"):
        viz.markdown_table(rows)


# -- spectra -----------------------------------------------------------------------------------
def test_magnitude_spectrum_peaks_at_the_pattern_frequency():
    h, w, k = 32, 48, 6
    x = np.arange(w)
    stripes = 0.5 + 0.4 * np.cos(2 * np.pi * k * x / w)[None, :].repeat(h, axis=0)
    spec = viz.magnitude_spectrum(stripes)
    assert spec.shape == (h, w) and spec.dtype == np.float32
    peaks = {tuple(int(v) for v in np.unravel_index(i, spec.shape)) for i in np.argsort(spec.ravel())[-2:]}
    assert peaks == {(h // 2, w // 2 - k), (h // 2, w // 2 + k)}
    rotated = viz.magnitude_spectrum(stripes.T)  # horizontal stripes: peaks on the vertical axis
    assert np.unravel_index(np.argmax(rotated), rotated.shape) in [(w // 2 - k, h // 2), (w // 2 + k, h // 2)]


def test_magnitude_spectrum_luminance_and_options():
    grey = np.random.default_rng(1).uniform(size=(16, 16)).astype(np.float32)
    rgb = np.repeat(grey[..., None], 3, axis=-1)
    np.testing.assert_allclose(viz.magnitude_spectrum(rgb), viz.magnitude_spectrum(grey), atol=1e-5)
    with_dc = viz.magnitude_spectrum(grey + 1.0, remove_mean=False)
    assert np.argmax(with_dc) == 8 * 16 + 8  # the DC term dominates at the centre
    assert not np.allclose(viz.magnitude_spectrum(grey, window=True), viz.magnitude_spectrum(grey))
    with pytest.raises(ValueError, match="floor"):
        viz.magnitude_spectrum(grey, floor=0)
    with pytest.raises(ValueError, match="one image"):
        viz.magnitude_spectrum(np.zeros((2, 4, 4, 3)))


def test_radial_profile_peaks_at_the_ring():
    h = w = 64
    f = 0.25  # cycles per pixel
    y, x = np.mgrid[0:h, 0:w]
    pattern = np.cos(2 * np.pi * f * x) + np.cos(2 * np.pi * f * y)
    freqs, profile = viz.radial_profile(viz.magnitude_spectrum(pattern), num_bins=16)
    assert freqs.shape == profile.shape == (16,)
    assert freqs[0] > 0 and freqs[-1] < 0.5
    assert abs(freqs[np.nanargmax(profile)] - f) <= 0.5 / 16
    freqs, profile = viz.radial_profile(np.zeros((10, 12)))
    assert profile.shape == (5,) and not np.isnan(profile).any()
    with pytest.raises(ValueError, match="2-D"):
        viz.radial_profile(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="num_bins"):
        viz.radial_profile(np.zeros((8, 8)), num_bins=0)


def test_plot_spectra(rgb):
    fig = viz.plot_spectra({"input": rgb, "half": rgb[::2, ::2]})
    axes = fig.get_axes()
    assert len(axes) == 3 and len(axes[0].get_lines()) == 2  # profile axis holds two curves
    with pytest.raises(ValueError, match="one title per image"):
        viz.plot_spectra([rgb, rgb], titles=["only one"])


# -- resizing ----------------------------------------------------------------------------------
def test_available_interpolations():
    modes = viz.available_interpolations()
    assert set(supported_interpolations()) <= set(modes)
    assert ("gaussian" in modes) == IS_TF and ("mitchellcubic" in modes) == IS_TF


def test_resize_image_every_mode_and_shape(rgb):
    for mode in viz.available_interpolations():
        out = viz.resize_image(rgb, (20, 24), mode)
        assert out.shape == (20, 24, 3) and out.dtype == np.float32, mode
        assert -0.5 < out.mean() < 1.5, mode  # uint8 became [0, 1]
    assert viz.resize_image(rgb[..., 0], 10).shape == (10, 10)
    assert viz.resize_image(np.stack([rgb] * 2), (8, 6), antialias=True).shape == (2, 8, 6, 3)
    near, bil = viz.resize_image(rgb, 13, "nearest"), viz.resize_image(rgb, 13, "bilinear")
    assert not np.allclose(near, bil)
    assert not np.allclose(bil, viz.resize_image(rgb, 13, "bilinear", antialias=True))


@pytest.mark.skipif(not IS_TF, reason="gaussian/mitchellcubic need the TensorFlow backend")
def test_resize_image_tf_only_modes(rgb):
    out = viz.resize_image(rgb, (10, 12), "gaussian", antialias=True)
    assert out.shape == (10, 12, 3)
    assert not np.allclose(out, viz.resize_image(rgb, (10, 12), "mitchellcubic"))


@pytest.mark.skipif(IS_TF, reason="on TensorFlow gaussian is available")
def test_resize_image_tf_only_modes_elsewhere(rgb):
    with pytest.raises(ValueError, match="needs KERAS_BACKEND=tensorflow"):
        viz.resize_image(rgb, 8, "gaussian")


def test_resize_image_errors(rgb):
    with pytest.raises(ValueError, match=r"Unknown interpolation 'cubic'.*bilinear"):
        viz.resize_image(rgb, 8, "cubic")
    with pytest.raises(ValueError, match="size must be a positive integer"):
        viz.resize_image(rgb, (0, 8))
    with pytest.raises(ValueError, match="shape"):
        viz.resize_image(np.zeros(5), 2)


# -- comparison --------------------------------------------------------------------------------
def test_compare_resizers_naive(rgb):
    result = viz.compare_resizers(rgb, (20, 16), "nearest", antialias=False)
    assert result["input"].shape == (40, 48, 3) and result["input"].max() <= 1.0
    assert result["naive"].shape == result["reference"].shape == (20, 16, 3)
    assert result["difference"].shape == result["spectrum"].shape == (20, 16)
    assert np.abs(result["difference"]).max() > 0.01
    assert "learned" not in result and result["meta"]["target_size"] == (20, 16)


def test_compare_resizers_identical_resizes_give_zero_difference(rgb):
    result = viz.compare_resizers(rgb, 16, "bilinear", reference="bilinear")
    np.testing.assert_array_equal(result["difference"], 0.0)


@pytest.fixture(scope="module")
def zero_residual_resizer():
    """A (12, 10) resizer whose learned residual is zero: it outputs the plain bilinear resize."""
    model = build_resizer((12, 10), filters=4)
    out_conv = model.get_layer("resizer").out_conv7
    out_conv.set_weights([np.zeros_like(w) for w in out_conv.get_weights()])
    return model


def test_compare_resizers_learned(rgb, zero_residual_resizer):
    model = zero_residual_resizer
    result = viz.compare_resizers(rgb, None, "bilinear", resizer_model=model)
    assert result["learned"].shape == (12, 10, 3) and result["meta"]["target_size"] == (12, 10)
    np.testing.assert_allclose(result["difference"], 0.0, atol=1e-5)
    other = viz.compare_resizers(rgb, (12, 10), "nearest", resizer_model=model)
    assert np.abs(other["difference"]).max() > 0.01
    assert other["meta"]["compared"] == ("learned", "naive")


def test_compare_resizers_fixed_input_model(rgb):
    inputs = keras.Input((32, 32, 3))
    model = keras.Model(inputs, keras.layers.Resizing(8, 8)(inputs))
    result = viz.compare_resizers(rgb, None, resizer_model=model)
    assert result["meta"]["input_resized_to"] == (32, 32) and result["learned"].shape == (8, 8, 3)


def test_compare_resizers_errors(rgb, zero_residual_resizer):
    model = zero_residual_resizer
    with pytest.raises(ValueError, match=r"differs from the resizer model's output size \(12, 10\)"):
        viz.compare_resizers(rgb, (16, 16), resizer_model=model)
    with pytest.raises(ValueError, match="target_size=None needs a resizer_model"):
        viz.compare_resizers(rgb, None)
    classifier = keras.Sequential([keras.Input((None, None, 3)), keras.layers.GlobalAveragePooling2D()])
    with pytest.raises(ValueError, match="not the classifier"):
        viz.compare_resizers(rgb, None, resizer_model=classifier)
    with pytest.raises(ValueError, match="one image"):
        viz.compare_resizers(np.stack([rgb] * 2), 8)


def test_plot_comparison_layout(rgb):
    result = viz.compare_resizers(rgb, 16, "nearest")
    fig = viz.plot_comparison(result)
    axes = fig.get_axes()
    assert len(axes) == 6  # five panels and the difference colorbar
    diff_image = axes[3].images[0]
    low, high = diff_image.get_clim()
    assert low == -high == pytest.approx(-np.abs(result["difference"]).max())
    assert diff_image.get_cmap().name == "RdBu_r"
    np.testing.assert_allclose(np.asarray(diff_image.get_array()), result["difference"])
    zero = viz.compare_resizers(rgb, 16, "bilinear")
    assert viz.plot_comparison(zero).get_axes()[3].images[0].get_clim()[1] > 0  # no 0/0 limits


# -- model_target_size, save_figure -----------------------------------------------------------
def test_model_target_size(zero_residual_resizer):
    model = zero_residual_resizer
    assert viz.model_target_size(model) == (12, 10)
    assert viz.model_target_size(model.get_layer("resizer")) == (12, 10)
    assert viz.model_target_size(object()) is None


def test_save_figure(tmp_path):
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1])
    path = viz.save_figure(fig, "curve", folder=tmp_path / "figs")
    assert path == tmp_path / "figs" / "curve.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert viz.save_figure(fig, "again.png", folder=tmp_path).name == "again.png"
    for bad in ("", "sub/name", "photo.jpg"):
        with pytest.raises(ValueError, match="plain file name"):
            viz.save_figure(fig, bad, folder=tmp_path)
    with pytest.raises(ValueError, match="matplotlib Figure"):
        viz.save_figure(ax, "x", folder=tmp_path)
