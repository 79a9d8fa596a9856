"""What the code runs on (``device_description``, ``software_description``, as run records and notebook headers
name it) and the one XLA policy, ``resolve_jit``."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import keras

__all__ = ["backend_version", "device_description", "resolve_jit", "software_description"]


def resolve_jit(jit: bool | str) -> bool | str:
    """``"auto"``: XLA on TensorFlow only where a GPU is visible (on a CPU it halves the step rate and costs tens
    of seconds of compilation per model); JAX keeps Keras' default (jit)."""
    if jit != "auto":
        return bool(jit)
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        return bool(tf.config.list_physical_devices("GPU"))
    return "auto"


def software_description() -> str:
    """The versions a run trained with, e.g. ``"Keras 3.15.1 / jax 0.11.2, Python 3.12.3"``."""
    return (f"Keras {keras.__version__} / {keras.backend.backend()} {backend_version()}, "
            f"Python {platform.python_version()}")


def backend_version() -> str:
    """The version of the active Keras backend's package (``"unknown"`` if it cannot be read)."""
    module = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}.get(keras.backend.backend(), "numpy")
    try:
        return __import__(module).__version__
    except Exception:  # pragma: no cover
        return "unknown"


def device_description() -> str:
    """The CPU model (with its family and model numbers, which tell a Zen 3 from a Sapphire Rapids where the name
    does not), the cores used (``"1 of 2 cores"`` when pinned by ``taskset``), and the backend's accelerators."""
    fields: dict[str, str] = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().split("\n\n")[0].splitlines():  # the first processor
            key, _, value = line.partition(":")
            fields.setdefault(key.strip(), value.strip())
    except OSError:
        fields["model name"] = platform.processor()
    cpu = fields.get("model name") or "unknown CPU"
    if "cpu family" in fields and "model" in fields:
        cpu += f" (family {fields['cpu family']} model {fields['model']})"
    total = os.cpu_count() or 1
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else total
    desc = f"{cpu}, {total} cores" if usable >= total else f"{cpu}, {usable} of {total} cores"
    try:
        if keras.backend.backend() == "jax":
            import jax

            gpus = [d.device_kind for d in jax.devices() if d.platform != "cpu"]
        elif keras.backend.backend() == "tensorflow":
            import tensorflow as tf

            gpus = [d.name for d in tf.config.list_physical_devices("GPU")]
        else:
            gpus = []
    except Exception:  # pragma: no cover
        gpus = []
    return desc + (f"; accelerators: {', '.join(gpus)}" if gpus else "")
