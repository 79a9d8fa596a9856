"""Decoding awkward files, validating bad ones, and the NumPy resize against Keras/TF."""

import keras
import numpy as np
import pytest
from data_fixtures import write_bad_files, write_good_images
from PIL import Image

from resizer_lib.data.imaging import (
    INTERPOLATIONS,
    check_image_file,
    check_interpolation,
    decode_image,
    load_image,
    resize_image,
)


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    folder = tmp_path_factory.mktemp("good")
    return folder, write_good_images(folder)


@pytest.mark.multibackend
def test_every_awkward_kind_decodes_to_the_right_rgb(good):
    folder, expected = good
    for name, rgb in expected.items():
        assert check_image_file(folder / name) is None, name
        image = load_image(folder / name, (8, 8))
        assert image.shape == (8, 8, 3) and image.dtype == np.uint8, name
        error = np.abs(image.astype(int) - np.array(rgb)).max()
        assert error <= 3, (name, image[0, 0], rgb)


@pytest.mark.multibackend
def test_bad_files_get_their_reason(tmp_path):
    reasons = write_bad_files(tmp_path)
    for name in ("empty.jpg", "text.jpg", "truncated.jpg"):
        assert check_image_file(tmp_path / name) == reasons[name]


@pytest.mark.multibackend
def test_exif_orientation_is_applied(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    Image.new("RGB", (40, 20), (0, 200, 0)).save(tmp_path / "sideways.jpg", exif=exif)
    assert decode_image(tmp_path / "sideways.jpg").shape == (40, 20, 3)


@pytest.mark.multibackend
@pytest.mark.parametrize("antialias", [False, True])
def test_resize_matches_keras_ops_bilinear(antialias):
    image = np.random.default_rng(0).integers(0, 256, (37, 53, 3), dtype=np.uint8)
    for size in [(18, 26), (20, 71), (74, 106)]:
        ours = resize_image(image, size, antialias=antialias).astype(int)
        ref = keras.ops.image.resize(
            image.astype("float32"), size, interpolation="bilinear", antialias=antialias
        )
        ref = np.clip(np.rint(keras.ops.convert_to_numpy(ref)), 0, 255)
        assert np.abs(ours - ref).max() <= 1, size


@pytest.mark.multibackend
@pytest.mark.parametrize("interpolation", ["bilinear", "bicubic"])
def test_load_image_equals_decode_then_resize(good, interpolation):
    folder, _ = good
    for name in ("rgb.jpg", "cmyk.jpg", "one_pixel.png"):
        for antialias in (False, True):
            for crop in (False, True):
                args = ((9, 13), interpolation, antialias, crop)
                direct = load_image(folder / name, *args)
                np.testing.assert_array_equal(
                    direct, resize_image(decode_image(folder / name), *args)
                )


@pytest.mark.parametrize("interpolation", INTERPOLATIONS)
@pytest.mark.parametrize("antialias", [False, True])
def test_resize_matches_tf_image_resize(interpolation, antialias):
    tf = pytest.importorskip("tensorflow")
    image = np.random.default_rng(1).integers(0, 256, (37, 53, 3), dtype=np.uint8)
    for size in [(17, 20), (80, 101), (37, 25), (1, 1)]:
        ours = resize_image(image, size, interpolation, antialias).astype(int)
        ref = tf.image.resize(image, size, method=interpolation, antialias=antialias).numpy()
        assert np.abs(ours - np.clip(np.rint(ref), 0, 255)).max() <= 1, size


@pytest.mark.multibackend
def test_crop_to_aspect_ratio_keeps_the_centre():
    image = np.zeros((10, 30, 3), dtype=np.uint8)
    image[:, 10:20] = 255  # a white centre square between black side bands
    assert resize_image(image, (5, 5), crop_to_aspect_ratio=True).min() == 255
    assert resize_image(image, (5, 5)).min() == 0  # squeezed: the bands stay


@pytest.mark.multibackend
def test_unknown_interpolation_is_refused():
    with pytest.raises(ValueError, match="'cubic'"):
        check_interpolation("cubic")


@pytest.mark.parametrize("mode", ["RGBA", "LA", "I;16", "P-transparent"])
def test_every_loader_decodes_to_the_same_pixels(tmp_path, mode):
    """``imaging.decode_image`` (what training reads) and ``sample_images.load_image_file``
    (what the figures and widgets read) used to disagree: the latter dropped alpha and clipped
    16-bit images. They now share one decoder: transparency over white, 16-bit scaled."""
    from PIL import Image

    from resizer_lib.data.imaging import decode_image
    from resizer_lib.data.sample_images import load_image_file

    rng = np.random.default_rng(0)
    if mode == "I;16":
        im = Image.fromarray(rng.integers(0, 65536, (6, 5), dtype=np.uint16))
    elif mode == "P-transparent":
        im = Image.fromarray(rng.integers(0, 4, (6, 5), dtype=np.uint8), mode="P")
        im.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255])
        im.info["transparency"] = 1
    else:
        channels = 4 if mode == "RGBA" else 2
        im = Image.fromarray(rng.integers(0, 256, (6, 5, channels), dtype=np.uint8), mode=mode)
    path = tmp_path / "picture.png"
    im.save(path, **({"transparency": 1} if mode == "P-transparent" else {}))
    ours = decode_image(path)
    np.testing.assert_array_equal(load_image_file(path), ours)
    assert ours.dtype == np.uint8 and ours.shape == (6, 5, 3)
    if mode == "RGBA":  # a fully transparent pixel is white, not its hidden colour
        rgba = np.asarray(im).copy()
        rgba[0, 0] = [10, 20, 30, 0]
        Image.fromarray(rgba, "RGBA").save(path)
        assert decode_image(path)[0, 0].tolist() == [255, 255, 255] == load_image_file(path)[0, 0].tolist()
