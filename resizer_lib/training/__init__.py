"""Paired experiments: train every arm from identical initial weights on the same data order.

``compare(config)`` answers the course's question, *does the learnable resizer help?*, with a
controlled design. For each seed it builds every arm with ``build_classifier(seed=seed)`` (so the
backbone starts from the same weights, checked by a checksum), feeds the same shuffled batches
(``EpochBatches``: the order depends only on the seed and the epoch), trains with the same recipe
and evaluates on the same validation set. Each finished ``(arm, seed)`` run is stored as JSON and
skipped when the study is rerun with the same configuration, so long studies resume.

The package: ``config`` (``ExperimentConfig`` and its fingerprint), ``batches`` (the seeded
batches and the resume callbacks), ``arms`` (recipes, the model of each arm), ``record`` (the
typed run record ``RunRecord`` and its JSON), ``runner`` (``train_run``, ``compare``). Import
from ``resizer_lib.training``: ``__all__`` below is the contract.
"""

from __future__ import annotations

from resizer_lib.runtime import resolve_jit
from resizer_lib.training.arms import (
    build_arm,
    classifier_of,
    make_optimizer,
    not_jit_safe_layers,
    warn_if_not_compiled,
)
from resizer_lib.training.batches import EpochBatches, EpochSetter, RandomStateBackup
from resizer_lib.training.config import ARM_CONTROLS, RECIPES, ExperimentConfig
from resizer_lib.training.record import (
    RECORD_VERSION,
    RunRecord,
    assert_identical_initial_weights,
    data_fingerprint,
    load_run,
    weights_checksum,
)
from resizer_lib.training.runner import compare, load_experiment_data, provenance, train_run

__all__ = [
    "ARM_CONTROLS",
    "RECIPES",
    "RECORD_VERSION",
    "EpochBatches",
    "EpochSetter",
    "ExperimentConfig",
    "RandomStateBackup",
    "RunRecord",
    "assert_identical_initial_weights",
    "build_arm",
    "classifier_of",
    "compare",
    "data_fingerprint",
    "load_experiment_data",
    "load_run",
    "make_optimizer",
    "not_jit_safe_layers",
    "provenance",
    "resolve_jit",
    "train_run",
    "warn_if_not_compiled",
    "weights_checksum",
]
