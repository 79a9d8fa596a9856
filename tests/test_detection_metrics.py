"""Detection metrics (``resizer_lib.dense.detection_metrics``) against answers derived by hand.

The worked example (one class, two images, four ground-truth boxes g1..g4, five detections):

    rank  score  box                 outcome at IoU 0.5
    d1    0.9    = g1 (image A)      TP                      P = 1/1, R = 1/4
    d2    0.8    = g3 (image B)      TP                      P = 2/2, R = 2/4
    d3    0.7    = g1 again          FP (g1 already taken)   P = 2/3, R = 2/4
    d4    0.6    IoU 0.68 with g2    TP                      P = 3/4, R = 3/4
    d5    0.5    on background       FP                      P = 3/5, R = 3/4
    g4 (image B) is never found.

Monotone envelope of P: 1, 1, 3/4, 3/4, 3/5.

* all points (PASCAL VOC 2010+): 0.25 * 1 + 0.25 * 1 + 0.25 * 3/4 = 11/16;
* 11 points (PASCAL VOC 2007; Everingham et al., IJCV 2010, eq. 1): recalls 0, 0.1, 0.2 ->
  1; 0.3, 0.4, 0.5 -> 1; 0.6, 0.7 -> 3/4; 0.8, 0.9, 1 -> 0; AP = 7.5 / 11;
* 101 points (COCO's cocoeval.py: recall levels 0, 0.01, ..., 1, each read at the first
  point whose recall reaches it): 26 levels <= 0.25 -> 1, 25 in (0.25, 0.5] -> 1, 25 in
  (0.5, 0.75] -> 3/4, 25 above -> 0; AP = 69.75 / 101.

At IoU thresholds above 0.68 d4 is a false positive too (pattern TP TP FP FP FP): the envelope
is 1, 1, 2/3, 1/2, 2/5 with recall stopping at 1/2, so the 101-point AP is 51 / 101. Over
COCO's ten thresholds 0.5, 0.55, ..., 0.95, four (0.5 to 0.65) see 69.75 / 101 and six see
51 / 101: AP@[.5:.95] = (4 * 69.75 + 6 * 51) / 1010.
"""

from __future__ import annotations

import numpy as np
import pytest

from resizer_lib.dense.detection_metrics import (
    average_precision,
    class_average_precision,
    coco_map,
    match_detections,
    mean_average_precision,
    precision_recall,
)

G1, G2, G3, G4 = [0, 0, 10, 10], [20, 20, 30, 30], [0, 0, 10, 10], [40, 40, 50, 50]
D4 = [20, 20, 30, 26.8]  # IoU with G2: 68 / 100


def worked_example(extra_classes: bool = False):
    preds = [
        {"boxes": np.array([G1, G1, D4, [60, 60, 70, 70]], float), "scores": np.array([0.9, 0.7, 0.6, 0.5]),
         "labels": np.zeros(4, int)},
        {"boxes": np.array([G3], float), "scores": np.array([0.8]), "labels": np.zeros(1, int)},
    ]
    gts = [{"boxes": np.array([G1, G2], float), "labels": np.zeros(2, int)},
           {"boxes": np.array([G3, G4], float), "labels": np.zeros(2, int)}]
    if extra_classes:  # class 1: one box, found exactly; class 2: a detection but no ground truth
        preds[1] = {"boxes": np.array([G3, [5, 5, 9, 9], [0, 30, 9, 39]], float),
                    "scores": np.array([0.8, 0.99, 0.4]), "labels": np.array([0, 1, 2])}
        gts[1] = {"boxes": np.array([G3, G4, [5, 5, 9, 9]], float), "labels": np.array([0, 0, 1])}
    return preds, gts


def test_matching_and_the_curve_of_the_worked_example():
    preds, gts = worked_example()
    flags = match_detections(preds[0]["boxes"], preds[0]["scores"], gts[0]["boxes"])
    assert flags.tolist() == [True, False, True, False]  # d1, d3, d4, d5 of image A
    precision, recall = precision_recall([0.9, 0.7, 0.6, 0.5, 0.8], [1, 0, 1, 0, 1], num_gt=4)
    np.testing.assert_allclose(precision, [1, 1, 2 / 3, 3 / 4, 3 / 5])
    np.testing.assert_allclose(recall, [1 / 4, 2 / 4, 2 / 4, 3 / 4, 3 / 4])


@pytest.mark.parametrize("method, expected", [
    ("all_points", 11 / 16), ("voc11", 7.5 / 11), ("coco101", 69.75 / 101)])
def test_ap_of_the_worked_example(method, expected):
    preds, gts = worked_example()
    assert class_average_precision(preds, gts, 0, 0.5, method) == pytest.approx(expected, abs=1e-12)


def test_a_stricter_threshold_turns_d4_into_a_false_positive():
    preds, gts = worked_example()
    assert class_average_precision(preds, gts, 0, 0.65, "coco101") == pytest.approx(69.75 / 101)
    assert class_average_precision(preds, gts, 0, 0.7, "coco101") == pytest.approx(51 / 101)
    result = coco_map(preds, gts)
    assert result["map"] == pytest.approx((4 * 69.75 + 6 * 51) / 1010, abs=1e-12)
    assert result["map50"] == pytest.approx(69.75 / 101) and result["map75"] == pytest.approx(51 / 101)
    assert len(result["per_threshold"]) == 10


def test_map_over_classes_leaves_out_a_class_without_ground_truth():
    preds, gts = worked_example(extra_classes=True)
    result = mean_average_precision(preds, gts, 0.5, "all_points")
    assert result["per_class"][0] == pytest.approx(11 / 16)
    assert result["per_class"][1] == 1.0
    assert np.isnan(result["per_class"][2])  # detections of class 2, but no class-2 box anywhere
    assert result["map"] == pytest.approx((11 / 16 + 1) / 2)
    with pytest.raises(ValueError, match="no ground-truth box"):
        mean_average_precision(preds, gts, labels=[2])


def test_empty_predictions_give_ap_zero():
    _, gts = worked_example()
    empty = [{"boxes": np.zeros((0, 4)), "scores": np.zeros(0), "labels": np.zeros(0, int)}] * 2
    assert class_average_precision(empty, gts, 0) == 0.0
    assert mean_average_precision(empty, gts)["map"] == 0.0
    assert coco_map(empty, gts)["map"] == 0.0
    assert average_precision([], []) == 0.0
    lists = [{"boxes": [], "scores": [], "labels": []}] * 2  # plain empty lists work too
    assert class_average_precision(lists, gts, 0) == 0.0


def test_perfect_detections_score_one_at_every_threshold():
    preds, gts = worked_example()
    perfect = [{"boxes": g["boxes"], "scores": np.linspace(1, 0.5, len(g["labels"])),
                "labels": g["labels"]} for g in gts]
    assert coco_map(perfect, gts)["map"] == pytest.approx(1.0)
    for method in ("all_points", "voc11", "coco101"):
        assert mean_average_precision(perfect, gts, method=method)["map"] == pytest.approx(1.0)


# The same numbers from pycocotools 2.0.11 (COCOeval, iouType "bbox", area "all", maxDets 100),
# computed once for the random example below: AP@[.5:.95], AP@.5, AP@.75.
PYCOCOTOOLS = (0.20904772494793336, 0.49061191206839977, 0.13036303630363036)


def random_example(seed: int = 3):
    """12 images, 3 classes, jittered and stray detections (every box is (x1, y1, x2, y2))."""
    rng = np.random.default_rng(seed)
    preds, gts = [], []
    for _ in range(12):
        m = rng.integers(0, 5)
        xy, wh = rng.uniform(0, 80, (m, 2)), rng.uniform(5, 30, (m, 2))
        g, gl = np.concatenate([xy, xy + wh], 1), rng.integers(0, 3, m)
        k = rng.integers(0, 7)
        src = rng.integers(0, max(m, 1), k)
        d = np.where(m > 0, 1, 0) * (g[src] if m else np.zeros((k, 4))) + rng.normal(0, 1.5, (k, 4))
        d[:, 2:] = np.maximum(d[:, 2:], d[:, :2] + 1)
        dl = np.where(rng.uniform(size=k) < .8, gl[src] if m else rng.integers(0, 3, k), rng.integers(0, 3, k))
        preds.append({"boxes": d, "scores": rng.uniform(size=k), "labels": dl})
        gts.append({"boxes": g, "labels": gl})
    return preds, gts


def test_coco_map_reproduces_pycocotools_numbers():
    result = coco_map(*random_example())
    np.testing.assert_allclose([result["map"], result["map50"], result["map75"]], PYCOCOTOOLS, atol=1e-9)


def test_coco_map_equals_pycocotools_live_when_it_is_installed():
    pytest.importorskip("pycocotools")
    import contextlib
    import io

    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    preds, gts = random_example(seed=7)
    images, anns, dets = [], [], []
    for i, (p, g) in enumerate(zip(preds, gts, strict=True)):
        images.append({"id": i + 1, "width": 128, "height": 128})
        for b, lab in zip(g["boxes"], g["labels"], strict=True):
            anns.append({"id": len(anns) + 1, "image_id": i + 1, "category_id": int(lab) + 1,
                         "bbox": [b[0], b[1], b[2] - b[0], b[3] - b[1]],
                         "area": float((b[2] - b[0]) * (b[3] - b[1])), "iscrowd": 0})
        for b, lab, s in zip(p["boxes"], p["labels"], p["scores"], strict=True):
            dets.append({"image_id": i + 1, "category_id": int(lab) + 1,
                         "bbox": [b[0], b[1], b[2] - b[0], b[3] - b[1]], "score": float(s)})
    coco = COCO()
    coco.dataset = {"images": images, "annotations": anns, "categories": [{"id": c} for c in (1, 2, 3)]}
    with contextlib.redirect_stdout(io.StringIO()):
        coco.createIndex()
        ev = COCOeval(coco, coco.loadRes(dets), "bbox")
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    ours = coco_map(preds, gts)
    np.testing.assert_allclose([ours["map"], ours["map50"], ours["map75"]], ev.stats[:3], atol=1e-9)


def test_bad_input_is_refused_with_the_reason():
    preds, gts = worked_example()
    with pytest.raises(ValueError, match="zero area"):
        match_detections([[0, 0, 1, 1]], [0.5], [[3, 3, 3, 8]])
    with pytest.raises(ValueError, match=r"\(2, 4\), \(3,\) and \(1, 4\)"):
        match_detections(np.zeros((2, 4)), np.zeros(3), np.ones((1, 4)) * [0, 0, 1, 1])
    with pytest.raises(ValueError, match="2 and 1 images"):
        mean_average_precision(preds, gts[:1])
    bad = [dict(preds[0], scores=np.ones(3)), preds[1]]
    with pytest.raises(ValueError, match=r"predictions\[0\]: boxes \(4, 4\), scores \(3,\)"):
        mean_average_precision(bad, gts)
    with pytest.raises(ValueError, match="has no 'scores'"):
        mean_average_precision([{"boxes": [], "labels": []}] * 2, gts)
    with pytest.raises(ValueError, match="Unknown AP method"):
        average_precision([1.0], [0.5], method="voc12")
    with pytest.raises(ValueError, match="num_gt"):
        precision_recall([0.5], [1], num_gt=0)
    with pytest.raises(ValueError, match="only num_gt=1"):
        precision_recall([0.5, 0.4], [1, 1], num_gt=1)
    with pytest.raises(ValueError, match="non-decreasing"):
        average_precision([1.0, 1.0], [0.5, 0.25])
    with pytest.raises(ValueError, match="iou_threshold"):
        match_detections(np.zeros((0, 4)), [], np.zeros((0, 4)), iou_threshold=0)
