"""Viral-post rule on hand-made frames: the band from the account's posts at the same age, the
alert condition (factor, band, minimum volume) and what post_anomalies says."""

from datetime import timedelta
from statistics import median

import pytest

from insights.alerts.bands import judge_posts
from insights.alerts.viral import ANOMALY_COLUMNS, post_anomalies, viral_episodes
from tests.unit.insights.alert_frames import FIRST, curve, last_day, post_days, settings

TARGET = "p11"  # published FIRST + 33 days; its peers are the 11 posts before it


def episodes_of(frame, **changes):
    found = viral_episodes(frame, settings(**changes), FIRST, last_day(frame))
    return found[found["post_id"] == TARGET], found


def test_a_post_five_times_its_peers_raises_one_alert_and_only_that_one():
    frame = post_days(boost={(11, age): 5.0 for age in (1, 2, 3)})
    mine, everything = episodes_of(frame)
    assert len(mine) == 1 and len(everything) == 1
    [episode] = mine.itertuples()
    published = FIRST + timedelta(days=33)
    assert episode.episode_start == published + timedelta(days=1)
    assert episode.last_seen == published + timedelta(days=3)
    assert episode.status == "closed"  # ages 4 and 5 were back inside the band
    peers = [curve(episode.age, 1.0 + 0.02 * (i % 5)) for i in range(11)]  # independent: the peers' values
    assert episode.expected == pytest.approx(median(peers))
    assert episode.ratio == pytest.approx(episode.value / median(peers))


def test_no_alert_without_a_boost():
    assert episodes_of(post_days())[1].empty


def test_back_to_normal_then_up_again_is_two_episodes():
    boost = {(11, age): 5.0 for age in (1, 2, 7, 8)}
    mine, _ = episodes_of(post_days(boost=boost))
    published = FIRST + timedelta(days=33)
    assert list(mine["episode_start"]) == [published + timedelta(days=1), published + timedelta(days=7)]


def test_one_day_back_inside_the_band_does_not_end_the_episode():
    boost = {(11, age): 5.0 for age in (1, 2, 4, 5)}  # age 3 normal: 1 judged day < close_after_days (2)
    mine, _ = episodes_of(post_days(boost=boost))
    assert len(mine) == 1 and mine.iloc[0]["days_flagged"] == 4


def test_below_the_minimum_volume_no_alert():
    small = post_days(boost={(11, age): 5.0 for age in (1, 2)}, scale_of=lambda i: 0.05 * (1 + 0.02 * (i % 5)))
    assert small.loc[small.post_id == TARGET, "views"].max() < 1000  # the default min_views
    assert episodes_of(small)[1].empty
    assert len(episodes_of(small, min_views=100)[0]) == 1  # the volume was the only reason


def test_below_the_factor_no_alert():
    frame = post_days(boost={(11, age): 2.5 for age in (1, 2)})
    assert episodes_of(frame)[1].empty                    # 2.5× < factor 3
    assert len(episodes_of(frame, factor=2.0)[0]) == 1


def test_estimated_days_are_not_judged():
    frame = post_days(boost={(11, age): 5.0 for age in (1, 2)})
    boosted_days = [FIRST + timedelta(days=34), FIRST + timedelta(days=35)]
    frame.loc[(frame.post_id == TARGET) & frame.metric_date.isin(boosted_days), "is_estimated"] = True
    assert episodes_of(frame)[1].empty
    judged = judge_posts(frame, settings(), FIRST, last_day(frame))
    target = judged[judged.post_id == TARGET]
    assert len(target) > 20 and not target.metric_date.isin(boosted_days).any()


def test_too_few_peers_falls_back_to_history_then_to_no_judgement():
    frame = post_days(n_posts=12, boost={(11, 1): 5.0})
    judged = judge_posts(frame, settings(peer_days=7), FIRST, last_day(frame))
    target = judged[judged.post_id == TARGET]
    assert set(target["method"]) == {"post_age_peers_history"}  # 2 posts in 7 days < min_peers 4
    first_posts = judged[judged.post_id.isin(["p00", "p01", "p02", "p03"])]
    assert first_posts.empty  # no 4 earlier posts: never judged


def test_post_anomalies_rows_have_the_mart_shape_and_a_reason_in_words():
    frame = post_days(boost={(11, 1): 5.0})
    rows = post_anomalies(frame, settings(), FIRST, last_day(frame))
    assert list(rows.columns) == list(ANOMALY_COLUMNS)
    [row] = rows.itertuples()
    assert (row.level, row.post_id, row.direction, row.metric) == ("post", TARGET, "spike", "views")
    assert row.severity == pytest.approx(abs(row.score)) and row.score > 3
    expected = median(curve(1, 1.0 + 0.02 * (i % 5)) for i in range(11))
    assert row.reason == f"views {row.value / expected:.1f}× the expected {expected:,.0f} for a post on its 2nd day"
    everything = post_anomalies(frame, settings(), FIRST, last_day(frame), only_anomalous=False)
    assert len(everything) > 100 and set(everything.direction) == {"spike", "drop"}
    assert everything.anomaly_id.is_unique
