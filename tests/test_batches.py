"""``resizer_lib.training.batches``: the batches every arm of a seed sees."""

from __future__ import annotations

import numpy as np
import pytest

from resizer_lib.training import (
    EpochBatches,
    EpochSetter,
)

pytestmark = pytest.mark.multibackend




def test_epoch_batches_order_depends_only_on_seed_and_epoch():
    x, y = np.arange(10)[:, None, None, None].astype("uint8"), np.arange(10) % 2
    a = EpochBatches(x, y, 4, 2, seed=3, endless=True)
    b = EpochBatches(x, y, 4, 2, seed=3, endless=True)
    b.epoch_offset = 1  # b starts at epoch 1, like a resumed run
    assert len(a) == 3 and a.num_batches is None
    assert all(np.array_equal(a[3 + i][0], b[i][0]) for i in range(3))  # a's epoch 1 == b's
    assert not np.array_equal(a.order(0), a.order(1))
    seen = np.concatenate([a[i][0].ravel() for i in range(3)])
    assert sorted(seen.tolist()) == list(range(10)) and a[0][1].shape == (4, 2)
    c = EpochBatches(x, y, 4, 2, seed=4)
    assert not np.array_equal(c.order(0), a.order(0))


@pytest.mark.parametrize("first_epoch, resumed_at", [(0, 0), (0, 3), (12, 0), (12, 3)])
def test_epoch_setter_starts_the_stream_at_first_epoch_plus_fits_epoch(first_epoch, resumed_at):
    """A continued run (first_epoch > 0) takes the epochs after the base training; a resumed
    fit (starting at epoch > 0) the epochs after those it finished."""
    x = np.arange(40 * 4 * 4 * 3, dtype=np.uint8).reshape(40, 4, 4, 3)
    batches = EpochBatches(x, np.arange(40) % 2, 8, 2, seed=3, endless=True)
    setter = EpochSetter(batches, first_epoch)
    setter.on_epoch_begin(resumed_at)
    setter.on_epoch_begin(resumed_at + 1)  # later epochs follow from the endless stream
    assert batches.epoch_offset == first_epoch + resumed_at
    rows = batches.order(first_epoch + resumed_at)[:8]
    np.testing.assert_array_equal(batches[0][0], x[rows])
    assert not np.array_equal(batches.order(first_epoch + resumed_at), batches.order(first_epoch + resumed_at + 1))
