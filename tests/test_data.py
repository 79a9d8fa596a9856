"""``resizer_lib.data``: folders (with every bad file), synthetic, TFDS (mocked), real photos."""

import logging
import time

import keras
import numpy as np
import pytest
from data_fixtures import PHOTOS, write_bad_files, write_good_images, write_small_class
from PIL import Image

from resizer_lib.data import (
    DataSplits,
    load_dataset,
    one_hot,
    resolve_backend,
    resolve_source,
    tfds_source,
)

SIZE = (12, 16)


def tf_arrays(dataset):
    """Concatenate a tf.data dataset of (images, labels) batches into two NumPy arrays."""
    xs, ys = zip(*dataset.as_numpy_iterator(), strict=True)
    return np.concatenate(xs), np.concatenate(ys)


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    """train/{cat,dog} + val/{cat,dog}; train/cat holds every awkward and every bad file."""
    root = tmp_path_factory.mktemp("messy")
    good = write_good_images(root / "train" / "cat")
    bad = write_bad_files(root / "train" / "cat")
    write_small_class(root / "train" / "dog", (0, 90, 0), 5)
    write_small_class(root / "val" / "cat", (90, 0, 0), 2)
    write_small_class(root / "val" / "dog", (0, 90, 0), 3)
    noise = np.random.default_rng(0).integers(0, 256, (16, 20, 3), dtype=np.uint8)
    Image.fromarray(noise).save(root / "val" / "dog" / "cut.png")
    png = (root / "val" / "dog" / "cut.png").read_bytes()
    (root / "val" / "dog" / "cut.png").write_bytes(png[: len(png) // 2])  # truncated PNG
    return root, len(good), bad


@pytest.fixture(scope="module")
def classes_only(tmp_path_factory):
    """One folder of class subfolders (no train/val split): 10 + 10 images."""
    root = tmp_path_factory.mktemp("classes")
    write_small_class(root / "apple", (200, 0, 0), 10)
    write_small_class(root / "pear", (0, 200, 0), 10)
    return root


# -- folders ---------------------------------------------------------------------------------
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


def test_folder_tf_full_epoch_never_fails(messy):
    root, n_good, _ = messy
    d = load_dataset(root, image_size=SIZE, batch_size=4, backend="tf")
    for _ in range(2):  # two epochs, every batch
        images, labels = tf_arrays(d.train)
        assert images.shape == (n_good + 5, *SIZE, 3) and images.dtype == np.uint8
    assert d.counts["skipped"]["val"] == {"corrupt": 1}


def test_tf_and_numpy_paths_give_the_same_pixels(messy):
    root, _, _ = messy
    kwargs = dict(image_size=(9, 7), interpolation="bicubic", antialias=True)
    as_numpy = load_dataset(root, backend="numpy", **kwargs)
    as_tf = load_dataset(root, backend="tf", **kwargs)
    val_x, val_y = tf_arrays(as_tf.val)  # validation is not shuffled: same order
    np.testing.assert_array_equal(val_x, as_numpy.val[0])
    np.testing.assert_array_equal(val_y, as_numpy.val[1])


@pytest.mark.multibackend
def test_class_folders_split_by_fraction_and_seed(classes_only):
    a = load_dataset(classes_only, image_size=SIZE, backend="numpy", val_fraction=0.3, seed=1)
    b = load_dataset(classes_only, image_size=SIZE, backend="numpy", val_fraction=0.3, seed=1)
    c = load_dataset(classes_only, image_size=SIZE, backend="numpy", val_fraction=0.3, seed=2)
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
    d = load_dataset(tmp_path, image_size=SIZE, backend="numpy", val_fraction=0.2)
    assert d.class_names == ["a", "b"] and (d.counts["train"], d.counts["val"]) == (8, 2)


@pytest.mark.multibackend
def test_limit_caps_each_split_but_found_counts_all(classes_only):
    d = load_dataset(classes_only, image_size=SIZE, backend="numpy", limit=3)
    assert (d.counts["train"], d.counts["val"]) == (3, 3)
    assert d.counts["found"] == {"train": 16, "val": 4}
    d = load_dataset(classes_only, image_size=SIZE, backend="numpy", limit={"train": 5})
    assert (d.counts["train"], d.counts["val"]) == (5, 4) and len(d.train[0]) == 5


@pytest.mark.multibackend
def test_large_split_becomes_a_pydataset(classes_only):
    in_memory = load_dataset(classes_only, image_size=SIZE, backend="numpy", batch_size=4)
    streamed = load_dataset(
        classes_only, image_size=SIZE, backend="numpy", batch_size=4, max_in_memory_bytes=1000
    )
    assert isinstance(streamed.train, keras.utils.PyDataset) and len(streamed.train) == 4
    first = np.concatenate([streamed.train[i][0] for i in range(len(streamed.train))])
    assert first.shape == (16, *SIZE, 3) and first.dtype == np.uint8
    key = lambda x: np.sort(x.reshape(len(x), -1).sum(axis=1))  # noqa: E731
    np.testing.assert_array_equal(key(first), key(in_memory.train[0]))  # same images
    streamed.train.on_epoch_end()
    second = np.concatenate([streamed.train[i][0] for i in range(len(streamed.train))])
    assert not np.array_equal(first, second)  # reshuffled each epoch
    again = load_dataset(
        classes_only, image_size=SIZE, backend="numpy", batch_size=4, max_in_memory_bytes=1000
    )
    np.testing.assert_array_equal(again.train[0][0], first[:4])  # epoch 0 order is seeded
    assert "PyDataset" in streamed.describe()


@pytest.mark.multibackend
def test_pydataset_trains_a_model():
    d = load_dataset(
        "synthetic",
        image_size=8,
        num_train=12,
        num_val=4,
        batch_size=4,
        backend="numpy",
        max_in_memory_bytes=0,
    )
    model = keras.Sequential(
        [keras.Input((8, 8, 3)), keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(2)]
    )
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(d.train, validation_data=d.val, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and d.train.epoch >= 2  # reshuffled


# -- synthetic -------------------------------------------------------------------------------
@pytest.mark.multibackend
def test_synthetic_numpy_is_deterministic_and_counted():
    a = load_dataset("synthetic", image_size=16, num_train=20, num_val=10, backend="numpy")
    b = load_dataset("synthetic", image_size=16, num_train=20, num_val=10, backend="numpy")
    np.testing.assert_array_equal(a.train[0], b.train[0])
    assert a.class_names == ["vertical", "horizontal"]
    assert a.counts == {
        "train": 20,
        "val": 10,
        "found": {"train": 20, "val": 10},
        "skipped": {"train": {}, "val": {}},
    }
    assert not np.array_equal(a.train[0][:10], a.val[0])  # validation images are different


def test_tf_shuffle_is_seeded_and_reshuffles_each_epoch():
    def epochs(seed):
        d = load_dataset(
            "synthetic",
            image_size=8,
            num_train=32,
            num_val=4,
            batch_size=8,
            seed=seed,
            backend="tf",
        )
        return [tf_arrays(d.train)[0].reshape(32, -1).sum(axis=1) for _ in range(2)]

    a, b, c = epochs(0), epochs(0), epochs(1)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], a[1])
    assert not np.array_equal(a[0], c[0])
    np.testing.assert_array_equal(np.sort(a[0]), np.sort(a[1]))  # same images, new order


def test_synthetic_tf_batches_and_options():
    d = load_dataset(
        "synthetic",
        image_size=(8, 10),
        num_train=10,
        num_val=6,
        batch_size=4,
        backend="tf",
        synthetic_options={"amplitude": 5, "coverage": 0.5},
    )
    x, y = next(iter(d.train))
    assert tuple(x.shape) == (4, 8, 10, 3) and x.dtype.name == "uint8" and y.dtype.name == "int32"
    assert "tf.data batches of 4" in repr(d)


# -- one-hot, describe -----------------------------------------------------------------------
@pytest.mark.multibackend
def test_one_hot_helper_and_with_one_hot():
    np.testing.assert_array_equal(one_hot([1, 0], 2), [[0, 1], [1, 0]])
    with pytest.raises(ValueError, match=r"\[0, 2\)"):
        one_hot([0, 2], 2)
    d = load_dataset("synthetic", image_size=8, num_train=4, num_val=4, backend="numpy")
    hot = d.with_one_hot()
    assert hot.train[1].shape == (4, 2) and hot.labels == "one_hot"
    np.testing.assert_array_equal(hot.train[1].argmax(axis=1), d.train[1])
    streamed = load_dataset(
        "synthetic", image_size=8, num_train=4, num_val=4, backend="numpy", max_in_memory_bytes=0
    ).with_one_hot()
    assert streamed.train[0][1].shape == (4, 2)


def test_with_one_hot_on_tf_data():
    d = load_dataset("synthetic", image_size=8, num_train=4, num_val=4, backend="tf").with_one_hot()
    _, y = next(iter(d.train))
    assert tuple(y.shape) == (4, 2)


@pytest.mark.multibackend
def test_describe_is_one_line():
    d = load_dataset("synthetic", image_size=8, num_train=6, num_val=2, backend="numpy")
    line = d.describe()
    assert "\n" not in line and "train 6 / val 2" in line and "8x8x3" in line
    assert repr(d).startswith("DataSplits(") and isinstance(d, DataSplits)


@pytest.mark.multibackend
def test_auto_backend_follows_keras():
    expected = "tf" if keras.backend.backend() == "tensorflow" else "numpy"
    assert resolve_backend("auto") == expected
    assert resolve_backend("numpy") == "numpy"


# -- bad input -------------------------------------------------------------------------------
@pytest.mark.multibackend
@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"image_size": 0}, "image_size"),
        ({"image_size": -3}, "image_size"),
        ({"image_size": (32, 2.5)}, "image_size"),
        ({"image_size": "300"}, "image_size"),
        ({"batch_size": 0}, "batch_size"),
        ({"seed": -1}, "seed"),
        ({"limit": 0}, "limit"),
        ({"limit": {"test": 3}}, "limit"),
        ({"backend": "torch"}, "backend"),
        ({"interpolation": "cubic"}, "interpolation"),
        ({"num_train": 0}, "num_train"),
        ({"synthetic_options": {"amplitud": 3}}, "amplitud"),
        ({"synthetic_options": {"amplitude": -1}}, "amplitude"),
        ({"source": 42}, "42"),
        ({"source": "cats-vs-dogs"}, "cats-vs-dogs"),
        ({"max_in_memory_bytes": -1}, "max_in_memory_bytes"),
    ],
)
def test_bad_arguments_raise_value_error(kwargs, match):
    args = {"source": "synthetic", "image_size": 8, "num_train": 2, "num_val": 2, **kwargs}
    with pytest.raises(ValueError, match=match):
        load_dataset(backend=args.pop("backend", "numpy"), **args)


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
        load_dataset(single, backend="numpy", val_fraction=1.5)


# -- choosing the dataset --------------------------------------------------------------------
@pytest.mark.multibackend
def test_resolve_source_order(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("RESIZER_DATA", raising=False)
    assert resolve_source("synthetic") == "synthetic"
    assert resolve_source(tmp_path) == str(tmp_path)
    monkeypatch.setenv("RESIZER_DATA", "synthetic")
    assert resolve_source() == "synthetic"
    monkeypatch.setenv("RESIZER_DATA", str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="RESIZER_DATA"):
        resolve_source()
    monkeypatch.delenv("RESIZER_DATA")
    monkeypatch.setattr(tfds_source, "tfds_installed", lambda: True)
    monkeypatch.setattr(tfds_source, "is_cached", lambda *a, **k: True)
    assert resolve_source() == "cats_vs_dogs"
    monkeypatch.setattr(tfds_source, "is_cached", lambda *a, **k: False)
    monkeypatch.setattr(tfds_source, "can_download", lambda *a, **k: True)
    assert resolve_source() == "cats_vs_dogs"
    assert capsys.readouterr().out == ""
    monkeypatch.setattr(tfds_source, "can_download", lambda *a, **k: False)
    assert resolve_source() == "synthetic"
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "synthetic" in out and "RESIZER_DATA" in out


@pytest.mark.multibackend
def test_explicit_cats_vs_dogs_offline_fails_fast(monkeypatch, tmp_path):
    monkeypatch.setattr(tfds_source, "is_cached", lambda *a, **k: False)
    monkeypatch.setattr(tfds_source, "can_download", lambda *a, **k: False)
    start = time.perf_counter()
    with pytest.raises(RuntimeError, match="synthetic"):
        load_dataset("cats_vs_dogs", data_dir=tmp_path, backend="numpy")
    assert time.perf_counter() - start < 5


@pytest.mark.multibackend
def test_network_probe_never_hangs():
    for url in ("https://10.255.255.1:9/", "https://nowhere.invalid/x.zip"):
        start = time.perf_counter()
        assert tfds_source.can_download(url, timeout=0.5) is False
        assert time.perf_counter() - start < 1.5


def test_tfds_dir_default_is_the_repo_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("TFDS_DATA_DIR", raising=False)
    assert tfds_source.default_tfds_dir().parts[-2:] == ("data", "tensorflow_datasets")
    monkeypatch.setenv("TFDS_DATA_DIR", str(tmp_path))
    assert tfds_source.default_tfds_dir() == tmp_path
    assert tfds_source.default_tfds_dir(tmp_path / "x") == tmp_path / "x"


# -- TFDS, mocked offline --------------------------------------------------------------------
@pytest.fixture
def mock_tfds(monkeypatch):
    tfds = pytest.importorskip("tensorflow_datasets")
    monkeypatch.setattr(tfds_source, "is_cached", lambda *a, **k: True)
    with tfds.testing.mock_data(num_examples=6):
        yield


def test_tfds_cats_vs_dogs_mocked_tf(mock_tfds, tmp_path):
    d = load_dataset("cats_vs_dogs", image_size=SIZE, batch_size=4, backend="tf", data_dir=tmp_path)
    assert d.class_names == ["cat", "dog"]
    assert (d.counts["train"], d.counts["val"]) == (6, 6)
    x, y = tf_arrays(d.train)
    assert x.shape == (6, *SIZE, 3) and x.dtype == np.uint8 and y.dtype == np.int32
    d = load_dataset("cats_vs_dogs", image_size=SIZE, backend="tf", data_dir=tmp_path, limit=4)
    assert d.counts["train"] == 4 and d.counts["found"]["train"] == 6
    assert len(tf_arrays(d.train)[0]) == 4


def test_tfds_cats_vs_dogs_mocked_numpy_and_spill(mock_tfds, tmp_path):
    d = load_dataset("cats_vs_dogs", image_size=SIZE, backend="numpy", data_dir=tmp_path)
    assert d.train[0].shape == (6, *SIZE, 3) and d.train[1].dtype == np.int32
    spilled = load_dataset(
        "cats_vs_dogs",
        image_size=SIZE,
        backend="numpy",
        data_dir=tmp_path,
        max_in_memory_bytes=100,
        batch_size=4,
    )
    assert isinstance(spilled.train, keras.utils.PyDataset)
    x, y = spilled.train[0]
    assert x.shape == (4, *SIZE, 3) and x.dtype == np.uint8 and y.shape == (4,)
    assert list((tmp_path / "resizer_lib_cache").glob("*.npy"))


def test_tf_resize_matches_numpy_resize():
    tf = pytest.importorskip("tensorflow")
    from resizer_lib.data.imaging import resize_image
    from resizer_lib.data.pipeline import tf_resize

    image = np.random.default_rng(0).integers(0, 256, (30, 47, 3), dtype=np.uint8)
    for crop in (False, True):
        for mode, aa in (("bilinear", False), ("area", False), ("lanczos3", True)):
            ours = resize_image(image, (13, 9), mode, aa, crop).astype(int)
            theirs = tf_resize(tf.constant(image), (13, 9), mode, aa, crop).numpy()
            assert np.abs(ours - theirs).max() <= 1, (crop, mode)


# -- the real photos -------------------------------------------------------------------------
@pytest.mark.photos
@pytest.mark.skipif(not PHOTOS.is_dir(), reason=f"real photos not available at {PHOTOS}")
@pytest.mark.parametrize("backend", ["numpy", "tf"])
def test_real_photos(backend):
    if backend == "tf":
        pytest.importorskip("tensorflow")
    d = load_dataset(PHOTOS, image_size=(300, 300), batch_size=8, backend=backend, limit=16)
    assert d.class_names == ["cat", "dog"]
    assert d.counts["found"] == {"train": 2692, "val": 476}
    assert d.counts["skipped"] == {"train": {}, "val": {}}
    if backend == "tf":
        images, labels = next(iter(d.train))
        images, labels = images.numpy(), labels.numpy()
    else:
        images, labels = d.train[0][:8], d.train[1][:8]
    assert images.shape == (8, 300, 300, 3) and images.dtype == np.uint8
    assert set(labels.tolist()) <= {0, 1} and images.std() > 10  # real content, not blank
