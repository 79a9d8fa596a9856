"""The batches every arm of a seed sees, and the callbacks that keep them right across a resume."""

from __future__ import annotations

import math
from pathlib import Path

import keras
import numpy as np

from resizer_lib._batching import batch_rows, epoch_order, one_hot

__all__ = ["EpochBatches", "EpochSetter", "RandomStateBackup"]


class EpochBatches(keras.utils.PyDataset):
    """Shuffled one-hot batches whose order depends only on ``(seed, epoch)``.

    Yields ``(images (B, H, W, 3) uint8, one_hot (B, K) float32)``. With ``endless=True`` it is
    an infinite stream indexed by the global batch number ``i``: batch ``i`` belongs to epoch
    ``epoch_offset + i // len(self)``. Keras creates (and prefetches) the next epoch's
    iterator before any callback runs, so the order must not depend on callback timing; this
    makes every arm of a seed see the same batches, and a resumed run see the same batches as
    an uninterrupted one (``EpochSetter`` sets ``epoch_offset`` to the epoch fit starts at).
    """

    def __init__(self, images, labels, batch_size, num_classes, seed=0, shuffle=True, endless=False):
        super().__init__(workers=1, use_multiprocessing=False)
        self.images, self.labels = images, np.asarray(labels)
        self.batch_size, self.num_classes = batch_size, num_classes
        self.seed, self.shuffle, self.endless = seed, shuffle, endless
        self.epoch_offset = 0  # the epoch of the seed's order that batch 0 belongs to (set by EpochSetter)

    @property
    def num_batches(self):
        return None if self.endless else len(self)

    def __len__(self) -> int:
        """Batches per epoch."""
        return math.ceil(len(self.labels) / self.batch_size)

    def order(self, epoch: int) -> np.ndarray:
        """The permutation of example indices used in ``epoch`` (``_batching.epoch_order``)."""
        return epoch_order(len(self.labels), self.seed, epoch, self.shuffle)

    def __getitem__(self, index):
        epoch, b = divmod(int(index), len(self))
        idx = batch_rows(self.order(self.epoch_offset + epoch), b, self.batch_size)
        return self.images[idx], one_hot(self.labels[idx], self.num_classes)


class RandomStateBackup(keras.callbacks.Callback):
    """Saves and restores the layers' random-generator states next to ``BackupAndRestore``: Keras'
    weight files skip ``SeedGenerator`` states (dropout, random augmentation), so without this a
    resumed run would draw different dropout masks than an uninterrupted one."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = Path(path)

    def _states(self):
        return [v for v in self.model.variables if "seed_generator_state" in v.path]

    def on_train_begin(self, logs=None):
        if self.path.exists():
            saved = np.load(self.path)
            for i, v in enumerate(self._states()):
                v.assign(saved[f"s{i}"])

    def on_epoch_end(self, epoch, logs=None):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(self.path, **{f"s{i}": keras.ops.convert_to_numpy(v) for i, v in enumerate(self._states())})

    def on_train_end(self, logs=None):
        self.path.unlink(missing_ok=True)


class EpochSetter(keras.callbacks.Callback):
    """Aligns the batch stream with the epoch ``fit`` starts at (> 0 after a resume). ``first_epoch``:
    the epoch of the seed's order that fit's epoch 0 takes; a run that continues another (the warm
    start) passes the epochs already trained, so fit's epoch ``e`` sees epoch ``first_epoch + e``."""

    def __init__(self, batches: EpochBatches, first_epoch: int = 0):
        super().__init__()
        self.batches, self.first_epoch, self.started = batches, first_epoch, False

    def on_epoch_begin(self, epoch, logs=None):
        if not self.started:  # runs before Keras creates the data iterator
            self.batches.epoch_offset, self.started = self.first_epoch + epoch, True
