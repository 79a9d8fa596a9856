"""Training throughput of both arms at the keras.io setting, measured side by side.

    python benchmarks/throughput.py                       # DenseNet-121, 300 -> 150, batch 32
    python benchmarks/throughput.py --steps 3 --image-size 64 --target-size 32 --backbone small_cnn

Two input paths, each for the arms ``bilinear`` and ``learned`` (TensorFlow backend):

(a) ``keras_io``: the keras.io example's way, a ``tf.data`` pipeline that reads and decodes the
    JPEG files, resizes them to the input size, then ``map``/``batch``/``prefetch``, fed to
    ``fit`` (SGD, label smoothing 0.1, as in the example);
(b) ``library``: ``resizer_lib.training.train_run``, the path every study takes (photos decoded
    once into uint8 arrays, batches from ``EpochBatches``, same SGD recipe).

Both build the model with ``build_classifier(..., seed=0)``. ``--order`` lists the runs as
``path:arm[:activation]`` in the order they run, so that variants can alternate within one
process (compare rates only within a run: a shared VM's speed drifts). The activation of the
resizer's LeakyReLUs is ``fusable`` (the library's ``FusableLeakyReLU``, the default),
``lrelu`` (Keras' ``LeakyReLU``, which the resizer used before: under oneDNN it makes Grappler's
remapper fail on the training graph, see ``resizer_lib.models.resizer.FusableLeakyReLU``) or ``max``
(``max(x, 0.2 x)``, a first fix, measured and rejected). Each step's wall time is recorded
(``StepTimer``); the first ``--warmup`` steps (graph build) are left out. The forward FLOPs of
each model come from TensorFlow's profiler on the frozen graph; a training step is counted as
3x forward (forward, gradient of activations, gradient of weights), so achieved GFLOP/s =
3 * forward FLOPs * images/s. The photos are read from ``--data`` and are never written anywhere.
Prints a markdown table and writes ``--out`` (JSON) with the machine and versions.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402

import resizer_lib  # noqa: E402, F401  (quiets TensorFlow's C++ log lines before TF is imported)
from resizer_lib.data.imaging import IMAGE_EXTENSIONS  # noqa: E402

RESIZER_ARMS = ("learned", "more_layers")
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "cats_vs_dogs"


def image_files(root: Path) -> tuple[list[str], list[int], list[str]]:
    """Training image paths and labels from ``root/train/<class>/`` (or ``root/<class>/``)."""
    train = root / "train" if (root / "train").is_dir() else root
    classes = sorted(p.name for p in train.iterdir() if p.is_dir())
    if not classes:
        raise SystemExit(f"error: no class folders under {train}; pass --data DIR with DIR/train/<class>/")
    paths, labels = [], []
    for k, name in enumerate(classes):
        files = sorted(p for p in (train / name).iterdir() if p.suffix.lower() in IMAGE_EXTENSIONS)
        paths += [str(p) for p in files]
        labels += [k] * len(files)
    return paths, labels, classes


def keras_io_dataset(paths, labels, num_classes, image_size, batch_size, seed=0):
    """The keras.io example's input path: decode + resize in ``map``, then batch and prefetch."""
    import tensorflow as tf

    def load(path, label):
        image = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
        image = tf.image.resize(image, image_size)
        return image, tf.one_hot(label, num_classes)

    ds = tf.data.Dataset.from_tensor_slices((paths, labels)).shuffle(len(paths), seed=seed)
    return ds.map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(batch_size).prefetch(tf.data.AUTOTUNE)


def forward_flops(model, image_size) -> int:
    """Forward FLOPs of one image, from TensorFlow's profiler on the frozen inference graph."""
    import tensorflow as tf
    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2

    spec = tf.TensorSpec([1, *image_size, 3], tf.float32)
    concrete = tf.function(lambda x: model(x, training=False)).get_concrete_function(spec)
    graph = convert_variables_to_constants_v2(concrete).graph
    options = tf.compat.v1.profiler.ProfileOptionBuilder.float_operation()
    options["output"] = "none"
    info = tf.compat.v1.profiler.profile(graph=graph, run_meta=tf.compat.v1.RunMetadata(),
                                         cmd="op", options=options)
    return int(info.total_float_ops)


class _MaxLeakyReLU:
    """``max(x, 0.2 x)`` as a layer factory (the same values, two elementwise ops)."""

    def __new__(cls, negative_slope=0.2, name=None):
        import keras

        return keras.layers.Lambda(lambda t: keras.ops.maximum(t, negative_slope * t), name=name)


ACTIVATIONS = ("fusable", "lrelu", "max")


@contextlib.contextmanager
def resizer_activation(name: str):
    """Build resizers with ``fusable`` (the library's), ``lrelu`` (Keras') or ``max`` LeakyReLUs."""
    import keras

    import resizer_lib.models.resizer as resizer_module

    if name not in ACTIVATIONS:
        raise SystemExit(f"error: unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}")
    saved = resizer_module.FusableLeakyReLU
    if name != "fusable":
        resizer_module.FusableLeakyReLU = {"lrelu": keras.layers.LeakyReLU, "max": _MaxLeakyReLU}[name]
    try:
        yield
    finally:
        resizer_module.FusableLeakyReLU = saved


def parse_order(text: str) -> list[tuple[str, str, str]]:
    """``"library:learned:fusable,library:bilinear"`` -> ``[(path, arm, activation), ...]``."""
    runs = []
    for token in (t for t in text.split(",") if t):
        parts = token.split(":")
        if len(parts) not in (2, 3) or parts[0] not in ("keras_io", "library"):
            raise SystemExit(f"error: bad run {token!r} in --order; use path:arm[:fusable|lrelu|max] "
                             f"with path keras_io or library")
        activation = parts[2] if len(parts) == 3 else "fusable"
        runs.append((parts[0], parts[1], activation if parts[1] in RESIZER_ARMS else "-"))
    if not runs:
        raise SystemExit("error: --order is empty; list runs such as library:learned:fusable")
    return runs


def time_keras_io(arm, paths, labels, classes, args, timer):
    import keras

    from resizer_lib.models import build_classifier

    model = build_classifier(args.backbone, args.image_size, args.target_size, arm,
                             num_classes=len(classes), seed=0, name=f"keras_io_{arm}")
    model.compile(optimizer="sgd", loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
                  metrics=["accuracy"])
    ds = keras_io_dataset(paths, labels, len(classes), args.image_size, args.batch_size)
    model.fit(ds, epochs=1, steps_per_epoch=args.warmup + args.steps, verbose=0, callbacks=[timer])
    return model


def time_library(arm, data, args, timer):
    from resizer_lib.training import ExperimentConfig, train_run

    n = (args.warmup + args.steps) * args.batch_size
    config = ExperimentConfig(
        name=f"library_{arm}", backbone=args.backbone, data=str(args.data),
        image_size=args.image_size, target_size=args.target_size, arms=(arm,), epochs=1,
        batch_size=args.batch_size, recipe="keras_io", seeds=(0,), verbose=0, jit=False,
    )
    small = dict(data, x_train=data["x_train"][:n], y_train=data["y_train"][:n],
                 x_val=data["x_val"][: args.batch_size], y_val=data["y_val"][: args.batch_size])
    with tempfile.TemporaryDirectory() as tmp:
        record = train_run(config, arm, 0, small, Path(tmp), callbacks=[timer])
    return record["model"]


def pooled_medians(rows: list[dict]) -> dict[tuple[str, str, str], float]:
    """Median step time over every timed step of each (path, arm, activation)."""
    steps: dict[tuple[str, str, str], list[float]] = {}
    for r in rows:
        steps.setdefault((r["path"], r["arm"], r["activation"]), []).extend(r["steps"])
    return {key: float(np.median(v)) for key, v in steps.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--backbone", default="densenet121")
    parser.add_argument("--image-size", type=int, default=300)
    parser.add_argument("--target-size", type=int, default=150)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--steps", type=int, default=6, help="timed steps per (path, arm)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed first steps (graph build)")
    parser.add_argument("--arms", default="bilinear,learned",
                        help="with --paths: every path for every arm (used when --order is not given)")
    parser.add_argument("--paths", default="keras_io,library")
    parser.add_argument("--order", default=None,
                        help="runs in order, path:arm[:fusable|lrelu|max], e.g. "
                             "library:learned:fusable,library:learned:lrelu,library:bilinear")
    parser.add_argument("--out", type=Path, default=None, help="JSON file for the figures")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"error: photo folder {args.data} not found (it sits beside the checkout as "
              f"../shared/datasets/cats_vs_dogs); pass --data DIR", file=sys.stderr)
        return 2
    args.image_size, args.target_size = (args.image_size,) * 2, (args.target_size,) * 2

    import keras

    from resizer_lib.models import build_classifier
    from resizer_lib.runtime import device_description
    from resizer_lib.training import ExperimentConfig, load_experiment_data
    from resizer_lib.training.timing import StepTimer

    if keras.backend.backend() != "tensorflow":
        print("error: this benchmark measures the TensorFlow backend; set KERAS_BACKEND=tensorflow",
              file=sys.stderr)
        return 2
    order = parse_order(args.order) if args.order else [
        (path, arm, "fusable" if arm in RESIZER_ARMS else "-")
        for arm in args.arms.split(",") for path in args.paths.split(",")]
    paths, labels, classes = image_files(args.data)
    n = (args.warmup + args.steps) * args.batch_size
    data = None
    if any(path == "library" for path, _, _ in order):
        data = load_experiment_data(ExperimentConfig(
            data=str(args.data), image_size=args.image_size, target_size=args.target_size,
            num_train=n, num_val=args.batch_size, batch_size=args.batch_size))
    rows, flops_of = [], {}
    for index, (path, arm, activation) in enumerate(order, start=1):
        with resizer_activation("fusable" if activation == "-" else activation):
            if (arm, activation) not in flops_of:
                probe = build_classifier(args.backbone, args.image_size, args.target_size, arm,
                                         num_classes=len(classes), seed=0)
                flops_of[(arm, activation)] = (forward_flops(probe, args.image_size),
                                               probe.count_params())
                del probe
            flops, params = flops_of[(arm, activation)]
            timer = StepTimer(warmup=args.warmup)
            start = time.perf_counter()
            if path == "keras_io":
                model = time_keras_io(arm, paths, labels, classes, args, timer)
            else:
                model = time_library(arm, data, args, timer)
        steps = timer.timed(model.name)
        sec = float(np.median(steps))
        rows.append({"order": index, "path": path, "arm": arm,
                     "activation": activation,
                     "params": params, "forward_gflop": flops / 1e9,
                     "sec_per_step": sec, "img_per_s": args.batch_size / sec,
                     "train_gflop_per_s": 3 * flops * args.batch_size / sec / 1e9,
                     "steps": [round(t, 4) for t in steps],
                     "wall_s": round(time.perf_counter() - start, 1)})
        print(f"{index:2d} {path:8s} {arm:9s} {rows[-1]['activation']:5s} "
              f"{rows[-1]['sec_per_step']:6.2f} s/step {rows[-1]['img_per_s']:6.2f} img/s  "
              f"{rows[-1]['train_gflop_per_s']:6.1f} GFLOP/s", flush=True)
    print(f"\n{args.backbone}, {args.image_size[0]} -> {args.target_size[0]}, batch {args.batch_size}, "
          f"{args.steps} timed steps; {device_description()}; "
          f"keras {keras.__version__} / TensorFlow\n")
    print("| order | path | arm | activation | params | forward GFLOP/img | s/step | images/s | "
          "training GFLOP/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['order']} | {r['path']} | {r['arm']} | {r['activation']} | {r['params']:,} | "
              f"{r['forward_gflop']:.2f} | {r['sec_per_step']:.2f} | {r['img_per_s']:.2f} | "
              f"{r['train_gflop_per_s']:.0f} |")
    print()
    for key, pooled in pooled_medians(rows).items():
        print(f"pooled median {' '.join(key)}: {pooled:.3f} s/step")
    pooled = pooled_medians(rows)
    for path in dict.fromkeys(p for p, _, _ in order):
        base = pooled.get((path, "bilinear", "-"))
        for activation in ACTIVATIONS:
            learned = pooled.get((path, "learned", activation))
            if base and learned:
                flop_ratio = flops_of[("learned", activation)][0] / flops_of[("bilinear", "-")][0]
                print(f"{path} ({activation}): the resizer's overhead {learned / base:.2f}x in time, "
                      f"{flop_ratio:.2f}x in FLOPs")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "device": device_description(), "keras": keras.__version__, "backend": "tensorflow",
            "command": " ".join([Path(sys.executable).name, *sys.argv]),
            "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
