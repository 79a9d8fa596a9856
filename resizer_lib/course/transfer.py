"""Transfer learning, offline, for lesson 06: a source task to pretrain on (``make_source_task``,
four classes of faint periodic patterns, the way ImageNet is related to cats vs dogs), a base
(``feature_extractor``) and a head on it (``classifier_on``), the two stages (``freeze``, then
``unfreeze``: everything trainable *except* the BatchNorm layers, which in Keras 3 is what keeps
them in inference mode inside ``fit``), and ``transfer_study``: both stages and a from-scratch
baseline with the same total epochs, summarised by ``stage_table``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import keras
import numpy as np
from keras import layers

from resizer_lib._checks import check_size
from resizer_lib.course.classify import fit_classifier
from resizer_lib.data.synthetic import make_synthetic
from resizer_lib.models.batchnorm import batchnorm_layers
from resizer_lib.models.classifier import small_cnn
from resizer_lib.network import PROBE_TIMEOUT_S, can_reach

__all__ = [
    "SOURCE_CLASS_NAMES", "TransferResult", "batchnorm_layers", "classifier_on", "count_params",
    "feature_extractor", "fit_stage", "freeze", "imagenet_weights_available", "make_source_task",
    "stage_table", "transfer_study", "unfreeze",
]


SOURCE_CLASS_NAMES: tuple[str, ...] = ("vertical", "horizontal", "checkerboard", "plain")
# where keras.applications downloads weights from (each model has a folder below it)
WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/"
_SOURCE_OFFSET = 2_000_000_000  # background indices disjoint from the course's synthetic set


# -- the offline source task ------------------------------------------------------------------
def _pattern(label: int, h: int, w: int, phase: int) -> np.ndarray:
    """``int16 (H, W)`` of +-1 (0 for ``plain``): period-2 columns, rows or a checkerboard."""
    rows, cols = np.arange(h)[:, None], np.arange(w)[None, :]
    parity = {0: cols + 0 * rows, 1: rows + 0 * cols, 2: rows + cols}.get(label)
    if parity is None:
        return np.zeros((h, w), dtype=np.int16)
    return (1 - 2 * ((parity + phase) % 2)).astype(np.int16)


def make_source_task(
    num_images: int,
    image_size: int | Sequence[int] = (48, 48),
    seed: int = 0,
    amplitude: tuple[int, int] = (3, 12),
) -> tuple[np.ndarray, np.ndarray]:
    """The offline source task: ``(uint8 (N, H, W, 3), int32 (N,))``, balanced classes."""
    n = int(num_images) if isinstance(num_images, (int, np.integer)) else -1
    if isinstance(num_images, bool) or n < 1:
        raise ValueError(f"num_images must be a positive integer; got {num_images!r}")
    h, w = check_size(image_size, "image_size")
    lo, hi = amplitude if isinstance(amplitude, (tuple, list)) and len(amplitude) == 2 else (-1, -1)
    if not (isinstance(lo, int) and isinstance(hi, int) and 1 <= lo <= hi <= 100):
        raise ValueError(f"amplitude must be (low, high) grey levels, 1 <= low <= high <= 100; "
                         f"got {amplitude!r}")
    images, _ = make_synthetic(n, (h, w), seed=seed, amplitude=0, offset=_SOURCE_OFFSET)
    rng = np.random.default_rng([seed, _SOURCE_OFFSET])
    classes = len(SOURCE_CLASS_NAMES)
    labels = rng.permutation(np.arange(n) % classes).astype(np.int32)
    amps = rng.integers(lo, hi + 1, size=n)
    phases = rng.integers(0, 2, size=n)
    out = images.astype(np.int16)
    for i in range(n):
        out[i] += (amps[i] * _pattern(int(labels[i]), h, w, int(phases[i])))[:, :, None]
    return np.clip(out, 0, 255).astype(np.uint8), labels


# -- models -----------------------------------------------------------------------------------
def feature_extractor(
    input_shape: Sequence[int], widths: Sequence[int] = (16, 32, 64, 128), name: str = "features"
) -> keras.Model:
    """``small_cnn`` without its head: ``(B, H, W, 3)`` in ``[0, 1]`` -> ``(B, widths[-1])``."""
    net = small_cnn(tuple(input_shape), 2, widths=tuple(widths))
    return keras.Model(net.input, net.get_layer("gap").output, name=name)


def classifier_on(
    base: keras.Model,
    num_classes: int,
    scale: float = 1.0 / 255,
    offset: float = 0.0,
    dropout: float = 0.2,
    name: str | None = None,
) -> keras.Model:
    """A new head on ``base``: ``(B, H, W, 3)`` in ``0..255`` -> ``(B, num_classes)`` softmax."""
    if not isinstance(num_classes, int) or isinstance(num_classes, bool) or num_classes < 2:
        raise ValueError(f"num_classes must be an integer >= 2; got {num_classes!r}")
    shape = base.input_shape[1:]
    if None in shape:
        raise ValueError(f"base must have a fixed input shape (H, W, C); got {shape}")
    inputs = keras.Input(shape=shape, name="image")
    x = layers.Rescaling(scale, offset, name="scale")(inputs)
    x = base(x)
    x = layers.Dropout(dropout, name="head_dropout")(x)
    outputs = layers.Dense(num_classes, activation="softmax", name="head")(x)
    return keras.Model(inputs, outputs, name=name or f"{base.name}_classifier")


def freeze(base: keras.Model) -> None:
    """Stage 1: no weight of ``base`` changes; its batch norms run in inference mode."""
    base.trainable = False


def unfreeze(base: keras.Model, keep_batchnorm_frozen: bool = True) -> None:
    """Stage 2: make ``base`` trainable again, except (by default) its ``BatchNormalization``
    layers, whose statistics stay those of the source task (see the module docstring)."""
    base.trainable = True
    if keep_batchnorm_frozen:
        for layer in batchnorm_layers(base):
            layer.trainable = False


def count_params(model: keras.Model) -> tuple[int, int]:
    """``(trainable, non_trainable)`` parameter counts, as ``model.summary()`` reports them."""
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    return trainable, model.count_params() - trainable


# -- training ---------------------------------------------------------------------------------
def fit_stage(
    model: keras.Model,
    train: tuple[np.ndarray, np.ndarray],
    val: tuple[np.ndarray, np.ndarray],
    epochs: int,
    learning_rate: float,
    batch_size: int = 32,
    verbose: int = 0,
) -> dict[str, list[float]]:
    """One training stage: ``classify.fit_classifier`` (which recompiles, so a change of
    ``trainable`` takes effect); returns the history."""
    return fit_classifier(model, train, val, epochs, learning_rate, batch_size, verbose)


@dataclass
class TransferResult:
    """What ``transfer_study`` returns: one table row per stage, their histories, the models."""

    rows: list[dict] = field(default_factory=list)
    histories: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    models: dict[str, keras.Model] = field(default_factory=dict)

    def accuracy(self, stage: str) -> float:
        for row in self.rows:
            if row["stage"] == stage:
                return row["val accuracy"]
        raise ValueError(f"no stage {stage!r}; stages: {[r['stage'] for r in self.rows]}")


def transfer_study(
    pretrained_base: keras.Model,
    scratch_base: keras.Model,
    train: tuple[np.ndarray, np.ndarray],
    val: tuple[np.ndarray, np.ndarray],
    num_classes: int,
    frozen_epochs: int,
    finetune_epochs: int,
    learning_rate: float = 1e-3,
    finetune_learning_rate: float = 1e-4,
    batch_size: int = 32,
    scale: float = 1.0 / 255,
    offset: float = 0.0,
    seed: int = 0,
    verbose: int = 0,
) -> TransferResult:
    """Frozen base + new head, then fine-tuning, next to the same network trained from scratch."""
    result = TransferResult()

    def run(stage: str, model: keras.Model, epochs: int, lr: float) -> None:
        keras.utils.set_random_seed(seed)
        history = fit_stage(model, train, val, epochs, lr, batch_size, verbose)
        result.histories[stage] = history
        result.models[stage] = model
        result.rows.append({
            "stage": stage,
            "epochs": epochs,
            "learning rate": lr,
            "trainable params": count_params(model)[0],
            "val accuracy": history["val_accuracy"][-1],
        })

    keras.utils.set_random_seed(seed)
    model = classifier_on(pretrained_base, num_classes, scale, offset, name="transferred")
    freeze(pretrained_base)
    run("frozen base + new head", model, frozen_epochs, learning_rate)
    unfreeze(pretrained_base)
    run("fine-tuned", model, finetune_epochs, finetune_learning_rate)
    keras.utils.set_random_seed(seed)
    scratch = classifier_on(scratch_base, num_classes, scale, offset, name="from_scratch")
    run("from scratch", scratch, frozen_epochs + finetune_epochs, learning_rate)
    return result


# -- ImageNet weights, when they can be had ---------------------------------------------------
def imagenet_weights_available(
    filename: str, url: str = WEIGHTS_URL, timeout: float = PROBE_TIMEOUT_S
) -> bool:
    """True when ``filename`` is in the Keras cache (``~/.keras/models`` or ``$KERAS_HOME``)
    or the server Keras downloads weights from gives an HTTP answer for ``url`` within
    ``timeout`` seconds (``resizer_lib.network.can_reach``); never waits longer than that."""
    home = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras"))
    if (home / "models" / filename).is_file():
        return True
    return can_reach(url, timeout, require_ok=False)


def stage_table(result: TransferResult) -> list[dict]:
    """The rows with the accuracy as a percentage string, for ``viz.show_table``."""
    return [{**row, "val accuracy": f"{100 * row['val accuracy']:.1f}%"} for row in result.rows]

