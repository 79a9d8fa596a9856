"""``resizer_lib.data.folder`` (through ``load_dataset``): scanning and validating image folders."""

import logging

import numpy as np
import pytest
from data_fixtures import SIZE, tf_arrays, write_small_class  # noqa: E402, F401

from resizer_lib.data import load_dataset
from resizer_lib.data.folder import scan_folder


@pytest.mark.multibackend
def test_folder_numpy_counts_every_skipped_file_exactly(messy, caplog):
    root, n_good, _ = messy
    with caplog.at_level(logging.WARNING, logger="resizer_lib.data"):
        d = load_dataset(root, image_size=SIZE, backend="numpy")
    assert d.class_names == ["cat", "dog"]
    assert d.counts == {
        "train": n_good + 5,
        "val": 5,
        "found": {"train": n_good + 5, "val": 5},
        "skipped": {
            "train": {"corrupt": 1, "empty": 1, "not_an_image": 1, "not_an_image_file": 2},
            "val": {"corrupt": 1},
        },
    }
    images, labels = d.train
    assert images.shape == (n_good + 5, *SIZE, 3) and images.dtype == np.uint8
    assert labels.dtype == np.int32 and sorted(set(labels.tolist())) == [0, 1]
    lines = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert len(lines) == 2  # ONE line per split with bad image files
    assert "3 unreadable" in lines[0] and "corrupt: 1" in lines[0]


@pytest.mark.multibackend
def test_class_folders_split_by_fraction_and_seed(classes_only):
    split = {"val_fraction": 0.3}
    a = load_dataset(classes_only, image_size=SIZE, backend="numpy", seed=1, options=split)
    b = load_dataset(classes_only, image_size=SIZE, backend="numpy", seed=1, options=split)
    c = load_dataset(classes_only, image_size=SIZE, backend="numpy", seed=2, options=split)
    assert a.class_names == ["apple", "pear"]
    assert (a.counts["train"], a.counts["val"]) == (14, 6)
    assert np.bincount(a.val[1]).tolist() == [3, 3]  # stratified per class
    np.testing.assert_array_equal(a.val[0], b.val[0])
    assert not np.array_equal(
        np.sort(a.val[0].sum(axis=(1, 2, 3))), np.sort(c.val[0].sum(axis=(1, 2, 3)))
    )


@pytest.mark.multibackend
def test_train_folder_without_val_is_split(tmp_path):
    write_small_class(tmp_path / "train" / "a", (10, 10, 10), 5)
    write_small_class(tmp_path / "train" / "b", (99, 99, 99), 5)
    d = load_dataset(tmp_path, image_size=SIZE, backend="numpy")
    assert d.class_names == ["a", "b"] and (d.counts["train"], d.counts["val"]) == (8, 2)


@pytest.mark.multibackend
def test_bad_folders_raise_value_error_naming_the_path(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(ValueError, match="nowhere"):
        load_dataset(missing, backend="numpy")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="no class subfolders"):
        load_dataset(empty, backend="numpy")
    single = tmp_path / "single"
    write_small_class(single / "cat", (1, 2, 3), 3)
    with pytest.raises(ValueError, match=r"only \['cat'\]"):
        load_dataset(single, backend="numpy")
    hollow = tmp_path / "hollow"
    (hollow / "a").mkdir(parents=True)
    (hollow / "b").mkdir()
    (hollow / "b" / "readme.txt").write_text("no images here")
    with pytest.raises(ValueError, match="No readable images"):
        load_dataset(hollow, backend="numpy")
    mismatched = tmp_path / "mismatched"
    write_small_class(mismatched / "train" / "a", (1, 2, 3), 2)
    write_small_class(mismatched / "train" / "b", (1, 2, 3), 2)
    write_small_class(mismatched / "val" / "a", (1, 2, 3), 2)
    write_small_class(mismatched / "val" / "c", (1, 2, 3), 2)
    with pytest.raises(ValueError, match="differ"):
        load_dataset(mismatched, backend="numpy")
    with pytest.raises(ValueError, match="val_fraction"):
        load_dataset(single, backend="numpy", options={"val_fraction": 1.5})
    lopsided = tmp_path / "lopsided"
    write_small_class(lopsided / "train" / "a", (1, 2, 3), 2)
    (lopsided / "train" / "b").mkdir()
    (lopsided / "train" / "b" / "broken.jpg").write_bytes(b"\xff\xd8 not a jpeg")
    write_small_class(lopsided / "val" / "a", (1, 2, 3), 1)
    write_small_class(lopsided / "val" / "b", (1, 2, 3), 1)
    with pytest.raises(ValueError, match=r"of class \['b'\] for the 'train' split.*(corrupt|not_an_image): 1"):
        load_dataset(lopsided, backend="numpy")


@pytest.mark.multibackend
def test_scan_folder_directly(classes_only):
    scan = scan_folder(classes_only, val_fraction=0.5, seed=0)
    assert scan.class_names == ["apple", "pear"] and len(scan.splits["val"].paths) == 10
    with pytest.raises(ValueError, match="val_fraction"):
        scan_folder(classes_only, val_fraction=0)
