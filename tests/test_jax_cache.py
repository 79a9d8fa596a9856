"""The JAX stage's compilation cache (tests/conftest.py): kept between runs, never across CPUs."""

from __future__ import annotations

import re
from pathlib import Path

import keras
import pytest
from conftest import jax_cache_dir


def test_a_folder_set_by_hand_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("RESIZER_JAX_CACHE", str(tmp_path / "mine"))
    assert jax_cache_dir() == tmp_path / "mine"


def test_the_default_lies_in_the_user_cache_under_a_key_of_this_machine(monkeypatch, tmp_path):
    pytest.importorskip("jax")
    monkeypatch.delenv("RESIZER_JAX_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = jax_cache_dir()
    assert path.parent == tmp_path / "resizer_lib" / "jax_compilation"
    assert re.fullmatch(r"[0-9a-f]{16}", path.name)
    assert jax_cache_dir() == path  # the same machine, the same folder


def test_another_cpu_gets_another_folder(monkeypatch, tmp_path):
    pytest.importorskip("jax")
    monkeypatch.delenv("RESIZER_JAX_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    here = jax_cache_dir()
    real_read = Path.read_text

    def other_cpu(self, *args, **kwargs):
        text = real_read(self, *args, **kwargs)
        return text.replace("flags", "flags\t: avx512f_not_here", 1) if str(self) == "/proc/cpuinfo" else text

    cpuinfo = Path("/proc/cpuinfo")
    if not cpuinfo.exists() or "flags" not in real_read(cpuinfo):
        pytest.skip("no /proc/cpuinfo flags on this system")
    monkeypatch.setattr(Path, "read_text", other_cpu)
    assert jax_cache_dir() != here


@pytest.mark.multibackend
@pytest.mark.skipif(keras.backend.backend() != "jax", reason="the cache is set up under JAX only")
def test_the_jax_stage_uses_it():
    import jax

    assert jax.config.jax_compilation_cache_dir == str(jax_cache_dir())
