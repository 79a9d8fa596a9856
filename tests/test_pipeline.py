"""``resizer_lib.data.pipeline``: NumPy arrays, the ``tf.data`` chain."""


import numpy as np
import pytest
from data_fixtures import SIZE, tf_arrays  # noqa: E402, F401

from resizer_lib.data import DataOptions, load_dataset
from resizer_lib.training import EpochBatches


@pytest.mark.multibackend
def test_numpy_path_is_arrays_batched_by_the_one_seeded_batcher(classes_only):
    """The data package has no batcher of its own: its arrays go to ``EpochBatches``, whose
    order depends only on the seed and the epoch."""
    d = load_dataset(classes_only, image_size=SIZE, backend="numpy", batch_size=4)
    x, y = d.train
    assert isinstance(x, np.ndarray) and x.shape == (16, *SIZE, 3) and "NumPy arrays" in repr(d)

    def epoch(seed, e):
        batches = EpochBatches(x, y, 4, d.num_classes, seed=seed, endless=True)
        per_epoch = len(batches)
        return np.concatenate([batches[e * per_epoch + i][0] for i in range(per_epoch)])

    np.testing.assert_array_equal(epoch(0, 1), epoch(0, 1))  # same seed and epoch: same batches
    assert not np.array_equal(epoch(0, 0), epoch(0, 1))  # a new order every epoch
    assert not np.array_equal(epoch(0, 0), epoch(1, 0))  # and for every seed
    key = lambda a: np.sort(a.reshape(len(a), -1).sum(axis=1))  # noqa: E731
    np.testing.assert_array_equal(key(epoch(0, 0)), key(x))  # every image once per epoch


@pytest.mark.multibackend
def test_a_split_too_large_for_arrays_says_what_to_do(classes_only):
    with pytest.raises(ValueError, match="train split.*max_in_memory_bytes=1000.*backend='tf'"):
        load_dataset(classes_only, image_size=SIZE, backend="numpy",
                     options=DataOptions(max_in_memory_bytes=1000))


def test_tf_shuffle_is_seeded_and_reshuffles_each_epoch():
    def epochs(seed):
        d = load_dataset(
            "synthetic",
            image_size=8,
            limit={"train": 32, "val": 4},
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
