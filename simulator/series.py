"""Vectorised generation of an account's posts and their daily metric series.

Everything here is numpy over flat arrays (one element per post-day, posts laid
end to end) so that a year of an account is a handful of array operations, and
every random draw is keyed by (stream, post key, post age) via `simulator.rand`
so values never depend on the horizon they were generated for.

Model (per post): a launch rate of views that decays exponentially with a
long-tail floor (integrated over each UTC day, so the publish day only counts
the hours after publishing); engagement = views x per-format rates x account
taste x a publish-slot effect (Tue-Thu 17-20 h local clearly better, nights
worse) x day noise; watch time from a per-post retention curve whose mean is
the average watched share of the video.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simulator import rand
from simulator.profiles import PlatformProfile

DAY_S = 86_400
METRICS: tuple[str, ...] = (
    "views", "engaged_views", "likes", "dislikes", "comments", "shares", "saves",
    "watch_time_min", "avg_view_duration_s", "followers_gained", "followers_lost",
)
ADDITIVE: tuple[str, ...] = tuple(m for m in METRICS if m != "avg_view_duration_s")
RETENTION_POINTS = 100

# Local publish-hour weights: creators rarely post at night.
_HOUR_W = np.array([0.1] * 7 + [0.6] * 5 + [1.0] * 5 + [1.2] * 4 + [0.8] * 3)
_HOUR_CDF = np.cumsum(_HOUR_W) / _HOUR_W.sum()
_SLOTS = 4  # candidate slots per week; the first n (2..4) are used


@dataclass
class AccountParams:
    """Per-account constants drawn once from the account key."""

    launch_rate: float   # median launch views/day of a long video
    follower_base: int   # followers at the start of the simulated history
    taste: float         # engagement multiplier of this audience
    follow_mult: float
    shorts_bias: float   # shifts the format mix


def account_params(key: int) -> AccountParams:
    u = [float(rand.uniform(900 + i, key)) for i in range(5)]
    z = float(rand.normal(950, key))
    launch = float(np.clip(1500.0 * np.exp(1.1 * z), 40.0, 400_000.0))
    return AccountParams(
        launch_rate=launch,
        follower_base=int(launch * (4.0 + 26.0 * u[0])),
        taste=0.7 + 0.6 * u[1],
        follow_mult=0.6 + 0.8 * u[2],
        shorts_bias=-0.15 + 0.3 * u[3],
    )


@dataclass
class PostTable:
    """Column arrays, one row per post, sorted by publish time (oldest first)."""

    key: np.ndarray          # uint64
    week: np.ndarray         # int64 (week since created, for titles)
    published_ts: np.ndarray  # int64 epoch seconds UTC
    fmt: np.ndarray          # int64 index into profile.formats
    duration_s: np.ndarray   # int64, 0 when the format has no duration
    local_weekday: np.ndarray  # 0 = Monday
    local_hour: np.ndarray
    launch: np.ndarray       # float launch views/day
    decay: np.ndarray
    tail: np.ndarray
    slot_eng: np.ndarray
    quality: np.ndarray
    swipe: np.ndarray        # share of views swiped away (0 when not applicable)
    retention: np.ndarray    # (n, 100) audienceWatchRatio
    relative: np.ndarray     # (n, 100) relativeRetentionPerformance
    watch_ratio: np.ndarray  # mean of the retention curve

    def __len__(self) -> int:
        return len(self.key)


def build_posts(key: int, profile: PlatformProfile, params: AccountParams, created_ts: int,
                created_weekday: int, utc_offsets: Callable[[np.ndarray], np.ndarray], end_ts: int) -> PostTable:
    """Posts published in [created_ts, end_ts) following a weekly 2-4 posts cadence; days and hours are
    the account's local ones, `utc_offsets` maps each local time to its UTC offset in minutes."""
    n_weeks = (end_ts - created_ts) // (7 * DAY_S) + 2
    w = np.repeat(np.arange(n_weeks, dtype=np.int64), _SLOTS)
    s = np.tile(np.arange(_SLOTS, dtype=np.int64), n_weeks)
    lo, hi = profile.posts_per_week
    n_this_week = lo + np.floor(rand.uniform(1, key, w) * (hi - lo + 1)).astype(np.int64)
    slot = w * 8 + s
    dow = np.floor(rand.uniform(2, key, slot) * 7).astype(np.int64)
    hour = np.minimum(np.searchsorted(_HOUR_CDF, rand.uniform(3, key, slot)), 23).astype(np.int64)
    sec_in_hour = np.floor(rand.uniform(4, key, slot) * 3600).astype(np.int64)
    local_ts = created_ts + (w * 7 + dow) * DAY_S + hour * 3600 + sec_in_hour
    utc_ts = local_ts - utc_offsets(local_ts) * 60
    keep = (s < n_this_week) & (utc_ts >= created_ts) & (utc_ts < end_ts)
    order = np.argsort(utc_ts[keep], kind="stable")
    w, slot, dow, hour, utc_ts = (a[keep][order] for a in (w, slot, dow, hour, utc_ts))
    pkey = rand.hash_parts(5, key, slot)
    return _post_attributes(profile, params, pkey, w, utc_ts, (created_weekday + dow) % 7, hour)


def _post_attributes(profile: PlatformProfile, params: AccountParams, pkey: np.ndarray, week: np.ndarray,
                     utc_ts: np.ndarray, weekday: np.ndarray, hour: np.ndarray) -> PostTable:
    fmts = profile.formats
    shares = np.array([f.share for f in fmts], dtype=float)
    if len(fmts) > 1:  # the account's bias moves share from the last format to the first
        shares[0] += params.shorts_bias * shares[0]
    cdf = np.cumsum(shares) / shares.sum()
    fmt = np.minimum(np.searchsorted(cdf, rand.uniform(10, pkey), side="right"), len(fmts) - 1)

    def per_format(getter, default=(0.0, 0.0)):
        lo = np.array([(getter(f) or default)[0] for f in fmts], dtype=float)[fmt]
        hi = np.array([(getter(f) or default)[1] for f in fmts], dtype=float)[fmt]
        return lo, hi

    def draw(getter, stream, default=(0.0, 0.0)):
        lo, hi = per_format(getter, default)
        return lo + (hi - lo) * rand.uniform(stream, pkey)

    duration = np.floor(draw(lambda f: f.duration_s, 11)).astype(np.int64)
    prime = (weekday >= 1) & (weekday <= 3) & (hour >= 17) & (hour <= 20)
    night = (hour >= 22) | (hour < 7)
    weekend = weekday >= 5
    slot_eng = np.where(prime, 1.4, 1.0) * np.where(night, 0.8, 1.0) * np.where(weekend, 0.92, 1.0)
    slot_views = np.where(prime, 1.25, 1.0) * np.where(night, 0.85, 1.0)
    quality = np.exp(0.55 * rand.normal(12, pkey) - 0.15)
    views_mult = np.array([f.views_mult for f in fmts])[fmt]
    start = draw(lambda f: f.watch_start, 13)
    end = draw(lambda f: f.watch_end, 14)
    k = rand.between(1.5, 4.0, 15, pkey)[:, None]
    x = np.arange(1, RETENTION_POINTS + 1) / RETENTION_POINTS
    curve = end[:, None] + (start - end)[:, None] * (np.exp(-k * x) - np.exp(-k)) / (1 - np.exp(-k))
    curve = curve * (1 + 0.01 * rand.normal(16, pkey[:, None], np.arange(RETENTION_POINTS)))
    curve = np.minimum.accumulate(np.maximum(curve, 0.0), axis=1)
    wiggle = 0.04 * rand.normal(17, pkey[:, None], np.arange(RETENTION_POINTS))
    relative = np.clip(0.5 + 0.3 * np.log(quality)[:, None] + wiggle, 0.0, 1.0)
    swipe = np.where(np.array([f.swipe_away is not None for f in fmts])[fmt],
                     draw(lambda f: f.swipe_away, 18), 0.0)
    return PostTable(
        key=pkey, week=week, published_ts=utc_ts, fmt=fmt.astype(np.int64), duration_s=duration,
        local_weekday=weekday, local_hour=hour,
        launch=params.launch_rate * views_mult * quality * slot_views,
        decay=draw(lambda f: f.decay_days, 19), tail=draw(lambda f: f.tail, 20),
        slot_eng=slot_eng, quality=quality, swipe=swipe,
        retention=curve, relative=relative, watch_ratio=curve.mean(axis=1),
    )


@dataclass
class _Fields:
    """Cheap per-element randomness: each 64-bit hash is cut into four 16-bit uniforms.

    A fresh splitmix per stream dominated generation time; 16-bit resolution is
    plenty for dithering and for the mild (sigma <= 0.2) multiplicative noise here.
    """

    def __init__(self, base: np.ndarray) -> None:
        self._base = base
        self._words: dict[int, np.ndarray] = {}

    def uniform(self, stream: int) -> np.ndarray:
        word, field = divmod(stream, 4)
        w = self._words.get(word)
        if w is None:  # (n, 4) uint16 view of the hash, converted once per word
            h = rand.mix(self._base ^ np.uint64(word + 1))
            w = self._words[word] = (h.view(np.uint16).reshape(-1, 4) + np.float32(0.5)) / np.float32(65536)
        return w[:, field]

    def normal(self, stream: int) -> np.ndarray:
        """Approximately standard normal (Irwin-Hall of four uniforms of one hash word)."""
        s = self.uniform(stream) + self.uniform(stream + 1) + self.uniform(stream + 2) + self.uniform(stream + 3)
        return (s - 2.0) * np.sqrt(3.0)


@dataclass
class Flat:
    """Post-day elements laid end to end: post i occupies [start[i], start[i] + length[i])."""

    post: np.ndarray   # int64 row in PostTable
    day: np.ndarray    # int64 day index since the account's created date
    start: np.ndarray
    length: np.ndarray
    values: dict[str, np.ndarray]  # metric -> int32 (halves memory; sums are taken in int64)


def build_series(profile: PlatformProfile, params: AccountParams, posts: PostTable, created_ts: int,
                 created_weekday: int, through_day: int) -> Flat:
    """Final daily values of every post from its publish day to `through_day` inclusive."""
    p_day = (posts.published_ts - created_ts) // DAY_S
    f0 = ((posts.published_ts - created_ts) % DAY_S) / DAY_S
    length = np.maximum(through_day - p_day + 1, 0)
    start = np.cumsum(length) - length
    total = int(length.sum())
    post = np.repeat(np.arange(len(posts)), length)
    age = np.arange(total) - np.repeat(start, length)
    day = p_day[post] + age
    fields = _Fields(rand.hash_parts(30, posts.key[post], age))
    u, z = fields.uniform, fields.normal

    def rnd(x: np.ndarray, stream: int) -> np.ndarray:
        return (np.maximum(x, 0.0) + u(stream)).astype(np.int32)  # truncation == floor for x >= 0

    tau, tail = posts.decay[post], posts.tail[post]
    t0 = np.maximum(age - f0[post], 0.0)
    t1 = age + 1 - f0[post]
    integral = tau * (np.exp(-t0 / tau) - np.exp(-t1 / tau)) + tail * (t1 - t0)
    weekend = ((created_weekday + day) % 7) >= 5
    views_f = posts.launch[post] * integral * np.where(weekend, 1.08, 1.0) * np.exp(0.2 * z(0) - 0.02)
    views = rnd(views_f, 16)
    eng = params.taste * posts.slot_eng[post] * posts.quality[post] ** 0.15 * np.exp(0.15 * z(4) - 0.01)
    fmt = posts.fmt[post]

    def rate(attr: str) -> np.ndarray:
        return np.array([getattr(f, attr) for f in profile.formats])[fmt]

    likes = rnd(views * rate("like_rate") * eng, 17)
    gained = rnd(views * rate("follow_rate") * eng * params.follow_mult, 18)
    ratio = posts.watch_ratio[post] * (1 + 0.05 * z(8))
    avd = np.where(views > 0, np.maximum(np.rint(posts.duration_s[post] * ratio), 1), 0).astype(np.int32)
    avd = np.where(posts.duration_s[post] > 0, avd, 0)
    swiped = np.clip(posts.swipe[post] + 0.03 * z(12), 0.0, 0.95)
    engaged = np.where(posts.swipe[post] > 0, np.minimum(rnd(views * (1 - swiped), 19), views), views)
    values = {
        "views": views,
        "engaged_views": engaged,
        "likes": likes,
        "dislikes": rnd(likes * 0.03, 20),
        "comments": rnd(views * rate("comment_rate") * eng, 21),
        "shares": rnd(views * rate("share_rate") * eng, 22),
        "saves": rnd(views * rate("save_rate") * eng, 23),
        "watch_time_min": rnd(views * (avd / 60.0), 24),
        "avg_view_duration_s": avd,
        "followers_gained": gained,
        "followers_lost": rnd(gained * 0.12 + views * 0.0001, 25),
    }
    return Flat(post=post, day=day, start=start, length=length, values=values)


def organic_followers(key: int, params: AccountParams, n_days: int) -> tuple[np.ndarray, np.ndarray]:
    """Follows/unfollows not attributable to a post (profile visits, search...), per day."""
    d = np.arange(n_days)
    base = params.follower_base
    gained = rand.dither_round(base * 0.0004 * np.exp(0.3 * rand.normal(70, key, d)), 72, key, d)
    lost = rand.dither_round(base * 0.00025 * np.exp(0.3 * rand.normal(74, key, d)), 76, key, d)
    return gained, lost


def completeness(key: int, profile: PlatformProfile, day: np.ndarray, lag: np.ndarray) -> np.ndarray:
    """Share of the final value reported for `day` when it is `lag` days old (1.0 when final)."""
    out = np.ones(np.shape(day))
    for days_ago, share in profile.completeness.items():
        jitter = (1.0 - share) * 0.2 * (2 * rand.uniform(80 + days_ago, key, day) - 1)
        out = np.where(lag == days_ago, share + jitter, out)
    return out


def scale_partial(values: np.ndarray, share: np.ndarray, stream: int, *coords: np.ndarray | int) -> np.ndarray:
    """`values x share` for incomplete days, dithered with a value fixed per coordinates.

    Flooring each post-day would under-report small counts far below `share`;
    a fixed per-(post, day) dither keeps sums close to `share`, never exceeds
    the final value, only grows as `share` grows, and equals the final value
    once complete.
    """
    out = np.asarray(values).astype(np.int64)
    part = share < 1.0
    if part.any():
        sub = [np.broadcast_to(np.asarray(c), part.shape)[part] for c in coords]
        u = rand.uniform(stream, *sub)
        out[part] = np.floor(out[part] * share[part] + u).astype(np.int64)
    return out
