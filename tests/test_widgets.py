"""Tests of resizer_lib.viz.widgets (the resize explorer) and resizer_lib.data.sample_images."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from resizer_lib.data.sample_images import (  # noqa: E402
    SAMPLE_NAMES,
    load_image_file,
    load_sample,
    to_rgb_uint8,
)
from resizer_lib.interpolation import interpolations  # noqa: E402
from resizer_lib.models.resizer import build_resizer  # noqa: E402
from resizer_lib.viz import widgets  # noqa: E402

pytestmark = pytest.mark.multibackend
HAS_SKLEARN = importlib.util.find_spec("sklearn") is not None
PHOTOS = Path(__file__).resolve().parents[1].parent / "shared/datasets" / "cats_vs_dogs"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def images() -> dict[str, np.ndarray]:
    y, x = np.mgrid[0:48, 0:56]
    checker = ((x // 2 + y // 2) % 2 * 255).astype(np.uint8)
    smooth = (np.stack([x / 55, y / 47, 0.5 + 0 * x], -1) * 255).astype(np.uint8)
    return {"checker": np.stack([checker] * 3, -1), "smooth": smooth}


@pytest.fixture(scope="module")
def resizer_model():
    return build_resizer((16, 16), filters=4)


# -- package photos and files -----------------------------------------------------------------
def test_every_sample_loads_as_rgb_uint8():
    assert {"astronaut", "coffee", "chelsea", "rocket", "camera"} <= set(SAMPLE_NAMES)
    for name in SAMPLE_NAMES:
        image = load_sample(name)
        assert image.dtype == np.uint8 and image.ndim == 3 and image.shape[-1] == 3, name
        assert min(image.shape[:2]) >= 100 and image.std() > 10, name
    camera = load_sample("camera")  # grey -> three equal channels
    np.testing.assert_array_equal(camera[..., 0], camera[..., 2])


def test_load_sample_unknown():
    with pytest.raises(ValueError, match=r"Unknown sample image 'lena'.*astronaut"):
        load_sample("lena")


@pytest.mark.skipif(HAS_SKLEARN, reason="scikit-learn is installed: its samples load")
def test_sklearn_sample_without_sklearn():
    with pytest.raises(ValueError, match="install scikit-learn"):
        load_sample("china")


def test_to_rgb_uint8_conversions():
    assert to_rgb_uint8(np.zeros((4, 5))).shape == (4, 5, 3)
    rgba = np.full((2, 2, 4), 7, dtype=np.uint8)
    assert to_rgb_uint8(rgba).shape == (2, 2, 3)
    np.testing.assert_array_equal(to_rgb_uint8(np.array([[0.0, 0.5, 2.0]])), [[[0] * 3, [128] * 3, [255] * 3]])
    with pytest.raises(ValueError, match=r"shape \(2, 2, 5\)"):
        to_rgb_uint8(np.zeros((2, 2, 5)))


@pytest.mark.parametrize("mode", ["RGB", "L", "RGBA", "P", "I;16"])
def test_load_image_file_modes(tmp_path, mode):
    array = np.random.default_rng(0).integers(0, 255, size=(20, 30, 3), dtype=np.uint8)
    img = Image.fromarray(array)
    if mode == "I;16":
        img = Image.fromarray(array[..., 0].astype(np.uint16) * 257)
    else:
        img = img.convert(mode)
    path = tmp_path / "image.png"
    img.save(path)
    out = load_image_file(path)
    assert out.shape == (20, 30, 3) and out.dtype == np.uint8
    if mode == "RGB":
        np.testing.assert_array_equal(out, array)
    if mode == "I;16":
        np.testing.assert_array_equal(out[..., 0], array[..., 0])
    assert load_image_file(str(path), max_side=15).shape[:2] == (10, 15)


def test_load_image_file_errors(tmp_path):
    with pytest.raises(ValueError, match="No such image file"):
        load_image_file(tmp_path / "missing.jpg")
    with pytest.raises(ValueError, match="is a folder"):
        load_image_file(tmp_path)
    fake = tmp_path / "notes.jpg"
    fake.write_text("not an image")
    with pytest.raises(ValueError, match="not a readable image"):
        load_image_file(fake)
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="not a readable image"):
        load_image_file(empty)
    Image.new("RGB", (4, 4)).save(tmp_path / "ok.png")
    with pytest.raises(ValueError, match="max_side"):
        load_image_file(tmp_path / "ok.png", max_side=0)


@pytest.mark.photos
@pytest.mark.skipif(not PHOTOS.is_dir(), reason="../shared/datasets/cats_vs_dogs is absent")
def test_load_image_file_real_photo():
    path = next((PHOTOS / "val" / "cat").glob("*.jpg"))
    image = load_image_file(path)
    assert image.dtype == np.uint8 and image.shape[-1] == 3 and min(image.shape[:2]) == 300


# -- the pure functions ----------------------------------------------------------------------
def test_explorer_result_and_render(images, resizer_model):
    naive = widgets.explorer_result(images["checker"], "nearest", 20)
    assert naive["naive"].shape == (20, 20, 3) and "reference" in naive
    learned = widgets.explorer_result(images["checker"], "bilinear", 99, True, True, resizer_model)
    assert learned["learned"].shape == (16, 16, 3)  # the model's size wins over `size`
    fig = widgets.render(images["smooth"], "bicubic", 12)
    assert len(fig.get_axes()) == 6
    with pytest.raises(ValueError, match="use_learned=True needs a resizer_model"):
        widgets.explorer_result(images["checker"], use_learned=True)


def test_static_explorer(images, tmp_path):
    fig = widgets.static_explorer("chelsea", "area" if "area" in interpolations("figure") else "nearest", 32)
    assert fig.get_axes()[0].get_title() == "input 300x451"
    Image.fromarray(images["smooth"]).save(tmp_path / "mine.png")
    fig = widgets.static_explorer(str(tmp_path / "mine.png"), size=10)
    assert fig.get_axes()[1].get_title().endswith("10x10")
    fig = widgets.static_explorer("checker", images=images, size=8)
    assert fig.get_axes()[0].get_title() == "input 48x56"


def test_resolve_image(images, tmp_path):
    assert widgets.resolve_image("coffee").shape == (400, 600, 3)
    assert widgets.resolve_image("smooth", images=images) is not None
    with pytest.raises(ValueError, match="Type the path"):
        widgets.resolve_image(widgets.FILE_OPTION, "  ")
    with pytest.raises(ValueError, match=r"Unknown image 'nope'.*astronaut"):
        widgets.resolve_image("nope")


def test_enable_colab_widgets_outside_colab():
    assert widgets.enable_colab_widgets() is False


@pytest.mark.parametrize(("version", "enabled"), [("8.1.9", True), ("7.7.1", False)])
def test_in_colab_only_ipywidgets_8_get_the_custom_manager(monkeypatch, fake_colab, version, enabled):
    """Colab renders its own ipywidgets 7 natively; ipywidgets 8 need its custom manager."""
    monkeypatch.setattr(ipywidgets, "__version__", version)
    assert widgets.enable_colab_widgets() is enabled and fake_colab == (["on"] if enabled else [])


# -- the app -----------------------------------------------------------------------------------
def test_app_controls(images):
    app = widgets.resize_explorer(images=images, size=24)
    assert isinstance(app, ipywidgets.VBox)
    c = app.controls
    assert set(c) == {"image", "path", "interpolation", "size", "antialias", "resizer"}
    assert list(c["interpolation"].options) == list(interpolations("figure"))
    assert list(c["image"].options) == ["checker", "smooth", widgets.FILE_OPTION]
    assert c["size"].continuous_update is False and c["path"].continuous_update is False
    assert c["resizer"].disabled and c["resizer"].value == "naive"  # no model: naive only
    assert app.renders == 1 and app.result["naive"].shape == (24, 24, 3)
    assert app.output.layout.height == "380px"
    assert app.output in app.children


def test_app_value_changes_rerender(images):
    app = widgets.resize_explorer(images=images, size=24)
    c = app.controls
    first = app.result["naive"].copy()
    np.testing.assert_array_equal(app.result["difference"], 0.0)  # bilinear vs bilinear
    c["interpolation"].value = "nearest"
    assert app.renders == 2 and not np.allclose(app.result["naive"], first)
    assert np.abs(app.result["difference"]).max() > 0
    c["size"].value = 12
    assert app.result["naive"].shape == (12, 12, 3)
    c["interpolation"].value = "bilinear"
    before = app.result["naive"].copy()
    c["antialias"].value = True
    assert not np.allclose(app.result["naive"], before)
    c["image"].value = "smooth"
    assert app.result["input"].shape == (48, 56, 3) and app.renders == 6
    assert plt.get_fignums() == []  # every rendered figure was closed


def test_app_file_choice(images, tmp_path):
    app = widgets.resize_explorer(images=images)
    c = app.controls
    assert c["path"].disabled
    c["image"].value = widgets.FILE_OPTION
    assert not c["path"].disabled and "Type the path" in app.error
    c["path"].value = str(tmp_path / "missing.png")
    assert "No such image file" in app.error and "No such image file" in app.status.value
    Image.fromarray(images["smooth"][:30]).save(tmp_path / "mine.png")
    c["path"].value = str(tmp_path / "mine.png")
    assert app.error is None and app.result["input"].shape == (30, 56, 3)


def test_app_learned_mode(images, resizer_model):
    app = widgets.resize_explorer(resizer_model, images=images, size=24)
    c = app.controls
    assert not c["resizer"].disabled and c["resizer"].value == "learned"
    assert c["size"].disabled and app.result["learned"].shape == (16, 16, 3)
    learned_diff = app.result["difference"].copy()
    c["resizer"].value = "naive"
    assert not c["size"].disabled and "learned" not in app.result
    assert app.result["naive"].shape == (24, 24, 3)
    c["resizer"].value = "learned"
    c["interpolation"].value = "nearest"  # the naive side of the comparison changes
    assert not np.allclose(app.result["difference"], learned_diff)


def test_default_app_uses_package_photos():
    app = widgets.resize_explorer()
    options = list(app.controls["image"].options)
    assert options[: len(SAMPLE_NAMES)] == list(SAMPLE_NAMES) and options[-1] == widgets.FILE_OPTION
    assert app.controls["image"].value == "chelsea" and app.result["input"].shape == (300, 451, 3)


def test_app_synthetic_images():
    pytest.importorskip("resizer_lib.data.synthetic", reason="resizer_lib.data.synthetic not written yet")
    names = [n for n in widgets.default_image_names() if n.startswith(widgets.SYNTHETIC_PREFIX)]
    assert len(names) >= 2
    app = widgets.resize_explorer(images=names, size=16)
    app.controls["image"].value = names[1]
    assert app.error is None and app.result["input"].ndim == 3


@pytest.mark.parametrize(
    "images, match",
    [([], "non-empty"), ("astronaut", "non-empty"), (["astronaut", "lena"], r"Unknown image names \['lena'\]")],
)
def test_app_bad_images(images, match):
    with pytest.raises(ValueError, match=match):
        widgets.resize_explorer(images=images)


def test_app_images_dict_may_hold_names_and_paths(images, tmp_path):
    file = tmp_path / "photo.png"
    Image.fromarray(images["smooth"]).save(file)
    lazy = {"mine": images["checker"], "cat": "chelsea", "from a path": file}
    assert widgets.resolve_image("cat", images=lazy).shape == (300, 451, 3)
    app = widgets.resize_explorer(images=lazy, size=16)
    app.controls["image"].value = "from a path"
    assert app.error is None and app.result["input"].shape == (48, 56, 3)
    app.controls["image"].value = "cat"
    assert app.error is None and app.result["input"].shape == (300, 451, 3)


def test_app_can_open_on_the_naive_view_with_a_model(images, resizer_model):
    app = widgets.resize_explorer(resizer_model, images=images, size=20, mode="naive")
    assert app.controls["resizer"].value == "naive" and not app.controls["size"].disabled
    assert "learned" not in app.result and app.result["naive"].shape == (20, 20, 3)
    app.controls["resizer"].value = "learned"
    assert app.controls["size"].disabled and app.result["learned"].shape == (16, 16, 3)
    with pytest.raises(ValueError, match="mode must be"):
        widgets.resize_explorer(resizer_model, images=images, mode="bilinear")
    with pytest.raises(ValueError, match="needs a resizer_model"):
        widgets.resize_explorer(images=images, mode="learned")
