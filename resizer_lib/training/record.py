"""``RunRecord``: what one finished ``(arm, seed)`` run leaves, ``<out>/<name>/runs/<arm>_seed<k>.json``.

It reads records of every version (those without ``record_version`` are version 0 and are
written back unchanged) and refuses one that lacks a field a study needs, naming the file.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np

from resizer_lib.files import BrokenRecord, read_json, set_aside, write_json_atomic

__all__ = ["RECORD_VERSION", "RunRecord", "assert_identical_initial_weights", "data_fingerprint",
           "load_run", "weights_checksum"]

RECORD_VERSION = 1  # the typed record; adds precise-BN accuracy (final.*_recalibrated, precise_bn)


@dataclass
class RunRecord:
    """One finished run. ``final`` holds ``val_accuracy``, ``val_loss``, ``val_accuracy_last3``;
    ``history`` the per-epoch metrics (``{"loss": [...], "val_accuracy": [...], ...}``)."""

    arm: str
    seed: int
    history: dict[str, list[float]]
    final: dict[str, float]
    params: int
    initial_backbone_checksum: str
    final_weights_checksum: str
    train_seconds: float
    fingerprint: str = ""
    finished_utc: str | None = None  # absent in the first records
    device: str | None = None
    software: str | None = None
    precise_bn: dict | None = None  # images, layers, seconds of the BatchNorm re-estimation
    val_predictions: dict | None = None  # {"moving": [class per val image], "recalibrated": [...]}
    record_version: int = 0  # 0: written before the schema (no such key in the file)
    extra: dict = field(default_factory=dict)  # keys of newer versions, kept as they are

    _OPTIONAL = ("fingerprint", "finished_utc", "device", "software", "precise_bn", "val_predictions",
                 "record_version")
    _FINAL_KEYS = ("val_accuracy", "val_loss")

    @classmethod
    def from_dict(cls, d: dict, source: str = "run record") -> RunRecord:
        """A record from its JSON object; ``BrokenRecord`` naming ``source`` if it is not one."""
        names = [f.name for f in fields(cls) if f.name != "extra"]
        missing = [n for n in names if n not in d and n not in cls._OPTIONAL]
        if missing:
            raise BrokenRecord(f"{source} is not a run record of compare: it lacks {missing}")
        if not isinstance(d["final"], dict) or any(k not in d["final"] for k in cls._FINAL_KEYS):
            raise BrokenRecord(f"{source}: its 'final' must hold {list(cls._FINAL_KEYS)}; "
                               f"got {d['final']!r}")
        known = {n: d[n] for n in names if n in d}
        return cls(**known, extra={k: v for k, v in d.items() if k not in names})

    def to_dict(self) -> dict:
        """The JSON object, key for key as read (version-0 records gain no keys)."""
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        for name in ("finished_utc", "device", "software", "precise_bn", "val_predictions"):
            if d[name] is None:
                del d[name]
        if self.record_version == 0:
            del d["record_version"]
        return d | self.extra

    def save(self, path: str | Path) -> Path:
        """Write the record atomically (a reader never sees half a file)."""
        return write_json_atomic(path, self.to_dict())


def load_run(path: str | Path, fingerprint: str) -> dict | None:
    """The finished run in ``path`` if it was trained under ``fingerprint``, else ``None``.

    A record that cannot be read (cut short by a crash, a full disk, a hand edit) is renamed
    to ``<name>.json.broken`` with a message, and ``None`` is returned: that run trains again.
    """
    path = Path(path)
    if not path.exists():
        return None
    try:
        record = RunRecord.from_dict(read_json(path), source=str(path)).to_dict()
    except BrokenRecord as err:
        moved = set_aside(path)
        print(f"warning: {err}; moved it to {moved.name} and training that run again",
              file=sys.stderr, flush=True)
        return None
    return record if record.get("fingerprint") == fingerprint else None


def data_fingerprint(data: dict) -> str:
    """A short hash of the training and validation arrays and class names."""
    arrays = [data["x_train"], data["y_train"], data["x_val"], data["y_val"]]
    return weights_checksum(arrays) + "-" + ",".join(map(str, data["class_names"]))


def weights_checksum(weights: Sequence[np.ndarray]) -> str:
    """A short hash of a list of arrays (to assert identical initial weights across arms)."""
    h = hashlib.sha256()
    for w in weights:
        h.update(np.ascontiguousarray(w).tobytes())
    return h.hexdigest()[:16]


def assert_identical_initial_weights(records: list[dict]) -> None:
    sums = {r["arm"]: r["initial_backbone_checksum"] for r in records}
    if len(set(sums.values())) > 1:
        raise AssertionError(f"arms of seed {records[0]['seed']} started from different backbone weights: {sums}")
