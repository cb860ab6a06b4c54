"""Metric registry per Graph API version and media type.

Meta retires insight metrics on a date for every version at once (and in a version for new
callers); asking for one fails the whole call with `(#100)`. So every request list goes through
here first: removed metrics with a successor are asked for under the successor's name (the
warning and the raw payload's `requested_as` keep the source name), removed ones without a
successor and metrics a media type does not support are dropped — with a warning, never fatal.
Metrics Graph rejects at run time (`reject`) are dropped for the rest of the sync. The metrics of
each scope come from the platform limits (env-overridable): `configured`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from ingestion.metrics import MetricRegistry as Registry


@dataclass(frozen=True)
class Retirement:
    removed_on: date       # removed for every API version on this day
    removed_in: str        # ... and from this version on
    successor: str | None  # the metric that replaces it, if any


_NOV_2025, _JUN_2026 = (date(2025, 11, 15), "v24.0"), (date(2026, 6, 15), "v25.0")
RETIRED: dict[str, Retirement] = {
    **{name: Retirement(*_NOV_2025, successor) for name, successor in {
        "page_fans": "page_follows", "page_fans_city": "page_follows_city",
        "page_fans_country": "page_follows_country", "page_fan_adds": "page_daily_follows_unique",
        "page_fan_adds_unique": "page_daily_follows_unique", "page_fan_removes": "page_daily_unfollows_unique",
        "page_fan_removes_unique": "page_daily_unfollows_unique", "page_impressions": "page_media_view",
        "page_impressions_paid": None, "post_impressions": "post_media_view", "post_impressions_paid": None,
        "post_impressions_organic": None, "post_impressions_fan": None,
    }.items()},
    **{name: Retirement(*_JUN_2026, successor) for name, successor in {
        "page_impressions_unique": "page_total_media_view_unique", "page_posts_impressions": None,
        "page_posts_impressions_unique": None, "post_impressions_unique": "post_total_media_view_unique",
    }.items()},
}

# Live metrics per scope; media types that support them (None = all of the scope).
SCOPES: dict[str, dict[str, frozenset[str] | None]] = {
    "page_day": dict.fromkeys((
        "page_media_view", "page_total_media_view_unique", "page_post_engagements", "page_video_views",
        "page_views_total", "page_follows", "page_daily_follows_unique", "page_daily_unfollows_unique",
        "page_actions_post_reactions_total")),
    "page_lifetime": dict.fromkeys(("page_follows_country", "page_follows_city")),
    "post": {**dict.fromkeys(("post_media_view", "post_total_media_view_unique", "post_reactions_by_type_total",
                              "post_clicks", "post_clicks_by_type")),
             "post_video_views": frozenset({"reel", "video"})},
    "video": {**dict.fromkeys(("post_video_avg_time_watched", "post_video_view_time",
                               "post_video_social_actions", "post_video_retention_graph")),
              **dict.fromkeys(("blue_reels_play_count", "fb_reels_total_plays", "fb_reels_replay_count",
                               "post_video_followers"), frozenset({"reel"})),
              **dict.fromkeys(("total_video_views", "total_video_views_unique", "total_video_avg_time_watched",
                               "total_video_view_total_time", "total_video_complete_views",
                               "total_video_reactions_by_type_total"), frozenset({"video"}))},
}


def version_number(version: str) -> float:
    try:
        return float(version.lstrip("v"))
    except ValueError:
        raise ValueError(f"Graph API version must look like v26.0, got {version!r}") from None


def split_names(text: str | Iterable[str]) -> list[str]:
    items = text.split(",") if isinstance(text, str) else list(text)
    return list(dict.fromkeys(item.strip() for item in items if item.strip()))


# Registry scope -> the platform limit (TIDEMARK_FACEBOOK_<KEY>) listing its metrics.
CONFIG_KEYS = {"page_day": "page_metrics", "page_lifetime": "audience_metrics", "post": "post_metrics",
               "video": "video_metrics"}


class MetricRegistry(Registry):
    platform = "facebook"

    def __init__(self, version: str, today: date, configured: Mapping[str, str | Iterable[str]] | None = None):
        super().__init__()
        self.version = version
        self.today = today
        self.configured = {scope: split_names(names) for scope, names in (configured or {}).items()}

    @classmethod
    def from_limits(cls, version: str, today: date, limits: Mapping[str, object]) -> MetricRegistry:
        return cls(version, today, {scope: str(limits[key]) for scope, key in CONFIG_KEYS.items()})

    def retired(self, name: str) -> Retirement | None:
        info = RETIRED.get(name)
        if info is None:
            return None
        if self.today >= info.removed_on or version_number(self.version) >= version_number(info.removed_in):
            return info
        return None

    def plan(self, scope: str, media: str | None = None, requested: str | Iterable[str] | None = None) -> dict[str, str]:
        """{metric to request: name it was configured as} for one call of `scope` on `media`."""
        live = SCOPES[scope]
        out: dict[str, str] = {}
        names = self.configured.get(scope, []) if requested is None else split_names(requested)
        for name in names:
            target = name
            info = self.retired(name)
            if info is not None:
                if info.successor is None:
                    self.warn(f"metric {name} was removed by Meta on {info.removed_on} ({info.removed_in}); "
                              "dropped, it has no successor")
                    continue
                target = info.successor
                self.warn(f"metric {name} was removed by Meta on {info.removed_on}; requesting its successor "
                          f"{target} (raw keeps requested_as={name})")
            if self.is_rejected(target, media):
                continue
            media_types = live.get(target, None) if target in live else None
            if media is not None and media_types is not None and media not in media_types:
                continue  # not offered for this media type: not an error, just not asked
            out.setdefault(target, name)
        return out

    def rejection_message(self, name: str, reason: str, applies_to: str | None) -> str:
        where = f" for {applies_to}" if applies_to else ""
        return f"metric {name} rejected by Graph {self.version}{where} ({reason}); skipped for this sync"
