"""fit_classifier, predicted classes, the confusion matrix and its figure, bad input."""

from __future__ import annotations

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest

from resizer_lib.course.classify import (
    confusion_matrix,
    fit_classifier,
    plot_confusion_matrix,
    predict_classes,
)

pytestmark = pytest.mark.multibackend


def test_confusion_matrix_counts_rows_true_columns_predicted():
    cm = confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])


@pytest.mark.parametrize(
    "true, pred, n, match",
    [([0, 1], [0], 2, "same length"), ([0, 2], [0, 1], 2, "y_true"),
     ([0, 1], [0.2, 0.8], 2, "y_pred"), ([0], [0], 1, "num_classes")],
)
def test_confusion_matrix_rejects_bad_input(true, pred, n, match):
    with pytest.raises(ValueError, match=match):
        confusion_matrix(true, pred, n)


def test_predict_classes_and_plot():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Softmax()(inputs))
    x = np.array([[0.0, 5.0, 0.0], [9.0, 0.0, 0.0]], dtype="float32")
    np.testing.assert_array_equal(predict_classes(model, x), [1, 0])
    fig = plot_confusion_matrix(np.array([[3, 1], [0, 4]]), ["cat", "dog"])
    assert fig.axes[0].get_title() == "accuracy 87.5%"
    assert len(fig.axes[0].texts) == 4
    plt.close(fig)
    with pytest.raises(ValueError, match="class names"):
        plot_confusion_matrix(np.eye(2, dtype=int), ["a", "b", "c"])
    with pytest.raises(ValueError, match="square"):
        plot_confusion_matrix(np.ones((2, 3)), ["a", "b"])


def test_fit_classifier_learns_a_separable_toy_problem():
    keras.utils.set_random_seed(0)
    x = np.concatenate([np.zeros((16, 2)), np.ones((16, 2))]).astype("float32")
    y = np.array([0] * 16 + [1] * 16)
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(inputs))
    history = fit_classifier(model, (x, y), (x, y), epochs=8, learning_rate=0.5, batch_size=32)
    assert len(history["val_accuracy"]) == 8 and history["val_accuracy"][-1] == 1.0
    with pytest.raises(ValueError, match="epochs"):
        fit_classifier(model, (x, y), (x, y), epochs=0)
    with pytest.raises(ValueError, match="learning_rate"):
        fit_classifier(model, (x, y), (x, y), epochs=1, learning_rate=-1)


@pytest.mark.multibackend
def test_the_classifier_loop_and_the_studies_share_one_jit_policy():
    """They used to disagree on a JAX CPU (classify turned XLA off, training kept it on)."""
    from resizer_lib.runtime import resolve_jit

    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(inputs))
    x, y = np.zeros((4, 2), "float32"), np.array([0, 1, 0, 1])
    fit_classifier(model, (x, y), (x, y), epochs=1)
    policy = resolve_jit("auto")  # TensorFlow: XLA only where a GPU is visible; JAX: Keras' "auto"
    assert model.jit_compile is policy if isinstance(policy, bool) else keras.backend.backend() == "jax"
