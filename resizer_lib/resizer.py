"""The module path of the resizer in version 0.1, which ``.keras`` files saved then name.

Keras loads a saved layer by importing the module its file names; this keeps such files loading.
The layers live in ``resizer_lib.models.resizer``.
"""

from resizer_lib.models.resizer import FixedResize, LearnableResizer, build_resizer

__all__ = ["FixedResize", "LearnableResizer", "build_resizer"]
