"""``resizer_lib.data.loading``: the front end over folders, synthetic data and TFDS; real photos."""


from pathlib import Path

import keras
import numpy as np
import pytest
from data_fixtures import (
    PHOTOS,
    SIZE,
    tf_arrays,
)

from resizer_lib.data import (
    DataOptions,
    DataSplits,
    load_dataset,
    one_hot,
    resolve_backend,
    resolve_source,
    tfds_source,
)

# -- folders ---------------------------------------------------------------------------------


def test_folder_tf_full_epoch_never_fails(messy):
    root, n_good, _ = messy
    d = load_dataset(root, image_size=SIZE, batch_size=4, backend="tf")
    for _ in range(2):  # two epochs, every batch
        images, labels = tf_arrays(d.train)
        assert images.shape == (n_good + 5, *SIZE, 3) and images.dtype == np.uint8
    assert d.counts["skipped"]["val"] == {"corrupt": 1}


def test_tf_and_numpy_paths_give_the_same_pixels(messy):
    root, _, _ = messy
    kwargs = dict(image_size=(9, 7), options={"interpolation": "bicubic", "antialias": True})
    as_numpy = load_dataset(root, backend="numpy", **kwargs)
    as_tf = load_dataset(root, backend="tf", **kwargs)
    val_x, val_y = tf_arrays(as_tf.val)  # validation is not shuffled: same order
    np.testing.assert_array_equal(val_x, as_numpy.val[0])
    np.testing.assert_array_equal(val_y, as_numpy.val[1])


@pytest.mark.multibackend
def test_limit_caps_each_split_but_found_counts_all(classes_only):
    d = load_dataset(classes_only, image_size=SIZE, backend="numpy", limit=3)
    assert (d.counts["train"], d.counts["val"]) == (3, 3)
    assert d.counts["found"] == {"train": 16, "val": 4}
    d = load_dataset(classes_only, image_size=SIZE, backend="numpy", limit={"train": 5})
    assert (d.counts["train"], d.counts["val"]) == (5, 4) and len(d.train[0]) == 5


# -- synthetic -------------------------------------------------------------------------------
@pytest.mark.multibackend
def test_synthetic_numpy_is_deterministic_and_counted():
    a = load_dataset("synthetic", image_size=16, backend="numpy", limit={"train": 20, "val": 10})
    b = load_dataset("synthetic", image_size=16, backend="numpy", limit={"train": 20, "val": 10})
    np.testing.assert_array_equal(a.train[0], b.train[0])
    assert a.class_names == ["vertical", "horizontal"]
    assert a.counts == {
        "train": 20,
        "val": 10,
        "found": {"train": 20, "val": 10},
        "skipped": {"train": {}, "val": {}},
    }
    assert not np.array_equal(a.train[0][:10], a.val[0])  # validation images are different


def test_synthetic_tf_batches_and_options():
    d = load_dataset(
        "synthetic",
        image_size=(8, 10),
        limit={"train": 10, "val": 6},
        batch_size=4,
        backend="tf",
        options=DataOptions(synthetic={"amplitude": 5, "coverage": 0.5}),
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
    d = load_dataset("synthetic", image_size=8, limit=4, backend="numpy")
    hot = d.with_one_hot()
    assert hot.train[1].shape == (4, 2) and hot.labels == "one_hot"
    np.testing.assert_array_equal(hot.train[1].argmax(axis=1), d.train[1])
    assert hot.with_one_hot() is hot


def test_with_one_hot_on_tf_data():
    d = load_dataset("synthetic", image_size=8, limit=4, backend="tf").with_one_hot()
    _, y = next(iter(d.train))
    assert tuple(y.shape) == (4, 2)


@pytest.mark.multibackend
def test_describe_is_one_line():
    d = load_dataset("synthetic", image_size=8, limit={"train": 6, "val": 2}, backend="numpy")
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
        ({"image_size": (8, 8, 3)}, "image_size"),
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": 2.0}, "batch_size"),
        ({"seed": -1}, "seed"),
        ({"limit": 0}, "limit"),
        ({"limit": True}, "limit"),
        ({"limit": {"test": 3}}, "limit"),
        ({"limit": {"train": -2}}, "limit"),
        ({"backend": "torch"}, "backend"),
        ({"options": {"interpolation": "cubic"}}, "interpolation"),
        ({"options": {"num_train": 5}}, "num_train"),
        ({"options": "fast"}, "options"),
        ({"options": {"synthetic": {"amplitud": 3}}}, "amplitud"),
        ({"options": {"synthetic": {"amplitude": -1}}}, "amplitude"),
        ({"options": {"val_fraction": 1.5}}, "val_fraction"),
        ({"options": {"num_workers": 0}}, "num_workers"),
        ({"options": {"data_dir": 3}}, "data_dir"),
        ({"options": {"max_in_memory_bytes": -1}}, "max_in_memory_bytes"),
        ({"options": {"max_in_memory_bytes": 10}}, "max_in_memory_bytes=10.*limit"),
        ({"source": 42}, "42"),
        ({"source": ""}, "source"),
        ({"source": "cats-vs-dogs"}, "cats-vs-dogs"),
    ],
)
def test_bad_arguments_raise_value_error(kwargs, match):
    args = {"source": "synthetic", "image_size": 8, "limit": 2, **kwargs}
    with pytest.raises(ValueError, match=match) as err:
        load_dataset(backend=args.pop("backend", "numpy"), **args)
    assert "\n" not in str(err.value)  # one line


@pytest.mark.multibackend
def test_a_file_is_not_a_source(tmp_path):
    (tmp_path / "photo.jpg").write_bytes(b"not really")
    with pytest.raises(ValueError, match="photo.jpg.*a file, not a folder"):
        load_dataset(tmp_path / "photo.jpg", backend="numpy")


@pytest.mark.multibackend
def test_synthetic_limit_is_the_size_and_defaults_are_documented():
    d = load_dataset("synthetic", image_size=4, backend="numpy", limit={"train": 3})
    assert (d.counts["train"], d.counts["val"]) == (3, 256)
    first = load_dataset("synthetic", image_size=4, backend="numpy", limit=5)
    np.testing.assert_array_equal(first.train[0][:3], d.train[0])  # a prefix of the same images


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
    capsys.readouterr()
    # real photos are opt-in: a cache or a network never changes the default
    monkeypatch.setattr(tfds_source, "tfds_installed", lambda: True)
    monkeypatch.setattr(tfds_source, "is_cached", lambda *a, **k: True)
    monkeypatch.setattr(tfds_source, "can_download", lambda *a, **k: True)
    assert resolve_source() == "synthetic"
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "synthetic" in out and "the default" in out and "RESIZER_DATA" in out
    assert resolve_source(announce=False) == "synthetic" and capsys.readouterr().out == ""


@pytest.mark.multibackend
def test_the_announcement_names_the_choice_and_the_download(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("RESIZER_DATA", "cats_vs_dogs")
    monkeypatch.setattr(tfds_source, "is_cached", lambda *a, **k: False)
    assert resolve_source() == "cats_vs_dogs"
    out = capsys.readouterr().out
    assert "chosen by RESIZER_DATA" in out and tfds_source.DOWNLOAD_SIZE in out and "download" in out
    monkeypatch.setattr(tfds_source, "is_cached", lambda *a, **k: True)
    resolve_source()
    assert "cached" in capsys.readouterr().out
    assert resolve_source(tmp_path) == str(tmp_path)
    assert f"the image folder {tmp_path}; chosen by the source argument" in capsys.readouterr().out
    load_dataset("synthetic", image_size=4, limit=1, backend="numpy")
    assert capsys.readouterr().out == ""  # an explicit source is not announced again


def test_download_size_is_the_one_tfds_checks():
    checksums = pytest.importorskip("tensorflow_datasets").__file__
    table = Path(checksums).parent / "url_checksums" / "cats_vs_dogs.txt"
    if not table.exists():
        pytest.skip(f"this tensorflow-datasets has no {table.name}")
    url, size, *_ = table.read_text().split("\t")
    assert url == tfds_source.DOWNLOAD_URL and int(size) == tfds_source.DOWNLOAD_BYTES


# -- TFDS, mocked offline --------------------------------------------------------------------


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
