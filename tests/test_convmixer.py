"""ConvMixer: exact parameter count, shapes at any size, the residual, errors."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from resizer_lib.models import BACKBONES, build_classifier
from resizer_lib.models.convmixer import build_convmixer, convmixer_param_count

pytestmark = pytest.mark.multibackend


def _trainable(model: keras.Model) -> int:
    return sum(int(np.prod(v.shape)) for v in model.trainable_weights)


def test_convmixer_256_8_on_cifar_sized_inputs_has_602890_parameters():
    model = build_convmixer((32, 32, 3), 10)  # width 256, depth 8, kernel 5, patch 2
    counts = convmixer_param_count()
    assert model.count_params() == counts["total"] == 602_890
    assert _trainable(model) == counts["trainable"] == 594_186
    # stem 2*2*3*256 + 256 + BN 4*256; each block: depthwise 25*256 + 256, pointwise
    # 256*256 + 256, two BNs; head 256*10 + 10
    assert counts["stem"] == 4_352 and counts["block"] == 74_496 and counts["head"] == 2_570
    assert 8 * (256 * 256 + 256) == 526_336  # the point-wise convs: 87% of the total


@pytest.mark.parametrize("kw", [dict(width=8, depth=2, kernel_size=3, patch_size=4),
                                dict(width=5, depth=3, kernel_size=7, patch_size=1)])
def test_param_count_formula_matches_keras_for_other_settings(kw):
    model = build_convmixer((16, 16, 1), 3, **kw)
    counts = convmixer_param_count(**kw, channels=1, num_classes=3)
    assert model.count_params() == counts["total"]
    assert _trainable(model) == counts["trainable"]


def test_output_probabilities_and_patch_grid_at_any_size():
    """Fully convolutional: one model with unknown H, W serves every size >= patch_size."""
    model = build_convmixer((None, None, 3), 4, width=8, depth=2, kernel_size=3, patch_size=2)
    probe = keras.Model(model.input, [model.output, model.get_layer("mixer1_pw_bn").output])
    for size in [(16, 16), (17, 23), (2, 9)]:
        x = np.random.default_rng(0).uniform(size=(2, *size, 3)).astype("float32")
        p, grid = (keras.ops.convert_to_numpy(t) for t in probe(x, training=False))
        assert p.shape == (2, 4)
        np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)
        assert grid.shape == (2, size[0] // 2, size[1] // 2, 8)  # one cell per 2x2 patch
    fixed = build_convmixer((17, 23, 3), 4, width=8, depth=2, kernel_size=3, patch_size=2)
    assert tuple(fixed.get_layer("mixer1_pw_bn").output.shape) == (None, 8, 11, 8)
    assert fixed.count_params() == model.count_params()  # the count does not depend on H, W


def test_depthwise_branch_is_residual():
    """With a zero depth-wise kernel and bias the branch adds 0: the Add returns its input."""
    model = build_convmixer((8, 8, 3), 2, width=4, depth=1, kernel_size=3)
    dw = model.get_layer("mixer0_depthwise")
    dw.set_weights([np.zeros_like(w) for w in dw.get_weights()])
    probe = keras.Model(model.input, [model.get_layer("patch_bn").output,
                                      model.get_layer("mixer0_residual").output])
    x = np.random.default_rng(1).uniform(size=(2, 8, 8, 3)).astype("float32")
    before, after = (keras.ops.convert_to_numpy(t) for t in probe(x, training=False))
    np.testing.assert_allclose(after, before, atol=1e-6)
    assert np.abs(before).max() > 0  # the check is not trivially 0 == 0
    bns = [la for la in model.layers if isinstance(la, keras.layers.BatchNormalization)]
    assert len(bns) == 3 and all(bn.momentum == 0.9 for bn in bns)  # PyTorch's default


def test_convmixer_is_a_classifier_backbone_at_any_target_size():
    assert "convmixer" in BACKBONES
    x = np.random.default_rng(0).integers(0, 256, size=(2, 40, 40, 3), dtype=np.uint8)
    learned = build_classifier("convmixer", (40, 40), (32, 32), "learned", num_classes=2, seed=0)
    naive = build_classifier("convmixer", (40, 40), (32, 32), "bilinear", num_classes=2, seed=0)
    # 602,890 with a 10-class head; a 2-class head has 256*8 + 8 fewer; the resizer adds 12,163
    assert naive.count_params() == 602_890 - 8 * 257
    assert learned.count_params() == naive.count_params() + 12_163
    np.testing.assert_array_equal(  # same seed: same backbone weights in both arms
        *(m.get_layer("convmixer").get_layer("patch_embed").kernel.numpy() for m in (learned, naive)))
    odd = build_classifier("convmixer", (40, 40), (15, 21), "learned", num_classes=3, seed=0)
    assert tuple(learned(x, training=False).shape) == (2, 2)
    assert odd.output_shape == (None, 3)
    assert odd.count_params() == learned.count_params() + 257  # size-independent, one more class
    with pytest.raises(ValueError, match="weights"):
        build_classifier("convmixer", (40, 40), (32, 32), "learned", weights="imagenet")


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(input_shape=(32, 32)), "input_shape"),
        (dict(input_shape=(32, 0, 3)), "input_shape"),
        (dict(input_shape="32x32"), "input_shape"),
        (dict(input_shape=(32, 32, 3.0)), "input_shape"),
        (dict(input_shape=(1, 32, 3)), "smaller than patch_size=2"),
        (dict(width=0), "width"),
        (dict(depth=True), "depth"),
        (dict(kernel_size=2.5), "kernel_size"),
        (dict(patch_size=-1), "patch_size"),
        (dict(num_classes=1), "num_classes"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, match):
    args = dict(input_shape=(32, 32, 3), num_classes=10) | kwargs
    with pytest.raises(ValueError, match=match):
        build_convmixer(**args)
