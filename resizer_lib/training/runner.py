"""The runner: ``train_run`` trains one ``(arm, seed)``, ``compare`` a whole paired study.

``train_run`` is three steps, which the lab's warm start reuses: the seed's batches (``seed_batches``),
the compiled model (``compile_for_study``), the resumable fit and its measurements (``fit_and_record``).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import keras
import numpy as np

from resizer_lib.models.classifier import backbone_weights
from resizer_lib.runtime import backend_version, device_description, resolve_jit
from resizer_lib.training.arms import build_arm, classifier_of, make_optimizer
from resizer_lib.training.batches import EpochBatches, EpochSetter, RandomStateBackup
from resizer_lib.training.config import ExperimentConfig
from resizer_lib.training.precise_bn import evaluate_recalibrated, predicted_classes
from resizer_lib.training.record import (
    assert_identical_initial_weights,
    data_fingerprint,
    finish_record,
    load_run,
    save_run,
    weights_checksum,
)
from resizer_lib.training.stats import RECALIBRATED, summarise

__all__ = ["compile_for_study", "compare", "dtype_policy", "fit_and_record", "load_experiment_data",
           "provenance", "seed_batches", "train_run"]


def seed_batches(config: ExperimentConfig, data: dict, seed: int) -> tuple[EpochBatches, EpochBatches]:
    """The seed's training stream (shuffled by ``(seed, epoch)``, endless) and the fixed
    validation batches: ``(images (B, H, W, 3) uint8, one_hot (B, K))`` each."""
    k = len(data["class_names"])
    return (EpochBatches(data["x_train"], data["y_train"], config.batch_size, k, seed, endless=True),
            EpochBatches(data["x_val"], data["y_val"], config.batch_size, k, shuffle=False))


@contextlib.contextmanager
def dtype_policy(name: str | None):
    """Keras' global dtype policy set to ``name`` (``"mixed_float16"``, ...) for the block, then
    put back; ``None`` leaves it alone."""
    policy = keras.mixed_precision.dtype_policy()
    if name:
        keras.mixed_precision.set_dtype_policy(name)
    try:
        yield
    finally:
        keras.mixed_precision.set_dtype_policy(policy)


def _scope(strategy):
    return strategy.scope() if strategy is not None else contextlib.nullcontext()


def compile_for_study(model: keras.Model, config: ExperimentConfig, steps: int, optimizer=None) -> None:
    """Compile ``model`` with the study's recipe (its optimizer over ``steps`` steps, or
    ``optimizer``), label-smoothed cross-entropy, accuracy, and the study's jit/eager choice."""
    model.compile(optimizer=optimizer or make_optimizer(config.recipe, steps, config.learning_rate),
                  loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1), metrics=["accuracy"],
                  jit_compile=False if config.run_eagerly else resolve_jit(config.jit),
                  run_eagerly=config.run_eagerly)


def train_run(config: ExperimentConfig, arm: str, seed: int, data: dict, run_dir: Path,
              callbacks: Sequence[keras.callbacks.Callback] = (), strategy=None) -> dict:
    """Train one ``(arm, seed)`` and return its record: ``fit_and_record``'s fields, ``arm``, ``seed``,
    ``initial_backbone_checksum``. ``data``: ``x_train (N, H, W, 3) uint8``, ``y_train (N,)``, ``x_val``,
    ``y_val``, ``class_names``; ``run_dir``: the log and backup an interrupted run resumes from."""
    keras.utils.set_random_seed(seed)
    train, val = seed_batches(config, data, seed)
    with dtype_policy(config.mixed_precision):
        with _scope(strategy):
            model = build_arm(config, arm, len(data["class_names"]), seed)
            initial = weights_checksum(backbone_weights(classifier_of(model)))
            compile_for_study(model, config, len(train) * config.epochs)
        record = fit_and_record(model, config, arm, seed, data, (train, val), run_dir,
                                epochs=config.epochs, callbacks=callbacks, strategy=strategy)
    return {"arm": arm, "seed": seed, **record, "initial_backbone_checksum": initial}


def _verbose(config: ExperimentConfig) -> int:
    if config.verbose != "auto":
        return int(config.verbose)
    return 1 if sys.stdout.isatty() or "ipykernel" in sys.modules else 2  # bars when interactive, lines in CI


def _history_from_csv(path: Path) -> dict[str, list[float]]:
    """Per-epoch history from a CSVLogger file (the whole run, also across a resume)."""
    with open(path, newline="") as f:
        rows = list({int(r["epoch"]): r for r in csv.DictReader(f)}.values())  # a resumed epoch replaces its row
    return {k: [float(r[k]) for r in rows] for k in (rows[0] if rows else []) if k != "epoch"}


def fit_and_record(model: keras.Model, config: ExperimentConfig, arm: str, seed: int, data: dict,
                   batches: tuple[EpochBatches, EpochBatches], run_dir: Path, epochs: int, first_epoch: int = 0,
                   callbacks: Sequence[keras.callbacks.Callback] = (), strategy=None) -> dict:
    """Fit the compiled ``model`` ``epochs`` epochs on ``batches`` (``seed_batches``; fit's epoch ``e``
    takes epoch ``first_epoch + e`` of the seed's order), resumably from ``run_dir``, then measure it.

    ``final`` holds the validation accuracy and loss with the moving BatchNorm statistics
    (``val_accuracy``, what every study reports first) and with statistics re-estimated on 512
    training images (``val_accuracy_recalibrated``, see ``precise_bn``). Returns ``history``,
    ``final``, ``precise_bn``, ``val_predictions``, ``params``, ``final_weights_checksum``,
    ``train_seconds`` and ``model`` (the trained model).
    """
    train, val = batches
    run_dir.mkdir(parents=True, exist_ok=True)
    log, backup = run_dir / f"{arm}_seed{seed}.csv", run_dir / "backup" / f"{arm}_seed{seed}"
    if not backup.exists() and log.exists():
        log.unlink()  # a stale log from a run that finished or was discarded
    cbs = [keras.callbacks.BackupAndRestore(str(backup), delete_checkpoint=True),
           RandomStateBackup(backup.with_name(backup.name + "_rng.npz")),
           keras.callbacks.CSVLogger(str(log), append=True), EpochSetter(train, first_epoch), *callbacks]
    if config.tensorboard:
        cbs.append(keras.callbacks.TensorBoard(str(run_dir / "tensorboard" / f"{arm}_seed{seed}")))
    start = time.perf_counter()
    model.fit(train, validation_data=val, epochs=epochs, steps_per_epoch=len(train),
              shuffle=False, callbacks=cbs, verbose=_verbose(config))
    seconds = time.perf_counter() - start
    final = model.evaluate(val, verbose=0, return_dict=True)
    predicted = predicted_classes(model, val)
    with _scope(strategy):  # a new scope: a strategy's scope cannot be entered twice
        precise = evaluate_recalibrated(model, data["x_train"], val, seed, config.batch_size)
    history = _history_from_csv(log)
    log.unlink(missing_ok=True)
    last = history.get("val_accuracy", [])[-3:]
    return {
        "history": history,
        "final": {"val_accuracy": float(final["accuracy"]), "val_loss": float(final["loss"]),
                  "val_accuracy_last3": float(np.mean(last)) if last else float("nan"),
                  "val_accuracy_recalibrated": precise["val_accuracy"],
                  "val_loss_recalibrated": precise["val_loss"]},
        "precise_bn": {k: precise[k] for k in ("images", "layers", "seconds")},
        # per validation image, in order: for per-photo tests between arms (McNemar, bootstrap)
        "val_predictions": {"moving": predicted, "recalibrated": precise["val_predictions"]},
        "params": int(model.count_params()), "final_weights_checksum": weights_checksum(model.get_weights()),
        "train_seconds": round(seconds, 2), "model": model,
    }


def compare(config: ExperimentConfig, strategy=None, callbacks=(), data=None) -> dict:
    """Run (or resume) the paired study: every arm of ``config`` for every seed.

    Returns the results dict (JSON-serialisable): ``config``, ``provenance``, ``runs`` (one
    record per arm and seed), ``summary`` (per-arm mean ± std and the paired differences with
    95% t-intervals, moving BatchNorm statistics) and ``summary_recalibrated`` (the same with
    precise-BN statistics; ``None`` when a run predates them). Each finished run is saved as
    ``out_dir/<name>/runs/<arm>_seed<k>.json``; a run found there with the same fingerprint is
    loaded instead of retrained, so a study resumes where it stopped.
    """
    data = data or load_experiment_data(config)
    run_dir = Path(config.out_dir) / config.name / "runs"
    fingerprint = config.fingerprint(data_fingerprint(data))
    started, runs, reused = time.perf_counter(), [], 0
    for seed in config.seeds:
        for arm in config.arms:
            path = run_dir / f"{arm}_seed{seed}.json"
            record = load_run(path, fingerprint)
            if record is None:
                print(f"[{config.name}] training arm={arm} seed={seed}", flush=True)
                record = finish_record(train_run(config, arm, seed, data, run_dir, callbacks, strategy), fingerprint)
                save_run(record, path)
            else:
                reused += 1
                print(f"[{config.name}] reusing finished run arm={arm} seed={seed} ({path})", flush=True)
            runs.append(record)
        assert_identical_initial_weights([r for r in runs if r["seed"] == seed])
    recalibrated = all(RECALIBRATED in r["final"] for r in runs)
    return {"name": config.name, "config": config.to_dict(), "fingerprint": fingerprint,
            "provenance": provenance(config, data, time.perf_counter() - started, reused),
            "runs": runs, "summary": summarise(runs, config.arms),
            "summary_recalibrated": summarise(runs, config.arms, RECALIBRATED) if recalibrated else None,
            "val_labels": [int(y) for y in data["y_val"]]}  # what the per-photo predictions are scored against


def load_experiment_data(config: ExperimentConfig) -> dict:
    """A study's arrays through ``load_dataset`` (NumPy): ``x_train (N, H, W, 3) uint8``,
    ``y_train (N,)``, ``x_val``, ``y_val``, ``class_names``, ``counts``, ``source``.
    ``num_train`` / ``num_val`` are the synthetic set's sizes, and caps on real data (``None``: all)."""
    from resizer_lib.data.loading import load_dataset

    ds = load_dataset(config.data, image_size=config.image_size, batch_size=config.batch_size,
                      seed=config.data_seed, backend="numpy", limit={"train": config.num_train, "val": config.num_val})
    return {"x_train": ds.train[0], "y_train": ds.train[1], "x_val": ds.val[0], "y_val": ds.val[1],
            "class_names": list(ds.class_names), "counts": ds.counts, "source": config.data}


def provenance(config: ExperimentConfig, data: dict, seconds: float, reused: int) -> dict:
    """Who, where and how: command line, date, versions, device, dataset and its counts."""
    import datetime
    import platform

    counts = json.loads(json.dumps(data.get("counts"), default=lambda o: o.item() if hasattr(o, "item") else str(o)))
    return {"command": _command_line(),
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "keras": keras.__version__, "backend": keras.backend.backend(), "backend_version": backend_version(),
            "python": platform.python_version(), "device": device_description(),
            "dataset": data.get("source", config.data), "class_names": data.get("class_names"), "counts": counts,
            "train_examples": int(len(data["y_train"])), "val_examples": int(len(data["y_val"])),
            "seeds": list(config.seeds), "wall_seconds_this_call": round(seconds, 1), "runs_reused": reused,
            "profile": os.environ.get("RESIZER_PROFILE")}


def _command_line() -> str:
    """The command that is running, as a user would type it (``python -m resizer_lab ...``)."""
    if not sys.argv:
        return ""
    prog = Path(sys.argv[0])
    head = f"python -m {prog.parent.name}" if prog.name == "__main__.py" else prog.name
    return " ".join([head, *sys.argv[1:]])
