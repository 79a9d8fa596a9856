"""A ``tf.data`` pipeline from image files to batches, written out step by step (notebook 02).

``resizer_lib.data.load_dataset`` does all of this for the course; this module is the
teaching version, with switches for each ingredient so their effect can be measured::

    paths, labels -> [shuffle] -> map(read + decode + resize) -> [cache] -> [shuffle]
                  -> batch -> [prefetch]

* ``list_image_files(root)``: ``root/<class>/*.jpg|png|...`` -> paths, labels, class names;
* ``write_image_folder(images, labels, class_names, root)``: the reverse, for a folder of PNGs
  made from arrays (the offline stand-in for a photo folder);
* ``files_dataset(...)``: the pipeline; ``DecodeCounter`` counts how many files it decodes;
* ``time_epochs(ds, ...)``: seconds per epoch, with an optional simulated training step.

TensorFlow is imported inside the functions, as everywhere in ``resizer_lib``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from resizer_lib._checks import TF_DECODABLE_EXTENSIONS, check_size

__all__ = [
    "FILE_EXTENSIONS",
    "DecodeCounter",
    "files_dataset",
    "list_image_files",
    "time_epochs",
    "write_image_folder",
]

FILE_EXTENSIONS = TF_DECODABLE_EXTENSIONS  # what tf.io.decode_image reads


class DecodeCounter:
    """Counts the files a pipeline decodes (thread-safe; ``tf.data`` maps run in parallel)."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def tick(self, value):
        with self._lock:
            self.count += 1
        return value

    def reset(self) -> None:
        with self._lock:
            self.count = 0


def write_image_folder(
    images: np.ndarray, labels: Sequence[int], class_names: Sequence[str], root: str | os.PathLike
) -> list[Path]:
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
    root = Path(root)
    paths = []
    for i, (image, label) in enumerate(zip(images, labels, strict=True)):
        folder = root / class_names[int(label)]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{class_names[int(label)]}_{i:05d}.png"
        Image.fromarray(image).save(path, compress_level=1)  # fast; PNG is lossless anyway
        paths.append(path)
    return paths


def list_image_files(
    root: str | os.PathLike, limit_per_class: int | None = None
) -> tuple[list[str], np.ndarray, list[str]]:
    """``root/<class>/<file>`` -> ``(paths, int32 labels (N,), class_names)``, sorted.

    Classes are the sorted subfolder names; ``limit_per_class`` keeps the first files of each.
    """
    root = Path(root).expanduser()
    if not root.is_dir():
        raise ValueError(f"{str(root)!r} is not a folder; pass a folder with one subfolder per class")
    classes = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    paths, labels = [], []
    for label, name in enumerate(classes):
        files = sorted(
            str(p) for p in (root / name).iterdir() if p.suffix.lower() in FILE_EXTENSIONS
        )
        files = files[:limit_per_class] if limit_per_class else files
        paths += files
        labels += [label] * len(files)
    if len(classes) < 2 or not paths:
        raise ValueError(
            f"{str(root)!r} needs at least two class subfolders holding images "
            f"({', '.join(FILE_EXTENSIONS)}); found classes {classes} and {len(paths)} images"
        )
    return paths, np.array(labels, dtype=np.int32), classes


def files_dataset(
    paths: Sequence[str],
    labels: Sequence[int],
    image_size: int | Sequence[int],
    batch_size: int = 32,
    *,
    parallel: bool = True,
    cache: bool = False,
    prefetch: bool = True,
    shuffle_seed: int | None = None,
    antialias: bool = True,
    counter: DecodeCounter | None = None,
):
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

    h, w = check_size(image_size, "image_size")
    if len(paths) != len(labels) or not len(paths):
        raise ValueError(f"need one label per path and at least one path; got {len(paths)} "
                         f"paths and {len(labels)} labels")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be an integer >= 1; got {batch_size!r}")
    autotune = tf.data.AUTOTUNE

    def load(path, label):
        data = tf.io.read_file(path)
        if counter is not None:
            data = tf.numpy_function(counter.tick, [data], tf.string, stateful=True)
        image = tf.io.decode_image(data, channels=3, expand_animations=False)
        image = tf.image.resize(image, (h, w), method="bilinear", antialias=antialias)
        image = tf.cast(tf.clip_by_value(tf.round(image), 0, 255), tf.uint8)
        return tf.ensure_shape(image, (h, w, 3)), label

    n = len(paths)
    ds = tf.data.Dataset.from_tensor_slices((list(map(str, paths)), np.asarray(labels, np.int32)))
    if shuffle_seed is not None and not cache:  # shuffle the cheap paths, then decode
        ds = ds.shuffle(n, seed=shuffle_seed, reshuffle_each_iteration=True)
    ds = ds.map(load, num_parallel_calls=autotune if parallel else None)
    if cache:
        ds = ds.cache()
        if shuffle_seed is not None:  # after the cache, so each epoch still gets a new order
            ds = ds.shuffle(n, seed=shuffle_seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size)
    return ds.prefetch(autotune) if prefetch else ds


def time_epochs(dataset, epochs: int = 2, step_seconds: float = 0.0) -> list[float]:
    """Iterate ``dataset`` for ``epochs`` epochs; return the seconds each took.

    ``step_seconds`` sleeps after each batch, standing in for a training step (sleeping frees
    the CPU, as a GPU step would), so that prefetching has something to overlap with.
    """
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be an integer >= 1; got {epochs!r}")
    if step_seconds < 0:
        raise ValueError(f"step_seconds must be >= 0; got {step_seconds!r}")
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        for _batch in dataset:
            if step_seconds:
                time.sleep(step_seconds)
        times.append(time.perf_counter() - start)
    return times
