"""Ground truth in each platform's own terms: what a perfect pipeline would report.

The world knows the final value of every post and account day (`AccountWorld.daily`,
`account_daily`) and every live counter at any moment (`lifetime`, `followers`). The platforms
serve those numbers under their own names and rules; this module applies the same mapping, so a
test can compare Tidemark's marts with the truth column by column:

| platform  | views                       | impressions | likes           | comments  | shares            | saves     |
|-----------|-----------------------------|-------------|-----------------|-----------|-------------------|-----------|
| youtube   | views                       | —           | likes           | comments  | shares            | —         |
| facebook  | media views / plays         | —           | reactions (all) | comments  | shares            | —         |
| instagram | views                       | —           | likes ¹         | comments ¹| shares            | saved ¹   |
| tiktok    | views                       | —           | likes           | comments  | shares            | favorites |
| x         | impression_count            | = views     | likes           | replies   | retweets + quotes | bookmarks |
| linkedin  | video views (video posts)   | impressions | likes           | comments  | reposts           | —         |

¹ Instagram stories: no likes and no saved in the STORY insights (None); comments = replies.

`engagements = likes + comments + shares` (saves are not engagements). World metric behind each
cell: views = `views` (LinkedIn video views = `engaged_views`), likes/comments/shares/saves = the
metric of the same name; X splits `shares` into retweets + quotes and they add back up exactly;
Facebook's reaction breakdown is floored per type, its `reactions.summary.total_count` (what Tidemark
reads) is `likes` itself. LinkedIn's account-level rate base is impressions: its account days have
`views = None` and `impressions` = the world's views; TikTok favorites come from the Business API
only (an account on the Display API alone cannot see them). Counters a platform does not report are
`None`, never 0.

Followers at the end of day D are `followers(D + 1 day, 00:00 UTC)` — what Facebook's
`page_follows` serves — except TikTok, whose Business API stamps `daily_total_followers` at
23:59:59 (each of the day's follow counters is floored at that moment, so it can be a few lower).

Ids are the ones the API serves: Facebook posts are `<page id>_<id>`, everything else `Post.id`
(YouTube 11-char ids, LinkedIn `urn:li:share:…`/`urn:li:ugcPost:…`, numeric ids elsewhere).

The truth keeps its own twin of the world (same seed, origin, history, profiles) and moves that
twin's clock, so it never disturbs a running simulator. Build it like the server's world:
`Truth.build(seed, epoch=SIM_EPOCH, history_days=...)` (`tidemark.runtime.start_simulator` makes
`World(seed, SIM_EPOCH, profiles=PROFILES, history_days=...)` and then sets the clock), or
`Truth.of(world)`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np

from simulator.account import AccountWorld
from simulator.clock import as_utc
from simulator.models import Post
from simulator.platforms import PROFILES
from simulator.profiles import DEFAULT_PROFILE, PlatformProfile
from simulator.world import World

CANONICAL: tuple[str, ...] = ("views", "impressions", "likes", "comments", "shares", "saves")
ENGAGEMENT_PARTS: tuple[str, ...] = ("likes", "comments", "shares")
END_OF_DAY = timedelta(days=1)
TIKTOK_END_OF_DAY = timedelta(hours=23, minutes=59, seconds=59)


@dataclass(frozen=True)
class Terms:
    """How one platform's API presents the world's counters in Tidemark's canonical columns.

    Each field names the world metric behind a canonical column (None: the platform does not
    report it). `video_views_formats`: views exist only for posts of these formats (LinkedIn).
    """

    views: str | None = "views"
    impressions: str | None = None
    saves: str | None = None
    account_views: str | None = "views"
    account_impressions: str | None = None
    video_views_formats: frozenset[str] | None = None
    unreported: Mapping[str, frozenset[str]] = field(default_factory=dict)  # post format -> columns not served
    end_of_day: timedelta = END_OF_DAY
    post_id: Callable[[str, Post], str] = lambda account_id, post: post.id


TERMS: dict[str, Terms] = {
    "youtube": Terms(),
    "facebook": Terms(post_id=lambda account_id, post: f"{account_id}_{post.id}"),
    # Stories: the STORY insights have no likes and no saved; their "replies" are the comments.
    "instagram": Terms(saves="saves", unreported={"story": frozenset({"likes", "saves"})}),
    "tiktok": Terms(saves="saves", end_of_day=TIKTOK_END_OF_DAY),
    "x": Terms(impressions="views", saves="saves", account_impressions="views"),
    "linkedin": Terms(views="engaged_views", impressions="views", account_views=None, account_impressions="views",
                      video_views_formats=frozenset({"video"})),
}


@dataclass(frozen=True)
class DayTruth:
    """One account day: final values (Σ over every post's day) and followers at the end of the day."""

    date: date
    views: int | None
    impressions: int | None
    likes: int
    comments: int
    shares: int
    saves: int | None
    engagements: int
    followers: int
    followers_gained: int
    followers_lost: int


@dataclass(frozen=True)
class PostInfo:
    """A post as the API names it."""

    post_id: str
    format: str
    published_at: datetime


def engagements(values: Mapping[str, Any]) -> Any:
    """likes + comments + shares (saves are not engagements)."""
    return values["likes"] + values["comments"] + values["shares"]


def canonical(platform: str, values: Mapping[str, Any], *, post_format: str | None = None,
              account_level: bool = False) -> dict[str, Any]:
    """World counters (ints or arrays, one post or a sum) → the platform's canonical columns."""
    terms = TERMS[platform]
    views_metric = terms.account_views if account_level else terms.views
    if not account_level and terms.video_views_formats is not None and post_format not in terms.video_views_formats:
        views_metric = None
    impressions_metric = terms.account_impressions if account_level else terms.impressions
    out = {
        "views": None if views_metric is None else values[views_metric],
        "impressions": None if impressions_metric is None else values[impressions_metric],
        "likes": values["likes"], "comments": values["comments"], "shares": values["shares"],
        "saves": None if terms.saves is None else values[terms.saves],
    }
    out["engagements"] = engagements(out)  # the world's numbers (a story's 0 likes count as 0)
    if not account_level:
        for column in terms.unreported.get(post_format or "", ()):
            out[column] = None
    return out


def _as_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def final_through(profile: PlatformProfile, at: datetime) -> date:
    """Last day whose daily numbers the platform's analytics API serves final at `at`.

    Days younger than `report_lag_days` are not served; days whose age is a key of
    `completeness` are served incomplete (late data). A platform without a daily report (no lag,
    no completeness: X) has nothing final but the days before `at`.
    """
    today = as_utc(at).date()
    ages = [profile.report_lag_days, *(age + 1 for age in profile.completeness)]
    return today - timedelta(days=max(max(ages), 1))


def reported_through(profile: PlatformProfile, at: datetime) -> date:
    """Last day the platform's daily report has a row for at `at` (complete or not)."""
    return as_utc(at).date() - timedelta(days=profile.report_lag_days)


class Truth:
    """Ground truth of a simulated world, in each platform's canonical terms (see the module doc)."""

    def __init__(self, world: World) -> None:
        """`world` becomes the truth's own: prefer `Truth.of(world)`, which makes a twin."""
        self.world = world
        self._lock = threading.RLock()

    @classmethod
    def build(cls, seed: int, *, epoch: datetime | str, history_days: int,
              profiles: Mapping[str, PlatformProfile] = PROFILES,
              time_zones: Mapping[tuple[str, str], str] | None = None) -> Truth:
        """Same world as `SimulatorServer(seed, now=epoch, history_days=..., time_zones=...)` (clock moved later)."""
        return cls(World(seed, as_utc(epoch), profiles=profiles, history_days=history_days, time_zones=time_zones))

    @classmethod
    def of(cls, world: World) -> Truth:
        """A truth over a twin of `world` (same seed, origin, history and profiles)."""
        return cls(World(world.seed, world.origin, profiles=world.profiles, history_days=world.history_days,
                         time_zones=world.time_zones))

    # --- helpers ----------------------------------------------------------------------------------
    @contextmanager
    def _clock(self, at: datetime) -> Iterator[None]:
        with self._lock:
            self.world.set_now(at)
            yield

    def account(self, platform: str, account_id: str) -> AccountWorld:
        return self.world.account(platform, account_id)

    def profile(self, platform: str) -> PlatformProfile:
        return self.world.profiles.get(platform, DEFAULT_PROFILE)

    def final_through(self, platform: str, at: datetime | str) -> date:
        return final_through(self.profile(platform), as_utc(at))

    def reported_through(self, platform: str, at: datetime | str) -> date:
        return reported_through(self.profile(platform), as_utc(at))

    def post_id(self, platform: str, account_id: str, post: Post) -> str:
        return TERMS[platform].post_id(account_id, post)

    def _posts(self, platform: str, account_id: str, at: datetime) -> list[Post]:
        return self.account(platform, account_id).posts_at(at)

    def _final_clock(self, end: date) -> datetime:
        """A clock at which `end` is over (final values are horizon-independent, this only lets them be read)."""
        return max(self.world.now, _midnight(end + timedelta(days=1)))

    # --- account days -----------------------------------------------------------------------------
    def followers_end_of_day(self, platform: str, account_id: str, day: date) -> int:
        """Followers at the end of `day` as the platform stamps it (see the module doc)."""
        with self._lock:
            return self.account(platform, account_id).followers(_midnight(day) + TERMS[platform].end_of_day)

    def account_days(self, platform: str, account_id: str, start: date, end: date) -> list[DayTruth]:
        """Final values of each day in [start, end] (days before the account existed are left out)."""
        with self._clock(self._final_clock(end)):
            acct = self.account(platform, account_id)
            series = acct.account_daily(start, end)
            days = [d.astype("datetime64[D]").astype(date) for d in series.dates]
            rows = []
            for i, day in enumerate(days):
                values = {m: int(series[m][i]) for m in series.values}
                mapped = canonical(platform, values, account_level=True)
                rows.append(DayTruth(
                    date=day, views=_as_int(mapped["views"]), impressions=_as_int(mapped["impressions"]),
                    likes=mapped["likes"], comments=mapped["comments"], shares=mapped["shares"],
                    saves=_as_int(mapped["saves"]), engagements=mapped["engagements"],
                    followers=acct.followers(_midnight(day) + TERMS[platform].end_of_day),
                    followers_gained=values["followers_gained"], followers_lost=values["followers_lost"]))
            return rows

    # --- posts ------------------------------------------------------------------------------------
    def posts(self, platform: str, account_id: str, at: datetime | str) -> list[PostInfo]:
        """Posts published at or before `at`, oldest first, with the ids the API serves."""
        at = as_utc(at)
        with self._lock:
            return [PostInfo(self.post_id(platform, account_id, p), p.format, p.published_at)
                    for p in self._posts(platform, account_id, at)]

    def post_lifetimes(self, platform: str, account_id: str, at: datetime | str) -> dict[str, dict[str, int | None]]:
        """Lifetime counters of every post published by `at`, as the platform shows them at `at`."""
        at = as_utc(at)
        with self._clock(at):
            acct = self.account(platform, account_id)
            posts = acct.posts_at(at)
            life = acct.lifetimes(at)
            out = {}
            for post in posts:
                values = {m: int(v[post.index]) for m, v in life.items()}
                mapped = canonical(platform, values, post_format=post.format)
                out[self.post_id(platform, account_id, post)] = {k: _as_int(v) for k, v in mapped.items()}
            return out

    def post_days(self, platform: str, account_id: str, post_id: str, start: date | None = None,
                  end: date | None = None) -> list[dict[str, Any]]:
        """Final daily values of one post (publish day .. `end`), one dict per day with `date`."""
        return self.all_post_days(platform, account_id, start, end, only=post_id).get(post_id, [])

    def all_post_days(self, platform: str, account_id: str, start: date | None, end: date | None, *,
                      only: str | None = None) -> dict[str, list[dict[str, Any]]]:
        """Final daily values of every post published by the end of `end` (or of one post: `only`)."""
        last = end if end is not None else self.world.now.date()
        clock = self._final_clock(last)
        with self._clock(clock):
            acct = self.account(platform, account_id)
            posts = acct.posts_at(_midnight(last + timedelta(days=1)) - timedelta(microseconds=1))
            if only is not None:
                posts = [p for p in posts if self.post_id(platform, account_id, p) == only]
                if not posts:
                    raise KeyError(f"{platform} {account_id}: no post {only} published by {last}")
            out: dict[str, list[dict[str, Any]]] = {}
            for post in posts:
                series = acct.daily(post, start, last)
                mapped = canonical(platform, {m: v for m, v in series.values.items()}, post_format=post.format)
                days = [d.astype("datetime64[D]").astype(date) for d in series.dates]
                rows = []
                for i, day in enumerate(days):
                    row: dict[str, Any] = {"date": day}
                    for key, column in mapped.items():
                        row[key] = None if column is None else int(np.asarray(column)[i])
                    rows.append(row)
                out[self.post_id(platform, account_id, post)] = rows
            return out
