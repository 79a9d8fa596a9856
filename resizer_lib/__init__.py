"""resizer_lib: the library of the "Learning to Resize" course.

Packages by role (its README has the module map): ``models`` (the learnable resizer, MULLER,
the classifier builder, backbones, augmentation, BatchNorm), ``data`` (every dataset behind one
``load_dataset``), ``training`` (the paired training loop, run records, statistics, the
committed study summaries), ``viz`` (figures and widgets), ``course`` (helpers for one notebook
each). At the top: ``profiles`` (the ``RESIZER_PROFILE`` knob), ``runtime`` (device, versions,
jit policy), ``files``, ``network``, ``tf_logging``.

Importing the package does nothing but define ``__version__``: no TensorFlow import, no hook.
``resizer_lib.course.notebook.setup()`` (every notebook's first cell) installs the TensorFlow
log filter. The studies behind the course's results live beside the library, in ``resizer_lab``.
"""


def _installed_version() -> str:
    """The version in pyproject.toml, as installed (the one source of the version)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("resizer_lib")
    except PackageNotFoundError:  # imported from a checkout that was never installed
        return "0+unknown"


__version__ = _installed_version()
