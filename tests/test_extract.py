"""Tests of resizer_lib.course.extract: the trained resizer out of a classifier or a .keras file."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from resizer_lib.course.extract import (
    extract_resizer,
    find_resizer_layer,
    load_resizer,
    resizer_from_env,
)
from resizer_lib.models import build_classifier
from resizer_lib.models.resizer import LearnableResizer, build_resizer
from resizer_lib.training import ExperimentConfig, build_arm

pytestmark = pytest.mark.multibackend


@pytest.fixture(scope="module")
def classifier() -> keras.Model:
    model = build_classifier("tiny_cnn", (24, 20), (12, 10), resizer="learned", seed=0, filters=4)
    layer = model.get_layer("resizer")  # non-trivial weights: biases and BN statistics too
    rng = np.random.default_rng(1)
    layer.set_weights([np.abs(w + rng.normal(0, 0.1, w.shape)).astype("float32") + 0.5
                       if "variance" in v.path else (w + rng.normal(0, 0.1, w.shape)).astype("float32")
                       for w, v in zip(layer.get_weights(), layer.weights, strict=True)])
    return model


def _images(shape=(2, 24, 20, 3)) -> np.ndarray:
    return np.random.default_rng(0).integers(0, 256, size=shape).astype("float32")


def test_extracted_resizer_reproduces_the_classifier_inside(classifier):
    resizer = extract_resizer(classifier)
    x = _images()
    inside = keras.Model(classifier.input, classifier.get_layer("resizer").output)
    expected = keras.ops.convert_to_numpy(inside(x, training=False))
    got = keras.ops.convert_to_numpy(resizer(x / 255.0, training=False))
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
    assert resizer.input_shape == (None, 24, 20, 3) and resizer.output_shape == (None, 12, 10, 3)
    assert resizer.count_params() == classifier.get_layer("resizer").count_params()


def test_extracted_weights_are_copies(classifier):
    resizer = extract_resizer(classifier)
    before = classifier.get_layer("resizer").get_weights()
    resizer.get_layer("resizer").set_weights([np.zeros_like(w) for w in before])
    for a, b in zip(before, classifier.get_layer("resizer").get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_input_size_options(classifier):
    assert extract_resizer(classifier, input_size=None).input_shape == (None, None, None, 3)
    assert extract_resizer(classifier, input_size=(30, 40)).input_shape == (None, 30, 40, 3)
    free = extract_resizer(classifier, input_size=None)
    assert tuple(free(np.zeros((1, 50, 33, 3), "float32")).shape) == (1, 12, 10, 3)
    with pytest.raises(ValueError, match="input_size"):
        extract_resizer(classifier, input_size=(0, 4))


def test_finds_the_layer_in_wrappers_models_and_layers():
    config = ExperimentConfig(backbone="tiny_cnn", image_size=(16, 16), target_size=(8, 8), augment=True, filters=4)
    wrapped = build_arm(config, "learned", num_classes=2, seed=0)  # augmentation wrapper
    assert isinstance(find_resizer_layer(wrapped), LearnableResizer)
    assert extract_resizer(wrapped).input_shape == (None, 16, 16, 3)
    model = build_resizer((6, 6), filters=2)
    assert find_resizer_layer(model) is model.get_layer("resizer")
    layer = model.get_layer("resizer")
    assert extract_resizer(layer).input_shape == (None, None, None, 3)  # a layer has no input size


def test_no_resizer_is_a_clear_error():
    fixed = build_classifier("tiny_cnn", (16, 16), (8, 8), resizer="bilinear", seed=0)
    with pytest.raises(ValueError, match="no LearnableResizer.*resizer='learned'"):
        extract_resizer(fixed)
    two = keras.Sequential([build_resizer(8, filters=2, name="a"), build_resizer(4, filters=2, name="b")])
    with pytest.raises(ValueError, match="2 LearnableResizer layers"):
        find_resizer_layer(two)


def test_load_from_a_keras_file_and_the_env_var(classifier, tmp_path, monkeypatch):
    path = tmp_path / "clf.keras"
    classifier.save(path)
    loaded = load_resizer(path)
    x = _images() / 255.0
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(loaded(x, training=False)),
        keras.ops.convert_to_numpy(extract_resizer(classifier)(x, training=False)),
        rtol=1e-4, atol=1e-4,
    )
    monkeypatch.delenv("RESIZER_MODEL", raising=False)
    assert resizer_from_env() is None
    monkeypatch.setenv("RESIZER_MODEL", str(path))
    assert resizer_from_env().output_shape == (None, 12, 10, 3)
    monkeypatch.setenv("RESIZER_MODEL", str(tmp_path / "missing.keras"))
    with pytest.raises(ValueError, match=r"\$RESIZER_MODEL=.*No such model file"):
        resizer_from_env()


def test_load_refuses_other_formats(tmp_path):
    with pytest.raises(ValueError, match=r"\.keras"):
        load_resizer(tmp_path / "weights.h5")
