"""resizer_lib: the library of the "Learning to Resize" course (its README has the module map).

Packages by role: ``models`` (the resizer, MULLER, classifiers, backbones, augmentation, BatchNorm), ``data``
(every dataset behind one ``load_dataset``), ``training`` (the paired training loop, run records, statistics, the
committed study summaries), ``viz`` (figures, widgets), ``course`` (helpers for one notebook each). Importing it
only defines ``__version__``: no TensorFlow, no hook (``setup()`` installs the TensorFlow log filter).
"""

import importlib.metadata as _metadata

try:
    __version__ = _metadata.version("resizer_lib")  # pyproject.toml's, as installed: the one source of the version
except _metadata.PackageNotFoundError:  # imported from a checkout that was never installed
    __version__ = "0+unknown"
