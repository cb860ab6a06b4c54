"""Account drops on hand-made frames: the expected level (same weekday), the drop condition and the
likely cause (a broken connection vs a real decline)."""

from datetime import date, timedelta

import pandas as pd
import pytest

from core.workspace import AlertSettings
from insights.alerts.drops import BROKEN, DECLINE, drop_episodes, judge_accounts

START = date(2026, 9, 7)  # a Monday
DAYS = 56
LAST = START + timedelta(days=DAYS - 1)
WEEKDAY_VIEWS = [10_000, 11_000, 12_000, 12_500, 11_500, 8_000, 7_000]


def account_days(last=None) -> pd.DataFrame:
    rows = []
    for i in range(DAYS):
        day = START + timedelta(days=i)
        rows.append({"platform": "instagram", "account_id": "17841", "metric_date": day,
                     "views": float(WEEKDAY_VIEWS[day.weekday()] + 37 * (i % 3)), "engagements": 300.0,
                     "followers": 5_000.0 + 10 * i, "posts_total": 50.0})
    frame = pd.DataFrame(rows)
    if last:
        for column, value in last.items():
            frame.loc[frame.index[-1], column] = value
    return frame


def syncs(status="success", rows=500) -> pd.DataFrame:
    return pd.DataFrame([{"platform": "instagram", "account_id": "17841", "status": status, "rows_loaded": rows}])


def episodes(frame, sync) -> pd.DataFrame:
    return drop_episodes(frame, sync, AlertSettings(), LAST - timedelta(days=13), LAST)


def test_expected_is_the_median_of_the_same_weekday_of_the_previous_four_weeks():
    judged = judge_accounts(account_days(), AlertSettings(), LAST - timedelta(days=13), LAST)
    row = judged.iloc[-1]
    previous = [START + timedelta(days=DAYS - 1 - 7 * k) for k in (1, 2, 3, 4)]
    values = [WEEKDAY_VIEWS[d.weekday()] + 37 * ((d - START).days % 3) for d in previous]
    assert row.expected == pytest.approx(pd.Series(values).median())
    assert row.basis == f"a usual {LAST:%A}" and not judged["drop"].any()


def test_a_drop_to_exactly_zero_with_a_failed_last_sync_is_a_broken_connection():
    frame = account_days(last={"views": 0.0, "engagements": 0.0, "followers": 5_000.0 + 10 * (DAYS - 2)})
    [episode] = episodes(frame, syncs("failed", 0)).itertuples()
    assert (episode.likely_cause, episode.episode_start, episode.status) == (BROKEN, LAST, "open")
    assert "the latest sync failed" in episode.evidence
    assert "the views are exactly 0 although the account has posts" in episode.evidence
    assert "followers stopped changing" in episode.evidence


def test_a_sixty_percent_drop_with_other_metrics_moving_is_a_real_decline():
    expected = judge_accounts(account_days(), AlertSettings(), LAST, LAST).iloc[0].expected
    frame = account_days(last={"views": round(0.4 * expected) - 1, "engagements": 120.0})
    [episode] = episodes(frame, syncs()).itertuples()
    assert episode.likely_cause == DECLINE and episode.ratio == pytest.approx(0.4, abs=0.01)
    assert "followers are still changing" in episode.evidence


def test_a_smaller_dip_is_not_a_drop():
    expected = judge_accounts(account_days(), AlertSettings(), LAST, LAST).iloc[0].expected
    assert episodes(account_days(last={"views": 0.5 * expected}), syncs()).empty


def test_an_old_drop_does_not_blame_todays_failed_sync():
    frame = account_days()
    old = frame.index[-10]
    frame.loc[old, ["views", "engagements"]] = [0.0, 0.0]
    [episode] = episodes(frame, syncs("failed", 0)).itertuples()
    assert "the latest sync failed" not in episode.evidence and episode.status == "closed"
