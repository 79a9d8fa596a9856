"""``resizer_lib.training.precise_bn``: every run also evaluated with re-estimated BatchNorm statistics."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from test_runner import tiny_config, tiny_data

from resizer_lib.models.batchnorm import batchnorm_layers
from resizer_lib.training import train_run
from resizer_lib.training.batches import EpochBatches
from resizer_lib.training.precise_bn import (
    PRECISE_BN_IMAGES,
    evaluate_recalibrated,
    precise_bn_sample,
)

pytestmark = pytest.mark.multibackend


def test_the_sample_is_seeded_sorted_and_capped():
    a = precise_bn_sample(2000, seed=1)
    assert len(a) == PRECISE_BN_IMAGES and np.all(np.diff(a) > 0)
    np.testing.assert_array_equal(a, precise_bn_sample(2000, seed=1))
    assert not np.array_equal(a, precise_bn_sample(2000, seed=2))
    np.testing.assert_array_equal(precise_bn_sample(10, seed=0), np.arange(10))  # small sets: all


@pytest.mark.slow  # trains: TensorFlow stage only
def test_every_run_records_both_accuracies_and_keeps_its_own_statistics(tmp_path):
    data = tiny_data()
    record = train_run(tiny_config(tmp_path, arms=("learned",)), "learned", 0, data, tmp_path)
    final, model = record["final"], record["model"]
    assert 0.0 <= final["val_accuracy_recalibrated"] <= 1.0 and final["val_loss_recalibrated"] > 0
    assert record["precise_bn"]["images"] == len(data["x_train"])  # 48 < 512: every image
    assert record["precise_bn"]["layers"] == len(batchnorm_layers(model)) > 0
    from resizer_lib.training import weights_checksum

    assert weights_checksum(model.get_weights()) == record["final_weights_checksum"]  # restored
    val = EpochBatches(data["x_val"], data["y_val"], 16, 2, shuffle=False)
    again = model.evaluate(val, verbose=0, return_dict=True)
    assert again["accuracy"] == pytest.approx(final["val_accuracy"])


@pytest.mark.slow  # trains: TensorFlow stage only
def test_the_result_does_not_depend_on_the_statistics_training_left(tmp_path):
    """Re-estimation replaces the moving statistics entirely (the first batch has weight 1),
    so stale ones, however wrong, do not change the precise-BN accuracy; and they are put back."""
    data = tiny_data()
    record = train_run(tiny_config(tmp_path, arms=("bilinear",)), "bilinear", 0, data, tmp_path)
    model = record["model"]
    val = EpochBatches(data["x_val"], data["y_val"], 16, 2, shuffle=False)
    keras.utils.set_random_seed(1)
    fresh = evaluate_recalibrated(model, data["x_train"], val, seed=0, batch_size=16)
    for layer in batchnorm_layers(model):  # statistics that no longer fit the weights
        layer.moving_mean.assign(np.full(layer.moving_mean.shape, 50.0, "float32"))
    keras.utils.set_random_seed(1)
    stale = evaluate_recalibrated(model, data["x_train"], val, seed=0, batch_size=16)
    assert stale["val_loss"] == pytest.approx(fresh["val_loss"], rel=1e-5)
    assert stale["val_accuracy"] == fresh["val_accuracy"]
    assert fresh["val_accuracy"] == pytest.approx(record["final"]["val_accuracy_recalibrated"], abs=0.07)
    first = batchnorm_layers(model)[0]
    assert float(keras.ops.convert_to_numpy(first.moving_mean)[0]) == 50.0  # put back


@pytest.mark.slow  # trains: TensorFlow stage only
def test_every_run_keeps_its_per_image_predictions_for_paired_tests(tmp_path):
    data = tiny_data()
    record = train_run(tiny_config(tmp_path, arms=("bilinear",)), "bilinear", 0, data, tmp_path)
    preds = record["val_predictions"]
    for view, metric in (("moving", "val_accuracy"), ("recalibrated", "val_accuracy_recalibrated")):
        assert len(preds[view]) == len(data["y_val"]) and set(preds[view]) <= {0, 1}
        accuracy = np.mean(np.array(preds[view]) == data["y_val"])
        assert accuracy == pytest.approx(record["final"][metric], abs=1e-6)
