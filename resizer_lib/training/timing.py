"""``StepTimer``: training step times inside ``fit``, per model name.

Keras hands a callback the batch's logs only after the step has finished, so the interval
between ``on_train_batch_begin`` and ``..._end`` covers the step on every backend. The first
``warmup`` steps of each run (tracing, compilation) are left out of the summary.
"""

from __future__ import annotations

import math
import time

import keras
import numpy as np

from resizer_lib._checks import check_int

__all__ = ["StepTimer"]


class StepTimer(keras.callbacks.Callback):
    """Records each training step's wall time: ``steps[model name]`` is one list of seconds per
    run, warm-up included. ``fit(..., callbacks=[timer])``, then ``timer.median_ms(model.name)``."""

    def __init__(self, warmup: int = 1):
        super().__init__()
        self.warmup = check_int(warmup, "warmup (the steps left out per run)", minimum=0)
        self.steps, self._start = {}, 0.0  # steps: {model name: [[seconds of each step] per run]}

    def on_train_begin(self, logs=None):
        self.steps.setdefault(self.model.name, []).append([])

    def on_train_batch_begin(self, batch, logs=None):
        self._start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.steps[self.model.name][-1].append(time.perf_counter() - self._start)

    def timed(self, name: str) -> list[float]:
        """Step times (seconds) of every run of ``name``, each without its first ``warmup`` steps."""
        if name not in self.steps:
            raise ValueError(f"no run of a model named {name!r} was timed; timed: {sorted(self.steps)}")
        return [t for run in self.steps[name] for t in run[self.warmup :]]

    def median_ms(self, name: str) -> float:
        """Median step time of ``name`` in milliseconds; NaN when every step was warm-up."""
        times = self.timed(name)
        return float(np.median(times)) * 1000.0 if times else math.nan
