"""``resizer_lib.viz.curves``: learning curves over seeds."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from resizer_lib import viz  # noqa: E402
from resizer_lib.viz.curves import aggregate_curves  # noqa: E402

pytestmark = pytest.mark.multibackend
IS_TF = keras.backend.backend() == "tensorflow"



# -- learning curves ---------------------------------------------------------------------------
def _history(loss, acc):
    return {
        "loss": loss,
        "accuracy": acc,
        "val_loss": [v + 0.1 for v in loss],
        "val_accuracy": [v - 0.1 for v in acc],
    }


def test_aggregate_curves_minmax_std_and_ragged():
    mean, low, high = aggregate_curves([[1, 2, 3], [3, 4]], band="minmax")
    np.testing.assert_allclose(mean, [2, 3, 3])
    np.testing.assert_allclose(low, [1, 2, 3])
    np.testing.assert_allclose(high, [3, 4, 3])
    mean, low, high = aggregate_curves([[1.0], [3.0]], band="std")
    np.testing.assert_allclose([mean[0], low[0], high[0]], [2, 1, 3])
    with pytest.raises(ValueError, match="band"):
        aggregate_curves([[1.0]], band="sem")


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
