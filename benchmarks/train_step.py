"""One CPU training step of each arm, and the wall time of the `quick` comparison.

    python benchmarks/train_step.py                 # steps only
    python benchmarks/train_step.py --quick-compare # also time `compare --profile quick`
    python benchmarks/train_step.py --image-size 128 --target-size 64 --arms learned --steps 10

Prints a markdown table to paste into benchmarks/README.md, with the machine and versions.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import numpy as np


def time_steps(backbone, image_size, target_size, arms, batch_size=32, steps=5):
    """Median seconds per ``train_on_batch`` step for each arm (after one warm-up step)."""
    import keras

    from resizer_lib.models import build_classifier

    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(batch_size, *image_size, 3), dtype=np.uint8)
    y = np.eye(2, dtype="float32")[rng.integers(0, 2, size=batch_size)]
    rows = []
    for arm in arms:
        target = image_size if arm == "full_res" else target_size
        model = build_classifier(backbone, image_size, target, None if arm == "full_res" else arm, seed=0)
        model.compile(keras.optimizers.AdamW(1e-3), "categorical_crossentropy")
        model.train_on_batch(x, y)
        times = []
        for _ in range(steps):
            t = time.perf_counter()
            model.train_on_batch(x, y)
            times.append(time.perf_counter() - t)
        sec = float(np.median(times))
        rows.append({"arm": arm, "sec_per_step": sec, "img_per_s": batch_size / sec,
                     "params": model.count_params()})
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backbone", default="small_cnn")
    parser.add_argument("--image-size", type=int, default=64)
    parser.add_argument("--target-size", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--arms", default="bilinear,learned,more_layers,full_res",
                        help="comma-separated arms to time")
    parser.add_argument("--steps", type=int, default=5, help="timed steps per arm (median)")
    parser.add_argument("--quick-compare", action="store_true")
    args = parser.parse_args()
    import keras

    from resizer_lib.runtime import device_description

    print(f"device: {device_description()}; keras {keras.__version__} / {keras.backend.backend()}")
    rows = time_steps(args.backbone, (args.image_size,) * 2, (args.target_size,) * 2,
                      args.arms.split(","), args.batch_size, args.steps)
    print(f"\n{args.backbone}, {args.image_size} -> {args.target_size}, batch {args.batch_size}\n")
    print("| arm | s/step | images/s | params |\n|---|---|---|---|")
    for r in rows:
        print(f"| {r['arm']} | {r['sec_per_step']:.3f} | {r['img_per_s']:.1f} | {r['params']:,} |")
    if args.quick_compare:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "resizer_lib", "compare", "--profile", "quick",
                        "--data", "synthetic", "--name", "bench_quick", "--out", "build/bench",
                        "--verbose", "0"], check=True)
        print(f"\nquick comparison wall time: {time.perf_counter() - t:.0f} s")


if __name__ == "__main__":
    main()
