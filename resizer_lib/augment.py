"""The module path of the augmentation layers in version 0.1, which ``.keras`` files saved then
name (Keras imports it to load them). The layers live in ``resizer_lib.models.augment``."""

from resizer_lib.models.augment import RandomShift, RandomTurn, RandomZoomJit

__all__ = ["RandomShift", "RandomTurn", "RandomZoomJit"]
