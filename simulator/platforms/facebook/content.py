"""Graph nodes and edges with content: the Page, `/posts`, `/video_reels`, `/videos`.

Lists are newest first and page with opaque cursors (`paging.next` is a full URL). Counters come
from `AccountWorld.lifetime` at the world clock, so they only grow. As in Graph, numbers are JSON
numbers, `shares` is absent until a post was shared, `fields` selects what is returned.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from simulator.competitors import is_gone
from simulator.models import Post
from simulator.platforms.facebook import common as c
from simulator.routing import Request, Response
from simulator.text import account_handle, account_name

STATUS_TYPE = {"reel": "added_video", "video": "added_video", "image": "added_photos",
               "text": "mobile_status_update", "link": "shared_story"}
POST_DEFAULT_FIELDS = ("id", "message", "created_time")
# What any Page token may read of another Page (Page Public Metadata Access); its posts need Page
# Public Content Access, which the simulator, like an app without that feature, refuses.
PUBLIC_PAGE_FIELDS = {"id", "name", "username", "category", "link", "followers_count", "fan_count"}
VIDEO_DEFAULT_FIELDS = ("id", "description", "updated_time")


def requested_fields(req: Request, default: tuple[str, ...]) -> list[str]:
    """Top-level names of `fields` (`reactions.limit(0).summary(total_count)` -> `reactions`)."""
    raw = req.query.get("fields")
    if not raw:
        return list(default)
    names, depth, current = [], 0, ""
    for ch in raw:
        depth += ch in "({"
        depth -= ch in ")}"
        if ch == "," and depth == 0:
            names.append(current)
            current = ""
        else:
            current += ch
    names.append(current)
    return [n.strip().split(".")[0].split("{")[0].split("(")[0] for n in names if n.strip()]


def _select(full: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    return {k: full[k] for k in fields if k in full} | {"id": full["id"]}


def _bound(req: Request, name: str) -> float | None:
    raw = req.query.get(name)
    if not raw:
        return None
    if raw.isdigit():
        return float(raw)
    return datetime.fromisoformat(raw[:10]).replace(tzinfo=UTC).timestamp()


def _visible(req: Request, page_id: str, formats: set[str] | None = None) -> list[Post]:
    since, until = _bound(req, "since"), _bound(req, "until")
    posts = []
    for p in reversed(c.account(req, page_id).posts):
        ts = p.published_at.timestamp()
        if (formats is None or p.format in formats) and (since is None or ts >= since) and \
                (until is None or ts < until):
            posts.append(p)
    return posts


def page(req: Request, token_page: str) -> Response:
    node = req.params["node"]
    fields = requested_fields(req, ("id", "name"))
    if node not in ("me", token_page):
        if is_gone(node, req.state.world.now):  # a deleted (or renamed) Page: Graph's unknown-object answer
            return c.graph_error(100, f"Unsupported get request. Object with ID '{node}' does not exist, cannot be "
                                      "loaded due to missing permissions, or does not support this operation. "
                                      "Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
                                 subcode=33, kind="GraphMethodException")
        if not set(fields) <= PUBLIC_PAGE_FIELDS:
            return c.graph_error(10, "(#10) Requires pages_read_engagement permission to manage the object")
        token_page = node  # a public Page lookup: the other Page's public fields
    acct = c.account(req, token_page)
    followers = acct.followers()
    full = {"id": token_page, "name": account_name(acct), "username": account_handle(acct)[1:],
            "category": "Digital creator", "link": f"https://www.facebook.com/{token_page}",
            "followers_count": followers, "fan_count": followers * 93 // 100,
            "verification_status": "not_verified",
            "instagram_business_account": {"id": c.instagram_account_of(token_page)}}
    return Response(200, _select(full, fields))


def post_object(page_id: str, p: Post, life: dict[str, int]) -> dict[str, Any]:
    pid = f"{page_id}_{p.id}"
    link = (f"https://www.facebook.com/reel/{p.id}" if p.format == "reel"
            else f"https://www.facebook.com/{page_id}/posts/{p.id}")
    full: dict[str, Any] = {
        "id": pid, "created_time": c.fb_time(p.published_at), "message": p.caption,
        "permalink_url": link, "status_type": STATUS_TYPE.get(p.format, "mobile_status_update"),
        "is_published": True,
        "reactions": {"data": [], "summary": {"total_count": life["likes"], "viewer_reaction": "NONE"}},
        "comments": {"data": [], "summary": {"order": "ranked", "total_count": life["comments"],
                                             "can_comment": True}},
    }
    if life["shares"] > 0:
        full["shares"] = {"count": life["shares"]}
    if p.format == "image":
        full["full_picture"] = f"https://scontent.xx.fbcdn.net/v/t39/{p.id}_n.jpg"
    return full


def _owner_check(req: Request, token_page: str) -> Response | None:
    if req.params["node"] not in ("me", token_page):
        return c.graph_error(200, "(#200) Permissions error", kind="OAuthException", status=403)
    return None


def posts(req: Request, token_page: str) -> Response:
    denied = _owner_check(req, token_page)
    size = c.limit_param(req)
    if denied or isinstance(size, Response):
        return denied or size
    acct = c.account(req, token_page)
    fields = requested_fields(req, POST_DEFAULT_FIELDS)
    items = [_select(post_object(token_page, p, acct.lifetime(p)), fields) for p in _visible(req, token_page)]
    return c.paged(req, items, size)


def video_object(page_id: str, p: Post) -> dict[str, Any]:
    reel = p.format == "reel"
    link = f"/reel/{p.id}/" if reel else f"/{page_id}/videos/{p.id}/"
    return {"id": p.id, "description": p.caption, "title": None if reel else p.title.split(" #")[0],
            "created_time": c.fb_time(p.published_at), "updated_time": c.fb_time(p.published_at),
            "length": round((p.duration_s or 0) + (p.key % 1000) / 1000, 3), "permalink_url": link,
            "post_id": f"{page_id}_{p.id}", "published": True}


def _videos(req: Request, token_page: str, formats: set[str]) -> Response:
    denied = _owner_check(req, token_page)
    size = c.limit_param(req)
    if denied or isinstance(size, Response):
        return denied or size
    fields = requested_fields(req, VIDEO_DEFAULT_FIELDS)
    items = [{k: v for k, v in _select(video_object(token_page, p), fields).items() if v is not None}
             for p in _visible(req, token_page, formats)]
    return c.paged(req, items, size)


def video_reels(req: Request, token_page: str) -> Response:
    return _videos(req, token_page, {"reel"})


def videos(req: Request, token_page: str) -> Response:
    return _videos(req, token_page, {"video"})
