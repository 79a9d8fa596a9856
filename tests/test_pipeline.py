"""``resizer_lib.data.pipeline``: batches from arrays, ``PyDataset`` and ``tf.data``."""


import keras
import numpy as np
import pytest
from data_fixtures import SIZE, tf_arrays  # noqa: E402, F401

from resizer_lib.data import (
    load_dataset,
)


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


def test_tf_resize_matches_numpy_resize(tmp_path):
    tf = pytest.importorskip("tensorflow")
    from PIL import Image

    from resizer_lib.data.imaging import load_image
    from resizer_lib.data.pipeline import tf_resize

    image = np.random.default_rng(0).integers(0, 256, (30, 47, 3), dtype=np.uint8)
    Image.fromarray(image).save(tmp_path / "x.png")
    for crop in (False, True):
        for mode, aa in (("bilinear", False), ("area", False), ("lanczos3", True)):
            ours = load_image(tmp_path / "x.png", (13, 9), mode, aa, crop).astype(int)
            theirs = tf_resize(tf.constant(image), (13, 9), mode, aa, crop).numpy()
            assert np.abs(ours - theirs).max() <= 1, (crop, mode)
