"""The numbers behind Graph's insight metrics, derived from the world's post and account series.

Every lifetime value is a non-decreasing function of the post's lifetime counters (floors of fixed
shares), so re-reading later never shows a counter going down.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from simulator.account import AccountWorld
from simulator.models import Post

# Removed by Meta (2025-11-15 and 2026-06-15): any call naming one answers (#100).
REMOVED = frozenset({
    "page_fans", "page_fans_city", "page_fans_country", "page_fan_adds", "page_fan_adds_unique",
    "page_fan_removes", "page_fan_removes_unique", "page_impressions", "page_impressions_paid",
    "page_impressions_unique", "page_posts_impressions", "page_posts_impressions_unique",
    "post_impressions", "post_impressions_paid", "post_impressions_organic", "post_impressions_unique",
    "post_impressions_fan",
})
PAGE_DAILY = ("page_media_view", "page_total_media_view_unique", "page_post_engagements", "page_video_views",
              "page_views_total", "page_follows", "page_daily_follows_unique", "page_daily_unfollows_unique")
PAGE_LIFETIME = ("page_follows_country", "page_follows_city")
CITIES = {"US": ("New York, NY", "Los Angeles, CA"), "GB": ("London, England",), "DE": ("Berlin, Germany",),
          "IN": ("Mumbai, Maharashtra", "Delhi, Delhi"), "BR": ("São Paulo, SP",), "JP": ("Tokyo, Japan",),
          "CA": ("Toronto, ON",), "AU": ("Sydney, NSW",), "FR": ("Paris, Île-de-France",),
          "MX": ("Mexico City, Distrito Federal",), "ES": ("Madrid, Comunidad de Madrid",),
          "NL": ("Amsterdam, Noord-Holland",)}
VIDEO_FORMATS = ("reel", "video")


def _reactions(likes: int) -> dict[str, int]:
    return {"like": likes * 80 // 100, "love": likes * 12 // 100, "haha": likes * 4 // 100,
            "wow": likes * 2 // 100, "sorry": likes // 100, "anger": likes // 200}


def post_values(post: Post, life: dict[str, int]) -> dict[str, Any]:
    views = life["views"]
    values: dict[str, Any] = {
        "post_media_view": views, "post_total_media_view_unique": views * 72 // 100,
        "post_reactions_by_type_total": _reactions(life["likes"]), "post_clicks": views * 3 // 100,
        "post_clicks_by_type": {"other clicks": views * 2 // 100, "link clicks": views // 100},
    }
    if post.format in VIDEO_FORMATS:
        values["post_video_views"] = views
    return values


def _watch_ms(life: dict[str, int]) -> tuple[int, int]:
    total = life["watch_time_min"] * 60_000
    return total, (total // life["views"] if life["views"] else 0)


def video_values(post: Post, life: dict[str, int]) -> dict[str, Any]:
    views = life["views"]
    total_ms, avg_ms = _watch_ms(life)
    if post.format == "reel":
        replays = views * 18 // 100
        return {"blue_reels_play_count": views, "fb_reels_total_plays": views + replays,
                "fb_reels_replay_count": replays, "post_video_avg_time_watched": avg_ms,
                "post_video_view_time": total_ms,
                "post_video_social_actions": {"COMMENT": life["comments"], "SHARE": life["shares"]},
                "post_video_followers": life["followers_gained"]}
    return {"post_video_avg_time_watched": avg_ms, "post_video_view_time": total_ms,
            "post_video_social_actions": {"COMMENT": life["comments"], "SHARE": life["shares"]},
            "total_video_views": views, "total_video_views_unique": views * 80 // 100,
            "total_video_avg_time_watched": avg_ms, "total_video_view_total_time": total_ms,
            "total_video_complete_views": views * 22 // 100,
            "total_video_reactions_by_type_total": _reactions(life["likes"])}


def page_daily(acct: AccountWorld, start: date, end: date) -> dict[str, Any]:
    """Reported page metrics per day in [start, end] (lagged, youngest day incomplete)."""
    organic = acct.reported_organic(start=start, end=end)
    dates = organic.dates
    rep = acct.reported(start=start, end=end)
    idx = np.searchsorted(dates, rep.dates)
    n = len(dates)

    def total(values: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        w = values if mask is None else np.where(mask, values, 0)
        return np.bincount(idx, weights=w, minlength=n).astype(np.int64)[:n]

    posts = acct.posts_at(acct.world.now)
    is_video = np.array([p.format in VIDEO_FORMATS for p in posts] or [False])[np.minimum(rep.post, len(posts) - 1)]
    views = total(rep.values["views"])
    engaged = total(rep.values["likes"] + rep.values["comments"] + rep.values["shares"])
    days = [d.astype("datetime64[D]").astype(date) for d in dates]
    followers = [acct.followers(datetime(d.year, d.month, d.day, tzinfo=UTC) + timedelta(days=1)) for d in days]
    return {
        "dates": days, "page_media_view": views, "page_total_media_view_unique": views * 7 // 10,
        "page_post_engagements": engaged, "page_video_views": total(rep.values["views"], is_video),
        "page_views_total": views // 50, "page_follows": followers,
        "page_daily_follows_unique": total(rep.values["followers_gained"]) + organic["followers_gained"],
        "page_daily_unfollows_unique": total(rep.values["followers_lost"]) + organic["followers_lost"],
    }


def page_geo(acct: AccountWorld, followers: int) -> dict[str, dict[str, int]]:
    countries = acct.country_split(followers)
    cities: dict[str, int] = {}
    for country, count in countries:
        names = CITIES.get(country, ())
        for rank, name in enumerate(names):
            cities[name] = count * (45 if rank == 0 else 20) // 100
    return {"page_follows_country": {k: v for k, v in countries if v > 0},
            "page_follows_city": {k: v for k, v in cities.items() if v > 0}}
