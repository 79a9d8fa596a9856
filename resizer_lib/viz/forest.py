"""Forest plots: paired differences between arms (``Difference`` rows), each with its 95%
interval, stacked around a line at zero."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Difference", "difference_from_summary", "plot_forest"]


@dataclass(frozen=True)
class Difference:
    """``a - b`` in accuracy (a fraction): the mean over ``n`` seeds and its 95% interval."""

    label: str
    mean: float
    low: float
    high: float
    n: int

    def __post_init__(self) -> None:
        if not all(isinstance(v, (int, float)) for v in (self.mean, self.low, self.high)):
            raise ValueError(f"{self.label}: mean, low and high must be numbers")
        if not math.isnan(self.low) and not self.low <= self.mean <= self.high:
            raise ValueError(f"{self.label}: the interval [{self.low}, {self.high}] must contain the mean {self.mean}")

    @property
    def excludes_zero(self) -> bool:
        return not math.isnan(self.low) and (self.low > 0 or self.high < 0)


def difference_from_summary(summary: Mapping[str, Any], a: str, b: str, label: str) -> Difference:
    """The row ``a - b`` of a study summary (``compare``'s ``summary`` or
    ``summary_recalibrated``), whichever order the summary stores the pair in."""
    for pair in summary.get("pairs", []):
        if {pair["a"], pair["b"]} == {a, b}:
            sign = 1 if pair["a"] == a else -1
            low, high = sorted((sign * pair["low"], sign * pair["high"]))
            return Difference(label, sign * pair["mean"], low, high, int(pair["n"]))
    known = [f"{p['a']}-{p['b']}" for p in summary.get("pairs", [])]
    raise ValueError(f"the summary has no pair {a!r}-{b!r} (it has: {known or 'none'})")


def plot_forest(rows: Sequence[Difference], ax: Any = None, title: str | None = None) -> Any:
    """Draw ``rows`` top to bottom, in percentage points, with a line at zero. Rows whose
    interval excludes zero are drawn solid, the others hollow. Returns the axes."""
    import matplotlib.pyplot as plt

    if not rows:
        raise ValueError("plot_forest needs at least one Difference")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.55 * len(rows) + 1.2))
    for y, row in zip(range(len(rows) - 1, -1, -1), rows, strict=True):
        if not math.isnan(row.low):
            ax.plot([100 * row.low, 100 * row.high], [y, y], color="tab:blue", lw=2)
        ax.plot(100 * row.mean, y, "o", color="tab:blue", markersize=7,
                markerfacecolor="tab:blue" if row.excludes_zero else "white")
    ax.axvline(0, color="grey", lw=1, ls="--")
    ax.set_yticks(range(len(rows)), [f"{r.label}  (n={r.n})" for r in reversed(rows)])
    ax.set_xlabel("difference in validation accuracy (percentage points), 95% CI")
    if title:
        ax.set_title(title)
    return ax
