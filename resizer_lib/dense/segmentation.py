"""Semantic segmentation (lesson 13): a small U-Net, a resize stage in front of it, the metrics.
``build_segmenter``: ``uint8 (B, H, W, 3)`` -> resize to ``(h, w)`` -> U-Net -> logits
``(B, h, w, K)`` -> bilinear back to ``(B, H, W, K)``, so predictions meet full-size masks."""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
from keras import layers

from resizer_lib._checks import check_int, check_size
from resizer_lib.course.classify import confusion_matrix
from resizer_lib.models.muller import MullerResizer
from resizer_lib.models.resizer import FixedResize, build_resizer

__all__ = ["SEGMENTER_STAGES", "build_segmenter", "build_unet", "mean_iou", "per_class_iou",
           "pixel_accuracy", "predict_masks"]

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
    """A U-Net ``(B, h, w, C) -> logits (B, h, w, num_classes)``, input in ``[0, 1]``."""
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
    """``uint8 (B, H, W, 3) -> logits (B, H, W, num_classes)`` through a U-Net at ``target_size``."""
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


def predict_masks(model: keras.Model, images: np.ndarray, batch_size: int = 32) -> np.ndarray:
    """The most likely class of every pixel: ``(N, H, W, 3) -> uint8 (N, H, W)``."""
    logits = model.predict(np.asarray(images), batch_size=batch_size, verbose=0)
    return np.argmax(keras.ops.convert_to_numpy(logits), axis=-1).astype(np.uint8)


def _confusion(y_true: object, y_pred: object, num_classes: int) -> np.ndarray:
    t, p = np.asarray(y_true), np.asarray(y_pred)
    if t.shape != p.shape or t.size == 0:
        raise ValueError(f"y_true and y_pred must have one non-empty shape (one class per pixel); "
                         f"got {t.shape} and {p.shape}")
    return confusion_matrix(t, p, num_classes)


def pixel_accuracy(y_true: object, y_pred: object) -> float:
    """The share of pixels whose class is right (any shape, the same for both)."""
    t, p = np.asarray(y_true), np.asarray(y_pred)
    if t.shape != p.shape or t.size == 0:
        raise ValueError(f"y_true and y_pred must have one non-empty shape; got {t.shape} and {p.shape}")
    return float(np.mean(t == p))


def per_class_iou(y_true: object, y_pred: object, num_classes: int) -> np.ndarray:
    """``float (K,)``: ``TP / (TP + FP + FN)`` per class; ``NaN`` where the class is in neither."""
    cm = _confusion(y_true, y_pred, num_classes).astype(np.float64)
    tp = np.diag(cm)
    union = cm.sum(axis=0) + cm.sum(axis=1) - tp
    return np.divide(tp, union, out=np.full(len(tp), np.nan), where=union > 0)


def mean_iou(y_true: object, y_pred: object, num_classes: int) -> float:
    """The mean of ``per_class_iou`` over the classes present in the truth or the prediction."""
    return float(np.nanmean(per_class_iou(y_true, y_pred, num_classes)))
