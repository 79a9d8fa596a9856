"""Beyond classification (notebook 09): boxes, detection metrics, generated scenes, transposed
convolution and segmentation.

``boxes`` (formats, IoU, NMS), ``detection_metrics`` (precision-recall, AP, mAP),
``scenes`` (``make_scenes``: shapes with exact boxes and masks), ``transposed`` (transposed
convolution by hand, the checkerboard), ``segmentation`` (a small U-Net behind a resize stage,
pixel accuracy and mean IoU). The NumPy modules import without Keras; the main names are
re-exported here lazily (``from resizer_lib.dense import iou_matrix``).
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "boxes": ("box_iou", "centre_to_corners", "corners_to_centre", "iou_matrix", "nms"),
    "detection_metrics": ("average_precision", "coco_map", "mean_average_precision",
                          "precision_recall"),
    "scenes": ("Scenes", "make_scenes"),
    "segmentation": ("build_segmenter", "build_unet", "mean_iou", "pixel_accuracy"),
    "transposed": ("conv_transpose_scatter", "conv_transpose_zero_insertion",
                   "transposed_output_size"),
}
__all__ = sorted(name for names in _EXPORTS.values() for name in names)


def __getattr__(name: str):
    for module, names in _EXPORTS.items():
        if name in names:
            return getattr(importlib.import_module(f"resizer_lib.dense.{module}"), name)
    raise AttributeError(f"module 'resizer_lib.dense' has no attribute {name!r}")
