"""TensorFlow Datasets' ``cats_vs_dogs`` (TFDS drops the archive's corrupt JPEGs: 23,262 images); the default
splits are keras.io's, ``train[:40%]`` and ``train[40%:50%]``. Data folder: the ``data_dir`` argument,
``$TFDS_DATA_DIR``, a checkout's ``data/tensorflow_datasets``, else ``~/tensorflow_datasets``.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from resizer_lib.network import PROBE_TIMEOUT_S, can_reach

__all__ = ["CATS_VS_DOGS_CLASS_NAMES", "CATS_VS_DOGS_SPLITS", "DOWNLOAD_URL", "DOWNLOAD_BYTES", "DOWNLOAD_SIZE",
           "can_download", "default_tfds_dir", "is_cached", "load_cats_vs_dogs", "tfds_installed"]

CATS_VS_DOGS_SPLITS = ("train[:40%]", "train[40%:50%]")
CATS_VS_DOGS_CLASS_NAMES = ["cat", "dog"]
DOWNLOAD_URL = ("https://download.microsoft.com/download/3/E/1/3E1C3F21-ECDB-4869-8368-6DEBA77B919F/"
                "kagglecatsanddogs_5340.zip")  # the Kaggle archive TFDS fetches (tensorflow_datasets cats_vs_dogs._URL)
DOWNLOAD_BYTES = 824_887_076  # the archive's size in TFDS' url_checksums/cats_vs_dogs.txt
DOWNLOAD_SIZE = f"{DOWNLOAD_BYTES / 1e6:,.0f} MB"


def default_tfds_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The TFDS data folder: argument, else ``$TFDS_DATA_DIR``, else the repo's ``data/``."""
    if data_dir:
        return Path(data_dir).expanduser()
    if os.environ.get("TFDS_DATA_DIR"):
        return Path(os.environ["TFDS_DATA_DIR"]).expanduser()
    repo = Path(__file__).resolve().parents[2]
    if (repo / "pyproject.toml").is_file() and (repo / "resizer_lib").is_dir():
        return repo / "data" / "tensorflow_datasets"
    return Path.home() / "tensorflow_datasets"


def tfds_installed() -> bool:
    """Whether ``tensorflow_datasets`` (and so TensorFlow) can be imported."""
    return all(importlib.util.find_spec(m) is not None for m in ("tensorflow", "tensorflow_datasets"))


def is_cached(name: str = "cats_vs_dogs", data_dir: str | os.PathLike | None = None) -> bool:
    """Whether TFDS has ``name`` downloaded and prepared under the data folder (no network)."""
    folder = default_tfds_dir(data_dir)
    if not tfds_installed() or not (folder / name).is_dir():  # no TensorFlow import needed
        return False
    import tensorflow_datasets as tfds

    try:
        return bool(tfds.builder(name, data_dir=str(folder)).is_prepared())
    except Exception:  # a broken or partial cache counts as "not cached"
        return False


def can_download(url: str = DOWNLOAD_URL, timeout: float = PROBE_TIMEOUT_S) -> bool:
    """Whether an HTTPS ``HEAD`` of ``url`` succeeds within ``timeout`` seconds (never longer)."""
    return can_reach(url, timeout, require_ok=True)


def load_cats_vs_dogs(splits: tuple[str, str], data_dir: str | os.PathLike | None = None):
    """``(train, val)`` unbatched ``tf.data`` datasets of ``(uint8 (H, W, 3), int64 label)``, downloaded first if
    needed; ``RuntimeError`` (one line, what to do) without TFDS, or neither cached nor downloadable, or if the
    download fails."""
    folder = default_tfds_dir(data_dir)
    cached = tfds_installed() and is_cached("cats_vs_dogs", folder)
    if not tfds_installed() or not cached and not can_download():  # checked before TFDS is asked anything
        why = ("tensorflow-datasets is not installed" if not tfds_installed() else
               f"it is not in the TFDS cache at {folder} and there is no network "
               f"({DOWNLOAD_URL.split('/')[2]} did not answer within {PROBE_TIMEOUT_S:g} s)")
        raise RuntimeError(f"cats_vs_dogs is unavailable: {why}. Either connect to the internet once (TFDS downloads "
                           f"{DOWNLOAD_SIZE} into {folder}), point TFDS_DATA_DIR (or DataOptions(data_dir=)) at a "
                           f"folder that already holds it, or use source='synthetic' or a folder of images "
                           f"(train/<class>/ and val/<class>/).")
    import tensorflow_datasets as tfds

    builder = tfds.builder("cats_vs_dogs", data_dir=str(folder))
    if not cached:
        print(f"resizer_lib: downloading cats_vs_dogs ({DOWNLOAD_SIZE}, once per machine) into {folder}, then "
              f"preparing it; TFDS shows the progress ...", flush=True)
        try:
            builder.download_and_prepare()
        except Exception as err:  # a dropped connection, a full disk: one line, not TFDS' stack
            reason = (str(err).strip().splitlines() or [""])[0][:200]
            raise RuntimeError(f"Downloading cats_vs_dogs into {folder} failed ({type(err).__name__}: {reason}). Check "
                               f"the network and the free disk space ({DOWNLOAD_SIZE} plus as much again), then "
                               f"retry; or use source='synthetic' or a folder of images.") from None
    return tuple(builder.as_dataset(split=s, as_supervised=True, shuffle_files=False) for s in splits)
