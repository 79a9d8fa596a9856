"""Decoding awkward files, validating bad ones, cropping; the resize itself: test_interpolation."""

import numpy as np
import pytest
from data_fixtures import write_bad_files, write_good_images
from PIL import Image

from resizer_lib.data.imaging import check_image_file, decode_image, load_image


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
def test_crop_to_aspect_ratio_keeps_the_centre(tmp_path):
    image = np.zeros((10, 30, 3), dtype=np.uint8)
    image[:, 10:20] = 255  # a white centre square between black side bands
    Image.fromarray(image).save(tmp_path / "bands.png")
    assert load_image(tmp_path / "bands.png", (5, 5), crop_to_aspect_ratio=True).min() == 255
    assert load_image(tmp_path / "bands.png", (5, 5)).min() == 0  # squeezed: the bands stay


@pytest.mark.multibackend
def test_unknown_interpolation_is_refused(tmp_path):
    Image.new("RGB", (4, 4)).save(tmp_path / "x.png")
    with pytest.raises(ValueError, match="'cubic'"):
        load_image(tmp_path / "x.png", (2, 2), "cubic")


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
