"""The benchmark formulas (insights/benchmarks/mart.py) on hand-made frames whose answers are worked
out by hand here: growth only from two observations, like-for-like public engagement, posts per week
of a period still running, coverage, format mix, and a competitor that disappears."""

import json
from datetime import date

import pandas as pd
import pytest

from insights.benchmarks.mart import benchmark, period_end, periods

NAN = float("nan")
MADE_ON = date(2026, 11, 24)  # a Tuesday: the week of the 23rd has run 2 days


def frames():
    observations = pd.DataFrame([
        ("x", "rival", True, date(2026, 11, 16), 1000.0),
        ("x", "rival", True, date(2026, 11, 24), 1100.0),
        ("x", "own", False, date(2026, 11, 15), 500.0),
        ("x", "own", False, date(2026, 11, 17), 510.0),
        ("x", "own", False, date(2026, 11, 22), 530.0),
        ("x", "gone", True, date(2026, 11, 16), 80.0),
    ], columns=["platform", "account_id", "is_competitor", "observed_on", "followers"])
    posts = pd.DataFrame([
        ("x", "rival", True, "r1", date(2026, 11, 16), "text", 10.0, 2.0, NAN),   # shares not public
        ("x", "rival", True, "r2", date(2026, 11, 18), "image", 20.0, 0.0, NAN),
        ("x", "rival", True, "r3", date(2026, 11, 23), "image", 4.0, 1.0, NAN),
        ("x", "rival", True, "r0", date(2026, 11, 10), "text", 1.0, 1.0, NAN),    # before coverage: ignored
        ("x", "own", False, "o1", date(2026, 11, 17), "video", 30.0, 5.0, 100.0),  # own shares not counted
        ("x", "own", False, "o2", date(2026, 11, 19), "video", NAN, 5.0, 1.0),     # hidden likes: no engagement
    ], columns=["platform", "account_id", "is_competitor", "post_id", "published_on", "format", "likes", "comments",
                "shares"])
    accounts = pd.DataFrame([
        ("x", "rival", True, "Rival", date(2026, 11, 16), True, date(2026, 11, 16), pd.NaT, True),
        ("x", "own", False, "Own", date(2026, 11, 15), True, pd.NaT, pd.NaT, True),
        ("x", "gone", True, "Gone", date(2026, 11, 16), False, pd.NaT, date(2026, 11, 24), True),
    ], columns=["platform", "account_id", "is_competitor", "account_name", "first_day", "has_posts",
                "coverage_start", "disappeared_on", "seen"])
    return observations, posts, accounts


@pytest.fixture(scope="module")
def rows():
    frame = benchmark(*frames(), MADE_ON)
    return {(r.grain, r.account_id, r.period_start): r for r in frame.itertuples(index=False)}


def test_periods_cover_first_day_to_the_run_date():
    assert periods(date(2026, 11, 15), MADE_ON, "week") == [date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
    assert periods(date(2026, 11, 15), date(2026, 12, 1), "month") == [date(2026, 11, 1), date(2026, 12, 1)]
    assert period_end(date(2026, 2, 1), "month") == date(2026, 2, 28)


def test_growth_needs_two_observations(rows):
    first, second = rows[("week", "rival", date(2026, 11, 16))], rows[("week", "rival", date(2026, 11, 23))]
    assert first.followers == 1000 and pd.isna(first.follower_growth) and pd.isna(first.followers_start)
    assert (second.followers, second.followers_start, second.follower_growth) == (1100, 1000, 100)
    assert second.follower_growth_pct == pytest.approx(0.1)
    month = rows[("month", "rival", date(2026, 11, 1))]  # two snapshots inside the month, none before
    assert (month.followers, month.follower_growth, month.observations) == (1100, 100, 2)


def test_own_growth_from_the_day_before_the_period(rows):
    week = rows[("week", "own", date(2026, 11, 16))]
    assert (week.followers, week.followers_start, week.follower_growth) == (530, 500, 30)


def test_engagement_counts_only_what_competitors_show(rows):
    own = rows[("week", "own", date(2026, 11, 16))]
    assert own.engagement_base == "likes+comments"
    assert own.posts == 2 and own.engagements == 35 and own.engagement_per_post == 35  # o2 unknown, not 0
    assert own.engagement_rate == pytest.approx(35 / 530)
    rival = rows[("week", "rival", date(2026, 11, 16))]
    assert (rival.posts, rival.engagements, rival.engagement_per_post) == (2, 32, 16)
    assert rival.engagement_rate == pytest.approx(16 / 1000)
    assert rival.posts_per_week == pytest.approx(2)


def test_a_running_period_counts_its_days_so_far(rows):
    running = rows[("week", "rival", date(2026, 11, 23))]
    assert running.posts == 1 and running.posts_per_week == pytest.approx(1 / 2 * 7)


def test_coverage_and_format_mix(rows):
    # November began before the API's list of recent posts reaches back (16th): its post numbers are
    # unknown, not the 3 posts seen (r0 of the 10th is outside the coverage too)
    month = rows[("month", "rival", date(2026, 11, 1))]
    assert pd.isna(month.posts) and pd.isna(month.engagement_per_post) and month.format_mix is None
    week = rows[("week", "rival", date(2026, 11, 16))]
    assert json.loads(week.format_mix) == {"image": 0.5, "text": 0.5}
    assert json.loads(rows[("week", "own", date(2026, 11, 16))].format_mix) == {"video": 1.0}


def test_a_competitor_that_disappears(rows):
    before, after = rows[("week", "gone", date(2026, 11, 16))], rows[("week", "gone", date(2026, 11, 23))]
    assert (before.status, before.followers) == ("ok", 80)
    assert after.status == "disappeared" and pd.isna(after.followers) and after.disappeared_on == date(2026, 11, 24)
    assert pd.isna(before.posts)  # no post list (Facebook-like): unknown, not 0
    assert rows[("week", "own", date(2026, 11, 23))].status == "ok"


def test_every_mart_column_is_documented_for_dbt_docs():
    import re
    from pathlib import Path

    import yaml

    from insights.benchmarks.mart import COLUMNS
    from insights.store import BENCHMARKS_DDL

    ddl = re.findall(r"^\s{4}([a-z_]+)\s", BENCHMARKS_DDL, flags=re.M)
    path = Path(__file__).parents[3] / "dbt_project/models/marts/insights/_insights__sources.yml"
    [table] = [t for t in yaml.safe_load(path.read_text())["sources"][0]["tables"]
               if t["name"] == "mart_competitor_benchmarks"]
    assert [c["name"] for c in table["columns"]] == [c for c in ddl if c != "primary"] == [*COLUMNS, "generated_at"]
