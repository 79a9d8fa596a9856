"""Image files to ``uint8 (H, W, 3)`` arrays: validate, decode and resize (Pillow and NumPy).

One decoder and one resizer serve both data paths (``tf.data`` and NumPy), so both give the
same pixels. Decoding applies the EXIF orientation and maps every mode to 8-bit RGB: grey,
palette, CMYK, 16-bit (scaled, not clipped) and alpha (composited over white).

The resize reproduces ``tf.image.resize`` / ``jax.image.resize`` to within one grey level:
half-pixel centres; ``bilinear`` = triangle, ``bicubic`` = Keys a=-0.5, ``lanczos3`` /
``lanczos5``, ``nearest``, ``area`` = exact pixel-area average; weights renormalised at the
borders; with ``antialias`` the kernel is widened by the downscale factor. ``bilinear`` and
``nearest`` (the common case) run in Pillow's C code, the others in NumPy.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from resizer_lib._checks import ALL_RESIZE_MODES, IMAGE_EXTENSIONS

__all__ = [
    "IMAGE_EXTENSIONS",
    "INTERPOLATIONS",
    "check_image_file",
    "check_interpolation",
    "decode_image",
    "load_image",
    "open_rgb",
    "resize_image",
]

INTERPOLATIONS = ALL_RESIZE_MODES

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
    return np.array(open_rgb(path))


def open_rgb(path: str | os.PathLike):
    """The file as an upright Pillow image in mode ``"RGB"`` (pixels loaded, file closed)."""
    from PIL import Image, ImageOps

    with Image.open(path) as im:
        im.load()
        ImageOps.exif_transpose(im, in_place=True)  # no copy when already upright
        return _rgb(im)


def _rgb(im):
    """A Pillow image of any mode -> mode ``"RGB"``."""
    from PIL import Image

    if im.mode in _SIXTEEN_BIT_MODES:  # 16-bit grey: scale 0..65535 -> 0..255 (convert clips)
        grey = np.asarray(im).astype(np.float32) * np.float32(255.0 / 65535.0)
        return _grey_to_rgb(grey)
    if im.mode == "F":  # float grey: values taken as 0..255
        return _grey_to_rgb(np.asarray(im))
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return im if im.mode == "RGB" else im.convert("RGB")


def _grey_to_rgb(grey: np.ndarray):
    from PIL import Image

    grey = np.clip(np.rint(grey), 0, 255).astype(np.uint8)
    return Image.fromarray(np.repeat(grey[:, :, None], 3, axis=2))


def load_image(
    path: str | os.PathLike,
    image_size: tuple[int, int],
    interpolation: str = "bilinear",
    antialias: bool = True,
    crop_to_aspect_ratio: bool = False,
) -> np.ndarray:
    """``decode_image`` then ``resize_image``: ``uint8 (h, w, 3)`` with ``(h, w) = image_size``.

    Stays in Pillow for the ``bilinear`` / ``nearest`` fast path (no extra copies), so the
    array may be read-only: copy it before writing into it.
    """
    h, w = image_size
    picture = open_rgb(path)
    if crop_to_aspect_ratio:
        top, left, crop_h, crop_w = _crop_box(picture.height, picture.width, h / w)
        picture = picture.crop((left, top, left + crop_w, top + crop_h))
    if picture.size == (w, h):
        return np.asarray(picture)
    if interpolation in _PILLOW_FILTERS:
        return np.asarray(_pillow_resize(picture, (h, w), interpolation, antialias))
    return resize_image(np.asarray(picture), image_size, interpolation, antialias)


# -- resizing --------------------------------------------------------------------------------
def resize_image(
    image: np.ndarray,
    image_size: tuple[int, int],
    interpolation: str = "bilinear",
    antialias: bool = True,
    crop_to_aspect_ratio: bool = False,
) -> np.ndarray:
    """Resize ``uint8 (H, W, C)`` to ``uint8 (h, w, C)``, rounding to the nearest grey level.

    ``crop_to_aspect_ratio`` first takes the largest centred crop with the aspect ratio of
    ``(h, w)`` (as ``keras.layers.Resizing`` does), so the content is not stretched.
    """
    h, w = image_size
    if crop_to_aspect_ratio:
        top, left, crop_h, crop_w = _crop_box(image.shape[0], image.shape[1], h / w)
        image = image[top : top + crop_h, left : left + crop_w]
    if image.shape[:2] == (h, w):
        return np.ascontiguousarray(image, dtype=np.uint8)
    if interpolation in _PILLOW_FILTERS and image.dtype == np.uint8 and image.shape[2] == 3:
        from PIL import Image

        resized = _pillow_resize(Image.fromarray(image), (h, w), interpolation, antialias)
        return np.asarray(resized)
    out = _resize_axis(image, h, 0, interpolation, antialias)
    out = _resize_axis(out, w, 1, interpolation, antialias)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def _pillow_resize(picture, size: tuple[int, int], interpolation: str, antialias: bool):
    """The fast path (Pillow's C code, no GIL): equal to ``tf.image.resize`` within 1 level.

    Pillow's ``resize`` widens the kernel when downscaling (= ``antialias=True``); its affine
    ``transform`` samples the same kernel at half-pixel centres without widening
    (= ``antialias=False``).
    """
    from PIL import Image

    h, w = size
    resample = getattr(Image.Resampling, _PILLOW_FILTERS[interpolation])
    if antialias:
        return picture.resize((w, h), resample)
    scale = (picture.width / w, 0.0, 0.0, 0.0, picture.height / h, 0.0)
    return picture.transform((w, h), Image.Transform.AFFINE, scale, resample)


_PILLOW_FILTERS = {"bilinear": "BILINEAR", "nearest": "NEAREST"}


def _crop_box(height: int, width: int, ratio: float) -> tuple[int, int, int, int]:
    """``(top, left, h, w)`` of the largest centred crop with h / w = ``ratio`` (Keras' rule)."""
    crop_h = max(min(height, int(width * ratio)), 1)
    crop_w = max(min(width, int(height / ratio)), 1)
    return (height - crop_h) // 2, (width - crop_w) // 2, crop_h, crop_w


def _resize_axis(image: np.ndarray, size: int, axis: int, interpolation: str, antialias: bool):
    """Resample ``image`` along ``axis`` to ``size`` samples (float32, or unchanged if equal)."""
    n_in = image.shape[axis]
    if n_in == size:
        return image
    index, weight = _taps(n_in, size, interpolation, bool(antialias))
    out_shape = list(image.shape)
    out_shape[axis] = size
    bshape = [1] * image.ndim
    bshape[axis] = size
    out = np.empty(out_shape, dtype=np.float32)
    taken = np.empty(out_shape, dtype=image.dtype)  # reused: few large allocations
    term = np.empty(out_shape, dtype=np.float32) if index.shape[1] > 1 else out
    for k in range(index.shape[1]):
        np.take(image, index[:, k], axis=axis, out=taken, mode="clip")  # indices are in range
        np.multiply(taken, weight[:, k].reshape(bshape), out=out if k == 0 else term)
        if k:
            out += term
    return out


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
