"""The statistics, checked against values worked out by hand (and in R / a calculator)."""

import math

import pytest

from scorecards import stats


def test_wilson_interval_matches_the_hand_computed_value():
    # 7 of 10: p = 0.7, z = 1.96; centre = (0.7 + 0.19208) / 1.38415 = 0.64450;
    # half = 1.96 * sqrt(0.021 + 0.009604) / 1.38415 = 0.24772  ->  [0.3968, 0.8922]
    interval = stats.wilson_interval(7, 10)

    assert interval.low == pytest.approx(0.3968, abs=1e-4)
    assert interval.high == pytest.approx(0.8922, abs=1e-4)


def test_wilson_interval_at_the_edges_stays_within_zero_and_one():
    assert stats.wilson_interval(0, 5).low == 0.0
    assert stats.wilson_interval(5, 5).high == pytest.approx(1.0)
    assert stats.wilson_interval(0, 0) is None


def test_t_interval_from_sums_matches_the_direct_computation():
    values = [10, 7.5, 7.5, 5, 2.5]
    n, total, total_sq = len(values), sum(values), sum(v * v for v in values)
    # mean 6.5, sd = sqrt(((3.5²+1²+1²+1.5²+4²))/4) = sqrt(32.5/4) = 2.8504; t(0.975, 4) = 2.776445
    interval = stats.t_interval(n, total, total_sq)

    half = 2.776445 * math.sqrt(32.5 / 4) / math.sqrt(5)
    assert interval.low == pytest.approx(6.5 - half, abs=1e-5)
    assert interval.high == pytest.approx(6.5 + half, abs=1e-5)
    assert stats.t_interval(1, 10, 100) is None


def test_two_proportion_z_test_matches_the_hand_computed_p_value():
    # 30/50 vs 20/50: pooled 0.5, se = sqrt(0.25 * 0.04) = 0.1, z = 2.0, p = 0.0455
    assert stats.two_proportion_z_test(30, 50, 20, 50) == pytest.approx(0.04550, abs=1e-4)
    assert stats.two_proportion_z_test(5, 10, 5, 10) == pytest.approx(1.0)
    assert stats.two_proportion_z_test(1, 0, 1, 5) is None


def test_welch_t_test_matches_scipy_on_raw_values():
    from scipy import stats as scipy_stats

    a = [10, 7.5, 7.5, 5, 2.5, 10]
    b = [5, 2.5, 2.5, 0, 5]
    expected = scipy_stats.ttest_ind(a, b, equal_var=False).pvalue

    p = stats.welch_t_test(len(a), sum(a), sum(x * x for x in a), len(b), sum(b), sum(x * x for x in b))

    assert p == pytest.approx(expected, rel=1e-9)
    assert stats.welch_t_test(1, 5, 25, 3, 6, 14) is None
