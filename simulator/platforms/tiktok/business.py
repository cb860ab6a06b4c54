"""TikTok Business API v1.3 (organic accounts): `GET /business/get/`, `GET /business/video/list/`.

Auth is the `Access-Token` header; `business_id` names the account; `fields` is a JSON array
in the query string. Every answer is HTTP 200 with `{"code", "message", "request_id", "data"}`.
Daily metrics only exist for the last 60 days and lag one day (late data: the youngest days are
still incomplete, see `AccountWorld.reported`). Per-video metrics are lifetime values.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np

from simulator.platforms.tiktok import common as c
from simulator.routing import Request, Response
from simulator.text import account_name

LOOKBACK_DAYS = 60
MAX_COUNT = 20
DAILY_FIELDS = {"video_views", "profile_views", "likes", "comments", "shares", "daily_new_followers",
                "daily_lost_followers", "daily_total_followers"}
ACCOUNT_FIELDS = {"display_name", "profile_image", "followers_count", "audience_ages", "audience_genders",
                  "audience_countries"} | DAILY_FIELDS
VIDEO_FIELDS = {"item_id", "create_time", "caption", "share_url", "thumbnail_url", "embed_url", "reach",
                "video_views", "likes", "comments", "shares", "favorites", "total_time_watched",
                "average_time_watched", "full_video_watched_rate", "video_view_retention",
                "audience_countries"}
AGE_BUCKETS = (("18-24", ("age13-17", "age18-24")), ("25-34", ("age25-34",)), ("35-44", ("age35-44",)),
               ("45-54", ("age45-54",)), ("55+", ("age55-64", "age65-")))


def _guard(req: Request, allowed: set[str]) -> tuple[str, list[str]] | Response:
    owner, request_id = c.business_owner(req), c.log_id(req)
    if owner is None:
        return c.business_error(40105, "The access token is invalid or has been revoked.", request_id)
    if req.query.get("business_id") != owner or c.scope_missing(req):
        return c.business_error(40001, "No permission to operate this business account.", request_id)
    try:
        fields = json.loads(req.query.get("fields") or "[]")
    except ValueError:
        return c.business_error(40002, "fields: not a valid JSON array", request_id)
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        return c.business_error(40002, "fields: not a valid JSON array", request_id)
    bad = c.bad_fields(req, fields, allowed)
    if bad:
        return c.business_error(40002, f"fields: invalid metric(s): {','.join(bad)}", request_id)
    return owner, fields


def _dates(req: Request) -> tuple[date, date] | Response:
    today = req.state.world.now.date()
    try:
        start, end = date.fromisoformat(req.query["start_date"]), date.fromisoformat(req.query["end_date"])
    except (KeyError, ValueError):
        return c.business_error(40002, "start_date and end_date are required (YYYY-MM-DD)", c.log_id(req))
    if end < start or start < today - timedelta(days=LOOKBACK_DAYS - 1):
        return c.business_error(40002, f"start_date must be within the last {LOOKBACK_DAYS} days and not after "
                                       "end_date", c.log_id(req))
    return start, end


def business_get(req: Request) -> Response:
    guard = _guard(req, ACCOUNT_FIELDS)
    if isinstance(guard, Response):
        return guard
    owner, fields = guard
    span = _dates(req) if set(fields) & DAILY_FIELDS else None
    if isinstance(span, Response):
        return span
    acct = c.account(req, owner)
    data: dict[str, Any] = {}
    wanted = set(fields)
    if "display_name" in wanted:
        data["display_name"] = account_name(acct)
    if "followers_count" in wanted:
        data["followers_count"] = acct.followers()
    if span is not None:
        data["metrics"] = _daily(acct, span[0], span[1], [f for f in fields if f in DAILY_FIELDS])
    data.update(_audience(acct, wanted))
    return c.business_ok(req, data)


def _daily(acct: Any, start: date, end: date, fields: list[str]) -> list[dict[str, Any]]:
    organic = acct.reported_organic(start=start, end=end)
    rep = acct.reported(start=start, end=end)
    if len(organic) == 0:
        return []
    axis = organic.dates
    idx = (rep.dates - axis[0]).astype(np.int64)
    sums = {m: np.bincount(idx, weights=rep.values[m], minlength=len(axis)) for m in
            ("views", "likes", "comments", "shares", "followers_gained", "followers_lost")}
    rows = []
    for i, day in enumerate(axis.astype(object)):
        gained = int(sums["followers_gained"][i] + organic["followers_gained"][i])
        lost = int(sums["followers_lost"][i] + organic["followers_lost"][i])
        views = int(sums["views"][i])
        full = {"video_views": views, "profile_views": int(views * (0.015 + 0.02 * c.stable_fraction(acct.key))),
                "likes": int(sums["likes"][i]), "comments": int(sums["comments"][i]),
                "shares": int(sums["shares"][i]), "daily_new_followers": gained, "daily_lost_followers": lost,
                "daily_total_followers": acct.followers(datetime.combine(day, time(23, 59, 59), UTC))}
        rows.append({"date": day.isoformat(), **{f: full[f] for f in fields}})
    return rows


def _audience(acct: Any, wanted: set[str]) -> dict[str, Any]:
    """Follower demographics as fractions (TikTok sends `percentage` between 0 and 1)."""
    out: dict[str, Any] = {}
    cells = acct.demographics()
    if "audience_ages" in wanted:
        out["audience_ages"] = [
            {"age": label, "percentage": round(sum(p for age, _, p in cells if age in groups) / 100, 4)}
            for label, groups in AGE_BUCKETS]
    if "audience_genders" in wanted:
        out["audience_genders"] = [
            {"gender": {"user_specified": "Other"}.get(g, g.title()),
             "percentage": round(sum(p for _, gender, p in cells if gender == g) / 100, 4)}
            for g in ("female", "male", "user_specified")]
    if "audience_countries" in wanted:
        out["audience_countries"] = [{"country": code, "percentage": round(share, 4)}
                                     for code, share in acct.country_shares()]
    return out


def business_video_list(req: Request) -> Response:
    guard = _guard(req, VIDEO_FIELDS)
    if isinstance(guard, Response):
        return guard
    owner, fields = guard
    try:
        size, offset = int(req.query.get("max_count", "20")), int(req.query.get("cursor", "0"))
    except ValueError:
        size, offset = -1, -1
    if not 1 <= size <= MAX_COUNT or offset < 0:
        return c.business_error(40002, f"max_count must be 1..{MAX_COUNT} and cursor a non-negative integer",
                                c.log_id(req))
    acct = c.account(req, owner)
    posts = list(reversed(acct.posts))
    page = posts[offset:offset + size]
    videos = [_video(acct, p, fields) for p in page]
    return c.business_ok(req, {"videos": videos, "cursor": offset + len(page),
                               "has_more": offset + len(page) < len(posts)})


def _video(acct: Any, post: Any, fields: list[str]) -> dict[str, Any]:
    life = acct.lifetime(post)
    views, seconds = life["views"], life["watch_time_min"] * 60
    curve = acct.retention(post).audience_watch_ratio
    full = {
        "item_id": post.id, "create_time": str(int(post.published_at.timestamp())), "caption": post.caption,
        "share_url": f"https://www.tiktok.com/video/{post.id}", "embed_url": f"https://www.tiktok.com/embed/{post.id}",
        "thumbnail_url": f"https://p16-sign.tiktokcdn-us.com/obj/{post.id}.jpeg",
        "reach": int(views * (0.7 + 0.2 * c.stable_fraction(post.key, "reach"))), "video_views": views,
        "likes": life["likes"], "comments": life["comments"], "shares": life["shares"], "favorites": life["saves"],
        "total_time_watched": round(float(seconds), 1),
        "average_time_watched": round(float(seconds) / views, 2) if views else 0.0,
        "full_video_watched_rate": round(float(min(max(curve[-1], 0.0), 1.0)), 4),
        "video_view_retention": _retention(curve, int(post.duration_s or 1)),
        "audience_countries": [{"country": code, "percentage": round(share, 4)} for code, share in acct.country_shares()[:5]],
    }
    return {f: full[f] for f in fields}


def _retention(curve: np.ndarray, duration_s: int) -> list[dict[str, Any]]:
    """Share of viewers still watching at ~10 points of the video (`second` is a string, as sent)."""
    step = max(duration_s // 10, 1)
    points = []
    for second in range(0, duration_s + 1, step):
        ratio = float(curve[min(int(second / max(duration_s, 1) * 99), 99)])
        points.append({"second": str(second), "percentage": round(min(max(ratio, 0.0), 1.0), 4)})
    return points
