"""The paper's protocol: a resizer inserted in front of a backbone already trained with bilinear.

Talebi & Milanfar train the classifier with a plain bilinear resize first, then put the
learnable resizer in front of the trained backbone and train the two jointly. For one factor
study (its ``ExperimentConfig``: same data, sizes and recipe as the from-scratch study) and
each seed, ``warm_start`` does:

0. the trained bilinear model: the bilinear arm trained exactly as ``compare`` trains it
   (``train_run``), its final weights saved to ``<weights_dir>/bilinear_seed<k>.weights.h5``
   with a record beside them; an existing file is reused. The weights folder must lie outside
   the repository (photos' weights are never committed), by default ``../weights/<name>``
   beside the checkout.
1. four arms, each trained ``extra_epochs`` more epochs from the trained backbone:
   ``learned`` and ``muller`` (the resizer inserted at its initial weights), ``more_layers``
   (the capacity control, inserted likewise) and ``bilinear`` (the control: the trained model
   continued). Every arm of a seed sees the same batches (epochs ``epochs`` to
   ``epochs + extra_epochs - 1`` of the seed's order), a fresh optimizer with the same recipe
   and schedule, and starts from the same backbone weights (a checksum, asserted).

The fair protocol (``warm_lr`` given, protocol ``warm_start/2``) changes two things. Arms
``learned_zero`` and ``learned_zero_slow`` insert the resizer with its last convolution at zero
(``ResizerSpec.zero_init``), so the model predicts at step 0 exactly what the trained model
predicts; ``learned_zero_slow`` also trains the backbone at a tenth of the resizer's rate
(the resizer's variables step ``RESIZER_LR_SCALE`` times the schedule's rate). And every arm
follows one schedule without a warm-up: cosine decay from ``warm_lr`` to zero over the extra
epochs (the recipe's AdamW and weight decay), instead of the recipe's warm-up to its peak
rate, restarted (protocol ``warm_start/1``, still the default, whose records are still
recognised). Under the fair protocol the trained bilinear model's record is also the factor
study's own bilinear run (same configuration, same training): it is written to
``<out>/<name>/runs/bilinear_seed<k>.json`` when that file is absent, so ``compare`` reuses it.

Each run is recorded like a ``compare`` run (``save_run``: final accuracy with moving and
precise-BN statistics, per-photo predictions), plus ``start`` (the validation accuracy before
the extra epochs) and ``warm_start`` (the base weights, their checksum, the epochs), in
``<out>/warm_start_<name>/runs/<arm>_seed<k>.json``; finished runs are skipped on a rerun.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import keras

from resizer_lib.files import read_json, write_json_atomic
from resizer_lib.models.classifier import backbone_weights
from resizer_lib.training.arms import build_arm, classifier_of
from resizer_lib.training.config import ExperimentConfig
from resizer_lib.training.record import (
    assert_identical_initial_weights,
    check_record,
    data_fingerprint,
    finish_record,
    load_run,
    save_run,
    weights_checksum,
)
from resizer_lib.training.runner import (
    compile_for_study,
    dtype_policy,
    fit_and_record,
    load_experiment_data,
    seed_batches,
    train_run,
)

__all__ = [
    "DEFAULT_EXTRA_EPOCHS",
    "FAIR_WARM_ARMS",
    "RESIZER_LR_SCALE",
    "WARM_ARMS",
    "ZERO_ARMS",
    "base_weights",
    "check_weights_dir",
    "default_weights_dir",
    "repository_root",
    "train_warm_arm",
    "warm_fingerprint",
    "warm_optimizer",
    "warm_start",
    "warm_start_model",
]

WARM_ARMS = ("bilinear", "learned", "muller", "more_layers")  # bilinear: the continued control
# the learned resizer inserted with its last convolution at zero; "_slow": the backbone at a
# tenth of the resizer's rate (fair protocol only)
ZERO_ARMS = ("learned_zero", "learned_zero_slow")
FAIR_WARM_ARMS = ("bilinear", "learned_zero", "learned_zero_slow", "muller")
RESIZER_LR_SCALE = 10.0  # learned_zero_slow: the resizer's rate over the backbone's
DEFAULT_EXTRA_EPOCHS = 6
_PROTOCOL = "warm_start/1"  # the recipe's schedule restarted (warm-up to its peak)
_FAIR_PROTOCOL = "warm_start/2"  # one schedule without warm-up: cosine from warm_lr to zero


# -- where the trained weights live ------------------------------------------------------------
def repository_root(start: str | Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds ``.git`` (a checkout), or ``None``."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _repositories() -> list[Path]:
    """The checkouts a weights file must stay out of: the current folder's and the library's."""
    roots = {repository_root(Path.cwd()), repository_root(Path(__file__).parent)}
    return sorted(r for r in roots if r is not None)


def default_weights_dir(name: str, root: str | Path | None = None) -> Path:
    """``<checkout>/../weights/<name>``: beside the checkout ``root`` (default: the current
    folder's, else the current folder), never inside it."""
    base = Path(root) if root is not None else (repository_root(Path.cwd()) or Path.cwd())
    return base.resolve().parent / "weights" / name


def check_weights_dir(path: str | Path, repositories: Sequence[str | Path] | None = None) -> Path:
    """``path`` resolved, or a ``ValueError`` when it lies inside one of ``repositories``
    (default: the current folder's checkout and the library's): weights trained on the
    course's photos are never kept where they could be committed."""
    resolved = Path(path).expanduser().resolve()
    roots = [Path(r).resolve() for r in (repositories if repositories is not None else _repositories())]
    for root in roots:
        if resolved == root or root in resolved.parents:
            raise ValueError(f"weights folder {resolved} is inside the repository {root}; weights "
                             f"trained on these photos must never be committed: use a folder "
                             f"beside the checkout, e.g. {root.parent / 'weights'}")
    return resolved


def _base_path(weights_dir: Path, seed: int) -> Path:
    return weights_dir / f"bilinear_seed{seed}.weights.h5"


def _save_weights_atomic(model: keras.Model, path: Path) -> None:
    """``model.save_weights`` through a temporary file beside ``path``, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name.removesuffix('.weights.h5')}.partial.weights.h5")
    try:
        model.save_weights(str(tmp))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def base_weights(config: ExperimentConfig, seed: int, data: dict, weights_dir: Path,
                 fingerprint: str) -> dict:
    """The trained bilinear model of ``seed``: trains it (``train_run``, exactly as ``compare``
    does) and saves its weights, unless ``<weights_dir>/bilinear_seed<k>.weights.h5`` exists.

    Returns ``{"path", "record"}``: ``record`` is the training's run record (no history of a
    reused file that came without one: ``None``). A ``ValueError`` when the saved record says
    the weights were trained under another configuration (``fingerprint``).
    """
    path = _base_path(weights_dir, seed)
    sidecar = path.with_name(f"bilinear_seed{seed}.json")
    if path.exists():
        record = read_json(sidecar) if sidecar.exists() else None
        if record is not None and record.get("fingerprint") != fingerprint:
            raise ValueError(f"{path} was trained under configuration {record.get('fingerprint')}, "
                             f"not this study's {fingerprint}: move it away or choose another "
                             f"weights folder")
        if record is None:
            print(f"warning: reusing {path} without its record ({sidecar.name}): its configuration "
                  f"cannot be checked", flush=True)
        return {"path": path, "record": record}
    print(f"[warm_start_{config.name}] training the bilinear model of seed {seed} "
          f"({config.epochs} epochs), weights to {path}", flush=True)
    record = train_run(config, "bilinear", seed, data, weights_dir / "train")
    model = record.pop("model")
    _save_weights_atomic(model, path)
    record = finish_record(record, fingerprint)
    write_json_atomic(sidecar, record)
    return {"path": path, "record": record}


# -- the four arms ---------------------------------------------------------------------------
def warm_start_model(config: ExperimentConfig, arm: str, seed: int, num_classes: int,
                     base_path: str | Path) -> keras.Model:
    """The model of one arm at the start of the extra epochs: ``bilinear`` is the trained model
    itself; ``learned``, ``muller`` and ``more_layers`` are new classifiers (``build_arm``, the
    resizer at its initial weights for ``seed``) whose backbone weights, BatchNorm statistics
    included, are those of the trained model; ``learned_zero`` and ``learned_zero_slow`` are
    ``learned`` with the resizer's last convolution at zero (the trained model's predictions).
    Input ``(B, H, W, 3)`` uint8, output ``(B, num_classes)``."""
    if arm not in (*WARM_ARMS, *ZERO_ARMS):
        raise ValueError(f"Unknown warm-start arm {arm!r}; choose from {[*WARM_ARMS, *ZERO_ARMS]}")
    trained = build_arm(config, "bilinear", num_classes, seed)
    trained.load_weights(str(base_path))
    if arm == "bilinear":
        return trained
    if arm in ZERO_ARMS:
        model = build_arm(replace(config, zero_init=True), "learned", num_classes, seed)
    else:
        model = build_arm(config, arm, num_classes, seed)
    copy_backbone_weights(classifier_of(trained), classifier_of(model))
    return model


def copy_backbone_weights(source: keras.Model, target: keras.Model) -> None:
    """Copy the backbone weights of classifier ``source`` into classifier ``target`` (same backbone)."""
    backbone = [layer for layer in target.layers if isinstance(layer, keras.Model)]
    if len(backbone) != 1:
        raise ValueError(f"{target.name} does not hold exactly one backbone model (found {len(backbone)})")
    backbone[0].set_weights(backbone_weights(source))


class _ScaledAdamW(keras.optimizers.AdamW):
    """AdamW whose update of some variables uses ``scale`` times the schedule's rate (the
    decoupled weight decay keeps the common rate). TensorFlow backend (the studies' CPU)."""

    def __init__(self, scaled_variables=(), scale: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        self._scaled_keys = frozenset(self._var_key(v) for v in scaled_variables)  # keys, not variables:
        self._scale = float(scale)                                                 # nothing to save

    def update_step(self, gradient, variable, learning_rate):
        if self._var_key(variable) in self._scaled_keys:
            learning_rate = learning_rate * self._scale
        super().update_step(gradient, variable, learning_rate)


def warm_optimizer(learning_rate: float, steps: int, scaled_variables=(), scale: float = 1.0):
    """The fair protocol's optimizer: AdamW (weight decay 1e-4, as the recipe) on a cosine decay
    from ``learning_rate`` to zero over ``steps`` steps, without warm-up; ``scaled_variables``
    step at ``scale`` times that rate."""
    if not learning_rate > 0:
        raise ValueError(f"warm_lr must be a positive rate (e.g. 1e-4); got {learning_rate!r}")
    schedule = keras.optimizers.schedules.CosineDecay(float(learning_rate), decay_steps=max(1, steps))
    return _ScaledAdamW(scaled_variables, scale, learning_rate=schedule, weight_decay=1e-4, name="adamw")


def _arm_optimizer(model: keras.Model, arm: str, steps: int, warm_lr: float | None):
    """``None`` (the recipe's, restarted) for protocol 1; the fair protocol's optimizer else."""
    if warm_lr is None:
        return None
    if arm == "learned_zero_slow":
        resizer = classifier_of(model).get_layer("resizer")
        return warm_optimizer(warm_lr, steps, resizer.trainable_weights, RESIZER_LR_SCALE)
    return warm_optimizer(warm_lr, steps)


def train_warm_arm(config: ExperimentConfig, arm: str, seed: int, data: dict, base_path: Path,
                   run_dir: Path, extra_epochs: int = DEFAULT_EXTRA_EPOCHS,
                   warm_lr: float | None = None) -> dict:
    """Train one warm-start arm ``extra_epochs`` epochs from the trained bilinear model in
    ``base_path`` and return its record (as ``train_run``'s, plus ``start``: validation
    accuracy and loss before the first step). ``data`` as for ``train_run``; ``run_dir`` holds
    the CSV log and the epoch backup, so an interrupted run resumes from its last epoch. Fit's
    epoch ``e`` takes the batches of epoch ``config.epochs + e`` of the seed's order: those the
    base training would have seen next. ``warm_lr``: the fair protocol's schedule (see the
    module); ``None``: the recipe's, restarted."""
    keras.utils.set_random_seed(seed)
    train, val = seed_batches(config, data, seed)
    with dtype_policy(config.mixed_precision):
        model = warm_start_model(config, arm, seed, len(data["class_names"]), base_path)
        initial = weights_checksum(backbone_weights(classifier_of(model)))
        steps = len(train) * extra_epochs
        compile_for_study(model, config, steps, _arm_optimizer(model, arm, steps, warm_lr))
        start = model.evaluate(val, verbose=0, return_dict=True)
        record = fit_and_record(model, config, arm, seed, data, (train, val), run_dir,
                                epochs=extra_epochs, first_epoch=config.epochs)
    return {"arm": arm, "seed": seed, **record, "initial_backbone_checksum": initial,
            "start": {"val_accuracy": float(start["accuracy"]), "val_loss": float(start["loss"])}}


# -- the study -------------------------------------------------------------------------------
def warm_fingerprint(config: ExperimentConfig, data: dict, extra_epochs: int,
                     warm_lr: float | None = None) -> str:
    """The warm-start runs' fingerprint: the factor study's (``config``, the data), the
    number of extra epochs and the protocol (with ``warm_lr``: the fair one, its rate and the
    resizer's scale; without: the first, whose fingerprints are unchanged)."""
    study = config.fingerprint(data_fingerprint(data))
    fields = {"study": study, "extra_epochs": extra_epochs, "protocol": _PROTOCOL}
    if warm_lr is not None:
        fields |= {"protocol": _FAIR_PROTOCOL, "warm_lr": float(warm_lr),
                   "resizer_lr_scale": RESIZER_LR_SCALE}
    return hashlib.sha256(json.dumps(fields).encode()).hexdigest()[:16]


def _check_arms(arms: Sequence[str], extra_epochs: int, warm_lr: float | None = None) -> tuple[str, ...]:
    arms = tuple(arms)
    known = (*WARM_ARMS, *ZERO_ARMS)
    unknown = [a for a in arms if a not in known]
    if not arms or unknown or len(set(arms)) != len(arms):
        raise ValueError(f"warm-start arms must be distinct names from {list(known)}; got {list(arms)}")
    if "learned_zero_slow" in arms and warm_lr is None:
        raise ValueError("learned_zero_slow belongs to the fair protocol: give warm_lr (--warm-lr), "
                         "the schedule's starting rate")
    if isinstance(extra_epochs, bool) or not isinstance(extra_epochs, int) or extra_epochs < 1:
        raise ValueError(f"extra_epochs must be a positive integer (6 for the course's study); "
                         f"got {extra_epochs!r}")
    return arms


def _reproduces_map_run(config: ExperimentConfig, seed: int, base_record: dict) -> bool | None:
    """Whether the trained bilinear model has the final weights of the from-scratch study's own
    bilinear run (``<out>/<name>/runs/bilinear_seed<k>.json``, same configuration); ``None``
    when that run or the base's record is not there to compare."""
    path = Path(config.out_dir) / config.name / "runs" / f"bilinear_seed{seed}.json"
    if not base_record or not path.is_file():
        return None
    run = read_json(path)
    if run.get("fingerprint") != base_record.get("fingerprint"):
        return None
    return run.get("final_weights_checksum") == base_record.get("final_weights_checksum")


def _share_base_run(config: ExperimentConfig, seed: int, base: dict) -> None:
    """The trained bilinear model's record, trained as ``compare`` trains the factor study's
    bilinear arm, written as that study's run when it has none, so ``compare`` reuses it."""
    record = base["record"]
    path = Path(config.out_dir) / config.name / "runs" / f"bilinear_seed{seed}.json"
    if not record or "history" not in record or path.exists():
        return
    save_run(check_record(record, str(base["path"])), path)
    print(f"[warm_start_{config.name}] the trained bilinear model of seed {seed} is also the study's "
          f"bilinear run: {path}", flush=True)


def _finish(record: dict, fingerprint: str, base: dict, extra_epochs: int, config: ExperimentConfig,
            warm_lr: float | None = None) -> dict:
    """Add the bookkeeping of a finished warm-start run to ``record`` (its model removed)."""
    base_record = base["record"] or {}
    record = finish_record(record, fingerprint)
    record |= {
        "warm_start": {
            "protocol": _PROTOCOL if warm_lr is None else _FAIR_PROTOCOL,
            "base_epochs": config.epochs,
            "extra_epochs": extra_epochs,
            "base_weights": str(base["path"]),
            "base_weights_checksum": base_record.get("final_weights_checksum"),
            "base_val_accuracy": (base_record.get("final") or {}).get("val_accuracy"),
            "base_reproduces_study_run": _reproduces_map_run(config, record["seed"], base_record),
            "study": config.name,
        },
    }
    if warm_lr is not None:  # protocol 1's records keep their keys
        record["warm_start"] |= {
            "schedule": f"cosine decay from {warm_lr:g} to 0 over the extra epochs, no warm-up",
            "warm_lr": float(warm_lr),
            "resizer_lr_scale": RESIZER_LR_SCALE if record["arm"] == "learned_zero_slow" else 1.0,
            "zero_init": record["arm"] in ZERO_ARMS,
        }
    return record


def warm_start(config: ExperimentConfig, extra_epochs: int = DEFAULT_EXTRA_EPOCHS,
               weights_dir: str | Path | None = None, arms: Sequence[str] = WARM_ARMS,
               data: dict | None = None, repositories: Sequence[str | Path] | None = None,
               warm_lr: float | None = None) -> list[dict]:
    """Run (or resume) the warm-start study of the factor study ``config`` over its seeds.

    ``weights_dir``: where the trained bilinear weights go (default
    ``default_weights_dir(config.name)``; refused inside ``repositories``, see
    ``check_weights_dir``). Writes ``<out>/warm_start_<name>/runs/<arm>_seed<k>.json`` and
    returns the records (finished runs of the same fingerprint are reused). Asserts that every
    arm of a seed started from the same backbone weights. ``warm_lr``: the fair protocol (see
    the module), ``None``: the first.
    """
    arms = _check_arms(arms, extra_epochs, warm_lr)
    weights = check_weights_dir(weights_dir if weights_dir is not None else default_weights_dir(config.name),
                                repositories)
    data = data or load_experiment_data(config)
    fingerprint = warm_fingerprint(config, data, extra_epochs, warm_lr)
    run_dir = Path(config.out_dir) / f"warm_start_{config.name}" / "runs"
    tag = f"[warm_start_{config.name}]"
    runs = []
    for seed in config.seeds:
        paths = {arm: run_dir / f"{arm}_seed{seed}.json" for arm in arms}
        records = {arm: load_run(path, fingerprint) for arm, path in paths.items()}
        todo = [arm for arm in arms if records[arm] is None]
        for arm in arms:
            if records[arm] is not None:
                print(f"{tag} reusing finished run arm={arm} seed={seed} ({paths[arm]})", flush=True)
        if todo:
            base = base_weights(config, seed, data, weights, config.fingerprint(data_fingerprint(data)))
            if warm_lr is not None:  # the fair protocol's bases double as the study's bilinear runs
                _share_base_run(config, seed, base)
            for arm in todo:
                print(f"{tag} training arm={arm} seed={seed} ({extra_epochs} epochs from the trained "
                      f"bilinear model)", flush=True)
                record = train_warm_arm(config, arm, seed, data, base["path"], run_dir, extra_epochs, warm_lr)
                record = _finish(record, fingerprint, base, extra_epochs, config, warm_lr)
                save_run(record, paths[arm])
                records[arm] = record
        seed_runs = [records[arm] for arm in arms]
        assert_identical_initial_weights(seed_runs)
        runs += seed_runs
    return runs
