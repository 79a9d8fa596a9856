"""A ``compare`` results dict built from given accuracies, for the reporting tests."""

from __future__ import annotations

from resizer_lib.training.stats import summarise


def fake_results(per_arm: dict[str, list[float]], name="fake") -> dict:
    """A minimal ``compare`` results dict: final accuracies per arm and seed, nothing trained."""
    runs = [{"arm": arm, "seed": s, "final": {"val_accuracy": acc}, "train_seconds": 1800.0,
             "finished_utc": f"2026-11-2{5 + s // 3} 10:00", "device": "Test CPU, 2 cores"}
            for arm, accs in per_arm.items() for s, acc in enumerate(accs)]
    return {"name": name, "runs": runs, "summary": summarise(runs, list(per_arm)),
            "config": {"backbone": "small_cnn", "image_size": [128, 128], "target_size": [64, 64],
                       "epochs": 12, "recipe": "adamw_cosine", "batch_size": 32},
            "provenance": {"dataset": "photos", "train_examples": 2692, "val_examples": 476,
                           "keras": "3.x", "backend": "tensorflow", "backend_version": "2.x",
                           "device": "Other CPU", "date": "2026-11-27T00:00:00+00:00"}}

