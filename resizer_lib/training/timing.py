"""Training step times, measured inside ``fit`` by a callback: ``StepTimer``.

Per-batch wall time is taken between ``on_train_batch_begin`` and ``on_train_batch_end``. Keras
hands a callback the batch's logs only after the step has finished (it converts them to Python
numbers for any callback not marked async-safe), so the interval covers the whole step on every
backend. The first ``warmup`` steps of each run are left out of the summary: they include
tracing and compilation, which can take longer than the rest of a short run together.

Runs are keyed by the model's name (``build_arm`` names a model ``<backbone>_<arm>``); a name
seen again (another seed) adds to the same list.
"""

from __future__ import annotations

import math
import time

import keras
import numpy as np

__all__ = ["StepTimer"]


class StepTimer(keras.callbacks.Callback):
    """Records each training step's wall time, per model name.

    Example::

        timer = StepTimer(warmup=2)
        model.fit(x, y, epochs=2, callbacks=[timer])
        timer.median_ms(model.name)   # median step time in milliseconds (NaN if too few steps)

    Attributes:
        steps: ``{model name: [seconds of step 0, step 1, ...]}`` per run, warm-up included.
    """

    def __init__(self, warmup: int = 1):
        super().__init__()
        if isinstance(warmup, bool) or not isinstance(warmup, int) or warmup < 0:
            raise ValueError(f"warmup must be an integer >= 0 (steps left out per run); got {warmup!r}")
        self.warmup = warmup
        self.steps: dict[str, list[list[float]]] = {}
        self._start = 0.0

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
