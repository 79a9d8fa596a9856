"""Lesson 07: BatchNorm by hand (``batch_statistics``, ``batchnorm_forward``), its moving statistics in
Keras' convention ``moving <- momentum * moving + (1 - momentum) * batch`` (``moving_average_trace``,
``steps_to_forget``, ``torch_to_keras_momentum``), predictions with each batch's own statistics, and a
small CNN whose moving statistics lag its weights (``train_stale_demo``). Re-estimating them is
``models.batchnorm.recalibrate_batchnorm``."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import keras
import numpy as np

from resizer_lib._checks import check_int, check_size
from resizer_lib.course.classify import fit_classifier
from resizer_lib.data.synthetic import make_synthetic
from resizer_lib.models.batchnorm import batchnorm_layers
from resizer_lib.models.classifier import small_cnn

__all__ = [
    "StaleDemo", "batch_statistics", "batchnorm_forward", "moving_average_trace", "moving_statistics",
    "predict_with_batch_statistics", "restore_moving_statistics", "stale_demo_cnn", "steps_to_forget",
    "torch_to_keras_momentum", "train_stale_demo",
]


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_momentum(momentum: object) -> float:
    """``momentum`` as a float in ``[0, 1)`` (Keras' convention), else ``ValueError``."""
    if not _is_number(momentum) or not 0 <= momentum < 1:
        raise ValueError(f"momentum must be a number in [0, 1) (Keras' convention: the weight of the old average); "
                         f"got {momentum!r}. A PyTorch momentum m is 1 - m here (torch_to_keras_momentum)")
    return float(momentum)


def _check_features(x: object) -> np.ndarray:
    """``x`` as a float64 array of rank 2 ``(N, C)`` or 4 ``(N, H, W, C)`` with ``N >= 1``."""
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim not in (2, 4) or arr.shape[0] == 0:
        raise ValueError(f"x must be a non-empty (N, C) or (N, H, W, C) array, channels last; got shape "
                         f"{arr.shape}. Add a batch axis with x[None] for a single example")
    return arr


def batch_statistics(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel ``(mean, variance)``, each ``(C,)``, of ``x (N, C)`` or ``(N, H, W, C)``, as
    BatchNorm computes them in training mode: over every axis but the last, variance biased."""
    arr = _check_features(x)
    axes = tuple(range(arr.ndim - 1))
    return arr.mean(axis=axes), arr.var(axis=axes)


def batchnorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, mean: np.ndarray,
                      variance: np.ndarray, epsilon: float = 1e-3) -> np.ndarray:
    """BatchNorm's output ``gamma * (x - mean) / sqrt(variance + epsilon) + beta`` per channel, the
    shape of ``x``. Training mode passes the batch's statistics (``batch_statistics(x)``), inference
    mode the moving ones; ``epsilon`` is Keras' ``1e-3`` (PyTorch's ``1e-5``)."""
    arr = _check_features(x)
    params = {name: np.asarray(v, dtype=np.float64) for name, v in
              (("gamma", gamma), ("beta", beta), ("mean", mean), ("variance", variance))}
    for name, vec in params.items():
        if vec.shape != (arr.shape[-1],):
            raise ValueError(f"{name} must have shape ({arr.shape[-1]},), one value per channel of x "
                             f"{arr.shape}; got shape {vec.shape}")
    if np.any(params["variance"] < 0):
        raise ValueError(f"variance must be >= 0 in every channel; got {params['variance'].min()!r}")
    if not _is_number(epsilon) or not epsilon > 0:
        raise ValueError(f"epsilon must be a number > 0; got {epsilon!r}")
    return (arr - params["mean"]) * params["gamma"] / np.sqrt(params["variance"] + epsilon) + params["beta"]


def moving_average_trace(batch_values: Sequence[float] | np.ndarray, momentum: float,
                         initial: float | np.ndarray = 0.0) -> np.ndarray:
    """``initial`` and the moving average after each update ``moving <- momentum * moving + (1 -
    momentum) * b`` for ``b`` in ``batch_values`` (``(K,)`` or ``(K, C)``): ``(K + 1, ...)``. After
    ``k`` steps the initial value still weighs ``momentum ** k``."""
    m = _check_momentum(momentum)
    values = np.asarray(batch_values, dtype=np.float64)
    if values.ndim not in (1, 2) or len(values) == 0:
        raise ValueError(f"batch_values must be a non-empty (K,) or (K, C) array; got shape {values.shape}")
    trace = np.empty((len(values) + 1, *values.shape[1:]))
    trace[0] = np.broadcast_to(np.asarray(initial, dtype=np.float64), values.shape[1:])
    for k, value in enumerate(values):
        trace[k + 1] = m * trace[k] + (1.0 - m) * value
    return trace


def steps_to_forget(momentum: float, fraction: float = 0.01) -> int:
    """The fewest updates after which the initial value weighs at most ``fraction``."""
    m = _check_momentum(momentum)
    if not _is_number(fraction) or not 0 < fraction < 1:
        raise ValueError(f"fraction must be a number in (0, 1), e.g. 0.01 for 1 %; got {fraction!r}")
    if m == 0:
        return 1
    k = max(1, math.ceil(math.log(fraction) / math.log(m)))
    while m**k > fraction:  # guard the rounding of the logarithms, both ways
        k += 1
    while k > 1 and m ** (k - 1) <= fraction:
        k -= 1
    return k


def torch_to_keras_momentum(torch_momentum: float) -> float:
    """Keras' momentum for PyTorch's ``torch_momentum`` (the weight of the new batch): ``1 - m``."""
    if not _is_number(torch_momentum) or not 0 < torch_momentum <= 1:
        raise ValueError(f"a PyTorch BatchNorm momentum must be a number in (0, 1] (the weight of the new batch; "
                         f"default 0.1); got {torch_momentum!r}. momentum=None, PyTorch's cumulative average, "
                         "has no Keras equivalent")
    return round(1.0 - float(torch_momentum), 12)


def moving_statistics(model: keras.Layer) -> list[tuple[np.ndarray, np.ndarray]]:
    """``[(moving_mean (C,), moving_variance (C,)), ...]``, copies, one pair per BatchNorm layer of
    ``model`` in ``batchnorm_layers`` order."""
    return [(np.array(keras.ops.convert_to_numpy(layer.moving_mean)),
             np.array(keras.ops.convert_to_numpy(layer.moving_variance))) for layer in batchnorm_layers(model)]


def restore_moving_statistics(model: keras.Layer, saved: list[tuple[np.ndarray, np.ndarray]]) -> None:
    """Put back what ``moving_statistics(model)`` returned."""
    layers = batchnorm_layers(model)
    if len(saved) != len(layers):
        raise ValueError(f"got statistics for {len(saved)} BatchNorm layers; the model has {len(layers)}")
    for layer, (mean, variance) in zip(layers, saved, strict=True):
        layer.moving_mean.assign(mean)
        layer.moving_variance.assign(variance)


def predict_with_batch_statistics(model: keras.Model, images: np.ndarray, batch_size: int = 32) -> np.ndarray:
    """``model``'s outputs, ``(N, ...)``, with every BatchNorm normalising by its own batch's statistics."""
    check_int(batch_size, "batch_size")
    images = np.asarray(images)
    if images.ndim < 2 or len(images) == 0:
        raise ValueError(f"images must be a non-empty (N, ...) array; got shape {images.shape}")
    saved = moving_statistics(model)
    try:
        outputs = [keras.ops.convert_to_numpy(model(images[i:i + batch_size], training=True))
                   for i in range(0, len(images), batch_size)]
    finally:
        restore_moving_statistics(model, saved)
    return np.concatenate(outputs)


@dataclass
class StaleDemo:
    """``train_stale_demo``'s result: the trained ``model``, ``train`` and ``val`` as ``(images in [0,
    1], labels)``, the ``fit`` ``history`` and the ``settings`` it was trained with."""

    model: keras.Model
    train: tuple[np.ndarray, np.ndarray]
    val: tuple[np.ndarray, np.ndarray]
    history: dict[str, list[float]]
    settings: dict = field(default_factory=dict)


def stale_demo_cnn(input_shape: Sequence[int], num_classes: int = 2, widths: Sequence[int] = (16, 32, 64),
                   name: str = "stale_demo_cnn") -> keras.Model:
    """``small_cnn``'s stages, then a BatchNorm on the pooled features and a softmax: ``(B, H, W, 3)``
    in ``[0, 1]`` -> ``(B, num_classes)``. No dropout, so the two modes differ only in BatchNorm
    statistics; where the last moving mean lags, every image gets the same offset, and class."""
    trunk = small_cnn(input_shape, num_classes, widths=tuple(widths), name=name)
    x = keras.layers.BatchNormalization(name="head_bn")(trunk.get_layer("gap").output)
    outputs = keras.layers.Dense(num_classes, activation="softmax", name="predictions")(x)
    return keras.Model(trunk.input, outputs, name=name)


def train_stale_demo(image_size: int | Sequence[int] = (32, 32), num_train: int = 384, num_val: int = 128,
                     widths: Sequence[int] = (16, 32, 64), momentum: float = 0.99, learning_rate: float = 0.01,
                     epochs: int = 1, batch_size: int = 32, seed: int = 0) -> StaleDemo:
    """Train ``stale_demo_cnn`` on the synthetic stripes, briefly: the defaults (12 Adam steps at 0.01,
    every BatchNorm at Keras' default momentum 0.99) leave the moving statistics near their initial
    values while the weights move far. ``seed`` sets the weights and the batch order."""
    size = check_size(image_size, "image_size")
    num_train, num_val = check_int(num_train, "num_train"), check_int(num_val, "num_val")
    momentum = _check_momentum(momentum)
    x_train, y_train = make_synthetic(num_train, size, seed=0)
    x_val, y_val = make_synthetic(num_val, size, seed=0, offset=num_train)
    keras.utils.set_random_seed(check_int(seed, "seed", minimum=0))
    model = stale_demo_cnn((*size, 3), 2, widths=widths)
    for layer in batchnorm_layers(model):  # before compile: the training step reads it when traced
        layer.momentum = momentum
    train, val = (x_train.astype("float32") / 255.0, y_train), (x_val.astype("float32") / 255.0, y_val)
    history = fit_classifier(model, train, val, epochs=epochs, learning_rate=learning_rate, batch_size=batch_size)
    settings = {"image_size": size, "num_train": num_train, "num_val": num_val, "widths": tuple(widths),
                "momentum": momentum, "learning_rate": learning_rate, "epochs": epochs, "batch_size": batch_size,
                "seed": seed, "steps": epochs * math.ceil(num_train / batch_size)}
    return StaleDemo(model, train, val, history, settings)
