"""``resizer_lib.training.arms``: recipes, arms and their jit checks."""

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


def test_a_model_that_cannot_compile_on_jax_is_announced():
    from resizer_lib.training.arms import not_jit_safe_layers, warn_if_not_compiled

    inputs = keras.Input((16, 16, 3))
    x = keras.layers.RandomTranslation(0.1, 0.1, name="keras_shift")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.GlobalAveragePooling2D()(x)))
    model.compile(optimizer="sgd", loss="mse", jit_compile="auto")
    assert not_jit_safe_layers(model) == ["keras_shift"]
    if keras.backend.backend() == "jax":
        with pytest.warns(UserWarning, match=r"train op by op on JAX.*\['keras_shift'\]"):
            assert warn_if_not_compiled(model) is True
    else:  # TensorFlow decides XLA by itself; nothing to announce
        assert warn_if_not_compiled(model) is False
    config = ExperimentConfig(backbone="small_cnn", image_size=32, target_size=16, augment=True)
    ours = build_arm(config, "learned", num_classes=2, seed=0)
    ours.compile(optimizer="sgd", loss="mse", jit_compile=resolve_jit("auto"))
    assert not_jit_safe_layers(ours) == [] or keras.backend.backend() != "jax"
    assert warn_if_not_compiled(ours) is False
