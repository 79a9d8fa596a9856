"""Lesson 06: transfer learning, offline. A source task to pretrain on (``make_source_task``: four
classes of faint periodic patterns, related to the target as ImageNet is to cats vs dogs), a base
(``feature_extractor``) with a new head (``classifier_on``), and fine-tuning with every layer trainable
*except* the BatchNorm ones (``unfreeze``: in Keras 3 that keeps them in inference mode inside ``fit``)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import keras
import numpy as np

from resizer_lib._checks import check_size
from resizer_lib.data.synthetic import make_synthetic
from resizer_lib.models.batchnorm import batchnorm_layers
from resizer_lib.models.classifier import small_cnn
from resizer_lib.network import PROBE_TIMEOUT_S, can_reach

__all__ = ["SOURCE_CLASS_NAMES", "batchnorm_layers", "classifier_on", "feature_extractor",
           "imagenet_weights_available", "make_source_task", "unfreeze"]

SOURCE_CLASS_NAMES: tuple[str, ...] = ("vertical", "horizontal", "checkerboard", "plain")
WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/"  # keras.applications' weights
_SOURCE_OFFSET = 2_000_000_000  # background indices disjoint from the course's synthetic set


def make_source_task(num_images: int, image_size: int | Sequence[int] = (48, 48), seed: int = 0,
                     amplitude: tuple[int, int] = (3, 12)) -> tuple[np.ndarray, np.ndarray]:
    """The offline source task: ``(uint8 (N, H, W, 3), int32 (N,))``, balanced classes: period-2
    columns, rows, a checkerboard, or nothing, of ``amplitude`` grey levels on a synthetic background."""
    n = int(num_images) if isinstance(num_images, (int, np.integer)) else -1
    if isinstance(num_images, bool) or n < 1:
        raise ValueError(f"num_images must be a positive integer; got {num_images!r}")
    h, w = check_size(image_size, "image_size")
    lo, hi = amplitude if isinstance(amplitude, (tuple, list)) and len(amplitude) == 2 else (-1, -1)
    if not (isinstance(lo, int) and isinstance(hi, int) and 1 <= lo <= hi <= 100):
        raise ValueError(f"amplitude must be (low, high) grey levels, 1 <= low <= high <= 100; got {amplitude!r}")
    images, _ = make_synthetic(n, (h, w), seed=seed, amplitude=0, offset=_SOURCE_OFFSET)
    rng = np.random.default_rng([seed, _SOURCE_OFFSET])
    labels = rng.permutation(np.arange(n) % len(SOURCE_CLASS_NAMES)).astype(np.int32)
    amps, phases = rng.integers(lo, hi + 1, size=n), rng.integers(0, 2, size=n)
    rows, cols = np.arange(h)[:, None], np.arange(w)[None, :]
    parity = [cols + 0 * rows, rows + 0 * cols, rows + cols]  # vertical, horizontal, checkerboard
    out = images.astype(np.int16)
    for i, label in enumerate(labels):
        if label < len(parity):  # "plain" has no pattern
            out[i] += (amps[i] * (1 - 2 * ((parity[label] + phases[i]) % 2)))[:, :, None].astype(np.int16)
    return np.clip(out, 0, 255).astype(np.uint8), labels


def feature_extractor(input_shape: Sequence[int], widths: Sequence[int] = (16, 32, 64, 128),
                      name: str = "features") -> keras.Model:
    """``small_cnn`` without its head: ``(B, H, W, 3)`` in ``[0, 1]`` -> ``(B, widths[-1])``."""
    net = small_cnn(tuple(input_shape), 2, widths=tuple(widths))
    return keras.Model(net.input, net.get_layer("gap").output, name=name)


def classifier_on(base: keras.Model, num_classes: int, scale: float = 1.0 / 255, offset: float = 0.0,
                  dropout: float = 0.2, name: str | None = None) -> keras.Model:
    """A new head on ``base``: ``(B, H, W, 3)`` in ``0..255`` -> ``(B, num_classes)`` softmax."""
    if not isinstance(num_classes, int) or isinstance(num_classes, bool) or num_classes < 2:
        raise ValueError(f"num_classes must be an integer >= 2; got {num_classes!r}")
    shape = base.input_shape[1:]
    if None in shape:
        raise ValueError(f"base must have a fixed input shape (H, W, C); got {shape}")
    inputs = keras.Input(shape=shape, name="image")
    x = base(keras.layers.Rescaling(scale, offset, name="scale")(inputs))
    x = keras.layers.Dropout(dropout, name="head_dropout")(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax", name="head")(x)
    return keras.Model(inputs, outputs, name=name or f"{base.name}_classifier")


def unfreeze(base: keras.Model, keep_batchnorm_frozen: bool = True) -> None:
    """Stage 2: make ``base`` trainable again, except (by default) its ``BatchNormalization`` layers,
    whose statistics stay those of the source task (see the module docstring)."""
    base.trainable = True
    if keep_batchnorm_frozen:
        for layer in batchnorm_layers(base):
            layer.trainable = False


def imagenet_weights_available(filename: str, url: str = WEIGHTS_URL, timeout: float = PROBE_TIMEOUT_S) -> bool:
    """True when ``filename`` is in the Keras cache (``~/.keras/models`` or ``$KERAS_HOME``) or the
    server Keras downloads weights from answers ``url`` within ``timeout`` seconds (``network.can_reach``)."""
    home = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras"))
    return (home / "models" / filename).is_file() or can_reach(url, timeout, require_ok=False)
