"""The classifier builder: both arms, the keras.io parameter counts, identical initial weights."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from resizer_lib.models import backbone_weights, build_classifier, small_cnn
from resizer_lib.models.resizer import LearnableResizer

pytestmark = pytest.mark.multibackend


def _same(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


@pytest.mark.slow
def test_keras_io_parameter_counts_densenet121():
    with_resizer = build_classifier("densenet121", (300, 300), (150, 150), "learned", 2)
    without = build_classifier("densenet121", (300, 300), (150, 150), "bilinear", 2)
    assert with_resizer.count_params() == 7_051_717
    assert without.count_params() == 7_039_554


@pytest.mark.parametrize("arm", ["learned", "more_layers", "bilinear", "nearest", "bicubic"])
def test_every_arm_maps_uint8_images_to_probabilities(arm):
    model = build_classifier("small_cnn", (32, 48), (16, 24), arm, num_classes=3, seed=0)
    x = np.random.default_rng(0).integers(0, 256, size=(2, 32, 48, 3), dtype=np.uint8)
    p = keras.ops.convert_to_numpy(model(x, training=False))
    assert p.shape == (2, 3)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)


def test_learned_and_more_layers_have_the_same_parameter_count():
    a = build_classifier("small_cnn", (32, 32), (16, 16), "learned")
    b = build_classifier("small_cnn", (32, 32), (16, 16), "more_layers")
    c = build_classifier("small_cnn", (32, 32), (16, 16), "bilinear")
    assert a.count_params() == b.count_params() == c.count_params() + 12163


def test_all_arms_get_the_same_scaling():
    """Every arm's first layer after the input is the same Rescaling(1/255)."""
    for arm in ["learned", "bilinear", "more_layers"]:
        model = build_classifier("small_cnn", (32, 32), (16, 16), arm)
        rescale = model.get_layer("rescale")
        assert isinstance(rescale, keras.layers.Rescaling)
        assert rescale.scale == pytest.approx(1 / 255)


def test_same_seed_gives_identical_backbone_weights_in_every_arm():
    models = {arm: build_classifier("small_cnn", (32, 32), (16, 16), arm, seed=7)
              for arm in ["learned", "bilinear", "more_layers", "bicubic"]}
    ref = backbone_weights(models["bilinear"])
    for arm, model in models.items():
        assert _same(backbone_weights(model), ref), arm
    other = build_classifier("small_cnn", (32, 32), (16, 16), "bilinear", seed=8)
    assert not _same(backbone_weights(other), ref)


def test_no_resizer_needs_input_at_target():
    model = build_classifier("small_cnn", (16, 16), (16, 16), None)
    assert model.input_shape == (None, 16, 16, 3)
    with pytest.raises(ValueError, match="input_size == target_size"):
        build_classifier("small_cnn", (32, 32), (16, 16), None)


def test_any_input_size_with_input_size_none():
    model = build_classifier("small_cnn", None, (16, 16), "learned")
    for hw in [(20, 30), (64, 48)]:
        x = np.zeros((1, *hw, 3), dtype="uint8")
        assert tuple(model(x).shape) == (1, 2)


def test_custom_backbone_model_is_used():
    net = small_cnn((16, 16, 3), 4, widths=(8,), name="mine")
    model = build_classifier(net, (32, 32), (16, 16), "learned", num_classes=4)
    assert model.get_layer("mine") is net
    assert isinstance(model.get_layer("resizer"), LearnableResizer)


@pytest.mark.parametrize("name", [  # "slow": built on TensorFlow only (34 s under JAX)
    pytest.param("resnet50", marks=pytest.mark.slow), "mobilenetv2",
    pytest.param("efficientnetb0", marks=pytest.mark.slow)])
def test_application_backbones_build_at_small_size(name):
    model = build_classifier(name, (64, 64), (32, 32), "learned", num_classes=2, seed=0)
    assert model.output_shape == (None, 2)


def test_classifier_round_trips_through_keras_file(tmp_path):
    model = build_classifier("small_cnn", (24, 24), (12, 12), "learned", seed=0)
    x = np.random.default_rng(0).integers(0, 256, size=(2, 24, 24, 3)).astype("uint8")
    model.save(tmp_path / "clf.keras")
    loaded = keras.saving.load_model(tmp_path / "clf.keras", safe_mode=True)
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(model(x)), keras.ops.convert_to_numpy(loaded(x))
    )


@pytest.mark.parametrize(
    "kwargs, pattern",
    [
        (dict(backbone="vgg99"), "Unknown backbone 'vgg99'"),
        (dict(backbone=42), "backbone must be"),
        (dict(resizer="cubic"), "Unknown resizer 'cubic'"),
        (dict(input_size=(0, 32)), "input_size"),
        (dict(target_size=-4), "target_size"),
        (dict(num_classes=1), "num_classes"),
        (dict(weights="imagenet"), "weights='imagenet' is not available"),
    ],
)
def test_bad_arguments(kwargs, pattern):
    args = dict(backbone="small_cnn", input_size=(32, 32), target_size=(16, 16)) | kwargs
    with pytest.raises(ValueError, match=pattern):
        build_classifier(**args)


def test_calling_without_training_flag_leaves_batchnorm_statistics_alone():
    """keras.layers.Resizing defaults to training=True and would leak it into the backbone."""
    model = build_classifier("small_cnn", (32, 32), (16, 16), "bilinear", seed=0)
    before = [w.copy() for w in backbone_weights(model)]
    x = np.random.default_rng(0).integers(0, 256, size=(4, 32, 32, 3)).astype("uint8")
    out = keras.ops.convert_to_numpy(model(x))
    assert _same(backbone_weights(model), before)
    np.testing.assert_allclose(out, keras.ops.convert_to_numpy(model(x, training=False)), atol=1e-6)


def test_the_antialiased_arm_filters_what_plain_bilinear_aliases():
    """At 4x, bilinear without antialiasing reads 2 of every 4 input pixels (at 4i + 1.5), so a
    pattern of period 4 comes out as whatever those two pixels hold; with antialiasing the
    output is the pattern's local mean."""
    from resizer_lib.training import ExperimentConfig

    assert "antialiased" in ExperimentConfig(arms=("bilinear", "antialiased")).arms
    line = np.tile(np.array([0, 255, 255, 255], np.uint8), 8)  # period 4, mean 0.75
    image = np.broadcast_to(line[None, :, None], (1, 32, 32, 3)).copy()
    out = {}
    for arm in ("bilinear", "antialiased"):
        model = build_classifier("tiny_cnn", (32, 32), (8, 8), arm, seed=0)
        assert model.get_layer(f"resize_{arm}").antialias == (arm == "antialiased")
        resize = keras.Model(model.input, model.get_layer(f"resize_{arm}").output)
        out[arm] = keras.ops.convert_to_numpy(resize(image))[0, 0, :, 0]  # in [0, 1]
    inner = slice(1, -1)  # away from the borders
    np.testing.assert_allclose(out["bilinear"][inner], 1.0, atol=1e-5)  # the dark pixel vanished
    np.testing.assert_allclose(out["antialiased"][inner], 0.75, atol=0.05)  # the mean


# -- the headroom control's backbone -------------------------------------------------------------
def receptive_field(model: keras.Model) -> int:
    """The receptive field in input pixels of a chain of convolutions and poolings:
    ``r += (k - 1) * j`` then ``j *= stride`` for each layer (``j``: the input pixels between
    two neighbouring outputs), up to the global pooling."""
    r, j = 1, 1
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D | keras.layers.MaxPooling2D):
            size = layer.kernel_size if isinstance(layer, keras.layers.Conv2D) else layer.pool_size
            stride = layer.strides
            r += (size[0] - 1) * j
            j *= stride[0]
    return r


def test_small_cnn5_covers_128_px_as_small_cnn_covers_64_px():
    """small_cnn (4 stages of conv 3x3 + max-pool 2x2): 46 px, 72% of a 64 px image but 36% of a
    128 px one. small_cnn5 adds a stage: 94 px, 73% of 128 px. So full_res with small_cnn5 at 128
    px sees its image as small_cnn sees 64 px: the headroom control of the resolution."""
    from resizer_lib.models import build_backbone

    four = build_backbone("small_cnn", (64, 64), 2)
    five = build_backbone("small_cnn5", (128, 128), 2)
    assert receptive_field(four) == 46 and receptive_field(five) == 94
    assert round(46 / 64, 2) == 0.72 and round(94 / 128, 2) == 0.73
    assert five.output_shape == (None, 2)
    assert five.get_layer("s4_conv").filters == 256  # one more stage, as wide as the last
    assert five.layers[-1].get_config()["units"] == four.layers[-1].get_config()["units"]
