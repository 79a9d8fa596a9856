"""recalibrate_batchnorm: moving statistics re-estimated from data, weights untouched."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from resizer_lib.models.batchnorm import batchnorm_layers, batchnorm_momenta, recalibrate_batchnorm

pytestmark = pytest.mark.multibackend


def bn_net(momentum=0.999):
    inputs = keras.Input((4, 4, 3))
    x = keras.layers.BatchNormalization(momentum=momentum, name="bn_in")(inputs)
    inner = keras.Sequential([keras.layers.Conv2D(2, 1, name="conv"),
                              keras.layers.BatchNormalization(momentum=0.9, name="bn_nested")],
                             name="inner")
    outputs = inner(x)
    return keras.Model(inputs, outputs)


def test_layers_and_momenta_include_nested_models():
    model = bn_net()
    assert [layer.name for layer in batchnorm_layers(model)] == ["bn_in", "bn_nested"]
    assert batchnorm_momenta(model) == {0.999, 0.9}


def test_layers_inside_the_resizer_are_found_and_recalibrated():
    from resizer_lib.models import build_classifier

    model = build_classifier("small_cnn", input_size=(16, 16), target_size=(8, 8), resizer="learned",
                             num_classes=2, seed=0)
    layers = batchnorm_layers(model)
    in_resizer = [layer for layer in layers if "resizer" in layer.path]
    assert len(in_resizer) >= 2 and len(layers) == len(in_resizer) + 4  # small_cnn has four
    images = np.random.default_rng(0).integers(0, 256, (8, 16, 16, 3)).astype("uint8")
    before = [keras.ops.convert_to_numpy(layer.moving_variance).copy() for layer in in_resizer]
    assert recalibrate_batchnorm(model, images, batch_size=4) == len(layers)
    after = [keras.ops.convert_to_numpy(layer.moving_variance) for layer in in_resizer]
    assert all(not np.allclose(b, a) for b, a in zip(before, after, strict=True))


def test_moving_statistics_become_the_data_statistics_and_weights_stay():
    rng = np.random.default_rng(0)
    images = (5.0 + 2.0 * rng.standard_normal((96, 4, 4, 3))).astype("float32")
    model = bn_net()
    weights_before = [w.copy() for w in model.get_layer("inner").get_layer("conv").get_weights()]
    assert recalibrate_batchnorm(model, images, batch_size=32) == 2
    bn = model.get_layer("bn_in")
    mean = keras.ops.convert_to_numpy(bn.moving_mean)
    var = keras.ops.convert_to_numpy(bn.moving_variance)
    # the mean over 3 batches of per-batch means is the data mean; the variances average too
    np.testing.assert_allclose(mean, images.mean(axis=(0, 1, 2)), atol=1e-4)
    per_batch = [images[i:i + 32].var(axis=(0, 1, 2)) for i in (0, 32, 64)]
    np.testing.assert_allclose(var, np.mean(per_batch, axis=0), rtol=1e-4)
    assert bn.momentum == 0.999  # restored
    for a, b in zip(weights_before, model.get_layer("inner").get_layer("conv").get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    # in inference mode the first layer now standardises the data: mean ~0, std ~1
    out = keras.ops.convert_to_numpy(bn(images, training=False))
    assert abs(out.mean()) < 0.05 and abs(out.std() - 1) < 0.05


def test_bad_images_are_refused_with_their_shape():
    with pytest.raises(ValueError, match=r"\(4, 4, 3\)"):
        recalibrate_batchnorm(bn_net(), np.zeros((4, 4, 3), "float32"))
    assert recalibrate_batchnorm(keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]),
                                 np.zeros((1, 2))) == 0
