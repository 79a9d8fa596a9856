"""``resizer_lab.photo_tests``: McNemar's exact test and the paired bootstrap, by hand."""

import numpy as np
import pytest


def test_mcnemar_matches_the_exact_binomial_test_by_hand():
    from math import comb

    from resizer_lab.photo_tests import mcnemar

    a = np.array([1] * 10 + [0] * 2 + [1] * 30 + [0] * 8, bool)  # 10 only-a, 2 only-b, 30 both, 8 neither
    b = np.array([0] * 10 + [1] * 2 + [1] * 30 + [0] * 8, bool)
    result = mcnemar(a, b)
    by_hand = 2 * sum(comb(12, k) for k in range(0, 3)) / 2**12  # two-sided, min(b, c) = 2
    assert (result["a_only"], result["b_only"], result["discordant"]) == (10, 2, 12)
    assert result["p_value"] == pytest.approx(by_hand)
    assert mcnemar(a, a)["p_value"] == 1.0
    with pytest.raises(ValueError, match="same photos"):
        mcnemar(a, b[:-1])


def test_paired_bootstrap_covers_the_difference_and_is_seeded():
    from resizer_lab.photo_tests import paired_bootstrap

    rng = np.random.default_rng(0)
    a = rng.random((5, 400)) < 0.82  # five seeds of an 82 % arm and a 78 % arm
    b = rng.random((5, 400)) < 0.78
    ci = paired_bootstrap(a, b, resamples=2000, seed=1)
    assert ci.low < ci.mean < ci.high and ci.low < 0.04 < ci.high
    assert ci.mean == pytest.approx(a.mean() - b.mean())
    again = paired_bootstrap(a, b, resamples=2000, seed=1)
    assert (again.low, again.high) == (ci.low, ci.high)
    narrow = paired_bootstrap(a, b, resamples=2000, seed=1, resample_seeds=False)
    assert narrow.high - narrow.low <= (ci.high - ci.low) * 1.1
    same = paired_bootstrap(a, a, resamples=200)
    assert same.mean == same.low == same.high == 0.0
    with pytest.raises(ValueError, match="one shape"):
        paired_bootstrap(a, b[:, :10])
    with pytest.raises(ValueError, match="right/wrong"):
        paired_bootstrap(a * 2, b)
