"""Image files to ``uint8 (H, W, 3)``: validate, decode (EXIF orientation; grey, palette, CMYK, 16-bit scaled and
alpha over white, all to 8-bit RGB: one decoder for every loader) and resize within one grey level of
``tf.image.resize`` (``bilinear`` / ``nearest`` in Pillow, the other kernels of ``interpolation`` in NumPy)."""

from __future__ import annotations

import os

import numpy as np

from resizer_lib._checks import IMAGE_EXTENSIONS
from resizer_lib.interpolation import taps

__all__ = ["IMAGE_EXTENSIONS", "check_image_file", "decode_image", "load_image", "open_rgb"]

_PILLOW_FILTERS = {"bilinear": "BILINEAR", "nearest": "NEAREST"}


def check_image_file(path: str | os.PathLike) -> str | None:
    """``None`` if ``path`` decodes (whole file; JPEGs at 1/8 scale, every byte read), else why: ``"empty"``,
    ``"not_an_image"``, ``"too_large"`` (decompression bomb) or ``"corrupt"``."""
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


def decode_image(path: str | os.PathLike) -> np.ndarray:
    """Decode an image file to ``uint8 (H, W, 3)`` RGB, upright (EXIF orientation applied)."""
    return np.array(open_rgb(path))


def open_rgb(path: str | os.PathLike):
    """The file as an upright Pillow image in mode ``"RGB"`` (pixels loaded, file closed)."""
    from PIL import Image, ImageOps

    with Image.open(path) as im:
        im.load()
        ImageOps.exif_transpose(im, in_place=True)  # no copy when already upright
        if im.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):  # grey: 16-bit scaled to 0..255, float as is
            grey = np.asarray(im).astype(np.float32) * np.float32(1.0 if im.mode == "F" else 255.0 / 65535.0)
            grey = np.clip(np.rint(grey), 0, 255).astype(np.uint8)
            return Image.fromarray(np.repeat(grey[:, :, None], 3, axis=2))
        if im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info:  # alpha over white
            rgba = im.convert("RGBA")
            return Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba).convert("RGB")
        return im if im.mode == "RGB" else im.convert("RGB")


def load_image(path: str | os.PathLike, image_size: tuple[int, int], interpolation: str = "bilinear",
               antialias: bool = True, crop_to_aspect_ratio: bool = False) -> np.ndarray:
    """Decode, then resize to ``uint8 (h, w, 3)`` with any of ``interpolations("loading")``, after the largest
    centred crop of the aspect of ``(h, w)`` with ``crop_to_aspect_ratio`` (as ``keras.layers.Resizing``). The
    array may be read-only: copy it before writing."""
    from PIL import Image

    h, w = image_size
    picture = open_rgb(path)
    if crop_to_aspect_ratio:  # Keras' rule: the largest centred crop with height / width = h / w
        crop_h = max(min(picture.height, int(picture.width * (h / w))), 1)
        crop_w = max(min(picture.width, int(picture.height / (h / w))), 1)
        top, left = (picture.height - crop_h) // 2, (picture.width - crop_w) // 2
        picture = picture.crop((left, top, left + crop_w, top + crop_h))
    if picture.size == (w, h):
        return np.asarray(picture)
    if interpolation in _PILLOW_FILTERS:  # Pillow's C code: resize widens the kernel, an affine transform does not
        resample = getattr(Image.Resampling, _PILLOW_FILTERS[interpolation])
        if antialias:
            return np.asarray(picture.resize((w, h), resample))
        scale = (picture.width / w, 0.0, 0.0, 0.0, picture.height / h, 0.0)
        return np.asarray(picture.transform((w, h), Image.Transform.AFFINE, scale, resample))
    out = _resize_axis(np.asarray(picture), h, 0, interpolation, antialias)
    out = _resize_axis(out, w, 1, interpolation, antialias)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def _resize_axis(image: np.ndarray, size: int, axis: int, interpolation: str, antialias: bool):
    """Resample ``image`` along ``axis`` to ``size`` samples with ``interpolation.taps`` (float32, or unchanged if
    equal)."""
    n_in = image.shape[axis]
    if n_in == size:
        return image
    index, weight = taps(n_in, size, interpolation, bool(antialias))
    weight = weight.astype(np.float32)
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
