"""The shared argument checks (``resizer_lib._checks``): one message per kind of bad value."""

from __future__ import annotations

import numpy as np
import pytest

from resizer_lib._checks import (
    IMAGE_EXTENSIONS,
    check_int,
    check_size,
    is_int,
)

pytestmark = pytest.mark.multibackend


@pytest.mark.parametrize("value, expected", [(5, (5, 5)), ((3, 4), (3, 4)), ([3, 4], (3, 4)),
                                             (np.int64(7), (7, 7)), (np.array([2, 9]), (2, 9)),
                                             ((np.int32(2), 3), (2, 3))],
                         ids=["int", "tuple", "list", "numpy int", "numpy array", "mixed"])
def test_sizes_that_are_accepted(value, expected):
    assert check_size(value, "image_size") == expected


@pytest.mark.parametrize("value", [0, -3, True, 2.0, (2, 0), (2,), (2, 3, 4), "64", "6x4", None,
                                   (2.0, 3), np.array([[2, 3]])],
                         ids=lambda v: repr(v)[:16])
def test_sizes_that_are_refused_name_the_argument_and_the_value(value):
    with pytest.raises(ValueError, match=r"target_size must be a positive integer or a pair .* got"):
        check_size(value, "target_size")


@pytest.mark.parametrize("value, minimum, ok", [(1, 1, True), (0, 0, True), (0, 1, False),
                                                (True, 0, False), (3.0, 1, False), ("3", 1, False),
                                                (np.uint8(3), 1, True)])
def test_integers(value, minimum, ok):
    if ok:
        assert check_int(value, "n", minimum) == int(value) and is_int(value)
    else:
        with pytest.raises(ValueError, match=f"n must be an integer >= {minimum}; got"):
            check_int(value, "n", minimum)


def test_the_image_extensions_are_lower_case_suffixes():
    assert all(e.startswith(".") and e == e.lower() for e in IMAGE_EXTENSIONS)


def test_every_module_refuses_a_bad_size_with_the_same_message():
    """The validators that used to be written seven times now agree."""
    from resizer_lib.course.cnn_basics import conv_layer_cost
    from resizer_lib.data.synthetic import make_synthetic
    from resizer_lib.models.resizer import build_resizer

    calls = [lambda: build_resizer((0, 5)), lambda: make_synthetic(4, image_size=(0, 5)),
             lambda: conv_layer_cost((8, 8, 3), 4, kernel_size=(0, 5))]
    for call in calls:
        with pytest.raises(ValueError, match=r"must be a positive integer or a pair of positive "
                                             r"integers \(height, width\); got \(0, 5\)"):
            call()
