"""Shared fixtures. The backend comes from KERAS_BACKEND (the Makefile runs TF, then JAX)."""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

from resizer_lib.tf_logging import install  # noqa: E402

install()  # as setup() and the command line do: no TensorFlow C++ log lines in test output

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from data_fixtures import write_bad_files, write_good_images, write_small_class  # noqa: E402
from PIL import Image  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED_DATASETS = REPO.parent / "shared" / "datasets"



def jax_cache_dir() -> Path:
    """Where the JAX stage keeps compiled code between runs: ``$RESIZER_JAX_CACHE``, else
    ``~/.cache/resizer_lib/jax_compilation/<key>`` (beside the test environments' wheelhouse), one
    folder per CPU model and instruction set, jax and Python: XLA compiles for the CPU it runs on,
    so code compiled on a CPU with AVX-512 must never be loaded on one without."""
    if os.environ.get("RESIZER_JAX_CACHE"):
        return Path(os.environ["RESIZER_JAX_CACHE"])
    import hashlib
    import platform

    import jax

    try:
        cpu = Path("/proc/cpuinfo").read_text().split("\n\n")[0]
        cpu = "\n".join(line for line in cpu.splitlines()
                         if line.split(":")[0].strip() in ("vendor_id", "model name", "flags"))
    except OSError:  # not Linux: the processor's name is the key
        cpu = platform.processor()
    key = hashlib.sha256(f"{platform.machine()}\n{cpu}\n{jax.__version__}\n{sys.version}".encode())
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "resizer_lib" / "jax_compilation" / key.hexdigest()[:16]


if os.environ.get("KERAS_BACKEND") == "jax":
    # JAX compiles every new model's step from scratch (~35 s for the tiny CNN on 2 cores); the
    # persistent cache reuses compiled code across the many identical models the tests build,
    # and across runs on the same machine.
    import jax  # noqa: E402

    jax.config.update("jax_compilation_cache_dir", str(jax_cache_dir()))
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


# -- image folders the data tests share -------------------------------------------------
@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    """train/{cat,dog} + val/{cat,dog}; train/cat holds every awkward and every bad file."""
    root = tmp_path_factory.mktemp("messy")
    good = write_good_images(root / "train" / "cat")
    bad = write_bad_files(root / "train" / "cat")
    write_small_class(root / "train" / "dog", (0, 90, 0), 5)
    write_small_class(root / "val" / "cat", (90, 0, 0), 2)
    write_small_class(root / "val" / "dog", (0, 90, 0), 3)
    noise = np.random.default_rng(0).integers(0, 256, (16, 20, 3), dtype=np.uint8)
    Image.fromarray(noise).save(root / "val" / "dog" / "cut.png")
    png = (root / "val" / "dog" / "cut.png").read_bytes()
    (root / "val" / "dog" / "cut.png").write_bytes(png[: len(png) // 2])  # truncated PNG
    return root, len(good), bad


@pytest.fixture(scope="module")
def classes_only(tmp_path_factory):
    """One folder of class subfolders (no train/val split): 10 + 10 images."""
    root = tmp_path_factory.mktemp("classes")
    write_small_class(root / "apple", (200, 0, 0), 10)
    write_small_class(root / "pear", (0, 200, 0), 10)
    return root


# -- figures and images the viz tests share --------------------------------------------
@pytest.fixture(autouse=True)
def _close_figures():
    """Every test's matplotlib figures are closed after it."""
    yield
    plt.close("all")


@pytest.fixture
def rgb() -> np.ndarray:
    """A smooth RGB ``uint8 (40, 48, 3)`` image with some detail."""
    y, x = np.mgrid[0:40, 0:48]
    img = np.stack([x / 47, y / 39, 0.5 + 0.5 * np.sin(x / 2.0) * np.cos(y / 3.0)], axis=-1)
    return (img * 255).astype(np.uint8)


@pytest.fixture
def fake_colab(monkeypatch) -> list[str]:
    """A stand-in ``google.colab`` in ``sys.modules``: the list records each call of its
    ``output.enable_custom_widget_manager``."""
    calls: list[str] = []
    output = types.SimpleNamespace(enable_custom_widget_manager=lambda: calls.append("on"))
    colab = types.ModuleType("google.colab")
    colab.output = output
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setitem(sys.modules, "google.colab.output", output)
    return calls
