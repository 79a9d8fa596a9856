"""Scan an image folder into train/val file lists, validating every file up front::

    root/train/<class>/*.jpg  and  root/val/<class>/*.jpg     (or root/validation/...)
    root/<class>/*.jpg  or  root/train/<class>/*.jpg          split by ``val_fraction``, ``seed``

Classes are the sorted class-folder names (searched recursively, hidden folders skipped). A bad
file is skipped and counted here, never discovered in the middle of an epoch.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from resizer_lib._threads import default_workers, map_threads
from resizer_lib.data.imaging import IMAGE_EXTENSIONS, check_image_file

__all__ = ["FolderScan", "FolderSplit", "check_folder", "scan_folder"]

log = logging.getLogger("resizer_lib.data")

SPLITS = ("train", "val")
_VAL_NAMES = ("val", "validation")
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

    root: Path
    class_names: list[str]
    splits: dict[str, FolderSplit]
    layout: str  # "train/val folders" or "class folders split by val_fraction=..."


def scan_folder(
    root: str | os.PathLike,
    val_fraction: float = 0.2,
    seed: int = 0,
    num_workers: int | None = None,
) -> FolderScan:
    """Find, validate and list the images under ``root``, each split in a seeded random order (any
    prefix is a random sample); one warning line per split with unreadable files. ``ValueError``
    for a missing path, fewer than two classes, train/val classes that differ, or an empty split.
    """
    root = check_folder(root, "Image folder")
    candidates, base, layout = _candidates(root, val_fraction, seed)
    class_names = _class_names(root, candidates)
    workers = num_workers or default_workers()
    splits = {
        name: _validate_split(base, files, seed, name, workers)
        for name, files in candidates.items()
    }
    for name, split in splits.items():
        _check_every_class(root, name, split, class_names)
    return FolderScan(root, class_names, splits, layout)


def _check_every_class(root: Path, name: str, split: FolderSplit, class_names: list[str]) -> None:
    """``ValueError`` if a class has no readable image in the split (it could not be learned
    or scored), naming the class, the files skipped and the fix."""
    missing = [c for i, c in enumerate(class_names) if not np.any(split.labels == i)]
    if not missing:
        return
    what = "No readable images" + ("" if len(missing) == len(class_names) else f" of class {missing}")
    skipped = ", ".join(f"{k}: {v}" for k, v in split.skipped.items()) or "none"
    raise ValueError(
        f"{what} for the {name!r} split under {str(root)!r} (files skipped: {skipped}). Add "
        f"JPEG/PNG images to every class folder of that split, or remove the empty class folders."
    )


Candidates = dict[str, dict[str, list[Path]]]  # split -> class -> files (images and others)


def _candidates(root: Path, val_fraction: float, seed: int) -> tuple[Candidates, Path, str]:
    """Candidate files per split and class, the folder holding the classes, and the layout."""
    train_dir = root / "train"
    val_dir = next((root / n for n in _VAL_NAMES if (root / n).is_dir()), None)
    if train_dir.is_dir() and val_dir is not None:
        files = {"train": _class_files(train_dir), "val": _class_files(val_dir)}
        return files, root, "train/val folders"
    if not isinstance(val_fraction, (int, float)) or not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be a number in (0, 1); got {val_fraction!r}")
    base = train_dir if train_dir.is_dir() else root
    train, val = {}, {}
    for i, (name, files) in enumerate(sorted(_class_files(base).items())):
        order = np.random.default_rng([seed, i]).permutation(len(files))
        n_val = min(len(files) - 1, round(len(files) * val_fraction)) if len(files) > 1 else 0
        val[name] = [files[j] for j in sorted(order[:n_val])]
        train[name] = [files[j] for j in sorted(order[n_val:])]
    return {"train": train, "val": val}, base, f"class folders split by val_fraction={val_fraction}"


def _class_files(split_dir: Path) -> dict[str, list[Path]]:
    """``{class name: sorted files}`` for each non-hidden subfolder of ``split_dir``."""
    classes = sorted(p for p in split_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    return {c.name: sorted(_walk_files(c)) for c in classes}


def _walk_files(folder: Path) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        yield from (Path(dirpath) / f for f in filenames)


def _class_names(root: Path, candidates: Candidates) -> list[str]:
    train, val = sorted(candidates["train"]), sorted(candidates["val"])
    if len(train) < 2:
        found = f"only {train}" if train else "no class subfolders"
        raise ValueError(
            f"Image folder {str(root)!r} needs at least two class subfolders "
            f"(e.g. train/cat/, train/dog/); found {found}"
        )
    if train != val:
        raise ValueError(
            f"Train and val class folders differ under {str(root)!r}: train has {train}, "
            f"val has {val}. Use the same class subfolders in both."
        )
    return train


def _validate_split(
    base: Path, by_class: dict[str, list[Path]], seed: int, name: str, workers: int
) -> FolderSplit:
    """Check every file of one split; keep the good ones in a seeded random order."""
    files = [(path, label) for label, cls in enumerate(sorted(by_class)) for path in by_class[cls]]
    images = [(p, y) for p, y in files if p.suffix.lower() in IMAGE_EXTENSIONS]
    skipped = Counter({"not_an_image_file": len(files) - len(images)})
    reasons = map_threads(_cached_check, [p for p, _ in images], workers)
    bad = [(p, r) for (p, _), r in zip(images, reasons, strict=True) if r is not None]
    skipped.update(r for _, r in bad)
    good = [(str(p), y) for (p, y), r in zip(images, reasons, strict=True) if r is None]
    order = np.random.default_rng([seed, _SPLIT_TAG[name]]).permutation(len(good))
    if bad:
        _warn_skipped(base, name, bad, len(files))
    return FolderSplit(
        paths=[good[i][0] for i in order],
        labels=np.array([good[i][1] for i in order], dtype=np.int32),
        skipped={k: v for k, v in sorted(skipped.items()) if v},
    )


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


def _warn_skipped(base: Path, name: str, bad: list[tuple[Path, str]], total: int) -> None:
    """ONE log line for the split: how many image files were skipped, why, and examples."""
    reasons = ", ".join(f"{r}: {n}" for r, n in sorted(Counter(r for _, r in bad).items()))
    examples = ", ".join(str(p.relative_to(base)) for p, _ in bad[:3])
    more = f" (+{len(bad) - 3} more)" if len(bad) > 3 else ""
    log.warning("resizer_lib: skipped %d unreadable image files of %d in the %s split of %s (%s), "
                "e.g. %s%s", len(bad), total, name, base, reasons, examples, more)


def check_folder(path, what: str = "Image folder") -> Path:
    """``path`` as a ``Path`` when it is an existing folder; a one-line ``ValueError`` otherwise."""
    folder = Path(path).expanduser()
    if not folder.is_dir():
        state = "is a file, not a folder" if folder.exists() else "does not exist"
        raise ValueError(f"{what} {str(path)!r} {state}. Pass a folder holding train/<class>/ and "
                         f"val/<class>/ subfolders, or one subfolder per class.")
    return folder
