"""The run record: what one finished ``(arm, seed)`` run leaves, ``<out>/<name>/runs/<arm>_seed<k>.json``.

A JSON object. Records of every version read (no ``record_version``: version 0), keys of later versions
are kept as they are, and a record that lacks a field a study needs is refused, naming the file.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from resizer_lib.files import BrokenRecord, read_json, set_aside, write_json_atomic
from resizer_lib.runtime import device_description, software_description

__all__ = ["RECORD_VERSION", "assert_identical_initial_weights", "check_record", "data_fingerprint",
           "finish_record", "load_run", "save_run", "weights_checksum"]

RECORD_VERSION = 1  # adds precise-BN accuracy (final.*_recalibrated, precise_bn)
# every record has these (``final``: val_accuracy, val_loss, val_accuracy_last3, ...); older records
# may lack the OPTIONAL ones. A file holds them in this order, then any others.
REQUIRED = ("arm", "seed", "history", "final", "params", "initial_backbone_checksum", "final_weights_checksum",
            "train_seconds")
OPTIONAL = ("fingerprint", "finished_utc", "device", "software", "precise_bn", "val_predictions", "record_version")
_FINAL_KEYS = ("val_accuracy", "val_loss")


def check_record(record: dict, source: str = "run record") -> dict:
    """``record`` itself if it is a run record of ``compare``; ``BrokenRecord`` naming ``source`` else."""
    missing = [n for n in REQUIRED if n not in record]
    if missing:
        raise BrokenRecord(f"{source} is not a run record of compare: it lacks {missing}")
    if not isinstance(record["final"], dict) or any(k not in record["final"] for k in _FINAL_KEYS):
        raise BrokenRecord(f"{source}: its 'final' must hold {list(_FINAL_KEYS)}; got {record['final']!r}")
    return record


def finish_record(record: dict, fingerprint: str) -> dict:
    """``record`` (its ``model`` removed) with the bookkeeping of a finished run: its fingerprint,
    when and where it ran (a study can span several jobs and machines), the record version."""
    record.pop("model", None)
    return record | {"fingerprint": fingerprint, "finished_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
                     "device": device_description(), "software": software_description(),
                     "record_version": RECORD_VERSION}


def save_run(record: dict, path: str | Path) -> Path:
    """Check ``record`` and write it atomically (a reader never sees half a file)."""
    check_record(record, str(path))
    return write_json_atomic(path, {k: record[k] for k in (*REQUIRED, *OPTIONAL) if k in record} | record)


def load_run(path: str | Path, fingerprint: str) -> dict | None:
    """The finished run in ``path`` if it was trained under ``fingerprint``, else ``None``.

    A record that cannot be read (cut short by a crash, a full disk, a hand edit) is renamed
    to ``<name>.json.broken`` with a message, and ``None`` is returned: that run trains again.
    """
    path = Path(path)
    if not path.exists():
        return None
    try:
        record = check_record(read_json(path), source=str(path))
    except BrokenRecord as err:
        moved = set_aside(path)
        print(f"warning: {err}; moved it to {moved.name} and training that run again", file=sys.stderr, flush=True)
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
    """``AssertionError`` unless every record (the arms of one seed) started from the same backbone weights."""
    sums = {r["arm"]: r["initial_backbone_checksum"] for r in records}
    if len(set(sums.values())) > 1:
        raise AssertionError(f"arms of seed {records[0]['seed']} started from different backbone weights: {sums}")
