"""Image files for the data-layer tests: every awkward kind, written into a temporary folder."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
PHOTOS = SHARED / "cats_vs_dogs"


def solid(mode: str, size: tuple[int, int], colour) -> Image.Image:
    """A solid Pillow image; ``size`` is (width, height) as Pillow wants."""
    return Image.new(mode, size, colour)


def write_png16_rgb(path: Path, value: int, size: tuple[int, int] = (6, 4)) -> None:
    """A 16-bit-per-channel RGB PNG (Pillow cannot write one), every sample = ``value``."""
    w, h = size
    row = b"\x00" + struct.pack(">H", value) * (3 * w)

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * h)) + chunk(b"IEND", b"")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body)


def write_good_images(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every decodable awkward kind; returns file name -> expected RGB of its (solid) pixels."""
    folder.mkdir(parents=True, exist_ok=True)
    solid("RGB", (40, 30), (200, 30, 40)).save(folder / "rgb.jpg", quality=95)
    solid("CMYK", (40, 30), (0, 255, 255, 0)).save(folder / "cmyk.jpg", quality=95)
    solid("L", (40, 30), 100).save(folder / "grey.jpg", quality=95)
    solid("RGBA", (40, 30), (255, 0, 0, 0)).save(folder / "transparent.png")  # -> white
    Image.fromarray(np.full((30, 40), 128 * 257, dtype=np.uint16)).save(folder / "grey16.png")
    write_png16_rgb(folder / "rgb16.png", 0x4000)  # 16384 / 257 = 63.75
    solid("RGB", (1, 1), (10, 20, 30)).save(folder / "one_pixel.png")
    solid("RGB", (6000, 4000), (20, 40, 220)).save(folder / "huge.jpg", quality=80)
    solid("P", (40, 30), 0).save(folder / "palette.gif")
    return {
        "rgb.jpg": (200, 30, 40),
        "cmyk.jpg": (255, 0, 0),
        "grey.jpg": (100, 100, 100),
        "transparent.png": (255, 255, 255),
        "grey16.png": (128, 128, 128),
        "rgb16.png": (64, 64, 64),
        "one_pixel.png": (10, 20, 30),
        "huge.jpg": (20, 40, 220),
        "palette.gif": (0, 0, 0),
    }


def write_bad_files(folder: Path) -> dict[str, str]:
    """Files that must be skipped; returns file name -> expected reason."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "text.jpg").write_text("this is not a JPEG\n")
    solid("RGB", (64, 48), (1, 2, 3)).save(folder / "whole.jpg")
    data = (folder / "whole.jpg").read_bytes()
    (folder / "whole.jpg").unlink()
    (folder / "truncated.jpg").write_bytes(data[: len(data) // 2])
    (folder / "notes.txt").write_text("labels were checked by hand\n")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    return {
        "empty.jpg": "empty",
        "text.jpg": "not_an_image",
        "truncated.jpg": "corrupt",
        "notes.txt": "not_an_image_file",
        ".DS_Store": "not_an_image_file",
    }


def write_small_class(folder: Path, colour, count: int, size=(20, 16)) -> None:
    """``count`` small PNGs of one colour, slightly varied so that they differ."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        shade = tuple(int(c + i) % 256 for c in colour)
        solid("RGB", size, shade).save(folder / f"img_{i:03d}.png")


SIZE = (12, 16)  # the image size the data tests load at


def tf_arrays(dataset):
    """Concatenate a tf.data dataset of (images, labels) batches into two NumPy arrays."""
    xs, ys = zip(*dataset.as_numpy_iterator(), strict=True)
    return np.concatenate(xs), np.concatenate(ys)

def tiny_data(n_train=48, n_val=16, size=16, seed=0):
    """Random images whose class is the brightness of the left half: learnable in a few steps."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 200, size=(n_train + n_val, size, size, 3), dtype=np.uint8)
    y = rng.integers(0, 2, size=n_train + n_val)
    x[y == 1, :, : size // 2] += 55
    return {"x_train": x[:n_train], "y_train": y[:n_train], "x_val": x[n_train:],
            "y_val": y[n_train:], "class_names": ["dark", "bright"], "counts": {}, "source": "tiny"}
