"""Scan an image folder into train/val file lists, validating every file up front (a bad file is skipped and
counted here, never discovered in the middle of an epoch)::

    root/train/<class>/*.jpg  and  root/val/<class>/*.jpg     (or root/validation/...)
    root/<class>/*.jpg  or  root/train/<class>/*.jpg          split by ``val_fraction``, ``seed``

Classes are the sorted class-folder names (searched recursively, hidden folders skipped).
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from resizer_lib.data.imaging import IMAGE_EXTENSIONS, check_image_file
from resizer_lib.data.pipeline import default_workers, map_threads

__all__ = ["FolderScan", "FolderSplit", "check_folder", "scan_folder"]

log = logging.getLogger("resizer_lib.data")

_SPLIT_TAG = {"train": 0, "val": 1}
_CHECKED: dict[tuple[str, int, int], str | None] = {}  # (path, size, mtime_ns) -> reason


@dataclass
class FolderSplit:
    """The usable files of one split: ``paths`` (str) and ``labels`` (int32), same order."""

    paths: list[str]
    labels: np.ndarray
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count


@dataclass
class FolderScan:
    """Result of ``scan_folder``: class names and the ``"train"`` and ``"val"`` splits."""

    class_names: list[str]
    splits: dict[str, FolderSplit]


def scan_folder(root: str | os.PathLike, val_fraction: float = 0.2, seed: int = 0,
                num_workers: int | None = None) -> FolderScan:
    """Find, validate and list the images under ``root``, each split in a seeded random order (any prefix is a
    random sample); one warning line per split with unreadable files. ``ValueError`` for a missing path, fewer
    than two classes, train/val classes that differ, or a class without readable images in a split.
    """
    root = check_folder(root, "Image folder")
    candidates, base = _candidates(root, val_fraction, seed)
    train, val = sorted(candidates["train"]), sorted(candidates["val"])
    if len(train) < 2:
        raise ValueError(f"Image folder {str(root)!r} needs at least two class subfolders (e.g. train/cat/, "
                         f"train/dog/); found {f'only {train}' if train else 'no class subfolders'}")
    if train != val:
        raise ValueError(f"Train and val class folders differ under {str(root)!r}: train has {train}, "
                         f"val has {val}. Use the same class subfolders in both.")
    splits = {name: _validate_split(base, files, seed, name, num_workers or default_workers())
              for name, files in candidates.items()}
    for name, split in splits.items():  # a class without images could not be learned or scored
        missing = [c for i, c in enumerate(train) if not np.any(split.labels == i)]
        if missing:
            what = "No readable images" + ("" if len(missing) == len(train) else f" of class {missing}")
            skipped = ", ".join(f"{k}: {v}" for k, v in split.skipped.items()) or "none"
            raise ValueError(f"{what} for the {name!r} split under {str(root)!r} (files skipped: {skipped}). Add "
                             f"JPEG/PNG images to every class folder of that split, or remove the empty class folders.")
    return FolderScan(train, splits)


def _candidates(root: Path, val_fraction: float, seed: int) -> tuple[dict[str, dict[str, list[Path]]], Path]:
    """Candidate files per split and class (``{"train": {class: files}, "val": ...}``), and the folder holding
    the classes."""
    train_dir = root / "train"
    val_dir = next((root / n for n in ("val", "validation") if (root / n).is_dir()), None)
    if train_dir.is_dir() and val_dir is not None:
        return {"train": _class_files(train_dir), "val": _class_files(val_dir)}, root
    if not isinstance(val_fraction, (int, float)) or not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be a number in (0, 1); got {val_fraction!r}")
    base = train_dir if train_dir.is_dir() else root
    train, val = {}, {}
    for i, (name, files) in enumerate(sorted(_class_files(base).items())):
        order = np.random.default_rng([seed, i]).permutation(len(files))
        n_val = min(len(files) - 1, round(len(files) * val_fraction)) if len(files) > 1 else 0
        val[name] = [files[j] for j in sorted(order[:n_val])]
        train[name] = [files[j] for j in sorted(order[n_val:])]
    return {"train": train, "val": val}, base


def _class_files(split_dir: Path) -> dict[str, list[Path]]:
    """``{class name: sorted files, found recursively}`` for each non-hidden subfolder of ``split_dir``."""
    found = {}
    for folder in sorted(p for p in split_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        files = []
        for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            files += [Path(dirpath) / f for f in filenames]
        found[folder.name] = sorted(files)
    return found


def _validate_split(base: Path, by_class: dict[str, list[Path]], seed: int, name: str, workers: int) -> FolderSplit:
    """Check every file of one split (one log line if some are bad); keep the good ones in a seeded order."""
    files = [(path, label) for label, cls in enumerate(sorted(by_class)) for path in by_class[cls]]
    images = [(p, y) for p, y in files if p.suffix.lower() in IMAGE_EXTENSIONS]
    reasons = map_threads(_cached_check, [p for p, _ in images], workers)
    bad = [(p, r) for (p, _), r in zip(images, reasons, strict=True) if r is not None]
    good = [(str(p), y) for (p, y), r in zip(images, reasons, strict=True) if r is None]
    skipped = Counter({"not_an_image_file": len(files) - len(images)}) + Counter(r for _, r in bad)
    if bad:
        why = ", ".join(f"{r}: {n}" for r, n in sorted(Counter(r for _, r in bad).items()))
        examples = ", ".join(str(p.relative_to(base)) for p, _ in bad[:3])
        examples += f" (+{len(bad) - 3} more)" if len(bad) > 3 else ""
        log.warning("resizer_lib: skipped %d unreadable image files of %d in the %s split of %s (%s), e.g. %s",
                    len(bad), len(files), name, base, why, examples)
    order = np.random.default_rng([seed, _SPLIT_TAG[name]]).permutation(len(good))
    return FolderSplit([good[i][0] for i in order], np.array([good[i][1] for i in order], dtype=np.int32),
                       dict(sorted(skipped.items())))


def _cached_check(path: Path) -> str | None:
    """``check_image_file`` memoised on (path, size, mtime): a rescan in a notebook is free."""
    try:
        stat = path.stat()
    except OSError:
        return "unreadable"
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _CHECKED:
        _CHECKED[key] = check_image_file(path)
    return _CHECKED[key]


def check_folder(path, what: str = "Image folder") -> Path:
    """``path`` as a ``Path`` when it is an existing folder; a one-line ``ValueError`` otherwise."""
    folder = Path(path).expanduser()
    if not folder.is_dir():
        state = "is a file, not a folder" if folder.exists() else "does not exist"
        raise ValueError(f"{what} {str(path)!r} {state}. Pass a folder holding train/<class>/ and "
                         f"val/<class>/ subfolders, or one subfolder per class.")
    return folder
