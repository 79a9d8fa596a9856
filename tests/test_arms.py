"""``resizer_lib.training.arms``: recipes, arms, and arms that compile."""

from __future__ import annotations

import keras
import pytest

from resizer_lib.training import (
    ExperimentConfig,
    build_arm,
    resolve_jit,
)

pytestmark = pytest.mark.multibackend




def test_augmented_arms_stay_compiled_on_jax():
    """--augment once made every JAX run train op by op (Keras' RandomTranslation says
    supports_jit=False): DenseNet-121 did not finish an epoch in 7 minutes on an H200."""
    config = ExperimentConfig(backbone="small_cnn", image_size=32, target_size=16, augment=True)
    for arm in ("bilinear", "learned"):
        model = build_arm(config, arm, num_classes=2, seed=0)
        model.compile(optimizer="adam", loss="categorical_crossentropy", jit_compile=resolve_jit("auto"))
        expected = keras.backend.backend() == "jax"  # TF on a CPU: no XLA by choice (resolve_jit)
        assert model.jit_compile is expected, (arm, model.jit_compile)


def _not_jit_safe(model: keras.Model) -> list[str]:
    """The layers (nested models included) that declare ``supports_jit=False``: one of them turns
    compilation off for the whole model, and on JAX it then trains op by op, tens of times slower."""
    from resizer_lib._walk import walk_layers

    return [layer.name for layer in [model, *walk_layers(model)] if not getattr(layer, "supports_jit", True)]


def test_every_layer_of_every_augmented_arm_can_be_compiled_on_jax():
    inputs = keras.Input((16, 16, 3))
    x = keras.layers.RandomTranslation(0.1, 0.1, name="keras_shift")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.GlobalAveragePooling2D()(x)))
    assert _not_jit_safe(model) == ["keras_shift"]  # what the check finds in Keras' own layer
    for shift in ("bilinear", "whole"):
        config = ExperimentConfig(backbone="small_cnn", image_size=32, target_size=16, augment=True, shift=shift)
        for arm in ("bilinear", "learned", "more_layers", "muller", "full_res"):
            found = _not_jit_safe(build_arm(config, arm, num_classes=2, seed=0))
            assert found == [] or keras.backend.backend() != "jax", (shift, arm, found)  # TF: XLA is off by choice


def test_an_unknown_shift_is_refused_by_the_augmentation():
    from resizer_lib.training.arms import with_augmentation

    model = build_arm(ExperimentConfig(backbone="small_cnn", image_size=32, target_size=16), "bilinear", 2, 0)
    with pytest.raises(ValueError, match="Unknown shift 'cubic'; choose one of"):
        with_augmentation(model, seed=0, shift="cubic")
