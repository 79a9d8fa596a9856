"""The runner: ``train_run`` trains one ``(arm, seed)``, ``compare`` a whole paired study.

``train_run`` is three steps that the lab's warm start (``resizer_lab.warm_start``) reuses: the seed's
batches (``seed_batches``), the compiled model (``compile_for_study``), and the resumable fit
followed by both measurements, moving and precise-BN (``fit_and_record``).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import keras
import numpy as np

from resizer_lib.models.classifier import backbone_weights
from resizer_lib.runtime import (
    backend_version,
    device_description,
    resolve_jit,
    software_description,
)
from resizer_lib.training.arms import build_arm, classifier_of, make_optimizer, warn_if_not_compiled
from resizer_lib.training.batches import EpochBatches, EpochSetter, RandomStateBackup
from resizer_lib.training.config import ExperimentConfig
from resizer_lib.training.precise_bn import evaluate_recalibrated, predicted_classes
from resizer_lib.training.record import (
    RECORD_VERSION,
    RunRecord,
    assert_identical_initial_weights,
    data_fingerprint,
    load_run,
    weights_checksum,
)

__all__ = [
    "compile_for_study",
    "compare",
    "dtype_policy",
    "fit_and_record",
    "load_experiment_data",
    "provenance",
    "seed_batches",
    "train_run",
]

def _verbose(config: ExperimentConfig) -> int:
    if config.verbose != "auto":
        return int(config.verbose)
    interactive = sys.stdout.isatty() or "ipykernel" in sys.modules
    return 1 if interactive else 2  # progress bars when interactive, one line per epoch in CI


def _history_from_csv(path: Path) -> dict[str, list[float]]:
    """Per-epoch history from a CSVLogger file (the whole run, also across a resume)."""
    import csv

    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    rows = list({int(r["epoch"]): r for r in rows}.values())  # a resumed epoch replaces its row
    keys = [k for k in rows[0] if k != "epoch"] if rows else []
    return {k: [float(r[k]) for r in rows] for k in keys}


def seed_batches(config: ExperimentConfig, data: dict, seed: int) -> tuple[EpochBatches, EpochBatches]:
    """The seed's training stream (shuffled by ``(seed, epoch)``, endless) and the fixed
    validation batches: ``(images (B, H, W, 3) uint8, one_hot (B, K))`` each."""
    num_classes = len(data["class_names"])
    train = EpochBatches(data["x_train"], data["y_train"], config.batch_size, num_classes, seed, endless=True)
    val = EpochBatches(data["x_val"], data["y_val"], config.batch_size, num_classes, shuffle=False)
    return train, val


@contextlib.contextmanager
def dtype_policy(name: str | None):
    """Keras' global dtype policy set to ``name`` (e.g. ``"mixed_float16"``) for the block and
    put back after; ``None`` leaves it alone."""
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
    """Compile ``model`` with the study's recipe: its optimizer and schedule over ``steps``
    steps (or ``optimizer``, when given), label-smoothed cross-entropy, accuracy, and the
    study's jit/eager choice."""
    model.compile(
        optimizer=optimizer or make_optimizer(config.recipe, steps, config.learning_rate),
        loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
        metrics=["accuracy"],
        jit_compile=False if config.run_eagerly else resolve_jit(config.jit),
        run_eagerly=config.run_eagerly,
    )


def train_run(
    config: ExperimentConfig,
    arm: str,
    seed: int,
    data: dict,
    run_dir: Path,
    callbacks: Sequence[keras.callbacks.Callback] = (),
    strategy=None,
) -> dict:
    """Train one ``(arm, seed)`` and return its record (history, final metrics, provenance).

    ``final`` holds the validation accuracy and loss twice: with the moving BatchNorm
    statistics training left (``val_accuracy``, the number every study reports first) and with
    statistics re-estimated on 512 training images (``val_accuracy_recalibrated``; see
    ``training.precise_bn``); ``precise_bn`` says how many images and layers, and its seconds.

    ``data`` holds ``x_train (N, H, W, 3) uint8``, ``y_train (N,)``, ``x_val``, ``y_val`` and
    ``class_names``. ``run_dir`` holds the CSV log and the ``BackupAndRestore`` state, so an
    interrupted run resumes from its last finished epoch.
    """
    keras.utils.set_random_seed(seed)
    train, val = seed_batches(config, data, seed)
    with dtype_policy(config.mixed_precision):
        with _scope(strategy):
            model = build_arm(config, arm, len(data["class_names"]), seed)
            initial = weights_checksum(backbone_weights(classifier_of(model)))
            compile_for_study(model, config, len(train) * config.epochs)
        if not config.run_eagerly and config.jit is not False:
            warn_if_not_compiled(model)
        record = fit_and_record(model, config, arm, seed, data, (train, val), run_dir,
                                epochs=config.epochs, callbacks=callbacks, strategy=strategy)
    return {"arm": arm, "seed": seed, **record, "initial_backbone_checksum": initial}


def fit_and_record(
    model: keras.Model,
    config: ExperimentConfig,
    arm: str,
    seed: int,
    data: dict,
    batches: tuple[EpochBatches, EpochBatches],
    run_dir: Path,
    epochs: int,
    first_epoch: int = 0,
    callbacks: Sequence[keras.callbacks.Callback] = (),
    strategy=None,
) -> dict:
    """Fit the compiled ``model`` for ``epochs`` epochs on ``batches`` (``seed_batches``: the
    training stream from epoch ``first_epoch`` of the seed's order, and the validation
    batches), resumably, then measure it twice: with its moving BatchNorm statistics and with
    precise-BN ones.

    ``run_dir`` holds the CSV log and the epoch backup (``<arm>_seed<k>``), so an interrupted
    fit resumes from its last finished epoch. Returns the record's measured fields:
    ``history``, ``final``, ``precise_bn``, ``val_predictions``, ``params``,
    ``final_weights_checksum``, ``train_seconds`` and ``model`` (the trained model).
    """
    train, val = batches
    run_dir.mkdir(parents=True, exist_ok=True)
    log = run_dir / f"{arm}_seed{seed}.csv"
    backup = run_dir / "backup" / f"{arm}_seed{seed}"
    if not backup.exists() and log.exists():
        log.unlink()  # a stale log from a run that finished or was discarded
    cbs = [
        keras.callbacks.BackupAndRestore(str(backup), delete_checkpoint=True),
        RandomStateBackup(backup.with_name(backup.name + "_rng.npz")),
        keras.callbacks.CSVLogger(str(log), append=True),
        EpochSetter(train, first_epoch),
        *callbacks,
    ]
    if config.tensorboard:
        cbs.append(keras.callbacks.TensorBoard(str(run_dir / "tensorboard" / f"{arm}_seed{seed}")))
    start = time.perf_counter()
    model.fit(train, validation_data=val, epochs=epochs, steps_per_epoch=len(train),
              shuffle=False, callbacks=cbs, verbose=_verbose(config))
    seconds = time.perf_counter() - start
    final = model.evaluate(val, verbose=0, return_dict=True)
    predicted = predicted_classes(model, val)
    # precise BN: re-estimated statistics, the model's own put back after (a new scope:
    # a strategy's scope cannot be entered twice)
    with _scope(strategy):
        precise = evaluate_recalibrated(model, data["x_train"], val, seed, config.batch_size)
    history = _history_from_csv(log)
    log.unlink(missing_ok=True)
    last = history.get("val_accuracy", [])[-3:]
    return {
        "history": history,
        "final": {
            "val_accuracy": float(final["accuracy"]),
            "val_loss": float(final["loss"]),
            "val_accuracy_last3": float(np.mean(last)) if last else float("nan"),
            "val_accuracy_recalibrated": precise["val_accuracy"],
            "val_loss_recalibrated": precise["val_loss"],
        },
        "precise_bn": {k: precise[k] for k in ("images", "layers", "seconds")},
        # per validation image, in order: for per-photo tests between arms (McNemar, bootstrap)
        "val_predictions": {"moving": predicted, "recalibrated": precise["val_predictions"]},
        "params": int(model.count_params()),
        "final_weights_checksum": weights_checksum(model.get_weights()),
        "train_seconds": round(seconds, 2),
        "model": model,
    }


def compare(config: ExperimentConfig, strategy=None, callbacks=(), data=None) -> dict:
    """Run (or resume) the paired study: every arm of ``config`` for every seed.

    Returns the results dict (JSON-serialisable): ``config``, ``provenance``, ``runs`` (one
    record per arm and seed, histories included), ``summary`` (per-arm mean ± std and the
    paired differences with 95% t-intervals, with the moving BatchNorm statistics) and
    ``summary_recalibrated`` (the same with precise-BN statistics). Each finished run is saved
    as ``out_dir/<name>/runs/<arm>_seed<k>.json``; a run found there with the same fingerprint
    is loaded instead of retrained, so a study resumes where it stopped.
    """
    from resizer_lib.training.stats import summarise, summarise_recalibrated

    data = data or load_experiment_data(config)
    run_dir = Path(config.out_dir) / config.name / "runs"
    fingerprint = config.fingerprint(data_fingerprint(data))
    started = time.perf_counter()
    runs, reused = [], 0
    for seed in config.seeds:
        for arm in config.arms:
            path = run_dir / f"{arm}_seed{seed}.json"
            record = load_run(path, fingerprint)
            if record is None:
                print(f"[{config.name}] training arm={arm} seed={seed}", flush=True)
                record = train_run(config, arm, seed, data, run_dir, callbacks, strategy)
                record.pop("model")
                record["fingerprint"] = fingerprint
                # a study can span several jobs and machines: each run says when and where it ran
                record["finished_utc"] = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
                record["device"] = device_description()
                record["software"] = software_description()
                record["record_version"] = RECORD_VERSION
                RunRecord.from_dict(record, source=str(path)).save(path)
            else:
                reused += 1
                print(f"[{config.name}] reusing finished run arm={arm} seed={seed} ({path})", flush=True)
            runs.append(record)
        assert_identical_initial_weights([r for r in runs if r["seed"] == seed])
    results = {
        "name": config.name,
        "config": config.to_dict(),
        "fingerprint": fingerprint,
        "provenance": provenance(config, data, time.perf_counter() - started, reused),
        "runs": runs,
        "summary": summarise(runs, config.arms),
        "summary_recalibrated": summarise_recalibrated(runs, config.arms),
        "val_labels": [int(y) for y in data["y_val"]],  # what the per-photo predictions are scored against
    }
    return results


def load_experiment_data(config: ExperimentConfig) -> dict:
    """Load train/val arrays for a study through ``resizer_lib.data.load_dataset`` (NumPy path).

    ``num_train`` / ``num_val`` are the synthetic set's sizes, and caps on real data (``None``:
    everything); ``load_dataset`` raises if a split is too large for arrays.
    """
    from resizer_lib.data.loading import load_dataset

    ds = load_dataset(config.data, image_size=config.image_size, batch_size=config.batch_size,
                      seed=config.data_seed, backend="numpy",
                      limit={"train": config.num_train, "val": config.num_val})
    (x_train, y_train), (x_val, y_val) = ds.train, ds.val
    return {
        "x_train": x_train,
        "y_train": y_train,
        "x_val": x_val,
        "y_val": y_val,
        "class_names": list(ds.class_names),
        "counts": ds.counts,
        "source": config.data,
    }


def provenance(config: ExperimentConfig, data: dict, seconds: float, reused: int) -> dict:
    """Who, where and how: command line, date, versions, device, dataset and its counts."""
    import datetime
    import platform

    return {
        "command": _command_line(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "keras": keras.__version__,
        "backend": keras.backend.backend(),
        "backend_version": backend_version(),
        "python": platform.python_version(),
        "device": device_description(),
        "dataset": data.get("source", config.data),
        "class_names": data.get("class_names"),
        "counts": _jsonable(data.get("counts")),
        "train_examples": int(len(data["y_train"])),
        "val_examples": int(len(data["y_val"])),
        "seeds": list(config.seeds),
        "wall_seconds_this_call": round(seconds, 1),
        "runs_reused": reused,
        "profile": os.environ.get("RESIZER_PROFILE"),
    }


def _command_line() -> str:
    """The command that is running, as a user would type it (``python -m resizer_lab ...``)."""
    if not sys.argv:
        return ""
    prog = Path(sys.argv[0])
    head = f"python -m {prog.parent.name}" if prog.name == "__main__.py" else prog.name
    return " ".join([head, *sys.argv[1:]])


def _jsonable(obj):
    return json.loads(json.dumps(obj, default=lambda o: o.item() if hasattr(o, "item") else str(o)))
