"""The study scripts in resizer_lab/scripts/: the bookkeeping that decides what to summarise, without training."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[2] / "resizer_lab" / "scripts"


def finished_seeds(runs: Path, arms: str) -> str:
    """``gpu_study.sh finished-seeds ARMS`` on a runs folder (``OUT_DIR/NAME/runs``)."""
    out = subprocess.run(["bash", str(TOOLS / "gpu_study.sh"), "finished-seeds", arms],
                         env={"OUT_DIR": str(runs.parent.parent), "NAME": runs.parent.name,
                              "PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_gpu_study_summarises_every_finished_seed_whatever_the_call(tmp_path):
    runs = tmp_path / "study" / "runs"
    runs.mkdir(parents=True)
    for name in ("bilinear_seed0", "learned_seed0", "bilinear_seed12", "learned_seed12",
                 "bilinear_seed3", "learned_seed3.csv", "bilinear_seed2", "learned_seed2"):
        (runs / (name if name.endswith(".csv") else name + ".json")).write_text("{}")
    assert finished_seeds(runs, "bilinear,learned") == "0,2,12,"  # 3 is still running
    assert finished_seeds(runs, "bilinear") == "0,2,3,12,"
    assert finished_seeds(tmp_path / "absent" / "runs", "bilinear,learned") == ""


def test_photo_study_summary_refuses_and_names_missing_runs(tmp_path):
    (tmp_path / "resizer_lab" / "scripts").mkdir(parents=True)
    shutil.copy(TOOLS / "photo_study.sh", tmp_path / "resizer_lab" / "scripts")
    runs = tmp_path / "results" / "photos_small_cnn_128to64" / "runs"
    runs.mkdir(parents=True)
    for arm in ("bilinear", "learned", "more_layers", "full_res"):
        for seed in range(5):
            if (arm, seed) != ("full_res", 4):
                (runs / f"{arm}_seed{seed}.json").write_text("{}")
    data = tmp_path / "photos"
    data.mkdir()
    out = subprocess.run(["bash", str(tmp_path / "resizer_lab" / "scripts" / "photo_study.sh"), "summary"],
                         env={"DATA": str(data), "PY": "/bin/false", "PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "photos_small_cnn_128to64 still misses (arm/seed): full_res/4" in out.stdout
    assert "keras_io still misses (arm/seed): bilinear/0 bilinear/1 learned/0 learned/1" in out.stdout


def _fair_report(tmp_path: Path, **env) -> subprocess.CompletedProcess:
    """``fair_study.sh report`` run from a copy of the script, its OUT in ``tmp_path/results``."""
    (tmp_path / "resizer_lab" / "scripts").mkdir(parents=True, exist_ok=True)
    shutil.copy(TOOLS / "fair_study.sh", tmp_path / "resizer_lab" / "scripts")
    (tmp_path / "results").mkdir(exist_ok=True)
    return subprocess.run(["bash", str(tmp_path / "resizer_lab" / "scripts" / "fair_study.sh"), "report"],
                          env={"PY": sys.executable, "PATH": "/usr/bin:/bin", **env},
                          capture_output=True, text=True, timeout=60)


def test_fair_report_scores_against_its_own_studys_labels(tmp_path):
    out = _fair_report(tmp_path, DATA="photos")  # no 2x summary yet: named, with the fix
    assert out.returncode == 2 and "results/fair_small_cnn_128to64.json" in out.stderr, out.stderr
    assert "fair_study.sh summary" in out.stderr and not (tmp_path / "results" / "fair_small_cnn.md").exists()
    summary = {"provenance": {"dataset": "other_photos", "counts": {"train": 3, "val": 2}}, "val_labels": [0, 1]}
    (tmp_path / "results" / "fair_small_cnn_128to64.json").write_text(json.dumps(summary))
    out = _fair_report(tmp_path, DATA="photos")  # labels of another dataset: refused, not used
    assert out.returncode == 2 and "other_photos" in out.stderr and "DATA=photos" in out.stderr, out.stderr
    out = _fair_report(tmp_path, DATA="other_photos")  # its own labels: every comparison listed, none run yet
    assert out.returncode == 0 and out.stdout.count("runs not finished") == 3 + 7, out.stdout  # no old map: 7 secondary
    assert "(3 training / 2 validation photos)" in out.stdout
