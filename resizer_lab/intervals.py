"""Intervals of the right width for paired per-photo comparisons over seeds and photos.

Two arms trained with the same seeds are scored on the same validation photos: ``correct_a``
and ``correct_b`` are ``(seeds, photos)`` right/wrong arrays, and their difference
``d[s, p] = correct_a[s, p] - correct_b[s, p]`` (+1, 0 or -1) has two crossed sources of
sampling error, the seeds (another seed, another training run) and the photos (another
validation set). ``two_way_interval`` models them as the two-way random-effects layout::

    d[s, p] = mu + a[s] + b[p] + e[s, p]     a: seed, b: photo, e: seed x photo interaction

and estimates ``Var(mean d) = var_a / S + var_b / P + var_e / (S P)`` from the ANOVA mean
squares (each component truncated at zero), with a t interval on Satterthwaite's degrees of
freedom. The older interval of the course (``resizer_lib.training.stats.paired_bootstrap``)
resamples seeds and photos independently; that "pigeonhole" bootstrap counts the interaction
``var_e`` about 2.6 times with five seeds (``pigeonhole_bootstrap_variance``; Owen 2007, "The
pigeonhole bootstrap", Ann. Appl. Stat.), so where the interaction dominates, as it does here,
its intervals are conservative: wider than their nominal level. ``simulate_correctness`` draws data with a known effect to check both (see
``tests/lab/test_intervals.py``); ``holm`` adjusts a family of p-values.

NumPy and SciPy only (no Keras).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy import stats

__all__ = [
    "MissingRun",
    "TwoWayInterval",
    "correctness",
    "holm",
    "pigeonhole_bootstrap",
    "pigeonhole_bootstrap_variance",
    "simulate_correctness",
    "two_way_interval",
    "variance_components",
]


@dataclass(frozen=True)
class TwoWayInterval:
    """A paired difference of accuracies (fractions, not points) with its interval.

    ``mean``: the mean of ``d`` over seeds and photos; ``low``/``high``: the ``level`` interval;
    ``se``: its standard error; ``df``: Satterthwaite's degrees of freedom; ``p_value``: the
    two-sided t test of a zero difference; ``var_seed``, ``var_photo``, ``var_interaction``:
    the variance components of ``d`` (truncated at zero)."""

    mean: float
    low: float
    high: float
    se: float
    df: float
    p_value: float
    level: float
    seeds: int
    photos: int
    var_seed: float
    var_photo: float
    var_interaction: float

    def to_dict(self) -> dict:
        return asdict(self)

    def points(self) -> str:
        """``"-2.4 [-4.5, -0.4]"``: mean and interval in percentage points."""
        return f"{100 * self.mean:+.1f} [{100 * self.low:+.1f}, {100 * self.high:+.1f}]"


def _differences(correct_a, correct_b) -> np.ndarray:
    a, b = np.asarray(correct_a), np.asarray(correct_b)
    if a.shape != b.shape or a.ndim != 2:
        raise ValueError(f"correct_a and correct_b must be (seeds, photos) arrays of one shape; "
                         f"got {a.shape} and {b.shape}")
    if a.shape[0] < 2 or a.shape[1] < 2:
        raise ValueError(f"need at least 2 seeds and 2 photos to separate their variances; got {a.shape}")
    if not (np.isin(a, (0, 1)).all() and np.isin(b, (0, 1)).all()):
        raise ValueError("correct_a and correct_b must hold right/wrong values (booleans or 0/1)")
    return a.astype(np.float64) - b.astype(np.float64)


def variance_components(diff) -> dict:
    """The two-way ANOVA of ``diff`` ``(seeds S, photos P)``: mean squares and components.

    ``ms_seed = P sum_s (row mean - mean)^2 / (S - 1)`` (expected ``var_e + P var_a``),
    ``ms_photo = S sum_p (column mean - mean)^2 / (P - 1)`` (``var_e + S var_b``), ``ms_inter``
    the residual mean square on ``(S - 1)(P - 1)`` d.f. (``var_e``). Returns the mean squares,
    their d.f. and the components ``var_seed``, ``var_photo``, ``var_interaction`` (>= 0).
    """
    d = np.asarray(diff, dtype=np.float64)
    s, p = d.shape
    mean = d.mean()
    rows, cols = d.mean(axis=1), d.mean(axis=0)
    ms_seed = p * np.sum((rows - mean) ** 2) / (s - 1)
    ms_photo = s * np.sum((cols - mean) ** 2) / (p - 1)
    residual = d - rows[:, None] - cols[None, :] + mean
    ms_inter = np.sum(residual ** 2) / ((s - 1) * (p - 1))
    return {
        "seeds": s, "photos": p,
        "ms_seed": float(ms_seed), "ms_photo": float(ms_photo), "ms_interaction": float(ms_inter),
        "df_seed": s - 1, "df_photo": p - 1, "df_interaction": (s - 1) * (p - 1),
        "var_seed": float(max(0.0, (ms_seed - ms_inter) / p)),
        "var_photo": float(max(0.0, (ms_photo - ms_inter) / s)),
        "var_interaction": float(ms_inter),
    }


def two_way_interval(correct_a, correct_b, level: float = 0.95) -> TwoWayInterval:
    """The ``level`` interval of the accuracy difference ``a - b`` under the two-way (seed x
    photo) variance model; ``correct_a``, ``correct_b``: ``(seeds, photos)`` right/wrong, seed
    ``i`` of ``a`` paired with seed ``i`` of ``b``, photo ``j`` the same photo everywhere.

    ``Var(mean) = var_seed / S + var_photo / P + var_interaction / (S P)``, a linear
    combination of the mean squares, so Satterthwaite's ``df = V^2 / sum (c_k MS_k)^2 / df_k``.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1); got {level!r}")
    d = _differences(correct_a, correct_b)
    c = variance_components(d)
    s, p = d.shape
    # the variance as sum_k coef_k MS_k / (S P): each component kept (> 0) adds its mean square
    # and takes away one interaction mean square; a component truncated at zero drops out
    coef = {"ms_interaction": 1.0, "ms_seed": 0.0, "ms_photo": 0.0}
    if c["var_seed"] > 0:
        coef["ms_seed"], coef["ms_interaction"] = 1.0, coef["ms_interaction"] - 1.0
    if c["var_photo"] > 0:
        coef["ms_photo"], coef["ms_interaction"] = 1.0, coef["ms_interaction"] - 1.0
    variance = sum(k * c[name] for name, k in coef.items()) / (s * p)
    variance = max(variance, 0.0)
    dfs = {"ms_seed": c["df_seed"], "ms_photo": c["df_photo"], "ms_interaction": c["df_interaction"]}
    denominator = sum((k * c[name]) ** 2 / dfs[name] for name, k in coef.items() if k)
    df = float(((variance * s * p) ** 2 / denominator) if denominator > 0 else np.inf)
    se = float(np.sqrt(variance))
    mean = float(d.mean())
    q = float(stats.t.ppf((1 + level) / 2, df)) if np.isfinite(df) else float(stats.norm.ppf((1 + level) / 2))
    if se > 0:
        p_value = float(2 * stats.t.sf(abs(mean) / se, df))
    else:
        p_value = 1.0 if mean == 0 else 0.0
    return TwoWayInterval(mean, mean - q * se, mean + q * se, se, df, p_value, level, s, p,
                          c["var_seed"], c["var_photo"], c["var_interaction"])


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment of a family of p-values, in the order given: the ``i``-th
    smallest is multiplied by ``m - i + 1`` (``i`` from 1), then made non-decreasing, capped at 1.
    A hypothesis is rejected at level ``alpha`` when its adjusted p-value is <= ``alpha``."""
    p = np.asarray(p_values, dtype=np.float64)
    if p.ndim != 1 or np.any((p < 0) | (p > 1)) or np.any(np.isnan(p)):
        raise ValueError(f"p_values must be a list of numbers in [0, 1]; got {list(p_values)!r}")
    m = len(p)
    order = np.argsort(p, kind="stable")
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = adjusted
    return [float(x) for x in out]


def pigeonhole_bootstrap(correct_a, correct_b, resamples: int = 2000, seed: int = 0,
                         level: float = 0.95) -> dict:
    """The course's earlier interval, vectorised: seeds and photos resampled independently
    with replacement, the percentile interval of the resampled mean differences. Each
    resample's mean is ``w_s' D w_p / (S P)`` with ``w`` the multinomial draw counts.
    Returns ``{"mean", "low", "high", "se"}`` (fractions)."""
    d = _differences(correct_a, correct_b)
    s, p = d.shape
    rng = np.random.default_rng(seed)
    w_seeds, w_photos = _draw_counts(rng, resamples, s), _draw_counts(rng, resamples, p)  # (R, S), (R, P)
    means = np.einsum("rs,sp,rp->r", w_seeds, d, w_photos) / (s * p)
    low, high = np.quantile(means, [(1 - level) / 2, (1 + level) / 2])
    return {"mean": float(d.mean()), "low": float(low), "high": float(high), "se": float(means.std(ddof=1))}


def _draw_counts(rng: np.random.Generator, resamples: int, n: int) -> np.ndarray:
    """``(resamples, n)``: how often each of ``n`` items is drawn in ``n`` draws with replacement."""
    draws = rng.integers(0, n, (resamples, n)) + n * np.arange(resamples)[:, None]
    return np.bincount(draws.ravel(), minlength=resamples * n).reshape(resamples, n).astype(np.float64)


def pigeonhole_bootstrap_variance(var_seed: float, var_photo: float, var_interaction: float,
                                  seeds: int, photos: int) -> float:
    """What the pigeonhole bootstrap's variance estimates, from the variance components.

    Resampling the rows takes their spread ``var_seed + var_interaction / P`` (divisor ``S``),
    the columns ``var_photo + var_interaction / S``, and the cells the interaction once more::

        (1 - 1/S) (var_seed + var_e / P) / S + (1 - 1/P) (var_photo + var_e / S) / P
            + (1 - 1/S)(1 - 1/P) var_e / (S P)

    against the true ``var_seed / S + var_photo / P + var_e / (S P)``: the interaction
    ``var_e / (S P)`` counted about ``(1 - 1/S) + 1 + (1 - 1/S)`` times, 2.6 with 5 seeds
    (Owen 2007), the seed component only ``1 - 1/S`` times."""
    s, p = seeds, photos
    rows = (1 - 1 / s) * (var_seed + var_interaction / p) / s
    cols = (1 - 1 / p) * (var_photo + var_interaction / s) / p
    cells = (1 - 1 / s) * (1 - 1 / p) * var_interaction / (s * p)
    return rows + cols + cells


def simulate_correctness(rng: np.random.Generator, seeds: int = 5, photos: int = 476,
                         accuracy_a: float = 0.80, accuracy_b: float = 0.82,
                         sd_photo: float = 1.0, sd_photo_arm: float = 0.35, sd_seed: float = 0.04,
                         sd_noise: float = 0.45) -> tuple[np.ndarray, np.ndarray, float]:
    """Right/wrong ``(seeds, photos)`` arrays of two arms with a known accuracy difference.

    A probit model: arm ``X`` gets photo ``p`` right in seed ``s`` when
    ``m_X + u[p] + v[X, p] + w[X, s] + e[X, s, p] > 0``, with ``u`` the photo's difficulty
    (shared by both arms, ``sd_photo``), ``v`` the arm's own view of the photo
    (``sd_photo_arm``), ``w`` the seed's luck (``sd_seed``) and ``e`` the seed x photo noise
    (``sd_noise``), all normal. Every (seed, photo) is a fresh draw of a population, so the
    true difference is ``accuracy_a - accuracy_b`` exactly (``m_X`` chosen so that
    ``Phi(m_X / sd_total) = accuracy_X``). Returns ``(correct_a, correct_b, true_difference)``.
    """
    total = np.sqrt(sd_photo ** 2 + sd_photo_arm ** 2 + sd_seed ** 2 + sd_noise ** 2)
    u = rng.normal(0, sd_photo, photos)
    out = []
    for accuracy in (accuracy_a, accuracy_b):
        m = stats.norm.ppf(accuracy) * total
        v = rng.normal(0, sd_photo_arm, photos)
        w = rng.normal(0, sd_seed, seeds)
        e = rng.normal(0, sd_noise, (seeds, photos))
        out.append(m + u[None, :] + v[None, :] + w[:, None] + e > 0)
    return out[0], out[1], float(accuracy_a - accuracy_b)


class MissingRun(ValueError):
    """A run record that a comparison needs does not exist (yet)."""


def correctness(runs_dir: str | Path, arm: str, seeds: Sequence[int], labels: Sequence[int],
                view: str = "moving") -> np.ndarray:
    """``(seeds, photos)`` right/wrong of one arm, from its run records
    ``<runs_dir>/<arm>_seed<k>.json`` (their ``val_predictions[view]``: ``"moving"`` or
    ``"recalibrated"``) scored against ``labels`` (the validation labels, in order)."""
    truth = np.asarray(labels)
    rows = []
    for seed in seeds:
        path = Path(runs_dir) / f"{arm}_seed{seed}.json"
        if not path.is_file():
            raise MissingRun(f"no run record {path}: the run of arm {arm!r}, seed {seed} has not finished "
                             f"(run its study again: it resumes; --allow-pending lists it as pending)")
        predicted = np.asarray(json.loads(path.read_text())["val_predictions"][view])
        if predicted.shape != truth.shape:
            raise ValueError(f"{path}: {predicted.size} predictions for {truth.size} labels")
        rows.append(predicted == truth)
    return np.stack(rows)


# -- command line ----------------------------------------------------------------------------------
def _labels(path: str | Path) -> list[int]:
    """Validation labels from a study's results JSON (``val_labels``) or a JSON list."""
    data = json.loads(Path(path).read_text())
    labels = data["val_labels"] if isinstance(data, dict) else data
    return [int(y) for y in labels]


def compare_table(comparisons: Sequence[tuple[str, str]], labels: Sequence[int],
                  seeds: Sequence[int] = range(5), view: str = "moving", level: float = 0.95,
                  resamples: int = 10_000, allow_pending: bool = False) -> list[dict]:
    """One family of paired comparisons ``(a, b)``, each side ``<runs folder>:<arm>``: the
    two-way interval, its p-value adjusted over the family, and the pigeonhole bootstrap
    interval (the earlier, conservative one) beside it. Differences in points.

    A missing run record raises ``MissingRun``; with ``allow_pending`` the comparison is listed
    instead (``"pending": True``) and still counted in the family: while any is pending, each
    finished p-value is adjusted by Bonferroni's ``m * p`` (``m`` the whole family), which is
    never below Holm's whatever the pending p-values turn out to be; with none pending, by Holm."""
    rows = []
    for a, b in comparisons:
        (runs_a, arm_a), (runs_b, arm_b) = (side.rsplit(":", 1) for side in (a, b))
        try:
            ca = correctness(runs_a, arm_a, seeds, labels, view)
            cb = correctness(runs_b, arm_b, seeds, labels, view)
        except MissingRun:
            if not allow_pending:
                raise
            rows.append({"a": a, "b": b, "pending": True})
            continue
        interval = two_way_interval(ca, cb, level)
        boot = pigeonhole_bootstrap(ca, cb, resamples=resamples, seed=0, level=level)
        rows.append({"a": a, "b": b, "two_way": interval.to_dict(), "pigeonhole": boot})
    done = [r for r in rows if not r.get("pending")]
    p_values = [r["two_way"]["p_value"] for r in done]
    if len(done) < len(rows):
        method = f"Bonferroni bound, {len(rows) - len(done)} of {len(rows)} pending"
        adjusted = [min(1.0, len(rows) * p) for p in p_values]
    else:
        method, adjusted = "Holm", holm(p_values) if done else []
    for row, p in zip(done, adjusted, strict=True):
        row["p_holm"], row["adjustment"] = p, method
    return rows


def _short(side: str) -> str:
    """``results/<study>/runs:<arm>`` -> ``<study> <arm>``."""
    runs, arm = side.rsplit(":", 1)
    folder = Path(runs)
    return f"{folder.parent.name if folder.name == 'runs' else folder.name} {arm}"


def format_table(rows: Sequence[dict]) -> str:
    """``compare_table``'s rows as Markdown (points)."""
    adjusted = next((r["adjustment"] for r in rows if "adjustment" in r), "Holm")
    lines = [f"| a − b | mean [95% interval], two-way | SE | d.f. | p | p ({adjusted}) | pigeonhole bootstrap |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        if r.get("pending"):
            lines.append(f"| {_short(r['a'])} − {_short(r['b'])} | runs not finished | | | | | |")
            continue
        t, b = r["two_way"], r["pigeonhole"]
        interval = TwoWayInterval(**t).points()
        lines.append(f"| {_short(r['a'])} − {_short(r['b'])} | {interval} | {100 * t['se']:.2f} | {t['df']:.0f} | "
                     f"{t['p_value']:.3f} | {r['p_holm']:.3f} | "
                     f"[{100 * b['low']:+.1f}, {100 * b['high']:+.1f}] |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m resizer_lab.intervals --labels L --compare A B [--compare A B ...]``."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m resizer_lab.intervals",
                                     description="Paired per-photo comparisons over seeds and photos: "
                                     "two-way (seed x photo) intervals, Holm-adjusted over the comparisons given.")
    parser.add_argument("--labels", required=True, help="a study's results JSON (its val_labels) or a JSON list")
    parser.add_argument("--compare", nargs=2, action="append", default=[], metavar=("A", "B"),
                        help="one comparison a - b, each side <runs folder>:<arm>, e.g. "
                        "results/map_small_cnn_128to64/runs:learned results/map_small_cnn_128to64/runs:bilinear")
    parser.add_argument("--allow-pending", action="store_true",
                        help="list a comparison whose runs have not all finished instead of failing (it still "
                        "counts in the family's adjustment)")
    parser.add_argument("--seeds", default="0,1,2,3,4", help="seeds, comma-separated (default 0-4)")
    parser.add_argument("--view", choices=["moving", "recalibrated"], default="moving",
                        help="BatchNorm statistics of the predictions (default moving)")
    parser.add_argument("--json", help="also write the comparisons (and the seeds, view and labels used) "
                        "to this JSON file")
    args = parser.parse_args(argv)
    if not args.compare:
        parser.error("give at least one --compare A B")
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    try:
        rows = compare_table([tuple(c) for c in args.compare], _labels(args.labels), seeds, args.view,
                             allow_pending=args.allow_pending)
    except (ValueError, OSError) as err:
        print(f"python -m resizer_lab.intervals: error: {err}", file=sys.stderr)
        return 2
    print(format_table(rows))
    if args.json:
        summary = {"labels": args.labels, "seeds": seeds, "view": args.view, "level": 0.95,
                   "interval": "two-way (seed x photo) variance model, t on Satterthwaite's d.f.",
                   "comparisons": rows}
        Path(args.json).write_text(json.dumps(summary, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
