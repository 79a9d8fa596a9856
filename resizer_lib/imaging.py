"""Image files to ``uint8 (H, W, 3)`` arrays: validate, decode (Pillow) and resize (NumPy).

One decoder and one resizer serve both data paths (``tf.data`` and NumPy), so both give the
same pixels. Decoding applies the EXIF orientation and maps every mode to 8-bit RGB: grey,
palette, CMYK, 16-bit (scaled, not clipped) and alpha (composited over white).

The resize uses the kernels of ``tf.image.resize`` / ``jax.image.resize`` (half-pixel centres;
``bilinear`` = triangle, ``bicubic`` = Keys a=-0.5, ``lanczos3``/``lanczos5``, ``nearest``;
``area`` = exact pixel-area average), weights renormalised at the borders. With ``antialias``
the kernel is widened by the downscale factor, as in those libraries. Results match
``tf.image.resize`` to within one grey level after rounding.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache

import numpy as np

__all__ = [
    "IMAGE_EXTENSIONS",
    "INTERPOLATIONS",
    "check_image_file",
    "check_interpolation",
    "decode_image",
    "load_image",
    "resize_image",
]

IMAGE_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".ppm", ".pgm"}
)
INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5")

_SIXTEEN_BIT_MODES = ("I;16", "I;16B", "I;16L", "I;16N", "I")


def check_interpolation(interpolation: object) -> str:
    """Return ``interpolation`` if it is one of ``INTERPOLATIONS``, else raise ``ValueError``."""
    if interpolation not in INTERPOLATIONS:
        raise ValueError(
            f"Unknown interpolation {interpolation!r} for loading images; "
            f"choose one of {list(INTERPOLATIONS)}"
        )
    return str(interpolation)


# -- validation ------------------------------------------------------------------------------
def check_image_file(path: str | os.PathLike) -> str | None:
    """Why ``path`` cannot be used as an image (a short reason), or ``None`` if it decodes.

    Decodes the whole file (JPEGs at 1/8 scale, which still reads every byte), so truncated
    or corrupt files are caught here, before any epoch starts. Reasons: ``"empty"``,
    ``"not_an_image"`` (Pillow does not recognise it), ``"too_large"`` (decompression-bomb
    limit), ``"corrupt"`` (truncated or undecodable).
    """
    from PIL import Image, UnidentifiedImageError

    try:
        if os.path.getsize(path) == 0:
            return "empty"
        with Image.open(path) as im:
            if im.format == "JPEG":
                im.draft("RGB", (max(1, im.width // 8), max(1, im.height // 8)))
            im.load()
    except Image.DecompressionBombError:
        return "too_large"
    except UnidentifiedImageError:
        return "not_an_image"
    except (OSError, SyntaxError, ValueError, EOFError, IndexError):
        return "corrupt"
    return None


# -- decoding --------------------------------------------------------------------------------
def decode_image(path: str | os.PathLike) -> np.ndarray:
    """Decode an image file to ``uint8 (H, W, 3)`` RGB, upright (EXIF orientation applied)."""
    from PIL import Image, ImageOps

    with Image.open(path) as im:
        im.load()
        upright = ImageOps.exif_transpose(im)
        return _to_rgb(upright if upright is not None else im)


def _to_rgb(im) -> np.ndarray:
    """A Pillow image of any mode -> ``uint8 (H, W, 3)``."""
    from PIL import Image

    if im.mode in _SIXTEEN_BIT_MODES:  # 16-bit grey: scale 0..65535 -> 0..255 (convert clips)
        grey = np.asarray(im).astype(np.float32)
        grey = np.clip(np.rint(grey * (255.0 / 65535.0)), 0, 255).astype(np.uint8)
        return np.repeat(grey[:, :, None], 3, axis=2)
    if im.mode == "F":  # float grey: values taken as 0..255
        grey = np.clip(np.rint(np.asarray(im)), 0, 255).astype(np.uint8)
        return np.repeat(grey[:, :, None], 3, axis=2)
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"))
    return np.asarray(im.convert("RGB"))


def load_image(
    path: str | os.PathLike,
    image_size: tuple[int, int],
    interpolation: str = "bilinear",
    antialias: bool = False,
    crop_to_aspect_ratio: bool = False,
) -> np.ndarray:
    """``decode_image`` then ``resize_image``: ``uint8 (h, w, 3)`` with ``(h, w) = image_size``."""
    image = decode_image(path)
    return resize_image(image, image_size, interpolation, antialias, crop_to_aspect_ratio)


# -- resizing --------------------------------------------------------------------------------
def resize_image(
    image: np.ndarray,
    image_size: tuple[int, int],
    interpolation: str = "bilinear",
    antialias: bool = False,
    crop_to_aspect_ratio: bool = False,
) -> np.ndarray:
    """Resize ``uint8 (H, W, C)`` to ``uint8 (h, w, C)``, rounding to the nearest grey level.

    ``crop_to_aspect_ratio`` first takes the largest centred crop with the aspect ratio of
    ``(h, w)`` (as ``keras.layers.Resizing`` does), so the content is not stretched.
    """
    h, w = image_size
    if crop_to_aspect_ratio:
        image = _centre_crop(image, h / w)
    if image.shape[:2] == (h, w):
        return np.ascontiguousarray(image, dtype=np.uint8)
    out = _resize_axis(image, h, 0, interpolation, antialias)
    out = _resize_axis(out, w, 1, interpolation, antialias)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def _centre_crop(image: np.ndarray, ratio: float) -> np.ndarray:
    """The largest centred crop of ``image`` with height / width = ``ratio`` (Keras' rule)."""
    height, width = image.shape[:2]
    crop_h = max(min(height, int(width * ratio)), 1)
    crop_w = max(min(width, int(height / ratio)), 1)
    top, left = (height - crop_h) // 2, (width - crop_w) // 2
    return image[top : top + crop_h, left : left + crop_w]


def _resize_axis(image: np.ndarray, size: int, axis: int, interpolation: str, antialias: bool):
    """Resample ``image`` along ``axis`` to ``size`` samples (float32, or unchanged if equal)."""
    n_in = image.shape[axis]
    if n_in == size:
        return image
    index, weight = _taps(n_in, size, interpolation, bool(antialias))
    if image.dtype != np.float32 and image.size < _FLOAT_COPY_LIMIT:
        image = image.astype(np.float32)  # one conversion, not one per tap
    shape = [1] * image.ndim
    shape[axis] = size
    out = None
    for k in range(index.shape[1]):
        term = np.take(image, index[:, k], axis=axis).astype(np.float32, copy=False)
        term = term * weight[:, k].reshape(shape)
        out = term if out is None else np.add(out, term, out=out)
    return out


_FLOAT_COPY_LIMIT = 16 * 2**20  # elements; above this (huge photos) convert tap by tap


@lru_cache(maxsize=64)
def _taps(n_in: int, n_out: int, interpolation: str, antialias: bool):
    """Per output sample: ``(index int (n_out, K), weight float32 (n_out, K))``, K minimal."""
    if interpolation == "nearest":
        index = np.floor((np.arange(n_out) + 0.5) * (n_in / n_out)).astype(int)
        return np.minimum(index, n_in - 1)[:, None], np.ones((n_out, 1), dtype=np.float32)
    index, weight = (_area_weights if interpolation == "area" else _kernel_weights)(
        n_in, n_out, interpolation, antialias
    )
    weight[(index < 0) | (index >= n_in)] = 0.0
    total = weight.sum(axis=1, keepdims=True)
    weight = np.divide(weight, total, out=np.zeros_like(weight), where=total != 0)
    # Move the non-zero taps of each row to the front, then drop all-zero columns.
    order = np.argsort(weight == 0, axis=1, kind="stable")
    index = np.take_along_axis(index, order, axis=1)
    weight = np.take_along_axis(weight, order, axis=1)
    keep = max(1, int((weight != 0).sum(axis=1).max()))
    return np.clip(index[:, :keep], 0, n_in - 1), weight[:, :keep].astype(np.float32)


def _kernel_weights(n_in: int, n_out: int, interpolation: str, antialias: bool):
    """Kernel taps at half-pixel centres, the kernel widened by the downscale if antialias."""
    scale = n_in / n_out
    centre = (np.arange(n_out) + 0.5) * scale - 0.5  # in input pixel coordinates
    kernel, support = _KERNELS[interpolation]
    widen = max(scale, 1.0) if antialias else 1.0
    radius = support * widen
    num_taps = int(np.ceil(2 * radius)) + 1
    index = np.floor(centre - radius).astype(int)[:, None] + np.arange(num_taps)[None, :]
    return index, kernel((index - centre[:, None]) / widen)


def _area_weights(n_in: int, n_out: int, interpolation: str, antialias: bool):
    """Exact area overlap of input pixel ``[j, j+1)`` with output pixel ``[i*s, (i+1)*s)``."""
    scale = n_in / n_out
    start = np.arange(n_out) * scale
    num_taps = int(np.ceil(scale)) + 2
    index = np.floor(start).astype(int)[:, None] + np.arange(num_taps)[None, :]
    overlap = np.minimum(index + 1, (start + scale)[:, None]) - np.maximum(index, start[:, None])
    return index, np.maximum(overlap, 0.0)


def _triangle(x: np.ndarray) -> np.ndarray:
    return np.maximum(0.0, 1.0 - np.abs(x))


def _keys_cubic(x: np.ndarray, a: float = -0.5) -> np.ndarray:
    x = np.abs(x)
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return np.where(x <= 1, near, np.where(x < 2, far, 0.0))


def _lanczos(radius: int) -> Callable[[np.ndarray], np.ndarray]:
    def kernel(x: np.ndarray) -> np.ndarray:
        return np.where(np.abs(x) < radius, np.sinc(x) * np.sinc(x / radius), 0.0)

    return kernel


_KERNELS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], float]] = {
    "bilinear": (_triangle, 1.0),
    "bicubic": (_keys_cubic, 2.0),
    "lanczos3": (_lanczos(3), 3.0),
    "lanczos5": (_lanczos(5), 5.0),
}
