"""The member, hourly-activity, retention and stickiness marts with real ingestion + dbt, against the truth.

Five simulated weeks (Mon 2026-10-05 .. Mon 2026-11-09) so cohorts have several weeks, MAU windows fill up
and peak hours have earlier weeks to come from. The truth (simulator/community/truth_rollups.py) recounts
every number from the delivered events; the workspace time zone var is unset here, so local = UTC.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest

from simulator.community import write_files
from tests.integration.community_build import ENGAGEMENT_BREAKS, SELECT, dbt, execute, load, rows

START, END, SEED = "2026-10-05T00:00:00+00:00", "2026-11-09T00:00:00+00:00", 7
FAULTS = {"duplicates": 20, "late": 10, "malformed": 4, "unknown_events": 6}
MARTS = ["mart_community_user_daily", "mart_community_activity", "mart_community_retention",
         "mart_community_stickiness"]
HOUR = timedelta(hours=1)


def _round(value: float, places: str) -> Decimal:
    """Postgres numeric round(): half away from zero."""
    return Decimal(repr(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


@pytest.fixture
def built(tidemark_env, runtime, tmp_path):
    manifest = write_files(tmp_path / "landing", START, END, SEED, communities=4, members=60, faults=FAULTS)
    load(runtime, manifest, FAULTS)
    build = dbt("build", "--select", *SELECT, target=tmp_path / "target")
    assert build.returncode == 0, build.stdout[-4000:]
    return runtime, manifest.truth, tmp_path


USER_COLUMNS = ("page_views", "actions_performed", "communities_viewed", "communities_joined",
                "community_online_time_s", "community_interactions", "geo_access_attempts", "geo_restricted_attempts",
                "travel_detected", "posts", "comments", "shares", "likes_given", "likes_received", "followers_gained",
                "followers_lost", "sessions", "recommendations_shown", "recommendations_clicked")


def check_user_daily(runtime, truth) -> None:
    got = {}
    for user, day, locations, spent, *rest in rows(runtime, f"""
            select user_id, day, locations_accessed_from, time_spent_s, {", ".join(USER_COLUMNS)}
            from marts.mart_community_user_daily"""):
        places = locations if isinstance(locations, list) else json.loads(locations)
        got[(user, day.isoformat())] = (tuple(rest), {(p["country"], p["region"], p["city"]) for p in places},
                                        float(spent))
    want = {key: (tuple(getattr(v, c) for c in USER_COLUMNS), set(v.locations), v.time_spent_s)
            for key, v in truth.member_days.items()}
    assert set(got) == set(want)
    for key, (counts, places, spent) in want.items():
        assert got[key][:2] == (counts, places), key
        assert got[key][2] == pytest.approx(spent, abs=2e-3), key
    # the fields are exercised, not all zero
    for column in ("likes_received", "followers_gained", "community_online_time_s", "geo_restricted_attempts"):
        assert any(getattr(v, column) for v in truth.member_days.values()), column
    assert {v.travel_detected for v in truth.member_days.values()} == {True, False, None}


def _expected_hours(truth, zone: ZoneInfo) -> dict[tuple[str, datetime], dict]:
    """Dense hourly rows per community (first activity .. last hour of data) with score and peak flag;
    weekday, hour and week in the workspace's time zone (Tidemark passes it to dbt)."""
    hours = {(c, datetime.fromisoformat(h)): v for (c, h), v in truth.community_hours.items()}
    last = max(h for _, h in hours)
    out: dict[tuple[str, datetime], dict] = {}
    for community in sorted({c for c, _ in hours}):
        hour = min(h for c, h in hours if c == community)
        while hour <= last:
            v = hours.get((community, hour))
            online = v.online if v else (0,) * 12
            out[(community, hour)] = {"avg": _round(sum(online) / 12, "0.01"), "peak": max(online),
                                      "activities": dict(v.activities) if v else {},
                                      "total": v.total_activities if v else 0}
            hour += HOUR
    by_community: dict[str, list[datetime]] = defaultdict(list)
    for community, hour in out:
        by_community[community].append(hour)
    for community, hour_list in by_community.items():
        hour_list.sort()
        totals = [out[(community, hour)]["total"] for hour in hour_list]
        slots: dict[date, dict[tuple[int, int], int]] = defaultdict(lambda: defaultdict(int))  # week -> slot -> n
        for hour, total in zip(hour_list, totals, strict=True):
            local = hour.astimezone(zone)
            slots[local.date() - timedelta(days=local.weekday())][(local.isoweekday(), local.hour)] += total
        for i, hour in enumerate(hour_list):
            row, peak = out[(community, hour)], max(totals[max(0, i - 671):i + 1])  # dense: 672 hours back
            row["score"] = _round(10 * row["total"] / peak, "0.1") if peak else Decimal("0.0")
            local = hour.astimezone(zone)
            week = local.date() - timedelta(days=local.weekday())
            prior: dict[tuple[int, int], int] = defaultdict(int)
            for back in range(1, 5):
                for slot, n in slots.get(week - timedelta(weeks=back), {}).items():
                    prior[slot] += n
            top = sorted(prior.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
            row["peak_hour"] = None if not prior else (local.isoweekday(), local.hour) in {s for s, n in top if n > 0}
    return out


def check_activity(runtime, truth) -> None:
    zone = ZoneInfo(runtime.workspace.workspace.timezone)
    want = _expected_hours(truth, zone)
    got = {(c, h): r for c, h, *r in rows(runtime, """
        select community_id, hour_start, online_members_avg, online_members_peak, views, joins, leaves, posts, comments,
               likes, shares, heartbeats, total_activities, activity_score, is_peak_hour, weekday, hour_of_day, day
        from marts.mart_community_activity""")}
    assert set(got) == set(want)
    kinds = ("view", "join", "leave", "post", "comment", "like", "share", "heartbeat")
    for key, w in want.items():
        local = key[1].astimezone(zone)
        expected = [w["avg"], w["peak"], *(w["activities"].get(k, 0) for k in kinds), w["total"], w["score"],
                    w["peak_hour"], local.isoweekday(), local.hour, local.date()]
        assert list(got[key]) == expected, key
    flags = [w["peak_hour"] for w in want.values()]
    assert None in flags and True in flags and False in flags
    assert max(w["peak"] for w in want.values()) >= 2


def check_daily_presence(runtime, truth) -> None:
    """mart_community_daily's presence now comes from the same model: its numbers are the hourly truth's."""
    samples: dict[tuple[str, str], list[int]] = defaultdict(list)
    for (community, hour), v in truth.community_hours.items():
        samples[(community, hour[:10])].extend(v.online)
    got = {(c, d.isoformat()): (avg, peak) for c, d, avg, peak in rows(runtime, """
        select community_id, day, avg_online_members, peak_online_members from marts.mart_community_daily""")}
    compared = 0
    for key, (avg, peak) in got.items():
        online = samples.get(key, [0])
        assert (avg, peak) == (_round(sum(online) / 288, "0.01"), max(online)), key
        compared += bool(samples.get(key))
    assert compared > 100


def check_retention(runtime, truth) -> None:
    got = {(c, w.isoformat(), k): (size, kept, rolling, rate, rolling_rate, new_rate)
           for c, w, k, size, kept, rolling, rate, rolling_rate, new_rate in rows(runtime, """
        select community_id, cohort_week, weeks_since_join, cohort_size, retained_members, rolling_retained_members,
               retention_rate, rolling_retention_rate, new_member_retention_rate
        from marts.mart_community_retention""")}
    assert {k: v[:3] for k, v in got.items()} == {
        k: (v.cohort_size, v.retained_members, v.rolling_retained_members) for k, v in truth.cohorts.items()}
    for (community, week, _k), (size, kept, rolling, rate, rolling_rate, new_rate) in got.items():
        assert rate == _round(kept / size * 100, "0.0001") and rolling_rate == _round(rolling / size * 100, "0.0001")
        week_one = truth.cohorts.get((community, week, 1))
        assert new_rate == (None if week_one is None else _round(week_one.retained_members / size * 100, "0.0001"))
    assert max(k for _, _, k in truth.cohorts) >= 4
    assert any(v.retained_members < v.rolling_retained_members for v in truth.cohorts.values())


def check_stickiness(runtime, truth) -> None:
    got = {(c, d.isoformat()): r for c, d, *r in rows(runtime, """
        select community_id, day, dau, wau, mau, stickiness_pct, mau_coverage_days, is_mau_complete
        from marts.mart_community_stickiness""")}
    first = min(date.fromisoformat(d) for _, d in truth.stickiness)
    want = {}
    for (community, day), (dau, wau, mau) in truth.stickiness.items():
        coverage = min(30, (date.fromisoformat(day) - first).days + 1)
        want[(community, day)] = [dau, wau, mau, _round(dau / mau * 100, "0.0001") if mau else None, coverage,
                                  coverage == 30]
    assert {k: list(v) for k, v in got.items()} == want
    assert any(v[5] for v in want.values()) and not all(v[5] for v in want.values())


def test_engagement_marts_match_truth(built):
    runtime, truth, _ = built
    check_user_daily(runtime, truth)
    check_activity(runtime, truth)
    check_daily_presence(runtime, truth)
    check_retention(runtime, truth)
    check_stickiness(runtime, truth)


def test_engagement_data_tests_can_fail(built):
    """Every data test on the four marts (and the singular tests over them) fails on its break."""
    runtime, _, tmp_path = built
    for sql in ENGAGEMENT_BREAKS:
        execute(runtime, sql)
    target = tmp_path / "target-broken"
    result = dbt("test", "--select", *MARTS, "--exclude", "test_type:unit", target=target)
    assert result.returncode != 0
    run = json.loads((target / "run_results.json").read_text())
    statuses = {r["unique_id"]: r["status"] for r in run["results"] if r["unique_id"].startswith("test.")}
    assert len(statuses) >= 17, sorted(statuses)
    assert all(status == "fail" for status in statuses.values()), statuses
