"""Turn a list of examples into NumPy arrays, a ``keras.utils.PyDataset`` or a ``tf.data`` pipeline.

An ``Examples`` is ``n`` labels plus ``load(i) -> uint8 (H, W, 3)``, already at the final
size; folders and the synthetic set both provide one. TensorFlow is imported only inside the
``tf.data`` functions, so the NumPy path works with ``KERAS_BACKEND=jax`` and no TensorFlow.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np

from resizer_lib._batching import batch_rows, epoch_order, one_hot
from resizer_lib._threads import map_threads

__all__ = ["Examples", "IndexBatches", "to_numpy", "to_tf", "tfds_to_numpy", "tfds_to_tf"]

Loader = Callable[[int], np.ndarray]  # index -> uint8 (H, W, 3)


@dataclass
class Examples:
    """``labels`` int32 ``(n,)`` and ``load(i)`` giving image ``i`` as ``uint8 (H, W, 3)``."""

    labels: np.ndarray
    load: Loader
    image_size: tuple[int, int]

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def nbytes(self) -> int:
        """Bytes the images take as one ``uint8 (n, H, W, 3)`` array."""
        return len(self) * self.image_size[0] * self.image_size[1] * 3


class IndexBatches(keras.utils.PyDataset):
    """Batches ``(uint8 (B, H, W, 3), labels (B,))`` loaded on demand, for sets too big for RAM.

    With ``shuffle``, each epoch uses the permutation ``default_rng([seed, epoch])``, so the
    order is reshuffled every epoch and reproducible. ``one_hot=K`` gives ``float32 (B, K)``
    labels instead of int32 class ids.
    """

    def __init__(
        self,
        load: Loader,
        labels: np.ndarray,
        batch_size: int,
        shuffle: bool = False,
        seed: int = 0,
        workers: int = 1,
        one_hot: int | None = None,
    ):
        super().__init__(workers=workers, use_multiprocessing=False)
        self.load, self.labels, self.batch_size = load, np.asarray(labels), batch_size
        self.shuffle, self.seed, self.one_hot, self.epoch = shuffle, seed, one_hot, 0
        self.order = self._order()

    def _order(self) -> np.ndarray:
        return epoch_order(len(self.labels), self.seed, self.epoch, self.shuffle)

    def __len__(self) -> int:
        return math.ceil(len(self.labels) / self.batch_size)

    def __getitem__(self, index: int):
        if not 0 <= index < len(self):
            raise IndexError(f"batch {index} out of range for {len(self)} batches")
        rows = batch_rows(self.order, index, self.batch_size)
        images = np.stack([self.load(int(i)) for i in rows])
        labels = self.labels[rows]
        if self.one_hot is not None:
            labels = one_hot(labels, self.one_hot)
        return images, labels

    def on_epoch_end(self) -> None:
        self.epoch += 1
        self.order = self._order()

    def with_one_hot(self, num_classes: int) -> IndexBatches:
        """The same batches with one-hot labels ``float32 (B, num_classes)``."""
        return IndexBatches(
            self.load,
            self.labels,
            self.batch_size,
            self.shuffle,
            self.seed,
            self.workers,
            one_hot=num_classes,
        )


# -- NumPy -----------------------------------------------------------------------------------
def to_numpy(
    examples: Examples,
    batch_size: int,
    shuffle: bool,
    seed: int,
    max_in_memory_bytes: int,
    workers: int,
):
    """``(uint8 (n, H, W, 3), int32 (n,))`` if it fits ``max_in_memory_bytes``, else
    ``IndexBatches`` that load each batch on demand."""
    if examples.nbytes > max_in_memory_bytes:
        return IndexBatches(examples.load, examples.labels, batch_size, shuffle, seed, workers)
    images = np.empty((len(examples), *examples.image_size, 3), dtype=np.uint8)

    def fill(i: int) -> None:
        images[i] = examples.load(i)

    map_threads(fill, range(len(examples)), workers)
    return images, examples.labels.copy()


# -- tf.data ---------------------------------------------------------------------------------
def to_tf(examples: Examples, batch_size: int, shuffle: bool, seed: int, cache: bool | str):
    """A ``tf.data.Dataset`` of ``(uint8 (B, H, W, 3), int32 (B,))`` batches.

    Decode/generate in parallel -> cache -> shuffle (seeded, reshuffled each epoch) -> batch
    -> prefetch. Without a cache the (cheap) indices are shuffled before decoding instead.
    """
    import tensorflow as tf

    h, w = examples.image_size

    def load(index):
        return examples.load(int(index))

    def decode(index, label):
        image = tf.numpy_function(load, [index], tf.uint8, stateful=False)
        image.set_shape((h, w, 3))
        return image, label

    n = len(examples)
    ds = tf.data.Dataset.from_tensor_slices((np.arange(n, dtype=np.int64), examples.labels))
    if shuffle and cache is False:
        ds = ds.shuffle(n, seed=seed, reshuffle_each_iteration=True)
    ds = ds.map(decode, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return _finish_tf(ds, n, batch_size, shuffle and cache is not False, seed, cache)


def _finish_tf(ds, n: int, batch_size: int, shuffle: bool, seed: int, cache: bool | str):
    """cache -> shuffle -> batch -> prefetch."""
    import tensorflow as tf

    if cache is not False:
        ds = ds.cache("" if cache is True else str(cache))
    if shuffle:
        ds = ds.shuffle(max(n, 1), seed=seed, reshuffle_each_iteration=True)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def tf_resize(image, image_size, interpolation: str, antialias: bool, crop_to_aspect_ratio: bool):
    """``tf.image.resize`` rounded to ``uint8``: the same pixels as ``imaging.load_image``."""
    import tensorflow as tf

    h, w = image_size
    if crop_to_aspect_ratio:
        shape = tf.shape(image)
        height, width = shape[0], shape[1]
        ratio = h / w
        crop_h = tf.maximum(
            tf.minimum(height, tf.cast(tf.cast(width, tf.float64) * ratio, tf.int32)), 1
        )
        crop_w = tf.maximum(
            tf.minimum(width, tf.cast(tf.cast(height, tf.float64) / ratio, tf.int32)), 1
        )
        top, left = (height - crop_h) // 2, (width - crop_w) // 2
        image = image[top : top + crop_h, left : left + crop_w]
    resized = tf.image.resize(image, (h, w), method=interpolation, antialias=antialias)
    return tf.cast(tf.clip_by_value(tf.round(resized), 0, 255), tf.uint8)


def tfds_to_tf(
    ds, n: int, image_size, resize: dict, batch_size: int, shuffle: bool, seed: int, cache
):
    """A TFDS split of ``(uint8 (H?, W?, 3), int64)`` -> ``(uint8 (B, H, W, 3), int32 (B,))``."""
    import tensorflow as tf

    def prepare(image, label):
        return tf_resize(image, image_size, **resize), tf.cast(label, tf.int32)

    ds = ds.map(prepare, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    if shuffle and cache is False:  # no cache: shuffle a buffer of decoded images instead
        ds = ds.shuffle(min(n, 1024), seed=seed, reshuffle_each_iteration=True)
        shuffle = False
    return _finish_tf(ds, n, batch_size, shuffle, seed, cache)


def tfds_to_numpy(
    ds,
    n: int,
    image_size,
    resize: dict,
    batch_size: int,
    shuffle: bool,
    seed: int,
    max_in_memory_bytes: int,
    spill_path: Path,
):
    """A TFDS split as ``(uint8 (n, H, W, 3), int32 (n,))``, or, when larger than
    ``max_in_memory_bytes``, ``IndexBatches`` over a ``.npy`` memory map written once to
    ``spill_path`` (reused on the next call).
    """
    import tensorflow as tf

    shape = (n, *image_size, 3)
    if n * image_size[0] * image_size[1] * 3 <= max_in_memory_bytes:
        images, labels = np.empty(shape, dtype=np.uint8), np.empty((n,), dtype=np.int32)
    elif spill_path.is_file() and spill_path.with_suffix(".labels.npy").is_file():
        return _memmap_batches(spill_path, batch_size, shuffle, seed)
    else:
        spill_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = spill_path.with_suffix(".partial.npy")
        images = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.uint8, shape=shape)
        labels = np.empty((n,), dtype=np.int32)

    def prepare(image, label):
        return tf_resize(image, image_size, **resize), tf.cast(label, tf.int32)

    batches = ds.map(prepare, num_parallel_calls=tf.data.AUTOTUNE).batch(256).prefetch(2)
    start = 0
    for x, y in batches.as_numpy_iterator():
        images[start : start + len(x)], labels[start : start + len(x)] = x, y
        start += len(x)
    if start != n:
        raise RuntimeError(f"expected {n} examples from TFDS, read {start}")
    if isinstance(images, np.memmap):
        images.flush()
        del images
        np.save(spill_path.with_suffix(".labels.npy"), labels)
        os.replace(tmp, spill_path)
        return _memmap_batches(spill_path, batch_size, shuffle, seed)
    return images, labels


def _memmap_batches(path: Path, batch_size: int, shuffle: bool, seed: int) -> IndexBatches:
    images = np.load(path, mmap_mode="r")
    labels = np.load(path.with_suffix(".labels.npy"))
    return IndexBatches(lambda i: np.asarray(images[i]), labels, batch_size, shuffle, seed)
