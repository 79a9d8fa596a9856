"""The run record (``resizer_lib.training.record``), and the committed studies it reads."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from resizer_lib.files import BrokenRecord
from resizer_lib.training import ExperimentConfig, compare
from resizer_lib.training.record import RECORD_VERSION, check_record, load_run, save_run

pytestmark = pytest.mark.multibackend

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "results" / "synthetic_quick"


def test_every_committed_run_record_reads_and_writes_back_unchanged(tmp_path):
    paths = sorted((REPO / "results").glob("*/runs/*_seed*.json"))
    assert len(paths) >= 9
    for path in paths:
        text = path.read_text()
        assert load_run(path, json.loads(text).get("fingerprint")) == json.loads(text), path
        save_run(json.loads(text), tmp_path / "r.json")
        assert (tmp_path / "r.json").read_text() == text, path  # key for key, in the same order


def test_a_new_record_carries_its_version_and_round_trips(tmp_path):
    raw = json.loads(next(COMMITTED.glob("runs/*.json")).read_text()) | {"record_version": RECORD_VERSION,
                                                                          "a_future_key": [1]}
    save_run(raw, tmp_path / "r.json")
    assert json.loads((tmp_path / "r.json").read_text()) == raw


@pytest.mark.parametrize("drop, message", [("final", "lacks ['final']"), ("seed", "lacks ['seed']")])
def test_a_record_without_a_needed_field_is_refused_by_name(drop, message):
    raw = json.loads(next(COMMITTED.glob("runs/*.json")).read_text())
    del raw[drop]
    with pytest.raises(BrokenRecord, match=re.escape(f"runs/x.json is not a run record of compare: it {message}")):
        check_record(raw, source="runs/x.json")


def test_a_record_missing_a_field_is_set_aside_like_a_truncated_one(tmp_path, capsys):
    raw = json.loads(next(COMMITTED.glob("runs/*.json")).read_text())
    del raw["final"]["val_loss"]
    path = tmp_path / "bilinear_seed0.json"
    path.write_text(json.dumps(raw))
    assert load_run(path, raw["fingerprint"]) is None
    assert "moved it to bilinear_seed0.json.broken" in capsys.readouterr().err


def test_rerunning_the_committed_offline_study_trains_nothing(tmp_path, monkeypatch):
    """The study's fingerprint (config + data) is unchanged by the library's reorganisation:
    its committed command reuses every committed run."""
    import resizer_lib.training.runner as runner

    saved = json.loads((REPO / "results" / "synthetic_quick.json").read_text())
    shutil.copytree(COMMITTED, tmp_path / "synthetic_quick")

    def no_training(*args, **kwargs):
        raise AssertionError(f"a committed run was retrained: {args[1:3]}")

    monkeypatch.setattr(runner, "train_run", no_training)
    config = ExperimentConfig.from_dict(saved["config"] | {"out_dir": str(tmp_path)})
    results = compare(config)
    assert results["fingerprint"] == saved["fingerprint"]
    assert results["provenance"]["runs_reused"] == len(saved["runs"])
    assert_close(json.loads(json.dumps(results["summary"])), saved["summary"])


def assert_close(a, b, path="summary"):
    """Equal structure, equal strings, floats equal to 1e-12 (the interval is now scipy's)."""
    if isinstance(b, dict):
        assert isinstance(a, dict) and a.keys() == b.keys(), path
        for k in b:
            assert_close(a[k], b[k], f"{path}.{k}")
    elif isinstance(b, list):
        assert isinstance(a, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_close(x, y, f"{path}[{i}]")
    elif isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-12, nan_ok=True), path
    else:
        assert a == b, path


@pytest.mark.photos
@pytest.mark.slow
def test_rerunning_the_committed_photo_study_trains_nothing(photos_dir, tmp_path, monkeypatch):
    """The same on the real photos (skipped where ``../shared/datasets`` is absent): the
    128 -> 64 study's 20 committed runs are all reused, so its fingerprint is unchanged."""
    import resizer_lib.training.runner as runner

    name = "photos_small_cnn_128to64"
    saved = json.loads((REPO / "results" / f"{name}.json").read_text())
    shutil.copytree(REPO / "results" / name, tmp_path / name)
    monkeypatch.setattr(runner, "train_run", lambda *a, **k: pytest.fail(f"retrained {a[1:3]}"))
    config = ExperimentConfig.from_dict(saved["config"] | {"out_dir": str(tmp_path),
                                                           "data": str(photos_dir)})
    results = compare(config)
    assert results["fingerprint"] == saved["fingerprint"]
    assert results["provenance"]["runs_reused"] == len(saved["runs"]) == 20
