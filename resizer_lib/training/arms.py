"""Recipes and arms: the optimizer of a recipe, the model of an arm."""

from __future__ import annotations

import keras

from resizer_lib.models.augment import RandomShift
from resizer_lib.models.classifier import build_classifier
from resizer_lib.training.config import RECIPES, SHIFTS, ExperimentConfig

__all__ = ["build_arm", "classifier_of", "make_optimizer", "with_augmentation"]


def make_optimizer(recipe: str, steps: int, learning_rate: float | None = None):
    """The optimizer for a recipe; ``steps`` is the total number of training steps.

    * ``keras_io``: ``SGD()`` with Keras defaults (lr 0.01, no momentum), as in the example.
    * ``adamw_cosine``: AdamW (lr 1e-3, weight decay 1e-4) with a linear warm-up over the first
      5% of steps and cosine decay to zero, so the final epochs settle instead of swinging.
    """
    if recipe == "keras_io":
        return keras.optimizers.SGD(learning_rate=learning_rate or 0.01)
    if recipe == "adamw_cosine":
        peak = learning_rate or 1e-3
        warmup = max(1, steps // 20)
        schedule = keras.optimizers.schedules.CosineDecay(0.0, decay_steps=max(1, steps - warmup),
                                                          warmup_target=peak, warmup_steps=warmup)
        return keras.optimizers.AdamW(learning_rate=schedule, weight_decay=1e-4)
    raise ValueError(f"Unknown recipe {recipe!r}; choose one of {list(RECIPES)}")


def build_arm(config: ExperimentConfig, arm: str, num_classes: int, seed: int) -> keras.Model:
    """The classifier for one arm (uint8 ``(B, H, W, 3)`` -> ``(B, num_classes)``); the backbone's
    initial weights depend only on ``seed``."""
    full = arm == "full_res"
    model = build_classifier(config.backbone, input_size=config.image_size,
                             target_size=config.image_size if full else config.target_size,
                             resizer=None if full else arm, num_classes=num_classes, seed=seed,
                             spec=config.resizer_spec(), name=f"{config.backbone}_{arm}")
    return with_augmentation(model, seed, shift=config.shift) if config.augment else model


def with_augmentation(model: keras.Model, seed: int, shift: str = "bilinear") -> keras.Model:
    """Random flips and translations (up to 5% of each side) in front of ``model``, active in
    training only. ``shift="whole"`` translates by whole pixels (nearest neighbour), which keeps
    the image's finest detail; ``"bilinear"`` (the studies before the fix) interpolates
    fractional shifts, which softens it (see ``config.SHIFTS``)."""
    interpolation = {"bilinear": "bilinear", "whole": "nearest"}.get(shift)
    if interpolation is None:
        raise ValueError(f"Unknown shift {shift!r}; choose one of {list(SHIFTS)}")
    inputs = keras.Input(model.input_shape[1:], name="image")
    x = keras.layers.RandomFlip("horizontal", seed=seed, name="aug_flip")(inputs)
    # RandomShift (jit-safe on JAX), not Keras' RandomTranslation: one layer with supports_jit=False
    # turns compilation off for the whole model, which on JAX trains tens of times slower
    x = RandomShift(0.05, 0.05, interpolation=interpolation, seed=seed + 1, name="aug_shift")(x)
    return keras.Model(inputs, model(x), name=model.name)


def classifier_of(model: keras.Model) -> keras.Model:
    """The ``build_classifier`` model inside an augmentation wrapper (or the model itself)."""
    inner = [layer for layer in model.layers if isinstance(layer, keras.Model)]
    if len(inner) == 1 and any(isinstance(x, keras.Model) for x in inner[0].layers):
        return inner[0]
    return model
