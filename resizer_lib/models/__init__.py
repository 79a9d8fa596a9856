"""The models: the learnable resizer, the classifier builder and its backbones, ConvMixer, the
augmentation layers that sit in front, and BatchNorm recalibration.

``resizer`` (``LearnableResizer``, ``build_resizer``, ``FixedResize``, ``FusableLeakyReLU``),
``classifier`` (``build_classifier`` and the backbones; re-exported here, so that
``resizer_lib.models.build_classifier`` is the public path), ``convmixer``, ``augment``,
``batchnorm``. Model code is backend-agnostic Keras 3.
"""

from resizer_lib.models.classifier import *  # noqa: F403
from resizer_lib.models.classifier import __all__  # noqa: F401
