"""``resizer_lib.viz.comparison``: every interpolation side by side, a learned resizer beside them."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from resizer_lib import viz  # noqa: E402
from resizer_lib.models.resizer import build_resizer  # noqa: E402

pytestmark = pytest.mark.multibackend


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


# -- model_target_size -------------------------------------------------------------------------
def test_model_target_size(zero_residual_resizer):
    model = zero_residual_resizer
    assert viz.model_target_size(model) == (12, 10)
    assert viz.model_target_size(model.get_layer("resizer")) == (12, 10)
    assert viz.model_target_size(object()) is None
