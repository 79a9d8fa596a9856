"""Atomic writes and broken run records (``resizer_lib.files``)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from resizer_lib.files import (
    BrokenRecord,
    read_json,
    set_aside,
    write_json_atomic,
    write_text_atomic,
)


def test_atomic_write_replaces_the_whole_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "sub" / "run.json"
    write_json_atomic(path, {"a": 1})
    write_json_atomic(path, {"b": [1, 2]})
    assert read_json(path) == {"b": [1, 2]}
    assert sorted(p.name for p in path.parent.iterdir()) == ["run.json"]


def test_a_write_that_fails_midway_keeps_the_old_file(tmp_path):
    path = tmp_path / "run.json"
    write_json_atomic(path, {"old": True})
    with pytest.raises(TypeError):
        write_json_atomic(path, {"new": object()})  # not serialisable: fails before any byte
    (tmp_path / "a_file").write_text("")
    with pytest.raises(OSError):  # its folder cannot be made: nothing half-written anywhere
        write_text_atomic(tmp_path / "a_file" / "x.json", "{}")
    assert read_json(path) == {"old": True}
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_process_killed_during_the_write_leaves_the_old_record_whole(tmp_path):
    """SIGKILL after the bytes are written but before the rename: the reader sees the old file."""
    path = tmp_path / "learned_seed0.json"
    write_json_atomic(path, {"final": {"val_accuracy": 0.5}, "arm": "learned", "seed": 0})
    code = textwrap.dedent(f"""
        import os, signal
        import resizer_lib.files as files
        os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)   # die mid-write
        files.write_json_atomic({str(path)!r}, {{"final": {{"val_accuracy": 0.9}}, "x": "y" * 100000}})
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert result.returncode == -9
    assert read_json(path)["final"]["val_accuracy"] == 0.5
    leftovers = [p.name for p in tmp_path.iterdir() if p != path]
    assert all(n.startswith(".learned_seed0.json.") and n.endswith(".tmp") for n in leftovers)
    assert sorted(p.name for p in tmp_path.glob("*.json")) == ["learned_seed0.json"]


@pytest.mark.parametrize("content, why", [
    ('{\n "arm": "learned",\n "hist', "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not valid JSON"),
    ("[1, 2]", "holds a JSON list"),
    ("", "not valid JSON"),
], ids=["truncated", "binary", "a list", "empty"])
def test_broken_records_are_named(tmp_path, content, why):
    path = tmp_path / "bilinear_seed3.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(BrokenRecord, match=why) as err:
        read_json(path)
    assert str(path) in str(err.value)


def test_set_aside_never_overwrites_an_earlier_broken_file(tmp_path):
    for k in range(3):
        (tmp_path / "a.json").write_text(f"{{{k}")
        set_aside(tmp_path / "a.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json.broken", "a.json.broken2",
                                                           "a.json.broken3"]
    assert [(tmp_path / n).read_text() for n in ("a.json.broken", "a.json.broken3")] == ["{0", "{2"]
