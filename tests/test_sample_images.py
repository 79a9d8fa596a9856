"""``resizer_lib.data.sample_images``: packaged photos and the licensed ones beside the checkout."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from resizer_lib.data import sample_images  # noqa: E402

pytestmark = pytest.mark.multibackend
IS_TF = keras.backend.backend() == "tensorflow"



# -- the licensed photos next to the checkout -------------------------------------------------
def test_shared_photo_paths_alternate_classes_or_are_empty(monkeypatch, tmp_path):
    root = tmp_path / "shared" / "datasets" / "toy"
    for cls in ("cat", "dog"):
        (root / "val" / cls).mkdir(parents=True)
        for i in range(3):
            (root / "val" / cls / f"{cls}_{i}.jpg").write_bytes(b"")
    (root / "val" / "cat" / "notes.txt").write_text("x")
    work = tmp_path / "course"
    work.mkdir()
    monkeypatch.chdir(work)
    paths = sample_images.shared_photo_paths(5, name="toy")
    assert [p.name for p in paths] == ["cat_0.jpg", "dog_0.jpg", "cat_1.jpg", "dog_1.jpg", "cat_2.jpg"]
    assert sample_images.shared_photo_paths(3, split="train", name="toy") == []
    assert sample_images.shared_photo_paths(2, name="absent_folder_name") == []
    with pytest.raises(ValueError, match="split"):
        sample_images.shared_photo_paths(2, split="test", name="toy")
    with pytest.raises(ValueError, match="count"):
        sample_images.shared_photo_paths(-1, name="toy")


def test_shared_photos_when_present():
    folder = sample_images.shared_photos_dir()
    if folder is None:
        pytest.skip("real photos not available next to the checkout (never shipped with the repo)")
    paths = sample_images.shared_photo_paths(2)
    assert [p.parent.name for p in paths] == ["cat", "dog"]
    image = sample_images.load_image_file(paths[0], max_side=128)
    assert image.dtype == np.uint8 and max(image.shape[:2]) == 128
