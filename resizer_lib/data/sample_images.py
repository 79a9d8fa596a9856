"""Photos that ship inside packages (``SAMPLE_NAMES``: free to show and commit, unlike the cats-and-dogs photos,
whose licence forbids republishing), the photos beside a checkout, and loading your own image files."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from resizer_lib._checks import IMAGE_EXTENSIONS, is_int
from resizer_lib.data.imaging import open_rgb

__all__ = ["SAMPLE_NAMES", "load_image_file", "load_sample", "shared_photo_paths", "shared_photos_dir",
           "to_rgb_uint8"]

# skimage.data's photos bundled with its wheel (no download); "text" has fine strokes that alias
_SKIMAGE_SAMPLES = ("astronaut", "camera", "chelsea", "coffee", "rocket", "brick", "grass", "text", "colorwheel")
_SKLEARN_SAMPLES = {"china": "china.jpg", "flower": "flower.jpg"}
_HAS_SKLEARN = importlib.util.find_spec("sklearn") is not None
SAMPLE_NAMES: tuple[str, ...] = _SKIMAGE_SAMPLES + (tuple(_SKLEARN_SAMPLES) if _HAS_SKLEARN else ())


def to_rgb_uint8(image: np.ndarray) -> np.ndarray:
    """``(H, W)``, ``(H, W, 1|3|4)`` -> ``uint8 (H, W, 3)``: integers in ``0..255``, floats taken as ``[0, 1]`` and
    clipped, alpha dropped."""
    arr = np.asarray(image)
    arr = arr[..., None] if arr.ndim == 2 else arr
    if arr.ndim != 3 or arr.shape[-1] not in (1, 3, 4):
        raise ValueError(f"expected an image of shape (H, W), (H, W, 1), (H, W, 3) or (H, W, 4); got shape {arr.shape}")
    arr = np.repeat(arr, 3, axis=-1) if arr.shape[-1] == 1 else arr[..., :3]
    if arr.dtype == np.uint8:
        return np.ascontiguousarray(arr)
    if np.issubdtype(arr.dtype, np.floating):
        return (np.clip(np.nan_to_num(arr), 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    return arr.astype(np.uint8) * 255 if arr.dtype == bool else np.clip(arr, 0, 255).astype(np.uint8)


def load_sample(name: str) -> np.ndarray:
    """The package photo ``name`` (one of ``SAMPLE_NAMES``) as ``uint8 (H, W, 3)``."""
    if name in _SKIMAGE_SAMPLES:
        import skimage.data

        return to_rgb_uint8(getattr(skimage.data, name)())
    if name in _SKLEARN_SAMPLES and _HAS_SKLEARN:
        from sklearn.datasets import load_sample_image

        return to_rgb_uint8(load_sample_image(_SKLEARN_SAMPLES[name]))
    hint = " (install scikit-learn for it)" if name in _SKLEARN_SAMPLES else ""
    raise ValueError(f"Unknown sample image {name!r}{hint}; choose one of {list(SAMPLE_NAMES)}")


def load_image_file(path: str | Path, max_side: int | None = None) -> np.ndarray:
    """An image file as ``uint8 (H, W, 3)`` (``imaging.decode_image``'s pixels), shrunk so its longer side is at
    most ``max_side`` if given. ``ValueError`` for a missing path, a folder or an unreadable image."""
    from PIL import Image, UnidentifiedImageError

    file = Path(path).expanduser()
    if not file.exists():
        raise ValueError(f"No such image file: {str(file)!r}; check the path (cwd is {Path.cwd()})")
    if not file.is_file():
        raise ValueError(f"{str(file)!r} is a folder, not an image file; give the path of one image")
    if max_side is not None and (not is_int(max_side) or max_side < 1):
        raise ValueError(f"max_side must be a positive integer or None; got {max_side!r}")
    try:
        img = open_rgb(file)  # the decoder every loader shares: alpha over white, 16-bit scaled
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
        raise ValueError(f"{str(file)!r} is not a readable image ({type(err).__name__}: {err}); "
                         f"give a JPEG, PNG or other file Pillow can open") from err
    if max_side is not None and max(img.size) > max_side:
        img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return np.asarray(img, dtype=np.uint8).copy()


def shared_photos_dir(name: str = "cats_vs_dogs") -> Path | None:
    """``<checkout>/../shared/datasets/<name>`` (beside the package's checkout, or above the working directory),
    else ``None``. Its photos go into notebook outputs only, never commits."""
    for start in [Path(__file__).resolve().parents[2], Path.cwd().resolve(), *Path.cwd().resolve().parents]:
        if (start.parent / "shared" / "datasets" / name).is_dir():
            return start.parent / "shared" / "datasets" / name
    return None


def shared_photo_paths(count: int = 4, split: str = "val", name: str = "cats_vs_dogs") -> list[Path]:
    """Up to ``count`` photo paths from ``shared_photos_dir(name)/<split>/<class>/``, taking the classes in turn
    (cat, dog, cat, ...) in sorted file order; ``[]`` where the folder is absent."""
    if not is_int(count) or count < 0:
        raise ValueError(f"count must be an integer >= 0; got {count!r}")
    if split not in ("train", "val"):
        raise ValueError(f"split must be 'train' or 'val'; got {split!r}")
    root = shared_photos_dir(name)
    if root is None or not (root / split).is_dir():
        return []
    per_class = [sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_EXTENSIONS)
                 for folder in sorted(d for d in (root / split).iterdir() if d.is_dir())]
    in_turn = [files[i] for i in range(max(map(len, per_class), default=0)) for files in per_class if i < len(files)]
    return in_turn[:count]
