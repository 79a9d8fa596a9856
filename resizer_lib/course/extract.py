"""Take the learnable resizer out of a trained classifier, or out of a saved ``.keras`` file."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import keras

from resizer_lib._checks import check_size
from resizer_lib._walk import walk_layers
from resizer_lib.models.resizer import LearnableResizer

__all__ = ["ENV_VAR", "extract_resizer", "find_resizer_layer", "load_resizer", "resizer_from_env"]

ENV_VAR = "RESIZER_MODEL"
Size = str | int | Sequence[int] | None  # "auto" (the model's fixed input size), None (any size) or (H, W)


def find_resizer_layer(model: Any) -> LearnableResizer:
    """The one ``LearnableResizer`` in ``model`` (nested models, e.g. an augmentation wrapper, are
    searched too). Raises ``ValueError`` when there is none or more than one."""
    found = [layer for layer in [model, *walk_layers(model)] if isinstance(layer, LearnableResizer)]
    name = getattr(model, "name", type(model).__name__)
    if not found:
        raise ValueError(f"{name!r} holds no LearnableResizer layer; pass a classifier built with "
                         "resizer='learned' or 'more_layers' (a fixed-interpolation arm has nothing to extract)")
    if len(found) > 1:
        raise ValueError(f"{name!r} holds {len(found)} LearnableResizer layers {[f.name for f in found]}; pass one")
    return found[0]


def _fixed_input_size(model: Any) -> tuple[int, int] | None:
    """``(H, W)`` of a model's input when both are fixed, else ``None``."""
    try:
        shape = model.input_shape
    except (AttributeError, ValueError):  # a bare layer, or a model with several inputs
        return None
    if isinstance(shape, tuple) and len(shape) == 4 and all(isinstance(v, int) for v in shape[1:3]):
        return int(shape[1]), int(shape[2])
    return None


def extract_resizer(model: Any, input_size: Size = "auto", name: str = "trained_resizer") -> keras.Model:
    """A standalone resizer ``(B, H, W, C)`` in ``[0, 1]`` -> ``(B, h, w, C)`` (unbounded) with a copy
    of the weights of the resizer inside ``model``."""
    source = find_resizer_layer(model)
    if input_size == "auto":
        size = _fixed_input_size(model)
    else:
        size = None if input_size is None else check_size(input_size, "input_size")
    layer = LearnableResizer.from_config({**source.get_config(), "name": "resizer"})
    inputs = keras.Input(shape=(*(size or (None, None)), source.channels), name="image")
    resizer = keras.Model(inputs, layer(inputs), name=name)
    layer.set_weights(source.get_weights())
    return resizer


def load_resizer(path: str | os.PathLike, input_size: Size = "auto") -> keras.Model:
    """Load a ``.keras`` file (a classifier or a resizer model) and ``extract_resizer`` from it."""
    file = Path(path).expanduser()
    if file.suffix != ".keras":
        raise ValueError(f"expected a Keras 3 model file ending in .keras; got {str(path)!r} "
                         "(save one with model.save('name.keras'))")
    if not file.is_file():
        raise ValueError(f"No such model file: {str(file)!r} (cwd is {Path.cwd()})")
    return extract_resizer(keras.saving.load_model(file, compile=False), input_size=input_size)


def resizer_from_env(var: str = ENV_VAR, input_size: Size = "auto") -> keras.Model | None:
    """``load_resizer($RESIZER_MODEL)`` when that variable is set (and not empty), else ``None``."""
    value = os.environ.get(var, "").strip()
    if not value:
        return None
    try:
        return load_resizer(value, input_size=input_size)
    except ValueError as err:
        raise ValueError(f"${var}={value!r}: {err}") from err
