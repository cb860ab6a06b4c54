"""Episodes and dedupe without a database: the ids an evaluation gives are stable across reruns,
a later run continues the stored episode, and a shifted start adopts the stored alert."""

from datetime import timedelta

import pandas as pd

from insights.alerts.episodes import find_episodes
from insights.alerts.store import adopt_existing, with_ids
from insights.alerts.viral import viral_episodes
from tests.unit.insights.alert_frames import FIRST, last_day, post_days, settings


def alerts(frame, start=FIRST, **changes):
    found = viral_episodes(frame, settings(**changes), start, last_day(frame))
    return with_ids(found.assign(message="m", run_id="r"))


def test_the_same_frame_evaluated_twice_is_still_one_alert():
    frame = post_days(boost={(11, age): 5.0 for age in (1, 2, 3)})
    stored = {}
    for _ in range(2):
        for row in alerts(frame).itertuples():
            stored.setdefault(row.alert_id, row)  # what `insert … on conflict do nothing` keeps
    assert len(stored) == 1


def test_a_later_run_whose_window_cuts_the_episode_continues_the_stored_alert():
    frame = post_days(boost={(11, age): 5.0 for age in range(1, 6)}, days=37)  # still rising at the end
    first = alerts(frame)
    assert list(first.status) == ["open"]
    later = post_days(boost={(11, age): 5.0 for age in range(1, 8)}, days=40)
    cut = alerts(later, start=FIRST + timedelta(days=36))  # the window starts inside the episode
    assert cut.iloc[0]["alert_id"] != first.iloc[0]["alert_id"]
    stored = first[["alert_id", "kind", "platform", "account_id", "post_id", "episode_start", "last_seen"]]
    adopted = adopt_existing(cut, stored, close_after_days=2)
    assert list(adopted.alert_id) == list(first.alert_id)
    assert list(adopted.episode_start) == list(first.episode_start)


def test_a_new_episode_after_the_stored_one_closed_keeps_its_own_id():
    frame = post_days(boost={(11, age): 5.0 for age in (1, 2, 7, 8)})
    both = alerts(frame)
    stored = both.iloc[[0]][["alert_id", "kind", "platform", "account_id", "post_id", "episode_start", "last_seen"]]
    adopted = adopt_existing(both, stored, close_after_days=2)
    assert adopted.alert_id.nunique() == 2 and set(adopted.alert_id) == set(both.alert_id)


def test_episode_status_and_calm_days():
    days = pd.DataFrame({"k": "a", "day": range(8), "flag": [0, 1, 1, 0, 1, 0, 0, 1],
                         "peak": [0, 5, 9, 0, 7, 0, 0, 3]}).astype({"flag": bool})
    found = find_episodes(days, ["k"], close_after=2)
    assert list(found.episode_start) == [1, 7]
    assert list(found.last_seen) == [4, 7]
    assert list(found.status) == ["closed", "open"]
    assert list(found.peak_day) == [2, 7]
