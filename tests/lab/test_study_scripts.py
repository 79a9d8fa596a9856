"""The study scripts in resizer_lab/scripts/: the bookkeeping that decides what to summarise, without training."""

from __future__ import annotations

import shutil
import subprocess
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
