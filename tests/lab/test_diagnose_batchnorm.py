"""resizer_lab/scripts/diagnose_batchnorm.py: train like compare, then measure what the BatchNorm statistics do."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

TOOL = Path(__file__).resolve().parents[2] / "resizer_lab" / "scripts" / "diagnose_batchnorm.py"


def load_tool():
    spec = importlib.util.spec_from_file_location("diagnose_batchnorm", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_inference_view_counts_accuracy_and_class_shares():
    import keras

    tool = load_tool()
    inputs = keras.Input((4, 4, 3))
    constant = keras.layers.Lambda(lambda x: keras.ops.stack(  # always class 1
        [keras.ops.zeros_like(x[:, 0, 0, 0]), keras.ops.ones_like(x[:, 0, 0, 0])], axis=-1))(inputs)
    model = keras.Model(inputs, constant)
    view = tool.inference_view(model, np.zeros((5, 4, 4, 3), "float32"), np.array([1, 1, 0, 0, 0]), 2)
    assert view == {"accuracy": pytest.approx(0.4), "predicted_shares": [0.0, 1.0]}


@pytest.mark.slow
def test_diagnosis_writes_both_views_per_run(tmp_path):
    tool = load_tool()
    assert tool.main(["--data", "synthetic", "--image-size", "32", "--target-size", "16",
                      "--backbone", "small_cnn", "--epochs", "1", "--num-train", "64", "--num-val", "32",
                      "--arms", "learned", "--seeds", "3,", "--probe", "32", "--verbose", "0",
                      "--out", str(tmp_path), "--name", "tiny", "--runs-dir", str(tmp_path / "r")]) == 0
    assert (tmp_path / "r").is_dir() and not list((tmp_path / "r").rglob("*.csv"))  # done: no backup left
    saved = json.loads((tmp_path / "tiny" / "batchnorm.json").read_text())
    assert saved["probe"] == 32 and saved["config"]["seeds"] == [3]
    (run,) = saved["runs"]
    assert run["arm"] == "learned" and run["seed"] == 3 and run["batchnorm_layers"] > 4
    for view in ("moving_statistics", "recalibrated"):
        for part in ("val", "train_probe"):
            shares = run[view][part]["predicted_shares"]
            assert len(shares) == 2 and sum(shares) == pytest.approx(1.0, abs=1e-3)
            assert 0.0 <= run[view][part]["accuracy"] <= 1.0
    assert len(run["history"]["val_accuracy"]) == 1 and "Keras" in run["software"]


@pytest.mark.slow
def test_runs_of_separate_calls_are_gathered_and_kept_runs_are_not_retrained(tmp_path, capsys):
    tool = load_tool()

    def call(arms: str, probe: int = 32, seeds: str = "0,", *extra: str) -> int:
        return tool.main(["--data", "synthetic", "--image-size", "32", "--target-size", "16",
                          "--backbone", "small_cnn", "--epochs", "1", "--num-train", "64",
                          "--num-val", "32", "--probe", str(probe), "--verbose", "0", "--out",
                          str(tmp_path), "--name", "tiny", "--runs-dir", str(tmp_path / "r"),
                          "--arms", arms, "--seeds", seeds, *extra])

    assert call("bilinear") == 0
    assert call("learned") == 0  # another process, say
    saved = json.loads((tmp_path / "tiny" / "batchnorm.json").read_text())
    assert [(r["arm"], r["seed"]) for r in saved["runs"]] == [("bilinear", 0), ("learned", 0)]
    assert saved["config"]["arms"] == ["bilinear", "learned"] and saved["config"]["seeds"] == [0]
    kept = (tmp_path / "tiny" / "batchnorm" / "bilinear_seed0.json").read_text()
    capsys.readouterr()
    assert call("bilinear,learned") == 0
    assert capsys.readouterr().out.count("not retrained") == 2
    assert (tmp_path / "tiny" / "batchnorm" / "bilinear_seed0.json").read_text() == kept
    assert call("learned", 32, "0,1", "--gather-only") == 0  # seed 1 is missing: listed, not trained
    assert "learned seed 1: missing" in capsys.readouterr().out
    assert not (tmp_path / "tiny" / "batchnorm" / "learned_seed1.json").exists()
    assert len(json.loads((tmp_path / "tiny" / "batchnorm.json").read_text())["runs"]) == 2
    before = (tmp_path / "tiny" / "batchnorm.json").read_text()
    assert call("learned", 8, "0,", "--gather-only") == 1  # nothing kept with probe 8: file untouched
    assert "no finished diagnosis" in capsys.readouterr().err
    assert (tmp_path / "tiny" / "batchnorm.json").read_text() == before
    # another probe measures differently: the kept run is not reused, and not gathered with it
    assert call("bilinear", probe=16) == 0
    saved = json.loads((tmp_path / "tiny" / "batchnorm.json").read_text())
    assert [(r["arm"], saved["probe"]) for r in saved["runs"]] == [("bilinear", 16)]
