"""Per-photo tests between two arms evaluated on the same validation photos.

The t-intervals of ``resizer_lib.training.stats`` are over seeds: they leave out the sampling
error of a finite validation set (one photo of 476 is 0.2 points). Two arms evaluated on the
*same* photos can be compared photo by photo: McNemar's exact test within one seed, and a
paired bootstrap over photos and seeds.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from resizer_lib.training.stats import Interval

__all__ = ["mcnemar", "paired_bootstrap"]


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
    if not isinstance(level, float) or not 0 < level < 1:
        raise ValueError(f"level must be a float between 0 and 1, e.g. 0.95; got {level!r}")
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
