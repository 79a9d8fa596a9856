"""Beyond classification: generated scenes (``scenes``, lessons 13 and 14) and segmentation
(``segmentation``, lesson 13). Boxes, IoU, AP and transposed convolution are written in the
lessons that teach them."""

from __future__ import annotations

import importlib

_EXPORTS = {
    "scenes": ("Scenes", "make_scenes"),
    "segmentation": ("build_segmenter", "build_unet", "mean_iou", "pixel_accuracy"),
}
__all__ = sorted(name for names in _EXPORTS.values() for name in names)


def __getattr__(name: str):
    for module, names in _EXPORTS.items():
        if name in names:
            return getattr(importlib.import_module(f"resizer_lib.dense.{module}"), name)
    raise AttributeError(f"module 'resizer_lib.dense' has no attribute {name!r}")
