"""Atomic writes, and JSON run records that may be broken (set aside, never blocking a study)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

__all__ = ["write_text_atomic", "write_json_atomic", "read_json", "set_aside", "BrokenRecord"]


class BrokenRecord(ValueError):
    """A JSON file that cannot be read back: truncated, not UTF-8, not JSON, or not an object."""


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename: a reader sees the old
    file or the new one, never a part; a crash, a kill or a full disk during the write leaves at most a hidden
    ``.<name>.*.tmp`` file beside it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_json_atomic(path: str | Path, obj, **dumps_kwargs) -> Path:
    """``write_text_atomic`` of ``json.dumps(obj, indent=1, **dumps_kwargs)``."""
    return write_text_atomic(path, json.dumps(obj, indent=1, **dumps_kwargs))


def read_json(path: str | Path) -> dict:
    """The JSON object in ``path``; ``BrokenRecord`` (naming the file) if it cannot be read."""
    try:
        obj = json.loads(Path(path).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise BrokenRecord(f"{path} is not valid JSON ({err}); it was probably cut short by a crash or a full "
                           f"disk") from None
    if not isinstance(obj, dict):
        raise BrokenRecord(f"{path} holds a JSON {type(obj).__name__}, not a run record (an object)")
    return obj


def set_aside(path: str | Path) -> Path:
    """Rename ``path`` to ``<path>.broken`` (``.broken2``, ... if taken) and return the new path."""
    path = Path(path)
    target, k = path.with_name(path.name + ".broken"), 1
    while target.exists():
        k += 1
        target = path.with_name(f"{path.name}.broken{k}")
    os.replace(path, target)
    return target
