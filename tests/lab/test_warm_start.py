"""The warm-start protocol: a resizer inserted in front of a trained bilinear backbone."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import keras
import numpy as np
import pytest
from data_fixtures import tiny_data

from resizer_lab import warm_start as ws
from resizer_lib.models.classifier import backbone_weights, build_classifier
from resizer_lib.training import ExperimentConfig, build_arm, classifier_of, weights_checksum

pytestmark = pytest.mark.multibackend

REPO = Path(__file__).resolve().parents[2]



def tiny_config(out: Path, **kw) -> ExperimentConfig:
    base = dict(name="tiny_16to8", image_size=(16, 16), target_size=(8, 8), epochs=1, batch_size=16,
                seeds=(0,), arms=("bilinear",), filters=2, backbone="tiny_cnn", out_dir=str(out),
                verbose=0, jit="auto", augment=True, run_eagerly=keras.backend.backend() == "tensorflow")
    return ExperimentConfig(**(base | kw))


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """One seed of the four arms, 1 base epoch and 1 extra epoch, on tiny images."""
    root = tmp_path_factory.mktemp("warm")
    config, data = tiny_config(root / "results"), tiny_data()
    runs = ws.warm_start(config, extra_epochs=1, weights_dir=root / "weights", data=data)
    return {"root": root, "config": config, "data": data, "runs": {r["arm"]: r for r in runs}}


def _trained_bilinear(study) -> keras.Model:
    model = build_arm(study["config"], "bilinear", 2, 0)
    model.load_weights(str(study["root"] / "weights" / "bilinear_seed0.weights.h5"))
    return model


def test_the_four_arms_start_from_the_trained_backbone(study):
    runs = study["runs"]
    assert sorted(runs) == sorted(ws.WARM_ARMS)
    trained = weights_checksum(backbone_weights(classifier_of(_trained_bilinear(study))))
    assert {r["initial_backbone_checksum"] for r in runs.values()} == {trained}
    fresh = build_arm(study["config"], "bilinear", 2, 0)  # ... which is not the initial backbone
    assert weights_checksum(backbone_weights(classifier_of(fresh))) != trained


def test_the_control_continues_the_trained_model(study):
    base = json.loads((study["root"] / "weights" / "bilinear_seed0.json").read_text())
    control = study["runs"]["bilinear"]
    assert control["start"]["val_accuracy"] == pytest.approx(base["final"]["val_accuracy"])
    assert control["start"]["val_loss"] == pytest.approx(base["final"]["val_loss"], rel=1e-5)
    assert control["warm_start"]["base_weights_checksum"] == base["final_weights_checksum"]
    assert len(control["history"]["val_accuracy"]) == 1  # the extra epochs only
    assert control["final_weights_checksum"] != base["final_weights_checksum"]  # it trained


def test_inserted_resizers_start_at_their_initial_weights(study, tmp_path):
    config = study["config"]
    path = study["root"] / "weights" / "bilinear_seed0.weights.h5"
    for arm, layer in (("learned", "resizer"), ("muller", "muller")):
        inserted = classifier_of(ws.warm_start_model(config, arm, 0, 2, path))
        fresh = classifier_of(build_arm(config, arm, 2, 0))
        got = inserted.get_layer(layer).get_weights()
        want = fresh.get_layer(layer).get_weights()
        assert len(got) == len(want) > 0
        assert all(np.array_equal(g, w) for g, w in zip(got, want, strict=True))


def test_every_run_is_a_record_with_both_accuracies_and_per_photo_predictions(study):
    for arm, record in study["runs"].items():
        saved = json.loads((Path(study["config"].out_dir) / "warm_start_tiny_16to8" / "runs"
                            / f"{arm}_seed0.json").read_text())
        assert set(saved["final"]) >= {"val_accuracy", "val_accuracy_recalibrated"}
        assert len(saved["val_predictions"]["moving"]) == len(study["data"]["y_val"])
        assert saved["warm_start"]["extra_epochs"] == 1 and saved["warm_start"]["base_epochs"] == 1
        assert saved["initial_backbone_checksum"] == record["initial_backbone_checksum"]
        assert "model" not in record


def test_a_rerun_skips_finished_runs_and_reuses_the_weights(study, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("trained again")

    monkeypatch.setattr(ws, "train_warm_arm", refuse)
    monkeypatch.setattr(ws, "train_run", refuse)
    again = ws.warm_start(study["config"], extra_epochs=1, weights_dir=study["root"] / "weights",
                          data=study["data"])
    assert [r["final_weights_checksum"] for r in again] == [
        study["runs"][a]["final_weights_checksum"] for a in ws.WARM_ARMS]


def test_a_missing_run_trains_alone_from_the_saved_weights(study, monkeypatch, tmp_path):
    runs = Path(study["config"].out_dir) / "warm_start_tiny_16to8" / "runs"
    copy = tmp_path / "results" / "warm_start_tiny_16to8" / "runs"
    copy.mkdir(parents=True)
    for arm in ("bilinear", "learned", "more_layers"):  # muller is missing
        (copy / f"{arm}_seed0.json").write_text((runs / f"{arm}_seed0.json").read_text())
    trained = []
    real = ws.train_warm_arm

    def spy(config, arm, *args, **kwargs):
        trained.append(arm)
        return real(config, arm, *args, **kwargs)

    monkeypatch.setattr(ws, "train_warm_arm", spy)
    monkeypatch.setattr(ws, "train_run", lambda *a, **k: pytest.fail("retrained the bilinear model"))
    config = tiny_config(tmp_path / "results")
    again = ws.warm_start(config, extra_epochs=1, weights_dir=study["root"] / "weights", data=study["data"])
    assert trained == ["muller"]
    assert again[2]["initial_backbone_checksum"] == study["runs"]["muller"]["initial_backbone_checksum"]


def test_other_extra_epochs_are_another_study(study):
    config, data = study["config"], study["data"]
    assert ws.warm_fingerprint(config, data, 1) != ws.warm_fingerprint(config, data, 2)


def test_weights_are_refused_inside_the_repository(tmp_path):
    with pytest.raises(ValueError, match="inside the repository"):
        ws.check_weights_dir(REPO / "build" / "weights")
    fake = tmp_path / "checkout"
    (fake / ".git").mkdir(parents=True)
    with pytest.raises(ValueError, match="never be committed"):
        ws.check_weights_dir(fake / "results" / "w", repositories=[fake])
    assert ws.check_weights_dir(tmp_path / "weights", repositories=[fake]) == (tmp_path / "weights").resolve()
    with pytest.raises(ValueError, match="inside the repository"):  # before any training
        ws.warm_start(tiny_config(tmp_path), weights_dir=fake / "w", data=tiny_data(), repositories=[fake])


def test_the_default_weights_folder_lies_beside_the_checkout(tmp_path):
    fake = tmp_path / "checkout"
    (fake / ".git").mkdir(parents=True)
    assert ws.default_weights_dir("map_x", fake) == tmp_path.resolve() / "weights" / "map_x"
    assert ws.repository_root(fake / "a" / "b") == fake.resolve()
    assert ws.check_weights_dir(ws.default_weights_dir("map_x", fake), [fake])


def test_weights_of_another_configuration_are_refused(study, tmp_path):
    weights = tmp_path / "weights"
    weights.mkdir()
    source = study["root"] / "weights"
    for name in ("bilinear_seed0.weights.h5", "bilinear_seed0.json"):
        (weights / name).write_bytes((source / name).read_bytes())
    other = tiny_config(tmp_path / "results", epochs=2)
    with pytest.raises(ValueError, match="trained under configuration"):
        ws.warm_start(other, extra_epochs=1, weights_dir=weights, data=study["data"])


@pytest.mark.parametrize("kwargs, match", [
    ({"arms": ("bilinear", "bicubic")}, "warm-start arms"),
    ({"arms": ()}, "warm-start arms"),
    ({"arms": ("learned", "learned")}, "warm-start arms"),
    ({"extra_epochs": 0}, "extra_epochs must be a positive integer"),
    ({"extra_epochs": 1.5}, "extra_epochs must be a positive integer"),
])
def test_bad_arguments_are_refused(tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        ws.warm_start(tiny_config(tmp_path), weights_dir=tmp_path / "w", data=tiny_data(), **kwargs)


def test_warm_start_model_refuses_an_unknown_arm(tmp_path):
    with pytest.raises(ValueError, match="Unknown warm-start arm 'full_res'"):
        ws.warm_start_model(tiny_config(tmp_path), "full_res", 0, 2, tmp_path / "none.weights.h5")


def test_the_extra_epochs_take_the_batches_after_the_base_training(study, monkeypatch, tmp_path):
    seen = {}
    real = ws.fit_and_record

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(ws, "fit_and_record", spy)
    base = study["root"] / "weights" / "bilinear_seed0.weights.h5"
    ws.train_warm_arm(study["config"], "bilinear", 0, study["data"], base, tmp_path, extra_epochs=1)
    assert seen["first_epoch"] == study["config"].epochs and seen["epochs"] == 1


def test_the_base_says_whether_it_reproduces_the_studys_own_bilinear_run(study, tmp_path):
    base = json.loads((study["root"] / "weights" / "bilinear_seed0.json").read_text())
    config = tiny_config(tmp_path)
    assert ws._reproduces_map_run(config, 0, base) is None  # no such run
    runs = tmp_path / "tiny_16to8" / "runs"
    runs.mkdir(parents=True)
    (runs / "bilinear_seed0.json").write_text(json.dumps(base))
    assert ws._reproduces_map_run(config, 0, base) is True
    (runs / "bilinear_seed0.json").write_text(json.dumps(base | {"final_weights_checksum": "other"}))
    assert ws._reproduces_map_run(config, 0, base) is False
    (runs / "bilinear_seed0.json").write_text(json.dumps(base | {"fingerprint": "another study"}))
    assert ws._reproduces_map_run(config, 0, base) is None
    assert study["runs"]["learned"]["warm_start"]["base_reproduces_study_run"] is None


# -- the fair protocol: inserted at zero, one schedule without a warm-up ------------------------
@pytest.fixture(scope="module")
def fair(tmp_path_factory):
    """One seed of the fair protocol's four arms (whole-pixel shifts), 1 + 1 epochs."""
    root = tmp_path_factory.mktemp("fair")
    config, data = tiny_config(root / "results", shift="whole"), tiny_data()
    runs = ws.warm_start(config, extra_epochs=1, weights_dir=root / "weights", data=data,
                         arms=ws.FAIR_WARM_ARMS, warm_lr=1e-4)
    return {"root": root, "config": config, "data": data, "runs": {r["arm"]: r for r in runs}}


def test_a_resizer_inserted_at_zero_predicts_what_the_trained_model_predicts(fair):
    config, path = fair["config"], fair["root"] / "weights" / "bilinear_seed0.weights.h5"
    trained = build_arm(config, "bilinear", 2, 0)
    trained.load_weights(str(path))
    images = fair["data"]["x_val"]
    want = keras.ops.convert_to_numpy(trained(images, training=False))
    for arm in ws.ZERO_ARMS:
        inserted = ws.warm_start_model(config, arm, 0, 2, path)
        assert classifier_of(inserted).get_layer("resizer").zero_init
        assert np.array_equal(keras.ops.convert_to_numpy(inserted(images, training=False)), want)
    # ... which a resizer at its usual initial weights does not
    scrambled = keras.ops.convert_to_numpy(ws.warm_start_model(config, "learned", 0, 2, path)(images))
    assert not np.allclose(scrambled, want)


def test_the_fair_arms_start_where_the_trained_model_ends(fair):
    base = json.loads((fair["root"] / "weights" / "bilinear_seed0.json").read_text())
    runs = fair["runs"]
    assert sorted(runs) == sorted(ws.FAIR_WARM_ARMS)
    assert len({r["initial_backbone_checksum"] for r in runs.values()}) == 1
    for arm in ("bilinear", *ws.ZERO_ARMS, "muller"):  # MULLER starts as the plain resize too
        assert runs[arm]["start"]["val_accuracy"] == pytest.approx(base["final"]["val_accuracy"])
        assert runs[arm]["start"]["val_loss"] == pytest.approx(base["final"]["val_loss"], rel=1e-5)
    info = runs["learned_zero_slow"]["warm_start"]
    assert info["protocol"] == "warm_start/2" and info["warm_lr"] == 1e-4
    assert info["resizer_lr_scale"] == ws.RESIZER_LR_SCALE and info["zero_init"] is True
    assert runs["bilinear"]["warm_start"]["resizer_lr_scale"] == 1.0


def test_the_fair_protocol_is_another_study_and_the_first_keeps_its_fingerprint(fair):
    config, data = fair["config"], fair["data"]
    first = ws.warm_fingerprint(config, data, 6)
    study = config.fingerprint(ws.data_fingerprint(data))
    text = json.dumps({"study": study, "extra_epochs": 6, "protocol": "warm_start/1"})
    assert first == hashlib.sha256(text.encode()).hexdigest()[:16]  # as before the fair protocol
    assert ws.warm_fingerprint(config, data, 6, warm_lr=1e-4) not in (first, ws.warm_fingerprint(
        config, data, 6, warm_lr=2e-4))


def test_the_trained_bilinear_model_is_the_studys_bilinear_run(fair, monkeypatch):
    """Trained as compare trains the bilinear arm: compare reuses its record, trains nothing."""
    from resizer_lib.training import runner

    config = fair["config"]
    shared = Path(config.out_dir) / config.name / "runs" / "bilinear_seed0.json"
    base = json.loads((fair["root"] / "weights" / "bilinear_seed0.json").read_text())
    assert json.loads(shared.read_text())["final_weights_checksum"] == base["final_weights_checksum"]
    monkeypatch.setattr(runner, "train_run", lambda *a, **k: pytest.fail("trained again"))
    results = runner.compare(config, data=fair["data"])
    assert results["runs"][0]["final_weights_checksum"] == base["final_weights_checksum"]


def test_the_slow_arm_steps_the_resizer_ten_times_further():
    """One AdamW step moves each weight by about the rate (the first step is lr * g / |g|):
    the resizer's variables move RESIZER_LR_SCALE times as far as the others."""
    fast, slow = keras.Variable(np.zeros(4, "float32")), keras.Variable(np.zeros(4, "float32"))
    optimizer = ws.warm_optimizer(1e-3, steps=10, scaled_variables=[fast], scale=ws.RESIZER_LR_SCALE)
    gradient = np.array([1.0, -2.0, 0.5, 3.0], "float32")
    optimizer.apply_gradients([(gradient, fast), (gradient, slow)])
    moved_fast, moved_slow = (np.abs(keras.ops.convert_to_numpy(v)) for v in (fast, slow))
    assert np.allclose(moved_slow, 1e-3, rtol=1e-3)  # step 0 of the cosine: the full rate, no warm-up
    assert np.allclose(moved_fast / moved_slow, ws.RESIZER_LR_SCALE, rtol=1e-3)


def test_the_slow_arm_needs_the_fair_schedule(tmp_path):
    with pytest.raises(ValueError, match="learned_zero_slow belongs to the fair protocol"):
        ws.warm_start(tiny_config(tmp_path), weights_dir=tmp_path / "w", data=tiny_data(),
                      arms=("bilinear", "learned_zero_slow"))


def test_copy_backbone_weights_makes_them_identical():
    a = build_classifier("small_cnn", (32, 32), (16, 16), "learned", seed=1)
    b = build_classifier("small_cnn", (32, 32), (16, 16), "bilinear", seed=2)
    assert not np.array_equal(backbone_weights(a)[0], backbone_weights(b)[0])
    ws.copy_backbone_weights(a, b)
    assert all(np.array_equal(x, y) for x, y in zip(backbone_weights(a), backbone_weights(b), strict=True))
