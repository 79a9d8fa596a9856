"""Paired experiments: every arm of a seed starts from identical backbone weights (checked by a checksum)
and sees the same batches; each finished ``(arm, seed)`` run is stored as JSON, so a rerun resumes.
``compare(config)`` answers *does the learnable resizer help?*. ``__all__`` is the contract.
"""

from __future__ import annotations

from resizer_lib.runtime import resolve_jit
from resizer_lib.training.arms import build_arm, classifier_of, make_optimizer
from resizer_lib.training.batches import EpochBatches, EpochSetter, RandomStateBackup
from resizer_lib.training.config import ExperimentConfig
from resizer_lib.training.record import weights_checksum
from resizer_lib.training.runner import compare, load_experiment_data, provenance, train_run

__all__ = ["EpochBatches", "EpochSetter", "ExperimentConfig", "RandomStateBackup", "build_arm", "classifier_of",
           "compare", "load_experiment_data", "make_optimizer", "provenance", "resolve_jit", "train_run",
           "weights_checksum"]
