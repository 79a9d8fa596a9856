"""The factor map: paired differences per downsampling factor, from a study's run records."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from resizer_lab import factor_map as fm
from resizer_lab.photo_tests import mcnemar
from resizer_lib.training.stats import paired_difference

REPO = Path(__file__).resolve().parents[2]
PHOTOS = 40
ARMS = ("bilinear", "antialiased", "learned", "more_layers", "muller")
LABELS = np.arange(PHOTOS) % 2


def correct_vector(share: float, seed: int) -> np.ndarray:
    """``(PHOTOS,)`` right/wrong values, ``round(share * PHOTOS)`` of them right, seeded order."""
    out = np.zeros(PHOTOS, bool)
    out[np.random.default_rng(seed).permutation(PHOTOS)[: round(share * PHOTOS)]] = True
    return out


def fake_run(arm: str, seed: int, moving: np.ndarray, recalibrated: np.ndarray | None = None,
             predictions: bool = True) -> dict:
    """A run record as compare writes it, with predictions that score ``moving``/``recalibrated``."""
    recalibrated = moving if recalibrated is None else recalibrated
    final = {"val_accuracy": float(moving.mean()), "val_loss": 0.5, "val_accuracy_last3": float(moving.mean()),
             "val_accuracy_recalibrated": float(recalibrated.mean()), "val_loss_recalibrated": 0.5}
    record = {"arm": arm, "seed": seed, "history": {"val_accuracy": [final["val_accuracy"]]},
              "final": final, "params": 10, "initial_backbone_checksum": f"init{seed}",
              "final_weights_checksum": f"{arm}{seed}", "train_seconds": 60.0 * (1 + seed),
              "fingerprint": "fp", "finished_utc": f"2026-12-0{1 + seed} 10:00", "device": "Test CPU, 1 of 2 cores",
              "software": "Keras 3 / test", "record_version": 1}
    if predictions:
        pred = lambda c: [int(y if ok else 1 - y) for y, ok in zip(LABELS, c, strict=True)]  # noqa: E731
        record["val_predictions"] = {"moving": pred(moving), "recalibrated": pred(recalibrated)}
    return record


def write_study(root: Path, name: str, seeds=(0, 1, 2), skip=(), shares=None, edit=None) -> Path:
    """``root/name/runs/<arm>_seed<k>.json`` for every arm and seed except ``skip`` ((arm, seed))."""
    runs = root / name / "runs"
    runs.mkdir(parents=True)
    base = {"bilinear": 0.7, "antialiased": 0.72, "learned": 0.8, "more_layers": 0.75, "muller": 0.7}
    for seed in seeds:
        for k, arm in enumerate(ARMS):
            if (arm, seed) in skip:
                continue
            share = (shares or base)[arm] + 0.025 * seed
            record = fake_run(arm, seed, correct_vector(share, 10 * seed + k))
            if edit:
                record = edit(record)
            (runs / f"{arm}_seed{seed}.json").write_text(json.dumps(record))
    return root / name


def comparison(result: dict, factor: float, a: str, b: str) -> dict:
    entry = next(f for f in result["factors"] if f["factor"] == factor)
    return next(c for c in entry["comparisons"] if (c["a"], c["b"]) == (a, b))


@pytest.fixture
def three(tmp_path):
    """2x complete (seeds 0-2), 4x missing muller seed 2, 8x with seed 0 only."""
    paths = [write_study(tmp_path, "map_128to64"),
             write_study(tmp_path, "map_128to32", skip={("muller", 2)}),
             write_study(tmp_path, "map_128to16", seeds=(0,))]
    return fm.build_factor_map(paths, labels=LABELS, expected_seeds=(0, 1, 2), resamples=200)


def test_factors_come_from_the_sizes_and_are_sorted(three):
    assert [f["factor"] for f in three["factors"]] == [2.0, 4.0, 8.0]
    assert three["factors"][2]["image_size"] == [128, 128] and three["factors"][2]["target_size"] == [16, 16]


def test_the_seed_interval_is_the_paired_difference_of_the_records(tmp_path, three):
    runs = tmp_path / "map_128to64" / "runs"
    acc = {(a, s): json.loads((runs / f"{a}_seed{s}.json").read_text())["final"]["val_accuracy"]
           for a in ARMS for s in range(3)}
    got = comparison(three, 2.0, "learned", "antialiased")["moving"]["seeds_interval"]
    want = paired_difference([acc[("learned", s)] for s in range(3)], [acc[("antialiased", s)] for s in range(3)])
    assert got["mean"] == pytest.approx(want.mean) and got["low"] == pytest.approx(want.low)
    assert got["n"] == 3 and got["mean"] > 0


def test_per_photo_tests_use_the_photos_of_each_seed(tmp_path, three):
    runs = tmp_path / "map_128to64" / "runs"
    photo = comparison(three, 2.0, "learned", "bilinear")["moving"]["per_photo"]
    assert photo["available"] and photo["photos"] == PHOTOS
    assert [t["seed"] for t in photo["mcnemar"]] == [0, 1, 2]
    rec = {a: json.loads((runs / f"{a}_seed1.json").read_text()) for a in ("learned", "bilinear")}
    correct = {a: np.asarray(r["val_predictions"]["moving"]) == LABELS for a, r in rec.items()}
    want = mcnemar(correct["learned"], correct["bilinear"])
    assert {k: photo["mcnemar"][1][k] for k in want} == want
    ci = photo["bootstrap"]
    assert ci["low"] <= ci["mean"] <= ci["high"] and ci["n"] == 3 * PHOTOS


def test_a_factor_with_a_missing_run_uses_only_its_complete_seeds(three):
    four = three["factors"][1]
    assert four["seeds_used"] == [0, 1] and four["missing_runs"] == ["muller_seed2"]
    assert not four["complete"] and three["partial"]
    assert comparison(three, 4.0, "learned", "bilinear")["moving"]["seeds_interval"]["n"] == 2  # all pairs
    assert three["factors"][0]["complete"] and three["factors"][0]["missing_runs"] == []


def test_one_seed_has_no_interval_and_says_so(three):
    ci = comparison(three, 8.0, "learned", "bilinear")["moving"]["seeds_interval"]
    assert ci["n"] == 1 and ci["low"] is None and ci["high"] is None and "no interval" in ci["note"]
    eight = three["factors"][2]
    assert sorted(eight["missing_runs"]) == sorted(f"{a}_seed{s}" for a in ARMS for s in (1, 2))
    text = fm.format_factor_map(three)
    assert "(1 seed, no CI)" in text and "seed 1: all; seed 2: all" in text and "**Partial**" in text
    assert "seed 2: muller" in text


def test_the_json_is_strict_json_with_provenance(tmp_path, three):
    paths = fm.write_factor_map(three, tmp_path / "out" / "map")
    text = paths["json"].read_text()
    assert "NaN" not in text
    back = json.loads(text)
    assert back["factors"][0]["devices"] == ["Test CPU, 1 of 2 cores"]
    assert back["factors"][0]["finished_utc"] == ["2026-12-01 10:00", "2026-12-03 10:00"]
    assert paths["png"].stat().st_size > 10_000
    assert "![paired differences" in paths["md"].read_text()


def test_a_run_without_the_recalibrated_field_is_reported_as_lacking_it(tmp_path):
    def old(record):
        if (record["arm"], record["seed"]) == ("bilinear", 1):
            del record["final"]["val_accuracy_recalibrated"]
        return record

    result = fm.build_factor_map([write_study(tmp_path, "s_128to64", edit=old)], labels=LABELS, resamples=200)
    c = comparison(result, 2.0, "learned", "bilinear")
    assert c["moving"]["available"]
    assert not c["recalibrated"]["available"] and c["recalibrated"]["lacking"] == ["bilinear_seed1"]
    assert comparison(result, 2.0, "learned", "antialiased")["recalibrated"]["available"]
    assert "not recorded" in fm.format_factor_map(result)


def test_runs_without_predictions_or_labels_leave_only_the_per_photo_part_out(tmp_path):
    def bare(record):
        record.pop("val_predictions") if record["arm"] == "muller" else None
        return record

    result = fm.build_factor_map([write_study(tmp_path, "s_128to64", edit=bare)], labels=LABELS, resamples=200)
    photo = comparison(result, 2.0, "muller", "bilinear")["moving"]["per_photo"]
    assert not photo["available"] and photo["lacking"][0] == "muller_seed0"
    unlabelled = fm.build_factor_map([tmp_path / "s_128to64"], resamples=200)
    photo = comparison(unlabelled, 2.0, "learned", "bilinear")["moving"]
    assert photo["seeds_interval"]["n"] == 3 and not photo["per_photo"]["available"]


def test_labels_of_another_validation_set_are_refused(tmp_path):
    study = write_study(tmp_path, "s_128to64")
    with pytest.raises(ValueError, match="40 per-photo predictions but the labels have 41"):
        fm.build_factor_map([study], labels=np.zeros(41, int), resamples=200)
    with pytest.raises(ValueError, match="not those of its photos"):
        fm.build_factor_map([study], labels=1 - LABELS, resamples=200)


def test_a_study_not_started_yet_is_all_missing(tmp_path):
    result = fm.build_factor_map([write_study(tmp_path, "s_128to64"), tmp_path / "s_128to16"],
                                 labels=LABELS, expected_seeds=(0, 1), resamples=200)
    eight = result["factors"][1]
    assert eight["factor"] == 8.0 and not eight["started"] and eight["seeds_used"] == []
    assert len(eight["missing_runs"]) == 2 * len(ARMS)
    assert not comparison(result, 8.0, "learned", "bilinear")["moving"]["available"]
    assert "not started" in fm.format_factor_map(result)
    fm.plot_factor_map(result)


def test_a_folder_that_is_not_a_runs_folder_is_refused(tmp_path):
    (tmp_path / "notes_128to64").mkdir()
    (tmp_path / "notes_128to64" / "readme.txt").write_text("hello")
    with pytest.raises(ValueError, match="is not a study's runs folder"):
        fm.build_factor_map([tmp_path / "notes_128to64"], labels=LABELS)


def test_two_studies_at_one_factor_are_refused(tmp_path):
    a, b = write_study(tmp_path, "a_128to64"), write_study(tmp_path, "b_64to32")
    with pytest.raises(ValueError, match="both at factor 2x"):
        fm.build_factor_map([a, b], labels=LABELS)


def test_a_study_without_sizes_is_refused(tmp_path):
    with pytest.raises(ValueError, match="cannot tell its input and target sizes"):
        fm.build_factor_map([write_study(tmp_path, "photos")], labels=LABELS)


def test_a_study_summary_gives_sizes_and_labels(tmp_path):
    study = write_study(tmp_path, "photos")
    (tmp_path / "photos.json").write_text(json.dumps(
        {"config": {"image_size": [96, 96], "target_size": [24, 24]}, "val_labels": LABELS.tolist()}))
    result = fm.build_factor_map([study], resamples=200)  # no labels given: the summary's
    assert result["factors"][0]["factor"] == 4.0
    assert comparison(result, 4.0, "learned", "bilinear")["moving"]["per_photo"]["available"]
    (tmp_path / "photos_128to64.json").write_text(json.dumps(
        {"config": {"image_size": [128, 128], "target_size": [32, 32]}}))
    with pytest.raises(ValueError, match="its name says"):
        fm.study_sizes(tmp_path / "photos_128to64")


def test_runs_of_two_configurations_in_one_folder_are_refused(tmp_path):
    def stale(record):
        record["fingerprint"] = "old" if record["arm"] == "learned" and record["seed"] == 0 else "fp"
        return record

    with pytest.raises(ValueError, match="mixes runs of 2 configurations"):
        fm.build_factor_map([write_study(tmp_path, "s_128to64", edit=stale)], labels=LABELS)


@pytest.mark.parametrize("bad, match", [
    ([], "non-empty list"),
    ("results/x_128to64", "non-empty list"),
])
def test_bad_study_lists_are_refused(bad, match):
    with pytest.raises(ValueError, match=match):
        fm.build_factor_map(bad)


def test_factor_and_comparison_checks():
    assert fm.downsampling_factor((128, 96), (32, 24)) == 4.0
    with pytest.raises(ValueError, match="different factors"):
        fm.downsampling_factor((128, 128), (64, 32))
    assert fm.parse_comparisons("learned-bilinear, muller-bilinear") == (
        ("learned", "bilinear"), ("muller", "bilinear"))
    for bad in ("learned", "learned-learned", "a-b-c", "learned-bilinear,learned-bilinear"):
        with pytest.raises(ValueError, match="invalid comparison"):
            fm.parse_comparisons(bad)


def test_custom_comparisons_choose_the_arms_that_must_be_finished(tmp_path):
    study = write_study(tmp_path, "w_128to64", skip={("antialiased", 0), ("antialiased", 1), ("antialiased", 2)})
    result = fm.build_factor_map([study], labels=LABELS, resamples=200,
                                 comparisons=fm.parse_comparisons("learned-bilinear,muller-bilinear"))
    assert result["factors"][0]["seeds_used"] == [0, 1, 2] and not result["partial"]
    default = fm.build_factor_map([study], labels=LABELS, resamples=200)
    assert default["factors"][0]["seeds_used"] == [] and default["partial"]


def test_the_commands_of_the_map_study_script():
    commands = fm.script_commands(REPO / "resizer_lab" / "scripts" / "map_study.sh", [64, 16])
    assert commands["64"] == (".venv/bin/python -m resizer_lab compare --data ../shared/datasets/cats_vs_dogs "
                              "--image-size 128 --target-size 64 --backbone small_cnn --epochs 12 "
                              "--num-train all --augment --out results --arms "
                              "bilinear,antialiased,learned,more_layers,muller --name map_small_cnn_128to64")
    assert commands["16"].endswith("--name map_small_cnn_128to16")
    with pytest.raises(ValueError, match="no study\\(\\) function"):
        fm.script_commands(REPO / "resizer_lab" / "scripts" / "photo_study.sh", [64])


def test_the_plot_has_two_panels_on_a_log2_axis(three):
    fig = fm.plot_factor_map(three)
    moving, precise = fig.axes
    assert moving.get_xscale() == "log" and [t.get_text() for t in moving.get_xticklabels()] == ["2x", "4x", "8x"]
    assert "precise" in precise.get_title()
    assert not math.isnan(moving.get_ylim()[0])
    # each comparison's bootstrap interval is a pale band from its low to its high end
    boot = comparison(three, 2.0, "learned", "bilinear")["moving"]["per_photo"]["bootstrap"]
    bands = [line for line in moving.get_lines() if line.get_alpha() == 0.2]
    assert len(bands) == 3 * 4  # factors x comparisons, every run has its per-photo predictions
    assert any(list(b.get_ydata()) == pytest.approx([100 * boot["low"], 100 * boot["high"]]) for b in bands)
    assert "bootstrap intervals over photos and seeds" in fig._suptitle.get_text()


def test_equal_differences_over_seeds_are_flagged(tmp_path):
    def same(record):  # learned and antialiased: the same photos right in every seed
        if record["arm"] in ("learned", "antialiased"):
            c = correct_vector(0.8 if record["arm"] == "learned" else 0.7, 99)
            record.update(fake_run(record["arm"], record["seed"], c))
        return record

    result = fm.build_factor_map([write_study(tmp_path, "s_128to64", edit=same)], labels=LABELS, resamples=200)
    ci = comparison(result, 2.0, "learned", "antialiased")["moving"]["seeds_interval"]
    assert ci["n"] == 3 and ci["low"] == ci["high"] == pytest.approx(0.1) and "zero width" in ci["note"]
    assert "(3 seeds, equal differences)" in fm.format_factor_map(result)


def test_findings_name_the_intervals_that_exclude_zero(tmp_path):
    shares = {"bilinear": 0.45, "antialiased": 0.72, "learned": 0.95, "more_layers": 0.75, "muller": 0.7}
    paths = [write_study(tmp_path, "map_128to64", shares=shares), write_study(tmp_path, "map_128to16", seeds=(0,))]
    facts = fm.findings(fm.build_factor_map(paths, labels=LABELS, expected_seeds=(0, 1, 2), resamples=200))
    # learned is right on 50 points more photos than bilinear in every seed: over photos it shows
    excluded = {(m["factor"], m["comparison"], m["view"]) for m in facts["photo_excludes_zero"]}
    assert {(2.0, "learned − bilinear", "moving"), (2.0, "learned − bilinear", "recalibrated")} <= excluded
    assert all(m["bootstrap"]["low"] > 0 or m["bootstrap"]["high"] < 0 for m in facts["photo_excludes_zero"])
    assert (2.0, "learned − bilinear", "moving") in {(m["factor"], m["comparison"], m["view"])
                                                      for m in facts["seeds_excludes_zero"]}
    # 8x has one seed: measured over photos, but no interval over seeds
    assert any(m["factor"] == 8.0 for m in facts["measured"])
    assert not any(m["factor"] == 8.0 for m in facts["seeds_excludes_zero"])
    assert [s["seeds_used"] for s in facts["state"]] == [[0, 1, 2], [0]]


def test_the_statement_carries_every_headline_interval_it_was_built_from(three):
    """The generated paragraph is checked for its numbers, not its wording."""
    facts = fm.findings(three)
    text = fm.format_findings(three)
    assert three["partial"] and [s["missing"] for s in facts["state"]] == [0, 1, 10]
    headline = [m for m in facts["measured"] if m["comparison"] == "learned − bilinear"]
    assert headline
    for m in headline:
        for bound in ("low", "high"):
            assert f"{100 * m['bootstrap'][bound]:+.1f}" in text, (m, text)


def test_the_statement_of_a_level_map_says_none(tmp_path):
    level = {arm: 0.7 for arm in ARMS}
    result = fm.build_factor_map([write_study(tmp_path, "s_128to64", shares=level)], labels=LABELS, resamples=200)
    facts = fm.findings(result)
    assert not result["partial"]
    assert facts["photo_excludes_zero"] == [] and facts["seeds_excludes_zero"] == []


def test_the_time_per_epoch_of_each_arm_is_reported(three):
    # fake runs: 60 s x (1 + seed) for their one epoch; 2x uses seeds 0-2
    t = three["factors"][0]["seconds_per_epoch"]["learned"]
    assert (t["median"], t["min"], t["max"], t["runs"]) == (120.0, 60.0, 180.0, 3)
    text = fm.format_factor_map(three)
    assert "| learned | 60 / 120 / 180 |" in text


def test_the_difference_table_has_a_row_per_factor_and_comparison(three):
    lines = fm.format_difference_table(three).splitlines()
    assert len(lines) == 2 + 3 * 4  # header, rule, 3 factors x 4 comparisons
    assert lines[0].startswith("| factor | paired difference | seeds | moving statistics: over seeds")
    row = next(line for line in lines if line.startswith("| 8x | learned − bilinear |"))
    assert "| 0 | " in row and "(1 seed, no CI)" in row


def test_each_arm_s_mean_accuracy_is_reported_per_factor(three):
    # 2x seeds 0-2: learned scores round((0.8 + 0.025 s) * 40) / 40 per seed s
    expected = np.mean([round((0.8 + 0.025 * s) * PHOTOS) / PHOTOS for s in (0, 1, 2)])
    acc = three["factors"][0]["accuracy"]["learned"]
    assert acc["final"] == pytest.approx(expected) and acc["runs"] == 3
    assert acc["start"] is None and three["factors"][0]["base_reproduced"] is None
    text = fm.format_accuracy_table(three)
    assert "| arm | 2x (seeds 0-2) | 4x (seeds 0-1) | 8x (seed 0) |" in text
    assert f"| learned | {100 * expected:.1f} ({100 * expected:.1f}) |" in text


def test_a_warm_start_reports_where_each_arm_started_and_the_base_it_started_from(tmp_path):
    def warm(record):
        start = 0.5 if record["arm"] in ("learned", "more_layers") else 0.7
        return record | {"start": {"val_accuracy": start, "val_loss": 0.7},
                         "warm_start": {"base_reproduces_study_run": record["seed"] != 1}}

    result = fm.build_factor_map([write_study(tmp_path, "warm_128to64", edit=warm)], labels=LABELS,
                                 resamples=100)
    entry = result["factors"][0]
    assert entry["accuracy"]["learned"]["start"] == 0.5
    assert entry["accuracy"]["muller"]["start"] == pytest.approx(0.7)
    assert entry["base_reproduced"] == {"seeds": 3, "reproduced": 2}
    text = fm.format_accuracy_table(result)
    assert "| learned | 50.0 → " in text
