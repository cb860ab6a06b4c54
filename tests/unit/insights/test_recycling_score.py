"""The evergreen score (insights/recycling): each part on hand-made frames with hand-computed
values, the reweighting when a part is unknown, duplicates and the exclusion window, the settings."""

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from core.settings import ConfigError
from core.workspace import RecycledPost, RecyclingSettings, load_workspace
from insights.frames import InsightsInputError
from insights.recycling.history import check_recycled, content_history, normalise_title
from insights.recycling.parts import engagement_percentile, last_ran, still_arriving, view_windows
from insights.recycling.score import candidates, weighted_score
from insights.recycling.text import ago, reason

TODAY = date(2026, 11, 20)


def post(key, published: date, title="Easy pasta", account="A", rate=1.0, tracked=True, caption=None, as_of=None):
    return {"post_key": f"youtube:{key}", "platform": "youtube", "account_id": account, "post_id": key,
            "title": title, "caption": caption, "format": "long_video",
            "published_at": datetime(published.year, published.month, published.day, 10, tzinfo=UTC),
            "published_date_local": published, "is_tracked_from_publish": tracked, "engagement_rate": rate,
            "as_of_date": as_of or TODAY - timedelta(days=1)}


def days_of(key, start: date, views, source="snapshot_diff"):
    return pd.DataFrame({"post_key": f"youtube:{key}", "metric_date": [start + timedelta(days=i) for i in range(len(views))],
                         "views": views, "metric_source": source})


# --- part 1: engagement percentile --------------------------------------------------------------

def test_percentile_is_within_the_account_with_average_ties():
    frame = pd.DataFrame({"platform": "youtube", "account_id": ["A"] * 5 + ["B"] * 3 + ["C"] * 2,
                          "engagement_rate": [5.0, 1.0, 3.0, 2.0, 4.0, 2.0, 2.0, 9.0, 7.0, np.nan]})
    got = engagement_percentile(frame).tolist()
    assert got[:5] == [1.0, 0.0, 0.5, 0.25, 0.75]
    assert got[5:8] == [0.25, 0.25, 1.0]  # the two tied lowest share rank 1.5: (1.5 - 1) / 2
    assert np.isnan(got[8]) and np.isnan(got[9])  # C: one known rate, nothing to compare with


# --- part 2: still arriving ---------------------------------------------------------------------

def test_view_windows_read_known_days_and_leave_unknown_ones_null():
    start = date(2026, 5, 1)
    as_of = TODAY - timedelta(days=1)
    posts = pd.DataFrame([
        post("tracked", start),                                  # published after tracking began
        post("report", start, tracked=False),                    # YouTube: every day reported
        post("before", start, tracked=False),                    # snapshots only, tracked later
        post("gap", start),                                      # a day with unknown views
        post("young", as_of - timedelta(days=50)),               # windows would overlap
        post("unsynced", start, as_of=pd.NaT),
    ])
    first = [10.0] * 30 + [99.0] * 10  # days 30.. are outside the first window
    last_start = as_of - timedelta(days=29)
    days = pd.concat([
        days_of("tracked", start, first), days_of("tracked", last_start, [2.0] * 15),  # 15 days without a row = 0
        days_of("report", start, first, "daily_report"), days_of("report", last_start, [1.0] * 30, "daily_report"),
        days_of("before", start + timedelta(days=40), [5.0] * 10), days_of("before", last_start, [1.0] * 30),
        days_of("gap", start, first), days_of("gap", last_start, [1.0, np.nan] + [1.0] * 28),
        days_of("young", as_of - timedelta(days=50), [1.0] * 51),
    ])
    got = view_windows(posts, days)
    assert got.loc[0, ["views_first_30d", "views_last_30d"]].tolist() == [300.0, 30.0]
    assert got.loc[1, ["views_first_30d", "views_last_30d"]].tolist() == [300.0, 30.0]
    for row, words in ((2, "tracked after it was published"), (3, "unknown on some days"),
                       (4, "fewer than 60 complete days"), (5, "no complete day")):
        assert got.loc[row, ["views_first_30d", "views_last_30d"]].isna().all()
        assert words in got.loc[row, "still_arriving_note"]


def test_still_arriving_is_the_capped_ratio_and_null_stays_null():
    first = pd.Series([300.0, 100.0, 0.0, 0.0, np.nan])
    last = pd.Series([114.0, 250.0, 5.0, 0.0, 10.0])
    got = still_arriving(first, last).tolist()
    assert got[:4] == [0.38, 1.0, 1.0, 0.0] and np.isnan(got[4])


# --- part 4 and the weighting -------------------------------------------------------------------

def test_last_ran_saturates():
    assert last_ran(pd.Series([0, 73, 365, 800]), 365).tolist() == [0.0, 0.2, 1.0, 1.0]


def test_an_unknown_part_is_left_out_and_the_rest_reweighted():
    weights = {"engagement": 0.35, "still_arriving": 0.30, "timeless": 0.20, "last_ran": 0.15}
    parts = pd.DataFrame({"engagement_part": [0.9, 0.9, np.nan], "still_arriving_part": [0.38, np.nan, np.nan],
                          "timeless_part": [1.0, 1.0, 0.0], "last_ran_part": [0.5, 0.5, 1.0]})
    score, missing = weighted_score(parts, weights)
    assert score[0] == pytest.approx(0.35 * 0.9 + 0.30 * 0.38 + 0.20 * 1 + 0.15 * 0.5)
    assert score[1] == pytest.approx((0.35 * 0.9 + 0.20 * 1 + 0.15 * 0.5) / 0.70)  # not 0 for unknown
    assert score[2] == pytest.approx(0.15 / 0.35)
    assert missing.tolist() == [None, "still_arriving", "engagement, still_arriving"]
    score, missing = weighted_score(parts, weights | {"still_arriving": 0.0})  # weight 0: not counted, not missing
    assert score[1] == pytest.approx(score[0]) and missing[1] is None


# --- history: duplicates, the recycled list, the exclusion window ------------------------------

def test_titles_are_normalised_without_case_punctuation_or_hashtags():
    assert normalise_title("Pasta in 10 Minutes! #food #quick") == normalise_title("pasta in 10 minutes #cooking")
    assert normalise_title("Pasta in 10 minutes") != normalise_title("Pasta in 12 minutes")
    assert normalise_title("#food") is None and normalise_title(None) is None


@pytest.mark.parametrize(("copy_age", "excluded"), [(89, True), (90, False)])
def test_a_copy_rests_with_its_original_for_exclude_days(copy_age, excluded):
    posts = pd.DataFrame([post("orig", TODAY - timedelta(days=400), "Easy pasta! #food"),
                          post("copy", TODAY - timedelta(days=copy_age), "easy pasta #recipe"),
                          post("other", TODAY - timedelta(days=300), "Easy pasta", account="B"),
                          post("single", TODAY - timedelta(days=300), "Ramen guide")])
    got = content_history(posts, RecyclingSettings(), TODAY).set_index("post_key")
    copy_day = TODAY - timedelta(days=copy_age)
    assert got.loc["youtube:orig", "is_excluded"] == got.loc["youtube:copy", "is_excluded"] == excluded
    assert got.loc["youtube:orig", "last_ran_date"] == copy_day and got.loc["youtube:orig", "last_ran_source"] == "copy"
    assert not got.loc["youtube:other", "is_excluded"]  # same title on another account: not a copy
    assert got.loc["youtube:single", ["last_ran_date", "last_ran_source"]].tolist() == [
        TODAY - timedelta(days=300), "published"]
    assert pd.isna(got.loc["youtube:single", "last_recycled_date"])


def test_a_listed_recycling_counts_as_the_last_run_and_excludes():
    posts = pd.DataFrame([post("a", TODAY - timedelta(days=400)), post("b", TODAY - timedelta(days=500), "Other")])
    settings = RecyclingSettings(recycled=[RecycledPost(post="youtube:a", recycled_on=TODAY - timedelta(days=10)),
                                           RecycledPost(post="youtube:b", recycled_on=TODAY - timedelta(days=200))])
    got = content_history(posts, settings, TODAY).set_index("post_key")
    assert got.loc["youtube:a", ["last_ran_date", "last_ran_source", "is_excluded"]].tolist() == [
        TODAY - timedelta(days=10), "recycled_list", True]
    assert got.loc["youtube:b", ["last_ran_date", "is_excluded"]].tolist() == [TODAY - timedelta(days=200), False]
    with pytest.raises(InsightsInputError, match=r"recycled\[0\]\.post: youtube:zz is not a known post"):
        check_recycled(RecyclingSettings(recycled=[RecycledPost(post="youtube:zz", recycled_on=TODAY)]), {"youtube:a"})


# --- candidates and the reason ------------------------------------------------------------------

def test_candidates_are_ranked_per_account_without_young_or_resting_posts():
    start = TODAY - timedelta(days=200)
    posts = pd.DataFrame([
        post("best", start, "Sourdough basics", rate=5.0),
        post("dated", start, "Christmas 2025 cookies", rate=4.0),
        post("mid", start - timedelta(days=1), "Ramen guide", rate=3.0),
        post("resting", start, "Taco night", rate=9.0), post("resting2", TODAY - timedelta(days=5), "Taco night!"),
        post("young", TODAY - timedelta(days=59), "Fresh salad", rate=9.0),
        post("b1", start, "Hike", account="B", rate=1.0),
    ])
    as_of = TODAY - timedelta(days=1)
    days = pd.concat([days_of("best", start, [10.0] * 30), days_of("best", as_of - timedelta(days=29), [3.8] * 30)])
    got = candidates(posts, days, RecyclingSettings(top_n=2), TODAY)
    assert got["post_key"].tolist() == ["youtube:best", "youtube:mid", "youtube:b1"]
    assert got["rank_in_account"].tolist() == [1, 2, 1] and got["age_days"].tolist() == [200, 201, 200]
    best = got.iloc[0]
    assert best["still_arriving_part"] == pytest.approx(0.38) and best["parts_missing"] is None
    assert best["engagement_part"] == pytest.approx(2 / 3)  # pool: best, dated, mid, resting (resting counts)
    assert best["reason"] == ("Still gets 38% of its first-month views; top 33% engagement on the account; "
                              "no dated words; last ran 7 months ago.")
    mid = got.iloc[1]  # no rows for its days: known zeros (tracked from publish) → no views, part 0
    assert mid["still_arriving_part"] == 0.0 and mid["views_first_30d"] == 0.0
    b1 = got.iloc[2]
    assert b1["parts_missing"] == "engagement" and "not counted" in b1["reason"]
    assert b1["score"] == pytest.approx((0.30 * 0 + 0.20 * 1 + 0.15 * 200 / 365) / 0.65)
    all_rows = candidates(posts, days, RecyclingSettings(top_n=10), TODAY)
    dated = all_rows.set_index("post_key").loc["youtube:dated"]
    assert dated["timeless_part"] == 0.0 and dated["dated_words"] == "christmas, 2025"
    assert "dated words: christmas, 2025" in dated["reason"]
    assert "youtube:resting" not in set(all_rows["post_key"]) and "youtube:young" not in set(all_rows["post_key"])


def test_no_old_post_means_no_candidate():
    posts = pd.DataFrame([post("young", TODAY - timedelta(days=3))])
    assert candidates(posts, pd.DataFrame(columns=["post_key", "metric_date", "views", "metric_source"]),
                      RecyclingSettings(), TODAY).empty


def test_ago_words():
    assert [ago(1), ago(12), ago(213), ago(1000)] == ["1 day ago", "12 days ago", "7 months ago", "2.7 years ago"]


def test_reason_says_what_is_unknown():
    row = pd.Series({"views_first_30d": np.nan, "views_last_30d": np.nan,
                     "still_arriving_note": "first-month views unknown (tracked after it was published)",
                     "engagement_part": 1.0, "dated_words": None, "days_since_last_ran": 400,
                     "last_ran_source": "recycled_list"})
    assert reason(row) == ("First-month views unknown (tracked after it was published) (not counted); the highest "
                           "engagement rate on the account; no dated words; last recycled 13 months ago.")


# --- settings in tidemark.yaml ------------------------------------------------------------------

def load(tmp_path, text: str):
    path = tmp_path / "tidemark.yaml"
    path.write_text("workspace: {id: ws, name: WS}\n" + text)
    return load_workspace(path, {})


def test_settings_defaults_and_values(tmp_path):
    default = load(tmp_path, "").insights.recycling
    assert (default.min_age_days, default.exclude_days, default.top_n, default.recycled) == (60, 90, 10, [])
    read = load(tmp_path, "insights:\n  recycling:\n    min_age_days: 30\n    weights: {timeless: 0}\n"
                          "    recycled:\n      - {post: 'youtube:v1', recycled_on: 2026-10-01}\n").insights.recycling
    assert (read.min_age_days, read.weights.timeless, read.recycled[0].recycled_on) == (30, 0.0, date(2026, 10, 1))


@pytest.mark.parametrize(("text", "key", "words"), [
    ("{min_age_days: 0}", "insights.recycling.min_age_days", "greater than or equal to 1"),
    ("{exclude_days: -1}", "insights.recycling.exclude_days", "greater than or equal to 0"),
    ("{top_n: 0}", "insights.recycling.top_n", "greater than or equal to 1"),
    ("{weights: {engagement: -1}}", "insights.recycling.weights.engagement", "greater than or equal to 0"),
    ("{weights: {engagement: 0, still_arriving: 0, timeless: 0, last_ran: 0}}", "insights.recycling.weights",
     "every weight is 0"),
    ("{weights: {views: 1}}", "insights.recycling.weights.views", "Extra inputs are not permitted"),
    ("{recycled: [{post: v1, recycled_on: 2026-10-01}]}", "insights.recycling.recycled.0.post", "should match"),
    ("{recycled: [{post: 'youtube:v1', recycled_on: soon}]}", "insights.recycling.recycled.0.recycled_on", "date"),
    ("{min_age: 30}", "insights.recycling.min_age", "Extra inputs are not permitted"),
])
def test_a_bad_setting_names_the_key(tmp_path, text, key, words):
    with pytest.raises(ConfigError) as error:
        load(tmp_path, f"insights:\n  recycling: {text}\n")
    assert key in str(error.value) and words in str(error.value)
