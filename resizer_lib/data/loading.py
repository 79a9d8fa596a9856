"""The course's data in one call: ``load_dataset(source, image_size, batch_size, seed, backend)``.

``source``: ``"synthetic"`` (offline, ``synthetic``), ``"cats_vs_dogs"`` (TFDS, ``tfds_source``) or an image folder
(``folder``). ``backend="numpy"`` gives each split as ``(uint8 (N, H, W, 3), int32 (N,))``, ``"tf"`` a
``tf.data.Dataset`` of such batches, ``"auto"`` ``"tf"`` on the TensorFlow backend; the rest is in ``DataOptions``.
``DataSplits.counts``::

    {"train": 2692, "val": 476,                 # examples in .train / .val (after limit)
     "found": {"train": 2692, "val": 476},      # usable examples before any limit
     "skipped": {"train": {"corrupt": 1, "not_an_image_file": 2}, "val": {}}}

``skipped`` reasons: ``not_an_image_file``, ``empty``, ``not_an_image``, ``corrupt``, ``too_large``, ``unreadable``.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import keras
import numpy as np

from resizer_lib._batching import one_hot
from resizer_lib._checks import check_int, check_size
from resizer_lib.data import pipeline, synthetic, tfds_source
from resizer_lib.data.folder import check_folder, scan_folder
from resizer_lib.data.imaging import load_image
from resizer_lib.data.synthetic import SYNTHETIC_CLASS_NAMES, make_synthetic
from resizer_lib.interpolation import check_interpolation

__all__ = ["BACKENDS", "DATASET_NAMES", "SPLITS", "SYNTHETIC_CLASS_NAMES", "DataOptions", "DataSplits",
           "load_dataset", "make_synthetic", "one_hot", "resolve_backend", "resolve_source"]

DATASET_NAMES = ("synthetic", "cats_vs_dogs")
BACKENDS = ("auto", "tf", "numpy")
SPLITS = ("train", "val")
SYNTHETIC_SIZES = {"train": 1024, "val": 256}  # examples generated when no limit is given
_VAL_OFFSET = 1_000_000_000  # synthetic validation images: indices disjoint from training
_SYNTHETIC_KEYS = ("amplitude", "noise_std", "coverage")


@dataclass(frozen=True)
class DataOptions:
    """What most calls of ``load_dataset`` leave alone: ``options=DataOptions(...)`` or a dict.

    ``interpolation``: the photos' resize kernel (``interpolations("loading")``); ``antialias``: widen it when
    downscaling, as Pillow and ``tf.image.resize(..., antialias=True)`` (``False``:
    ``keras.utils.image_dataset_from_directory``'s); ``crop_to_aspect_ratio``: centre-crop to the aspect of
    ``image_size`` first; ``val_fraction``: in ``(0, 1)``, the validation share of a folder without ``val/``;
    ``synthetic``: extra ``make_synthetic`` arguments (``amplitude``, ``noise_std``, ``coverage``); ``data_dir``:
    the TFDS folder (default ``$TFDS_DATA_DIR``, else the repo's ``data/``); ``max_in_memory_bytes``: the largest
    split held as NumPy arrays (larger: an error saying what to do) and cached decoded by ``tf.data``;
    ``num_workers``: decoding threads (default: the CPU count, at most 8).
    """

    interpolation: str = "bilinear"
    antialias: bool = True
    crop_to_aspect_ratio: bool = False
    val_fraction: float = 0.2
    synthetic: Mapping[str, float] = field(default_factory=dict)
    data_dir: str | os.PathLike | None = None
    max_in_memory_bytes: int = 2 * 2**30
    num_workers: int | None = None

    def __post_init__(self) -> None:
        check_interpolation(self.interpolation, "loading")
        vf = self.val_fraction
        if isinstance(vf, bool) or not isinstance(vf, (int, float)) or not 0 < vf < 1:
            raise ValueError(f"val_fraction must be a number in (0, 1); got {vf!r}")
        if not isinstance(self.synthetic, Mapping) or set(self.synthetic) - set(_SYNTHETIC_KEYS):
            raise ValueError(f"synthetic must be a dict with keys among {_SYNTHETIC_KEYS}; got {self.synthetic!r}")
        make_synthetic(0, 2, **self.synthetic)  # checks the values
        if self.data_dir is not None and not isinstance(self.data_dir, (str, os.PathLike)):
            raise ValueError(f"data_dir must be a folder path or None; got {self.data_dir!r}")
        check_int(self.max_in_memory_bytes, "max_in_memory_bytes", 0)
        if self.num_workers is not None:
            check_int(self.num_workers, "num_workers", 1)

    @property
    def resize(self) -> dict[str, Any]:
        """The arguments of ``imaging.load_image`` / ``pipeline.tf_resize`` after the size."""
        return {"interpolation": self.interpolation, "antialias": bool(self.antialias),
                "crop_to_aspect_ratio": bool(self.crop_to_aspect_ratio)}


@dataclass
class DataSplits:
    """The result of ``load_dataset``: ``train`` and ``val`` as the module docstring says, class ``i`` is
    ``class_names[i]``; ``labels`` is ``"one_hot"`` after ``with_one_hot()``."""

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
        skipped = "; ".join(f"{s} " + ", ".join(f"{k} {v}" for k, v in c["skipped"][s].items())
                            for s in SPLITS if c["skipped"][s])
        form = "NumPy arrays" if self.backend == "numpy" else f"tf.data batches of {self.batch_size}"
        return (f"{self.source}: train {c['train']} / val {c['val']} images {h}x{w}x3 uint8, "
                f"{self.num_classes} classes {self.class_names}, {form}; skipped: {skipped or 'none'}")

    def __repr__(self) -> str:
        return f"DataSplits({self.describe()})"

    def with_one_hot(self) -> DataSplits:
        """The same data with one-hot labels ``float32 (..., num_classes)``."""
        if self.labels == "one_hot":
            return self
        k = self.num_classes
        if self.backend == "numpy":
            hot = lambda d: (d[0], one_hot(d[1], k))  # noqa: E731
        else:
            import tensorflow as tf

            hot = lambda d: d.map(lambda x, y: (x, tf.one_hot(y, k)))  # noqa: E731
        return replace(self, train=hot(self.train), val=hot(self.val), labels="one_hot")


def resolve_source(source: str | os.PathLike | None = None, announce: bool = True) -> str:
    """``source``, else ``$RESIZER_DATA``, else ``"synthetic"`` (nothing is downloaded unasked): a name in
    ``DATASET_NAMES`` or a folder path, else ``ValueError``. ``announce`` prints one line saying which data and
    how to choose another."""
    env = os.environ.get("RESIZER_DATA", "").strip()
    if source is not None:
        chosen, where = _check_source(source, "source"), "chosen by the source argument"
    elif env:
        chosen, where = _check_source(env, "RESIZER_DATA"), "chosen by RESIZER_DATA"
    else:
        chosen, where = "synthetic", "the default"
    if not announce:
        return chosen
    if chosen == "synthetic":
        what = "the offline synthetic stripes (generated, no download)"
    elif chosen == "cats_vs_dogs":
        state = ("cached on this machine" if tfds_source.is_cached("cats_vs_dogs") else
                 f"not cached: a one-time download of {tfds_source.DOWNLOAD_SIZE} with a progress bar")
        what = f"cats_vs_dogs from TensorFlow Datasets ({state})"
    else:
        what = f"the image folder {chosen}"
    print(f"resizer_lib data: {what}; {where}. Choose with RESIZER_DATA=synthetic|cats_vs_dogs|<image folder>.",
          flush=True)
    return chosen


def _check_source(source: object, where: str) -> str:
    if isinstance(source, str) and source in DATASET_NAMES:
        return source
    if not isinstance(source, (str, os.PathLike)) or not str(source).strip():
        raise ValueError(f"{where} must be one of {list(DATASET_NAMES)} or a folder path; got {source!r}")
    if not Path(source).expanduser().exists():
        raise ValueError(f"{where}={str(source)!r} is neither a dataset name {list(DATASET_NAMES)} "
                         f"nor an existing folder.")
    return str(check_folder(source, f"{where}="))


def resolve_backend(backend: str = "auto") -> str:
    """``"tf"`` or ``"numpy"``: ``"auto"`` means ``"tf"`` on the TensorFlow Keras backend."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {list(BACKENDS)}; got {backend!r}")
    if backend == "numpy" or (backend == "auto" and keras.backend.backend() != "tensorflow"):
        return "numpy"
    if importlib.util.find_spec("tensorflow") is None:  # "auto" on the TensorFlow backend has it
        raise ValueError("backend='tf' needs TensorFlow, which is not installed; use backend='numpy'")
    return "tf"


def load_dataset(
    source: str | os.PathLike | None = None,
    image_size: int | Sequence[int] = (300, 300),
    batch_size: int = 64,
    seed: int = 0,
    backend: str = "auto",
    *,
    limit: int | Mapping[str, int | None] | None = None,
    options: DataOptions | Mapping[str, Any] | None = None,
) -> DataSplits:
    """Load the train and validation splits of ``source`` (see the module docstring).

    ``source``: ``"synthetic"``, ``"cats_vs_dogs"``, a folder path, or ``None`` for ``resolve_source()`` (which
    then prints its one line). ``image_size``: ``(H, W)`` (or an int) every image is resized to (synthetic: made
    at). ``batch_size``: of the ``tf.data`` form. ``seed``: the file order, a folder's train/val split, the shuffles
    and the synthetic pixels follow it. ``limit``: examples per split, an int or ``{"train": n, "val": m}``
    (``None``: all); a folder or cats_vs_dogs gives at most that many, a seeded random sample, the synthetic set
    exactly that many (default 1,024 / 256). ``options``: a ``DataOptions`` (or a dict of its fields).

    ``ValueError`` (naming the bad argument and the fix) for a bad argument, an unknown source, a folder without
    usable images, or a split too large for NumPy arrays; ``RuntimeError`` when cats_vs_dogs is neither cached nor
    downloadable (no network).
    """
    size = check_size(image_size, "image_size")
    check_int(batch_size, "batch_size", 1)
    check_int(seed, "seed", 0)
    limits, opts = _check_limit(limit), _check_options(options)
    backend = resolve_backend(backend)
    source = resolve_source(source, announce=source is None)
    examples, skipped = {}, {s: {} for s in SPLITS}
    if source == "cats_vs_dogs":
        class_names, splits = tfds_source.CATS_VS_DOGS_CLASS_NAMES, tfds_source.CATS_VS_DOGS_SPLITS
        datasets = dict(zip(SPLITS, tfds_source.load_cats_vs_dogs(splits, opts.data_dir), strict=True))
        found = {s: int(datasets[s].cardinality()) for s in SPLITS}
        if min(found.values()) < 0:
            raise RuntimeError(f"TFDS did not report the size of the splits {splits}")
    elif source == "synthetic":
        class_names, found = SYNTHETIC_CLASS_NAMES, {s: limits[s] or SYNTHETIC_SIZES[s] for s in SPLITS}
        for s in SPLITS:  # validation images from index _VAL_OFFSET on: never seen in training
            offset = 0 if s == "train" else _VAL_OFFSET
            labels = np.array([synthetic.synthetic_label(offset + i, seed) for i in range(found[s])], np.int32)
            examples[s] = pipeline.Examples(labels, lambda i, o=offset, y=labels: synthetic.synthetic_image(
                o + i, size, seed, label=int(y[i]), **opts.synthetic), size)
    else:
        scan = scan_folder(source, opts.val_fraction, seed, opts.num_workers)
        class_names, found = scan.class_names, {s: len(scan.splits[s].paths) for s in SPLITS}
        for s in SPLITS:  # the first ``limit`` files of a split, already in a seeded random order
            paths, skipped[s] = scan.splits[s].paths[: limits[s]], dict(scan.splits[s].skipped)
            examples[s] = pipeline.Examples(scan.splits[s].labels[: len(paths)],
                                            lambda i, paths=paths: load_image(paths[i], size, **opts.resize), size)
    data, n = {}, {s: min(found[s], limits[s] or found[s]) for s in SPLITS}
    for s in SPLITS:
        cache, shuffle_seed = _fits(s, n[s], size, source, backend, opts), seed if s == "train" else None
        if source == "cats_vs_dogs" and backend == "numpy":
            data[s] = pipeline.tfds_to_numpy(datasets[s].take(n[s]), n[s], size, opts.resize)
        elif source == "cats_vs_dogs":
            data[s] = pipeline.tfds_to_tf(datasets[s].take(n[s]), size, opts.resize, batch_size, shuffle_seed, cache)
        elif backend == "numpy":
            data[s] = pipeline.to_numpy(examples[s], opts.num_workers or pipeline.default_workers())
        else:
            data[s] = pipeline.to_tf(examples[s], batch_size, shuffle_seed, cache)
    counts = n | {"found": found, "skipped": skipped}
    return DataSplits(data["train"], data["val"], list(class_names), counts, source, size, backend, batch_size)


def _fits(split: str, n: int, size, source: str, backend: str, opts: DataOptions) -> bool:
    """Whether ``n`` images ``uint8 (H, W, 3)`` fit in ``max_in_memory_bytes``; ``ValueError`` if NumPy arrays
    would not."""
    nbytes = n * size[0] * size[1] * 3
    if backend == "numpy" and nbytes > opts.max_in_memory_bytes:
        raise ValueError(
            f"The {split} split of {source} ({n} images of {size[0]}x{size[1]}x3) needs {nbytes / 2**30:.1f} GiB "
            f"as NumPy arrays, over max_in_memory_bytes={opts.max_in_memory_bytes}. Pass a smaller limit or "
            f"image_size, backend='tf' (streams), or options=DataOptions(max_in_memory_bytes=...).")
    return nbytes <= opts.max_in_memory_bytes


def _check_options(options) -> DataOptions:
    if options is None or isinstance(options, DataOptions):
        return options or DataOptions()
    if not isinstance(options, Mapping):
        raise ValueError(f"options must be a DataOptions or a dict of its fields; got {options!r}")
    names = [f.name for f in dataclasses.fields(DataOptions)]
    unknown = sorted(set(options) - set(names))
    if unknown:
        raise ValueError(f"Unknown options {unknown}; DataOptions has {names}")
    return DataOptions(**options)


def _check_limit(limit) -> dict[str, int | None]:
    if limit is None or isinstance(limit, (int, np.integer)) and not isinstance(limit, bool):
        return dict.fromkeys(SPLITS, None if limit is None else check_int(limit, "limit", 1))
    if isinstance(limit, Mapping) and set(limit) <= set(SPLITS):
        return {s: None if limit.get(s) is None else check_int(limit[s], f"limit[{s!r}]", 1) for s in SPLITS}
    raise ValueError(f"limit must be None, a positive integer, or a dict with keys 'train'/'val'; got {limit!r}")
