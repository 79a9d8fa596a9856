"""Keep TensorFlow's C++ log lines (``I0000 ...``, the oneDNN notice, ``cuInit``) out of every output.

``TF_CPP_MIN_LOG_LEVEL=3`` hides what is logged after absl starts; the lines logged before (the oneDNN notice,
``cudart_stub``) ignore it, so the first ``import tensorflow`` runs with file descriptor 2 captured and every other
captured line is written back. Both only when the user has not set ``TF_CPP_MIN_LOG_LEVEL``. ``install()``
(called by ``setup()`` and the lab's command line) imports nothing heavy.

With them goes one Python warning: "N out of the last M calls to <function ...> triggered tf.function retracing".
Each arm and seed of a study builds a new model, so its train function is traced anew, which is what the
warning counts; it is expected here, and a paragraph of advice about loops would only alarm a learner.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import importlib.util
import logging
import os
import re
import sys
import tempfile

__all__ = ["install", "is_tensorflow_log_line"]

LEVEL_VARIABLE = "TF_CPP_MIN_LOG_LEVEL"
QUIET_LEVEL = "3"  # FATAL only: cuInit's failure on a machine without CUDA is logged as ERROR

# absl/glog prefix: severity, MMDD, time, thread id, file:line]
_LOG_LINE = re.compile(r"^[IWEF]\d{4} [\d:.]+\s+\d+ [\w./-]+:\d+\] ")
_NOISE = ("WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
          "To enable the following instructions:")  # the second line of cpu_feature_guard's notice


_RETRACING = re.compile(r"^(WARNING:tensorflow:)?\d+ out of the last \d+ calls to .* triggered tf\.function retracing")


def is_tensorflow_log_line(line: str) -> bool:
    """Whether ``line`` is one of TensorFlow's C++ log lines (or their fixed companions), or its warning
    that a new model's function was traced again."""
    return bool(_LOG_LINE.match(line) or _RETRACING.match(line)) or line.startswith(_NOISE)


class _NoRetracingWarning(logging.Filter):
    """Drops the ``tensorflow`` logger's retracing warning (see the module docstring), nothing else."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not _RETRACING.match(record.getMessage())


def _flush_std_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.flush()


class _QuietLoader(importlib.abc.Loader):
    """Runs the real loader of ``tensorflow`` with fd 2 captured, then writes back the rest."""

    def __init__(self, loader: importlib.abc.Loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module) -> None:
        _flush_std_streams()
        try:
            saved = os.dup(2)
        except OSError:  # no fd 2 at all (a detached process): nothing to protect
            return self._loader.exec_module(module)
        with tempfile.TemporaryFile(mode="w+b") as capture:
            os.dup2(capture.fileno(), 2)
            try:
                self._loader.exec_module(module)
            finally:
                _flush_std_streams()
                os.dup2(saved, 2)
                os.close(saved)
                capture.seek(0)
                lines = capture.read().decode("utf-8", errors="replace").splitlines(keepends=True)
                kept = "".join(line for line in lines if not is_tensorflow_log_line(line))
                if kept:
                    sys.stderr.write(kept)
                    _flush_std_streams()

    def __getattr__(self, name):  # get_resource_reader, is_package, ...: the real loader's
        return getattr(self._loader, name)


class _QuietTensorFlowFinder(importlib.abc.MetaPathFinder):
    """Finds ``tensorflow`` with the other finders and wraps its loader, once."""

    def find_spec(self, fullname, path, target=None):
        if fullname != "tensorflow":
            return None
        sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _QuietTensorFlowFinder)]
        spec = importlib.machinery.PathFinder.find_spec(fullname, path) or importlib.util.find_spec(fullname)
        if spec is not None and spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader)
        return spec


def install() -> bool:
    """Quiet TensorFlow's C++ logging and its retracing warning unless the user chose a level; True if it did."""
    if LEVEL_VARIABLE in os.environ and os.environ.get("_RESIZER_TF_QUIET") != "1":
        return False
    os.environ[LEVEL_VARIABLE] = QUIET_LEVEL
    os.environ["_RESIZER_TF_QUIET"] = "1"  # child processes (xdist, kernels) inherit the choice
    tf_logger = logging.getLogger("tensorflow")  # the logger TensorFlow's Python code writes to
    if not any(isinstance(f, _NoRetracingWarning) for f in tf_logger.filters):
        tf_logger.addFilter(_NoRetracingWarning())
    if "tensorflow" not in sys.modules and not any(isinstance(f, _QuietTensorFlowFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _QuietTensorFlowFinder())
    return True
