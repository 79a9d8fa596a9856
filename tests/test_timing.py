"""StepTimer: one time per training step, warm-up left out, runs keyed by model name."""

from __future__ import annotations

import math
import time

import keras
import numpy as np
import pytest

from resizer_lib.runtime import resolve_jit  # XLA on JAX, as studies compile; no XLA on a TF CPU
from resizer_lib.training.timing import StepTimer

pytestmark = pytest.mark.multibackend


def _model(name: str) -> keras.Model:
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(inputs), name=name)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", jit_compile=resolve_jit("auto"))
    return model


class _Sleep(keras.callbacks.Callback):
    """Makes every step take at least 20 ms, so the timer has something known to measure."""

    def on_train_batch_begin(self, batch, logs=None):
        time.sleep(0.02)


def test_records_every_step_and_drops_warmup():
    x, y = np.zeros((40, 4), "float32"), np.zeros(40, "int32")
    timer = StepTimer(warmup=2)
    model = _model("a")
    model.fit(x, y, batch_size=10, epochs=2, verbose=0, callbacks=[timer, _Sleep()])
    assert [len(run) for run in timer.steps["a"]] == [8]  # 4 steps x 2 epochs, one run
    assert len(timer.timed("a")) == 6
    assert timer.median_ms("a") >= 20.0  # the sleep happens inside the timed interval
    model.fit(x, y, batch_size=20, epochs=1, verbose=0, callbacks=[timer])  # a second run
    assert [len(run) for run in timer.steps["a"]] == [8, 2]
    assert len(timer.timed("a")) == 6  # the second run's 2 steps are both warm-up


def test_too_few_steps_give_nan_and_unknown_names_raise():
    timer = StepTimer(warmup=5)
    _model("b").fit(np.zeros((8, 4), "float32"), np.zeros(8, "int32"), batch_size=4, verbose=0,
                    callbacks=[timer])
    assert math.isnan(timer.median_ms("b"))
    with pytest.raises(ValueError, match="no run of a model named 'c'"):
        timer.median_ms("c")


@pytest.mark.parametrize("bad", [-1, 1.5, True, "2"])
def test_bad_warmup_raises(bad):
    with pytest.raises(ValueError, match="warmup"):
        StepTimer(warmup=bad)
