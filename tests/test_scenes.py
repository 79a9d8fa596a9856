"""Generated scenes (``resizer_lib.dense.scenes``): exact boxes and masks, determinism, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from resizer_lib.dense.scenes import SHAPES, make_scenes, shape_footprint


@pytest.mark.parametrize("background", ["texture", "flat"])
def test_boxes_are_the_tight_boxes_of_the_masks(background):
    scenes = make_scenes(6, image_size=48, objects=(1, 4), sizes=(3, 12), background=background, seed=5)
    assert scenes.images.shape == (6, 48, 48, 3) and scenes.images.dtype == np.uint8
    assert scenes.masks.shape == (6, 48, 48) and scenes.num_classes == 4
    for mask, boxes, labels in zip(scenes.masks, scenes.boxes, scenes.labels, strict=True):
        assert boxes.shape == (len(labels), 4) and len(labels) >= 1
        for (x1, y1, x2, y2), label in zip(boxes.astype(int), labels, strict=True):
            inside = mask[y1:y2, x1:x2] == label + 1
            # the box touches the shape on all four sides...
            assert inside[0].any() and inside[-1].any() and inside[:, 0].any() and inside[:, -1].any()
            # ...and holds all of it (shapes keep a gap, so no other shape of this label is cut)
            outside = (mask == label + 1).copy()
            outside[y1:y2, x1:x2] = False
            ring = np.zeros_like(outside)
            ring[max(y1 - 1, 0):y2 + 1, max(x1 - 1, 0):x2 + 1] = True
            assert not (outside & ring).any()
        assert set(np.unique(mask)) <= {0, *(labels + 1).tolist()}


def test_shapes_sit_on_their_pixels_and_differ_from_the_background():
    scenes = make_scenes(4, image_size=40, objects=2, sizes=8, background="flat", seed=1)
    flat = scenes.images[scenes.masks == 0]
    assert (flat == 125).all()  # the flat background
    shape_pixels = scenes.images[scenes.masks > 0].astype(int)
    assert (np.abs(shape_pixels - 125) >= 85).all()  # saturated colours, never mid-grey


def test_the_same_seed_gives_the_same_scenes_and_a_prefix_is_the_same():
    a = make_scenes(8, 32, sizes=(4, 8), seed=3)
    b = make_scenes(3, 32, sizes=(4, 8), seed=3)
    np.testing.assert_array_equal(a.images[:3], b.images)
    np.testing.assert_array_equal(a.masks[:3], b.masks)
    assert all(np.array_equal(x, y) for x, y in zip(a.boxes[:3], b.boxes, strict=True))
    c = make_scenes(3, 32, sizes=(4, 8), seed=4)
    assert not np.array_equal(b.images, c.images)


def test_footprints_fill_their_square_and_tell_shapes_apart():
    for shape in SHAPES:
        for size in (2, 3, 5, 12):
            f = shape_footprint(shape, size)
            assert f.shape == (size, size) and f[0].any() and f[-1].any() and f[:, 0].any() and f[:, -1].any()
    assert shape_footprint("square", 3).sum() == 9
    assert shape_footprint("disc", 3).sum() == 5  # a plus sign
    assert shape_footprint("triangle", 3).tolist() == [[False, True, False], [True] * 3, [True] * 3]
    big = {s: shape_footprint(s, 20).mean() for s in SHAPES}
    assert big["square"] == 1 and 0.7 < big["disc"] < 0.8 and 0.45 < big["triangle"] < 0.6


def test_ground_truths_hold_each_scene_s_boxes_and_labels():
    scenes = make_scenes(5, 32, sizes=(4, 8), seed=0)
    gts = scenes.ground_truths()
    assert len(gts) == 5
    for g, boxes, labels in zip(gts, scenes.boxes, scenes.labels, strict=True):
        assert g["boxes"] is boxes and g["labels"] is labels and g["boxes"].shape == (len(labels), 4)


def test_classes_subset_and_crowded_scenes():
    scenes = make_scenes(3, 16, objects=(30, 30), sizes=(4, 4), classes=("disc",), seed=0)
    assert scenes.classes == ("disc",) and scenes.num_classes == 2
    assert all(0 < len(lab) < 30 for lab in scenes.labels)  # no room for 30: some are left out
    assert len(make_scenes(0, 16, sizes=4)) == 0


@pytest.mark.parametrize("kwargs, match", [
    (dict(sizes=(1, 4)), "sizes"),
    (dict(sizes=(6, 3)), "sizes"),
    (dict(sizes=40), "do not fit"),
    (dict(objects=(-1, 2)), "objects"),
    (dict(classes=("hexagon",)), "classes"),
    (dict(classes=("disc", "disc")), "classes"),
    (dict(background="noise"), "background"),
    (dict(seed=-1), "seed"),
])
def test_bad_arguments_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_scenes(2, 32, **kwargs)
    with pytest.raises(ValueError, match="Unknown shape"):
        shape_footprint("star", 4)
