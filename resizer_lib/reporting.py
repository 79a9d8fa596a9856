"""Summaries and files for a paired study: mean ± std per arm, paired differences with 95% CIs.

``summarise(runs, arms)`` -> dict; ``format_table(summary)`` -> text table;
``write_outputs(results, out_dir)`` writes ``<name>.json``, ``<name>.csv`` and ``<name>.png``.
"""

from __future__ import annotations

import csv
import json
import math
from itertools import combinations
from pathlib import Path

from .stats import mean_std, paired_difference

__all__ = ["METRIC", "summarise", "format_table", "write_outputs", "load_results"]

METRIC = "val_accuracy"  # final-epoch validation accuracy: never the best epoch


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
        pairs.append({"a": a, "b": b, "seeds": seeds,
                      "differences": [sa[s] - sb[s] for s in seeds], **ci.to_dict()})
    return {"metric": metric, "arms": per_arm, "pairs": pairs}


def format_table(summary: dict) -> str:
    """The summary as a plain-text table (accuracies in percent)."""
    lines = [f"{'arm':<14}{'n':>3}  {summary['metric'] + ' mean ± std':>26}"]
    for arm, s in summary["arms"].items():
        lines.append(f"{arm:<14}{s['n']:>3}  {100 * s['mean']:>17.2f} ± {100 * s['std']:.2f} %")
    lines.append("")
    lines.append(f"{'paired difference (a - b)':<30}{'n':>3}  {'mean':>8}  {'95% CI':>20}")
    for p in summary["pairs"]:
        ci = "n/a (one seed)" if math.isnan(p["low"]) else f"[{100 * p['low']:+.2f}, {100 * p['high']:+.2f}]"
        lines.append(f"{p['a'] + ' - ' + p['b']:<30}{p['n']:>3}  {100 * p['mean']:>+7.2f}%  {ci:>20}")
    return "\n".join(lines)


def write_outputs(results: dict, out_dir: str | Path) -> dict[str, Path]:
    """Write ``<name>.json`` (everything), ``<name>.csv`` (one row per run) and ``<name>.png``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    name = results["name"]
    paths = {"json": out / f"{name}.json", "csv": out / f"{name}.csv", "png": out / f"{name}.png"}
    paths["json"].write_text(json.dumps(results, indent=1, default=float))
    with open(paths["csv"], "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["arm", "seed", "val_accuracy", "val_loss", "val_accuracy_last3",
                         "params", "train_seconds"])
        for r in results["runs"]:
            fin = r["final"]
            writer.writerow([r["arm"], r["seed"], fin["val_accuracy"], fin["val_loss"],
                             fin["val_accuracy_last3"], r["params"], r["train_seconds"]])
    _plot_curves(results, paths["png"])
    print(format_table(results["summary"]))
    print(f"wrote {paths['json']}, {paths['csv']}, {paths['png']}")
    return paths


def _plot_curves(results: dict, path: Path) -> None:
    import matplotlib.pyplot as plt

    from .viz import plot_history

    histories: dict[str, list[dict]] = {}
    for r in results["runs"]:
        histories.setdefault(r["arm"], []).append(r["history"])
    fig = plot_history(histories)
    fig.suptitle(f"{results['name']}: {results['config']['backbone']} on {results['provenance']['dataset']}")
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


def load_results(path: str | Path) -> dict:
    """Read a results JSON written by ``compare``; a clear error if it is missing."""
    p = Path(path)
    if not p.exists():
        raise ValueError(f"No results file at {p}; run `python -m resizer_lib compare ...` first")
    return json.loads(p.read_text())
