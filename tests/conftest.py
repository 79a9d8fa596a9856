"""Shared fixtures. The backend comes from KERAS_BACKEND (the Makefile runs TF, then JAX)."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED_DATASETS = REPO.parent / "shared" / "datasets"

if os.environ.get("KERAS_BACKEND") == "jax":
    # JAX compiles every new model's step from scratch (~35 s for the tiny CNN on 2 cores); the
    # persistent cache reuses compiled code across the many identical models the tests build.
    import jax  # noqa: E402

    jax.config.update("jax_compilation_cache_dir", str(REPO / ".pytest_cache" / "jax_compilation"))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", -1)


@pytest.fixture(scope="session")
def photos_dir() -> Path:
    """``../shared/datasets/cats_vs_dogs``; skips the test where the licensed photos are absent."""
    path = SHARED_DATASETS / "cats_vs_dogs"
    if not path.is_dir():
        pytest.skip(f"real photos not available at {path} (they are never shipped with the repo)")
    return path


@pytest.fixture(scope="session")
def backend() -> str:
    import keras

    return keras.backend.backend()
