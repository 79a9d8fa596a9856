"""``resizer_lab.reports``: summaries, tables and the files of a study."""

from __future__ import annotations

import json

import pytest
from results_fixtures import fake_results

from resizer_lab import reports
from resizer_lab.reports import format_table
from resizer_lib.training.stats import summarise

# Not `multibackend`: the reports read run records with NumPy; the training that writes them runs
# on both backends in tests/test_runner.py.




def test_report_names_a_broken_record_and_the_way_forward(tmp_path):
    from resizer_lab.reports import load_runs

    (tmp_path / "learned_seed0.json").write_text('{"arm": "lea')
    with pytest.raises(ValueError, match=r"learned_seed0.json is not valid JSON .*rerun the study"):
        load_runs(tmp_path)


def test_summary_pairs_by_seed():
    runs = [{"arm": arm, "seed": s, "final": {"val_accuracy": acc}}
            for arm, accs in {"bilinear": [0.6, 0.65, 0.7], "learned": [0.8, 0.7, 0.9]}.items()
            for s, acc in enumerate(accs)]
    summary = summarise(runs, ["learned", "bilinear"])
    assert summary["arms"]["learned"]["mean"] == pytest.approx(0.8)
    (pair,) = summary["pairs"]
    assert (pair["a"], pair["b"]) == ("learned", "bilinear")
    assert pair["differences"] == pytest.approx([0.2, 0.05, 0.2])
    assert pair["high"] == pytest.approx(0.365133, abs=1e-5)
    table = format_table(summary)
    assert "learned - bilinear" in table and "+15.00%" in table


def test_markdown_report_numbers_come_from_the_runs():
    from resizer_lab.reports import format_markdown

    md = format_markdown(fake_results({"bilinear": [0.6, 0.65, 0.7], "learned": [0.8, 0.7, 0.9],
                                       "full_res": [0.9, 0.85, 0.95]}))
    assert "| bilinear | 65.0 ± 5.0 % | 60.0, 65.0, 70.0 |" in md
    # learned - bilinear: d = [0.2, 0.05, 0.2], mean 15.0, CI 15.0 -/+ 21.5 (test above, by hand)
    assert "| learned − bilinear | 3 | +15.0 points | [-6.5, +36.5] (2 d.f.) |" in md
    assert "| full_res − bilinear | 3 | +25.0 points |" in md  # against the baseline: arm − baseline
    assert "| learned − full_res | 3 | -10.0 points |" in md
    assert "the resizer recovers +15.0 of them: 60%" in md  # 15 of the 25-point resolution gap
    assert "2,692 train / 476 val" in md and "2026-11-25 to 2026-11-25" not in md
    assert "Test CPU, 2 cores" in md and "4.5 h of training" in md  # 9 runs x 0.5 h


def test_paired_reads_a_difference_in_either_order():
    from resizer_lab.reports import paired

    summary = fake_results({"bilinear": [0.6, 0.65, 0.7], "learned": [0.8, 0.7, 0.9]})["summary"]
    forward, backward = paired(summary, "learned", "bilinear"), paired(summary, "bilinear", "learned")
    assert forward["mean"] == pytest.approx(0.15) and forward["n"] == 3
    assert forward["low"] == pytest.approx(-0.065133, abs=1e-5)  # by hand in the test above
    assert backward == {"mean": pytest.approx(-0.15), "low": pytest.approx(-forward["high"]),
                        "high": pytest.approx(-forward["low"]), "n": 3}
    with pytest.raises(ValueError, match="No pair 'learned' − 'full_res'.*bilinear"):
        paired(summary, "learned", "full_res")


def test_markdown_report_names_the_versions_the_runs_trained_with():
    from resizer_lab.reports import format_markdown

    results = fake_results({"bilinear": [0.6, 0.7], "learned": [0.8, 0.7]})
    md = format_markdown(results)  # runs without versions: only the summarising call's are known
    assert "summarised with Keras 3.x / tensorflow 2.x" in md
    for run, jax in zip(results["runs"], ["0.11.2", "0.11.2", "0.10.2", "0.11.2"], strict=True):
        run["software"] = f"Keras 3.15.1 / jax {jax}, Python 3.12.3"
    md = format_markdown(results)
    assert "Keras 3.15.1 / jax 0.10.2, Python 3.12.3; Keras 3.15.1 / jax 0.11.2, Python 3.12.3" in md
    assert "summarised with" not in md and "tensorflow 2.x" not in md


def test_markdown_report_of_one_seed_claims_no_spread():
    from resizer_lab.reports import format_markdown

    md = format_markdown(fake_results({"bilinear": [0.834], "learned": [0.815]}))
    assert "| bilinear | 83.4 % | 83.4 |" in md and "±" not in md.split("| paired")[0].split("\n", 2)[2]
    assert "| learned − bilinear | 1 | -1.9 points | n/a (one seed) |" in md
    assert "resolution gap" not in md.lower()  # no full_res arm, no gap claimed
    worse = format_markdown(fake_results({"bilinear": [0.8, 0.82], "learned": [0.81, 0.8],
                                          "full_res": [0.75, 0.78]}))
    assert "-4.5 points: this backbone did no better at full resolution" in worse
    assert "recovers" not in worse


def test_progress_grid_shows_finished_runs_and_gaps(tmp_path):
    from resizer_lab.reports import format_progress, load_runs

    runs = fake_results({"learned": [0.8, 0.7], "bilinear": [0.6, 0.65]})["runs"]
    runs = [r for r in runs if not (r["arm"] == "learned" and r["seed"] == 1)]  # still training
    for r in runs:
        (tmp_path / f"{r['arm']}_seed{r['seed']}.json").write_text(json.dumps(r))
    (tmp_path / "learned_seed1.csv").write_text("epoch,accuracy\n0,0.5\n")  # a run in flight
    md = format_progress(load_runs(tmp_path))
    lines = md.splitlines()
    assert lines[0] == "| arm | seed 0 | seed 1 | runs | mean ± std |"
    assert lines[2] == "| bilinear | 60.0 (30 min) | 65.0 (30 min) | 2 | 62.5 ± 3.5 % |"
    assert lines[3] == "| learned | 80.0 (30 min) | — | 1 | 80.0 % |"
    assert "3 of 4 (arm, seed) runs finished" in md


def test_load_runs_refuses_empty_and_foreign_folders(tmp_path):
    from resizer_lab.reports import load_runs

    with pytest.raises(ValueError, match="No runs folder"):
        load_runs(tmp_path / "missing")
    with pytest.raises(ValueError, match="holds no finished runs"):
        load_runs(tmp_path)
    (tmp_path / "notes.json").write_text('{"hello": 1}')
    with pytest.raises(ValueError, match=r"notes.json is not a finished run of compare \(KeyError"):
        load_runs(tmp_path)


def test_study_order_puts_the_study_arms_first_and_other_interpolations_after():
    from resizer_lab.reports import study_order

    assert study_order(["nearest", "full_res", "learned", "bicubic", "bilinear", "learned"]) == [
        "bilinear", "learned", "full_res", "bicubic", "nearest"]


def test_a_study_with_per_photo_predictions_reports_bootstrap_and_mcnemar(tmp_path):
    from test_runner import tiny_config, tiny_data

    from resizer_lab.reports import format_markdown, run_study

    config = tiny_config(tmp_path, epochs=1, seeds=(0, 1))
    results = run_study(config, data=tiny_data())
    assert len(results["val_labels"]) == 16
    assert (tmp_path / f"{config.name}.json").is_file() and (tmp_path / f"{config.name}.md").is_file()
    for view in ("moving", "recalibrated"):
        pairs = results["per_photo"][view]
        assert [(p["a"], p["b"]) for p in pairs] == [("bilinear", "learned")]
        ci, tests = pairs[0]["bootstrap"], pairs[0]["mcnemar"]
        assert ci["low"] <= ci["mean"] <= ci["high"] and [t["seed"] for t in tests] == [0, 1]
        assert all(0.0 <= t["p_value"] <= 1.0 for t in tests)
    text = format_markdown(results)
    assert "Per photo (16 validation photos, moving" in text and "McNemar p per seed" in text


@pytest.mark.slow
def test_reports_show_both_or_say_the_second_was_not_recorded(tmp_path):
    from test_runner import tiny_config, tiny_data

    from resizer_lib.training import compare

    results = compare(tiny_config(tmp_path, epochs=1), data=tiny_data())
    text = reports.format_markdown(results)
    assert "val_accuracy_recalibrated" in text and text.count("paired difference") == 2
    old = results | {"summary_recalibrated": None,
                     "runs": [r | {"final": {k: v for k, v in r["final"].items() if "recal" not in k}}
                              for r in results["runs"]]}
    assert "not recorded for these runs" in reports.format_markdown(old)
