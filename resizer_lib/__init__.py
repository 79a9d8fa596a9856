"""resizer_lib: the toolbox of the "Learning to Resize" course.

Modules: ``resizer`` (the learnable resizer), ``models`` (classifier builder and backbones),
``data`` (datasets), ``training`` (paired experiments), ``viz`` and ``widgets`` (figures),
``profiles`` (the ``RESIZER_PROFILE`` knob). Import the submodule you need; importing the
package itself stays light (no TensorFlow import).
"""

__version__ = "0.1.0"
