"""``resizer_lib.data.tfds_source``: the TFDS cache, the download check, mocked loading."""

import time

import numpy as np
import pytest
from data_fixtures import SIZE, tf_arrays  # noqa: E402, F401

from resizer_lib.data import DataOptions, load_dataset, tfds_source


@pytest.mark.multibackend
def test_explicit_cats_vs_dogs_offline_fails_fast(monkeypatch, tmp_path):
    monkeypatch.setattr(tfds_source, "is_cached", lambda *a, **k: False)
    monkeypatch.setattr(tfds_source, "can_download", lambda *a, **k: False)
    start = time.perf_counter()
    with pytest.raises(RuntimeError, match="no network.*synthetic") as err:
        load_dataset("cats_vs_dogs", backend="numpy", options=DataOptions(data_dir=tmp_path))
    assert time.perf_counter() - start < 5 and "\n" not in str(err.value)


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


@pytest.fixture
def mock_tfds(monkeypatch):
    tfds = pytest.importorskip("tensorflow_datasets")
    monkeypatch.setattr(tfds_source, "is_cached", lambda *a, **k: True)
    with tfds.testing.mock_data(num_examples=6):
        yield


def test_tfds_cats_vs_dogs_mocked_tf(mock_tfds, tmp_path):
    d = load_dataset("cats_vs_dogs", image_size=SIZE, batch_size=4, backend="tf", options={"data_dir": tmp_path})
    assert d.class_names == ["cat", "dog"]
    assert (d.counts["train"], d.counts["val"]) == (6, 6)
    x, y = tf_arrays(d.train)
    assert x.shape == (6, *SIZE, 3) and x.dtype == np.uint8 and y.dtype == np.int32
    d = load_dataset("cats_vs_dogs", image_size=SIZE, backend="tf", limit=4,
                     options={"data_dir": tmp_path})
    assert d.counts["train"] == 4 and d.counts["found"]["train"] == 6
    assert len(tf_arrays(d.train)[0]) == 4


def test_tfds_cats_vs_dogs_mocked_numpy(mock_tfds, tmp_path):
    d = load_dataset("cats_vs_dogs", image_size=SIZE, backend="numpy", options={"data_dir": tmp_path})
    assert d.train[0].shape == (6, *SIZE, 3) and d.train[1].dtype == np.int32
    with pytest.raises(ValueError, match="max_in_memory_bytes=100"):
        load_dataset("cats_vs_dogs", image_size=SIZE, backend="numpy",
                     options={"data_dir": tmp_path, "max_in_memory_bytes": 100})

