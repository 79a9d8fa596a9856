"""Semantic segmentation: a small U-Net, a resize stage in front of it, and the metrics.

* ``build_unet``: the U-Net of Ronneberger, Fischer & Brox (MICCAI 2015) in miniature, Keras 3
  functional and backend-agnostic. An encoder of conv blocks and 2x2 max-pooling; a decoder
  that upsamples (bilinear resize, then convolution: no transposed convolution, so no
  checkerboard) and **concatenates the encoder's map of the same size** (the skip connection)
  before each block; a 1x1 convolution to per-pixel class logits.
* ``build_segmenter``: ``uint8 image (B, H, W, 3) -> Rescaling(1/255) -> resize stage to
  (h, w) -> U-Net -> logits (B, h, w, K) -> bilinear resize of the logits back to (B, H, W, K)``,
  so predictions are compared with the masks at **full** resolution whatever the network's
  input size. The resize stage is a plain resize, the learnable resizer
  (``resizer_lib.models.resizer.build_resizer``) or MULLER. As in
  ``resizer_lib.models.build_classifier``, the U-Net is built first after seeding, so every
  stage of one seed starts from identical U-Net weights.
* ``fit_segmenter``: AdamW and per-pixel cross-entropy, in an order of batches fixed by the
  seed and the epoch alone (``resizer_lib._batching.epoch_order``), so every arm of a seed sees
  the same batches.
* ``confusion_matrix``, ``pixel_accuracy``, ``per_class_iou``, ``mean_iou``: NumPy. IoU of
  class ``c`` is ``TP / (TP + FP + FN)`` over all pixels of all images; a class absent from
  both the truth and the prediction has no IoU (``NaN``) and is left out of the mean, the same
  choice as ``resizer_lib.dense.detection_metrics`` makes for a class without ground truth.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
from keras import layers

from resizer_lib._batching import batch_rows, epoch_order
from resizer_lib._checks import check_int, check_size
from resizer_lib.models.muller import MullerResizer
from resizer_lib.models.resizer import FixedResize, build_resizer
from resizer_lib.runtime import resolve_jit

__all__ = [
    "SEGMENTER_STAGES",
    "build_segmenter",
    "build_unet",
    "compare_stages",
    "compile_segmenter",
    "confusion_matrix",
    "fit_segmenter",
    "mean_iou",
    "per_class_iou",
    "pixel_accuracy",
    "predict_masks",
    "reset_optimizer",
    "train_epochs",
    "unet_of",
]

SEGMENTER_STAGES = ("bilinear", "learned", "muller", "none")


def _conv_block(x, filters: int, name: str):
    """Two Conv3x3 -> BatchNorm -> ReLU: ``(B, h, w, C) -> (B, h, w, filters)``."""
    for i in (1, 2):
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv{i}")(x)
        x = layers.BatchNormalization(momentum=0.9, name=f"{name}_bn{i}")(x)
        x = layers.ReLU(name=f"{name}_relu{i}")(x)
    return x


def build_unet(input_shape: Sequence[int | None] = (None, None, 3), num_classes: int = 4,
               widths: Sequence[int] = (16, 32, 64), name: str = "unet") -> keras.Model:
    """A U-Net ``(B, h, w, C) -> logits (B, h, w, num_classes)``, input in ``[0, 1]``.

    ``widths``: channels per level, top to bottom; ``len(widths) - 1`` poolings, so ``h`` and
    ``w`` must be multiples of ``2 ** (len(widths) - 1)``.
    """
    widths = [check_int(w, "widths[i]") for w in widths]
    if len(widths) < 2:
        raise ValueError(f"widths needs at least two levels (one pooling); got {widths}")
    factor = 2 ** (len(widths) - 1)
    if any(s is not None and s % factor for s in input_shape[:2]):
        raise ValueError(f"the U-Net's input size {tuple(input_shape[:2])} must be a multiple of "
                         f"{factor} (it pools {len(widths) - 1} times); change the size or widths")
    inputs = keras.Input(shape=tuple(input_shape), name="pixels")
    x, skips = inputs, []
    for level, width in enumerate(widths[:-1]):
        x = _conv_block(x, width, f"down{level}")
        skips.append(x)
        x = layers.MaxPooling2D(2, name=f"pool{level}")(x)
    x = _conv_block(x, widths[-1], "bottom")
    for level in reversed(range(len(widths) - 1)):
        x = layers.UpSampling2D(2, interpolation="bilinear", name=f"up{level}")(x)
        x = layers.Concatenate(name=f"skip{level}")([x, skips[level]])
        x = _conv_block(x, widths[level], f"dec{level}")
    logits = layers.Conv2D(check_int(num_classes, "num_classes", 2), 1, name="logits")(x)
    return keras.Model(inputs, logits, name=name)


def _stage(stage: str, target: tuple[int, int], size: tuple[int, int], resizer_filters: int):
    if stage == "bilinear":
        return FixedResize(target, "bilinear", name="resize_bilinear")
    if stage == "learned":
        return build_resizer(target, filters=resizer_filters, bn_momentum=0.9, name="resizer")
    if stage == "muller":
        return MullerResizer(target, name="muller")
    if stage == "none":
        if size != target:
            raise ValueError(f"stage 'none' feeds the U-Net the full image, so it needs "
                             f"target_size == input_size; got {target} and {size}")
        return layers.Identity(name="no_resize")
    raise ValueError(f"Unknown stage {stage!r}; choose one of {list(SEGMENTER_STAGES)}")


def build_segmenter(input_size: int | Sequence[int], target_size: int | Sequence[int],
                    num_classes: int, stage: str = "bilinear", seed: int | None = None,
                    widths: Sequence[int] = (16, 32, 64), resizer_filters: int = 16,
                    name: str | None = None) -> keras.Model:
    """``uint8 (B, H, W, 3) -> logits (B, H, W, num_classes)`` through a U-Net at ``target_size``.

    Args:
        stage: ``"bilinear"`` (no antialiasing, as in the paper), ``"learned"`` (the learnable
            resizer, ``resizer_filters`` wide, BatchNorm momentum 0.9 for short runs),
            ``"muller"`` or ``"none"`` (no resize: the full-resolution reference).
        seed: seeds the U-Net's initial weights, then (``seed + 1``) the resize stage's, so the
            U-Net starts identical in every stage of one seed.
    """
    size, target = check_size(input_size, "input_size"), check_size(target_size, "target_size")
    if seed is not None:
        keras.utils.set_random_seed(seed)
    unet = build_unet((*target, 3), num_classes, widths)  # first: independent of the stage
    if seed is not None:
        keras.utils.set_random_seed(seed + 1)
    inputs = keras.Input(shape=(*size, 3), name="image")
    x = layers.Rescaling(1.0 / 255, name="rescale")(inputs)
    x = _stage(stage, target, size, resizer_filters)(x)
    logits = unet(x)
    if target != size:  # compare at full resolution: the logits go back to (H, W)
        logits = FixedResize(size, "bilinear", name="logits_to_input_size")(logits)
    return keras.Model(inputs, logits, name=name or f"segmenter_{stage}")


def unet_of(model: keras.Model) -> keras.Model:
    """The U-Net inside a model from ``build_segmenter``."""
    return model.get_layer("unet")


def _check_training_data(images, masks, class_weights):
    images, masks = np.asarray(images), np.asarray(masks)
    if images.ndim != 4 or masks.shape != images.shape[:3] or len(images) == 0:
        raise ValueError(f"need images (N, H, W, 3) and masks (N, H, W), N >= 1; got shapes "
                         f"{images.shape} and {masks.shape}")
    top = int(masks.max()) + 1
    weights = np.ones(top) if class_weights is None else np.asarray(class_weights, dtype=np.float64)
    if weights.ndim != 1 or len(weights) < top or (weights < 0).any():
        raise ValueError(f"class_weights needs one weight >= 0 per class (at least {top}); got "
                         f"{weights.tolist()}")
    return images, masks, weights.astype("float32")


def compile_segmenter(model: keras.Model, steps: int, learning_rate: float = 3e-3,
                      run_eagerly: bool = False) -> None:
    """AdamW (weight decay 1e-4, cosine decay to 0 over ``steps``) on per-pixel sparse
    cross-entropy of the logits. ``run_eagerly=True`` skips building a graph (worth it only for
    a handful of steps, where building it takes longer than running them)."""
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=check_int(steps, "steps"))
    model.compile(optimizer=keras.optimizers.AdamW(schedule, weight_decay=1e-4),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  jit_compile=False if run_eagerly else resolve_jit("auto"), run_eagerly=run_eagerly)


def train_epochs(model: keras.Model, images: np.ndarray, masks: np.ndarray, epochs: int,
                 batch_size: int = 16, seed: int = 0,
                 class_weights: Sequence[float] | None = None) -> list[float]:
    """Train a compiled segmenter for ``epochs``; the mean training loss of each epoch.

    Each pixel's loss is weighted by ``class_weights[its true class]`` (default 1). The batches
    are ``epoch_order(N, seed, epoch)`` cut in ``batch_size`` rows, nothing else.
    """
    images, masks, weights = _check_training_data(images, masks, class_weights)
    epochs, batch_size = check_int(epochs, "epochs"), check_int(batch_size, "batch_size")
    losses = []
    for epoch in range(epochs):
        order = epoch_order(len(images), seed, epoch)
        batch_losses = []
        for b in range(-(-len(images) // batch_size)):
            rows = batch_rows(order, b, batch_size)
            y = masks[rows].astype("int32")
            out = model.train_on_batch(images[rows], y, sample_weight=weights[y], return_dict=True)
            batch_losses.append(float(out["loss"]))
        losses.append(float(np.mean(batch_losses)))
    return losses


def fit_segmenter(model: keras.Model, images: np.ndarray, masks: np.ndarray, epochs: int,
                  batch_size: int = 16, seed: int = 0, learning_rate: float = 3e-3,
                  class_weights: Sequence[float] | None = None, run_eagerly: bool = False) -> list[float]:
    """``compile_segmenter`` then ``train_epochs``: ``images (N, H, W, 3) uint8``, ``masks
    (N, H, W)`` int; returns the mean training loss of each epoch."""
    images, masks, _ = _check_training_data(images, masks, class_weights)
    compile_segmenter(model, epochs * -(-len(images) // check_int(batch_size, "batch_size")),
                      learning_rate, run_eagerly)
    return train_epochs(model, images, masks, epochs, batch_size, seed, class_weights)


def reset_optimizer(model: keras.Model) -> None:
    """Set every optimizer variable (step count, moments) of a compiled model back to 0."""
    for v in model.optimizer.variables:
        v.assign(np.zeros(v.shape, dtype=v.dtype))


def compare_stages(train: tuple[np.ndarray, np.ndarray], val: tuple[np.ndarray, np.ndarray],
                   stages: Sequence[str], seeds: Sequence[int], target_size: int | Sequence[int],
                   num_classes: int, epochs: int, batch_size: int = 16,
                   learning_rate: float = 3e-3, class_weights: Sequence[float] | None = None,
                   widths: Sequence[int] = (16, 32, 64), run_eagerly: bool = False) -> list[dict]:
    """A paired study: every stage trained with every seed, from the seed's U-Net weights.

    ``train``, ``val``: ``(images (N, H, W, 3) uint8, masks (N, H, W))``. For one seed every
    stage starts from the same U-Net weights (``build_segmenter(..., seed=seed)``; the records'
    ``unet_checksum`` shows it) and sees the same batches. Each stage's model is built and
    compiled once and re-initialised per seed (weights set, optimizer reset), so its training
    step is traced once, not once per seed. Returns one record per (stage, seed):
    ``{"stage", "seed", "unet_checksum", "losses", "pixel_accuracy", "mean_iou", "per_class_iou"}``.
    """
    from resizer_lib.training.record import weights_checksum

    images, masks, _ = _check_training_data(*train, class_weights)
    size = images.shape[1:3]
    steps = epochs * -(-len(images) // check_int(batch_size, "batch_size"))
    records = []
    for stage in stages:
        model = build_segmenter(size, target_size, num_classes, stage, widths=widths)
        compile_segmenter(model, steps, learning_rate, run_eagerly)
        for seed in seeds:
            fresh = build_segmenter(size, target_size, num_classes, stage, seed=seed, widths=widths)
            model.set_weights(fresh.get_weights())
            if model.optimizer.built:
                reset_optimizer(model)
            losses = train_epochs(model, images, masks, epochs, batch_size, seed, class_weights)
            pred = predict_masks(model, val[0], batch_size=max(batch_size, 32))
            records.append({
                "stage": stage, "seed": int(seed),
                "unet_checksum": weights_checksum(unet_of(fresh).get_weights()),
                "losses": losses, "pixel_accuracy": pixel_accuracy(val[1], pred),
                "mean_iou": mean_iou(val[1], pred, num_classes),
                "per_class_iou": per_class_iou(val[1], pred, num_classes).tolist()})
    return records


def predict_masks(model: keras.Model, images: np.ndarray, batch_size: int = 32) -> np.ndarray:
    """The most likely class of every pixel: ``(N, H, W, 3) -> uint8 (N, H, W)``."""
    logits = model.predict(np.asarray(images), batch_size=batch_size, verbose=0)
    return np.argmax(keras.ops.convert_to_numpy(logits), axis=-1).astype(np.uint8)


def _check_masks(y_true: object, y_pred: object, num_classes: int | None = None):
    t, p = np.asarray(y_true), np.asarray(y_pred)
    if t.shape != p.shape:
        raise ValueError(f"y_true and y_pred must have the same shape (one class per pixel); got "
                         f"{t.shape} and {p.shape}")
    if t.size == 0:
        raise ValueError("y_true is empty: no pixels to score")
    for name, arr in (("y_true", t), ("y_pred", p)):
        if not np.issubdtype(arr.dtype, np.integer) or arr.min() < 0 or \
                (num_classes is not None and arr.max() >= num_classes):
            raise ValueError(f"{name} must hold integer classes in [0, {num_classes}); got dtype "
                             f"{arr.dtype}, values {arr.min()}..{arr.max()}")
    return t.reshape(-1).astype(np.int64), p.reshape(-1).astype(np.int64)


def confusion_matrix(y_true: object, y_pred: object, num_classes: int) -> np.ndarray:
    """``int64 (K, K)``: ``[i, j]`` counts pixels of true class ``i`` predicted as ``j``."""
    k = check_int(num_classes, "num_classes")
    t, p = _check_masks(y_true, y_pred, k)
    return np.bincount(t * k + p, minlength=k * k).reshape(k, k)


def pixel_accuracy(y_true: object, y_pred: object) -> float:
    """The share of pixels whose class is right (any shape, the same for both)."""
    t, p = _check_masks(y_true, y_pred)
    return float(np.mean(t == p))


def per_class_iou(y_true: object, y_pred: object, num_classes: int) -> np.ndarray:
    """``float (K,)``: ``TP / (TP + FP + FN)`` per class; ``NaN`` where the class is in neither."""
    cm = confusion_matrix(y_true, y_pred, num_classes).astype(np.float64)
    tp = np.diag(cm)
    union = cm.sum(axis=0) + cm.sum(axis=1) - tp
    return np.divide(tp, union, out=np.full(len(tp), np.nan), where=union > 0)


def mean_iou(y_true: object, y_pred: object, num_classes: int) -> float:
    """The mean of ``per_class_iou`` over the classes present in the truth or the prediction."""
    return float(np.nanmean(per_class_iou(y_true, y_pred, num_classes)))
