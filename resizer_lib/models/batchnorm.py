"""BatchNorm after a short run: find the layers, read their momenta, re-estimate their statistics.

After ``n`` steps a moving statistic still weighs its initial value by ``momentum ** n`` (0.96
after 40 steps at 0.999), so a briefly trained network can predict one class in inference mode.
``recalibrate_batchnorm`` re-estimates the statistics from data, weights unchanged ("precise BN").
"""

from __future__ import annotations

import keras
import numpy as np

from resizer_lib._walk import walk_layers

__all__ = ["batchnorm_layers", "batchnorm_momenta", "recalibrate_batchnorm"]


def batchnorm_layers(model: keras.Layer) -> list[keras.layers.BatchNormalization]:
    """Every ``BatchNormalization`` layer inside ``model``, depth first in the order they were
    added: nested models and layers holding sublayers (such as ``LearnableResizer``) included."""
    return [layer for layer in walk_layers(model) if isinstance(layer, keras.layers.BatchNormalization)]


def batchnorm_momenta(model: keras.Model) -> set[float]:
    """The set of BatchNorm momenta used anywhere inside ``model``."""
    return {layer.momentum for layer in batchnorm_layers(model)}


def recalibrate_batchnorm(model: keras.Model, images: np.ndarray, batch_size: int = 32) -> int:
    """Set every BatchNorm layer's moving mean and variance to their average over the batches of
    ``images`` (``(N, H, W, C)``, the model's input dtype); returns the number of layers updated.

    The weights stay as trained. The passes run in training mode (dropout and augmentation are
    active during them); each layer's momentum is restored afterwards.
    """
    layers = batchnorm_layers(model)
    if not layers:
        return 0
    images = np.asarray(images)
    if images.ndim != 4 or len(images) == 0:
        raise ValueError(f"images must be a non-empty (N, H, W, C) array; got shape {images.shape}")
    momenta = [layer.momentum for layer in layers]
    try:
        for k, start in enumerate(range(0, len(images), batch_size)):
            for layer in layers:  # running average: batch k gets weight 1 / (k + 1)
                layer.momentum = k / (k + 1)
            model(images[start:start + batch_size], training=True)
    finally:
        for layer, momentum in zip(layers, momenta, strict=True):
            layer.momentum = momentum
    return len(layers)
