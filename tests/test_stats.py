"""Confidence intervals against values computed by hand."""

import math

import numpy as np
import pytest

from resizer_lib.training.stats import mean_ci, mean_std, paired_difference


def test_paired_difference_by_hand():
    # d = [0.2, 0.05, 0.2]; mean 0.15; s_d = sqrt(0.0075) = 0.0866; half = 4.3027 * 0.0866 / sqrt(3) = 0.21513
    ci = paired_difference([0.8, 0.7, 0.9], [0.6, 0.65, 0.7])
    assert ci.mean == pytest.approx(0.15)
    assert ci.std == pytest.approx(math.sqrt(0.0075))
    assert ci.low == pytest.approx(0.15 - 0.215133, abs=1e-5)
    assert ci.high == pytest.approx(0.15 + 0.215133, abs=1e-5)
    assert not ci.excludes_zero()


def test_consistent_difference_excludes_zero():
    ci = paired_difference([0.9, 0.91, 0.92, 0.93, 0.94], [0.8, 0.8, 0.81, 0.83, 0.83])
    assert ci.excludes_zero() and ci.low > 0


def test_single_seed_has_no_interval():
    ci = mean_ci([0.7])
    assert ci.mean == 0.7 and math.isnan(ci.low) and math.isnan(ci.high)
    assert "no CI" in str(ci)


def test_mean_std_uses_sample_std():
    assert mean_std([1.0, 2.0, 3.0, 4.0]) == pytest.approx((2.5, math.sqrt(5 / 3)))


@pytest.mark.parametrize("a, b, pattern", [([], [], "empty"), ([1.0], [1.0, 2.0], "equal lengths"),
                                           ([float("nan")], [1.0], "NaN")])
def test_bad_inputs(a, b, pattern):
    with pytest.raises(ValueError, match=pattern):
        paired_difference(a, b)




















@pytest.mark.parametrize("level", [0, 1, 1.5, -0.1, 95])
def test_a_level_outside_zero_one_is_refused(level):
    with pytest.raises(ValueError, match="level must be a probability"):
        mean_ci([1.0, 2.0, 3.0], level=level)


def test_the_interval_agrees_with_scipy_and_with_the_formula():
    from scipy import stats

    vals = [0.61, 0.58, 0.66, 0.70, 0.55]
    ci = mean_ci(vals, level=0.9)
    m, s, n = np.mean(vals), np.std(vals, ddof=1), len(vals)
    half = stats.t.ppf(0.95, n - 1) * s / np.sqrt(n)
    assert ci.low == pytest.approx(m - half, abs=1e-12) and ci.high == pytest.approx(m + half, abs=1e-12)
