"""Every public exercise check, handed wrong answers of every kind: each gets a hint (False and a
"not yet" or "fill in" line), never an exception and never "right"."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from resizer_lib.course import exercise_checks as ec


def _bn_model() -> keras.Model:
    inputs = keras.Input((8, 8, 3))
    x = keras.layers.Conv2D(2, 3, use_bias=False)(inputs)
    return keras.Model(inputs, keras.layers.BatchNormalization()(x))


def _wrong_kind_model() -> keras.Model:
    """A Keras model that is no resizer, no classifier of images: a dense layer on vectors."""
    return keras.Sequential([keras.Input((5,)), keras.layers.Dense(3)])


# check -> (number of leading answer parameters, the check's own arguments, valid)
CONFIG = {
    "check_output_shape": (1, dict(batch_size=4, target_size=(8, 8))),
    "check_param_count": (1, {}),
    "check_resizer_by_hand": (1, dict(num_res_blocks=1)),
    "check_starts_as_bilinear": (1, {}),
    "check_stem_share": (1, {}),
    "check_stack_sizes": (2, dict(stack=[(3, 1, "same"), (2, 2, "valid")], input_size=16)),
    "check_line_filter": (1, {}),
    "check_activation_memory": (1, {}),
    "check_decode_count": (1, dict(num_files=8)),
    "check_moved_statistics": (1, dict(base=_bn_model)),
    "check_momentum_port": (3, {}),
    "check_bias_redundant": (2, {}),
    "check_alias": (2, {}),
    "check_response_function": (1, {}),
    "check_vanishing_factor": (1, {}),
    "check_surviving_shift": (1, {}),
    "check_paired_interval": (1, dict(differences=[0.01, 0.03, -0.01, 0.02])),
    "check_convmixer_count": (1, {}),
    "check_influenced_cells": (1, dict(depth=2)),
    "check_antialias_gain": (1, {}),
    "check_nearest_offsets": (1, dict(input_size=(8, 8), target_size=(4, 4))),
    "check_same_size_resizer": (2, {}),
    "check_iou_centre": (1, {}),
    "check_dice": (1, {}),
    "check_label_effects": (1, {}),
}


def _raises(*_args):
    raise RuntimeError("a learner's function that fails")


WRONG = {
    "str": "forty-two",
    "nan": float("nan"),
    "inf": float("inf"),
    "negative": -7,
    "zero": 0,
    "huge": 1e300,
    "bool": True,
    "nan filter": np.full((7, 7, 1, 1), np.nan),
    "nan image batch": np.full((2, 6, 6, 3), np.nan),
    "vector": np.zeros(3),
    "five axes": np.ones((2, 2, 2, 2, 2)),
    "int8 image": np.ones((2, 8, 8, 3), np.int8),
    "string array": np.array(["a", "b"]),
    "empty list": [],
    "mixed list": [1, "x", None],
    "dict": {"a": 1},
    "nan dict": {224: float("nan"), 300: float("nan")},
    "object": object(),
    "lambda returning None": lambda *a: None,
    "raising function": _raises,
    "function returning nan": lambda *a: float("nan"),
    "wrong kind of model": "model",  # built per test (Keras objects are not shared across tests)
}


def test_every_public_check_is_in_the_battery():
    public = {name for name in ec.__all__ if name.startswith("check_")}
    assert public == set(CONFIG), "add the new check to CONFIG with its own arguments"


@pytest.mark.parametrize("check_name", sorted(CONFIG))
def test_wrong_answers_get_a_hint(check_name, capsys):
    check = getattr(ec, check_name)
    n_answers, config = CONFIG[check_name]
    config = {k: v() if callable(v) else v for k, v in config.items()}
    failures = []
    for label, wrong in WRONG.items():
        if isinstance(wrong, str) and wrong == "model":
            wrong = _wrong_kind_model()
        try:
            result = check(*([wrong] * n_answers), **config)
        except Exception as err:  # noqa: BLE001 - exactly what must not happen
            failures.append(f"{label}: raised {type(err).__name__}: {err}")
            continue
        out = capsys.readouterr().out
        if result is not False:
            failures.append(f"{label}: returned {result!r}")
        if ec.RIGHT in out and n_answers == 1:
            failures.append(f"{label}: printed {ec.RIGHT!r}")
        if "not yet" not in out and "fill in" not in out:
            failures.append(f"{label}: no hint printed ({out!r})")
    assert not failures, "\n".join(failures)


def test_the_checks_own_wrong_arguments_still_raise():
    with pytest.raises(ValueError):
        ec.check_decode_count(3, num_files=0)
    with pytest.raises(ValueError):
        ec.check_stack_sizes(1, 1, stack="nonsense", input_size=8)
    with pytest.raises(ValueError):
        ec.check_line_filter(np.zeros((3, 3)), direction="?")


def test_an_all_nan_filter_is_not_right(capsys):
    assert ec.check_line_filter(np.full((7, 7), np.nan)) is False
    assert "NaN" in capsys.readouterr().out
