"""The one layer walker (``resizer_lib._walk``)."""

from __future__ import annotations

import keras
import pytest

from resizer_lib._walk import walk_layers
from resizer_lib.models import build_classifier
from resizer_lib.models.batchnorm import batchnorm_layers

pytestmark = pytest.mark.multibackend


def test_the_walk_reaches_layers_inside_nested_models_and_inside_the_resizer():
    model = build_classifier("tiny_cnn", (16, 16), (8, 8), "learned", seed=0)
    names = [layer.name for layer in walk_layers(model)]
    assert "resizer" in names and "stem_conv7x7" in names and "s0_conv" in names
    assert len(names) == len(set(id(x) for x in walk_layers(model)))  # each layer once
    assert names.index("resizer") < names.index("stem_conv7x7")  # depth first, parents first
    bns = batchnorm_layers(model)
    assert [b.name for b in bns] == [n for n in names if n in {b.name for b in bns}]
    assert {"stem_bn", "tail_bn", "s0_bn"} <= {b.name for b in bns}


def test_the_walk_of_a_plain_layer_or_a_non_layer_is_empty():
    assert walk_layers(keras.layers.Dense(2)) == []
    assert walk_layers("not a layer") == []
