"""The paired runner: determinism, resume, identical initial weights, outputs, reuse of runs."""

from __future__ import annotations

import json

import keras
import pytest
from data_fixtures import tiny_data

from resizer_lib.training import ExperimentConfig, compare, train_run
from resizer_lib.training.record import assert_identical_initial_weights

pytestmark = pytest.mark.multibackend



def tiny_config(tmp_path, **kw):
    base = dict(name="tiny", image_size=(16, 16), target_size=(8, 8), epochs=2, batch_size=16,
                seeds=(0,), arms=("bilinear", "learned"), filters=2, backbone="tiny_cnn", out_dir=str(tmp_path),
                verbose=0, jit="auto", run_eagerly=keras.backend.backend() == "tensorflow")
    # TF: eager, as a graph build outlasts these runs; JAX: jit, with the compilation cache
    return ExperimentConfig(**(base | kw))




@pytest.mark.slow  # TF only in CI: JAX compiles each new step (30-70 s here)
def test_same_seed_twice_gives_identical_weights_and_metrics(tmp_path):
    """In graph mode (TF) or jit (JAX), the way real studies run."""
    graph = tiny_config(tmp_path, run_eagerly=False)
    data = tiny_data()
    r1 = train_run(graph, "learned", 0, data, tmp_path / "a")
    r2 = train_run(graph, "learned", 0, data, tmp_path / "b")
    assert r1["final_weights_checksum"] == r2["final_weights_checksum"]
    assert r1["final"] == r2["final"]
    assert r1["history"] == r2["history"]
    assert len(r1["history"]["val_accuracy"]) == 2
    fast = tiny_config(tmp_path)  # and the checksum does tell seeds apart
    e0 = train_run(fast, "learned", 0, data, tmp_path / "c") if fast.run_eagerly else r1
    e1 = train_run(fast, "learned", 1, data, tmp_path / "d")
    assert e0["final_weights_checksum"] != e1["final_weights_checksum"]


class _Interrupt(keras.callbacks.Callback):
    """Raises after ``after`` training batches in total (simulates a crash or a preemption)."""

    def __init__(self, after):
        super().__init__()
        self.after, self.seen = after, 0

    def on_train_batch_end(self, batch, logs=None):
        self.seen += 1
        if self.seen == self.after:
            raise KeyboardInterrupt("simulated interruption")


@pytest.mark.slow  # TF only in CI: JAX compiles each new step (30-70 s here)
def test_interrupted_run_resumes_to_the_uninterrupted_result(tmp_path):
    config, data = tiny_config(tmp_path, epochs=3), tiny_data()
    reference = train_run(config, "learned", 0, data, tmp_path / "ref")
    run_dir = tmp_path / "resumed"
    with pytest.raises(KeyboardInterrupt):  # 3 batches per epoch: dies inside epoch 2
        train_run(config, "learned", 0, data, run_dir, callbacks=[_Interrupt(after=5)])
    assert (run_dir / "backup" / "learned_seed0").exists()
    resumed = train_run(config, "learned", 0, data, run_dir)
    assert resumed["final_weights_checksum"] == reference["final_weights_checksum"]
    assert resumed["final"] == reference["final"]
    assert len(resumed["history"]["val_accuracy"]) == 3
    assert not (run_dir / "backup" / "learned_seed0").exists()


def test_compare_asserts_identical_initial_weights_and_records_every_run(tmp_path):
    config = tiny_config(tmp_path, arms=("more_layers", "full_res"), seeds=(0, 1), epochs=1)
    results = compare(config, data=tiny_data())
    for seed in (0, 1):
        sums = {r["initial_backbone_checksum"] for r in results["runs"] if r["seed"] == seed}
        assert len(sums) == 1
    assert [(p["a"], p["b"], p["n"]) for p in results["summary"]["pairs"]] == [("more_layers", "full_res", 2)]
    assert results["provenance"]["backend"] == keras.backend.backend()
    assert results["provenance"]["seeds"] == [0, 1]
    saved = sorted((tmp_path / "tiny" / "runs").glob("*.json"))  # the study's files are the lab's
    assert [p.name for p in saved] == ["full_res_seed0.json", "full_res_seed1.json",
                                       "more_layers_seed0.json", "more_layers_seed1.json"]
    runs = [json.loads(p.read_text()) for p in saved]
    assert all(keras.backend.backend() in r["software"] and r["device"] for r in runs)
    assert not (tmp_path / "tiny.json").exists()


@pytest.mark.slow  # TF only in CI: JAX compiles each new step (30-70 s here)
def test_compare_reuses_finished_runs_and_retrains_on_config_change(tmp_path, capsys):
    data = tiny_data()
    first = compare(tiny_config(tmp_path), data=data)
    again = compare(tiny_config(tmp_path), data=data)
    assert again["provenance"]["runs_reused"] == 2
    assert [r["final"] for r in again["runs"]] == [r["final"] for r in first["runs"]]
    changed = compare(tiny_config(tmp_path, epochs=1, arms=("bilinear",)), data=data)
    assert changed["provenance"]["runs_reused"] == 0 and len(changed["runs"]) == 1
    other_data = compare(tiny_config(tmp_path, epochs=1, arms=("bilinear",)), data=tiny_data(seed=1))
    assert other_data["provenance"]["runs_reused"] == 0


def test_mismatched_initial_weights_are_caught():
    with pytest.raises(AssertionError, match="different backbone weights"):
        assert_identical_initial_weights([
            {"arm": "a", "seed": 0, "initial_backbone_checksum": "x"},
            {"arm": "b", "seed": 0, "initial_backbone_checksum": "y"},
        ])












@pytest.mark.slow  # file handling, the same on every backend: TF only in CI
def test_a_broken_run_record_is_set_aside_and_that_run_retrained(tmp_path, capsys):
    """A record cut short (a crash mid-write by an older version, a full disk, a hand edit)
    used to stop every rerun with a bare JSON error; now it is named, kept aside, retrained."""
    data = tiny_data()
    first = compare(tiny_config(tmp_path, arms=("bilinear",)), data=data)
    record = tmp_path / "tiny" / "runs" / "bilinear_seed0.json"
    contents = ('{\n "arm": "learned",\n "fin', "", "\x00\x01")  # truncated, empty, binary
    for aside, content in zip(("broken", "broken2", "broken3"), contents, strict=True):  # none overwritten
        record.write_text(content)
        capsys.readouterr()
        again = compare(tiny_config(tmp_path, arms=("bilinear",)), data=data)
        err = capsys.readouterr().err
        assert f"{record} is not valid JSON" in err and f"moved it to bilinear_seed0.json.{aside}" in err
        assert (record.parent / f"bilinear_seed0.json.{aside}").read_text() == content
        assert again["provenance"]["runs_reused"] == 0
        assert again["runs"][0]["final"] == first["runs"][0]["final"]  # deterministic retraining
        assert json.loads(record.read_text())["fingerprint"] == first["fingerprint"]


