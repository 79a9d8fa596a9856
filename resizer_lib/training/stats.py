"""Statistics for paired experiments: mean ± std and t-based 95% intervals (``scipy.stats``).

Arms are compared per seed: over ``n`` seeds the differences ``d_i = a_i - b_i`` give ``mean(d) ±
t_{0.975, n-1} s_d / sqrt(n)`` (``s_d`` with ``ddof=1``). With one seed there is no interval: the bounds are NaN.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import combinations

from scipy import stats

__all__ = ["METRIC", "RECALIBRATED", "Interval", "mean_std", "mean_ci", "paired_difference", "summarise"]

METRIC = "val_accuracy"  # final-epoch validation accuracy: never the best epoch
RECALIBRATED = "val_accuracy_recalibrated"  # the same, with precise-BN statistics


@dataclass(frozen=True)
class Interval:
    """A mean with its ``level`` confidence interval, from ``n`` values."""

    mean: float
    low: float
    high: float
    std: float
    n: int
    level: float = 0.95

    def to_dict(self) -> dict:
        return asdict(self)

    def excludes_zero(self) -> bool:
        """True when the whole interval lies on one side of zero."""
        return (self.low > 0 or self.high < 0) and not math.isnan(self.low)

    def __str__(self) -> str:
        if math.isnan(self.low):
            return f"{self.mean:+.4f} (n={self.n}: no CI)"
        return f"{self.mean:+.4f} [{self.low:+.4f}, {self.high:+.4f}]"


def _check(values: Sequence[float], name: str) -> list[float]:
    vals = [float(v) for v in values]
    if not vals:
        raise ValueError(f"{name} is empty: need at least one value")
    if any(math.isnan(v) for v in vals):
        raise ValueError(f"{name} contains NaN: {vals}")
    return vals


def mean_std(values: Sequence[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (``ddof=1``; 0.0 for a single value)."""
    vals = _check(values, "values")
    n, mean = len(vals), sum(vals) / len(vals)
    return mean, math.sqrt(sum((v - mean) ** 2 for v in vals) / (n - 1)) if n > 1 else 0.0


def mean_ci(values: Sequence[float], level: float = 0.95) -> Interval:
    """Mean of ``values`` with its t-distribution confidence interval (``scipy.stats.t``)."""
    vals = _check(values, "values")
    if not 0.0 < float(level) < 1.0:
        raise ValueError(f"level must be a probability strictly between 0 and 1 (0.95 for a 95% "
                         f"interval); got {level!r}")
    mean, std = mean_std(vals)
    n, level = len(vals), float(level)
    if n == 1:
        return Interval(mean, math.nan, math.nan, 0.0, 1, level)
    if std == 0.0:  # every value equal: the interval is the point (scipy would give NaN)
        return Interval(mean, mean, mean, 0.0, n, level)
    low, high = stats.t.interval(level, n - 1, loc=mean, scale=std / math.sqrt(n))
    return Interval(mean, float(low), float(high), std, n, level)


def paired_difference(a: Sequence[float], b: Sequence[float], level: float = 0.95) -> Interval:
    """CI of the mean of ``a_i - b_i`` (paired by seed). ``a`` and ``b`` must have equal length."""
    va, vb = _check(a, "a"), _check(b, "b")
    if len(va) != len(vb):
        raise ValueError(f"paired values need equal lengths; got {len(va)} and {len(vb)}")
    return mean_ci([x - y for x, y in zip(va, vb, strict=True)], level)


# -- a study's summary: every arm over seeds, every pair of arms paired by seed ---------------
def _scores(runs: list[dict], arm: str, metric: str) -> dict[int, float]:
    return {r["seed"]: r["final"][metric] for r in runs if r["arm"] == arm}


def summarise(runs: list[dict], arms, metric: str = METRIC) -> dict:
    """Per arm: mean, std, n, per-seed scores. Per pair (a, b): ``a - b`` paired by seed, 95% CI."""
    per_arm = {}
    for arm in arms:
        scores = _scores(runs, arm, metric)
        mean, std = mean_std(list(scores.values()))
        per_arm[arm] = {"mean": mean, "std": std, "n": len(scores), "per_seed": scores}
    pairs = []
    for a, b in combinations(arms, 2):
        sa, sb = _scores(runs, a, metric), _scores(runs, b, metric)
        seeds = sorted(set(sa) & set(sb))
        ci = paired_difference([sa[s] for s in seeds], [sb[s] for s in seeds])
        pairs.append({"a": a, "b": b, "seeds": seeds, "differences": [sa[s] - sb[s] for s in seeds], **ci.to_dict()})
    return {"metric": metric, "arms": per_arm, "pairs": pairs}

