"""Segmentation (``resizer_lib.dense.segmentation``): the U-Net, the segmenter's stages, the
NumPy metrics against hand-computed values, the paired study's pairing, bad input."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from resizer_lib.dense.scenes import make_scenes
from resizer_lib.dense.segmentation import (
    build_segmenter,
    build_unet,
    compare_stages,
    confusion_matrix,
    fit_segmenter,
    mean_iou,
    per_class_iou,
    pixel_accuracy,
    predict_masks,
    unet_of,
)
from resizer_lib.training.record import weights_checksum

pytestmark = pytest.mark.multibackend


def test_metrics_of_a_worked_example():
    truth = np.array([[0, 0, 1, 1], [0, 0, 1, 2]])
    pred = np.array([[0, 1, 1, 1], [0, 0, 2, 2]])
    np.testing.assert_array_equal(confusion_matrix(truth, pred, 4), [[3, 1, 0, 0], [0, 2, 1, 0],
                                                                    [0, 0, 1, 0], [0, 0, 0, 0]])
    assert pixel_accuracy(truth, pred) == 6 / 8
    iou = per_class_iou(truth, pred, 4)
    # class 0: 3 / (3 + 1); class 1: 2 / (3 + 3 - 2); class 2: 1 / (1 + 2 - 1); class 3: nowhere
    np.testing.assert_allclose(iou[:3], [3 / 4, 2 / 4, 1 / 2])
    assert np.isnan(iou[3])
    assert mean_iou(truth, pred, 4) == pytest.approx((3 / 4 + 2 / 4 + 1 / 2) / 3)
    wrong = np.full_like(truth, 3)  # a class predicted but absent from the truth counts as 0
    assert per_class_iou(truth, wrong, 4)[3] == 0.0 and mean_iou(truth, wrong, 4) == 0.0


def test_metrics_refuse_bad_input():
    with pytest.raises(ValueError, match=r"\(2, 2\) and \(2, 3\)"):
        pixel_accuracy(np.zeros((2, 2), int), np.zeros((2, 3), int))
    with pytest.raises(ValueError, match=r"y_pred must hold integer classes in \[0, 2\)"):
        mean_iou(np.zeros(4, int), np.full(4, 2), 2)
    with pytest.raises(ValueError, match="integer classes"):
        confusion_matrix(np.zeros(4), np.zeros(4), 2)
    with pytest.raises(ValueError, match="empty"):
        pixel_accuracy(np.zeros(0, int), np.zeros(0, int))


def test_the_unet_keeps_the_size_and_has_its_skips():
    unet = build_unet((16, 24, 3), 5, widths=(4, 8, 16))
    out = unet(np.zeros((2, 16, 24, 3), "float32"))
    assert tuple(out.shape) == (2, 16, 24, 5)
    skips = [la for la in unet.layers if isinstance(la, keras.layers.Concatenate)]
    assert [tuple(la.output.shape[1:3]) for la in skips] == [(8, 12), (16, 24)]
    with pytest.raises(ValueError, match="multiple of 4"):
        build_unet((18, 24, 3), 2, widths=(4, 8, 16))
    with pytest.raises(ValueError, match="two levels"):
        build_unet((16, 16, 3), 2, widths=(4,))


@pytest.mark.parametrize("stage", ["bilinear", "learned", "muller"])
def test_every_stage_gives_full_size_logits_from_the_same_unet(stage):
    model = build_segmenter(32, 8, 3, stage, seed=4, widths=(4, 8))
    x = np.random.default_rng(0).integers(0, 256, (2, 32, 32, 3), dtype=np.uint8)
    assert tuple(model(x).shape) == (2, 32, 32, 3)
    reference = build_segmenter(32, 8, 3, "bilinear", seed=4, widths=(4, 8))
    assert weights_checksum(unet_of(model).get_weights()) == weights_checksum(unet_of(reference).get_weights())
    other = build_segmenter(32, 8, 3, stage, seed=5, widths=(4, 8))
    assert weights_checksum(unet_of(other).get_weights()) != weights_checksum(unet_of(model).get_weights())


def test_the_full_resolution_stage_and_bad_stages():
    assert tuple(build_segmenter(16, 16, 2, "none", widths=(4, 8)).output.shape) == (None, 16, 16, 2)
    with pytest.raises(ValueError, match="target_size == input_size"):
        build_segmenter(32, 16, 2, "none")
    with pytest.raises(ValueError, match="Unknown stage"):
        build_segmenter(32, 16, 2, "bicubicish")


def test_training_lowers_the_loss_and_finds_big_shapes():
    scenes = make_scenes(24, 32, objects=(1, 2), sizes=(10, 14), classes=("square",), seed=0)
    model = build_segmenter(32, 16, 2, "bilinear", seed=0, widths=(8, 16))
    losses = fit_segmenter(model, scenes.images, scenes.masks, epochs=6, batch_size=8,
                           learning_rate=1e-2, class_weights=[1, 3])
    assert losses[-1] < 0.6 * losses[0]
    pred = predict_masks(model, scenes.images)
    assert pred.shape == scenes.masks.shape and pred.dtype == np.uint8
    assert per_class_iou(scenes.masks, pred, 2)[1] > 0.3  # the squares are found (training set)
    with pytest.raises(ValueError, match="class_weights"):
        fit_segmenter(model, scenes.images, scenes.masks, 1, class_weights=[1])
    with pytest.raises(ValueError, match=r"\(24, 32, 32, 3\) and \(24, 32\)"):
        fit_segmenter(model, scenes.images, scenes.masks[:, 0], 1)


def test_compare_stages_pairs_by_seed_and_reuses_one_model_per_stage():
    train = make_scenes(8, 16, objects=2, sizes=(2, 3), classes=("disc",), seed=1)
    val = make_scenes(4, 16, objects=2, sizes=(2, 3), classes=("disc",), seed=2)
    records = compare_stages((train.images, train.masks), (val.images, val.masks),
                             ["bilinear", "muller"], seeds=[0, 1], target_size=8, num_classes=2,
                             epochs=1, batch_size=8, widths=(4, 8), run_eagerly=True)
    assert [(r["stage"], r["seed"]) for r in records] == [("bilinear", 0), ("bilinear", 1), ("muller", 0),
                                                        ("muller", 1)]
    by_seed = {}
    for r in records:
        by_seed.setdefault(r["seed"], set()).add(r["unet_checksum"])
        assert 0 <= r["mean_iou"] <= 1 and 0 <= r["pixel_accuracy"] <= 1 and len(r["losses"]) == 1
    assert all(len(sums) == 1 for sums in by_seed.values()) and by_seed[0] != by_seed[1]
    # a rerun of one seed alone gives the same numbers: the second seed started afresh
    again = compare_stages((train.images, train.masks), (val.images, val.masks), ["muller"], seeds=[1],
                           target_size=8, num_classes=2, epochs=1, batch_size=8, widths=(4, 8),
                           run_eagerly=True)
    assert again[0]["losses"] == pytest.approx(records[3]["losses"], rel=1e-4)
