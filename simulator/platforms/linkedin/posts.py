"""`GET /rest/posts?q=author&author=urn:li:organization:ID&count=&start=&sortBy=LAST_MODIFIED` (FINDER).

Offset paging (`start`/`count`, count ≤ 100), newest modification first, timestamps in epoch
milliseconds, ids `urn:li:share:…` / `urn:li:ugcPost:…`, the content shape by media type
(no `content` for text posts, `media` for image/video, `article` for links, `multiImage`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from simulator.models import Post
from simulator.platforms.linkedin import common as c
from simulator.routing import Request, Response

MAX_COUNT = 100
EDITED_EVERY = 7  # every 7th post (by key) was edited a day after publishing


def _asset(kind: str, post: Post, n: int = 0) -> str:
    return f"urn:li:{kind}:D4E{(post.key + n) % 10**12:012d}"


def _content(post: Post) -> dict[str, Any] | None:
    if post.format == "image":
        return {"media": {"id": _asset("image", post), "altText": post.title.split(" #")[0]}}
    if post.format == "video":
        return {"media": {"id": _asset("video", post), "title": post.title.split(" #")[0]}}
    if post.format == "link":
        return {"article": {"source": f"https://blog.example.com/p/{post.key % 10**8}",
                            "title": post.title.split(" #")[0], "description": post.caption[:120]}}
    if post.format == "carousel":
        return {"multiImage": {"images": [{"id": _asset("image", post, n)} for n in range(3 + post.key % 4)]}}
    return None


def last_modified(post: Post, now_ms: int) -> int:
    published = c.epoch_ms(post.published_at)
    edited = c.epoch_ms(post.published_at + timedelta(days=1))
    return edited if post.key % EDITED_EVERY == 0 and edited <= now_ms else published


def element(org_urn: str, post: Post, now_ms: int) -> dict[str, Any]:
    published = c.epoch_ms(post.published_at)
    modified = last_modified(post, now_ms)
    item: dict[str, Any] = {
        "id": post.id, "author": org_urn, "commentary": post.caption, "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [], "thirdPartyDistributionChannels": []},
        "lifecycleState": "PUBLISHED", "isReshareDisabledByAuthor": False,
        "createdAt": published - 60_000 * (5 + post.key % 55), "publishedAt": published,
        "lastModifiedAt": modified, "lifecycleStateInfo": {"isEditedByAuthor": modified != published},
    }
    content = _content(post)
    if content is not None:
        item["content"] = content
    return item


def _int_param(req: Request, name: str, default: int) -> int | None:
    raw = req.query.get(name)
    if raw is None:
        return default
    return int(raw) if raw.isdigit() else None


def posts(req: Request) -> Response:
    if req.query.get("q") != "author":
        return c.error(400, "Invalid finder: expected q=author", "ILLEGAL_ARGUMENT")
    org_urn = req.query.get("author")
    found = c.authorise(req, org_urn)
    if isinstance(found, Response):
        return found
    acct, _ = found
    start, count = _int_param(req, "start", 0), _int_param(req, "count", 10)
    if start is None or count is None or count > MAX_COUNT:
        return c.error(400, f"Invalid paging: start={req.query.get('start')}, count={req.query.get('count')} "
                            f"(count must be at most {MAX_COUNT})", "ILLEGAL_ARGUMENT")
    now_ms = c.epoch_ms(req.state.world.now)
    ordered = sorted(acct.posts, key=lambda p: (last_modified(p, now_ms), p.id), reverse=True)
    page = ordered[start:start + count]
    links = []
    if start + count < len(ordered):
        links.append({"type": "application/json", "rel": "next",
                      "href": f"/rest/posts?q=author&author={org_urn}&start={start + count}&count={count}"})
    return Response(200, {"paging": c.paging(start, count, len(ordered), links),
                          "elements": [element(org_urn, p, now_ms) for p in page]})
