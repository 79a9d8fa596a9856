"""One contract for every layer the library registers (as Keras' ``run_layer_test`` does):
build, call, output shape, ``get_config``/``from_config``, a ``.keras`` round trip with
identical outputs. Runs on TensorFlow and on JAX."""

from __future__ import annotations

from dataclasses import dataclass, field

import keras
import numpy as np
import pytest

from resizer_lib.course.cnn_basics import DepthwiseMaxPooling2D
from resizer_lib.models.augment import RandomShift, RandomTurn, RandomZoomJit
from resizer_lib.models.leaky_relu import FusableLeakyReLU
from resizer_lib.models.muller import MullerResizer
from resizer_lib.models.resizer import FixedResize, LearnableResizer, ResidualBlock

pytestmark = pytest.mark.multibackend


@dataclass
class Case:
    layer: type
    kwargs: dict
    input_shape: tuple
    output_shape: tuple
    has_weights: bool = False
    random: bool = False  # random in training: compare in inference mode only
    call_kwargs: dict = field(default_factory=dict)


CASES = {
    "LearnableResizer": Case(LearnableResizer, {"target_size": (6, 5), "filters": 3},
                             (2, 12, 10, 3), (2, 6, 5, 3), has_weights=True),
    "LearnableResizer more_layers": Case(LearnableResizer, {"target_size": 4, "filters": 2,
                                                            "resize_first": True, "channels": 1},
                                         (2, 9, 9, 1), (2, 4, 4, 1), has_weights=True),
    "FixedResize": Case(FixedResize, {"target_size": (3, 7), "interpolation": "bicubic"},
                        (2, 6, 14, 3), (2, 3, 7, 3)),
    "FixedResize antialiased": Case(FixedResize, {"target_size": 4, "antialias": True},
                                    (2, 16, 16, 3), (2, 4, 4, 3)),
    "MullerResizer": Case(MullerResizer, {"target_size": (5, 4), "num_layers": 2},
                          (2, 10, 8, 3), (2, 5, 4, 3), has_weights=True),
    "ResidualBlock": Case(ResidualBlock, {"filters": 3, "momentum": 0.9}, (2, 5, 4, 3), (2, 5, 4, 3),
                          has_weights=True),
    "FusableLeakyReLU": Case(FusableLeakyReLU, {"negative_slope": 0.3}, (2, 4, 4, 2), (2, 4, 4, 2)),
    "DepthwiseMaxPooling2D": Case(DepthwiseMaxPooling2D, {"pool_size": 2}, (2, 4, 4, 6), (2, 4, 4, 3)),
    "RandomShift": Case(RandomShift, {"height_factor": 0.1, "width_factor": 0.1, "seed": 1},
                        (2, 8, 8, 3), (2, 8, 8, 3), random=True),
    "RandomTurn": Case(RandomTurn, {"factor": 0.1, "seed": 1}, (2, 8, 8, 3), (2, 8, 8, 3), random=True),
    "RandomZoomJit": Case(RandomZoomJit, {"height_factor": 0.1, "seed": 1}, (2, 8, 8, 3), (2, 8, 8, 3),
                          random=True),
}


def test_every_registered_layer_has_a_case():
    registered = {name.split(">")[-1] for name in keras.saving.get_custom_objects()
                  if name.startswith("resizer_lib>")}
    covered = {case.layer.__name__ for case in CASES.values()}
    assert registered <= covered, f"registered layers without a contract case: {registered - covered}"


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_layer_contract(case, tmp_path):
    x = np.random.default_rng(0).uniform(-1, 1, case.input_shape).astype("float32")
    layer = case.layer(**case.kwargs)
    y = keras.ops.convert_to_numpy(layer(x, training=False) if case.random else layer(x))
    assert y.shape == case.output_shape
    assert tuple(layer.compute_output_shape(case.input_shape)) == case.output_shape
    assert bool(layer.weights) == case.has_weights
    config = layer.get_config()
    clone = case.layer.from_config(config)
    assert clone.get_config() == config
    inputs = keras.Input(case.input_shape[1:])
    model = keras.Model(inputs, case.layer(**case.kwargs)(inputs))
    if case.has_weights:  # non-trivial weights, so that the round trip has something to keep
        rng = np.random.default_rng(1)
        for v in model.weights:
            v.assign(np.abs(rng.normal(0.5, 0.1, v.shape)).astype("float32"))
    before = keras.ops.convert_to_numpy(model(x, training=False))
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    assert type(loaded.layers[-1]) is case.layer
    np.testing.assert_allclose(keras.ops.convert_to_numpy(loaded(x, training=False)), before,
                               rtol=1e-6, atol=1e-6)
