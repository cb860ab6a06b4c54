"""insights/metrics.py against hand computations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from insights.metrics import coverage, mase, naive_scale, smape


def test_smape_by_hand():
    # |10-8|*2/(18) = 0.2222…, |0-5|*2/5 = 2, |4-4| = 0 → mean 0.7407… → 74.07 %
    assert smape([10, 0, 4], [8, 5, 4]) == pytest.approx((2 * 2 / 18 + 2 + 0) / 3 * 100)


def test_smape_counts_a_zero_pair_as_zero_and_skips_unknown_days():
    assert smape([0, 10], [0, 10]) == 0.0
    assert smape([0, np.nan, 10], [0, 99, 5]) == pytest.approx((0 + 2 * 5 / 15) / 2 * 100)
    assert math.isnan(smape([np.nan], [1]))


def test_mase_by_hand_with_a_season_of_two():
    history = [1, 3, 2, 5, 4]          # seasonal naive errors at lag 2: |2-1|, |5-3|, |4-2| → MAE 5/3
    assert naive_scale(history, season_length=2) == pytest.approx(5 / 3)
    # forecast errors 1 and 3 → MAE 2 → MASE 2 / (5/3) = 1.2
    assert mase([6, 7], [5, 10], history, season_length=2) == pytest.approx(1.2)


def test_mase_scale_ignores_pairs_with_an_unknown_day():
    history = [1, np.nan, 2, 5, 4]     # lag-2 pairs: (1,2) → 1, (nan,5) skipped, (2,4) → 2
    assert naive_scale(history, season_length=2) == pytest.approx(1.5)


def test_mase_is_nan_when_the_scale_is_zero_or_undefined():
    assert math.isnan(mase([1, 2], [1, 2], [5] * 14, season_length=7))   # repeats itself: scale 0
    assert math.isnan(mase([1, 2], [1, 2], [5] * 7, season_length=7))    # no pair a season apart


def test_coverage_counts_the_bounds_as_inside_and_skips_unknown_days():
    assert coverage([1, 2, 3, np.nan], [1, 0, 4, 0], [2, 1, 5, 9]) == pytest.approx(1 / 3)


def test_pairs_of_different_length_are_an_error():
    with pytest.raises(ValueError, match="differ in length"):
        smape([1, 2], [1])
