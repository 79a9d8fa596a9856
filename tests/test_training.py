"""The paired runner: determinism, resume, identical initial weights, outputs, reuse of runs."""

from __future__ import annotations

import hashlib
import json

import keras
import numpy as np
import pytest

from resizer_lib.training import (
    EpochBatches,
    ExperimentConfig,
    assert_identical_initial_weights,
    build_arm,
    compare,
    resolve_jit,
    train_run,
)

pytestmark = pytest.mark.multibackend


def tiny_data(n_train=48, n_val=16, size=16, seed=0):
    """Random images whose class is the brightness of the left half: learnable in a few steps."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 200, size=(n_train + n_val, size, size, 3), dtype=np.uint8)
    y = rng.integers(0, 2, size=n_train + n_val)
    x[y == 1, :, : size // 2] += 55
    return {"x_train": x[:n_train], "y_train": y[:n_train], "x_val": x[n_train:],
            "y_val": y[n_train:], "class_names": ["dark", "bright"], "counts": {}, "source": "tiny"}


def tiny_config(tmp_path, **kw):
    base = dict(name="tiny", image_size=(16, 16), target_size=(8, 8), epochs=2, batch_size=16,
                seeds=(0,), arms=("bilinear", "learned"), filters=2, backbone="tiny_cnn", out_dir=str(tmp_path),
                verbose=0, jit=False, run_eagerly=keras.backend.backend() == "tensorflow")
    # TF: eager, as a graph build outlasts these runs; JAX: jit, with the compilation cache
    return ExperimentConfig(**(base | kw))


def test_epoch_batches_order_depends_only_on_seed_and_epoch():
    x, y = np.arange(10)[:, None, None, None].astype("uint8"), np.arange(10) % 2
    a = EpochBatches(x, y, 4, 2, seed=3, endless=True)
    b = EpochBatches(x, y, 4, 2, seed=3, endless=True)
    b.epoch_offset = 1  # b starts at epoch 1, like a resumed run
    assert len(a) == 3 and a.num_batches is None
    assert all(np.array_equal(a[3 + i][0], b[i][0]) for i in range(3))  # a's epoch 1 == b's
    assert not np.array_equal(a.order(0), a.order(1))
    seen = np.concatenate([a[i][0].ravel() for i in range(3)])
    assert sorted(seen.tolist()) == list(range(10)) and a[0][1].shape == (4, 2)
    c = EpochBatches(x, y, 4, 2, seed=4)
    assert not np.array_equal(c.order(0), a.order(0))


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


def test_compare_asserts_identical_initial_weights_and_writes_outputs(tmp_path):
    config = tiny_config(tmp_path, arms=("more_layers", "full_res"), seeds=(0, 1), epochs=1)
    results = compare(config, data=tiny_data())
    for seed in (0, 1):
        sums = {r["initial_backbone_checksum"] for r in results["runs"] if r["seed"] == seed}
        assert len(sums) == 1
    assert [(p["a"], p["b"], p["n"]) for p in results["summary"]["pairs"]] == [("more_layers", "full_res", 2)]
    for ext in ("json", "csv", "png", "md"):
        assert (tmp_path / f"tiny.{ext}").stat().st_size > 0
    assert "| full_res − more_layers | 2 |" in (tmp_path / "tiny.md").read_text()
    saved = json.loads((tmp_path / "tiny.json").read_text())
    assert saved["provenance"]["backend"] == keras.backend.backend()
    assert saved["provenance"]["seeds"] == [0, 1]
    assert len(saved["runs"]) == 4
    assert all(keras.backend.backend() in r["software"] and r["device"] for r in saved["runs"])


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


@pytest.mark.parametrize("kw, pattern", [
    (dict(arms=("bilinear", "sharp")), "Unknown arm 'sharp'"),
    (dict(recipe="adam"), "Unknown recipe 'adam'"),
    (dict(epochs=0), "epochs"),
    (dict(seeds=()), "seeds is empty"),
    (dict(image_size=(0, 10)), "image_size"),
])
def test_config_validation(tmp_path, kw, pattern):
    with pytest.raises(ValueError, match=pattern):
        tiny_config(tmp_path, **kw)


def test_run_eagerly_changes_the_fingerprint_only_when_set(tmp_path):
    graph, eager = tiny_config(tmp_path, run_eagerly=False), tiny_config(tmp_path, run_eagerly=True)
    assert graph.fingerprint("d") != eager.fingerprint("d")
    # runs recorded before the field existed keep their fingerprint (they are reused, not retrained)
    skip = {"name", "out_dir", "verbose", "tensorboard", "extra", "seeds", "arms", "run_eagerly"}
    before = {k: v for k, v in graph.to_dict().items() if k not in skip} | {"data": "d"}
    digest = hashlib.sha256(json.dumps(before, sort_keys=True).encode()).hexdigest()[:16]
    assert graph.fingerprint("d") == digest


def test_device_description_says_when_the_process_is_pinned_to_fewer_cores(monkeypatch):
    import os

    from resizer_lib.training import device_description

    total = os.cpu_count()
    assert f"{total} cores" in device_description()
    if total > 1:  # a study run under `taskset -c 0` must not claim every core
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
        assert f"1 of {total} cores" in device_description()


def test_augmented_arms_stay_compiled_on_jax():
    """--augment once made every JAX run train op by op (Keras' RandomTranslation says
    supports_jit=False): DenseNet-121 did not finish an epoch in 7 minutes on an H200."""
    config = ExperimentConfig(backbone="small_cnn", image_size=32, target_size=16, augment=True)
    for arm in ("bilinear", "learned"):
        model = build_arm(config, arm, num_classes=2, seed=0)
        model.compile(optimizer="adam", loss="categorical_crossentropy", jit_compile=resolve_jit("auto"))
        expected = keras.backend.backend() == "jax"  # TF on a CPU: no XLA by choice (resolve_jit)
        assert model.jit_compile is expected, (arm, model.jit_compile)


def test_a_model_that_cannot_compile_on_jax_is_announced():
    from resizer_lib.training import not_jit_safe_layers, warn_if_not_compiled

    inputs = keras.Input((16, 16, 3))
    x = keras.layers.RandomTranslation(0.1, 0.1, name="keras_shift")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.GlobalAveragePooling2D()(x)))
    model.compile(optimizer="sgd", loss="mse", jit_compile="auto")
    assert not_jit_safe_layers(model) == ["keras_shift"]
    if keras.backend.backend() == "jax":
        with pytest.warns(UserWarning, match=r"train op by op on JAX.*\['keras_shift'\]"):
            assert warn_if_not_compiled(model) is True
    else:  # TensorFlow decides XLA by itself; nothing to announce
        assert warn_if_not_compiled(model) is False
    config = ExperimentConfig(backbone="small_cnn", image_size=32, target_size=16, augment=True)
    ours = build_arm(config, "learned", num_classes=2, seed=0)
    ours.compile(optimizer="sgd", loss="mse", jit_compile=resolve_jit("auto"))
    assert not_jit_safe_layers(ours) == [] or keras.backend.backend() != "jax"
    assert warn_if_not_compiled(ours) is False


@pytest.mark.parametrize("content", ['{\n "arm": "learned",\n "fin', "", "\x00\x01"],
                         ids=["truncated", "empty", "binary"])
def test_a_broken_run_record_is_set_aside_and_that_run_retrained(tmp_path, capsys, content):
    """A record cut short (a crash mid-write by an older version, a full disk, a hand edit)
    used to stop every rerun with a bare JSON error; now it is named, kept aside, retrained."""
    data = tiny_data()
    first = compare(tiny_config(tmp_path, arms=("bilinear",)), data=data)
    record = tmp_path / "tiny" / "runs" / "bilinear_seed0.json"
    record.write_text(content)
    capsys.readouterr()
    again = compare(tiny_config(tmp_path, arms=("bilinear",)), data=data)
    err = capsys.readouterr().err
    assert f"{record} is not valid JSON" in err and "moved it to bilinear_seed0.json.broken" in err
    assert (record.parent / "bilinear_seed0.json.broken").read_text() == content
    assert again["provenance"]["runs_reused"] == 0
    assert again["runs"][0]["final"] == first["runs"][0]["final"]  # deterministic retraining
    assert json.loads(record.read_text())["fingerprint"] == first["fingerprint"]


def test_report_names_a_broken_record_and_the_way_forward(tmp_path):
    from resizer_lib.training.reporting import load_runs

    (tmp_path / "learned_seed0.json").write_text('{"arm": "lea')
    with pytest.raises(ValueError, match=r"learned_seed0.json is not valid JSON .*rerun the study"):
        load_runs(tmp_path)
