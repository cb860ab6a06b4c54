"""The synthetic world: determinism, growth, data lag, model signal and speed."""

from __future__ import annotations

import re
from datetime import timedelta

import numpy as np
import pytest

from simulator.platforms import PROFILES
from simulator.series import ADDITIVE
from simulator.world import World

from .conftest import NOW


def _world(seed: int = 3, **kw) -> World:
    return World(seed, NOW, profiles=PROFILES, **kw)


def test_same_seed_and_clock_give_identical_accounts():
    a, b = _world().account("youtube", "UCsame"), _world().account("youtube", "UCsame")
    assert [p.id for p in a.posts] == [p.id for p in b.posts]
    assert a.posts == b.posts
    for m, v in a.lifetimes().items():
        assert np.array_equal(v, b.lifetimes()[m])
    assert np.array_equal(a.daily(a.posts[5])["views"], b.daily(b.posts[5])["views"])


def test_different_seed_or_account_gives_different_data():
    base = _world(3).account("youtube", "UCx")
    other_seed = _world(4).account("youtube", "UCx")
    other_id = _world(3).account("youtube", "UCy")
    ids = {p.id for p in base.posts}
    assert ids.isdisjoint(p.id for p in other_seed.posts)
    assert ids.isdisjoint(p.id for p in other_id.posts)
    assert base.lifetimes()["views"].sum() != other_seed.lifetimes()["views"].sum()


def test_posts_shape_cadence_and_formats():
    world = _world()
    shorts = total = 0
    for i in range(6):
        acct = world.account("youtube", f"UCfmt{i}")
        posts = acct.posts
        weeks = (NOW.date() - acct.created).days / 7
        assert 2 * (weeks - 2) <= len(posts) <= 4 * (weeks + 1)
        assert all(re.fullmatch(r"[A-Za-z0-9_-]{11}", p.id) for p in posts)
        assert len({p.id for p in posts}) == len(posts)
        assert [p.published_at for p in posts] == sorted(p.published_at for p in posts)
        assert all(acct.created_at <= p.published_at <= NOW for p in posts)
        for p in posts:
            lo, hi = (15, 180) if p.format == "short" else (240, 2400)
            assert lo <= p.duration_s <= hi, p
            assert "#" in p.title and p.hashtags and all(h in p.title for h in p.hashtags)
        shorts += sum(p.format == "short" for p in posts)
        total += len(posts)
    assert 0.28 <= shorts / total <= 0.52


def test_daily_values_are_non_negative_integers_and_consistent():
    acct = _world().account("youtube", "UCdaily")
    for post in acct.posts[::7]:
        d = acct.daily(post)
        assert d.dates[0] == np.datetime64(post.published_at.date())
        assert d.dates[-1] == np.datetime64(NOW.date())
        for m in ADDITIVE:
            assert d[m].dtype.kind == "i" and (d[m] >= 0).all(), m
        assert (d["engaged_views"] <= d["views"]).all()
        if post.format == "short":
            assert d["engaged_views"].sum() < 0.75 * d["views"].sum()
        else:
            assert np.array_equal(d["engaged_views"], d["views"])
        assert d["views"][:3].max() > d["views"][-30:].mean()  # launch spike, then decay


def test_lifetime_counters_only_grow_with_the_clock():
    world = _world()
    acct = world.account("youtube", "UCgrow")
    times = [NOW + timedelta(hours=h) for h in (0, 1, 7, 11.9, 12.1, 30, 24 * 4 + 5)]
    snapshots = [acct.lifetimes(t) for t in times]
    for earlier, later in zip(snapshots, snapshots[1:], strict=False):
        n = len(earlier["views"])
        assert len(later["views"]) >= n
        for m in ADDITIVE:
            assert (later[m][:n] >= earlier[m][:n]).all(), m
    assert snapshots[-1]["views"].sum() > snapshots[0]["views"].sum()


def test_lifetime_at_midnight_is_the_sum_of_completed_days():
    acct = _world().account("youtube", "UCmid")
    midnight = NOW.replace(hour=0)
    post = acct.posts_at(midnight)[-3]
    d = acct.daily(post, end=midnight.date() - timedelta(days=1))
    life = acct.lifetime(post, midnight)
    assert life["views"] == int(d["views"].sum()) and life["likes"] == int(d["likes"].sum())


def test_moving_the_clock_keeps_history_and_adds_posts():
    world = _world()
    acct = world.account("youtube", "UCclock")
    before = {p.id: acct.daily(p)["views"] for p in acct.posts}
    world.set_now(NOW + timedelta(days=20))
    after_posts = acct.posts
    assert len(after_posts) > len(before)
    for p in after_posts[: len(before)]:
        old = before[p.id]
        assert np.array_equal(acct.daily(p)["views"][: len(old)], old)


def test_reported_rows_lag_two_days_and_fill_in_late():
    world = _world()
    acct = world.account("youtube", "UClag")
    rep = acct.reported()
    assert rep.dates.max() == np.datetime64(NOW.date() - timedelta(days=2))
    day = np.datetime64(NOW.date() - timedelta(days=2))
    final = acct.account_daily(start=NOW.date() - timedelta(days=2), end=NOW.date() - timedelta(days=2))
    early = rep.values["views"][rep.dates == day].sum()
    assert 0.80 * final["views"][0] <= early <= 0.90 * final["views"][0]
    d3 = NOW.date() - timedelta(days=3)
    final3 = acct.account_daily(start=d3, end=d3)["views"][0]
    assert 0.95 * final3 <= rep.values["views"][rep.dates == np.datetime64(d3)].sum() < final3
    world.set_now(NOW + timedelta(days=3))
    later = acct.reported()
    assert later.values["views"][later.dates == day].sum() == final["views"][0] > early


def test_retention_curves_and_audience():
    acct = _world().account("youtube", "UCret")
    shorts_start = []
    for post in acct.posts[::5]:
        r = acct.retention(post)
        assert len(r.ratio) == 100 and r.ratio[0] == pytest.approx(0.01) and r.ratio[-1] == pytest.approx(1.0)
        assert (np.diff(r.audience_watch_ratio) <= 1e-12).all()
        assert ((0 <= r.relative_performance) & (r.relative_performance <= 1)).all()
        if post.format == "short":
            shorts_start.append(r.audience_watch_ratio[0])
    assert shorts_start and max(shorts_start) > 1.0
    demo = acct.demographics()
    assert len(demo) == 21 and round(sum(p for _, _, p in demo), 6) == 100.0
    split = acct.country_split(12345)
    assert sum(v for _, v in split) == 12345 and split[0][0] == acct.home_country


def test_prime_time_posts_engage_better():
    world = _world(11)
    prime, other = [], []
    for i in range(8):
        acct = world.account("youtube", f"UCslot{i}")
        life = acct.lifetimes()
        for p in acct.posts:
            rate = life["likes"][p.index] / max(life["views"][p.index], 1)
            (prime if 1 <= p.local_weekday <= 3 and 17 <= p.local_hour <= 20 else other).append(rate)
    assert len(prime) > 30
    assert np.median(prime) > 1.2 * np.median(other)


def test_thousand_two_year_accounts_are_feasible_lazily():
    # (how fast an account generates is a benchmark's business — benchmarks/bench_simulator.py —
    # not a timed test: a loaded CI machine would fail it at random)
    world = World(9, NOW, profiles=PROFILES, history_days=730, cache_size=32)
    accounts = [world.account("youtube", f"UCbulk{i:04d}") for i in range(1000)]
    assert not any(a.generated for a in accounts)  # creating accounts generates nothing
    sample = accounts[::100]
    for account in sample:
        account.lifetimes()
    assert len(world._accounts) <= 32  # bounded cache: memory does not grow with the account count
    assert len(sample[0].posts) > 2 * 100


def test_an_account_posts_in_the_time_zone_the_workspace_declares():
    """Its local weekday/hour (where the prime-time effect lives) is the one read in the declared zone,
    across a DST change too; without a declaration the drawn fixed offset still applies."""
    from zoneinfo import ZoneInfo

    zone = "America/New_York"
    world = _world(1, time_zones={("youtube", "UCzoned"): zone}, history_days=300)
    posts = world.account("youtube", "UCzoned").posts
    offsets = set()
    for post in posts:
        local = post.published_at.astimezone(ZoneInfo(zone))
        assert (local.weekday(), local.hour) == (post.local_weekday, post.local_hour), post.id
        offsets.add(local.utcoffset())
    assert len(offsets) == 2  # summer and winter time both seen
    plain = _world(1, history_days=300).account("youtube", "UCzoned")
    shifted = [p.published_at + timedelta(minutes=plain.tz_offset_min) for p in plain.posts]
    assert [(t.weekday(), t.hour) for t in shifted] == [(p.local_weekday, p.local_hour) for p in plain.posts]
