"""Rerunning a committed study's own command trains nothing: every run is found and reused.

Each study JSON records the command that made it. Run again (into a copy of its runs folder),
the lab must recognise every finished run by its fingerprint; training anything would mean the
code no longer reproduces what was committed.
"""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "datasets"


def _rerun(name: str, tmp_path: Path, monkeypatch, capsys) -> str:
    from resizer_lab.cli import main
    from resizer_lib.training import runner

    study = json.loads((REPO / "results" / f"{name}.json").read_text())
    argv = shlex.split(study["provenance"]["command"])
    assert argv[:3] == ["python", "-m", "resizer_lib"] or argv[:3] == ["python", "-m", "resizer_lab"]
    args = argv[3:]
    out = args.index("--out") + 1
    args[out] = str(tmp_path)
    shutil.copytree(REPO / "results" / name / "runs", tmp_path / name / "runs")

    def refuse(config, arm, seed, *rest, **kwargs):
        raise AssertionError(f"{name}: the committed command would train arm={arm} seed={seed}")

    monkeypatch.setattr(runner, "train_run", refuse)
    monkeypatch.chdir(REPO)  # relative data paths in the command are relative to the checkout
    assert main(args) == 0
    return capsys.readouterr().out


@pytest.mark.slow
def test_the_offline_study_reruns_without_training(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RESIZER_PROFILE", "quick")
    out = _rerun("synthetic_quick", tmp_path, monkeypatch, capsys)
    assert out.count("reusing finished run") == 9


@pytest.mark.slow
@pytest.mark.photos
@pytest.mark.parametrize(("name", "runs"), [("map_small_cnn_128to64", 25),  # the 2x map
                                            ("fair_small_cnn5_128", 5)])   # the fair test's headroom control
def test_a_photo_study_reruns_without_training(name, runs, tmp_path, monkeypatch, capsys):
    if not (SHARED / "cats_vs_dogs").is_dir():
        pytest.skip("the real photos are not beside the checkout")
    out = _rerun(name, tmp_path, monkeypatch, capsys)
    assert out.count("reusing finished run") == runs
