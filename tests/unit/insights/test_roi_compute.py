"""ROI rows on small hand-made frames: each number computed by hand here. Guards: a missing cost is
NULL (never 0), a zero or unknown denominator gives NULL, currencies are never summed, the
production cost is per post × the posts published that month."""

import math
from datetime import date

import pandas as pd
import pytest

from insights.roi.compute import account_rows, campaign_rows, platform_rows
from insights.roi.config import CostEntry

OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)


def _days(platform, account, month_days, complete_through, views=100.0, engagements=10.0, followers=2.0, year_month=(2026, 10)):
    y, m = year_month
    return [(platform, account, date(y, m, d), d <= complete_through, views, engagements, followers)
            for d in range(1, month_days + 1)]


def _frame(rows):
    return pd.DataFrame(rows, columns=["platform", "account_id", "metric_date", "is_complete", "views", "engagements",
                                       "followers_net"])


def _posts(rows):
    frame = pd.DataFrame(rows, columns=["post_key", "platform", "account_id", "published_at", "hashtags"])
    return frame.assign(month=[date(d.year, d.month, 1) for d in frame["published_at"]])


DAYS = _frame(_days("youtube", "A", 31, 31) + _days("youtube", "B", 31, 20, views=50.0, engagements=5.0, followers=None)
              + _days("x", "X1", 31, 31, views=0.0, engagements=0.0, followers=0.0))
POSTS = _posts([("youtube:p1", "youtube", "A", date(2026, 10, 3), "autumn,food"),
                ("youtube:p2", "youtube", "A", date(2026, 10, 5), ""),
                ("youtube:p3", "youtube", "A", date(2026, 9, 30), "autumn"),
                ("youtube:p4", "youtube", "B", date(2026, 10, 9), "autumn")])


def _entry(**fields):
    return CostEntry(**({"month": "2026-10", "platform": "youtube", "account_id": "A", "currency": "EUR"} | fields))


def _one(frame, **where):
    mask = pd.Series(True, index=frame.index)
    for key, value in where.items():
        mask &= frame[key].isna() if value is None else frame[key] == value
    [row] = frame[mask].to_dict("records")
    return row


def test_parts_total_and_yardsticks_by_hand():
    rows = account_rows(DAYS, POSTS, [_entry(fixed=1000, per_post=50, ad_spend=240)])
    row = _one(rows, account_id="A", currency="EUR")
    # 2 posts published in October (p3 is September's): 50 × 2 = 100; total 1000 + 100 + 240
    assert (row["posts_published"], row["production_cost"], row["total_cost"]) == (2, 100.0, 1340.0)
    # 31 complete days × 100 views, × 10 engagements, × 2 followers
    assert (row["views"], row["engagements"], row["followers_gained"]) == (3100.0, 310.0, 62.0)
    assert row["cost_per_1000_views"] == pytest.approx(round(1340 / 3100 * 1000, 4))
    assert row["cost_per_engagement"] == pytest.approx(round(1340 / 310, 4))
    assert row["cost_per_follower"] == pytest.approx(round(1340 / 62, 4))
    assert row["is_month_complete"] and row["complete_days"] == 31


def test_a_missing_cost_is_null_never_zero_and_a_declared_zero_is_zero():
    rows = account_rows(DAYS, POSTS, [_entry(fixed=0)])
    missing = _one(rows, account_id="B")
    assert missing["currency"] is None or pd.isna(missing["currency"])
    assert all(pd.isna(missing[c]) for c in ("fixed_cost", "production_cost", "ad_spend", "total_cost",
                                               "cost_per_1000_views", "cost_per_engagement", "cost_per_follower"))
    assert missing["note"].startswith("no costs declared")
    zero = _one(rows, account_id="A")
    assert zero["total_cost"] == 0 and zero["cost_per_1000_views"] == 0
    # a part not declared stays NULL beside a declared one
    assert pd.isna(zero["ad_spend"]) and pd.isna(zero["production_cost"])


def test_results_count_complete_days_only_and_unknown_days_make_the_sum_unknown():
    row = _one(account_rows(DAYS, POSTS, [_entry(account_id="B", ad_spend=100)]), account_id="B")
    assert (row["complete_days"], row["views"], row["engagements"]) == (20, 1000.0, 100.0)  # days 21..31 not complete
    assert not row["is_month_complete"] and "20 of 31 days complete" in row["note"]
    assert pd.isna(row["followers_gained"]) and pd.isna(row["cost_per_follower"])  # followers_net unknown
    assert row["cost_per_1000_views"] == pytest.approx(round(100 * 20 / 31 / 1000 * 1000, 4))  # cost of 20 of 31 days
    one_hole = DAYS.copy()
    one_hole.loc[(one_hole.account_id == "A") & (one_hole.metric_date == date(2026, 10, 7)), "views"] = None
    row = _one(account_rows(one_hole, POSTS, [_entry(fixed=10)]), account_id="A")
    assert pd.isna(row["views"]) and pd.isna(row["cost_per_1000_views"]) and row["engagements"] == 310.0


def test_zero_denominators_give_null():
    row = _one(account_rows(DAYS, POSTS, [_entry(platform="x", account_id="X1", fixed=100)]), account_id="X1")
    assert (row["views"], row["engagements"], row["followers_gained"]) == (0.0, 0.0, 0.0)
    assert all(pd.isna(row[c]) for c in ("cost_per_1000_views", "cost_per_engagement", "cost_per_follower"))
    assert row["total_cost"] == 100.0


def test_per_post_cost_times_the_posts_published_that_month():
    entries = [_entry(per_post=75), _entry(month="2026-09", per_post=75)]
    rows = account_rows(DAYS, POSTS, entries)
    assert _one(rows, account_id="A", month=OCT)["production_cost"] == 150.0
    september = _one(rows, account_id="A", month=date(2026, 9, 1))
    assert (september["posts_published"], september["production_cost"]) == (1, 75.0)
    assert september["complete_days"] == 0 and pd.isna(september["views"])  # a declared month without data


def test_currencies_are_never_summed():
    entries = [_entry(fixed=1000), _entry(currency="USD", ad_spend=200), _entry(account_id="B", currency="EUR", fixed=300)]
    rows = account_rows(DAYS, POSTS, entries)
    eur, usd = _one(rows, account_id="A", currency="EUR"), _one(rows, account_id="A", currency="USD")
    assert (eur["total_cost"], usd["total_cost"]) == (1000.0, 200.0)
    assert "other currencies" in eur["note"]
    platforms = platform_rows(rows)
    p_eur, p_usd = _one(platforms, platform="youtube", currency="EUR"), _one(platforms, platform="youtube", currency="USD")
    # EUR: accounts A and B; USD: account A only — each with the results of its own accounts
    assert (p_eur["total_cost"], p_eur["accounts_with_cost"], p_eur["views"]) == (1300.0, 2, 3100.0 + 1000.0)
    assert (p_usd["total_cost"], p_usd["accounts_with_cost"], p_usd["views"]) == (200.0, 1, 3100.0)
    assert p_eur["cost_per_1000_views"] == pytest.approx(round(1300 * 51 / 62 / 4100 * 1000, 4))
    assert (p_eur["complete_days"], p_eur["days"]) == (31 + 20, 62)
    assert set(platforms["currency"].dropna()) == {"EUR", "USD"}


def test_platform_rows_say_how_many_accounts_have_no_cost():
    platforms = platform_rows(account_rows(DAYS, POSTS, [_entry(fixed=500)]))
    youtube = _one(platforms, platform="youtube")
    assert (youtube["accounts_with_cost"], youtube["accounts_without_cost"], youtube["total_cost"]) == (1, 1, 500.0)
    assert youtube["views"] == 3100.0  # only the account with a cost
    assert "1 account(s) of the platform have no cost declared" in youtube["note"]
    x = _one(platforms, platform="x")
    assert pd.isna(x["total_cost"]) and pd.isna(x["currency"]) and x["accounts_without_cost"] == 1
    assert x["note"].startswith("no costs declared")


def test_campaign_rows_from_a_hashtag_and_from_listed_posts():
    post_days = pd.DataFrame([("youtube:p1", date(2026, 10, d), 10.0, 1.0) for d in range(3, 21)]
                             + [("youtube:p4", date(2026, 10, d), 20.0, 2.0) for d in range(9, 21)],
                             columns=["post_key", "metric_date", "views", "engagements"])
    entries = [CostEntry(month="2026-10", campaign="autumn", hashtag="Autumn", currency="EUR", ad_spend=300,
                         per_post=10),
               CostEntry(month="2026-10", campaign="listed", posts=("youtube:p1",), currency="USD", fixed=90)]
    rows = campaign_rows(entries, POSTS, post_days, DAYS)
    autumn, listed = _one(rows, campaign="autumn"), _one(rows, campaign="listed")
    # autumn: p1, p3, p4 carry the tag; p1 and p4 published in October → 2 × 10 + 300
    assert (autumn["posts_published"], autumn["total_cost"]) == (2, 320.0)
    assert (autumn["views"], autumn["engagements"]) == (18 * 10 + 12 * 20.0, 18 * 1 + 12 * 2.0)
    assert autumn["cost_per_1000_views"] == pytest.approx(round(320 * 20 / 31 / 420 * 1000, 4))
    assert pd.isna(autumn["followers_gained"]) and pd.isna(autumn["cost_per_follower"])
    assert autumn["complete_days"] == 20  # the days complete for both A (31) and B (20)
    assert (listed["currency"], listed["views"], listed["complete_days"]) == ("USD", 180.0, 31)
    assert math.isclose(listed["cost_per_engagement"], 5.0)


def test_rows_come_in_a_stable_order_with_unique_keys():
    entries = [_entry(fixed=1), _entry(currency="USD", ad_spend=2)]
    first = account_rows(DAYS, POSTS, entries)
    again = account_rows(DAYS.sample(frac=1, random_state=3), POSTS.sample(frac=1, random_state=3), entries[::-1])
    pd.testing.assert_frame_equal(first, again)
    assert first["row_key"].is_unique and "account/youtube/B/2026-10/-" in set(first["row_key"])


def test_a_fresh_warehouse_gives_no_rows_or_declared_rows_without_results():
    from insights.roi.warehouse import DAY_COLUMNS, POST_COLUMNS

    days, posts = pd.DataFrame(columns=DAY_COLUMNS), pd.DataFrame(columns=[*POST_COLUMNS, "month"])
    assert account_rows(days, posts, []).empty and platform_rows(account_rows(days, posts, [])).empty
    [row] = account_rows(days, posts, [_entry(fixed=10)]).to_dict("records")
    assert (row["total_cost"], row["complete_days"]) == (10.0, 0) and pd.isna(row["views"])
    campaign = CostEntry(month="2026-10", campaign="c", hashtag="x", currency="EUR", fixed=1)
    [row] = campaign_rows([campaign], posts, pd.DataFrame(columns=["post_key", "metric_date", "views", "engagements"]),
                          days).to_dict("records")
    assert row["posts_published"] == 0 and "no post of the campaign" in row["note"]


def test_no_cost_declared_gives_every_account_a_null_cost_row():
    """No entries (no costs.yaml, or one for another workspace): each account-month is a row whose cost
    and yardsticks are NULL, with its results — not a failure, not 0."""
    rows = account_rows(DAYS, POSTS, [])
    assert set(rows["account_id"]) == set(DAYS["account_id"]) and len(rows) == len(DAYS.groupby(
        ["account_id", DAYS["metric_date"].map(lambda d: d.replace(day=1))]))
    assert rows["total_cost"].isna().all() and rows["cost_per_1000_views"].isna().all()
    assert _one(rows, account_id="A")["views"] == 3100.0
    assert all(note.startswith("no costs declared") for note in rows["note"])
