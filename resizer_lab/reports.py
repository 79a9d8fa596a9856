"""The files of a paired study: its per-photo tests, tables, figure and provenance.

``resizer_lib.training.compare`` trains (or resumes) a study and returns its results: every
run and the summary over seeds. ``run_study(config)`` adds what the lab reports beside it (the
per-photo tests: ``summarise_per_photo``) and writes ``<name>.json``, ``<name>.csv``,
``<name>.png`` and ``<name>.md`` (``write_outputs``). ``format_markdown(results)`` gives the
Markdown tables again (``python -m resizer_lab report <name>.json``); for a study still
running, ``format_progress(load_runs(<out>/<name>/runs))`` (``python -m resizer_lab report
<out>/<name>/runs``) tabulates the runs finished so far.
"""

from __future__ import annotations

import csv
import io
import json
import math
from itertools import combinations
from pathlib import Path

import numpy as np

from resizer_lab.photo_tests import mcnemar, paired_bootstrap
from resizer_lib.files import BrokenRecord, read_json, write_json_atomic, write_text_atomic
from resizer_lib.training.stats import METRIC, mean_std
from resizer_lib.viz.tables import markdown_table

__all__ = [
    "run_study",
    "summarise_per_photo",
    "format_table",
    "format_markdown",
    "format_progress",
    "write_outputs",
    "load_results",
    "load_runs",
    "paired",
]

def run_study(config, strategy=None, callbacks=(), data=None) -> dict:
    """Train (or resume) the paired study of ``config`` and write its files into ``config.out_dir``.

    The results of ``compare`` plus ``per_photo``: the per-photo tests of every pair of arms
    under both BatchNorm views. Returns the results dict that was written.
    """
    from resizer_lib.training import compare

    results = compare(config, strategy=strategy, callbacks=callbacks, data=data)
    results["per_photo"] = {view: summarise_per_photo(results["runs"], config.arms, results["val_labels"], view)
                            for view in ("moving", "recalibrated")}
    write_outputs(results, config.out_dir)
    return results


def summarise_per_photo(runs: list[dict], arms, labels, view: str = "moving",
                        resamples: int = 10_000) -> list[dict] | None:
    """Per pair of arms, the photo-level view of ``a − b``: a paired bootstrap CI over photos
    and seeds (``stats.paired_bootstrap``) and McNemar's exact test per seed (``stats.mcnemar``).

    ``labels``: the validation labels ``(photos,)``; ``view``: ``"moving"`` or
    ``"recalibrated"`` (which statistics the predictions were made with). ``None`` when a run
    lacks its per-photo predictions (runs trained before they were recorded).
    """
    if not runs or any(not r.get("val_predictions") for r in runs):
        return None
    labels = np.asarray(labels)
    correct = {(r["arm"], r["seed"]): np.asarray(r["val_predictions"][view]) == labels for r in runs}
    out = []
    for a, b in combinations(arms, 2):
        seeds = sorted({s for (arm, s) in correct if arm == a} & {s for (arm, s) in correct if arm == b})
        ca = np.stack([correct[(a, s)] for s in seeds])
        cb = np.stack([correct[(b, s)] for s in seeds])
        ci = paired_bootstrap(ca, cb, resamples=resamples, seed=0)
        tests = [mcnemar(ca[i], cb[i]) | {"seed": s} for i, s in enumerate(seeds)]
        out.append({"a": a, "b": b, "seeds": seeds, "view": view, "bootstrap": ci.to_dict(),
                    "mcnemar": tests})
    return out


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def format_markdown(results: dict) -> str:
    """A study as Markdown: provenance line, per-arm table, paired differences, resolution gap.

    Every number comes from ``results`` (a ``compare`` JSON): final-epoch validation accuracy
    per arm (mean ± sample std over seeds, then each seed), and for each pair of arms the mean
    paired difference in points with its 95% t-interval on ``n - 1`` degrees of freedom (pairs
    with the first arm, the baseline, read "arm − baseline"). When
    the study has ``bilinear``, ``learned`` and ``full_res`` arms it adds the share of the
    resolution gap (``full_res - bilinear``) that the resizer closes (ratio of mean gaps).
    """
    summary = results["summary"]
    seeds = sorted({r["seed"] for r in results["runs"]})
    lines = [_provenance_line(results), "", *_summary_tables(summary, seeds)]
    recalibrated = results.get("summary_recalibrated")
    if recalibrated:
        images = sorted({r["precise_bn"]["images"] for r in results["runs"] if r.get("precise_bn")})
        lines += ["", f"With BatchNorm statistics re-estimated on {'/'.join(map(str, images))} "
                  "training images, every weight as trained (precise BN, "
                  "`val_accuracy_recalibrated`):", "", *_summary_tables(recalibrated, seeds)]
    else:
        lines += ["", "Precise-BN accuracy (re-estimated BatchNorm statistics): not recorded for "
                  "these runs (trained before the runner measured it)."]
    for view, pairs in (results.get("per_photo") or {}).items():
        if pairs:
            lines += ["", _per_photo_table(pairs, view, len(results.get("val_labels") or []))]
    arms = summary["arms"]
    if {"bilinear", "learned", "full_res"} <= set(arms):
        gap = arms["full_res"]["mean"] - arms["bilinear"]["mean"]
        gain = arms["learned"]["mean"] - arms["bilinear"]["mean"]
        head = f"Resolution gap (full_res − bilinear): {100 * gap:+.1f} points"
        if gap > 0:
            lines += ["", f"{head}; the resizer recovers {100 * gain:+.1f} of them: {gain / gap:.0%} "
                      "(ratio of means, no interval)."]
        else:
            lines += ["", f"{head}: this backbone did no better at full resolution, so there is no "
                      "gap for the resizer to close (share undefined)."]
    return "\n".join(lines)


def _per_photo_table(pairs: list[dict], view: str, photos: int) -> str:
    """The photo-level view of each pair (``summarise_per_photo``) as a short Markdown table."""
    rows = []
    for p in pairs:
        ci, tests = p["bootstrap"], p["mcnemar"]
        ps = [t["p_value"] for t in tests]
        rows.append({"pair": f"{p['a']} − {p['b']}", "mean": f"{100 * ci['mean']:+.1f} points",
                     "95% CI, photos and seeds": f"[{100 * ci['low']:+.1f}, {100 * ci['high']:+.1f}]",
                     "McNemar p per seed": f"{min(ps):.2g}-{max(ps):.2g}" if len(ps) > 1 else f"{ps[0]:.2g}"})
    head = (f"Per photo ({photos} validation photos, {view} BatchNorm statistics; paired bootstrap "
            f"over photos and seeds, McNemar's exact test within each seed):")
    return head + "\n\n" + markdown_table(rows)


def _summary_tables(summary: dict, seeds: list[int]) -> list[str]:
    """The per-arm table and the paired-difference table of one ``summarise`` result."""
    spread_column = (f"{'mean ± std' if len(seeds) > 1 else 'final'} ({len(seeds)} seed"
                     f"{'s' * (len(seeds) != 1)})")
    seeds_column = f"per seed ({', '.join(map(str, seeds))})"
    arm_rows = []
    for arm, a in summary["arms"].items():
        per_seed = ", ".join(_pct(a["per_seed"][k]) for k in sorted(a["per_seed"], key=int))
        spread = f" ± {_pct(a['std'])}" if a["n"] > 1 else ""
        arm_rows.append({"arm": arm, spread_column: f"{_pct(a['mean'])}{spread} %", seeds_column: per_seed})
    pair_rows = []
    baseline = next(iter(summary["arms"]))
    for pair in summary["pairs"]:
        a, b = pair["a"], pair["b"]
        if a == baseline:  # every arm against the baseline reads "arm − baseline"
            a, b = b, a
        d = paired(summary, a, b)
        mean, low, high = d["mean"], d["low"], d["high"]
        ci = ("n/a (one seed)" if math.isnan(low)
              else f"[{100 * low:+.1f}, {100 * high:+.1f}] ({pair['n'] - 1} d.f.)")
        pair_rows.append({"paired difference": f"{a} − {b}", "seeds": str(pair["n"]),
                          "mean": f"{100 * mean:+.1f} points", "95% CI": ci})
    return [markdown_table(arm_rows), "",
            markdown_table(pair_rows) if pair_rows else "(one arm: no paired differences)"]


def paired(summary: dict, a: str, b: str) -> dict:
    """The paired difference ``a − b`` of a ``summarise`` result, whichever order it was stored in:
    ``{"mean", "low", "high", "n"}`` (fractions; ``low``/``high`` the 95% CI, NaN for one seed)."""
    for pair in summary["pairs"]:
        if (pair["a"], pair["b"]) == (a, b):
            return {"mean": pair["mean"], "low": pair["low"], "high": pair["high"], "n": pair["n"]}
        if (pair["a"], pair["b"]) == (b, a):
            return {"mean": -pair["mean"], "low": -pair["high"], "high": -pair["low"], "n": pair["n"]}
    raise ValueError(f"No pair {a!r} − {b!r}; the arms are {list(summary['arms'])}")


def _provenance_line(results: dict) -> str:
    prov, cfg = results["provenance"], results["config"]
    size = "x".join(map(str, cfg["image_size"])) + " → " + "x".join(map(str, cfg["target_size"]))
    dates = sorted(r["finished_utc"] for r in results["runs"] if r.get("finished_utc"))
    when = f"{dates[0][:10]} to {dates[-1][:10]}" if dates and dates[0][:10] != dates[-1][:10] else (
        dates[0][:10] if dates else prov["date"][:10])
    hours = sum(r["train_seconds"] for r in results["runs"]) / 3600
    devices = sorted({r["device"] for r in results["runs"] if r.get("device")}) or [prov["device"]]
    software = sorted({r["software"] for r in results["runs"] if r.get("software")})
    if software and all(r.get("software") for r in results["runs"]):
        versions = "; ".join(software)  # each run says what it trained with
    else:  # runs from before runs recorded versions: only the summarising call's are known
        versions = f"summarised with Keras {prov['keras']} / {prov['backend']} {prov['backend_version']}"
    return (f"`{results['name']}`: {cfg['backbone']}, {size} px, {prov['dataset']} "
            f"({prov['train_examples']:,} train / {prov['val_examples']:,} val), {cfg['epochs']} epochs, "
            f"recipe {cfg['recipe']}, batch {cfg['batch_size']}; final-epoch "
            f"{results['summary']['metric'].replace('_', ' ')}; {versions}; on {' and '.join(devices)}; "
            f"runs finished {when}; {hours:.1f} h of training in all.")


def write_outputs(results: dict, out_dir: str | Path) -> dict[str, Path]:
    """Write ``<name>.json`` (everything), ``<name>.csv`` (one row per run), ``<name>.png`` (the
    learning curves) and ``<name>.md`` (``format_markdown``: the tables, readable on GitHub)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    name = results["name"]
    paths = {ext: out / f"{name}.{ext}" for ext in ("json", "csv", "png", "md")}
    write_json_atomic(paths["json"], results, default=float)
    rows = io.StringIO(newline="")
    writer = csv.writer(rows)
    writer.writerow(["arm", "seed", "val_accuracy", "val_loss", "val_accuracy_last3",
                     "val_accuracy_recalibrated", "val_loss_recalibrated", "params", "train_seconds"])
    for r in results["runs"]:  # the recalibrated columns are blank for runs that lack them
        fin = r["final"]
        writer.writerow([r["arm"], r["seed"], fin["val_accuracy"], fin["val_loss"],
                         fin["val_accuracy_last3"], fin.get("val_accuracy_recalibrated", ""),
                         fin.get("val_loss_recalibrated", ""), r["params"], r["train_seconds"]])
    write_text_atomic(paths["csv"], rows.getvalue())
    _plot_curves(results, paths["png"])
    write_text_atomic(paths["md"], f"# {name}\n\n{format_markdown(results)}\n\n"
                      f"![learning curves]({name}.png)\n\n"
                      f"Command: `{results['provenance']['command']}`\n")
    print(format_table(results["summary"]))
    if results.get("summary_recalibrated"):
        print("\nwith precise-BN statistics (re-estimated on training images):")
        print(format_table(results["summary_recalibrated"]))
    print(f"wrote {', '.join(str(p) for p in paths.values())}")
    return paths


def _plot_curves(results: dict, path: Path) -> None:
    import matplotlib.pyplot as plt

    from resizer_lib.viz.curves import plot_history

    histories: dict[str, list[dict]] = {}
    for r in results["runs"]:
        histories.setdefault(r["arm"], []).append(r["history"])
    fig = plot_history(histories)
    fig.suptitle(f"{results['name']}: {results['config']['backbone']} on {results['provenance']['dataset']}", y=1.03)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


def load_results(path: str | Path) -> dict:
    """Read a results JSON written by ``compare``; a clear error if it is missing."""
    p = Path(path)
    if not p.exists():
        raise ValueError(f"No results file at {p}; run `python -m resizer_lib compare ...` first")
    return json.loads(p.read_text())


def load_runs(folder: str | Path) -> list[dict]:
    """The finished runs of a study: every ``<arm>_seed<k>.json`` in ``folder`` (its ``runs/``)."""
    root = Path(folder)
    if not root.is_dir():
        raise ValueError(f"No runs folder at {root}; it is <out>/<name>/runs of a compare study")
    runs = []
    for path in sorted(root.glob("*.json")):
        try:
            record = read_json(path)
            record["final"][METRIC], record["arm"], int(record["seed"])  # noqa: B018 - the fields used
        except BrokenRecord as err:
            raise ValueError(f"{err}: delete it, or rerun the study's compare command, which "
                             f"sets it aside and trains that run again") from None
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(f"{path} is not a finished run of compare ({type(err).__name__}: {err})") from None
        runs.append(record)
    if not runs:
        raise ValueError(f"{root} holds no finished runs (*.json) yet")
    return runs


STUDY_ARMS = ("bilinear", "antialiased", "learned", "more_layers", "muller", "full_res")


def study_order(arms) -> list[str]:
    """``arms`` in the studies' order (bilinear, antialiased, learned, more_layers, muller, full_res), any other
    arm (another interpolation) after them, alphabetically."""
    rank = {a: i for i, a in enumerate(STUDY_ARMS)}
    return sorted(set(arms), key=lambda a: (rank.get(a, len(STUDY_ARMS)), a))


def format_progress(runs: list[dict]) -> str:
    """Markdown grid of a study in progress: arm x seed, final-epoch validation accuracy (%)
    and training minutes of each finished run, "—" where a run is missing, and per arm the
    mean ± std over the seeds it has (not paired: the arms may have different seeds)."""
    arms = study_order({r["arm"] for r in runs})
    seeds = sorted({int(r["seed"]) for r in runs})
    cell = {(r["arm"], int(r["seed"])): r for r in runs}
    rows = []
    for arm in arms:
        row, scores = [], []
        for s in seeds:
            r = cell.get((arm, s))
            if r is None:
                row.append("—")
                continue
            scores.append(r["final"][METRIC])
            row.append(_pct(scores[-1]) + _duration(r.get("train_seconds")))
        mean, std = mean_std(scores)
        spread = f"{_pct(mean)} ± {_pct(std)} %" if len(scores) > 1 else f"{_pct(mean)} %"
        rows.append({"arm": arm, **{f"seed {s}": v for s, v in zip(seeds, row, strict=True)},
                     "runs": str(len(scores)), "mean ± std": spread})
    lines = [markdown_table(rows), "", f"{len(runs)} of {len(arms) * len(seeds)} (arm, seed) runs finished; final-epoch "
              "validation accuracy in %, training time in brackets. Means over unequal seeds "
              "are not paired comparisons: the study's summary (compare) gives those."]
    return "\n".join(lines)


def _duration(seconds: float | None) -> str:
    if not seconds:
        return ""
    return f" ({seconds:.0f} s)" if seconds < 60 else f" ({seconds / 60:.0f} min)"


def format_table(summary: dict) -> str:
    """The summary as a plain-text table (accuracies in percent)."""
    lines = [f"{'arm':<14}{'n':>3}  {summary['metric'] + ' mean ± std':>26}"]
    for arm, s in summary["arms"].items():
        spread = f"± {100 * s['std']:.2f} %" if s["n"] > 1 else "%  (one seed)"
        lines.append(f"{arm:<14}{s['n']:>3}  {100 * s['mean']:>17.2f} {spread}")
    lines.append("")
    lines.append(f"{'paired difference (a - b)':<30}{'n':>3}  {'mean':>8}  {'95% CI':>20}")
    for p in summary["pairs"]:
        ci = "n/a (one seed)" if math.isnan(p["low"]) else f"[{100 * p['low']:+.2f}, {100 * p['high']:+.2f}]"
        lines.append(f"{p['a'] + ' - ' + p['b']:<30}{p['n']:>3}  {100 * p['mean']:>+7.2f}%  {ci:>20}")
    return "\n".join(lines)
