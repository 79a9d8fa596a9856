"""BatchNorm after a short run: find the layers, read their momenta, re-estimate their statistics.

In inference mode a ``BatchNormalization`` layer normalises with its *moving* mean and variance,
which move by a fraction ``1 - momentum`` towards each training batch's statistics. After ``n``
steps the initial values (mean 0, variance 1) still weigh ``momentum ** n``: 0.96 after 40 steps
with MobileNetV2's 0.999. A briefly trained network can then predict one class in inference mode
whatever it learned. ``recalibrate_batchnorm`` re-estimates the moving statistics from data, with
the weights left as they are (the "precise BatchNorm" remedy).
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
    """Replace every BatchNorm layer's moving mean and variance by their average over ``images``.

    Args:
        model: a built model taking ``images`` as input (any Keras backend).
        images: ``(N, H, W, C)`` array, the model's input dtype (e.g. uint8 for ``build_classifier``).
        batch_size: images per forward pass; the statistics are the mean over the
            ``ceil(N / batch_size)`` batches of each batch's statistics.

    Returns the number of BatchNorm layers updated. Only the moving statistics change: the
    weights stay as trained. The forward passes run in training mode, so layers that behave
    differently in training (dropout, augmentation) are active during them; BatchNorm's own
    momentum is restored afterwards.
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
