"""Is an arm at chance on validation because of its BatchNorm statistics? Train and look.

Trains each (arm, seed) exactly as ``compare`` does (same flags, same initial weights, same
batches; the runs go to a scratch folder and never touch a study's runs), then measures, in
inference mode:

* validation accuracy with the moving statistics the training left (what ``compare`` reports),
  and the share of validation photos given to each class (one class at ~100 %: collapsed);
* training accuracy on the first ``--probe`` training images (no augmentation);
* both again after ``recalibrate_batchnorm`` re-estimated every moving mean and variance from
  those training images with the weights unchanged ("precise BatchNorm").

A run interrupted mid-way resumes from its last finished epoch when the same command is run
again (its backups live in ``--runs-dir``, by default ``build/diagnose_batchnorm/<name>``, one
folder per set of result-changing flags).

If recalibration lifts validation accuracy, the weights had learned and the moving statistics
hid it; if not, the weights did not generalise. Each finished run is kept in
``<out>/<name>/batchnorm/<arm>_seed<seed>.json`` (reused, not retrained, when the same flags
ask for it again), and ``<out>/<name>/batchnorm.json`` gathers every kept run made with the
same flags, so arms run in separate processes (or at different times) end up in one file
(``--gather-only`` rewrites it from the kept runs and trains nothing)::

    python resizer_lab/scripts/diagnose_batchnorm.py --data ../shared/datasets/cats_vs_dogs_small \\
        --image-size 300 --target-size 150 --backbone densenet121 --epochs 12 --num-train all \\
        --num-val all --augment --arms bilinear --seeds 0, --name photos_densenet121_300to150_cpu
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from resizer_lab.cli import build_parser, config_from_args
from resizer_lab.reports import study_order
from resizer_lib.files import BrokenRecord, read_json, set_aside, write_json_atomic
from resizer_lib.models.batchnorm import recalibrate_batchnorm
from resizer_lib.runtime import device_description, software_description
from resizer_lib.training import classifier_of, load_experiment_data, provenance, train_run
from resizer_lib.training.record import data_fingerprint


def inference_view(classifier, images: np.ndarray, labels: np.ndarray, num_classes: int) -> dict:
    """Accuracy and the share of predictions per class, ``images (N, H, W, 3)`` in inference mode."""
    probs = classifier.predict(images, batch_size=32, verbose=0)
    pred = np.argmax(probs, axis=-1)
    shares = np.bincount(pred, minlength=num_classes) / len(pred)
    return {"accuracy": float(np.mean(pred == labels)), "predicted_shares": [round(float(s), 4) for s in shares]}


def diagnose(config, arm: str, seed: int, data: dict, probe: int, run_dir: Path) -> dict:
    """Train one run and return what its BatchNorm statistics do to its accuracy.

    ``run_dir`` holds the run's epoch backups, so an interrupted run resumes from its last
    finished epoch when called again with the same flags (the weights are never kept after)."""
    k = len(data["class_names"])
    x_probe, y_probe = data["x_train"][:probe], data["y_train"][:probe]
    record = train_run(config, arm, seed, data, run_dir)
    classifier = classifier_of(record.pop("model"))  # without the augmentation wrapper
    before = {"val": inference_view(classifier, data["x_val"], data["y_val"], k),
              "train_probe": inference_view(classifier, x_probe, y_probe, k)}
    layers = recalibrate_batchnorm(classifier, x_probe)
    after = {"val": inference_view(classifier, data["x_val"], data["y_val"], k),
             "train_probe": inference_view(classifier, x_probe, y_probe, k)}
    return {"arm": arm, "seed": seed, "batchnorm_layers": layers, "history": record["history"],
            "initial_backbone_checksum": record["initial_backbone_checksum"],
            "train_seconds": record["train_seconds"], "moving_statistics": before,
            "recalibrated": after, "device": device_description(), "software": software_description()}


def _kept(path: Path, key: str) -> bool:
    """Whether ``path`` holds a finished diagnosis made with ``key``; a broken file is set aside."""
    if not path.exists():
        return False
    try:
        return read_json(path).get("fingerprint") == key
    except BrokenRecord as err:
        print(f"warning: {err}; moved it to {set_aside(path).name} and diagnosing that run again",
              file=sys.stderr, flush=True)
        return False


def _write_atomic(path: Path, obj: dict) -> None:
    """Write JSON through a temporary file, so a reader never sees half a file."""
    write_json_atomic(path, obj, default=float)


def gather(folder: Path, key: str, config, data: dict, probe: int, seconds: float) -> Path | None:
    """Write ``folder/../batchnorm.json`` from every kept run whose fingerprint is ``key``.

    Runs are ordered by seed, then by name of arm; ``config`` lists the arms and seeds gathered.
    With no such run nothing is written (a file gathered under other flags stays as it is) and
    ``None`` is returned."""
    runs = [json.loads(p.read_text()) for p in sorted(folder.glob("*_seed*.json"))]
    runs = sorted((r for r in runs if r.get("fingerprint") == key), key=lambda r: (r["seed"], r["arm"]))
    if not runs:
        return None
    seeds = sorted({r["seed"] for r in runs})
    gathered = config.to_dict() | {"arms": study_order(r["arm"] for r in runs), "seeds": seeds}
    out = folder.parent / "batchnorm.json"
    _write_atomic(out, {"name": config.name, "config": gathered, "probe": probe, "fingerprint": key,
                        "provenance": provenance(config, data, seconds, 0), "runs": runs})
    return out


def main(argv=None) -> int:
    own = argparse.ArgumentParser(add_help=False)
    own.add_argument("--probe", type=int, default=512, help="training images to recalibrate on")
    own.add_argument("--gather-only", action="store_true",
                     help="train nothing: rewrite batchnorm.json from the kept runs and list the missing")
    own.add_argument("--runs-dir", help="where interrupted runs resume from (default: "
                     "build/diagnose_batchnorm/<name>, never committed)")
    mine, rest = own.parse_known_args(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(["compare", *rest])  # the flags of compare
    config = config_from_args(args)
    data = load_experiment_data(config)
    # keyed by the settings that change results, so changed flags never resume a stale backup
    key = config.fingerprint(data_fingerprint(data))
    run_dir = Path(mine.runs_dir or Path("build") / "diagnose_batchnorm" / config.name) / key
    kept_key = f"{key}-probe{mine.probe}"  # the probe changes the measurements, not the training
    folder = Path(config.out_dir) / config.name / "batchnorm"
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for seed in config.seeds:
        for arm in config.arms:
            path = folder / f"{arm}_seed{seed}.json"
            if _kept(path, kept_key):
                print(f"{arm} seed {seed}: kept in {path}, not retrained", flush=True)
                continue
            if mine.gather_only:
                print(f"{arm} seed {seed}: missing (--gather-only trains nothing)", flush=True)
                continue
            view = diagnose(config, arm, seed, data, mine.probe, run_dir) | {"fingerprint": kept_key}
            _write_atomic(path, view)
            print(f"{arm} seed {seed}: val {view['moving_statistics']['val']} -> recalibrated "
                  f"{view['recalibrated']['val']}", flush=True)
    out = gather(folder, kept_key, config, data, mine.probe, time.perf_counter() - started)
    if out is None:
        print(f"error: no finished diagnosis in {folder} was made with these flags (--probe "
              f"{mine.probe} included); batchnorm.json left as it was", file=sys.stderr)
        return 1
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
