"""Variants' posts (`resolve`) and verdicts (`evaluate_test`) on small frames with a known truth."""

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from insights.abtests.config import ABTest, ABTestConfigError
from insights.abtests.evaluate import MART_COLUMNS, evaluate_test, resolve
from insights.abtests.text import summary

START, END = date(2026, 10, 1), date(2026, 10, 14)
AFTER = END + timedelta(days=1)


def _posts() -> pd.DataFrame:
    rows = []
    for i in range(12):
        rows.append({"post_key": f"youtube:v{i}", "platform": "youtube", "account_id": "UC1",
                     "format": "short" if i % 2 else "long_video", "published_hour_local": 8 + i,
                     "published_weekday_local": 1 + i % 7, "published_date_local": START + timedelta(days=i)})
    rows.append({"post_key": "youtube:old", "platform": "youtube", "account_id": "UC1", "format": "short",
                 "published_hour_local": 9, "published_weekday_local": 2,
                 "published_date_local": START - timedelta(days=30)})
    return pd.DataFrame(rows)


def _test(**changes) -> ABTest:
    spec = {"name": "shorts", "hypothesis": "Shorts keep viewers", "metric": "engaged_views / views",
            "min_sample": 1000, "start": START, "end": END,
            "variants": [{"name": "long", "where": {"format": "long_video"}},
                         {"name": "short", "where": {"format": "short"}}]}
    return ABTest.model_validate(spec | changes)


def _days(members: pd.DataFrame, rates: dict[str, float], views: int, seed: int = 1) -> pd.DataFrame:
    """Every member's days with binomial successes at its variant's true rate."""
    rng = np.random.default_rng(seed)
    rows = []
    for post_key, variant in members[["post_key", "variant"]].itertuples(index=False):
        for day in range(14):
            trials = int(rng.integers(views // 2, views * 3 // 2))
            rows.append({"post_key": post_key, "metric_date": START + timedelta(days=day),
                         "successes": float(rng.binomial(trials, rates[variant])), "trials": float(trials)})
    return pd.DataFrame(rows)


def test_where_variants_match_attributes_and_the_publish_window():
    members = resolve([_test()], _posts())["shorts"]
    assert set(members.loc[members.variant == "short", "post_key"]) == {f"youtube:v{i}" for i in range(1, 12, 2)}
    assert "youtube:old" not in set(members.post_key)  # a short, but published before the test


def test_unknown_posts_are_all_named_before_any_evaluation():
    test = _test(variants=[{"name": "a", "posts": ["youtube:v0", "youtube:nope", "x:gone"]},
                           {"name": "b", "posts": ["youtube:v1"]}])
    with pytest.raises(ABTestConfigError, match=r"shorts\.a: unknown post\(s\) youtube:nope, x:gone"):
        resolve([test], _posts())


def test_attribute_filters_matching_the_same_post_are_refused():
    test = _test(variants=[{"name": "mornings", "where": {"published_hour_local": [8, 9, 10]}},
                           {"name": "shorts", "where": {"format": "short"}}])
    with pytest.raises(ABTestConfigError) as caught:
        resolve([test], _posts())
    # v1 (short, 9 h) is in both; v0 (8 h) and v2 (10 h) are long videos
    assert "shorts: post youtube:v1 matches variants mornings, shorts: variants must not overlap" in str(caught.value)
    assert "youtube:v0" not in str(caught.value)


def test_counts_rates_and_p_value_equal_an_independent_computation():
    test = _test()
    members = resolve([test], _posts())["shorts"]
    days = _days(members, {"long": 0.30, "short": 0.36}, views=400)
    frame = evaluate_test(test, members, days, AFTER)
    assert list(frame.columns) == list(MART_COLUMNS)
    rows = frame.set_index("variant")
    for variant in ("long", "short"):
        mine = days[days.post_key.isin(members.loc[members.variant == variant, "post_key"])]
        assert rows.loc[variant, "trials"] == mine.trials.sum()
        assert rows.loc[variant, "successes"] == mine.successes.sum()
        assert rows.loc[variant, "posts"] == 6
    table = rows[["successes", "trials"]].to_numpy()
    expected = stats.chi2_contingency(np.column_stack([table[:, 0], table[:, 1] - table[:, 0]]))
    assert rows["p_value"].iloc[0] == pytest.approx(expected.pvalue, abs=1e-9)
    assert rows["correction"].all()
    rate = rows["rate"]
    assert rows.loc["short", "lift_vs_control"] == pytest.approx(rate["short"] / rate["long"] - 1)
    assert rows.loc["short", "lift_ci_low"] < rows.loc["short", "lift_vs_control"] < rows.loc["short", "lift_ci_high"]
    assert np.isnan(rows.loc["long", "lift_vs_control"])
    # known truth: 0.36 vs 0.30 on ~30,000 views a variant is far beyond chance
    assert (rows["status"] == "winner").all() and (rows["winner"] == "short").all()
    assert (rows["sample_needed"] == 0).all()


def test_before_the_end_a_test_is_running_unless_it_may_stop_early():
    members = resolve([_test()], _posts())["shorts"]
    days = _days(members, {"long": 0.30, "short": 0.36}, views=400)
    during = END - timedelta(days=3)
    assert set(evaluate_test(_test(), members, days, during)["status"]) == {"running"}
    early = evaluate_test(_test(stop_early=True), members, days, during)
    assert set(early["status"]) == {"winner"}
    assert early["data_end"].iloc[0] == during - timedelta(days=1)


def test_equal_rates_end_inconclusive_with_the_sample_still_needed():
    members = resolve([_test()], _posts())["shorts"]
    days = _days(members, {"long": 0.30, "short": 0.30}, views=400, seed=5)
    rows = evaluate_test(_test(), members, days, AFTER)
    assert rows["p_value"].iloc[0] >= 0.05  # seed 5: no false positive
    assert set(rows["status"]) == {"inconclusive"} and rows["winner"].isna().all()
    assert (rows["sample_needed"].dropna() > 0).all()


def test_too_few_trials_end_insufficient_even_when_significant():
    members = resolve([_test()], _posts())["shorts"]
    days = _days(members, {"long": 0.10, "short": 0.60}, views=400)
    rows = evaluate_test(_test(min_sample=10**6), members, days, AFTER)
    assert rows["p_value"].iloc[0] < 1e-6
    assert set(rows["status"]) == {"insufficient"}
    assert (rows["sample_needed"] == 10**6 - rows["trials"]).all()


def test_unknown_counts_are_excluded_and_reported_never_zero():
    test = _test()
    members = resolve([test], _posts())["shorts"]
    days = _days(members, {"long": 0.30, "short": 0.36}, views=400)
    holes = days.copy()
    holes.loc[[0, 1], "successes"] = np.nan  # post v0 (long): two days without engaged views
    holes.loc[2, "trials"] = np.nan
    rows = evaluate_test(test, members, holes, AFTER).set_index("variant")
    assert rows.loc["long", "excluded_post_days"] == 3
    long_posts = set(members.loc[members.variant == "long", "post_key"])
    assert rows.loc["long", "trials"] == days.loc[3:].loc[lambda d: d.post_key.isin(long_posts), "trials"].sum()
    assert "3 post-day(s) without both counts" in rows.loc["long", "note"]


def test_three_variants_use_no_correction_and_the_best_rate_wins():
    test = _test(variants=[{"name": "morning", "where": {"published_hour_local": [8, 9, 10, 11]}},
                           {"name": "midday", "where": {"published_hour_local": [12, 13, 14, 15]}},
                           {"name": "evening", "where": {"published_hour_local": [16, 17, 18, 19]}}])
    members = resolve([test], _posts())["shorts"]
    days = _days(members, {"morning": 0.20, "midday": 0.21, "evening": 0.27}, views=600)
    rows = evaluate_test(test, members, days, AFTER)
    assert rows["dof"].iloc[0] == 2 and not rows["correction"].iloc[0]
    assert set(rows["winner"]) == {"evening"}
    text = summary(rows)
    assert "A/B test shorts finished, winner: evening" in text and "morning" in text and "— control" in text


def test_a_variant_without_posts_yet_gives_no_p_value():
    test = _test(variants=[{"name": "long", "where": {"format": "long_video"}},
                           {"name": "carousel", "where": {"format": "carousel"}}])
    members = resolve([test], _posts())["shorts"]
    rows = evaluate_test(test, members, _days(members, {"long": 0.3}, views=100), END)
    assert rows["p_value"].isna().all() and set(rows["status"]) == {"running"}
    assert rows.set_index("variant").loc["carousel", "posts"] == 0
    assert "no test yet" in rows["note"].iloc[0]


def test_summaries_of_the_other_verdicts_say_why():
    members = resolve([_test()], _posts())["shorts"]
    days = _days(members, {"long": 0.30, "short": 0.30}, views=400, seed=5)
    inconclusive = summary(evaluate_test(_test(), members, days, AFTER))
    assert "finished, inconclusive (no significant difference)" in inconclusive
    insufficient = summary(evaluate_test(_test(min_sample=10**6), members, days, AFTER))
    assert "insufficient sample (fewer than 1,000,000 trials in a variant)" in insufficient
