"""The one seeded batch order and one-hot encoder. The committed studies trained with this order (every arm of a
paired study, and a resumed run, see the same batches); changing it changes every rerun."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["batch_rows", "epoch_order", "one_hot"]


def epoch_order(n: int, seed: int, epoch: int, shuffle: bool = True) -> np.ndarray:
    """``int64 (n,)``: the example indices of ``epoch``, ``default_rng([seed, epoch]).permutation(n)`` (unshuffled:
    ``arange(n)``)."""
    return np.random.default_rng([seed, epoch]).permutation(n) if shuffle else np.arange(n)


def batch_rows(order: np.ndarray, index: int, batch_size: int) -> np.ndarray:
    """The indices of batch ``index`` (``(B,)``, the last batch may be shorter)."""
    return order[index * batch_size : (index + 1) * batch_size]


def one_hot(labels: Sequence[int] | np.ndarray, num_classes: int) -> np.ndarray:
    """Class ids ``int (N,)`` -> ``float32 (N, num_classes)`` (as ``keras.utils.to_categorical``)."""
    labels = np.asarray(labels)
    if labels.size and (not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0
                        or labels.max() >= num_classes):
        raise ValueError(f"one_hot needs integer class ids in [0, {num_classes}); got values from {labels.min()} "
                         f"to {labels.max()} (dtype {labels.dtype})")
    return np.eye(num_classes, dtype=np.float32)[labels.reshape(-1).astype(np.intp)]
