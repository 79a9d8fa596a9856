"""``resizer_lab.intervals``: two-way (seed x photo) intervals, checked by simulation; Holm."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from resizer_lab.intervals import (
    compare_table,
    correctness,
    format_table,
    holm,
    main,
    pigeonhole_bootstrap,
    pigeonhole_bootstrap_variance,
    simulate_correctness,
    two_way_interval,
    variance_components,
)

RESULTS = Path(__file__).resolve().parents[2] / "results"


def _coverage(replications: int, bootstrap: int = 0, **model) -> tuple[float, float, list]:
    """Coverage of the true difference by the two-way interval (``replications`` data sets)
    and by the pigeonhole bootstrap (the first ``bootstrap`` of them); the two-way SEs."""
    rng = np.random.default_rng(20260)
    hits, boot_hits, ses = 0, 0, []
    for i in range(replications):
        a, b, truth = simulate_correctness(rng, **model)
        interval = two_way_interval(a, b)
        hits += interval.low <= truth <= interval.high
        ses.append(interval.se)
        if i < bootstrap:
            boot = pigeonhole_bootstrap(a, b, resamples=400, seed=i)
            boot_hits += boot["low"] <= truth <= boot["high"]
    return hits / replications, (boot_hits / bootstrap if bootstrap else float("nan")), ses


def test_the_two_way_interval_covers_95_percent_and_the_pigeonhole_bootstrap_more():
    """5 seeds x 476 photos with the variance components of the committed 2x map's learned -
    bilinear (seed about 1e-4, photo 0.04, interaction 0.11: ``simulate_correctness``'s
    defaults) and a true difference of -2 points: the two-way interval covers it about 95% of
    the time; the independent seed x photo bootstrap about 99% (it is too wide)."""
    two_way, pigeonhole, _ = _coverage(1000, bootstrap=300)
    assert 0.92 <= two_way <= 0.98
    assert pigeonhole >= 0.975


def test_the_two_way_interval_holds_when_the_seeds_vary_much():
    """A seed component 14 times larger (seed-to-seed sd about 4 points): Satterthwaite's few
    degrees of freedom keep the coverage near 95%."""
    two_way, _, _ = _coverage(800, sd_seed=0.15)
    assert 0.92 <= two_way <= 0.98


def test_the_components_match_the_simulated_model_and_the_pigeonhole_formula():
    rng = np.random.default_rng(3)
    a, b, _ = simulate_correctness(rng)
    c = variance_components(a.astype(float) - b)
    assert 0.08 < c["var_interaction"] < 0.16 and 0.02 < c["var_photo"] < 0.06
    # the bootstrap's spread is what pigeonhole_bootstrap_variance says, wider than the model's
    boot = pigeonhole_bootstrap(a, b, resamples=4000, seed=1)
    predicted = pigeonhole_bootstrap_variance(c["var_seed"], c["var_photo"], c["var_interaction"], 5, 476)
    assert boot["se"] == pytest.approx(np.sqrt(predicted), rel=0.06)
    assert boot["se"] > 1.1 * two_way_interval(a, b).se


def test_anova_identities_on_an_additive_table():
    rows = np.array([0.0, 1.0, 0.0, 1.0, 1.0])
    d = np.broadcast_to(rows[:, None], (5, 8))  # a seed effect only
    c = variance_components(d)
    assert c["var_interaction"] == pytest.approx(0) and c["var_photo"] == pytest.approx(0)
    assert c["var_seed"] == pytest.approx(np.var(rows, ddof=1))


def test_the_standard_error_is_the_unbiased_combination_of_mean_squares():
    rng = np.random.default_rng(5)
    a, b, _ = simulate_correctness(rng, sd_seed=0.2)
    c = variance_components(a.astype(float) - b)
    assert c["var_seed"] > 0 and c["var_photo"] > 0
    interval = two_way_interval(a, b)
    want = (c["ms_seed"] + c["ms_photo"] - c["ms_interaction"]) / (5 * 476)
    assert interval.se == pytest.approx(np.sqrt(want))
    assert 4 <= interval.df <= 476
    assert interval.high - interval.mean == pytest.approx(interval.mean - interval.low)


def test_holm_adjusts_step_down_in_the_order_given():
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])
    assert holm([]) == []
    with pytest.raises(ValueError, match="p_values"):
        holm([0.1, 1.5])


@pytest.mark.parametrize("a, b, match", [
    (np.ones((5, 4)), np.ones((5, 3)), "one shape"),
    (np.ones((1, 4)), np.ones((1, 4)), "at least 2 seeds"),
    (np.full((2, 4), 2), np.ones((2, 4)), "right/wrong"),
])
def test_bad_inputs_are_refused(a, b, match):
    with pytest.raises(ValueError, match=match):
        two_way_interval(a, b)


def test_the_committed_2x_map_learned_minus_bilinear():
    """The committed 2x map (bilinear shifts): learned - bilinear is -2.4 points; the
    two-way standard error is 1.14 points against the pigeonhole bootstrap's 1.34, and the
    two-way interval excludes zero where the bootstrap's did not."""
    labels = json.loads((RESULTS / "map_small_cnn_128to64.json").read_text())["val_labels"]
    runs = RESULTS / "map_small_cnn_128to64" / "runs"
    learned, bilinear = (correctness(runs, arm, range(5), labels) for arm in ("learned", "bilinear"))
    interval = two_way_interval(learned, bilinear)
    assert round(100 * interval.mean, 1) == -2.4 and round(100 * interval.se, 2) == 1.14
    assert interval.high < 0
    [row] = compare_table([(f"{runs}:learned", f"{runs}:bilinear")], labels, resamples=2000)
    assert row["pigeonhole"]["low"] < row["two_way"]["low"] and row["pigeonhole"]["high"] > 0
    assert row["p_holm"] == pytest.approx(row["two_way"]["p_value"])  # a family of one


def test_pending_comparisons_count_in_the_family_with_a_bound_never_below_holm(tmp_path):
    labels = json.loads((RESULTS / "map_small_cnn_128to64.json").read_text())["val_labels"]
    runs = RESULTS / "map_small_cnn_128to64" / "runs"
    finished = [(f"{runs}:learned", f"{runs}:bilinear"), (f"{runs}:more_layers", f"{runs}:bilinear")]
    later = (f"{tmp_path}:learned", f"{tmp_path}:bilinear")
    rows = compare_table([finished[0], later, finished[1]], labels, resamples=200, allow_pending=True)
    assert rows[1] == {"a": later[0], "b": later[1], "pending": True}  # in the order given
    rows = [rows[0], rows[2], rows[1]]
    p = [r["two_way"]["p_value"] for r in rows[:2]]
    for row, p_value in zip(rows[:2], p, strict=True):
        assert row["p_holm"] == pytest.approx(min(1.0, 3 * p_value))
        assert row["adjustment"] == "Bonferroni bound, 1 of 3 pending"
    for pending_p in (0.0, 0.5, 1.0):  # whatever the pending comparison gives, Holm is lower
        assert all(h <= r["p_holm"] + 1e-12 for h, r in zip(holm([*p, pending_p])[:2], rows[:2], strict=True))
    assert "runs not finished" in format_table(rows)


def test_a_missing_run_is_named_with_the_way_forward(tmp_path, capsys):
    labels = json.loads((RESULTS / "map_small_cnn_128to64.json").read_text())["val_labels"]
    with pytest.raises(ValueError, match=r"no run record .*learned_seed0.json.*--allow-pending"):
        correctness(tmp_path, "learned", [0], labels)
    rc = main(["--labels", str(RESULTS / "map_small_cnn_128to64.json"),
               "--compare", f"{tmp_path}:learned", f"{tmp_path}:bilinear"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "has not finished" in err[0]


def test_the_command_writes_the_family_with_what_it_used(tmp_path, capsys):
    study = RESULTS / "map_small_cnn_128to64.json"
    runs = RESULTS / "map_small_cnn_128to64" / "runs"
    out = tmp_path / "family.json"
    rc = main(["--labels", str(study), "--seeds", "0,1,2", "--json", str(out), "--allow-pending",
               "--compare", f"{runs}:learned", f"{runs}:bilinear", "--compare", f"{tmp_path}:a", f"{tmp_path}:b"])
    assert rc == 0 and "runs not finished" in capsys.readouterr().out
    written = json.loads(out.read_text())
    assert written["seeds"] == [0, 1, 2] and written["view"] == "moving"
    first, second = written["comparisons"]
    assert first["two_way"]["seeds"] == 3 and first["adjustment"] == "Bonferroni bound, 1 of 2 pending"
    assert second["pending"] is True
