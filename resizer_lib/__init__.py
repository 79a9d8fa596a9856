"""resizer_lib: the library of the "Learning to Resize" course (its README has the module map).

Packages by role: ``models`` (the learnable resizer, MULLER, the classifier builder, backbones, augmentation,
BatchNorm), ``data`` (every dataset behind one ``load_dataset``), ``training`` (the paired training loop, run
records, statistics, the committed study summaries), ``viz`` (figures and widgets), ``course`` (helpers for one
notebook each). At the top: ``profiles``, ``runtime``, ``files``, ``network``, ``tf_logging``, ``interpolation``.

Importing the package only defines ``__version__`` (no TensorFlow import, no hook); ``setup()``, every notebook's
first cell, installs the TensorFlow log filter. The studies live beside the library, in ``resizer_lab``.
"""


def _installed_version() -> str:
    """The version in pyproject.toml, as installed (the one source of the version)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("resizer_lib")
    except PackageNotFoundError:  # imported from a checkout that was never installed
        return "0+unknown"


__version__ = _installed_version()
