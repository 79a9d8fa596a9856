"""Small, honest statistics for paired experiments: mean ± std and t-based confidence intervals.

Each seed trains every arm from the same initial backbone weights on the same data order, so
arms are compared *per seed* (a paired design). For two arms A and B with scores ``a_i, b_i``
over ``n`` seeds, the paired differences ``d_i = a_i - b_i`` give

.. math::  \\bar d \\pm t_{0.975,\\,n-1} \\; s_d / \\sqrt{n}

where ``s_d`` is the sample standard deviation (``ddof=1``). With ``n = 1`` no interval exists
and the bounds are NaN: one seed tells you nothing about the spread. The interval itself is
``scipy.stats.t.interval`` (scipy is a declared dependency); the tests check it against values
computed by hand.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

__all__ = ["Interval", "mean_std", "t_critical", "mean_ci", "paired_difference", "mcnemar",
           "paired_bootstrap"]


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
    n = len(vals)
    mean = sum(vals) / n
    if n == 1:
        return mean, 0.0
    return mean, math.sqrt(sum((v - mean) ** 2 for v in vals) / (n - 1))


def _check_level(level: float) -> float:
    if not 0.0 < float(level) < 1.0:
        raise ValueError(f"level must be a probability strictly between 0 and 1 (0.95 for a 95% "
                         f"interval); got {level!r}")
    return float(level)


def t_critical(dof: int, level: float = 0.95) -> float:
    """Two-sided critical value of Student's t with ``dof`` degrees of freedom."""
    if dof < 1:
        raise ValueError(f"dof must be >= 1; got {dof}")
    return float(stats.t.ppf(0.5 + _check_level(level) / 2, dof))


def mean_ci(values: Sequence[float], level: float = 0.95) -> Interval:
    """Mean of ``values`` with its t-distribution confidence interval (``scipy.stats.t``)."""
    vals = _check(values, "values")
    level = _check_level(level)
    mean, std = mean_std(vals)
    n = len(vals)
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


# -- per-photo uncertainty -------------------------------------------------------------------
# The t-intervals above are over seeds: they do not include the sampling error of a finite
# validation set (one photo of 476 is 0.2 points). Two arms evaluated on the *same* photos can
# be compared photo by photo.
def _correct(values, name: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.size == 0:
        raise ValueError(f"{name} must be (photos,) or (seeds, photos) right/wrong values; got shape {arr.shape}")
    if not np.isin(arr, (0, 1)).all():
        raise ValueError(f"{name} must hold right/wrong values (booleans or 0/1)")
    return arr.astype(bool)


def mcnemar(correct_a, correct_b) -> dict:
    """McNemar's exact test of two classifiers on the same photos: ``(photos,)`` booleans each.

    ``b`` photos only ``a`` gets right, ``c`` only ``b``; under "no difference" each of the
    ``b + c`` discordant photos is a coin toss, so the two-sided p-value is the exact binomial
    one (``scipy.stats.binomtest``). Returns ``{"a_only", "b_only", "discordant", "p_value"}``.
    """
    a, b = _correct(correct_a, "correct_a"), _correct(correct_b, "correct_b")
    if a.shape != b.shape or a.shape[0] != 1:
        raise ValueError(f"mcnemar compares one run with one run on the same photos; got shapes "
                         f"{a.shape[1:]} and {b.shape[1:]}")
    only_a, only_b = int(np.sum(a & ~b)), int(np.sum(~a & b))
    n = only_a + only_b
    p = 1.0 if n == 0 else float(stats.binomtest(only_a, n, 0.5).pvalue)
    return {"a_only": only_a, "b_only": only_b, "discordant": n, "p_value": p}


def paired_bootstrap(correct_a, correct_b, resamples: int = 10_000, seed: int = 0,
                     level: float = 0.95, resample_seeds: bool = True) -> Interval:
    """Percentile bootstrap CI of the accuracy difference ``a - b`` over photos (and seeds).

    ``correct_a``, ``correct_b``: ``(seeds, photos)`` (or ``(photos,)``) right/wrong values of
    two arms, seed ``i`` of ``a`` paired with seed ``i`` of ``b`` (same initial weights), photo
    ``j`` the same photo everywhere. Each resample draws photos with replacement (the same
    draw for every seed and both arms, so the pairing holds) and, with ``resample_seeds``,
    seeds with replacement too, so that the interval holds both sources of uncertainty.
    """
    a, b = _correct(correct_a, "correct_a"), _correct(correct_b, "correct_b")
    if a.shape != b.shape:
        raise ValueError(f"correct_a and correct_b must have one shape (seeds, photos); got {a.shape} and {b.shape}")
    level = _check_level(level)
    if isinstance(resamples, bool) or not isinstance(resamples, int) or resamples < 100:
        raise ValueError(f"resamples must be an integer >= 100; got {resamples!r}")
    diff = a.astype(np.float64) - b.astype(np.float64)  # (seeds, photos): +1, 0 or -1
    n_seeds, n_photos = diff.shape
    rng = np.random.default_rng(seed)
    means = np.empty(resamples)
    for r in range(resamples):
        photos = rng.integers(0, n_photos, n_photos)
        seeds = rng.integers(0, n_seeds, n_seeds) if resample_seeds else np.arange(n_seeds)
        means[r] = diff[np.ix_(seeds, photos)].mean()
    low, high = np.quantile(means, [(1 - level) / 2, (1 + level) / 2])
    return Interval(float(diff.mean()), float(low), float(high), float(means.std(ddof=1)),
                    int(n_seeds * n_photos), level)
