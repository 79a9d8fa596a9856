"""resizer_lib: the toolbox of the "Learning to Resize" course.

Packages by role (the README has the module map): ``models`` (the learnable resizer, the
classifier builder, backbones, augmentation layers, BatchNorm recalibration), ``data`` (every
dataset behind one ``load_dataset``), ``training`` (paired studies, run records, statistics,
reports), ``viz`` (figures and widgets), ``course`` (helpers for one notebook each). At the top:
``cli`` (``python -m resizer_lib``), ``profiles`` (the ``RESIZER_PROFILE`` knob), ``runtime``
(device, versions, jit policy), ``files``, ``network``, ``tf_logging``.

Importing the package stays light (no TensorFlow import). It does two small things: it quiets
TensorFlow's C++ log lines for when TensorFlow is first imported (``resizer_lib.tf_logging``;
set ``TF_CPP_MIN_LOG_LEVEL`` yourself to see them), and it keeps the module paths of version
0.1 importable (``resizer_lib.resizer``, ``resizer_lib.stats``, ...: ``MOVED`` below), as the
very modules of their new homes.
"""

import importlib
import importlib.abc
import importlib.util
import sys

from resizer_lib import tf_logging

tf_logging.install()


def _installed_version() -> str:
    """The version in pyproject.toml, as installed (the one source of the version)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("resizer_lib")
    except PackageNotFoundError:  # imported from a checkout that was never installed
        return "0+unknown"


__version__ = _installed_version()

# old module path -> its home since the layout by role (the same module object, not a copy)
MOVED = {
    "resizer_lib.resizer": "resizer_lib.models.resizer",
    "resizer_lib.convmixer": "resizer_lib.models.convmixer",
    "resizer_lib.augment": "resizer_lib.models.augment",
    "resizer_lib.batchnorm": "resizer_lib.models.batchnorm",
    "resizer_lib.folder": "resizer_lib.data.folder",
    "resizer_lib.tfds_source": "resizer_lib.data.tfds_source",
    "resizer_lib.synthetic": "resizer_lib.data.synthetic",
    "resizer_lib.pipeline": "resizer_lib.data.pipeline",
    "resizer_lib.file_pipeline": "resizer_lib.data.file_pipeline",
    "resizer_lib.imaging": "resizer_lib.data.imaging",
    "resizer_lib.sample_images": "resizer_lib.data.sample_images",
    "resizer_lib.stats": "resizer_lib.training.stats",
    "resizer_lib.reporting": "resizer_lib.training.reporting",
    "resizer_lib.timing": "resizer_lib.training.timing",
    "resizer_lib.widgets": "resizer_lib.viz.widgets",
    "resizer_lib.cnn_basics": "resizer_lib.course.cnn_basics",
    "resizer_lib.classify": "resizer_lib.course.classify",
    "resizer_lib.transfer": "resizer_lib.course.transfer",
    "resizer_lib.anatomy": "resizer_lib.course.anatomy",
    "resizer_lib.formulations": "resizer_lib.course.formulations",
    "resizer_lib.extract": "resizer_lib.course.extract",
    "resizer_lib.notebook": "resizer_lib.course.notebook",
}


class _MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves an old module path with the module at its new home."""

    def find_spec(self, fullname, path=None, target=None):
        return importlib.util.spec_from_loader(fullname, self) if fullname in MOVED else None

    def create_module(self, spec):
        return importlib.import_module(MOVED[spec.name])

    def exec_module(self, module):  # already executed at its new home
        pass


if not any(isinstance(f, _MovedModules) for f in sys.meta_path):
    sys.meta_path.append(_MovedModules())
