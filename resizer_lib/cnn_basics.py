"""The module path of notebook 01's layers in version 0.1, which ``.keras`` files saved then
name (Keras imports it to load them). The layer lives in ``resizer_lib.course.cnn_basics``."""

from resizer_lib.course.cnn_basics import DepthwiseMaxPooling2D

__all__ = ["DepthwiseMaxPooling2D"]
