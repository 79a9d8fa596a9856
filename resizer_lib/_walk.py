"""The one layer walker: every layer inside a model or layer, nested ones included.

Keras 3 has no public recursive walk (``Model.layers`` lists the top level only, and layers
that hold sublayers, such as ``LearnableResizer``, expose none), so this is the one place that
uses ``Layer._flatten_layers``: depth first, in the order the layers were added, each once.
"""

from __future__ import annotations

from typing import Any

import keras

__all__ = ["walk_layers"]


def walk_layers(obj: Any) -> list[keras.layers.Layer]:
    """Every layer inside ``obj`` (not ``obj`` itself), depth first; ``[]`` for a non-layer."""
    if not isinstance(obj, keras.layers.Layer):
        return []
    return list(obj._flatten_layers(include_self=False, recursive=True))
