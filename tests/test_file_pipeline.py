"""The teaching tf.data pipeline: files to batches, what cache changes, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from resizer_lib.data.file_pipeline import (
    DecodeCounter,
    files_dataset,
    list_image_files,
    time_epochs,
    write_image_folder,
)

pytest.importorskip("tensorflow")


@pytest.fixture
def folder(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(6, 10, 14, 3), dtype=np.uint8)
    labels = np.array([0, 1, 0, 1, 1, 1])
    write_image_folder(images, labels, ["cat", "dog"], tmp_path)
    (tmp_path / "dog" / "notes.txt").write_text("not an image")
    return tmp_path, images, labels


def test_write_and_list_round_trip(folder):
    root, images, labels = folder
    paths, found, classes = list_image_files(root)
    assert classes == ["cat", "dog"] and len(paths) == 6
    np.testing.assert_array_equal(found, np.sort(labels))
    assert list_image_files(root, limit_per_class=1)[1].tolist() == [0, 1]


def test_files_dataset_batches_and_pixels(folder):
    root, images, _ = folder
    paths, labels, _ = list_image_files(root)
    ds = files_dataset(paths, labels, (10, 14), batch_size=4, prefetch=False)
    batches = list(ds.as_numpy_iterator())
    assert [b[0].shape for b in batches] == [(4, 10, 14, 3), (2, 10, 14, 3)]
    assert batches[0][0].dtype == np.uint8 and batches[0][1].dtype == np.int32
    first = paths[0].split("_")[-1].split(".")[0]  # PNG is lossless: pixels come back exactly
    np.testing.assert_array_equal(batches[0][0][0], images[int(first)])


def test_cache_decodes_each_file_once(folder):
    paths, labels, _ = list_image_files(folder[0])
    for cache, expected in ((False, 18), (True, 6)):
        counter = DecodeCounter()
        ds = files_dataset(paths, labels, 8, 4, cache=cache, shuffle_seed=0, counter=counter)
        times = time_epochs(ds, epochs=3)
        assert len(times) == 3 and counter.count == expected


def test_bad_input(tmp_path, folder):
    with pytest.raises(ValueError, match="two class subfolders"):
        list_image_files(tmp_path / "cat")
    with pytest.raises(ValueError, match="not a folder"):
        list_image_files(tmp_path / "missing")
    with pytest.raises(ValueError, match="uint8"):
        write_image_folder(np.zeros((1, 4, 4, 3)), [0], ["a"], tmp_path)
    with pytest.raises(ValueError, match="one label per path"):
        files_dataset(["a.png"], [0, 1], 8)
    with pytest.raises(ValueError, match="image_size"):
        files_dataset(["a.png"], [0], 0)
    with pytest.raises(ValueError, match="epochs"):
        time_epochs([], epochs=0)
