"""The A/B statistics against scipy and against known truths (simulated experiments)."""

import math

import numpy as np
import pytest
from scipy import stats

from insights.abtests.stats import chi_square, lift, lift_interval, sample_per_variant


def _pearson(table: np.ndarray, yates: bool) -> float:
    """Chi-square p-value written out (Pearson, with Yates' |O − E| − ½ when asked): the
    independent computation both scipy and our wrapper must agree with."""
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    gap = np.abs(table - expected)
    if yates:
        gap = gap - np.minimum(0.5, gap)
    statistic = (gap**2 / expected).sum()
    return stats.chi2.sf(statistic, (table.shape[0] - 1) * (table.shape[1] - 1))


def _random_tables(rng, count: int, variants: int, max_trials: int):
    for _ in range(count):
        trials = rng.integers(1, max_trials, size=variants)
        successes = rng.binomial(trials, rng.uniform(0.02, 0.98))
        table = np.column_stack([successes, trials - successes])
        if (table.sum(axis=0) > 0).all():
            yield successes, trials, table


@pytest.mark.parametrize(("variants", "max_trials"), [(2, 12), (2, 60), (2, 100_000), (3, 15), (4, 500), (6, 50_000)])
def test_p_values_equal_scipy_on_random_tables(variants, max_trials):
    rng = np.random.default_rng(variants * 1000 + max_trials)
    checked = 0
    for successes, trials, table in _random_tables(rng, 300, variants, max_trials):
        ours = chi_square(successes, trials)
        reference = stats.chi2_contingency(table)  # scipy's default: correction=True
        assert ours.p_value == pytest.approx(reference.pvalue, abs=1e-9, rel=0)
        assert ours.statistic == pytest.approx(reference.statistic, abs=1e-9, rel=1e-12)
        assert ours.dof == variants - 1
        assert ours.p_value == pytest.approx(_pearson(table, yates=variants == 2), abs=1e-9, rel=0)
        checked += 1
    assert checked > 200  # tables without a success (or a failure) are skipped: few, even with small counts


def test_yates_correction_applies_to_2x2_only():
    two = chi_square([30, 45], [400, 410])
    table = np.array([[30, 370], [45, 365]])
    assert two.correction
    assert two.p_value == pytest.approx(stats.chi2_contingency(table, correction=True).pvalue, abs=1e-12)
    # the correction moves a 2×2 p-value upwards (more conservative)
    assert two.p_value > stats.chi2_contingency(table, correction=False).pvalue + 1e-3
    three = chi_square([30, 45, 38], [400, 410, 405])
    assert not three.correction
    table3 = np.array([[30, 370], [45, 365], [38, 367]])
    assert three.p_value == pytest.approx(stats.chi2_contingency(table3, correction=False).pvalue, abs=1e-12)


@pytest.mark.parametrize(("successes", "trials"), [([0, 0], [10, 20]), ([10, 20], [10, 20]), ([3, 0], [9, 0])])
def test_undefined_tables_give_nan_not_an_error(successes, trials):
    result = chi_square(successes, trials)
    assert math.isnan(result.p_value) and math.isnan(result.statistic)


def test_counts_that_cannot_be_a_table_are_refused():
    with pytest.raises(ValueError, match="successes <= trials"):
        chi_square([11, 3], [10, 9])
    with pytest.raises(ValueError, match="at least 2 variants"):
        chi_square([1], [10])


def test_lift_is_relative_difference_of_rates():
    assert lift(50, 1000, 60, 1000) == pytest.approx(0.2)
    assert lift(50, 1000, 40, 500) == pytest.approx(0.6)
    assert math.isnan(lift(0, 1000, 40, 500))


def test_lift_interval_covers_the_true_lift_at_its_confidence():
    """Known truth: 2,000 simulated experiments with p_a = 4 %, p_b = 5 % (true lift 25 %)."""
    rng = np.random.default_rng(12)
    n_a, n_b, p_a, p_b = 6000, 5000, 0.04, 0.05
    s_a, s_b = rng.binomial(n_a, p_a, 2000), rng.binomial(n_b, p_b, 2000)
    for confidence in (0.95, 0.80):
        covered = [lo <= p_b / p_a - 1 <= hi
                   for lo, hi in (lift_interval(a, n_a, b, n_b, confidence) for a, b in zip(s_a, s_b, strict=True))]
        assert abs(np.mean(covered) - confidence) < 0.025


def test_lift_interval_contains_the_lift_and_is_nan_without_successes():
    low, high = lift_interval(50, 1000, 60, 1000, 0.95)
    assert low < lift(50, 1000, 60, 1000) < high
    assert all(math.isnan(v) for v in lift_interval(0, 1000, 60, 1000, 0.95))


def _power(rate_a: float, rate_b: float, n: int, alpha: float) -> float:
    """Power of the two-sided two-proportion z-test with n per group (normal approximation)."""
    mean = (rate_a + rate_b) / 2
    null_se = math.sqrt(2 * mean * (1 - mean) / n)
    alt_se = math.sqrt((rate_a * (1 - rate_a) + rate_b * (1 - rate_b)) / n)
    return stats.norm.cdf((abs(rate_a - rate_b) - stats.norm.ppf(1 - alpha / 2) * null_se) / alt_se)


@pytest.mark.parametrize(("rate_a", "rate_b", "alpha"), [(0.10, 0.12, 0.05), (0.30, 0.25, 0.01), (0.02, 0.03, 0.1)])
def test_sample_per_variant_reaches_power_0_8_and_no_fewer_would(rate_a, rate_b, alpha):
    n = sample_per_variant(rate_a, rate_b, alpha)
    assert _power(rate_a, rate_b, n, alpha) >= 0.8 > _power(rate_a, rate_b, n - 1, alpha)


def test_sample_per_variant_by_simulation():
    """Known truth: at the computed n, about 80 % of simulated z-tests reject."""
    rate_a, rate_b, alpha = 0.10, 0.13, 0.05
    n = sample_per_variant(rate_a, rate_b, alpha)
    rng = np.random.default_rng(3)
    s_a, s_b = rng.binomial(n, rate_a, 4000), rng.binomial(n, rate_b, 4000)
    pooled = (s_a + s_b) / (2 * n)
    z = (s_b - s_a) / n / np.sqrt(2 * pooled * (1 - pooled) / n)
    assert abs(np.mean(np.abs(z) > stats.norm.ppf(1 - alpha / 2)) - 0.8) < 0.03
    assert math.isnan(sample_per_variant(0.1, 0.1, 0.05))
