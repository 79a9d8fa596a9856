"""From examples to batches: NumPy arrays, or one ``tf.data`` chain (``batch_pipeline``)::

    items -> [shuffle] -> map(decode + resize) -> [cache] -> [shuffle] -> batch -> [prefetch]

``load_dataset`` uses ``to_numpy`` / ``to_tf`` (and the ``tfds_*`` twins); the teaching version is
``list_image_files`` -> ``files_dataset``, with ``DecodeCounter``, ``time_epochs`` and
``write_image_folder``. TensorFlow is imported inside functions (the NumPy path runs on JAX).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from resizer_lib._checks import TF_DECODABLE_EXTENSIONS, check_int, check_size
from resizer_lib._threads import map_threads

__all__ = ["DecodeCounter", "Examples", "batch_pipeline", "files_dataset", "list_image_files",
           "tf_resize", "tfds_to_numpy", "tfds_to_tf", "time_epochs", "to_numpy", "to_tf",
           "write_image_folder"]


@dataclass
class Examples:
    """``labels`` int32 ``(n,)`` and ``load(i)`` giving image ``i`` as ``uint8 (H, W, 3)``."""

    labels: np.ndarray
    load: Callable[[int], np.ndarray]
    image_size: tuple[int, int]

    def __len__(self) -> int:
        return len(self.labels)


def batch_pipeline(ds, prepare, batch_size: int, *, shuffle_seed: int | None = None,
                   cache: bool = False, parallel: bool = True, prefetch: bool = True,
                   shuffle_buffer: int | None = None):
    """``ds`` of items -> batches of ``prepare(*item)``. Without a cache the items are shuffled
    before ``prepare``; with one, the prepared images after it (nothing decoded twice).
    ``shuffle_buffer`` (default: everything) bounds the shuffle."""
    import tensorflow as tf

    buffer = max(1, shuffle_buffer or int(ds.cardinality()))

    def shuffle(d):
        return d.shuffle(buffer, seed=shuffle_seed, reshuffle_each_iteration=True)

    if shuffle_seed is not None and not cache:
        ds = shuffle(ds)
    ds = ds.map(prepare, num_parallel_calls=tf.data.AUTOTUNE if parallel else None,
                deterministic=True)
    if cache:
        ds = ds.cache()
        if shuffle_seed is not None:
            ds = shuffle(ds)
    ds = ds.batch(batch_size)
    return ds.prefetch(tf.data.AUTOTUNE) if prefetch else ds


def tf_resize(image, image_size, interpolation: str = "bilinear", antialias: bool = True,
              crop_to_aspect_ratio: bool = False):
    """``tf.image.resize`` of ``uint8 (H, W, 3)`` rounded to ``uint8 (h, w, 3)``: the pixels of
    ``imaging.load_image`` (within one grey level)."""
    import tensorflow as tf

    h, w = image_size
    if crop_to_aspect_ratio:  # the largest centred crop with aspect h / w (Keras' rule)
        height, width = tf.shape(image)[0], tf.shape(image)[1]
        ratio = h / w
        crop_h = tf.maximum(tf.minimum(height, tf.cast(tf.cast(width, tf.float64) * ratio, tf.int32)), 1)
        crop_w = tf.maximum(tf.minimum(width, tf.cast(tf.cast(height, tf.float64) / ratio, tf.int32)), 1)
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

    items = (np.arange(len(examples), dtype=np.int64), examples.labels)
    return batch_pipeline(tf.data.Dataset.from_tensor_slices(items), decode, batch_size,
                          shuffle_seed=shuffle_seed, cache=cache)


def _tfds_prepare(image_size, resize: dict):
    import tensorflow as tf

    return lambda image, label: (tf_resize(image, image_size, **resize), tf.cast(label, tf.int32))


def tfds_to_tf(ds, image_size, resize: dict, batch_size: int, shuffle_seed: int | None, cache: bool):
    """A TFDS split of ``(uint8 (H?, W?, 3), int64)`` -> ``(uint8 (B, H, W, 3), int32 (B,))``
    (without a cache, a shuffle buffer of 1,024 photos)."""
    return batch_pipeline(ds, _tfds_prepare(image_size, resize), batch_size,
                          shuffle_seed=shuffle_seed, cache=cache, shuffle_buffer=1024)


def tfds_to_numpy(ds, n: int, image_size, resize: dict) -> tuple[np.ndarray, np.ndarray]:
    """A TFDS split of ``n`` photos as ``(uint8 (n, H, W, 3), int32 (n,))``, in TFDS' order."""
    images = np.empty((n, *image_size, 3), dtype=np.uint8)
    labels = np.empty((n,), dtype=np.int32)
    start = 0
    for x, y in batch_pipeline(ds, _tfds_prepare(image_size, resize), 256).as_numpy_iterator():
        images[start : start + len(x)], labels[start : start + len(x)] = x, y
        start += len(x)
    if start != n:
        raise RuntimeError(f"expected {n} examples from TFDS, read {start}")
    return images, labels


class DecodeCounter:
    """Counts the files a pipeline decodes (thread-safe; ``tf.data`` maps run in parallel)."""

    def __init__(self) -> None:
        self.count, self._lock = 0, threading.Lock()

    def tick(self, value):
        with self._lock:
            self.count += 1
        return value

    def reset(self) -> None:
        with self._lock:
            self.count = 0


def write_image_folder(images: np.ndarray, labels: Sequence[int], class_names: Sequence[str],
                       root: str | os.PathLike) -> list[Path]:
    """Save ``uint8 (N, H, W, 3)`` images as ``root/<class>/<class>_<i>.png``; return the paths."""
    from PIL import Image

    images, labels = np.asarray(images), np.asarray(labels)
    if images.ndim != 4 or images.shape[-1] != 3 or images.dtype != np.uint8:
        raise ValueError(f"images must be uint8 (N, H, W, 3); got {images.dtype} {images.shape}")
    if len(labels) != len(images):
        raise ValueError(f"got {len(labels)} labels for {len(images)} images; pass one per image")
    if labels.size and (labels.min() < 0 or labels.max() >= len(class_names)):
        raise ValueError(f"labels must be in [0, {len(class_names)}) to index class_names; "
                         f"got {labels.min()}..{labels.max()}")
    paths = []
    for i, (image, label) in enumerate(zip(images, labels, strict=True)):
        name = class_names[int(label)]
        (Path(root) / name).mkdir(parents=True, exist_ok=True)
        paths.append(Path(root) / name / f"{name}_{i:05d}.png")
        Image.fromarray(image).save(paths[-1], compress_level=1)  # fast; PNG is lossless anyway
    return paths


def list_image_files(root: str | os.PathLike, limit_per_class: int | None = None
                     ) -> tuple[list[str], np.ndarray, list[str]]:
    """``root/<class>/<file>`` -> ``(paths, int32 labels (N,), class_names)``, sorted;
    ``limit_per_class`` keeps the first files of each class."""
    root = Path(root).expanduser()
    if not root.is_dir():
        raise ValueError(f"{str(root)!r} is not a folder; pass a folder with one subfolder per class")
    classes = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    paths, labels = [], []
    for label, name in enumerate(classes):
        files = sorted(str(p) for p in (root / name).iterdir()
                       if p.suffix.lower() in TF_DECODABLE_EXTENSIONS)[:limit_per_class]
        paths += files
        labels += [label] * len(files)
    if len(classes) < 2 or not paths:
        raise ValueError(
            f"{str(root)!r} needs at least two class subfolders holding images "
            f"({', '.join(TF_DECODABLE_EXTENSIONS)}); found classes {classes} and {len(paths)} images"
        )
    return paths, np.array(labels, dtype=np.int32), classes


def files_dataset(paths: Sequence[str], labels: Sequence[int], image_size: int | Sequence[int],
                  batch_size: int = 32, *, parallel: bool = True, cache: bool = False,
                  prefetch: bool = True, shuffle_seed: int | None = None,
                  antialias: bool = True, counter: DecodeCounter | None = None):
    """A ``tf.data.Dataset`` of ``(uint8 (B, h, w, 3), int32 (B,))`` batches from image files.

    Args:
        paths, labels: one class id per file.
        image_size: ``(h, w)`` every image is resized to (bilinear, ``antialias``, rounded).
        parallel: decode with ``num_parallel_calls=AUTOTUNE`` (else one file at a time).
        cache: keep decoded images in memory after the first epoch (``Dataset.cache()``).
        prefetch: prepare the next batches while the model trains on this one.
        shuffle_seed: reshuffle every epoch with this seed (``None``: file order).
        counter: a ``DecodeCounter`` incremented once per decoded file.
    """
    import tensorflow as tf

    size = check_size(image_size, "image_size")
    if len(paths) != len(labels) or not len(paths):
        raise ValueError(f"need one label per path and at least one path; got {len(paths)} "
                         f"paths and {len(labels)} labels")
    check_int(batch_size, "batch_size", 1)

    def load(path, label):
        data = tf.io.read_file(path)
        if counter is not None:
            data = tf.numpy_function(counter.tick, [data], tf.string, stateful=True)
        image = tf.io.decode_image(data, channels=3, expand_animations=False)
        return tf_resize(image, size, "bilinear", antialias), label

    items = (list(map(str, paths)), np.asarray(labels, np.int32))
    return batch_pipeline(tf.data.Dataset.from_tensor_slices(items), load, batch_size,
                          shuffle_seed=shuffle_seed, cache=cache, parallel=parallel,
                          prefetch=prefetch)


def time_epochs(dataset, epochs: int = 2, step_seconds: float = 0.0) -> list[float]:
    """Seconds per epoch of iterating ``dataset``; ``step_seconds`` sleeps after each batch, a
    stand-in training step (freeing the CPU, as a GPU step would) for prefetching to overlap."""
    check_int(epochs, "epochs", 1)
    if not isinstance(step_seconds, (int, float)) or step_seconds < 0:
        raise ValueError(f"step_seconds must be a number >= 0; got {step_seconds!r}")
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        for _batch in dataset:
            if step_seconds:
                time.sleep(step_seconds)
        times.append(time.perf_counter() - start)
    return times
