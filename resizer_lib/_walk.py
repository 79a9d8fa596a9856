"""The one layer walker (Keras 3 has no public recursive walk; the one use of ``Layer._flatten_layers``)."""

from __future__ import annotations

from typing import Any

import keras

__all__ = ["walk_layers"]


def walk_layers(obj: Any) -> list[keras.layers.Layer]:
    """Every layer inside ``obj`` (not ``obj`` itself), depth first; ``[]`` for a non-layer."""
    if not isinstance(obj, keras.layers.Layer):
        return []
    return list(obj._flatten_layers(include_self=False, recursive=True))
