"""Beyond classification (lessons 13 and 14): generated scenes and segmentation.

``scenes`` (``make_scenes``: shapes with exact boxes and masks, for lessons 13 and 14),
``segmentation`` (a small U-Net behind a resize stage, pixel accuracy and mean IoU, lesson 13).
Boxes, IoU, non-maximum suppression and average precision are written in lesson 14 itself, and
transposed convolution in lesson 13, where they are taught.
"""

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
