"""The detector on series whose truth is known: injected anomalies, pure noise, missing days."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from insights.anomalies import DetectorSettings, detect
from insights.frames import InsightsInputError

WEEKLY = np.array([1.0, 1.1, 1.05, 0.95, 0.9, 1.3, 1.4])


def creator_series(days=120, level=1200.0, noise=0.05, seed=0, start="2026-01-05", series_id="a"):
    rng = np.random.default_rng(seed)
    ds = pd.date_range(start, periods=days, freq="D")
    y = np.round(level * WEEKLY[ds.dayofweek] * rng.lognormal(0, noise, days))
    return pd.DataFrame({"series_id": series_id, "ds": ds, "y": y})


def test_an_obvious_spike_and_drop_are_flagged_on_their_day_with_direction_and_weekday():
    frame = creator_series()
    spike_day, drop_day = 60, 90                 # 2026-03-06 is a Friday, 2026-04-05 a Sunday
    frame.loc[spike_day, "y"] *= 4.8
    frame.loc[drop_day, "y"] *= 0.38
    judged = detect(frame, metric="views")
    flagged = judged[judged.is_anomaly]
    assert list(flagged.ds) == [frame.ds[spike_day], frame.ds[drop_day]]
    spike, drop = flagged.iloc[0], flagged.iloc[1]
    assert (spike.direction, drop.direction) == ("spike", "drop")
    assert spike.score > 3.5 and drop.score < -3.5 and drop.severity == -drop.score
    assert spike.reason.startswith("views ") and "× the expected " in spike.reason
    assert spike.reason.endswith("for a Friday") and drop.reason.endswith("for a Sunday")
    assert f"{spike.y / spike.expected:.1f}×" in spike.reason
    assert f"{spike.expected:,.0f}" in spike.reason and "," in f"{spike.expected:,.0f}"  # 1,000s separated
    assert f"{(1 - drop.y / drop.expected) * 100:.0f} % below" in drop.reason
    assert spike.lower <= spike.expected <= spike.upper < spike.y and drop.y < drop.lower


def test_false_positive_rate_on_long_clean_noise_matches_the_threshold():
    rng = np.random.default_rng(7)
    days, count = 1500, 12
    ds = pd.date_range("2020-01-01", periods=days, freq="D")
    frame = pd.concat([pd.DataFrame({"series_id": f"s{i}", "ds": ds, "y": 1000 + 40 * rng.standard_normal(days)})
                       for i in range(count)])
    judged = detect(frame)
    rate = judged.is_anomaly.mean()
    nominal = 2 * stats.norm.sf(3.5)             # 0.047 % under normal noise
    print(f"false-positive rate on {len(judged)} clean points: {rate:.4%} (normal tail {nominal:.4%})")
    assert len(judged) > 0.95 * days * count
    assert rate <= 3 * nominal


def test_after_a_level_shift_the_shift_is_flagged_then_the_baseline_follows():
    frame = creator_series(days=160, noise=0.04, seed=3)
    shift = 80
    frame.loc[shift:, "y"] *= 2.5
    judged = detect(frame).set_index("ds")
    flags = judged.is_anomaly
    assert flags[frame.ds[shift]] and judged.direction[frame.ds[shift]] == "spike"
    assert not flags[flags.index >= frame.ds[shift + 7]].any()     # adapted within a week
    assert not flags[flags.index < frame.ds[shift]].any()


def test_missing_days_are_skipped_never_read_as_zero():
    frame = creator_series(seed=5)
    gaps = [40, 41, 70]
    frame.loc[gaps, "y"] = np.nan
    judged = detect(frame)
    assert not judged.ds.isin(frame.ds[gaps]).any()
    assert judged.y.notna().all() and not judged.is_anomaly.any()
    zeros = frame.fillna({"y": 0.0})             # the same days as 0 would be drops
    assert detect(zeros).query("is_anomaly").ds.isin(frame.ds[gaps]).any()
    sparse = frame.dropna()                      # rows left out = the same as NaN rows
    pd.testing.assert_frame_equal(detect(sparse), judged)


def test_no_look_ahead_appending_points_never_changes_an_earlier_verdict():
    frame = creator_series(days=150, seed=11)
    frame.loc[[50, 100], "y"] *= [5.0, 0.2]
    early = detect(frame.iloc[:90])
    late = detect(frame).iloc[: len(early)]
    pd.testing.assert_frame_equal(early, late)


def test_min_change_keeps_tiny_series_quiet():
    frame = creator_series(level=3, noise=0.0, seed=1)
    frame.loc[60, "y"] = 9                       # a 3× jump of 6 views
    assert detect(frame).query("is_anomaly").ds.tolist() == [frame.ds[60]]
    assert not detect(frame, DetectorSettings(min_change=50)).is_anomaly.any()


def test_series_with_negative_values_are_judged_on_the_raw_scale():
    rng = np.random.default_rng(2)
    ds = pd.date_range("2026-01-01", periods=100, freq="D")
    y = np.round(5 + 20 * rng.standard_normal(100))
    y[70] = -400                                  # a wave of unfollows
    judged = detect(pd.DataFrame({"series_id": "net", "ds": ds, "y": y}), metric="followers_net")
    flagged = judged[judged.is_anomaly]
    assert flagged.ds.tolist() == [ds[70]] and flagged.direction.iloc[0] == "drop"
    assert flagged.reason.iloc[0].startswith("followers_net -400 where ")
    with pytest.raises(InsightsInputError, match="negative"):
        detect(pd.DataFrame({"series_id": "net", "ds": ds, "y": y}), DetectorSettings(multiplicative=True))


def test_hourly_series_have_a_daily_season_and_say_the_hour():
    rng = np.random.default_rng(4)
    ds = pd.date_range("2026-03-02", periods=24 * 21, freq="h")
    daily = 1 + 0.8 * np.sin(2 * np.pi * ds.hour / 24)
    y = np.round(500 * np.asarray(daily) * rng.lognormal(0, 0.05, len(ds)))
    spike = 24 * 15 + 14                          # 2026-03-17 14:00, a Tuesday
    y[spike] *= 4
    judged = detect(pd.DataFrame({"series_id": "h", "ds": ds, "y": y}), metric="views")
    flagged = judged[judged.is_anomaly]
    assert flagged.ds.tolist() == [ds[spike]]
    assert flagged.reason.iloc[0].endswith("for Tuesday 14:00")


def test_bad_frames_and_settings_are_refused_with_the_problem_named():
    with pytest.raises(InsightsInputError, match="lacks column"):
        detect(pd.DataFrame({"ds": [], "y": []}))
    with pytest.raises(InsightsInputError, match="threshold"):
        detect(creator_series(), DetectorSettings(threshold=0))


def test_a_stuck_feed_does_not_shrink_the_noise_until_every_normal_day_after_it_is_flagged():
    # regression: a month of identical values (a broken connection repeating the last count) made σ ~0
    frame = creator_series(days=200, noise=0.05, seed=8)
    frame.loc[80:119, "y"] = 500.0
    flags = detect(frame).set_index("ds").is_anomaly
    assert flags[frame.ds[80]]                                       # the feed going stuck is a drop
    assert flags[frame.ds[120]]                                      # the way back out is judged
    assert not flags[flags.index >= frame.ds[127]].any()             # and normal days after it are quiet
