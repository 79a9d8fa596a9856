"""Precise BatchNorm (Wu & Johnson, 2021): every run is also evaluated with BatchNorm statistics re-estimated
on a fixed, seeded sample of ``PRECISE_BN_IMAGES`` training images, weights frozen; the moving statistics
are put back afterwards."""

from __future__ import annotations

import time

import keras
import numpy as np

from resizer_lib.models.batchnorm import batchnorm_layers, recalibrate_batchnorm
from resizer_lib.training.arms import classifier_of

__all__ = ["PRECISE_BN_IMAGES", "evaluate_recalibrated", "precise_bn_sample", "predicted_classes"]

PRECISE_BN_IMAGES = 512
_SAMPLE_STREAM = 7_919  # keeps the sample's random stream apart from the batch order's


def precise_bn_sample(num_images: int, seed: int, size: int = PRECISE_BN_IMAGES) -> np.ndarray:
    """Sorted indices ``(min(size, num_images),)`` of the training images the statistics are
    re-estimated on: the same for every arm of a seed."""
    rng = np.random.default_rng([seed, _SAMPLE_STREAM])
    return np.sort(rng.choice(num_images, size=min(size, num_images), replace=False))


def predicted_classes(model: keras.Model, val) -> list[int]:
    """The predicted class of every example of ``val`` (batches of ``(x, y)``), in order: what a
    per-photo comparison of two arms (McNemar, a paired bootstrap) needs."""
    return [int(k) for k in np.argmax(model.predict(val, verbose=0), axis=-1)]


def evaluate_recalibrated(model: keras.Model, images: np.ndarray, val, seed: int,
                          batch_size: int = 32, size: int = PRECISE_BN_IMAGES) -> dict:
    """Validation loss and accuracy of ``model`` with re-estimated BatchNorm statistics.

    ``images`` are the training images ``(N, H, W, 3)`` (uint8, the model's input); ``val`` what
    ``model.evaluate`` takes. Returns ``{"val_accuracy", "val_loss", "val_predictions" (the
    predicted class of every validation image, in order), "images", "layers", "seconds"}``; the
    model's moving statistics are restored before it returns.
    """
    classifier = classifier_of(model)  # without an augmentation wrapper in front
    layers = batchnorm_layers(classifier)
    saved = [(keras.ops.convert_to_numpy(b.moving_mean), keras.ops.convert_to_numpy(b.moving_variance)) for b in layers]
    start = time.perf_counter()
    try:
        idx = precise_bn_sample(len(images), seed, size)
        count = recalibrate_batchnorm(classifier, np.asarray(images)[idx], batch_size=batch_size)
        result = model.evaluate(val, verbose=0, return_dict=True)
        predicted = predicted_classes(model, val)
    finally:
        for layer, (mean, variance) in zip(layers, saved, strict=True):
            layer.moving_mean.assign(mean)
            layer.moving_variance.assign(variance)
    return {"val_accuracy": float(result["accuracy"]), "val_loss": float(result["loss"]),
            "val_predictions": predicted, "images": int(len(idx)), "layers": int(count),
            "seconds": round(time.perf_counter() - start, 2)}
