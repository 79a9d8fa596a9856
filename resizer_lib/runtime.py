"""What the code runs on (``device_description``, ``software_description``, as run records and
notebook headers name it) and the one XLA policy, ``resolve_jit``."""

from __future__ import annotations

import os
from pathlib import Path

import keras

__all__ = ["backend_version", "device_description", "resolve_jit", "software_description"]


def resolve_jit(jit: bool | str) -> bool | str:
    """``"auto"``: XLA on TensorFlow only where a GPU is visible (on a CPU it halves the step
    rate and costs tens of seconds of compilation per model); JAX keeps Keras' default (jit)."""
    if jit != "auto":
        return bool(jit)
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        return bool(tf.config.list_physical_devices("GPU"))
    return "auto"


def software_description() -> str:
    """The versions a run trained with, e.g. ``"Keras 3.15.1 / jax 0.11.2, Python 3.12.3"``."""
    import platform

    return (f"Keras {keras.__version__} / {keras.backend.backend()} {backend_version()}, "
            f"Python {platform.python_version()}")


def backend_version() -> str:
    backend = keras.backend.backend()
    module = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}.get(backend, "numpy")
    try:
        return __import__(module).__version__
    except Exception:  # pragma: no cover
        return "unknown"


def device_description() -> str:
    """The CPU model (with its family and model numbers, which tell a Zen 3 from a Sapphire
    Rapids where the name does not), the core count, and accelerators the backend sees."""
    cpu = "unknown CPU"
    try:
        fields = {}
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            fields.setdefault(key.strip(), value.strip())
            if not line.strip():  # the first processor's block is enough
                break
        cpu = fields.get("model name", cpu)
        if "cpu family" in fields and "model" in fields:
            cpu += f" (family {fields['cpu family']} model {fields['model']})"
    except OSError:
        import platform

        cpu = platform.processor() or cpu
    desc = f"{cpu}, {_cores_used()}"
    try:
        if keras.backend.backend() == "jax":
            import jax

            gpus = [d.device_kind for d in jax.devices() if d.platform != "cpu"]
        elif keras.backend.backend() == "tensorflow":
            import tensorflow as tf

            gpus = [d.name for d in tf.config.list_physical_devices("GPU")]
        else:
            gpus = []
        if gpus:
            desc += f"; accelerators: {', '.join(gpus)}"
    except Exception:  # pragma: no cover
        pass
    return desc


def _cores_used() -> str:
    """``"2 cores"``, or ``"1 of 2 cores"`` when the process is pinned (``taskset``)."""
    total = os.cpu_count() or 1
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        usable = total
    return f"{total} cores" if usable >= total else f"{usable} of {total} cores"
