"""The map of a study over downsampling factors: when does a learned resizer pay?

A *factor study* is one ``compare`` study (its folder ``<out>/<name>/runs/``) at one input and
one target size; its factor is ``input / target`` (128 → 64 is 2x). ``build_factor_map`` reads
the finished run records of several factor studies and computes, per factor and per
comparison ``a − b`` (learned − bilinear, learned − antialiased, learned − more_layers,
muller − bilinear by default), for both accuracies (moving BatchNorm statistics and precise BN):

* over seeds: the mean paired difference with its 95% t-interval (``stats.paired_difference``);
* over photos: McNemar's exact test of per-photo correctness within each seed
  (``stats.mcnemar``) and a paired bootstrap of the accuracy difference over photos and seeds
  (``stats.paired_bootstrap``).

Only seeds whose every compared arm has finished are used (the same seeds for every
comparison of a factor); the map says which seeds each factor used and which runs are still
missing, so a map of a study in progress labels itself partial. A run that lacks the
precise-BN accuracy or its per-photo predictions makes that part "not recorded", never
estimated. ``write_factor_map`` writes ``<out>.json`` (every number and its provenance),
``<out>.md`` (the tables) and ``<out>.png`` (the differences against the factor).
"""

from __future__ import annotations

import datetime
import math
import re
import shlex
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from resizer_lab.photo_tests import mcnemar, paired_bootstrap
from resizer_lab.reports import load_runs
from resizer_lib.files import read_json, write_json_atomic, write_text_atomic
from resizer_lib.training.stats import METRIC, RECALIBRATED, paired_difference
from resizer_lib.viz.tables import markdown_table

__all__ = [
    "DEFAULT_COMPARISONS",
    "VIEWS",
    "arm_accuracies",
    "build_factor_map",
    "downsampling_factor",
    "findings",
    "format_accuracy_table",
    "format_difference_table",
    "format_factor_map",
    "format_findings",
    "format_status",
    "parse_comparisons",
    "plot_factor_map",
    "read_factor_study",
    "script_commands",
    "study_sizes",
    "validation_labels",
    "write_factor_map",
]

DEFAULT_COMPARISONS = (("learned", "bilinear"), ("learned", "antialiased"),
                       ("learned", "more_layers"), ("muller", "bilinear"))
VIEWS = {"moving": METRIC, "recalibrated": RECALIBRATED}  # view -> the run's final.<field>
_SIZES_IN_NAME = re.compile(r"(\d+)to(\d+)$")  # map_small_cnn_128to64: 128 px → 64 px


# -- reading one factor study ----------------------------------------------------------------
def _runs_folder(path: Path) -> tuple[Path, Path]:
    """``(study folder, runs folder)`` of ``path``: a study folder holding ``runs/``, or the
    ``runs`` folder itself; a ``ValueError`` for any other existing folder or file."""
    if path.is_dir() and (path / "runs").is_dir():
        return path, path / "runs"
    if path.is_dir() and (path.name == "runs" or any(path.glob("*_seed*.json"))):
        return (path.parent if path.name == "runs" else path), path
    if path.exists():
        raise ValueError(f"{path} is not a study's runs folder: it holds no runs/ folder and no "
                         f"<arm>_seed<k>.json runs; pass <out>/<name> of a compare study "
                         f"(e.g. results/map_small_cnn_128to64)")
    return path, path / "runs"  # not started yet: every run is missing


def study_sizes(study_dir: str | Path) -> tuple[tuple[int, int], tuple[int, int]]:
    """``(image_size, target_size)`` of a factor study: from the ``config`` of its summary
    ``<out>/<name>.json`` when ``compare`` has written one, else from its name
    (``..._<input>to<target>``, square sizes). A ``ValueError`` when neither tells, or the two
    disagree."""
    study_dir = Path(study_dir)
    from_name = None
    match = _SIZES_IN_NAME.search(study_dir.name)
    if match:
        from_name = ((int(match[1]),) * 2, (int(match[2]),) * 2)
    summary = study_dir.parent / f"{study_dir.name}.json"
    from_config = None
    if summary.is_file():
        cfg = read_json(summary).get("config") or {}
        if "image_size" in cfg and "target_size" in cfg:
            from_config = (tuple(int(v) for v in cfg["image_size"]), tuple(int(v) for v in cfg["target_size"]))
    if from_config and from_name and from_config != from_name:
        raise ValueError(f"{study_dir.name}: its name says {from_name[0]} → {from_name[1]} px but "
                         f"{summary} says {from_config[0]} → {from_config[1]}; rename the study")
    sizes = from_config or from_name
    if sizes is None:
        raise ValueError(f"{study_dir}: cannot tell its input and target sizes; name the study "
                         f"..._<input>to<target> (e.g. map_small_cnn_128to64) or write its "
                         f"summary with compare")
    return sizes


def downsampling_factor(image_size: Sequence[int], target_size: Sequence[int]) -> float:
    """``input / target`` (2.0 for 128 → 64 px); the same on both axes, else a ``ValueError``."""
    (h, w), (th, tw) = image_size, target_size
    if min(h, w, th, tw) < 1:
        raise ValueError(f"sizes must be positive; got {tuple(image_size)} → {tuple(target_size)}")
    if h * tw != w * th:
        raise ValueError(f"{tuple(image_size)} → {tuple(target_size)} downsamples the two axes by "
                         f"different factors ({h / th:g} and {w / tw:g}); the map needs one factor")
    return h / th


def read_factor_study(path: str | Path) -> dict:
    """One factor study: ``{"name", "path", "image_size", "target_size", "factor", "runs"
    ((arm, seed) -> record), "labels" (from its summary, or None), "started" (bool)}``."""
    study_dir, runs_dir = _runs_folder(Path(path))
    image_size, target_size = study_sizes(study_dir)
    runs: dict[tuple[str, int], dict] = {}
    if runs_dir.is_dir() and any(runs_dir.glob("*.json")):
        for record in load_runs(runs_dir):
            runs[(record["arm"], int(record["seed"]))] = record
    summary = study_dir.parent / f"{study_dir.name}.json"
    labels = read_json(summary).get("val_labels") if summary.is_file() else None
    fingerprints = sorted({r.get("fingerprint", "") for r in runs.values()})
    if len(fingerprints) > 1:
        by = {fp: sorted(f"{a}_seed{s}" for (a, s), r in runs.items() if r.get("fingerprint", "") == fp)
              for fp in fingerprints}
        raise ValueError(f"{runs_dir} mixes runs of {len(fingerprints)} configurations {by}; move the "
                         f"runs of the other configuration out of the folder")
    return {"name": study_dir.name, "path": str(study_dir), "image_size": list(image_size),
            "target_size": list(target_size), "factor": downsampling_factor(image_size, target_size),
            "runs": runs, "labels": None if labels is None else np.asarray(labels), "started": bool(runs)}


def validation_labels(data: str | Path, data_seed: int = 0) -> np.ndarray:
    """The validation labels ``(photos,)`` of an image folder, in the order ``compare`` loads
    them (``load_dataset``'s folder scan with the study's ``data_seed``; no pixels kept)."""
    from resizer_lib.data.folder import scan_folder

    return np.asarray(scan_folder(data, seed=data_seed).splits["val"].labels)


# -- one comparison --------------------------------------------------------------------------
def parse_comparisons(text: str) -> tuple[tuple[str, str], ...]:
    """``"learned-bilinear,muller-bilinear"`` → ``(("learned", "bilinear"), ("muller", "bilinear"))``."""
    pairs = []
    for item in (p.strip() for p in text.split(",")):
        parts = item.split("-")
        if len(parts) != 2 or not all(parts) or parts[0] == parts[1]:
            raise ValueError(f"invalid comparison {item!r}: write a-b with two different arms, "
                             f"e.g. learned-bilinear")
        pairs.append((parts[0], parts[1]))
    if len(set(pairs)) != len(pairs):
        raise ValueError(f"invalid comparisons {text!r}: a comparison is listed twice")
    return tuple(pairs)


def _interval(values_a: list[float], values_b: list[float]) -> dict:
    ci = paired_difference(values_a, values_b).to_dict()
    ci["differences"] = [a - b for a, b in zip(values_a, values_b, strict=True)]
    if math.isnan(ci["low"]):
        ci["low"] = ci["high"] = None  # one seed: no interval, and JSON has no NaN
        ci["note"] = "one seed: no interval"
    elif ci["std"] == 0.0:
        ci["note"] = "every seed gave the same difference: an interval of zero width, not certainty"
    return ci


def _correct(record: dict, view: str, labels: np.ndarray) -> np.ndarray:
    """Per-photo correctness ``(photos,)`` of one run; a ``ValueError`` when the labels are not
    those of its validation photos (count, or accuracy that disagrees with the record)."""
    predicted = np.asarray(record["val_predictions"][view])
    name = f"{record['arm']}_seed{record['seed']}"
    if predicted.shape != labels.shape:
        raise ValueError(f"{name} has {predicted.size} per-photo predictions but the labels have "
                         f"{labels.size} photos: the labels belong to another validation set")
    correct = predicted == labels
    recorded = record["final"][VIEWS[view]]
    if abs(correct.mean() - recorded) > 1.5 / labels.size:
        raise ValueError(f"{name}: its {view} predictions score {correct.mean():.4f} against the labels "
                         f"but it recorded {recorded:.4f}: the labels are not those of its photos "
                         f"(another dataset or data seed?)")
    return correct


def _per_photo(runs: dict, a: str, b: str, seeds: list[int], view: str, labels, resamples: int) -> dict:
    lacking = sorted(f"{arm}_seed{s}" for arm in (a, b) for s in seeds
                     if view not in (runs[(arm, s)].get("val_predictions") or {}))
    if labels is None:
        return {"available": False, "reason": "no validation labels (pass the study's data folder)"}
    if lacking:
        return {"available": False, "reason": "runs without per-photo predictions", "lacking": lacking}
    ca = np.stack([_correct(runs[(a, s)], view, labels) for s in seeds])
    cb = np.stack([_correct(runs[(b, s)], view, labels) for s in seeds])
    tests = [mcnemar(ca[i], cb[i]) | {"seed": s} for i, s in enumerate(seeds)]
    return {"available": True, "photos": int(labels.size),
            "bootstrap": paired_bootstrap(ca, cb, resamples=resamples, seed=0).to_dict(),
            "mcnemar": tests,
            "discordant_total": {"a_only": sum(t["a_only"] for t in tests),
                                 "b_only": sum(t["b_only"] for t in tests)}}


def _comparison(runs: dict, a: str, b: str, seeds: list[int], labels, resamples: int) -> dict:
    out = {"a": a, "b": b, "seeds": seeds}
    for view, field in VIEWS.items():
        if not seeds:
            out[view] = {"available": False, "reason": "no seed with both runs finished"}
            continue
        lacking = sorted(f"{arm}_seed{s}" for arm in (a, b) for s in seeds
                         if field not in runs[(arm, s)]["final"])
        if lacking:
            out[view] = {"available": False, "reason": f"runs without final.{field}", "lacking": lacking}
            continue
        va = [runs[(a, s)]["final"][field] for s in seeds]
        vb = [runs[(b, s)]["final"][field] for s in seeds]
        out[view] = {"available": True, "seeds_interval": _interval(va, vb),
                     "per_photo": _per_photo(runs, a, b, seeds, view, labels, resamples)}
    return out


def _seconds_per_epoch(records: list[dict]) -> dict:
    """Per arm: the median, lowest and highest training seconds per epoch over ``records``
    (``train_seconds`` over the epochs of its history; the median resists runs slowed by
    others sharing the machine), and the runs counted."""
    per_arm: dict[str, list[float]] = {}
    for r in records:
        epochs = max((len(v) for v in r["history"].values()), default=0)
        if epochs:
            per_arm.setdefault(r["arm"], []).append(r["train_seconds"] / epochs)
    return {arm: {"median": float(np.median(v)), "min": min(v), "max": max(v), "runs": len(v)}
            for arm, v in per_arm.items()}


def _mean(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return float(np.mean(values)) if values else None


def arm_accuracies(records: list[dict]) -> dict:
    """Per arm, the mean over ``records`` (fractions): ``start`` (validation accuracy before the
    first step, recorded by the warm start only, else ``None``), ``final`` (moving statistics),
    ``final_recalibrated`` (precise BN, ``None`` where not recorded) and the runs counted."""
    per_arm: dict[str, list[dict]] = {}
    for r in records:
        per_arm.setdefault(r["arm"], []).append(r)
    return {arm: {"start": _mean([(r.get("start") or {}).get(METRIC) for r in rs]),
                  "final": _mean([r["final"][METRIC] for r in rs]),
                  "final_recalibrated": _mean([r["final"].get(RECALIBRATED) for r in rs]),
                  "runs": len(rs)} for arm, rs in per_arm.items()}


def _base_reproduced(records: list[dict]) -> dict | None:
    """Warm start: in how many seeds the retrained bilinear base had the final weights of the
    from-scratch study's run (``None`` when no record says)."""
    known = {r["seed"]: r["warm_start"]["base_reproduces_study_run"] for r in records
             if (r.get("warm_start") or {}).get("base_reproduces_study_run") is not None}
    return {"seeds": len(known), "reproduced": sum(map(bool, known.values()))} if known else None


# -- the map ---------------------------------------------------------------------------------
def _factor_entry(study: dict, comparisons, expected_seeds, labels, resamples: int) -> dict:
    runs = study["runs"]
    arms = list(dict.fromkeys(arm for pair in comparisons for arm in pair))
    seeds_seen = sorted({s for (_, s) in runs} | set(expected_seeds or ()))
    complete = [s for s in seeds_seen if all((arm, s) in runs for arm in arms)]
    missing = [f"{arm}_seed{s}" for s in seeds_seen for arm in arms if (arm, s) not in runs]
    own = study["labels"] if study["labels"] is not None else labels
    used = [runs[(arm, s)] for s in complete for arm in arms]
    finished = sorted(r["finished_utc"] for r in used if r.get("finished_utc"))
    return {
        "study": study["name"], "path": study["path"], "factor": study["factor"],
        "image_size": study["image_size"], "target_size": study["target_size"],
        "started": study["started"], "seeds_used": complete, "expected_seeds": seeds_seen,
        "missing_runs": missing, "complete": not missing and bool(complete),
        "labels": "from the study's summary" if study["labels"] is not None else (
            "given" if labels is not None else None),
        "devices": sorted({r["device"] for r in used if r.get("device")}),
        "software": sorted({r["software"] for r in used if r.get("software")}),
        "fingerprint": next((r.get("fingerprint") for r in runs.values()), None),
        "finished_utc": [finished[0], finished[-1]] if finished else None,
        "train_seconds": {f"{r['arm']}_seed{r['seed']}": r["train_seconds"] for r in used},
        "seconds_per_epoch": _seconds_per_epoch(used),
        "accuracy": arm_accuracies(used),
        "base_reproduced": _base_reproduced(used),
        "comparisons": [_comparison(runs, a, b, complete, own, resamples) for a, b in comparisons],
    }


def build_factor_map(studies: Sequence[str | Path], labels=None,
                     comparisons: Sequence[tuple[str, str]] = DEFAULT_COMPARISONS,
                     expected_seeds: Sequence[int] | None = None, resamples: int = 10_000,
                     provenance: dict | None = None) -> dict:
    """The map over the factor studies in ``studies`` (each ``<out>/<name>`` or its ``runs/``).

    ``labels``: the validation labels ``(photos,)`` for the per-photo tests (a study's own
    summary, when it has one, wins; ``validation_labels`` reads them from an image folder);
    ``None`` leaves the per-photo part out, saying so. ``expected_seeds``: the seeds the
    studies will have when finished (the runs still missing are listed against them).
    ``provenance``: extra entries for the result's provenance (commands, dataset). Returns a
    JSON-ready dict: ``factors`` (one entry per study, by factor), ``comparisons``,
    ``partial``, ``provenance``. A ``ValueError`` for no studies, a folder that is not a
    study's, two studies at one factor, or labels that do not fit the runs.
    """
    if isinstance(studies, (str, Path)) or not studies:
        raise ValueError(f"studies must be a non-empty list of study folders; got {studies!r}")
    comparisons = tuple((str(a), str(b)) for a, b in comparisons)
    if not comparisons:
        raise ValueError("comparisons is empty; give pairs such as ('learned', 'bilinear')")
    labels = None if labels is None else np.asarray(labels)
    read = [read_factor_study(p) for p in studies]
    by_factor: dict[float, str] = {}
    for study in read:
        if study["factor"] in by_factor:
            raise ValueError(f"{by_factor[study['factor']]} and {study['name']} are both at factor "
                             f"{study['factor']:g}x; pass one study per factor")
        by_factor[study["factor"]] = study["name"]
    factors = [_factor_entry(s, comparisons, expected_seeds, labels, resamples)
               for s in sorted(read, key=lambda s: s["factor"])]
    return {
        "comparisons": [f"{a} − {b}" for a, b in comparisons],
        "views": dict(VIEWS),
        "partial": not all(f["complete"] for f in factors),
        "factors": factors,
        "provenance": {"generated_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                       "bootstrap_resamples": resamples, **(provenance or {})},
    }


# -- the commands of a study script ------------------------------------------------------------
def script_commands(script: str | Path, targets: Sequence[int]) -> dict[str, str]:
    """The ``compare`` command a study script runs per target size: its ``study()`` function's
    ``echo`` line with the script's defaults (``VAR=${VAR:-default}``) and the target filled
    in, without the ``--seeds`` each process adds. ``{str(target): command}``; a
    ``ValueError`` when the script has no such function."""
    text = Path(script).read_text()
    body = re.search(r"^study\(\)\s*\{.*?echo \"(.*?)\"\s*\n\}", text, flags=re.S | re.M)
    if body is None:
        raise ValueError(f"{script} has no study() function that echoes a command")
    template = body[1].replace("\\\n", "")
    defaults = dict(re.findall(r"^(\w+)=\$\{\1:-([^}]*)\}", text, flags=re.M))
    out = {}
    for target in targets:
        command = template.replace("$1", str(target))
        for name, value in defaults.items():
            command = re.sub(rf"\${name}\b", value, command)
        out[str(target)] = " ".join(shlex.split(command))
    return out


# -- tables and the figure ---------------------------------------------------------------------
def _points(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:+.1f}"


def _seeds_cell(view: dict) -> str:
    if not view["available"]:
        return "not recorded" if view.get("lacking") else "—"
    ci = view["seeds_interval"]
    if ci["low"] is None:
        return f"{_points(ci['mean'])} (1 seed, no CI)"
    same = ", equal differences" if ci["std"] == 0.0 else ""
    return f"{_points(ci['mean'])} [{_points(ci['low'])}, {_points(ci['high'])}] ({ci['n']} seeds{same})"


def _photo_cells(view: dict) -> tuple[str, str]:
    if not view["available"]:
        return "—", "—"
    photo = view["per_photo"]
    if not photo["available"]:
        return "not recorded" if photo.get("lacking") else "no labels", "—"
    ci = photo["bootstrap"]
    ps = [t["p_value"] for t in photo["mcnemar"]]
    p = f"{ps[0]:.2g}" if len(ps) == 1 else f"{min(ps):.2g}-{max(ps):.2g}"
    return f"{_points(ci['mean'])} [{_points(ci['low'])}, {_points(ci['high'])}]", p


def _missing_cell(entry: dict) -> str:
    """The missing runs of a factor, by seed: ``seed 1: all; seed 0: muller``."""
    if not entry["started"]:
        return "not started"
    by_seed: dict[int, list[str]] = {}
    for run in entry["missing_runs"]:
        arm, seed = run.rsplit("_seed", 1)
        by_seed.setdefault(int(seed), []).append(arm)
    arms = {arm for c in entry["comparisons"] for arm in (c["a"], c["b"])}
    parts = [f"seed {s}: {'all' if set(a) == arms else ', '.join(a)}" for s, a in sorted(by_seed.items())]
    return "; ".join(parts) or "none"


def _time_cell(t: dict | None) -> str:
    return "—" if not t else f"{t['min']:.0f} / {t['median']:.0f} / {t['max']:.0f}"


def _label(factor: float) -> str:
    return f"{factor:g}x"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}"


def _accuracy_cell(a: dict | None) -> str:
    if not a:
        return "—"
    final = f"{_percent(a['final'])} ({_percent(a['final_recalibrated'])})"
    return final if a["start"] is None else f"{_percent(a['start'])} → {final}"


def _seeds_words(seeds: Sequence[int]) -> str:
    """``[0]`` -> ``"seed 0"``, ``[0, 1, 3]`` -> ``"seeds 0-1, 3"``, ``[]`` -> ``"no seed"``."""
    return f"seed{'s' if len(seeds) > 1 else ''} {_seed_ranges(seeds)}" if seeds else "no seed"


def format_accuracy_table(result: dict) -> str:
    """The mean validation accuracy of each arm (percent) over the seeds used, a column per
    factor: ``start → final (precise BN)`` where the runs recorded their start (the warm
    start), else ``final (precise BN)``; then, for a warm start, in how many seeds the retrained
    bilinear base reproduced the from-scratch run. Markdown."""
    factors = result["factors"]
    if not any("accuracy" in f for f in factors):
        return "This report was written before the per-arm accuracies were: run map-report again."
    arms = list(dict.fromkeys(arm for f in factors for arm in f.get("accuracy", {})))
    if not arms:
        return "No finished run yet."
    warm = any(a["start"] is not None for f in factors for a in f.get("accuracy", {}).values())
    rows = [{"arm": arm, **{f"{_label(f['factor'])} ({_seeds_words(f['seeds_used'])})":
                            _accuracy_cell(f.get("accuracy", {}).get(arm)) for f in factors}} for arm in arms]
    head = ("Validation accuracy (%), mean over the seeds used: before the first step of the extra "
            "epochs → final epoch, moving statistics (precise BN in brackets):" if warm else
            "Final-epoch validation accuracy (%), mean over the seeds used, moving statistics "
            "(precise BN in brackets):")
    lines = [head, "", markdown_table(rows)]
    bases = [(f, f.get("base_reproduced")) for f in factors if f.get("base_reproduced")]
    if bases:
        lines += ["", "The bilinear model every arm starts from, retrained: it had the final weights of "
                  "the from-scratch study's bilinear run in " + "; ".join(
                      f"{b['reproduced']} of {b['seeds']} seeds at {_label(f['factor'])}" for f, b in bases) + "."]
    return "\n".join(lines)


def format_factor_map(result: dict) -> str:
    """The map as Markdown: the state of each factor (seeds used, runs missing), the paired
    differences over seeds (points, 95% t-interval) for both accuracies, and the per-photo view
    (bootstrap interval over photos and seeds, McNemar's p-values within seeds)."""
    factors = result["factors"]
    head = ("**Partial**: some runs are still missing; each factor uses only the seeds whose every "
            "compared run has finished." if result["partial"] else "Every run of every factor has finished.")
    state = [{"factor": _label(f["factor"]), "study": f"`{f['study']}`",
              "size": f"{f['image_size'][0]} → {f['target_size'][0]} px",
              "seeds used": ", ".join(map(str, f["seeds_used"])) or "none",
              "missing runs": _missing_cell(f)} for f in factors]
    lines = [head, "", markdown_table(state)]
    for view in VIEWS:
        rows = []
        for i, name in enumerate(result["comparisons"]):
            rows.append({"paired difference (points)": name,
                         **{_label(f["factor"]): _seeds_cell(f["comparisons"][i][view]) for f in factors}})
        lines += ["", f"Over seeds, final-epoch validation accuracy with {_VIEW_WORDS[view]} "
                  "(mean paired difference, 95% t-interval on seeds − 1 d.f.):", "", markdown_table(rows)]
    rows = []
    for f in factors:
        for i, name in enumerate(result["comparisons"]):
            c = f["comparisons"][i]
            moving, p_moving = _photo_cells(c["moving"])
            recal, p_recal = _photo_cells(c["recalibrated"])
            rows.append({"factor": _label(f["factor"]), "paired difference": name,
                         "moving: bootstrap 95% CI": moving, "moving: McNemar p per seed": p_moving,
                         "precise BN: bootstrap 95% CI": recal, "precise BN: McNemar p per seed": p_recal})
    lines += ["", "Per photo (points): a paired bootstrap over validation photos and seeds of the "
              "accuracy difference, and McNemar's exact test on per-photo correctness within each "
              "seed (not pooled over seeds: the seeds share the photos):", "", markdown_table(rows)]
    if any(f.get("accuracy") for f in factors):
        lines += ["", format_accuracy_table(result)]
    arms = list(dict.fromkeys(arm for f in factors for arm in f.get("seconds_per_epoch", {})))
    if arms:
        rows = [{"arm": arm, **{_label(f["factor"]): _time_cell(f.get("seconds_per_epoch", {}).get(arm))
                                for f in factors}} for arm in arms]
        hours = sum(sum(f["train_seconds"].values()) for f in factors) / 3600
        lines += ["", "Training time, seconds per epoch on the devices named below, fastest / median / "
                  "slowest run of those used (the fastest is the cost on an otherwise idle machine; "
                  f"the others include time when other work shared it); {hours:.1f} hours of training "
                  "in all:", "", markdown_table(rows)]
    prov = result["provenance"]
    devices = sorted({d for f in factors for d in f["devices"]})
    lines += ["", f"Runs on {'; '.join(devices) or 'no device recorded'}. Generated "
              f"{prov['generated_utc']}; {prov['bootstrap_resamples']:,} bootstrap resamples."]
    for target, command in (prov.get("commands") or {}).items():
        lines.append(f"- {target} px: `{command}`")
    return "\n".join(lines)


_VIEW_WORDS = {"moving": "the moving BatchNorm statistics",
               "recalibrated": "BatchNorm statistics re-estimated on training images (precise BN)"}


def _ci_text(ci: dict) -> str:
    return f"{_points(ci['mean'])} [{_points(ci['low'])}, {_points(ci['high'])}]"


def _seed_ranges(seeds: Sequence[int]) -> str:
    """``[0, 1, 2, 4]`` -> ``"0-2, 4"``."""
    parts, seeds = [], sorted(seeds)
    for s in seeds:
        if parts and s == parts[-1][1] + 1:
            parts[-1][1] = s
        else:
            parts.append([s, s])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in parts)


def findings(result: dict) -> dict:
    """The map's facts that a reader's statement rests on, per comparison, factor and view:

    * ``measured``: every ``{"factor", "comparison", "view", "bootstrap", "seeds_interval"}``
      whose per-photo bootstrap was computed (the photos' and seeds' 95% interval);
    * ``photo_excludes_zero``: those whose bootstrap interval lies wholly on one side of zero;
    * ``seeds_excludes_zero``: those whose t-interval over seeds does (two seeds or more),
      ``zero_width`` marking every seed giving the same difference;
    * ``state``: per factor, its seeds used and the count of runs still missing.
    """
    measured = []
    for f in result["factors"]:
        for name, c in zip(result["comparisons"], f["comparisons"], strict=True):
            for view in VIEWS:
                entry = c[view]
                if not entry["available"] or not entry["per_photo"]["available"]:
                    continue
                measured.append({"factor": f["factor"], "comparison": name, "view": view,
                                 "bootstrap": entry["per_photo"]["bootstrap"],
                                 "seeds_interval": entry["seeds_interval"]})

    def excludes(ci: dict) -> bool:
        return ci["low"] is not None and (ci["low"] > 0 or ci["high"] < 0)

    return {
        "measured": measured,
        "photo_excludes_zero": [m for m in measured if excludes(m["bootstrap"])],
        "seeds_excludes_zero": [m | {"zero_width": m["seeds_interval"]["std"] == 0.0}
                                for m in measured if excludes(m["seeds_interval"])],
        "state": [{"factor": f["factor"], "seeds_used": f["seeds_used"],
                   "missing": len(f["missing_runs"]), "started": f["started"]} for f in result["factors"]],
    }


def _where(m: dict) -> str:
    return f"{m['comparison']} at {_label(m['factor'])} ({_VIEW_SHORT[m['view']]})"


def format_status(result: dict, facts: dict | None = None) -> str:
    """The map's state in one sentence: partial or complete, the seeds used per factor with the
    runs still to go, when and where the runs finished, and the bootstrap resamples. ``facts``:
    ``findings(result)``, when the caller has it already."""
    facts = facts or findings(result)
    states = []
    for s in facts["state"]:
        used = _seed_ranges(s["seeds_used"]) if s["seeds_used"] else "none"
        states.append(f"{_label(s['factor'])} {used}" + (f" ({s['missing']} runs to go)" if s["missing"] else ""))
    head = "**Status: partial.**" if result["partial"] else "**Status: complete.**"
    prov = result["provenance"]
    runs = sorted({t for f in result["factors"] for t in (f.get("finished_utc") or [])})
    span = f"Runs finished {runs[0]} to {runs[-1]} UTC" if runs else "No run finished yet"
    devices = sorted({d for f in result["factors"] for d in f["devices"]})
    return (f"{head} Seeds used: {'; '.join(states)}. {span}, on {'; '.join(devices) or 'no device recorded'}; "
            f"{prov['bootstrap_resamples']:,} bootstrap resamples.")


def format_findings(result: dict) -> str:
    """A plain statement of what the map shows so far, generated from ``result`` (the README's
    paragraph: regenerated, never edited by hand): the state of each factor, the learned −
    bilinear difference per factor with its bootstrap interval over photos and seeds, and which
    intervals (over photos and seeds; over seeds) lie wholly on one side of zero."""
    facts = findings(result)
    lines = [format_status(result, facts)]
    headline = [m for m in facts["measured"] if m["comparison"] == "learned − bilinear"]
    if headline:
        by_factor: dict[float, list[str]] = {}
        for m in headline:
            by_factor.setdefault(m["factor"], []).append(f"{_ci_text(m['bootstrap'])} {_VIEW_SHORT[m['view']]}")
        lines.append("Learned − bilinear, points, with the bootstrap 95% interval over photos and seeds: "
                     + "; ".join(f"{_label(k)} {', '.join(v)}" for k, v in by_factor.items()) + ".")
    n = len(facts["measured"])
    photo = facts["photo_excludes_zero"]
    so_far = " so far" if result["partial"] else ""
    measured = f"Of the {n} paired differences measured{so_far} (comparisons × factors × the two accuracies)"
    if photo:
        lines.append(f"{measured}, {len(photo)} {'has' if len(photo) == 1 else 'have'} a bootstrap interval over photos and seeds wholly on "
                     f"one side of zero: " + "; ".join(f"{_where(m)}: {_ci_text(m['bootstrap'])}" for m in photo) + ".")
    else:
        lines.append(f"{measured}, none has a bootstrap interval over photos and seeds wholly on one side of zero.")
    seeds = facts["seeds_excludes_zero"]
    if seeds:
        lines.append("Over seeds alone (t-intervals, which leave the photos' sampling error out), "
                     + "; ".join(f"{_where(m)}: {_ci_text(m['seeds_interval'])}"
                                 + (" (every seed gave the same difference: zero width, not certainty)"
                                    if m["zero_width"] else f" ({m['seeds_interval']['n']} seeds)")
                                 for m in seeds) + ".")
    else:
        lines.append("Over seeds alone (t-intervals), none lies wholly on one side of zero.")
    return " ".join(lines)


_VIEW_SHORT = {"moving": "moving statistics", "recalibrated": "precise BN"}


def format_difference_table(result: dict) -> str:
    """One Markdown table of every paired difference (points), a row per factor and comparison:
    the seeds used, then for each accuracy (moving statistics, precise BN) the mean over seeds
    with its 95% t-interval and the bootstrap 95% interval over photos and seeds. The compact
    table of a README; ``format_factor_map`` has the full report."""
    rows = []
    for f in result["factors"]:
        for name, c in zip(result["comparisons"], f["comparisons"], strict=True):
            row = {"factor": _label(f["factor"]), "paired difference": name,
                   "seeds": _seed_ranges(f["seeds_used"]) or "none"}
            for view in VIEWS:
                row[f"{_VIEW_SHORT[view]}: over seeds"] = _seeds_cell(c[view])
                row[f"{_VIEW_SHORT[view]}: over photos"] = _photo_cells(c[view])[0]
            rows.append(row)
    return markdown_table(rows)


def plot_factor_map(result: dict, path: str | Path | None = None):
    """Two panels (moving statistics, precise BN): paired difference in points against the
    factor (log2 axis), one series per comparison with its 95% t-interval over seeds as error
    bars (a single seed: the point alone, hollow) and, as a wide pale band behind it, the 95%
    bootstrap interval over photos and seeds where the per-photo predictions were recorded.
    Returns the figure; saved to ``path`` if given."""
    import matplotlib.pyplot as plt

    factors = result["factors"]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    count = len(result["comparisons"])
    for ax, view in zip(axes, VIEWS, strict=True):
        for i, name in enumerate(result["comparisons"]):
            shift = 2 ** (0.06 * (i - (count - 1) / 2))  # side by side, not on top of each other
            xs, ys, lows, highs, single = [], [], [], [], []
            for f in factors:
                v = f["comparisons"][i][view]
                if not v["available"]:
                    continue
                ci = v["seeds_interval"]
                if v["per_photo"]["available"]:
                    boot = v["per_photo"]["bootstrap"]
                    ax.plot([f["factor"] * shift] * 2, [100 * boot["low"], 100 * boot["high"]], color=f"C{i}",
                            lw=7, alpha=0.2, solid_capstyle="butt")
                if ci["low"] is None:
                    single.append((f["factor"] * shift, 100 * ci["mean"]))
                    continue
                xs.append(f["factor"] * shift)
                ys.append(100 * ci["mean"])
                lows.append(100 * (ci["mean"] - ci["low"]))
                highs.append(100 * (ci["high"] - ci["mean"]))
            color = f"C{i}"
            if xs:
                ax.errorbar(xs, ys, yerr=[lows, highs], fmt="o-", color=color, capsize=3, label=name)
            if single:
                sx, sy = zip(*single, strict=True)
                ax.plot(sx, sy, "o", mfc="none", color=color, label=None if xs else f"{name} (1 seed)")
        ax.axhline(0, color="0.5", lw=0.8)
        ax.set_xscale("log", base=2)
        ticks = [f["factor"] for f in factors]
        ax.set_xticks(ticks, [_label(t) for t in ticks])
        ax.set_xlim(min(ticks) / 1.3, max(ticks) * 1.3)
        ax.minorticks_off()
        ax.set_xlabel("downsampling factor (input / target)")
        ax.set_title({"moving": "moving BatchNorm statistics", "recalibrated": "precise BN"}[view])
    axes[0].set_ylabel("paired difference (points)")
    if axes[0].get_legend_handles_labels()[0]:
        axes[0].legend(fontsize=8)
    seeds = "; ".join(f"{_label(f['factor'])}: seeds {','.join(map(str, f['seeds_used'])) or 'none'}"
                      for f in factors)
    fig.suptitle(("partial map, " if result["partial"] else "") + seeds + " (bars: 95% t-intervals over "
                 "seeds; pale bands: 95% bootstrap intervals over photos and seeds)", fontsize=9)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    return fig


def write_factor_map(result: dict, out: str | Path) -> dict[str, Path]:
    """Write ``<out>.json``, ``<out>.md`` and ``<out>.png`` (``out`` without extension)."""
    import matplotlib.pyplot as plt

    out = Path(out)
    if out.suffix in (".json", ".md", ".png"):
        raise ValueError(f"out is a name without extension (e.g. results/map_small_cnn); got {out}")
    paths = {ext: out.with_name(f"{out.name}.{ext}") for ext in ("json", "md", "png")}
    out.parent.mkdir(parents=True, exist_ok=True)
    # the sentences and tables a reader is shown, computed here: the course only prints them
    result = {**result, "text": {"status": format_status(result), "findings": format_findings(result),
                                 "differences": format_difference_table(result),
                                 "accuracies": format_accuracy_table(result)}}
    write_json_atomic(paths["json"], result)
    title = f"# {out.name}: when does a learned resizer pay?"
    write_text_atomic(paths["md"], f"{title}\n\n{format_factor_map(result)}\n\n![paired differences "
                      f"against the downsampling factor]({out.name}.png)\n")
    plt.close(plot_factor_map(result, paths["png"]))
    return paths
