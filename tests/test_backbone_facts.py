"""Library facts that lesson 12 (plug and play) used to assert mid-lesson: the parameter count
of every backbone behind the resizer, the BatchNorm momentum each one uses, and the recipes'
optimizers. A learner running a newer Keras should meet a failing test here, not an
``AssertionError`` in the middle of a lesson."""

from __future__ import annotations

import keras
import pytest

from resizer_lib.models import build_classifier
from resizer_lib.models.batchnorm import batchnorm_momenta
from resizer_lib.training import make_optimizer

PARAMS = {"mobilenetv2": 2_260_546, "resnet50": 23_591_810, "densenet121": 7_039_554,
          "efficientnetb0": 4_052_133, "convmixer": 600_834}  # 2 classes, 64 -> 32 px, bilinear arm
MOMENTA = {"mobilenetv2": [0.999], "resnet50": [0.99], "densenet121": [0.99], "convmixer": [0.9]}


@pytest.mark.slow
@pytest.mark.parametrize("backbone", sorted(PARAMS))
def test_every_backbone_takes_the_resizer_for_its_12163_parameters(backbone):
    plain = build_classifier(backbone, (64, 64), (32, 32), "bilinear", num_classes=2, seed=0)
    learned = build_classifier(backbone, (64, 64), (32, 32), "learned", num_classes=2, seed=0)
    assert plain.count_params() == PARAMS[backbone]
    assert learned.count_params() - plain.count_params() == 12_163
    if backbone in MOMENTA:
        assert sorted(batchnorm_momenta(plain)) == MOMENTA[backbone]


def test_the_recipes_optimizers():
    opt = make_optimizer("adamw_cosine", steps=100)
    assert isinstance(opt, keras.optimizers.AdamW) and opt.weight_decay == 1e-4
    assert isinstance(make_optimizer("keras_io", steps=100), keras.optimizers.SGD)
