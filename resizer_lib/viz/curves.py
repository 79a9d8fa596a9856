"""Learning curves of one run or of many seeds: mean and band per arm."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

__all__ = ["aggregate_curves", "plot_history"]


def aggregate_curves(curves: Sequence[Sequence[float]],
                     band: str = "minmax") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-epoch ``(mean, low, high)`` over seeds; curves of different lengths (early stopping)
    are padded with NaN and ignored there. ``band``: ``"minmax"`` or ``"std"`` (mean +- std)."""
    if band not in ("minmax", "std"):
        raise ValueError(f"band must be 'minmax' or 'std'; got {band!r}")
    if not curves or max(len(c) for c in curves) == 0:
        raise ValueError("no values to aggregate: every curve is empty")
    table = np.full((len(curves), max(len(c) for c in curves)), np.nan)
    for i, curve in enumerate(curves):
        table[i, : len(curve)] = np.asarray(curve, dtype=float)
    mean = np.nanmean(table, axis=0)
    if band == "minmax":
        return mean, np.nanmin(table, axis=0), np.nanmax(table, axis=0)
    std = np.nanstd(table, axis=0)
    return mean, mean - std, mean + std


def plot_history(histories: Mapping[str, Any], metrics: Sequence[str] = ("loss", "accuracy"), band: str = "minmax",
                 panel_size: tuple[float, float] = (5.0, 3.5), title: str | None = None) -> Figure:
    """Learning curves per arm: one panel per metric, train solid, validation (``val_<metric>``)
    dashed, one colour per arm; with several seeds per arm, the mean and a shaded ``band``.
    ``histories``: ``{arm: history}`` or ``{arm: [history per seed]}``, a history being
    ``{"loss": [...], "val_loss": [...], ...}`` per epoch or a keras ``History``; ``metrics``
    without the ``val_`` prefix."""
    if not isinstance(histories, Mapping) or not histories:
        raise ValueError("histories must be a non-empty dict {arm: history or [histories]}")
    runs = {}
    for arm, value in histories.items():
        runs[arm] = [getattr(run, "history", run) for run in (value if isinstance(value, (list, tuple)) else [value])]
        if not runs[arm] or not all(isinstance(run, Mapping) for run in runs[arm]):
            raise ValueError(f"histories[{arm!r}] must be a history dict {{'loss': [...], ...}} or a non-empty "
                             f"list of them (one per seed); got {type(value).__name__}")
    every = [run for arm_runs in runs.values() for run in arm_runs]
    for metric in metrics:
        if not any(metric in run or f"val_{metric}" in run for run in every):
            keys = sorted({key for run in every for key in run})
            raise ValueError(f"metric {metric!r} is in no history; available keys: {keys}")
    fig, axes = plt.subplots(1, len(metrics), figsize=(panel_size[0] * len(metrics), panel_size[1]), squeeze=False)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, metric in zip(axes[0], metrics, strict=True):
        for i, (arm, arm_runs) in enumerate(runs.items()):
            for key, style, suffix in ((metric, "-", "train"), (f"val_{metric}", "--", "val")):
                curves = [run[key] for run in arm_runs if key in run and len(run[key])]
                if not curves:
                    continue
                mean, low, high = aggregate_curves(curves, band)
                epochs = np.arange(1, len(mean) + 1)
                colour = colours[i % len(colours)]
                ax.plot(epochs, mean, style, color=colour, label=f"{arm} ({suffix})")
                if len(curves) > 1:
                    ax.fill_between(epochs, low, high, color=colour, alpha=0.15, linewidth=0)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set(xlabel="epoch", ylabel=metric)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
