"""Detection metrics in NumPy: matching, precision-recall, average precision (AP) and mAP.

The recipe, per class:

1. sort every detection of the class, over all images, by score (highest first);
2. walk down the list: a detection is a **true positive** when its IoU with a ground-truth box
   of the same class *in the same image*, not yet matched, is ``>= iou_threshold``; it takes the
   unmatched box of highest IoU (COCO's rule; VOC's devkit instead takes the best box and calls
   the detection a false positive when that box is taken). Otherwise it is a false positive;
3. after the first ``k`` detections, precision ``= TP_k / k`` and recall ``= TP_k / G`` with
   ``G`` the number of ground-truth boxes;
4. AP summarises the curve after making precision monotone (each precision replaced by the
   best precision at that recall or higher):

   * ``"all_points"`` (PASCAL VOC 2010 onwards): the area under that envelope,
     ``sum_k (r_k - r_{k-1}) p_interp(r_k)``;
   * ``"voc11"`` (PASCAL VOC 2007, Everingham et al., IJCV 2010, eq. 1): the mean of the
     envelope at the 11 recalls ``0, 0.1, ..., 1``;
   * ``"coco101"`` (COCO, ``cocoeval.py``): the mean of the envelope at the 101 recalls
     ``0, 0.01, ..., 1``, each read at the first point whose recall reaches it.

mAP is the mean of the per-class APs. The COCO summary number ("AP", or mAP@[.5:.95])
averages it again over the IoU thresholds ``0.5, 0.55, ..., 0.95``.

Edge cases, as this module defines them:

* a class with ground truth but no detections: AP = 0;
* a class with **no ground truth** in any image: its AP is ``NaN`` (recall is undefined) and it
  is **left out of the mean** (as COCO does); its detections count nowhere. If no class has
  ground truth, ``mean_average_precision`` raises ``ValueError``;
* a ground-truth box of zero area: ``ValueError`` (it can never be matched); a predicted box of
  zero area is allowed and is a false positive (IoU 0 with everything);
* shapes that do not agree: ``ValueError`` naming them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from resizer_lib.dense.boxes import box_area, check_boxes, iou_matrix

__all__ = [
    "AP_METHODS",
    "COCO_IOU_THRESHOLDS",
    "average_precision",
    "class_average_precision",
    "coco_map",
    "match_detections",
    "mean_average_precision",
    "precision_recall",
]

AP_METHODS = ("all_points", "voc11", "coco101")
COCO_IOU_THRESHOLDS = np.linspace(0.5, 0.95, 10)  # as cocoeval.py: 0.5, 0.55, ..., 0.95


def _as_boxes(boxes: object, name: str) -> np.ndarray:
    """``boxes`` checked as corners; an empty list or array becomes ``(0, 4)``."""
    arr = np.asarray(boxes, dtype=np.float64)
    return check_boxes(arr.reshape(0, 4) if arr.size == 0 else arr, name)


def match_detections(pred_boxes: object, scores: object, gt_boxes: object,
                     iou_threshold: float = 0.5) -> np.ndarray:
    """True-positive flags ``(N,)`` (input order) for one image and one class.

    ``pred_boxes (N, 4)``, ``scores (N,)``, ``gt_boxes (M, 4)``, corners. Detections are taken
    best score first (ties: input order); each claims the unmatched ground-truth box of highest
    IoU if that IoU is ``>= iou_threshold``.
    """
    p, g = _as_boxes(pred_boxes, "pred_boxes"), _as_boxes(gt_boxes, "gt_boxes")
    s = np.asarray(scores, dtype=np.float64)
    s = s.reshape(0) if s.size == 0 else s
    if p.ndim != 2 or g.ndim != 2 or s.shape != (p.shape[0],):
        raise ValueError(f"match_detections needs pred_boxes (N, 4), scores (N,) and gt_boxes "
                         f"(M, 4); got shapes {p.shape}, {s.shape} and {g.shape}")
    if not 0.0 < iou_threshold <= 1.0:
        raise ValueError(f"iou_threshold must be in (0, 1]; got {iou_threshold!r}")
    if g.shape[0] and (box_area(g) <= 0).any():
        i = int(np.flatnonzero(box_area(g) <= 0)[0])
        raise ValueError(f"gt_boxes[{i}] = {g[i].tolist()} has zero area: a ground-truth box "
                         f"must have x2 > x1 and y2 > y1")
    tp = np.zeros(p.shape[0], dtype=bool)
    if p.shape[0] == 0 or g.shape[0] == 0:
        return tp
    ious = iou_matrix(p, g)
    taken = np.zeros(g.shape[0], dtype=bool)
    for i in np.argsort(-s, kind="stable"):
        candidates = np.where(taken, -1.0, ious[i])
        j = int(np.argmax(candidates))
        if candidates[j] >= iou_threshold:
            tp[i], taken[j] = True, True
    return tp


def precision_recall(scores: object, is_tp: object, num_gt: int) -> tuple[np.ndarray, np.ndarray]:
    """Precision and recall ``(N,), (N,)`` after each detection, best score first.

    ``scores (N,)`` and ``is_tp (N,)`` (booleans) of every detection of one class, over all
    images; ``num_gt``: that class's number of ground-truth boxes (``>= 1``). Equal scores keep
    their input order.
    """
    s = np.asarray(scores, dtype=np.float64).reshape(-1)
    tp = np.asarray(is_tp).reshape(-1)
    if s.shape != tp.shape:
        raise ValueError(f"scores and is_tp must have the same shape; got {s.shape} and {tp.shape}")
    if not np.isin(tp, (0, 1)).all():
        raise ValueError("is_tp must hold booleans (or 0/1)")
    if isinstance(num_gt, bool) or int(num_gt) != num_gt or num_gt < 1:
        raise ValueError(f"num_gt must be an integer >= 1 (recall needs ground truth); got {num_gt!r}")
    if tp.sum() > num_gt:
        raise ValueError(f"{int(tp.sum())} true positives but only num_gt={num_gt} ground-truth boxes")
    order = np.argsort(-s, kind="stable")
    hits = np.cumsum(tp[order].astype(np.float64))
    precision = hits / np.arange(1, len(hits) + 1)
    return precision, hits / num_gt


def _envelope(precision: np.ndarray) -> np.ndarray:
    """Monotone precision: each value replaced by the maximum at the same or a later index."""
    return np.maximum.accumulate(precision[::-1])[::-1]


def average_precision(precision: object, recall: object, method: str = "all_points") -> float:
    """AP of one precision-recall curve ``(N,), (N,)`` (as ``precision_recall`` returns it).

    ``method``: ``"all_points"``, ``"voc11"`` or ``"coco101"`` (module docstring). An empty
    curve (no detections) gives 0.
    """
    p = np.asarray(precision, dtype=np.float64).reshape(-1)
    r = np.asarray(recall, dtype=np.float64).reshape(-1)
    if p.shape != r.shape:
        raise ValueError(f"precision and recall must have the same shape; got {p.shape} and {r.shape}")
    if method not in AP_METHODS:
        raise ValueError(f"Unknown AP method {method!r}; choose one of {list(AP_METHODS)}")
    if p.size == 0:
        return 0.0
    if ((p < 0) | (p > 1) | (r < 0) | (r > 1)).any() or (np.diff(r) < 0).any():
        raise ValueError("precision and recall must lie in [0, 1], with recall non-decreasing "
                         "(detections sorted by score, as precision_recall returns them)")
    env = _envelope(p)
    if method == "all_points":
        steps = np.diff(np.concatenate([[0.0], r]))
        return float(np.sum(steps * env))
    levels = np.linspace(0.0, 1.0, 11 if method == "voc11" else 101)
    # the first point whose recall reaches each level; past the last recall, precision 0
    idx = np.searchsorted(r, levels, side="left")
    padded = np.concatenate([env, [0.0]])
    return float(np.mean(padded[idx]))


def _check_images(predictions: Sequence[Mapping], ground_truths: Sequence[Mapping]) -> None:
    if len(predictions) != len(ground_truths):
        raise ValueError(f"predictions and ground_truths need one entry per image; got "
                         f"{len(predictions)} and {len(ground_truths)} images")
    for i, (pred, gt) in enumerate(zip(predictions, ground_truths, strict=True)):
        for key in ("boxes", "scores", "labels"):
            if key not in pred:
                raise ValueError(f"predictions[{i}] has no {key!r}; each is a dict of boxes (N, 4), "
                                 f"scores (N,) and labels (N,)")
        for key in ("boxes", "labels"):
            if key not in gt:
                raise ValueError(f"ground_truths[{i}] has no {key!r}; each is a dict of boxes "
                                 f"(M, 4) and labels (M,)")
        n, m = np.shape(pred["boxes"]), np.shape(gt["boxes"])
        if not (np.size(pred["boxes"]) == 0 or (len(n) == 2 and n[1] == 4)) or \
                np.shape(pred["scores"]) != n[:1] or np.shape(pred["labels"]) != n[:1]:
            raise ValueError(f"predictions[{i}]: boxes {n}, scores {np.shape(pred['scores'])} and "
                             f"labels {np.shape(pred['labels'])} must be (N, 4), (N,) and (N,)")
        if not (np.size(gt["boxes"]) == 0 or (len(m) == 2 and m[1] == 4)) or \
                np.shape(gt["labels"]) != m[:1]:
            raise ValueError(f"ground_truths[{i}]: boxes {m} and labels {np.shape(gt['labels'])} "
                             f"must be (M, 4) and (M,)")


def class_average_precision(predictions: Sequence[Mapping], ground_truths: Sequence[Mapping],
                            label: int, iou_threshold: float = 0.5,
                            method: str = "all_points") -> float:
    """AP of class ``label`` over all images; ``NaN`` when the class has no ground truth.

    ``predictions[i]``: ``{"boxes": (N, 4), "scores": (N,), "labels": (N,)}`` of image ``i``;
    ``ground_truths[i]``: ``{"boxes": (M, 4), "labels": (M,)}``. Boxes are pixel corners.
    """
    _check_images(predictions, ground_truths)
    scores, flags, num_gt = [], [], 0
    for pred, gt in zip(predictions, ground_truths, strict=True):
        mine = np.asarray(pred["labels"]).reshape(-1) == label
        gt_mine = np.asarray(gt["labels"]).reshape(-1) == label
        boxes = np.reshape(pred["boxes"], (-1, 4))[mine]
        gt_boxes = np.reshape(gt["boxes"], (-1, 4))[gt_mine]
        s = np.asarray(pred["scores"], dtype=np.float64).reshape(-1)[mine]
        flags.append(match_detections(boxes, s, gt_boxes, iou_threshold))
        scores.append(s)
        num_gt += int(gt_mine.sum())
    if num_gt == 0:
        return float("nan")
    precision, recall = precision_recall(np.concatenate(scores), np.concatenate(flags), num_gt)
    return average_precision(precision, recall, method)


def _labels(predictions: Sequence[Mapping], ground_truths: Sequence[Mapping]) -> list[int]:
    found = set()
    for entry in [*predictions, *ground_truths]:
        found.update(int(v) for v in np.asarray(entry["labels"]).reshape(-1))
    return sorted(found)


def mean_average_precision(predictions: Sequence[Mapping], ground_truths: Sequence[Mapping],
                           iou_threshold: float = 0.5, method: str = "all_points",
                           labels: Sequence[int] | None = None) -> dict:
    """mAP at one IoU threshold: ``{"map": float, "per_class": {label: AP or NaN}}``.

    ``labels``: the classes to evaluate (default: every label seen in either list). Classes
    without ground truth get ``NaN`` and are left out of the mean; ``ValueError`` if none has any.
    """
    _check_images(predictions, ground_truths)
    labels = _labels(predictions, ground_truths) if labels is None else [int(c) for c in labels]
    per_class = {c: class_average_precision(predictions, ground_truths, c, iou_threshold, method)
                 for c in labels}
    valid = [ap for ap in per_class.values() if not np.isnan(ap)]
    if not valid:
        raise ValueError(f"no ground-truth box of any class {labels} in {len(ground_truths)} "
                         f"image(s): mAP is undefined")
    return {"map": float(np.mean(valid)), "per_class": per_class}


def coco_map(predictions: Sequence[Mapping], ground_truths: Sequence[Mapping],
             labels: Sequence[int] | None = None,
             iou_thresholds: Sequence[float] = tuple(COCO_IOU_THRESHOLDS)) -> dict:
    """COCO-style AP: 101-point AP, mean over classes, then over ``iou_thresholds``.

    Returns ``{"map": mean over thresholds (COCO's "AP"), "map50": at 0.5, "map75": at 0.75,
    "per_threshold": {t: mAP}}`` (``map50``/``map75`` only when those thresholds are in the
    list). Unlike ``cocoeval.py`` there are no area ranges, no crowd boxes and no cap on
    detections per image (it keeps 100).
    """
    per_threshold = {round(float(t), 2): mean_average_precision(
        predictions, ground_truths, float(t), "coco101", labels)["map"] for t in iou_thresholds}
    out = {"map": float(np.mean(list(per_threshold.values()))), "per_threshold": per_threshold}
    for key, t in (("map50", 0.5), ("map75", 0.75)):
        if t in per_threshold:
            out[key] = per_threshold[t]
    return out
