"""TikTok Display API v2: `POST /v2/video/list/`, `POST /v2/video/query/`, `GET /v2/user/info/`.

Wire facts kept: `fields` is a query parameter and only requested fields come back; the list
body is JSON `{"max_count": ≤20, "cursor": <UTC ms>}`, newest first, `create_time` in Unix
seconds, the answer's `cursor` is the create time (ms) of the page's oldest video and
`has_more` says whether older videos exist; some pages come back short although `has_more`
is true (the real API filters after paging). Counts are JSON numbers and grow with the clock.
"""

from __future__ import annotations

from typing import Any

from simulator.platforms.tiktok import common as c
from simulator.routing import Request, Response
from simulator.text import account_handle, account_name

MAX_COUNT = 20
VIDEO_FIELDS = {"id", "title", "create_time", "cover_image_url", "share_url", "video_description", "duration",
                "height", "width", "embed_html", "embed_link", "like_count", "comment_count", "share_count",
                "view_count"}
USER_FIELDS = {"open_id", "union_id", "avatar_url", "avatar_url_100", "avatar_large_url", "display_name",
               "bio_description", "profile_deep_link", "is_verified", "username", "follower_count",
               "following_count", "likes_count", "video_count"}


def _guard(req: Request, allowed: set[str]) -> tuple[str, list[str]] | Response:
    """Auth, scope and `fields` checks every Display call shares; returns (open_id, fields)."""
    owner = c.display_owner(req)
    if owner is None:
        return c.display_error(401, "access_token_invalid", log=c.log_id(req))
    if c.scope_missing(req):
        return c.display_error(401, "scope_not_authorized", log=c.log_id(req))
    fields = c.split_fields(req.query.get("fields"))
    if not fields:
        return c.invalid_params(req, "fields is required")
    bad = c.bad_fields(req, fields, allowed)
    if bad:
        return c.invalid_params(req, f"Invalid field(s): {','.join(bad)}")
    return owner, fields


def _body(req: Request) -> dict[str, Any] | Response:
    try:
        body = req.json() or {}
    except ValueError:
        return c.invalid_params(req, "request body is not valid JSON")
    return body if isinstance(body, dict) else c.invalid_params(req, "request body must be a JSON object")


def _video(acct: Any, post: Any, fields: list[str]) -> dict[str, Any]:
    life = acct.lifetime(post)
    handle = account_handle(acct).lstrip("@")
    link = f"https://www.tiktok.com/@{handle}/video/{post.id}"
    full = {
        "id": post.id, "title": post.title[:150], "create_time": int(post.published_at.timestamp()),
        "cover_image_url": f"https://p16-sign.tiktokcdn-us.com/obj/{post.id}.jpeg",
        "share_url": link, "video_description": post.caption, "duration": int(post.duration_s or 0),
        "height": 1920, "width": 1080, "embed_link": f"https://www.tiktok.com/player/v1/{post.id}",
        "embed_html": f'<blockquote class="tiktok-embed" cite="{link}" data-video-id="{post.id}"></blockquote>',
        "like_count": life["likes"], "comment_count": life["comments"], "share_count": life["shares"],
        "view_count": life["views"],
    }
    return {f: full[f] for f in fields}


def video_list(req: Request) -> Response:
    guard = _guard(req, VIDEO_FIELDS)
    if isinstance(guard, Response):
        return guard
    owner, fields = guard
    body = _body(req)
    if isinstance(body, Response):
        return body
    size, cursor = body.get("max_count", 10), body.get("cursor")
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= MAX_COUNT:
        return c.invalid_params(req, f"max_count must be between 1 and {MAX_COUNT}")
    if cursor is not None and (not isinstance(cursor, int) or isinstance(cursor, bool) or cursor < 0):
        return c.invalid_params(req, "cursor must be a UTC Unix timestamp in milliseconds")
    acct = c.account(req, owner)
    older = [p for p in reversed(acct.posts)
             if cursor is None or int(p.published_at.timestamp()) * 1000 < cursor]
    short = c.stable_fraction(acct.key, cursor) < 0.3 and len(older) > size  # a short page, has_more still true
    page = older[:max(size - 3, 1) if short else size]
    next_cursor = int(page[-1].published_at.timestamp()) * 1000 if page else (cursor or 0)
    data = {"videos": [_video(acct, p, fields) for p in page], "cursor": next_cursor,
            "has_more": len(older) > len(page)}
    return c.display_ok(req, data)


def video_query(req: Request) -> Response:
    guard = _guard(req, VIDEO_FIELDS)
    if isinstance(guard, Response):
        return guard
    owner, fields = guard
    body = _body(req)
    if isinstance(body, Response):
        return body
    ids = (body.get("filters") or {}).get("video_ids") if isinstance(body.get("filters"), dict) else None
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        return c.invalid_params(req, "filters.video_ids must be a non-empty list of video ids")
    if len(ids) > MAX_COUNT:
        return c.invalid_params(req, f"filters.video_ids accepts at most {MAX_COUNT} ids")
    acct = c.account(req, owner)
    acct.posts_at()  # generate the owner's videos so their ids resolve
    videos = []
    for video_id in dict.fromkeys(ids):
        post = acct.find(video_id)  # other users' and deleted videos are silently left out
        if post is not None:
            videos.append(_video(acct, post, fields))
    return c.display_ok(req, {"videos": videos, "cursor": 0, "has_more": False})


def user_info(req: Request) -> Response:
    guard = _guard(req, USER_FIELDS)
    if isinstance(guard, Response):
        return guard
    owner, fields = guard
    acct = c.account(req, owner)
    life = acct.lifetimes()
    handle = account_handle(acct).lstrip("@")
    full = {
        "open_id": owner, "union_id": f"union-{acct.key % 10**12:012d}",
        "avatar_url": f"https://p16-sign.tiktokcdn-us.com/avatar/{owner}.jpeg",
        "avatar_url_100": f"https://p16-sign.tiktokcdn-us.com/avatar/{owner}~100x100.jpeg",
        "avatar_large_url": f"https://p16-sign.tiktokcdn-us.com/avatar/{owner}~1080x1080.jpeg",
        "display_name": account_name(acct), "bio_description": f"New {acct.topic} videos every week",
        "profile_deep_link": f"https://vm.tiktok.com/{handle}", "is_verified": False, "username": handle,
        "follower_count": acct.followers(), "following_count": 40 + acct.key % 300,
        "likes_count": int(life["likes"].sum()), "video_count": len(life["views"]),
    }
    return c.display_ok(req, {"user": {f: full[f] for f in fields}})
