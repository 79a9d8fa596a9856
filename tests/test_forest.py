"""``resizer_lib.viz.forest``: paired differences with their intervals, in one figure."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import pytest

from resizer_lib.training.studies import load_study
from resizer_lib.viz.forest import Difference, difference_from_summary, plot_forest

SUMMARY = {"pairs": [{"a": "bilinear", "b": "learned", "mean": -0.4, "low": -0.5, "high": -0.3, "n": 3}]}


def test_the_pair_is_read_in_either_order():
    ab = difference_from_summary(SUMMARY, "learned", "bilinear", "x")
    assert (ab.mean, ab.low, ab.high, ab.n) == (0.4, 0.3, 0.5, 3) and ab.excludes_zero
    ba = difference_from_summary(SUMMARY, "bilinear", "learned", "x")
    assert (ba.mean, ba.low, ba.high) == (-0.4, -0.5, -0.3)


def test_a_missing_pair_names_the_pairs_there_are():
    with pytest.raises(ValueError, match="no pair 'muller'-'bilinear'.*bilinear-learned"):
        difference_from_summary(SUMMARY, "muller", "bilinear", "x")


def test_an_interval_that_misses_its_mean_is_refused():
    with pytest.raises(ValueError, match="must contain the mean"):
        Difference("bad", 0.5, 0.0, 0.1, 3)
    assert not Difference("one seed", 0.1, math.nan, math.nan, 1).excludes_zero


def test_the_committed_cpu_study_reads_as_the_readme_says():
    cpu = load_study("photos_small_cnn_128to64")["summary"]
    row = difference_from_summary(cpu, "learned", "bilinear", "CPU")
    assert row.n == 5 and row.high < 0 and row.excludes_zero


def test_the_figure_has_one_tick_per_row_and_a_zero_line():
    rows = [Difference("a", 0.1, 0.05, 0.15, 3), Difference("b", -0.01, -0.05, 0.03, 5)]
    ax = plot_forest(rows, title="t")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b  (n=5)", "a  (n=3)"]
    assert ax.get_title() == "t"
    with pytest.raises(ValueError, match="at least one"):
        plot_forest([])
