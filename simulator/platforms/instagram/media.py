"""Media: `/{ig-user-id}/media` (cursor paging, newest first), `/{ig-user-id}/stories`, `/{media-id}`
and media insights, whose allowed metrics depend on the media product type.

As on the real API, one metric the media type does not support fails the whole call with
`(#100)`, retired metrics (impressions, plays, ...) fail the same way, stories are listed for
24 h only, and a media with too few viewers answers `(#10) Not enough viewers`.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

from simulator import rand
from simulator.account import AccountWorld
from simulator.models import Post
from simulator.platforms.instagram import common as c
from simulator.platforms.instagram.profile import MEDIA_TYPES
from simulator.routing import Request, Response

DEFAULT_FIELDS = "id,caption,media_type,media_product_type,permalink,timestamp,like_count,comments_count"
ALLOWED = {
    "FEED": ("views", "reach", "likes", "comments", "saved", "shares", "total_interactions", "profile_visits",
             "profile_activity", "follows"),
    "REELS": ("views", "reach", "likes", "comments", "saved", "shares", "total_interactions",
              "ig_reels_avg_watch_time", "ig_reels_video_view_total_time", "reels_skip_rate"),
    "STORY": ("views", "reach", "replies", "shares", "total_interactions", "navigation", "follows",
              "profile_visits"),
}
RETIRED = {"impressions", "plays", "clips_replays_count", "ig_reels_aggregated_all_plays_count", "video_views",
           "carousel_album_impressions", "carousel_album_reach", "exits", "taps_forward", "taps_back"}
STORY_HOURS = 24
MAX_LIMIT = 100


def shortcode(post: Post) -> str:
    return base64.urlsafe_b64encode(post.key.to_bytes(8, "big")).decode().rstrip("=")


def media_object(acct: AccountWorld, post: Post, wanted: list[str]) -> dict[str, Any]:
    media_type, product = MEDIA_TYPES[post.format]
    life = acct.lifetime(post)
    kind = "reel" if product == "REELS" else ("stories/" + acct.account_id if product == "STORY" else "p")
    full = {
        "id": post.id, "caption": post.caption, "media_type": media_type, "media_product_type": product,
        "permalink": f"https://www.instagram.com/{kind}/{shortcode(post)}/", "timestamp": c.graph_time(post.published_at),
        "like_count": int(life["likes"]), "comments_count": int(life["comments"]), "shortcode": shortcode(post),
        "username": f"sim_{acct.account_id[-6:]}", "is_comment_enabled": True,
        "media_url": f"https://scontent.cdninstagram.com/v/{shortcode(post)}.jpg",
    }
    if product == "STORY":
        full.pop("caption")
    return {key: full[key] for key in ["id", *wanted] if key in full}


def _visible(acct: AccountWorld, stories: bool) -> list[Post]:
    now = acct.world.now
    posts = [p for p in acct.posts_at(now) if (p.format == "story") == stories]
    if stories:
        posts = [p for p in posts if p.published_at > now - timedelta(hours=STORY_HOURS)]
    return list(reversed(posts))


def _authorised_user(req: Request) -> str | Response:
    user = req.params["node"]
    who = c.owner(req)
    if who is None:
        return c.invalid_token()
    if who != user:
        return c.not_found(user)
    return user


def media_list(req: Request, stories: bool = False) -> Response:
    user = _authorised_user(req)
    if isinstance(user, Response):
        return user
    acct = c.account(req, user)
    posts = _visible(acct, stories)
    try:
        size = min(max(int(req.query.get("limit", 25)), 1), MAX_LIMIT)
    except ValueError:
        return c.meta_error(400, 100, "(#100) Param limit must be a number")
    offset = c.parse_cursor(req.query["after"]) if req.query.get("after") else 0
    if offset is None:
        return c.meta_error(400, 100, "(#100) Invalid cursor: after")
    wanted = c.fields(req, "id")
    chunk = posts[offset:offset + size]
    body: dict[str, Any] = {"data": [media_object(acct, p, wanted) for p in chunk]}
    if chunk:
        body["paging"] = {"cursors": {"before": c.cursor(offset), "after": c.cursor(offset + len(chunk))}}
        if offset + size < len(posts):
            body["paging"]["next"] = c.page_url(req, after=c.cursor(offset + len(chunk)))
        if offset > 0:
            body["paging"]["previous"] = c.page_url(req, before=c.cursor(offset))
    return Response(200, body, c.usage_headers(user, req.state.stats.snapshot()["total"] // 20))


def stories(req: Request) -> Response:
    return media_list(req, stories=True)


def find_media(req: Request, media_id: str) -> tuple[AccountWorld, Post] | None:
    who = c.owner(req)
    if who is None:
        return None
    c.account(req, who)
    found = req.state.world.find_post(c.PLATFORM, media_id)
    return found if found is not None and found[0].account_id == who else None


def _values(acct: AccountWorld, post: Post) -> dict[str, int | float]:
    life = acct.lifetime(post)
    views = int(life["views"])
    reach = int(views * (0.55 + 0.3 * float(rand.uniform(300, post.key))))
    visits = int(views * 0.02 * float(rand.uniform(301, post.key)))
    total_ms = int(life["watch_time_min"]) * 60_000
    story = post.format == "story"
    interactions = (int(life["comments"]) + int(life["shares"]) if story else
                    int(life["likes"]) + int(life["comments"]) + int(life["saves"]) + int(life["shares"]))
    return {
        "views": views, "reach": reach, "likes": int(life["likes"]), "comments": int(life["comments"]),
        "saved": int(life["saves"]), "shares": int(life["shares"]), "total_interactions": interactions,
        "profile_visits": visits, "profile_activity": visits + int(life["followers_gained"]),
        "follows": int(life["followers_gained"]), "replies": int(life["comments"]),
        "navigation": int(views * 1.3), "ig_reels_video_view_total_time": total_ms,
        "ig_reels_avg_watch_time": total_ms // views if views else 0,
        "reels_skip_rate": round((views - int(life["engaged_views"])) / views * 100, 2) if views else 0,
    }


def _metric_error(req: Request, product: str, metrics: list[str]) -> Response | None:
    rejected = set(c.fault_value(req, c.REJECT_METRICS) or [])
    for index, metric in enumerate(metrics):
        if metric in RETIRED:
            return c.meta_error(400, 100, f"(#100) Starting from v22.0, {metric} metric is no longer supported "
                                          "for this media. Please use views instead.")
        if metric in rejected or (metric not in ALLOWED[product] and any(metric in v for v in ALLOWED.values())):
            return c.meta_error(400, 100, f"(#100) The Media Insights API does not support the {metric} metric "
                                          "for this media product type.")
        if metric not in ALLOWED[product]:
            return c.meta_error(400, 100, f"(#100) metric[{index}] must be one of the following values: "
                                          + ", ".join(ALLOWED[product]))
    return None


def media_insights(req: Request, acct: AccountWorld, post: Post) -> Response:
    product = MEDIA_TYPES[post.format][1]
    metrics = [m.strip() for m in req.query.get("metric", "").split(",") if m.strip()]
    if not metrics:
        return c.meta_error(400, 100, "(#100) The parameter metric is required")
    error = _metric_error(req, product, metrics)
    if error is not None:
        return error
    every = c.fault_value(req, c.NOT_ENOUGH_VIEWERS)
    if every and post.index % int(every) == 0:
        return c.meta_error(400, 10, "(#10) Not enough viewers for the media to show insights")
    if product == "STORY" and post.published_at <= acct.world.now - timedelta(hours=STORY_HOURS):
        return Response(200, {"data": []})  # expired story: no data (an empty set, not zeros)
    values = _values(acct, post)
    data = [{"name": m, "period": "lifetime", "values": [{"value": values[m]}], "title": m.replace("_", " ").title(),
             "description": f"The {m.replace('_', ' ')} of this media.", "id": f"{post.id}/insights/{m}/lifetime"}
            for m in metrics]
    return Response(200, {"data": data}, c.usage_headers(acct.account_id, req.state.stats.snapshot()["total"] // 20))
