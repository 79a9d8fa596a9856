"""Offline transfer learning: the source task, freezing, batch norm during fine-tuning."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from resizer_lib.course.classify import fit_classifier
from resizer_lib.course.transfer import (
    _SOURCE_OFFSET,
    SOURCE_CLASS_NAMES,
    batchnorm_layers,
    classifier_on,
    feature_extractor,
    imagenet_weights_available,
    make_source_task,
    unfreeze,
)
from resizer_lib.data.synthetic import make_synthetic

pytestmark = pytest.mark.multibackend


def test_source_task_is_balanced_deterministic_and_carries_its_pattern():
    x, y = make_source_task(16, (12, 10), seed=3)
    assert x.shape == (16, 12, 10, 3) and x.dtype == np.uint8
    assert y.dtype == np.int32 and np.bincount(y).tolist() == [4] * len(SOURCE_CLASS_NAMES)
    x2, y2 = make_source_task(16, (12, 10), seed=3)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    background, _ = make_synthetic(16, (12, 10), seed=3, amplitude=0, offset=_SOURCE_OFFSET)
    pattern = (x.astype(int) - background)[..., 0]  # (16, 12, 10), the same in every channel
    np.testing.assert_array_equal(pattern, (x.astype(int) - background)[..., 2])
    sign = np.sign(pattern)
    for i, label in enumerate(y):
        name = SOURCE_CLASS_NAMES[label]
        if name == "plain":
            assert not pattern[i].any()
            continue
        assert 3 <= np.abs(pattern[i]).min() == np.abs(pattern[i]).max() <= 12
        flips = {"vertical": (1,), "horizontal": (0,), "checkerboard": (0, 1)}[name]
        for axis in (0, 1):
            if axis in flips:  # one step along this axis flips the sign
                np.testing.assert_array_equal(np.roll(sign[i], 1, axis=axis), -sign[i])
            else:  # constant along the stripes
                np.testing.assert_array_equal(np.diff(sign[i], axis=axis), 0)


@pytest.mark.parametrize(
    "kwargs, match",
    [({"num_images": 0}, "num_images"), ({"amplitude": (5, 2)}, "amplitude"),
     ({"image_size": (0, 4)}, "image_size")],
)
def test_source_task_rejects_bad_arguments(kwargs, match):
    args = {"num_images": 4, "image_size": (8, 8), **kwargs}
    with pytest.raises(ValueError, match=match):
        make_source_task(**args)


def _tiny_base(name="features"):
    return feature_extractor((16, 16, 3), widths=(4, 8), name=name)


def test_freeze_and_unfreeze_keep_batchnorm_statistics():
    keras.utils.set_random_seed(0)
    base = _tiny_base()
    model = classifier_on(base, 3)
    assert model.output.shape == (None, 3)
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(8, 16, 16, 3), dtype=np.uint8)
    y = rng.integers(0, 3, size=8)
    base.trainable = False
    assert sum(int(np.prod(w.shape)) for w in model.trainable_weights) == 8 * 3 + 3  # the head only
    everything = [np.array(w) for w in base.weights]
    fit_classifier(model, (x, y), (x, y), epochs=1, learning_rate=1e-2, batch_size=8)
    assert all(np.array_equal(a, np.array(b)) for a, b in zip(everything, base.weights, strict=True))
    unfreeze(base)
    bn = batchnorm_layers(model)  # found inside the nested base
    assert len(bn) == 2 and not any(layer.trainable for layer in bn)
    before = [np.array(w) for layer in bn for w in layer.weights]
    conv_before = np.array(base.get_layer("s0_conv").kernel)
    fit_classifier(model, (x, y), (x, y), epochs=1, learning_rate=1e-2, batch_size=8)
    after = [np.array(w) for layer in bn for w in layer.weights]
    assert all(np.array_equal(a, b) for a, b in zip(before, after, strict=True))
    assert not np.array_equal(conv_before, np.array(base.get_layer("s0_conv").kernel))


def test_bad_arguments():
    base = _tiny_base()
    with pytest.raises(ValueError, match="num_classes"):
        classifier_on(base, 1)
    anything = keras.Input((None, None, 3))
    any_size = keras.Model(anything, keras.layers.GlobalAveragePooling2D()(anything))
    with pytest.raises(ValueError, match="fixed input shape"):
        classifier_on(any_size, 2)
    model = classifier_on(base, 2)
    x = np.zeros((2, 16, 16, 3), np.uint8)
    with pytest.raises(ValueError, match="epochs"):
        fit_classifier(model, (x, [0, 1]), (x, [0, 1]), epochs=0, learning_rate=1e-3)


def test_imagenet_weights_available_uses_the_cache_without_network(tmp_path, monkeypatch):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "weights.h5").write_bytes(b"x")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    nowhere = "https://127.0.0.1:9/weights"  # port 9 (discard): nothing answers over HTTPS
    assert imagenet_weights_available("weights.h5", url=nowhere, timeout=0.5)
    assert not imagenet_weights_available("other.h5", url=nowhere, timeout=0.5)

