"""Bounding boxes in NumPy: formats, intersection over union (IoU) and non-maximum suppression.

Convention: a box is ``(x1, y1, x2, y2)`` in **corner** format, in pixels, with continuous
coordinates: the box that covers the pixel columns ``c0 .. c1 - 1`` and rows ``r0 .. r1 - 1``
is ``(c0, r0, c1, r1)``, so its width is ``x2 - x1`` and its area ``(x2 - x1) (y2 - y1)``
(COCO's convention; PASCAL VOC's old devkit added 1 to each side). The **centre** format is
``(cx, cy, w, h)``; a **normalised** box divides x by the image width and y by its height, so
every coordinate of a box inside the image lies in ``[0, 1]``.

Degenerate boxes: a box with ``x2 < x1`` or ``y2 < y1`` is refused (``ValueError``); a box of
zero area (``x2 == x1`` or ``y2 == y1``, a predicted box can collapse to that) is allowed and
has IoU 0 with every box, itself included (its union can be 0, and 0 / 0 is defined as 0).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "box_area",
    "box_iou",
    "centre_to_corners",
    "check_boxes",
    "corners_to_centre",
    "denormalise_boxes",
    "generalised_iou",
    "iou_matrix",
    "nms",
    "normalise_boxes",
]


def check_boxes(boxes: object, name: str = "boxes") -> np.ndarray:
    """``boxes`` as ``float64 (..., 4)`` corner boxes, or ``ValueError`` naming the problem.

    Refuses a last axis other than 4, non-finite values and inverted boxes (``x2 < x1`` or
    ``y2 < y1``); zero-area boxes pass (see the module docstring).
    """
    arr = np.asarray(boxes, dtype=np.float64)
    if arr.ndim == 0 or arr.shape[-1] != 4:
        raise ValueError(f"{name} must have shape (..., 4) holding (x1, y1, x2, y2); got shape "
                         f"{arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinite coordinates")
    bad = (arr[..., 2] < arr[..., 0]) | (arr[..., 3] < arr[..., 1])
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{name}{list(index)} = {arr[index].tolist()} is inverted (x2 < x1 or "
                         f"y2 < y1); boxes are (x1, y1, x2, y2) corners: convert centre/size "
                         f"boxes with centre_to_corners first")
    return arr


def corners_to_centre(boxes: object) -> np.ndarray:
    """``(..., 4)`` corners ``(x1, y1, x2, y2)`` -> ``(..., 4)`` centre/size ``(cx, cy, w, h)``."""
    b = check_boxes(boxes)
    return np.stack([(b[..., 0] + b[..., 2]) / 2, (b[..., 1] + b[..., 3]) / 2,
                     b[..., 2] - b[..., 0], b[..., 3] - b[..., 1]], axis=-1)


def centre_to_corners(boxes: object) -> np.ndarray:
    """``(..., 4)`` centre/size ``(cx, cy, w, h)`` -> ``(..., 4)`` corners; ``w, h >= 0``."""
    b = np.asarray(boxes, dtype=np.float64)
    if b.ndim == 0 or b.shape[-1] != 4:
        raise ValueError(f"boxes must have shape (..., 4) holding (cx, cy, w, h); got shape {b.shape}")
    if (b[..., 2:] < 0).any():
        raise ValueError("centre/size boxes need w >= 0 and h >= 0; got a negative size")
    half = b[..., 2:] / 2
    return np.concatenate([b[..., :2] - half, b[..., :2] + half], axis=-1)


def _image_scale(image_size: Sequence[int]) -> np.ndarray:
    if len(image_size) != 2 or min(image_size) <= 0:
        raise ValueError(f"image_size must be (height, width) > 0; got {tuple(image_size)}")
    h, w = image_size
    return np.array([w, h, w, h], dtype=np.float64)


def normalise_boxes(boxes: object, image_size: Sequence[int]) -> np.ndarray:
    """Pixel boxes ``(..., 4)`` -> the same boxes with x / width and y / height.

    Works for either format (corners or centre/size): both scale x and y the same way.
    ``image_size`` is ``(height, width)``.
    """
    return np.asarray(boxes, dtype=np.float64) / _image_scale(image_size)


def denormalise_boxes(boxes: object, image_size: Sequence[int]) -> np.ndarray:
    """The inverse of ``normalise_boxes``: ``(..., 4)`` in ``[0, 1]`` -> pixels."""
    return np.asarray(boxes, dtype=np.float64) * _image_scale(image_size)


def box_area(boxes: object) -> np.ndarray:
    """Areas ``(...,)`` of corner boxes ``(..., 4)``."""
    b = check_boxes(boxes)
    return (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])


def _iou_parts(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Intersection and union of broadcast corner boxes ``a``, ``b``: two ``(...,)`` arrays."""
    w = np.clip(np.minimum(a[..., 2], b[..., 2]) - np.maximum(a[..., 0], b[..., 0]), 0, None)
    h = np.clip(np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1]), 0, None)
    inter = w * h
    union = box_area(a) + box_area(b) - inter
    return inter, union


def _safe_ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.divide(num, den, out=np.zeros(np.broadcast(num, den).shape), where=den > 0)


def box_iou(a: object, b: object) -> np.ndarray:
    """Element-wise IoU of paired corner boxes: ``(..., 4), (..., 4) -> (...,)`` (broadcasts).

    Zero-area boxes give 0 (see the module docstring).
    """
    a, b = check_boxes(a, "a"), check_boxes(b, "b")
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(f"box_iou pairs boxes element-wise: shapes {a.shape} and {b.shape} do "
                         f"not broadcast; use iou_matrix for every pair of two sets") from None
    inter, union = _iou_parts(a, b)
    return _safe_ratio(inter, union)


def iou_matrix(a: object, b: object) -> np.ndarray:
    """IoU of every pair of two sets of corner boxes: ``(N, 4), (M, 4) -> (N, M)``, vectorised."""
    a, b = check_boxes(a, "a"), check_boxes(b, "b")
    if a.ndim != 2 or b.ndim != 2:
        raise ValueError(f"iou_matrix needs two sets of boxes (N, 4) and (M, 4); got shapes "
                         f"{a.shape} and {b.shape}")
    inter, union = _iou_parts(a[:, None, :], b[None, :, :])
    return _safe_ratio(inter, union)


def generalised_iou(a: object, b: object) -> np.ndarray:
    """Element-wise generalised IoU (Rezatofighi et al., CVPR 2019): ``(..., 4) x2 -> (...,)``.

    ``GIoU = IoU - (|C| - |A u B|) / |C|`` with ``C`` the smallest box enclosing both. It is in
    ``(-1, 1]`` and, unlike IoU, keeps falling as two disjoint boxes move apart, so ``1 - GIoU``
    still has a gradient where ``1 - IoU`` is flat at 1.
    """
    a, b = check_boxes(a, "a"), check_boxes(b, "b")
    inter, union = _iou_parts(a, b)
    hull = box_area(np.concatenate([np.minimum(a[..., :2], b[..., :2]),
                                    np.maximum(a[..., 2:], b[..., 2:])], axis=-1))
    return _safe_ratio(inter, union) - _safe_ratio(hull - union, hull)


def nms(boxes: object, scores: object, iou_threshold: float = 0.5,
        max_outputs: int | None = None) -> np.ndarray:
    """Greedy non-maximum suppression: the indices ``(K,)`` of the boxes kept, best score first.

    Repeatedly keep the highest-scoring box left and drop every remaining box whose IoU with
    it is **greater than** ``iou_threshold`` (the rule of ``tf.image.non_max_suppression``).
    Equal scores keep their input order. ``boxes``: ``(N, 4)`` corners; ``scores``: ``(N,)``.
    """
    b = check_boxes(boxes)
    s = np.asarray(scores, dtype=np.float64)
    if b.ndim != 2 or s.shape != (b.shape[0],):
        raise ValueError(f"nms needs boxes (N, 4) and scores (N,); got shapes {b.shape} and {s.shape}")
    if not 0.0 <= iou_threshold <= 1.0:
        raise ValueError(f"iou_threshold must be in [0, 1]; got {iou_threshold!r}")
    if max_outputs is not None and max_outputs < 0:
        raise ValueError(f"max_outputs must be >= 0 or None; got {max_outputs!r}")
    order = np.argsort(-s, kind="stable")
    ious = iou_matrix(b, b)
    keep: list[int] = []
    alive = np.ones(len(order), dtype=bool)
    for rank, i in enumerate(order):
        if max_outputs is not None and len(keep) >= max_outputs:
            break
        if not alive[rank]:
            continue
        keep.append(int(i))
        alive[rank + 1:] &= ious[i, order[rank + 1:]] <= iou_threshold
    return np.array(keep, dtype=np.int64)
