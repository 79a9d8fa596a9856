"""From examples to batches: NumPy arrays decoded on threads (``map_threads``), or one ``tf.data`` chain
(``batch_pipeline``: items -> [shuffle] -> map(decode + resize) -> [cache] -> [shuffle] -> batch -> prefetch,
which lesson 04 writes out and measures). TensorFlow is imported inside functions (the NumPy path runs on JAX).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

__all__ = ["Examples", "batch_pipeline", "default_workers", "map_threads", "tf_resize", "tfds_to_numpy",
           "tfds_to_tf", "to_numpy", "to_tf"]


def default_workers() -> int:
    """Threads for decoding: the CPU count, at most 8 (Pillow and NumPy release the GIL)."""
    return max(1, min(8, os.cpu_count() or 1))


def map_threads(fn: Callable, items: Sequence, workers: int) -> list:
    """``[fn(x) for x in items]`` on up to ``workers`` threads, results in the items' order."""
    if workers <= 1 or len(items) < 2:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items, chunksize=16))


@dataclass
class Examples:
    """``labels`` int32 ``(n,)`` and ``load(i)`` giving image ``i`` as ``uint8 (H, W, 3)``."""

    labels: np.ndarray
    load: Callable[[int], np.ndarray]
    image_size: tuple[int, int]

    def __len__(self) -> int:
        return len(self.labels)


def batch_pipeline(ds, prepare, batch_size: int, shuffle_seed: int | None = None, cache: bool = False,
                   shuffle_buffer: int | None = None):
    """``ds`` of items -> prefetched batches of ``prepare(*item)``. Without a cache the items are shuffled before
    ``prepare``; with one, the prepared images after it (nothing decoded twice). ``shuffle_buffer`` (default:
    everything) bounds the shuffle; ``shuffle_seed=None`` keeps the order."""
    import tensorflow as tf

    buffer = max(1, shuffle_buffer or int(ds.cardinality()))

    def shuffle(d):
        return d if shuffle_seed is None else d.shuffle(buffer, seed=shuffle_seed, reshuffle_each_iteration=True)

    ds = (ds if cache else shuffle(ds)).map(prepare, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return (shuffle(ds.cache()) if cache else ds).batch(batch_size).prefetch(tf.data.AUTOTUNE)


def tf_resize(image, image_size, interpolation: str = "bilinear", antialias: bool = True,
              crop_to_aspect_ratio: bool = False):
    """``tf.image.resize`` of ``uint8 (H, W, 3)`` rounded to ``uint8 (h, w, 3)``: the pixels of
    ``imaging.load_image`` (within one grey level)."""
    import tensorflow as tf

    h, w = image_size
    if crop_to_aspect_ratio:  # the largest centred crop with aspect h / w (Keras' rule)
        height, width = tf.shape(image)[0], tf.shape(image)[1]
        crop_h = tf.maximum(tf.minimum(height, tf.cast(tf.cast(width, tf.float64) * (h / w), tf.int32)), 1)
        crop_w = tf.maximum(tf.minimum(width, tf.cast(tf.cast(height, tf.float64) / (h / w), tf.int32)), 1)
        top, left = (height - crop_h) // 2, (width - crop_w) // 2
        image = image[top : top + crop_h, left : left + crop_w]
    resized = tf.image.resize(image, (h, w), method=interpolation, antialias=antialias)
    return tf.ensure_shape(tf.cast(tf.clip_by_value(tf.round(resized), 0, 255), tf.uint8), (h, w, 3))


def to_numpy(examples: Examples, workers: int) -> tuple[np.ndarray, np.ndarray]:
    """``(uint8 (n, H, W, 3), int32 (n,))``, the images loaded on ``workers`` threads."""
    images = np.empty((len(examples), *examples.image_size, 3), dtype=np.uint8)

    def fill(i: int) -> None:
        images[i] = examples.load(i)

    map_threads(fill, range(len(examples)), workers)
    return images, examples.labels.copy()


def to_tf(examples: Examples, batch_size: int, shuffle_seed: int | None, cache: bool):
    """A ``tf.data.Dataset`` of ``(uint8 (B, H, W, 3), int32 (B,))`` batches of ``examples``."""
    import tensorflow as tf

    def decode(index, label):
        image = tf.numpy_function(lambda i: examples.load(int(i)), [index], tf.uint8, stateful=False)
        return tf.ensure_shape(image, (*examples.image_size, 3)), label

    items = tf.data.Dataset.from_tensor_slices((np.arange(len(examples), dtype=np.int64), examples.labels))
    return batch_pipeline(items, decode, batch_size, shuffle_seed, cache)


def tfds_to_tf(ds, image_size, resize: dict, batch_size: int, shuffle_seed: int | None = None, cache: bool = False):
    """A TFDS split of ``(uint8 (H?, W?, 3), int64)`` -> ``(uint8 (B, H, W, 3), int32 (B,))`` batches, resized by
    ``tf_resize(..., **resize)`` (without a cache, shuffled in a buffer of 1,024 photos)."""
    import tensorflow as tf

    def prepare(image, label):
        return tf_resize(image, image_size, **resize), tf.cast(label, tf.int32)

    return batch_pipeline(ds, prepare, batch_size, shuffle_seed, cache, shuffle_buffer=1024)


def tfds_to_numpy(ds, n: int, image_size, resize: dict) -> tuple[np.ndarray, np.ndarray]:
    """A TFDS split of ``n`` photos as ``(uint8 (n, H, W, 3), int32 (n,))``, in TFDS' order."""
    images, labels, start = np.empty((n, *image_size, 3), dtype=np.uint8), np.empty((n,), dtype=np.int32), 0
    for x, y in tfds_to_tf(ds, image_size, resize, 256).as_numpy_iterator():
        images[start : start + len(x)], labels[start : start + len(x)] = x, y
        start += len(x)
    if start != n:
        raise RuntimeError(f"expected {n} examples from TFDS, read {start}")
    return images, labels
