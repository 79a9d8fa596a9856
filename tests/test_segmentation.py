"""Segmentation as lesson 13 writes it (its U-Net, segmenter and metrics, run outside the lesson):
the metrics against hand-computed values, the U-Net's skips, the segmenter's stages, that it can
learn."""

from __future__ import annotations

import ast
from pathlib import Path

import keras
import numpy as np
import pytest

from resizer_lib.dense.scenes import make_scenes
from resizer_lib.training.record import weights_checksum

pytestmark = pytest.mark.multibackend
LESSON = Path(__file__).resolve().parents[1] / "notebooks" / "13_segmentation.py"


@pytest.fixture(scope="module")
def lesson() -> dict:
    """The lesson's top-level imports and functions, run on their own (no training, no figures)."""
    tree = ast.parse(LESSON.read_text())
    chosen = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom, ast.FunctionDef))]
    namespace: dict = {}
    exec(compile(ast.Module(chosen, []), LESSON.name, "exec"), namespace)  # noqa: S102
    return namespace


def test_metrics_of_a_worked_example(lesson):
    per_class_iou, mean_iou = lesson["per_class_iou"], lesson["mean_iou"]
    truth = np.array([[0, 0, 1, 1], [0, 0, 1, 2]])
    pred = np.array([[0, 1, 1, 1], [0, 0, 2, 2]])
    iou = per_class_iou(truth, pred, 4)
    # class 0: 3 / (3 + 1); class 1: 2 / (3 + 3 - 2); class 2: 1 / (1 + 2 - 1); class 3: nowhere
    np.testing.assert_allclose(iou[:3], [3 / 4, 2 / 4, 1 / 2])
    assert np.isnan(iou[3])
    assert mean_iou(truth, pred, 4) == pytest.approx((3 / 4 + 2 / 4 + 1 / 2) / 3)
    wrong = np.full_like(truth, 3)  # a class predicted but absent from the truth counts as 0
    assert per_class_iou(truth, wrong, 4)[3] == 0.0 and mean_iou(truth, wrong, 4) == 0.0


def test_the_unet_keeps_the_size_and_has_its_skips(lesson):
    unet = lesson["build_unet"]((16, 24, 3), 5, widths=(4, 8, 16))
    out = unet(np.zeros((2, 16, 24, 3), "float32"))
    assert tuple(out.shape) == (2, 16, 24, 5)
    skips = [la for la in unet.layers if isinstance(la, keras.layers.Concatenate)]
    assert [tuple(la.output.shape[1:3]) for la in skips] == [(8, 12), (16, 24)]


@pytest.mark.parametrize("stage", ["bilinear", "learned", "muller"])
def test_every_stage_gives_full_size_logits_from_the_same_unet(lesson, stage):
    build_segmenter = lesson["build_segmenter"]
    model = build_segmenter(32, 8, 3, stage, seed=4)
    x = np.random.default_rng(0).integers(0, 256, (2, 32, 32, 3), dtype=np.uint8)
    assert tuple(model(x).shape) == (2, 32, 32, 3)
    reference = build_segmenter(32, 8, 3, "bilinear", seed=4)
    other = build_segmenter(32, 8, 3, stage, seed=5)
    sums = [weights_checksum(m.get_layer("unet").get_weights()) for m in (model, reference, other)]
    assert sums[0] == sums[1] != sums[2]


def test_training_lowers_the_loss_and_finds_big_shapes(lesson):
    """The segmenter learns with a plain ``fit`` and per-pixel class weights, as lesson 13 trains it."""
    scenes = make_scenes(24, 32, objects=(1, 2), sizes=(10, 14), classes=("square",), seed=0)
    model = lesson["build_segmenter"](32, 16, 2, "bilinear", seed=0)
    model.compile(optimizer=keras.optimizers.AdamW(1e-2, weight_decay=1e-4),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    weights = np.array([1, 3], "float32")[scenes.masks]
    history = model.fit(scenes.images, scenes.masks, sample_weight=weights, batch_size=8, epochs=6, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.6 * losses[0]
    pred = lesson["predict_masks"](model, scenes.images)
    assert pred.shape == scenes.masks.shape
    assert lesson["per_class_iou"](scenes.masks, pred, 2)[1] > 0.3  # the squares are found (training set)
