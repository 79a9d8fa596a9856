"""Train and evaluate a classifier on in-memory arrays: ``fit_classifier``, predicted classes,
the confusion matrix and its figure."""

from __future__ import annotations

from collections.abc import Sequence

import keras
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from resizer_lib._checks import check_int
from resizer_lib.runtime import resolve_jit

__all__ = ["confusion_matrix", "fit_classifier", "plot_confusion_matrix", "predict_classes"]


def fit_classifier(model: keras.Model, train: tuple, val: tuple, epochs: int, learning_rate: float = 1e-3,
                   batch_size: int = 32, verbose: int = 0, jit_compile: bool | None = None) -> dict[str, list[float]]:
    """Compile ``model`` (Adam, sparse cross-entropy, accuracy) and fit it on
    ``train = (images (N, H, W, 3), int labels (N,))``, validating on ``val``. XLA follows the
    library's policy (``runtime.resolve_jit("auto")``) unless ``jit_compile`` is given."""
    check_int(epochs, "epochs")
    if not isinstance(learning_rate, (int, float)) or not learning_rate > 0:
        raise ValueError(f"learning_rate must be a number > 0; got {learning_rate!r}")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], jit_compile=resolve_jit("auto") if jit_compile is None else jit_compile)
    history = model.fit(train[0], train[1], validation_data=val, epochs=epochs, batch_size=batch_size,
                        verbose=verbose, shuffle=True)
    return {k: [float(v) for v in vs] for k, vs in history.history.items()}


def predict_classes(model: keras.Model, images, batch_size: int = 64) -> np.ndarray:
    """``int64 (N,)``: the arg-max class of ``model`` on ``images`` ``(N, H, W, C)``."""
    probs = model.predict(images, batch_size=batch_size, verbose=0)
    return np.argmax(np.asarray(probs), axis=-1)


def confusion_matrix(y_true, y_pred, num_classes: int) -> np.ndarray:
    """``int64 (num_classes, num_classes)``: row = true class, column = predicted class."""
    check_int(num_classes, "num_classes", minimum=2)
    t, p = np.asarray(y_true).reshape(-1), np.asarray(y_pred).reshape(-1)
    if t.shape != p.shape:
        raise ValueError(f"y_true and y_pred must have the same length; got {t.size} and {p.size}")
    for name, v in (("y_true", t), ("y_pred", p)):
        if v.size and (not np.issubdtype(v.dtype, np.integer) or v.min() < 0 or v.max() >= num_classes):
            raise ValueError(
                f"{name} must hold integer class ids in [0, {num_classes}); got values from "
                f"{v.min()} to {v.max()} (dtype {v.dtype}). Take np.argmax of probabilities first"
            )
    cm = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(cm, (t, p), 1)
    return cm


def plot_confusion_matrix(cm: np.ndarray, class_names: Sequence[str], title: str | None = None,
                          size: float = 3.5) -> Figure:
    """Heat map of ``cm`` with counts and row percentages in each cell, titled with the accuracy
    it implies (``trace(cm) / cm.sum()``); returns the Figure."""
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"expected a square confusion matrix; got shape {cm.shape}")
    if len(class_names) != cm.shape[0]:
        raise ValueError(f"got {len(class_names)} class names for a {cm.shape[0]}-class matrix")
    rows = cm.sum(axis=1, keepdims=True)
    share = np.divide(cm, rows, out=np.zeros(cm.shape, dtype=float), where=rows > 0)
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(share, cmap="Blues", vmin=0.0, vmax=1.0)
    for (i, j), count in np.ndenumerate(cm):
        ax.text(j, i, f"{count}\n{100 * share[i, j]:.0f}%", ha="center", va="center",
                color="white" if share[i, j] > 0.6 else "black", fontsize=9)
    ticks = np.arange(cm.shape[0])
    ax.set_xticks(ticks, labels=list(class_names))
    ax.set_yticks(ticks, labels=list(class_names))
    if title is None:  # the diagonal holds the right predictions
        title = f"accuracy {100 * np.trace(cm) / cm.sum():.1f}%" if cm.sum() else ""
    ax.set(xlabel="predicted", ylabel="true", title=title)
    fig.tight_layout()
    return fig
