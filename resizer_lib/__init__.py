"""resizer_lib: the toolbox of the "Learning to Resize" course.

Modules: ``resizer`` (the learnable resizer), ``models`` (classifier builder and backbones),
``data`` (datasets), ``training`` (paired experiments), ``viz`` and ``widgets`` (figures),
``profiles`` (the ``RESIZER_PROFILE`` knob). Import the submodule you need; importing the
package itself stays light (no TensorFlow import). It does quiet TensorFlow's C++ log lines
for when TensorFlow is first imported (``resizer_lib.tf_logging``; set ``TF_CPP_MIN_LOG_LEVEL``
yourself to see them).
"""

from . import tf_logging

tf_logging.install()

__version__ = "0.1.0"
