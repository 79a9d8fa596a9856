"""``resizer_lib.runtime``: the machine a run records, and the jit policy."""

from __future__ import annotations

import keras
import pytest

pytestmark = pytest.mark.multibackend




def test_device_description_says_when_the_process_is_pinned_to_fewer_cores(monkeypatch):
    import os

    from resizer_lib.runtime import device_description

    total = os.cpu_count()
    assert f"{total} cores" in device_description()
    if total > 1:  # a study run under `taskset -c 0` must not claim every core
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
        assert f"1 of {total} cores" in device_description()


def test_run_records_say_what_they_trained_with():

    from resizer_lib.runtime import software_description

    text = software_description()
    assert text.startswith(f"Keras {keras.__version__} / {keras.backend.backend()} ") and "Python 3." in text
