"""Photos that ship inside packages (free to show and commit), and loading your own image files.

``load_sample(name)``: one of ``SAMPLE_NAMES`` (``skimage.data``; with scikit-learn also
``"china"``, ``"flower"``) as ``uint8 (H, W, 3)``. Committed figures use these or synthetic
images, never the cats-and-dogs photos (their licence forbids republishing).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from resizer_lib._checks import IMAGE_EXTENSIONS, is_int
from resizer_lib.data.imaging import open_rgb

__all__ = ["SAMPLE_NAMES", "load_image_file", "load_sample", "shared_photo_paths",
           "shared_photos_dir", "to_rgb_uint8"]

# skimage.data functions bundled with the wheel (no download); a short note on each.
_SKIMAGE_SAMPLES = {
    "astronaut": "Eileen Collins, NASA portrait (512x512, colour)",
    "camera": "the cameraman (512x512, grey)",
    "chelsea": "Chelsea the cat (300x451, colour)",
    "coffee": "a cup of coffee (400x600, colour)",
    "rocket": "a rocket launch (427x640, colour)",
    "brick": "a brick wall texture (512x512, grey)",
    "grass": "a grass texture (512x512, grey)",
    "text": "printed text (172x448, grey): fine strokes that alias",
    "colorwheel": "a colour wheel (370x371, colour)",
}
_SKLEARN_SAMPLES = {"china": "china.jpg", "flower": "flower.jpg"}
_HAS_SKLEARN = importlib.util.find_spec("sklearn") is not None

SAMPLE_NAMES: tuple[str, ...] = tuple(_SKIMAGE_SAMPLES) + (
    tuple(_SKLEARN_SAMPLES) if _HAS_SKLEARN else ()
)


def to_rgb_uint8(image: np.ndarray) -> np.ndarray:
    """``(H, W)``, ``(H, W, 1|3|4)`` -> ``uint8 (H, W, 3)``: integers in ``0..255``, floats taken as
    ``[0, 1]`` and clipped, alpha dropped."""
    arr = np.asarray(image)
    if arr.ndim == 2:
        arr = arr[..., None]
    if arr.ndim != 3 or arr.shape[-1] not in (1, 3, 4):
        raise ValueError(
            f"expected an image of shape (H, W), (H, W, 1), (H, W, 3) or (H, W, 4); "
            f"got shape {arr.shape}"
        )
    if arr.shape[-1] == 1:
        arr = np.repeat(arr, 3, axis=-1)
    arr = arr[..., :3]
    if arr.dtype == np.uint8:
        return np.ascontiguousarray(arr)
    if np.issubdtype(arr.dtype, np.floating):
        return (np.clip(np.nan_to_num(arr), 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    if arr.dtype == bool:
        return arr.astype(np.uint8) * 255
    return np.clip(arr, 0, 255).astype(np.uint8)


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
    """An image file as ``uint8 (H, W, 3)`` (``imaging.decode_image``'s pixels), shrunk so its
    longer side is at most ``max_side`` if given. ``ValueError`` for a missing path, a folder or
    an unreadable image."""
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
        raise ValueError(
            f"{str(file)!r} is not a readable image ({type(err).__name__}: {err}); "
            f"give a JPEG, PNG or other file Pillow can open"
        ) from err
    if max_side is not None and max(img.size) > max_side:
        img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return np.asarray(img, dtype=np.uint8).copy()


def shared_photos_dir(name: str = "cats_vs_dogs") -> Path | None:
    """``<checkout>/../shared/datasets/<name>`` (beside the package's checkout, or above the
    working directory), else ``None``. Its photos go into notebook outputs only, never commits."""
    here = Path(__file__).resolve()
    starts = [here.parents[2], Path.cwd().resolve(), *Path.cwd().resolve().parents]
    for start in starts:
        folder = start.parent / "shared" / "datasets" / name
        if folder.is_dir():
            return folder
    return None


def shared_photo_paths(count: int = 4, split: str = "val", name: str = "cats_vs_dogs") -> list[Path]:
    """Up to ``count`` photo paths from ``shared_photos_dir(name)/<split>/<class>/``, taking the
    classes in turn (cat, dog, cat, ...) in sorted file order; ``[]`` where the folder is absent."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"count must be an integer >= 0; got {count!r}")
    if split not in ("train", "val"):
        raise ValueError(f"split must be 'train' or 'val'; got {split!r}")
    root = shared_photos_dir(name)
    if root is None or not (root / split).is_dir():
        return []
    per_class = [
        sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_EXTENSIONS)
        for folder in sorted(d for d in (root / split).iterdir() if d.is_dir())
    ]
    paths: list[Path] = []
    for i in range(max((len(files) for files in per_class), default=0)):
        paths.extend(files[i] for files in per_class if i < len(files))
        if len(paths) >= count:
            break
    return paths[:count]
