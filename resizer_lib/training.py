"""Paired experiments: train every arm from identical initial weights on the same data order.

``compare(config)`` answers the course's question, *does the learnable resizer help?*, with a
controlled design. For each seed it builds every arm with ``build_classifier(seed=seed)`` (so the
backbone starts from the same weights, checked by a checksum), feeds the same shuffled batches
(``EpochBatches``: the order depends only on the seed and the epoch), trains with the same recipe
and evaluates on the same validation set. Each finished ``(arm, seed)`` run is stored as JSON and
skipped when the study is rerun with the same configuration, so long studies resume.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import keras
import numpy as np

from ._batching import batch_rows, epoch_order, one_hot
from ._checks import check_size
from ._walk import walk_layers
from .augment import RandomShift
from .files import BrokenRecord, read_json, set_aside, write_json_atomic
from .models import RESIZER_ARMS, backbone_weights, build_classifier
from .resizer import supported_interpolations
from .runtime import backend_version, device_description, resolve_jit, software_description

__all__ = [
    "ARM_CONTROLS",
    "RECIPES",
    "EpochBatches",
    "RandomStateBackup",
    "ExperimentConfig",
    "build_arm",
    "compare",
    "make_optimizer",
    "train_run",
]

RECIPES = ("adamw_cosine", "keras_io")
ARM_CONTROLS = ("full_res",)  # the backbone trained directly at the input resolution
_RESULT_KEYS = ("accuracy", "loss")


@dataclass
class ExperimentConfig:
    """Everything that defines a study. Fields marked *bookkeeping* do not change results.

    Arms: ``"learned"``, ``"more_layers"`` (same blocks after a naive resize),
    ``"full_res"`` (no downsampling: the resolution control) or any interpolation name
    (``"bilinear"``, ``"bicubic"``, ...: a fixed resize).
    """

    name: str = "experiment"  # bookkeeping: file names under out_dir
    backbone: str = "small_cnn"
    data: str = "synthetic"
    image_size: tuple[int, int] = (96, 96)
    target_size: tuple[int, int] = (48, 48)
    arms: tuple[str, ...] = ("bilinear", "learned", "more_layers")
    epochs: int = 8
    batch_size: int = 32
    recipe: str = "adamw_cosine"
    learning_rate: float | None = None  # None: the recipe's default
    seeds: tuple[int, ...] = (0, 1, 2)
    num_train: int | None = 512  # synthetic: examples generated; real data: a cap (None: all)
    num_val: int | None = 256
    data_seed: int = 0
    augment: bool = False
    filters: int = 16
    num_res_blocks: int = 1
    interpolation: str = "bilinear"
    bn_momentum: float = 0.9  # the resizer's BatchNorm (Keras: 0.99); see LearnableResizer
    mixed_precision: str | None = None  # "mixed_float16" (GPU) or "mixed_bfloat16"
    jit: bool | str = "auto"
    run_eagerly: bool = False  # no graph or jit: far quicker for tiny smoke runs, slower otherwise
    out_dir: str = "results"  # bookkeeping
    verbose: int | str = "auto"  # bookkeeping
    tensorboard: bool = False  # bookkeeping
    extra: dict = field(default_factory=dict)  # bookkeeping: free-form notes in the results

    def __post_init__(self):
        self.image_size = check_size(self.image_size, "image_size")
        self.target_size = check_size(self.target_size, "target_size")
        self.arms = tuple(self.arms)
        self.seeds = tuple(int(s) for s in self.seeds)
        if not self.arms:
            raise ValueError("arms is empty; choose from 'bilinear', 'learned', 'more_layers', 'full_res'")
        valid = (*RESIZER_ARMS, *ARM_CONTROLS, *supported_interpolations())
        for arm in self.arms:
            if arm not in valid:
                raise ValueError(f"Unknown arm {arm!r}; choose from {list(valid)}")
        if len(set(self.arms)) != len(self.arms):
            raise ValueError(f"arms has duplicates: {self.arms}")
        if self.recipe not in RECIPES:
            raise ValueError(f"Unknown recipe {self.recipe!r}; choose one of {list(RECIPES)}")
        for name in ("epochs", "batch_size"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be an integer >= 1; got {value!r}")
        if not self.seeds:
            raise ValueError("seeds is empty; give at least one seed (five or more for a CI)")
        if len(set(self.seeds)) != len(self.seeds):
            raise ValueError(f"seeds has duplicates: {self.seeds}")

    def to_dict(self) -> dict:
        d = asdict(self)
        d["image_size"], d["target_size"] = list(self.image_size), list(self.target_size)
        d["arms"], d["seeds"] = list(self.arms), list(self.seeds)
        return d

    def fingerprint(self, data_digest: str = "") -> str:
        """Hash of the fields that change results (not name, out_dir, verbosity, seeds, arms),
        plus ``data_digest`` (see ``data_fingerprint``) so that changed data retrain too."""
        skip = {"name", "out_dir", "verbose", "tensorboard", "extra", "seeds", "arms"}
        if not self.run_eagerly:
            skip.add("run_eagerly")  # keeps the fingerprints of runs made before the field existed
        d = {k: v for k, v in self.to_dict().items() if k not in skip} | {"data": data_digest}
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]

    @classmethod
    def from_dict(cls, d: dict) -> ExperimentConfig:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


class EpochBatches(keras.utils.PyDataset):
    """Shuffled one-hot batches whose order depends only on ``(seed, epoch)``.

    Yields ``(images (B, H, W, 3) uint8, one_hot (B, K) float32)``. With ``endless=True`` it is
    an infinite stream indexed by the global batch number ``i``: batch ``i`` belongs to epoch
    ``epoch_offset + i // batches_per_epoch``. Keras creates (and prefetches) the next epoch's
    iterator before any callback runs, so the order must not depend on callback timing; this
    makes every arm of a seed see the same batches, and a resumed run see the same batches as
    an uninterrupted one (``_EpochSetter`` sets ``epoch_offset`` to the epoch fit starts at).
    """

    def __init__(self, images, labels, batch_size, num_classes, seed=0, shuffle=True, endless=False):
        super().__init__(workers=1, use_multiprocessing=False)
        self.images, self.labels = images, np.asarray(labels)
        self.batch_size, self.num_classes = batch_size, num_classes
        self.seed, self.shuffle, self.endless = seed, shuffle, endless
        self.epoch_offset = 0

    @property
    def batches_per_epoch(self) -> int:
        return math.ceil(len(self.labels) / self.batch_size)

    @property
    def num_batches(self):
        return None if self.endless else self.batches_per_epoch

    def __len__(self) -> int:
        return self.batches_per_epoch

    def order(self, epoch: int) -> np.ndarray:
        """The permutation of example indices used in ``epoch`` (``_batching.epoch_order``)."""
        return epoch_order(len(self.labels), self.seed, epoch, self.shuffle)

    def __getitem__(self, index):
        epoch, b = divmod(int(index), self.batches_per_epoch)
        idx = batch_rows(self.order(self.epoch_offset + epoch), b, self.batch_size)
        return self.images[idx], one_hot(self.labels[idx], self.num_classes)


class RandomStateBackup(keras.callbacks.Callback):
    """Saves and restores the layers' random-generator states next to ``BackupAndRestore``.

    Keras' weight files skip ``SeedGenerator`` states (dropout, random augmentation), so without
    this a resumed run would draw different dropout masks than an uninterrupted one.
    """

    def __init__(self, path: Path):
        super().__init__()
        self.path = Path(path)

    def _states(self):
        return [v for v in self.model.variables if "seed_generator_state" in v.path]

    def on_train_begin(self, logs=None):
        if self.path.exists():
            saved = np.load(self.path)
            for i, v in enumerate(self._states()):
                v.assign(saved[f"s{i}"])

    def on_epoch_end(self, epoch, logs=None):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {f"s{i}": keras.ops.convert_to_numpy(v) for i, v in enumerate(self._states())}
        np.savez(self.path, **arrays)

    def on_train_end(self, logs=None):
        self.path.unlink(missing_ok=True)


class _EpochSetter(keras.callbacks.Callback):
    """Aligns the batch stream with the epoch ``fit`` starts at (> 0 after a resume)."""

    def __init__(self, batches: EpochBatches):
        super().__init__()
        self.batches, self.started = batches, False

    def on_epoch_begin(self, epoch, logs=None):
        if not self.started:  # runs before Keras creates the data iterator
            self.batches.epoch_offset, self.started = epoch, True


def make_optimizer(recipe: str, steps: int, learning_rate: float | None = None):
    """The optimizer for a recipe; ``steps`` is the total number of training steps.

    * ``keras_io``: ``SGD()`` with Keras defaults (lr 0.01, no momentum), as in the example.
    * ``adamw_cosine``: AdamW (lr 1e-3, weight decay 1e-4) with a linear warm-up over the first
      5% of steps and cosine decay to zero, so the final epochs settle instead of swinging.
    """
    if recipe == "keras_io":
        return keras.optimizers.SGD(learning_rate=learning_rate or 0.01)
    if recipe == "adamw_cosine":
        peak = learning_rate or 1e-3
        warmup = max(1, steps // 20)
        schedule = keras.optimizers.schedules.CosineDecay(
            0.0, decay_steps=max(1, steps - warmup), warmup_target=peak, warmup_steps=warmup
        )
        return keras.optimizers.AdamW(learning_rate=schedule, weight_decay=1e-4)
    raise ValueError(f"Unknown recipe {recipe!r}; choose one of {list(RECIPES)}")


def build_arm(config: ExperimentConfig, arm: str, num_classes: int, seed: int) -> keras.Model:
    """The classifier for one arm; the backbone's initial weights depend only on ``seed``."""
    target = config.image_size if arm == "full_res" else config.target_size
    resizer = None if arm == "full_res" else arm
    model = build_classifier(
        config.backbone,
        input_size=config.image_size,
        target_size=target,
        resizer=resizer,
        num_classes=num_classes,
        seed=seed,
        filters=config.filters,
        num_res_blocks=config.num_res_blocks,
        interpolation=config.interpolation,
        bn_momentum=config.bn_momentum,
        name=f"{config.backbone}_{arm}",
    )
    if config.augment:
        model = _with_augmentation(model, seed)
    return model


def _with_augmentation(model: keras.Model, seed: int) -> keras.Model:
    """Random flips and small translations in front of the model (active in training only)."""
    inputs = keras.Input(model.input_shape[1:], name="image")
    x = keras.layers.RandomFlip("horizontal", seed=seed, name="aug_flip")(inputs)
    x = RandomShift(0.05, 0.05, seed=seed + 1, name="aug_shift")(x)  # jit-safe on JAX
    return keras.Model(inputs, model(x), name=model.name)


def not_jit_safe_layers(model: keras.Model) -> list[str]:
    """Names of the layers (nested models included) that declare ``supports_jit=False``."""
    return [layer.name for layer in [model, *walk_layers(model)] if not getattr(layer, "supports_jit", True)]


def warn_if_not_compiled(model: keras.Model) -> bool:
    """On JAX, warn when a model compiled with jit will nevertheless train op by op.

    Keras turns compilation off for the whole model when one layer says
    ``supports_jit=False``; on JAX that is tens of times slower, and silent. Returns whether it
    warned.
    """
    if keras.backend.backend() != "jax" or model.jit_compile:
        return False
    names = not_jit_safe_layers(model)
    if not names:
        return False
    import warnings

    warnings.warn(
        f"{model.name} will train op by op on JAX (much slower): layers {names} declare "
        "supports_jit=False, which turns compilation off for the whole model. For Keras' "
        "RandomTranslation/RandomRotation/RandomZoom use resizer_lib.augment's RandomShift/"
        "RandomTurn/RandomZoomJit.",
        stacklevel=2,
    )
    return True


def data_fingerprint(data: dict) -> str:
    """A short hash of the training and validation arrays and class names."""
    arrays = [data["x_train"], data["y_train"], data["x_val"], data["y_val"]]
    return weights_checksum(arrays) + "-" + ",".join(map(str, data["class_names"]))


def weights_checksum(weights: Sequence[np.ndarray]) -> str:
    """A short hash of a list of arrays (to assert identical initial weights across arms)."""
    h = hashlib.sha256()
    for w in weights:
        h.update(np.ascontiguousarray(w).tobytes())
    return h.hexdigest()[:16]


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

    ``data`` holds ``x_train (N, H, W, 3) uint8``, ``y_train (N,)``, ``x_val``, ``y_val`` and
    ``class_names``. ``run_dir`` holds the CSV log and the ``BackupAndRestore`` state, so an
    interrupted run resumes from its last finished epoch.
    """
    num_classes = len(data["class_names"])
    keras.utils.set_random_seed(seed)
    train = EpochBatches(data["x_train"], data["y_train"], config.batch_size, num_classes, seed, endless=True)
    val = EpochBatches(data["x_val"], data["y_val"], config.batch_size, num_classes, shuffle=False)
    steps = len(train) * config.epochs
    policy = keras.mixed_precision.dtype_policy()
    if config.mixed_precision:
        keras.mixed_precision.set_dtype_policy(config.mixed_precision)
    try:
        scope = strategy.scope() if strategy is not None else contextlib.nullcontext()
        with scope:
            model = build_arm(config, arm, num_classes, seed)
            initial = weights_checksum(backbone_weights(_classifier_of(model)))
            model.compile(
                optimizer=make_optimizer(config.recipe, steps, config.learning_rate),
                loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
                metrics=["accuracy"],
                jit_compile=False if config.run_eagerly else resolve_jit(config.jit),
                run_eagerly=config.run_eagerly,
            )
        if not config.run_eagerly and config.jit is not False:
            warn_if_not_compiled(model)
        run_dir.mkdir(parents=True, exist_ok=True)
        log = run_dir / f"{arm}_seed{seed}.csv"
        backup = run_dir / "backup" / f"{arm}_seed{seed}"
        if not backup.exists() and log.exists():
            log.unlink()  # a stale log from a run that finished or was discarded
        cbs = [
            keras.callbacks.BackupAndRestore(str(backup), delete_checkpoint=True),
            RandomStateBackup(backup.with_name(backup.name + "_rng.npz")),
            keras.callbacks.CSVLogger(str(log), append=True),
            _EpochSetter(train),
            *callbacks,
        ]
        if config.tensorboard:
            cbs.append(keras.callbacks.TensorBoard(str(run_dir / "tensorboard" / f"{arm}_seed{seed}")))
        start = time.perf_counter()
        model.fit(train, validation_data=val, epochs=config.epochs, steps_per_epoch=len(train),
                  shuffle=False, callbacks=cbs, verbose=_verbose(config))
        seconds = time.perf_counter() - start
        final = model.evaluate(val, verbose=0, return_dict=True)
    finally:
        keras.mixed_precision.set_dtype_policy(policy)
    history = _history_from_csv(log)
    log.unlink(missing_ok=True)
    last = history.get("val_accuracy", [])[-3:]
    return {
        "arm": arm,
        "seed": seed,
        "history": history,
        "final": {
            "val_accuracy": float(final["accuracy"]),
            "val_loss": float(final["loss"]),
            "val_accuracy_last3": float(np.mean(last)) if last else float("nan"),
        },
        "params": int(model.count_params()),
        "initial_backbone_checksum": initial,
        "final_weights_checksum": weights_checksum(model.get_weights()),
        "train_seconds": round(seconds, 2),
        "model": model,
    }


def _classifier_of(model: keras.Model) -> keras.Model:
    """The ``build_classifier`` model inside an augmentation wrapper (or the model itself)."""
    inner = [layer for layer in model.layers if isinstance(layer, keras.Model)]
    if len(inner) == 1 and any(isinstance(x, keras.Model) for x in inner[0].layers):
        return inner[0]
    return model


def compare(config: ExperimentConfig, strategy=None, callbacks=(), data=None) -> dict:
    """Run (or resume) the paired study and write ``results/<name>.{json,csv,png}``.

    Returns the results dict (JSON-serialisable): ``config``, ``provenance``, ``runs`` (one
    record per arm and seed, histories included) and ``summary`` (per-arm mean ± std and the
    paired differences with 95% t-intervals). Finished runs found under
    ``out_dir/<name>/runs/`` with the same fingerprint are loaded instead of retrained.
    """
    from .reporting import summarise, write_outputs

    data = data or load_experiment_data(config)
    out = Path(config.out_dir)
    run_dir = out / config.name / "runs"
    fingerprint = config.fingerprint(data_fingerprint(data))
    started = time.perf_counter()
    runs, reused = [], 0
    for seed in config.seeds:
        for arm in config.arms:
            path = run_dir / f"{arm}_seed{seed}.json"
            record = _load_run(path, fingerprint)
            if record is None:
                print(f"[{config.name}] training arm={arm} seed={seed}", flush=True)
                record = train_run(config, arm, seed, data, run_dir, callbacks, strategy)
                record.pop("model")
                record["fingerprint"] = fingerprint
                # a study can span several jobs and machines: each run says when and where it ran
                record["finished_utc"] = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
                record["device"] = device_description()
                record["software"] = software_description()
                write_json_atomic(path, record)
            else:
                reused += 1
                print(f"[{config.name}] reusing finished run arm={arm} seed={seed} ({path})", flush=True)
            runs.append(record)
        _assert_identical_initial_weights([r for r in runs if r["seed"] == seed])
    results = {
        "name": config.name,
        "config": config.to_dict(),
        "fingerprint": fingerprint,
        "provenance": provenance(config, data, time.perf_counter() - started, reused),
        "runs": runs,
        "summary": summarise(runs, config.arms),
    }
    write_outputs(results, out)
    return results


def _load_run(path: Path, fingerprint: str) -> dict | None:
    """The finished run in ``path`` if it was trained under ``fingerprint``, else ``None``.

    A record that cannot be read (cut short by a crash, a full disk, a hand edit) is renamed
    to ``<name>.json.broken`` with a message, and ``None`` is returned: that run trains again.
    """
    if not path.exists():
        return None
    try:
        record = read_json(path)
    except BrokenRecord as err:
        moved = set_aside(path)
        print(f"warning: {err}; moved it to {moved.name} and training that run again",
              file=sys.stderr, flush=True)
        return None
    return record if record.get("fingerprint") == fingerprint else None


def _assert_identical_initial_weights(records: list[dict]) -> None:
    sums = {r["arm"]: r["initial_backbone_checksum"] for r in records}
    if len(set(sums.values())) > 1:
        raise AssertionError(f"arms of seed {records[0]['seed']} started from different backbone weights: {sums}")


def load_experiment_data(config: ExperimentConfig) -> dict:
    """Load train/val arrays for a study through ``resizer_lib.data.load_dataset`` (NumPy path)."""
    from .data import load_dataset

    if config.data == "synthetic":  # generated: the counts are the sizes
        sizes = {"num_train": config.num_train or 1024, "num_val": config.num_val or 256}
    else:  # real data: the counts are caps (None: everything)
        sizes = {"limit": {"train": config.num_train, "val": config.num_val}}
    ds = load_dataset(config.data, image_size=config.image_size, batch_size=config.batch_size,
                      seed=config.data_seed, backend="numpy", **sizes)
    if not isinstance(ds.train, tuple):
        raise ValueError(
            f"{config.data} at {config.image_size} does not fit in memory as arrays; lower "
            f"--image-size or cap the examples with --num-train/--num-val"
        )
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
    """The command that is running, as a user would type it (``python -m resizer_lib ...``)."""
    if not sys.argv:
        return ""
    prog = Path(sys.argv[0])
    head = "python -m resizer_lib" if prog.name == "__main__.py" else prog.name
    return " ".join([head, *sys.argv[1:]])


def _jsonable(obj):
    return json.loads(json.dumps(obj, default=lambda o: o.item() if hasattr(o, "item") else str(o)))
