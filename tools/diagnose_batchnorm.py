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
hid it; if not, the weights did not generalise. Writes ``<out>/<name>/batchnorm.json``::

    python tools/diagnose_batchnorm.py --data ../shared/datasets/cats_vs_dogs_small \\
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from resizer_lib.batchnorm import recalibrate_batchnorm  # noqa: E402
from resizer_lib.cli import build_parser, config_from_args  # noqa: E402
from resizer_lib.training import (  # noqa: E402
    _classifier_of,
    data_fingerprint,
    device_description,
    load_experiment_data,
    provenance,
    software_description,
    train_run,
)


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
    classifier = _classifier_of(record.pop("model"))  # without the augmentation wrapper
    before = {"val": inference_view(classifier, data["x_val"], data["y_val"], k),
              "train_probe": inference_view(classifier, x_probe, y_probe, k)}
    layers = recalibrate_batchnorm(classifier, x_probe)
    after = {"val": inference_view(classifier, data["x_val"], data["y_val"], k),
             "train_probe": inference_view(classifier, x_probe, y_probe, k)}
    return {"arm": arm, "seed": seed, "batchnorm_layers": layers, "history": record["history"],
            "initial_backbone_checksum": record["initial_backbone_checksum"],
            "train_seconds": record["train_seconds"], "moving_statistics": before,
            "recalibrated": after, "device": device_description(), "software": software_description()}


def main(argv=None) -> int:
    own = argparse.ArgumentParser(add_help=False)
    own.add_argument("--probe", type=int, default=512, help="training images to recalibrate on")
    own.add_argument("--runs-dir", help="where interrupted runs resume from (default: "
                     "build/diagnose_batchnorm/<name>, never committed)")
    mine, rest = own.parse_known_args(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(["compare", *rest])  # the flags of compare
    config = config_from_args(args)
    data = load_experiment_data(config)
    # keyed by the settings that change results, so changed flags never resume a stale backup
    key = config.fingerprint(data_fingerprint(data))
    run_dir = Path(mine.runs_dir or Path("build") / "diagnose_batchnorm" / config.name) / key
    started, runs = time.perf_counter(), []
    for seed in config.seeds:
        for arm in config.arms:
            runs.append(diagnose(config, arm, seed, data, mine.probe, run_dir))
            view = runs[-1]
            print(f"{arm} seed {seed}: val {view['moving_statistics']['val']} -> recalibrated "
                  f"{view['recalibrated']['val']}", flush=True)
    out = Path(config.out_dir) / config.name / "batchnorm.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    result = {"name": config.name, "config": config.to_dict(), "probe": mine.probe,
              "provenance": provenance(config, data, time.perf_counter() - started, 0), "runs": runs}
    out.write_text(json.dumps(result, indent=1, default=float))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
