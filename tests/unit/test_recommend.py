"""Recommendations on hand-made post frames whose effects are known (drawn here): a clear effect is
found with high confidence and an interval holding the truth, thin or null data stays low, the
thresholds and the milestone dates follow their definitions, and reruns are identical."""

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from insights.recommend import recommend
from insights.recommend.confidence import two_sample
from insights.recommend.content import content_formats
from insights.recommend.frequency import posting_frequency
from insights.recommend.hashtags import trending_hashtags
from insights.recommend.milestones import milestones
from insights.recommend.posting_time import best_posting_times
from insights.recommend.posts import rated

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
TODAY = NOW.date()
PRIME = np.log(1.4)


def posts_frame(n: int, seed: int, prime_effect: float = 0.0, sigma: float = 0.3, days: int = 112,
                formats=(("video", 0.0),), account: str = "a1") -> pd.DataFrame:
    """n posts spread over the `days` before TODAY; log engagement rate = format effect + prime effect
    (Tue–Thu 17–20 h) + N(0, sigma²) noise."""
    rng = np.random.default_rng(seed)
    weekday, hour = rng.integers(1, 8, n), rng.integers(0, 24, n)
    pick = rng.integers(0, len(formats), n)
    prime = (weekday >= 2) & (weekday <= 4) & (hour >= 17) & (hour <= 20)
    log_rate = np.log(4.0) + np.array([f[1] for f in formats])[pick] + prime * prime_effect + rng.normal(0, sigma, n)
    return pd.DataFrame({
        "platform": "youtube", "account_id": account, "post_key": [f"youtube:{account}-{i:04d}" for i in range(n)],
        "published_date_local": [TODAY - timedelta(days=int(d)) for d in rng.integers(1, days, n)],
        "weekday": weekday, "hour": hour, "format": np.array([f[0] for f in formats])[pick], "hashtags": None,
        "duration_s": None, "engagement_rate": np.exp(log_rate), "engagements": np.exp(log_rate) * 100})


def test_a_clear_prime_time_effect_is_found_with_high_confidence():
    [row] = best_posting_times(rated(posts_frame(400, 1, PRIME)), NOW)
    data = row["insight_data"]
    assert data["block"] == "Tuesday–Thursday 17–21 h" and data["scope"] == "account"
    assert row["confidence_label"] == "high" and row["confidence_score"] > 0.99
    assert data["ratio_low_95"] < 1.4 < data["ratio_high_95"]
    assert row["text"].startswith("Post on Tuesday–Thursday 17–21 h: your posts then earned 1.")


def test_the_same_effect_on_six_posts_has_low_confidence():
    [row] = best_posting_times(rated(posts_frame(6, 1, PRIME)), NOW)  # too few: the prior, low
    assert row["method"] == "prior" and row["confidence_label"] == "low"
    effect = two_sample(np.log(1.4) + np.random.default_rng(2).normal(0, 0.55, 3),
                        np.random.default_rng(3).normal(0, 0.55, 3))  # 3 vs 3 posts, true ratio 1.4
    assert effect.label == "low"


def test_null_effects_rarely_reach_high_confidence():
    rows = [best_posting_times(rated(posts_frame(150, seed)), NOW)[0] for seed in range(20)]
    assert sum(r["confidence_label"] == "high" for r in rows) <= 1
    assert np.mean([r["confidence_score"] for r in rows]) < 0.5


def test_thin_accounts_pool_their_platform():
    frame = pd.concat([posts_frame(400, 4, PRIME, account="big"), posts_frame(10, 5, account="thin")])
    by_account = {r["account"]: r for r in best_posting_times(rated(frame), NOW)}
    assert by_account["thin"]["insight_data"]["scope"] == "platform"
    assert by_account["thin"]["insight_data"]["block"] == "Tuesday–Thursday 17–21 h"


def test_a_format_effect_is_found_with_its_interval_holding_the_true_ratio():
    frame = posts_frame(300, 6, formats=(("short", np.log(1.6)), ("long_video", 0.0)), days=180)
    rows = {r["insight_data"]["format"]: r for r in content_formats(rated(frame), NOW)}
    short = rows["short"]["insight_data"]
    assert short["ratio_low_95"] < 1.6 < short["ratio_high_95"] and rows["short"]["confidence_label"] == "high"
    assert rows["long_video"]["insight_data"]["ratio"] < 1 and "post less of them" in rows["long_video"]["text"]


def test_posting_frequency_slope_and_interval():
    rng = np.random.default_rng(7)
    rows = []
    for week in range(26):  # weeks ending 14 days before TODAY; ×0.85 engagement per post per extra post
        start = TODAY - timedelta(days=14 + 7 * (week + 1))
        start -= timedelta(days=start.weekday())
        n = int(rng.integers(1, 7))
        level = np.exp(np.log(500) + np.log(0.85) * n + rng.normal(0, 0.1))
        rows += [{"platform": "x", "account_id": "a", "post_key": f"x:{week}-{i}", "published_date_local": start,
                  "engagements": level} for i in range(n)]
    [row] = posting_frequency(pd.DataFrame(rows), TODAY, NOW)
    data = row["insight_data"]
    assert data["ratio_low_95"] < 0.85 < data["ratio_high_95"] and row["confidence_label"] == "high"
    assert "earned less engagement" in row["text"]


def _tagged(recent: int, previous: int, tag: str = "recipe") -> pd.DataFrame:
    frame = posts_frame(40, 8, days=56)
    published = pd.to_datetime(frame["published_date_local"]).dt.date
    new, old = frame.index[published >= TODAY - timedelta(days=28)], frame.index[published < TODAY - timedelta(days=28)]
    frame.loc[new[:recent], "hashtags"] = tag
    frame.loc[old[:previous], "hashtags"] = tag
    return frame


@pytest.mark.parametrize(("recent", "previous", "trending"), [
    (3, 2, True),    # 3 ≥ 3 uses and 3 ≥ 1.5 × 2
    (2, 0, False),   # below the minimum of 3 uses
    (4, 3, False),   # 4 < 1.5 × 3: growing too slowly
    (3, 0, True),    # new: previous uses count as 1
])
def test_hashtag_trend_thresholds(recent, previous, trending):
    rows = trending_hashtags(rated(_tagged(recent, previous)), TODAY, NOW)
    assert bool(rows) is trending
    if rows:
        assert (rows[0]["insight_data"]["uses_recent"], rows[0]["insight_data"]["uses_previous"]) == (recent, previous)


def _forecast(start: float, per_day: float, band: float) -> pd.DataFrame:
    days = np.arange(1, 91)
    point = start + per_day * days
    return pd.DataFrame({"domain": "social", "platform": "youtube", "account_id": "UC1", "metric": "followers",
                         "made_on": TODAY, "target_date": [TODAY + timedelta(days=int(d) - 1) for d in days],
                         "point": point, "lower_80": point - band, "upper_80": point + band, "model": "ets"})


def test_milestone_dates_from_a_hand_made_forecast():
    # 95,000 + 100/day: the point reaches 100,000 on day 50, the upper bound (+2,000) on day 30,
    # the lower (−2,000) on day 70 (target_date = TODAY + day − 1)
    [row] = milestones(_forecast(95_000, 100, 2_000), NOW)
    assert row["insight_data"]["milestone"] == 100_000
    assert row["text"] == (f"At this rate 100,000 followers around {TODAY + timedelta(days=49):%Y-%m-%d} "
                           f"(80 % between {TODAY + timedelta(days=29):%Y-%m-%d} and "
                           f"{TODAY + timedelta(days=69):%Y-%m-%d}).")
    assert row["confidence_label"] == "high"
    assert milestones(_forecast(95_000, 10, 500), NOW) == []  # the upper bound never gets there


def test_reruns_are_identical():
    frame = pd.concat([posts_frame(200, 9, PRIME, formats=(("short", 0.3), ("long_video", 0.0)), days=180),
                       posts_frame(20, 10, account="b")])
    empty = pd.DataFrame(columns=["platform", "account_id", "snapshot_date", "audience", "dimension",
                                  "dimension_value", "value", "value_kind", "share_pct"])
    first = recommend(frame, empty, pd.DataFrame(), _forecast(95_000, 100, 2_000), TODAY, NOW)
    second = recommend(frame.sample(frac=1, random_state=3), empty, pd.DataFrame(), _forecast(95_000, 100, 2_000),
                       TODAY, NOW)
    assert len(first) > 3 and first["insight_id"].is_unique
    pd.testing.assert_frame_equal(first, second)


def test_audience_shift_with_counts_and_with_percentages_only():
    from insights.recommend.audience import audience_shifts

    def snap(day: date, shares: dict, kind: str, total: float) -> list[dict]:
        return [{"platform": "youtube", "account_id": "UC1", "snapshot_date": day, "audience": "viewers",
                 "dimension": "country", "dimension_value": k, "value": v * total / 100 if kind == "count" else v,
                 "value_kind": kind, "share_pct": v} for k, v in shares.items()]
    before, after = {"US": 50.0, "DE": 30.0, "IN": 20.0}, {"US": 40.0, "DE": 31.0, "IN": 29.0}
    counts = pd.DataFrame(snap(TODAY - timedelta(days=35), before, "count", 20_000) + snap(TODAY, after, "count", 20_000))
    [row] = audience_shifts(counts, NOW)
    assert row["insight_data"]["value"] == "US" and row["insight_data"]["change_points"] == -10.0
    assert row["confidence_label"] == "high"
    shares = pd.DataFrame(snap(TODAY - timedelta(days=35), before, "percent", 0) + snap(TODAY, after, "percent", 0))
    [row] = audience_shifts(shares, NOW)
    assert row["confidence_label"] == "low" and "sample size is unknown" in row["text"]
