"""Datasets for the course: ``load_dataset(source, ...) -> DataSplits`` and ``resolve_source``.

``source`` is one of:

* ``"synthetic"``: the offline set of ``resizer_lib.synthetic`` (class = a faint period-2
  stripe that a 2x bilinear resize erases exactly); generated in seconds, no download.
* ``"cats_vs_dogs"``: TensorFlow Datasets, by default the keras.io example's splits
  ``train[:40%]`` / ``train[40%:50%]`` (see ``resizer_lib.tfds_source``).
* a folder path: ``train/<class>/*`` and ``val/<class>/*``, or one folder of class
  subfolders split by ``val_fraction`` and ``seed`` (see ``resizer_lib.folder``).

``backend="numpy"`` gives ``(images uint8 (N, H, W, 3), labels int32 (N,))`` per split (a
``keras.utils.PyDataset`` of such batches when a split is larger than
``max_in_memory_bytes``); ``backend="tf"`` gives ``tf.data.Dataset`` batches of the same
dtypes; ``"auto"`` picks ``"tf"`` on the TensorFlow Keras backend, else ``"numpy"``.

``DataSplits.counts`` (all ints)::

    {"train": 2692, "val": 476,                 # examples in .train / .val (after limit)
     "found": {"train": 2692, "val": 476},      # usable examples before any limit
     "skipped": {"train": {"corrupt": 1, "not_an_image_file": 2}, "val": {}}}

``skipped`` counts files left out of a folder, by reason: ``not_an_image_file`` (extension
such as ``.txt``, ``.DS_Store``), ``empty``, ``not_an_image`` (Pillow cannot identify it),
``corrupt`` (truncated or undecodable), ``too_large`` (over Pillow's decompression-bomb
limit), ``unreadable`` (cannot be stat'ed). It is empty for the synthetic set, and for
cats_vs_dogs, whose corrupt JPEGs TFDS already dropped when it built the dataset.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import keras
import numpy as np

from resizer_lib._batching import one_hot
from resizer_lib._checks import check_int, check_size
from resizer_lib._threads import default_workers
from resizer_lib.data import pipeline, tfds_source
from resizer_lib.data.folder import scan_folder
from resizer_lib.data.imaging import load_image
from resizer_lib.data.synthetic import (
    SYNTHETIC_CLASS_NAMES,
    make_synthetic,
    synthetic_image,
    synthetic_label,
)
from resizer_lib.data.tfds_source import CATS_VS_DOGS_CLASS_NAMES, CATS_VS_DOGS_SPLITS
from resizer_lib.interpolation import check_interpolation

__all__ = [
    "BACKENDS",
    "DATASET_NAMES",
    "SPLITS",
    "DataSplits",
    "load_dataset",
    "one_hot",
    "resolve_backend",
    "describe_choice",
    "resolve_source",
    "SYNTHETIC_CLASS_NAMES",
    "make_synthetic",
]

DATASET_NAMES = ("synthetic", "cats_vs_dogs")
BACKENDS = ("auto", "tf", "numpy")
SPLITS = ("train", "val")
_SYNTHETIC_OPTIONS = ("amplitude", "noise_std", "coverage")
_VAL_OFFSET = 1_000_000_000  # synthetic validation images: indices disjoint from training


@dataclass
class DataSplits:
    """The result of ``load_dataset``.

    Attributes:
        train, val: ``(images uint8 (N, H, W, 3), labels int32 (N,))``, a ``PyDataset`` of
            such batches, or a ``tf.data.Dataset`` of such batches (see ``backend``).
        class_names: class ``i`` is ``class_names[i]``.
        counts: examples per split, usable examples found, skipped files by reason (see the
            module docstring).
        source: ``"synthetic"``, ``"cats_vs_dogs"`` or the folder path.
        image_size: ``(H, W)`` of every image.
        backend: ``"tf"`` or ``"numpy"``.
        batch_size: batch size of the ``tf.data`` / ``PyDataset`` forms.
        labels: ``"int"`` (class ids) or ``"one_hot"`` (after ``with_one_hot()``).
    """

    train: Any
    val: Any
    class_names: list[str]
    counts: dict
    source: str
    image_size: tuple[int, int]
    backend: str
    batch_size: int
    labels: str = "int"

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    def describe(self) -> str:
        """A one-line summary (no pixels)."""
        c, (h, w) = self.counts, self.image_size
        skipped = "; ".join(
            f"{s} " + ", ".join(f"{k} {v}" for k, v in c["skipped"][s].items())
            for s in SPLITS
            if c["skipped"][s]
        )
        return (
            f"{self.source}: train {c['train']} / val {c['val']} images {h}x{w}x3 uint8, "
            f"{self.num_classes} classes {self.class_names}, {self._form()}; "
            f"skipped: {skipped or 'none'}"
        )

    def _form(self) -> str:
        if self.backend == "tf":
            return f"tf.data batches of {self.batch_size}"
        if isinstance(self.train, tuple):
            return "NumPy arrays"
        return f"PyDataset batches of {self.batch_size}"

    def __repr__(self) -> str:
        return f"DataSplits({self.describe()})"

    def with_one_hot(self) -> DataSplits:
        """The same data with one-hot labels ``float32 (..., num_classes)``, for losses such as
        ``categorical_crossentropy``."""
        if self.labels == "one_hot":
            return self
        k = self.num_classes
        return replace(
            self,
            train=_one_hot_data(self.train, k),
            val=_one_hot_data(self.val, k),
            labels="one_hot",
        )


def _one_hot_data(data, num_classes: int):
    if isinstance(data, tuple):
        return data[0], one_hot(data[1], num_classes)
    if isinstance(data, pipeline.IndexBatches):
        return data.with_one_hot(num_classes)
    import tensorflow as tf

    return data.map(lambda x, y: (x, tf.one_hot(y, num_classes)))


# -- choosing the source and the backend -----------------------------------------------------
def resolve_source(source: str | os.PathLike | None = None, announce: bool = True) -> str:
    """The dataset to use: ``source``, else ``$RESIZER_DATA``, else the offline ``"synthetic"``
    set. Real photos are always a choice the user makes (``RESIZER_DATA=cats_vs_dogs`` or a
    folder): nothing is downloaded unless asked for, so a notebook tells the same story online
    and offline. With ``announce``, one printed line says which data and how to choose another
    (for ``cats_vs_dogs``: its download size, and whether it is cached). Returns a name in
    ``DATASET_NAMES`` or a folder path.
    """
    if source is not None:
        chosen, where = _check_source(source, "source"), "source="
    elif os.environ.get("RESIZER_DATA", "").strip():
        chosen, where = _check_source(os.environ["RESIZER_DATA"].strip(), "RESIZER_DATA"), "RESIZER_DATA"
    else:
        chosen, where = "synthetic", None
    if announce:
        print(describe_choice(chosen, where), flush=True)
    return chosen


def describe_choice(source: str, where: str | None) -> str:
    """The one line ``resolve_source`` prints: the data, who chose it, and how to change it."""
    if source == "synthetic":
        what = "the offline synthetic stripes (generated, no download)"
    elif source == "cats_vs_dogs":
        state = ("cached on this machine" if tfds_source.is_cached("cats_vs_dogs") else
                 f"not cached: a one-time download of {tfds_source.DOWNLOAD_SIZE} with a progress bar")
        what = f"cats_vs_dogs from TensorFlow Datasets ({state})"
    else:
        what = f"the image folder {source}"
    how = ("the default" if where is None else f"chosen by {where}")
    return (f"resizer_lib data: {what}; {how}. Choose with RESIZER_DATA=synthetic|cats_vs_dogs|"
            f"<image folder>.")


def _check_source(source: object, where: str) -> str:
    if isinstance(source, str) and source in DATASET_NAMES:
        return source
    if not isinstance(source, (str, os.PathLike)):
        raise ValueError(
            f"{where} must be one of {list(DATASET_NAMES)} or a folder path; got {source!r}"
        )
    path = Path(source).expanduser()
    if not path.is_dir():
        raise ValueError(
            f"{where}={str(source)!r} is neither a dataset name {list(DATASET_NAMES)} nor an "
            f"existing folder. Pass one of the names, or a folder holding train/<class>/ and "
            f"val/<class>/ (or one subfolder per class)."
        )
    return str(path)


def resolve_backend(backend: str = "auto") -> str:
    """``"tf"`` or ``"numpy"``: ``"auto"`` means ``"tf"`` on the TensorFlow Keras backend."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {list(BACKENDS)}; got {backend!r}")
    if backend == "numpy" or (backend == "auto" and keras.backend.backend() != "tensorflow"):
        return "numpy"
    has_tf = importlib.util.find_spec("tensorflow") is not None
    if backend == "tf" and not has_tf:
        raise ValueError("backend='tf' needs TensorFlow, which is not installed; use 'numpy'")
    return "tf" if has_tf else "numpy"


# -- the entry point -------------------------------------------------------------------------
def load_dataset(
    source: str | os.PathLike | None = None,
    image_size: int | Sequence[int] = (300, 300),
    batch_size: int = 64,
    seed: int = 0,
    backend: str = "auto",
    *,
    limit: int | Mapping[str, int | None] | None = None,
    interpolation: str = "bilinear",
    antialias: bool = True,
    crop_to_aspect_ratio: bool = False,
    val_fraction: float = 0.2,
    num_train: int = 1024,
    num_val: int = 256,
    synthetic_options: Mapping[str, Any] | None = None,
    splits: Sequence[str] = CATS_VS_DOGS_SPLITS,
    data_dir: str | os.PathLike | None = None,
    max_in_memory_bytes: int = 2 * 2**30,
    cache: bool | str | None = None,
    num_workers: int | None = None,
) -> DataSplits:
    """Load train and validation data as ``DataSplits`` (see the module docstring).

    Args:
        source: ``"synthetic"``, ``"cats_vs_dogs"``, a folder path, or ``None`` for
            ``resolve_source()``.
        image_size: ``(H, W)`` (or an int) every image is resized to (synthetic: made at).
        batch_size: batch size of ``tf.data`` / ``PyDataset`` forms.
        seed: file order, folder split, shuffling and synthetic pixels all follow it.
        backend: ``"auto"``, ``"tf"`` or ``"numpy"``.
        limit: at most this many examples per split (an int), or ``{"train": n, "val": m}``
            (``None`` = all); taken from a seeded random order.
        interpolation, antialias: resize kernel (``interpolations("loading")``); antialias
            (default) widens it when downscaling, as Pillow does and as
            ``tf.image.resize(..., antialias=True)``; ``False`` reproduces
            ``keras.utils.image_dataset_from_directory`` (fine for small downscales, aliased
            for photos much larger than ``image_size``, and slower on the folder path).
        crop_to_aspect_ratio: centre-crop to the target aspect ratio before resizing.
        val_fraction: validation share for a folder without a train/val split.
        num_train, num_val: synthetic set sizes.
        synthetic_options: extra ``make_synthetic`` arguments (``amplitude``, ``noise_std``,
            ``coverage``).
        splits: TFDS split strings for train and val (cats_vs_dogs).
        data_dir: TFDS data folder (default ``$TFDS_DATA_DIR``, else the repo's ``data/``).
        max_in_memory_bytes: NumPy arrays (and the ``tf.data`` in-memory cache) are used for
            a split up to this size; larger splits stream (``PyDataset`` / no cache).
        cache: ``tf.data`` cache: ``None`` (automatic), ``True`` (memory), ``False``, or a
            file path prefix.
        num_workers: decoding threads (default: CPU count, at most 8).
    """
    size = check_size(image_size, "image_size")
    check_int(batch_size, "batch_size", 1)
    check_int(seed, "seed", 0)
    check_int(max_in_memory_bytes, "max_in_memory_bytes", 0)
    limits = _check_limit(limit)
    if cache is not None and not isinstance(cache, (bool, str, os.PathLike)):
        raise ValueError(f"cache must be None, True, False or a file path; got {cache!r}")
    resize = {
        "interpolation": check_interpolation(interpolation, "loading"),
        "antialias": bool(antialias),
        "crop_to_aspect_ratio": bool(crop_to_aspect_ratio),
    }
    backend = resolve_backend(backend)
    source = resolve_source(source)
    workers = (
        check_int(num_workers, "num_workers", 1) if num_workers is not None else default_workers()
    )
    options = dict(
        size=size,
        batch_size=batch_size,
        seed=seed,
        backend=backend,
        limits=limits,
        max_bytes=max_in_memory_bytes,
        cache=cache,
        workers=workers,
    )
    if source == "synthetic":
        return _load_synthetic(num_train, num_val, synthetic_options or {}, **options)
    if source == "cats_vs_dogs":
        return _load_tfds(tuple(splits), data_dir, resize, **options)
    return _load_folder(source, val_fraction, resize, **options)


def _load_synthetic(
    num_train, num_val, synthetic_options, *, size, limits, **options
) -> DataSplits:
    check_int(num_train, "num_train", 1)
    check_int(num_val, "num_val", 1)
    opts = dict(synthetic_options)
    unknown = sorted(set(opts) - set(_SYNTHETIC_OPTIONS))
    if unknown:
        raise ValueError(
            f"Unknown synthetic_options {unknown}; use some of {list(_SYNTHETIC_OPTIONS)}"
        )
    make_synthetic(0, size, seed=options["seed"], **opts)  # validates the values early
    found = {"train": num_train, "val": num_val}
    examples = {}
    for split, offset in (("train", 0), ("val", _VAL_OFFSET)):
        n = min(found[split], limits[split] or found[split])
        seed = options["seed"]
        labels = np.array([synthetic_label(offset + i, seed) for i in range(n)], dtype=np.int32)

        def load(i, offset=offset, labels=labels, seed=seed):
            return synthetic_image(offset + i, size, seed, label=int(labels[i]), **opts)

        examples[split] = pipeline.Examples(labels, load, size)
    return _assemble(
        examples,
        list(SYNTHETIC_CLASS_NAMES),
        found,
        {"train": {}, "val": {}},
        "synthetic",
        size,
        **options,
    )


def _load_folder(root, val_fraction, resize, *, size, limits, **options) -> DataSplits:
    scan = scan_folder(root, val_fraction, options["seed"], options["workers"])
    examples, found, skipped = {}, {}, {}
    for split in SPLITS:
        part = scan.splits[split]
        found[split], skipped[split] = len(part.paths), dict(part.skipped)
        n = min(found[split], limits[split] or found[split])
        paths = part.paths[:n]

        def load(i, paths=paths):
            return load_image(paths[i], size, **resize)

        examples[split] = pipeline.Examples(part.labels[:n], load, size)
    return _assemble(examples, scan.class_names, found, skipped, str(root), size, **options)


def _assemble(examples, class_names, found, skipped, source, size, **options) -> DataSplits:
    """Build the numpy / tf.data forms of ``examples`` (split -> ``Examples``)."""
    o = options
    data = {}
    for split, ex in examples.items():
        shuffle = split == "train"
        if o["backend"] == "numpy":
            data[split] = pipeline.to_numpy(
                ex, o["batch_size"], shuffle, o["seed"], o["max_bytes"], o["workers"]
            )
        else:
            cache = o["cache"] if o["cache"] is not None else ex.nbytes <= o["max_bytes"]
            data[split] = pipeline.to_tf(ex, o["batch_size"], shuffle, o["seed"], cache)
    counts = {
        "train": len(examples["train"]),
        "val": len(examples["val"]),
        "found": dict(found),
        "skipped": skipped,
    }
    return DataSplits(
        data["train"],
        data["val"],
        list(class_names),
        counts,
        source,
        size,
        o["backend"],
        o["batch_size"],
    )


def _load_tfds(splits, data_dir, resize, *, size, limits, **options) -> DataSplits:
    if len(splits) != 2 or not all(isinstance(s, str) for s in splits):
        raise ValueError(f"splits must be two TFDS split strings (train, val); got {splits!r}")
    o = options
    datasets = tfds_source.load_cats_vs_dogs(splits, data_dir)
    data, found, counts = {}, {}, {}
    for split, tfds_split, ds in zip(SPLITS, splits, datasets, strict=True):
        found[split] = _cardinality(ds, tfds_split)
        n = min(found[split], limits[split] or found[split])
        ds = ds.take(n)
        counts[split] = n
        shuffle = split == "train"
        nbytes = n * size[0] * size[1] * 3
        if o["backend"] == "numpy":
            spill = _spill_path(data_dir, tfds_split, size, resize, n)
            data[split] = pipeline.tfds_to_numpy(
                ds, n, size, resize, o["batch_size"], shuffle, o["seed"], o["max_bytes"], spill
            )
        else:
            cache = o["cache"] if o["cache"] is not None else nbytes <= o["max_bytes"]
            data[split] = pipeline.tfds_to_tf(
                ds, n, size, resize, o["batch_size"], shuffle, o["seed"], cache
            )
    counts.update(found=found, skipped={"train": {}, "val": {}})
    return DataSplits(
        data["train"],
        data["val"],
        list(CATS_VS_DOGS_CLASS_NAMES),
        counts,
        "cats_vs_dogs",
        size,
        o["backend"],
        o["batch_size"],
    )


def _cardinality(ds, split: str) -> int:
    n = int(ds.cardinality())
    if n < 0:
        raise RuntimeError(f"TFDS did not report the size of split {split!r}")
    return n


def _spill_path(data_dir, split: str, size, resize: dict, n: int) -> Path:
    tag = re.sub(r"[^A-Za-z0-9]+", "_", split).strip("_")
    aa, crop = int(resize["antialias"]), int(resize["crop_to_aspect_ratio"])
    flags = f"{resize['interpolation']}_aa{aa}_crop{crop}"
    name = f"cats_vs_dogs_{tag}_{size[0]}x{size[1]}_{flags}_{n}.npy"
    return tfds_source.default_tfds_dir(data_dir) / "resizer_lib_cache" / name


# -- argument checks -------------------------------------------------------------------------


def _check_limit(limit) -> dict[str, int | None]:
    if limit is None or isinstance(limit, (int, np.integer)) and not isinstance(limit, bool):
        value = None if limit is None else check_int(limit, "limit", 1)
        return {split: value for split in SPLITS}
    if isinstance(limit, Mapping) and set(limit) <= set(SPLITS):
        return {
            s: None if limit.get(s) is None else check_int(limit[s], f"limit[{s!r}]", 1)
            for s in SPLITS
        }
    raise ValueError(
        f"limit must be None, a positive integer, or a dict with keys 'train'/'val'; got {limit!r}"
    )
