"""One simulated account: its posts, their daily series, snapshots and reports.

Three views of the same truth, matching what real APIs expose:
- `daily()` / `account_daily()`: the final ("true") value of each day;
- `lifetime()` / `lifetimes()`: what a live counter shows at a moment — all
  earlier days plus the elapsed share of today, so snapshots grow with the clock;
- `reported()`: what an analytics API shows — no rows for the last
  `report_lag_days` days, and the youngest reported days still incomplete
  (late-arriving data a lookback re-read must pick up).

An account is handed everything it needs by its world (clock, profile, created
date, a callback for its post ids), so it never imports `simulator.world`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from simulator import rand, series
from simulator.clock import Clock, as_utc
from simulator.models import DailySeries, Post, Report, Retention
from simulator.profiles import AGE_GROUPS, COUNTRIES, GENDERS, TIME_ZONES, TOPICS, PlatformProfile
from simulator.series import ADDITIVE, DAY_S
from simulator.text import post_texts


@dataclass
class _Generated:
    """Everything generated up to one horizon; swapped atomically so readers never mix horizons."""

    through: int
    table: series.PostTable
    flat: series.Flat
    posts: list[Post]
    by_id: dict[str, Post]
    org: tuple[np.ndarray, np.ndarray]
    cumsums: dict[str, np.ndarray] | None = None
    lifetime_cache: tuple[int, dict[str, np.ndarray]] | None = None


def _epoch(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())


def _largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    """Integers proportional to weights that sum exactly to total."""
    raw = weights / weights.sum() * total
    out = np.floor(raw).astype(np.int64)
    short = int(total - out.sum())
    if short > 0:
        out[np.argsort(-(raw - out), kind="stable")[:short]] += 1
    return out


class AccountWorld:
    """Generated lazily; regenerated (identically) when the clock passes the horizon."""

    def __init__(self, world: Clock, platform: str, account_id: str, *, profile: PlatformProfile,
                 created: date, on_generated: Callable[[list[str]], None] | None = None,
                 time_zone: str | None = None) -> None:
        """`world` is read for its seed and clock only; `on_generated` gets each generation's post ids.
        `time_zone`: the IANA zone the account posts in (the workspace declares it, so the weekday/hour
        effects land on the hours Tidemark reads as local); None: a fixed offset drawn from the key."""
        self.world, self.platform, self.account_id = world, platform, account_id
        self.key = rand.stable_key(world.seed, platform, account_id)
        self.profile = profile
        self.params = series.account_params(self.key)
        self.created: date = created
        self.created_at = datetime(self.created.year, self.created.month, self.created.day, tzinfo=UTC)
        self._day0 = _epoch(self.created)
        u = [float(rand.uniform(100 + i, self.key)) for i in range(4)]
        self.tz_offset_min, self.home_country = TIME_ZONES[int(u[0] * len(TIME_ZONES))]
        self.time_zone = ZoneInfo(time_zone) if time_zone else None
        self.topic = sorted(TOPICS)[int(u[1] * len(TOPICS))]
        self.follower_base = self.params.follower_base
        self._on_generated = on_generated
        self._lock = threading.RLock()
        self._gen: _Generated | None = None

    @property
    def generated(self) -> bool:
        """Whether the posts/series have been generated yet (accounts are lazy)."""
        return self._gen is not None

    # --- generation -------------------------------------------------------------------------------
    def day_index(self, d: date) -> int:
        return (d - self.created).days

    def _ensure(self, through_day: int) -> _Generated:
        gen = self._gen
        if gen is not None and through_day <= gen.through:
            return gen
        with self._lock:
            gen = self._gen
            if gen is not None and through_day <= gen.through:
                return gen
            end_ts = self._day0 + (through_day + 1) * DAY_S
            wd = self.created.weekday()
            table = series.build_posts(self.key, self.profile, self.params, self._day0, wd,
                                       self.utc_offsets, end_ts)
            flat = series.build_series(self.profile, self.params, table, self._day0, wd, through_day)
            posts = post_texts(table, self.profile, self.topic)
            org = series.organic_followers(self.key, self.params, through_day + 1)
            gen = _Generated(through_day, table, flat, posts, {p.id: p for p in posts}, org)
            self._gen = gen
        if self._on_generated is not None:
            self._on_generated([p.id for p in posts])
        return gen

    def _at(self, at: datetime | None) -> tuple[datetime, int, _Generated]:
        at = self.world.now if at is None else as_utc(at)
        today = self.day_index(at.date())
        return at, today, self._ensure(max(today, 0))

    def _dates(self, idx: np.ndarray) -> np.ndarray:
        return np.datetime64(self.created, "D") + idx.astype("timedelta64[D]")

    # --- posts ------------------------------------------------------------------------------------
    def posts_at(self, at: datetime | None = None) -> list[Post]:
        """Posts published at or before `at` (default: the world clock), oldest first."""
        at, _, g = self._at(at)
        n = int(np.searchsorted(g.table.published_ts, at.timestamp(), side="right"))
        return g.posts[:n]

    @property
    def posts(self) -> list[Post]:
        return self.posts_at(None)

    def find(self, post_id: str) -> Post | None:
        """A post of this account visible at the world clock, else None."""
        post = self._at(None)[2].by_id.get(post_id)
        return post if post is not None and post.published_at <= self.world.now else None

    def post(self, post_id: str) -> Post:
        post = self.find(post_id)
        if post is None:
            raise KeyError(post_id)
        return post

    # --- truth ------------------------------------------------------------------------------------
    def daily(self, post: Post, start: date | None = None, end: date | None = None) -> DailySeries:
        """Final daily values of one post, publish date .. min(end, today)."""
        _, today, g = self._at(None)
        f = g.flat
        s, n = int(f.start[post.index]), int(f.length[post.index])
        days = f.day[s:s + n]
        keep = days <= today
        if start is not None:
            keep &= days >= self.day_index(start)
        if end is not None:
            keep &= days <= self.day_index(end)
        sl = np.arange(s, s + n)[keep]
        return DailySeries(self._dates(f.day[sl]), {m: v[sl].astype(np.int64) for m, v in f.values.items()})

    def account_daily(self, start: date | None = None, end: date | None = None) -> DailySeries:
        """Final account-level daily totals (posts + follows not tied to a post)."""
        _, today, g = self._at(None)
        lo = 0 if start is None else max(self.day_index(start), 0)
        hi = today if end is None else min(self.day_index(end), today)
        idx = np.arange(lo, max(hi + 1, lo))
        f = g.flat
        out = {}
        for m in ADDITIVE:
            out[m] = np.bincount(f.day, weights=f.values[m], minlength=today + 1)[idx].astype(np.int64)
        out["followers_gained"] += g.org[0][idx]
        out["followers_lost"] += g.org[1][idx]
        return DailySeries(self._dates(idx), out)

    # --- live counters ----------------------------------------------------------------------------
    def lifetimes(self, at: datetime | None = None) -> dict[str, np.ndarray]:
        """Lifetime counters of every post visible at `at`, aligned with posts_at(at)."""
        at, today, g = self._at(at)
        at_ts = int(at.timestamp())
        cached = g.lifetime_cache
        if cached is not None and cached[0] == at_ts:
            return cached[1]
        f, table = g.flat, g.table
        n = int(np.searchsorted(table.published_ts, at_ts, side="right"))
        if g.cumsums is None:  # prefix sums make any snapshot O(posts), not O(post-days)
            g.cumsums = {m: np.concatenate(([0], np.cumsum(f.values[m], dtype=np.int64))) for m in ADDITIVE}
        start, length = f.start[:n], f.length[:n]
        p_day = f.day[start] if n else start
        k = np.clip(today - p_day, 0, length)          # complete days before today
        has_today = (today >= p_day) & (k < length)
        since = np.maximum(self._day0 + today * DAY_S, table.published_ts[:n])
        frac = np.clip((at_ts - since) / np.maximum(self._day0 + (today + 1) * DAY_S - since, 1), 0, 1)
        frac = np.where(has_today, frac, 0.0)
        idx_today = np.minimum(start + k, len(f.day) - 1) if n else start
        out = {}
        for m in ADDITIVE:
            cs = g.cumsums[m]
            part = np.floor(f.values[m][idx_today] * frac).astype(np.int64) if n else np.zeros(0, np.int64)
            out[m] = cs[start + k] - cs[start] + part
        g.lifetime_cache = (at_ts, out)
        return out

    def lifetime(self, post: Post, at: datetime | None = None) -> dict[str, int]:
        """One post's counters at `at`: days before today + elapsed share of today (floored)."""
        values = self.lifetimes(at)
        if post.index >= len(values["views"]):
            return {m: 0 for m in ADDITIVE}
        return {m: int(v[post.index]) for m, v in values.items()}

    def followers(self, at: datetime | None = None) -> int:
        at, today, gen = self._at(at)
        frac = (at.timestamp() - (self._day0 + today * DAY_S)) / DAY_S
        g, lost = gen.org
        organic = int(g[:today].sum() - lost[:today].sum()) + int(g[today] * frac) - int(lost[today] * frac)
        life = self.lifetimes(at)
        net = int(life["followers_gained"].sum() - life["followers_lost"].sum())
        return max(self.follower_base + organic + net, 0)

    # --- analytics view ---------------------------------------------------------------------------
    def _window(self, at: datetime | None, start: date | None,
                end: date | None) -> tuple[int, int, int, _Generated]:
        _, today, g = self._at(at)
        last = today - self.profile.report_lag_days
        lo = 0 if start is None else max(self.day_index(start), 0)
        hi = last if end is None else min(self.day_index(end), last)
        return today, lo, hi, g

    def reported(self, at: datetime | None = None, start: date | None = None, end: date | None = None,
                 posts: list[Post] | None = None) -> Report:
        """Post-day rows an analytics API returns at `at` for [start, end] (lag + late data)."""
        today, lo, hi, g = self._window(at, start, end)
        f = g.flat
        mask = (f.day >= lo) & (f.day <= hi)
        if posts is not None:
            mask &= np.isin(f.post, np.array([p.index for p in posts], dtype=np.int64))
        day = f.day[mask]
        share = series.completeness(self.key, self.profile, day, today - day)
        keys = g.table.key[f.post[mask]]
        values = {m: series.scale_partial(f.values[m][mask], share, 200, keys, day)
                  for m in ADDITIVE}  # one dither for all metrics keeps engaged <= views etc.
        values["avg_view_duration_s"] = f.values["avg_view_duration_s"][mask]
        values["view_seconds"] = values["views"] * values["avg_view_duration_s"]
        return Report(post=f.post[mask], dates=self._dates(day), values=values)

    def reported_organic(self, at: datetime | None = None, start: date | None = None,
                         end: date | None = None) -> DailySeries:
        """Reported follows/unfollows not tied to a post, per day in the analytics window."""
        today, lo, hi, gen = self._window(at, start, end)
        idx = np.arange(lo, max(hi + 1, lo))
        share = series.completeness(self.key, self.profile, idx, today - idx)
        g, lost = gen.org
        return DailySeries(self._dates(idx), {
            "followers_gained": series.scale_partial(g[idx], share, 220, self.key, idx),
            "followers_lost": series.scale_partial(lost[idx], share, 221, self.key, idx),
        })

    def retention(self, post: Post) -> Retention:
        table = self._at(None)[2].table
        i = post.index
        ratio = np.arange(1, series.RETENTION_POINTS + 1) / series.RETENTION_POINTS
        return Retention(ratio, table.retention[i].copy(), table.relative[i].copy())

    # --- audience ---------------------------------------------------------------------------------
    def demographics(self) -> list[tuple[str, str, float]]:
        """(ageGroup, gender, viewer percentage) with one decimal, summing to exactly 100.0."""
        base = np.array([0.04, 0.2, 0.32, 0.2, 0.12, 0.07, 0.05])
        age = base * np.exp(0.4 * rand.normal(110, self.key, np.arange(len(base))))
        female = rand.between(0.25, 0.75, 111, self.key)
        other = rand.between(0.005, 0.03, 112, self.key)
        gender = np.array([female * (1 - other), (1 - female) * (1 - other), other]).ravel()
        tenths = _largest_remainder(np.outer(age, gender).ravel(), 1000)
        pairs = [(a, g) for a in AGE_GROUPS for g in GENDERS]
        return [(a, g, round(int(t) / 10, 1)) for (a, g), t in zip(pairs, tenths, strict=True)]

    def country_shares(self) -> list[tuple[str, float]]:
        """Audience share per country, largest first (the home country leads)."""
        w = rand.uniform(120, self.key, np.arange(len(COUNTRIES))) ** 2
        home = COUNTRIES.index(self.home_country)
        w = w / w.sum() * (1 - 0.5)
        w[home] += 0.35 + 0.3 * float(rand.uniform(121, self.key))
        w = w / w.sum()
        order = np.argsort(-w, kind="stable")
        return [(COUNTRIES[i], float(w[i])) for i in order]

    def country_split(self, total: int) -> list[tuple[str, int]]:
        """Split an integer total over countries; parts sum exactly to `total`."""
        shares = self.country_shares()
        parts = _largest_remainder(np.array([s for _, s in shares]), int(total))
        return [(c, int(p)) for (c, _), p in zip(shares, parts, strict=True)]

    def utc_offsets(self, local_ts: np.ndarray) -> np.ndarray:
        """UTC offset in minutes of each local wall-clock time (seconds since epoch, read as local)."""
        if self.time_zone is None:
            return np.full(len(local_ts), self.tz_offset_min, dtype=np.int64)
        offsets = [datetime.fromtimestamp(int(t), UTC).replace(tzinfo=self.time_zone).utcoffset() for t in local_ts]
        return np.array([int(o.total_seconds()) // 60 for o in offsets], dtype=np.int64)

    def local_time(self, ts: datetime) -> datetime:
        if self.time_zone is not None:
            return as_utc(ts).astimezone(self.time_zone).replace(tzinfo=UTC)
        return ts + timedelta(minutes=self.tz_offset_min)
