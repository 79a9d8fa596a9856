"""Boxes (``resizer_lib.dense.boxes``): formats, IoU by hand and vectorised, GIoU, NMS, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from resizer_lib.dense.boxes import (
    box_area,
    box_iou,
    centre_to_corners,
    check_boxes,
    corners_to_centre,
    denormalise_boxes,
    generalised_iou,
    iou_matrix,
    nms,
    normalise_boxes,
)


def test_formats_round_trip_and_known_values():
    corners = np.array([[10, 20, 30, 60], [0, 0, 1, 1]], float)
    centre = corners_to_centre(corners)
    np.testing.assert_array_equal(centre[0], [20, 40, 20, 40])
    np.testing.assert_allclose(centre_to_corners(centre), corners)
    norm = normalise_boxes(corners, (100, 50))  # (height, width): x / 50, y / 100
    np.testing.assert_allclose(norm[0], [0.2, 0.2, 0.6, 0.6])
    np.testing.assert_allclose(denormalise_boxes(norm, (100, 50)), corners)
    np.testing.assert_array_equal(box_area(corners), [800, 1])


def test_iou_of_worked_examples():
    # two 10 x 10 squares overlapping in a 5 x 10 strip: 50 / (100 + 100 - 50) = 1/3
    assert box_iou([0, 0, 10, 10], [5, 0, 15, 10]) == pytest.approx(1 / 3)
    # one inside the other: 4 / 16
    assert box_iou([0, 0, 4, 4], [1, 1, 3, 3]) == pytest.approx(0.25)
    # touching edges: no overlap
    assert box_iou([0, 0, 2, 2], [2, 0, 4, 2]) == 0.0
    assert box_iou([3, 3, 9, 9], [3, 3, 9, 9]) == 1.0


def test_iou_matrix_equals_the_pairwise_loop():
    rng = np.random.default_rng(0)
    a = np.sort(rng.uniform(0, 20, (5, 2, 2)), axis=1).transpose(0, 2, 1).reshape(5, 4)[:, [0, 2, 1, 3]]
    b = np.sort(rng.uniform(0, 20, (3, 2, 2)), axis=1).transpose(0, 2, 1).reshape(3, 4)[:, [0, 2, 1, 3]]
    m = iou_matrix(a, b)
    assert m.shape == (5, 3)
    for i in range(5):
        for j in range(3):
            assert m[i, j] == pytest.approx(float(box_iou(a[i], b[j])))
    assert (m >= 0).all() and (m <= 1).all() and m.max() > 0


def test_zero_area_boxes_have_iou_zero_even_with_themselves():
    point = [4, 4, 4, 4]
    line = [0, 2, 8, 2]
    assert box_iou(point, point) == 0.0 and box_iou(line, [0, 0, 8, 8]) == 0.0
    np.testing.assert_array_equal(iou_matrix([point, line], [point]), [[0.0], [0.0]])


def test_generalised_iou_keeps_falling_where_iou_is_flat():
    a = np.array([0, 0, 4, 4], float)
    gaps = [np.array([4 + g, 0, 8 + g, 4], float) for g in (0, 2, 8)]
    assert [float(box_iou(a, b)) for b in gaps] == [0.0, 0.0, 0.0]
    giou = [float(generalised_iou(a, b)) for b in gaps]
    assert giou[0] > giou[1] > giou[2] > -1
    assert giou[1] == pytest.approx(-(40 - 32) / 40)  # hull 10 x 4, union 32
    assert float(generalised_iou(a, a)) == 1.0


def test_nms_keeps_the_best_of_each_cluster():
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [50, 50, 60, 60], [0, 0, 10, 9], [51, 50, 61, 60]], float)
    scores = np.array([0.9, 0.8, 0.7, 0.95, 0.6])
    np.testing.assert_array_equal(nms(boxes, scores, 0.5), [3, 2])
    np.testing.assert_array_equal(nms(boxes, scores, 0.5, max_outputs=1), [3])
    assert nms(boxes, scores, 1.0).tolist() == [3, 0, 1, 2, 4]  # nothing overlaps more than 1
    assert nms(np.zeros((0, 4)), np.zeros(0)).tolist() == []
    assert nms(boxes, scores, max_outputs=0).tolist() == []


def test_nms_agrees_with_tensorflow_when_it_is_installed():
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(1)
    xy = rng.uniform(0, 50, (40, 2))
    boxes = np.concatenate([xy, xy + rng.uniform(5, 20, (40, 2))], axis=1)
    scores = rng.uniform(size=40)
    yx = boxes[:, [1, 0, 3, 2]].astype("float32")  # TensorFlow takes (y1, x1, y2, x2)
    theirs = tf.image.non_max_suppression(yx, scores.astype("float32"), 40, iou_threshold=0.3).numpy()
    np.testing.assert_array_equal(nms(boxes, scores, 0.3), theirs)


@pytest.mark.parametrize("bad, match", [
    (np.zeros((3, 5)), r"shape \(\.\.\., 4\).*\(3, 5\)"),
    ([[0, 0, np.nan, 1]], "NaN"),
    ([[5, 0, 1, 1]], r"boxes\[0\].*inverted"),
])
def test_bad_boxes_are_refused_with_the_reason(bad, match):
    with pytest.raises(ValueError, match=match):
        check_boxes(bad)


def test_bad_shapes_name_the_shapes():
    with pytest.raises(ValueError, match=r"\(2, 4\) and \(3, 4\)"):
        box_iou(np.zeros((2, 4)), np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"\(4,\) and \(3, 4\)"):
        iou_matrix(np.zeros(4), np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"\(2, 4\) and \(3,\)"):
        nms(np.zeros((2, 4)), np.zeros(3))
    with pytest.raises(ValueError, match="iou_threshold"):
        nms(np.zeros((2, 4)), np.zeros(2), iou_threshold=1.5)
    with pytest.raises(ValueError, match="negative size"):
        centre_to_corners([0, 0, -1, 2])
    with pytest.raises(ValueError, match="image_size"):
        normalise_boxes([0, 0, 1, 1], (0, 5))
