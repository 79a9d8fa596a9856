"""The models: the learnable resizer, the classifier builder and its backbones, ConvMixer, the
augmentation layers that sit in front, and BatchNorm recalibration.

``spec`` (``ResizerSpec``, the resizer's hyper-parameters), ``resizer`` (``LearnableResizer``,
``build_resizer``, ``FixedResize``, ``FusableLeakyReLU``), ``muller`` (``MullerResizer``),
``classifier`` (``build_classifier``
and the backbones), ``convmixer``, ``augment``, ``batchnorm``. Model code is backend-agnostic
Keras 3. The classifier's names are re-exported here (``resizer_lib.models.build_classifier`` is
the public path), lazily, so that importing ``resizer_lib.models.spec`` stays free of Keras.
"""

from __future__ import annotations

__all__ = [
    "BACKBONES",
    "MULLER_ARM",
    "NAMED_RESIZES",
    "RESIZER_ARMS",
    "backbone_weights",
    "build_backbone",
    "build_classifier",
    "copy_backbone_weights",
    "get_backbone",
    "small_cnn",
]


def __getattr__(name: str):
    if name in __all__:
        from resizer_lib.models import classifier

        return getattr(classifier, name)
    raise AttributeError(f"module 'resizer_lib.models' has no attribute {name!r}")
