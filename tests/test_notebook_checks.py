"""Checks that used to run inside the notebooks but test the course's plumbing, not a fact a
learner needs: lesson 10's resize explorer driven from code, and the figures it draws.

They run the library functions the notebook calls, on the notebook's kind of inputs (the
synthetic picture pair and the package photos), with a small untrained resizer, so they take
seconds and need no trained model.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from resizer_lib.data.sample_images import SAMPLE_NAMES, load_sample  # noqa: E402
from resizer_lib.data.synthetic import SYNTHETIC_CLASS_NAMES, synthetic_image  # noqa: E402
from resizer_lib.models.resizer import build_resizer  # noqa: E402
from resizer_lib.viz.widgets import FILE_OPTION, resize_explorer, static_explorer  # noqa: E402

INPUT, TARGET = (32, 32), (16, 16)  # the smoke profile's sizes in lesson 10


@pytest.fixture(scope="module")
def resizer():
    """An untrained resizer ``(B, 32, 32, 3) -> (B, 16, 16, 3)``, standing in for the trained one."""
    return build_resizer(TARGET, filters=4)


@pytest.fixture(scope="module")
def pair() -> np.ndarray:
    """``uint8 (2, 32, 32, 3)``: picture 7 with vertical, then horizontal stripes (as in 07)."""
    return np.stack([synthetic_image(7, INPUT, label=k) for k in (0, 1)])


@pytest.fixture(scope="module")
def explorer_images(pair) -> dict:
    """Notebook 07's ``EXPLORER_IMAGES``: the synthetic pair, then the package photos by name."""
    images = {f"synthetic {name} ({INPUT[0]}x{INPUT[1]})": pair[k]
              for k, name in enumerate(SYNTHETIC_CLASS_NAMES)}
    images.update({name: name for name in SAMPLE_NAMES})
    return images


def test_the_explorer_driven_from_code(resizer, pair, explorer_images):
    """What lesson 10's hidden explorer checked: the learned view shows the resizer's output,
    each control change renders once, and a missing file gives a message, not a crash."""
    app = resize_explorer(resizer, images=explorer_images, size=64)
    app.controls["image"].value = next(iter(explorer_images))
    assert app.error is None and app.controls["size"].disabled  # learned: the model fixes the size
    expected = np.asarray(resizer(pair[:1].astype("float32") / 255.0, training=False))[0]
    np.testing.assert_allclose(app.result["learned"], expected, atol=1e-5)
    renders = app.renders
    app.controls["resizer"].value = "naive"
    app.controls["interpolation"].value = "bicubic"
    app.controls["size"].value = 20
    assert app.error is None and app.renders == renders + 3
    assert app.result["naive"].shape == (20, 20, 3) and "learned" not in app.result
    assert "bicubic" in app.status.value
    app.controls["path"].value = "no/such/file.jpg"
    app.controls["image"].value = FILE_OPTION
    assert app.error is not None and "No such image file" in app.error


def test_static_explorer_figures_have_five_panels_and_a_colour_bar(resizer, explorer_images, tmp_path):
    """The static fallback of lesson 10, and its exercise 3 (a file on disk), naive and learned."""
    first = next(iter(explorer_images))
    learned = static_explorer(first, interpolation="bilinear", resizer_model=resizer,
                              images=explorer_images)
    path = tmp_path / "my_photo.png"
    Image.fromarray(load_sample("coffee")).save(path)
    naive = static_explorer(str(path), interpolation="bicubic", size=48)
    from_file = static_explorer(str(path), resizer_model=resizer)
    assert len(learned.axes) == len(naive.axes) == len(from_file.axes) == 6
    assert naive.axes[1].get_title().endswith("48x48")
