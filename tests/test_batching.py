"""``resizer_lib._batching``: the one seeded batch order and the one one-hot encoder."""

from __future__ import annotations

import numpy as np
import pytest

from resizer_lib._batching import batch_rows, epoch_order, one_hot

pytestmark = pytest.mark.multibackend


def test_the_order_depends_only_on_seed_and_epoch_and_is_the_committed_one():
    a, b = epoch_order(10, seed=3, epoch=1), epoch_order(10, seed=3, epoch=1)
    np.testing.assert_array_equal(a, b)
    assert sorted(a.tolist()) == list(range(10))
    assert not np.array_equal(a, epoch_order(10, seed=3, epoch=2))
    assert not np.array_equal(a, epoch_order(10, seed=4, epoch=1))
    # the order every committed study trained with: default_rng([seed, epoch]).permutation(n)
    np.testing.assert_array_equal(a, np.random.default_rng([3, 1]).permutation(10))
    np.testing.assert_array_equal(epoch_order(5, 0, 0, shuffle=False), np.arange(5))


def test_batches_cover_the_order_once_with_a_short_last_batch():
    order = epoch_order(10, seed=0, epoch=0)
    batches = [batch_rows(order, i, 4) for i in range(3)]
    assert [len(b) for b in batches] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate(batches), order)


def test_one_hot_values_dtype_and_errors():
    y = one_hot([0, 2, 1], 3)
    assert y.dtype == np.float32 and y.tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    assert one_hot([], 2).shape == (0, 2)
    for bad in ([0, 3], [-1], [0.5]):
        with pytest.raises(ValueError, match=r"one_hot needs integer class ids in \[0, 3\)"):
            one_hot(bad, 3)
