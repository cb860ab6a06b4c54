"""Business Discovery: another professional account's public profile and media, read through one's own
IG user node: `GET /{ig-user-id}?fields=business_discovery.username(NAME){followers_count,media_count,
media.limit(N){like_count,comments_count,timestamp,media_type,media_product_type}}`.

The other account is `World.account("instagram", NAME)`; its id is a stable 17-digit number. Stories
are never public. An unknown, personal or gone (`simulator.competitors`) username answers error 110
"Cannot find User" (subcode 2207013), as Meta does for Business Discovery.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from simulator.competitors import is_gone
from simulator.platforms.instagram import common as c
from simulator.platforms.instagram.media import media_object
from simulator.routing import Request, Response

QUERY = re.compile(r"^business_discovery\.username\(([^)]+)\)\{(.*)\}$")
MEDIA = re.compile(r"^media(?:\.limit\((\d+)\))?(?:\{(.*)\})?$")
DEFAULT_MEDIA_LIMIT = 25


def asks_discovery(req: Request) -> bool:
    return (req.query.get("fields") or "").startswith("business_discovery.")


def discovered_id(username: str) -> str:
    return "1784" + str(int(hashlib.sha1(f"ig-user-{username}".encode()).hexdigest(), 16))[:13]


def _split(text: str) -> list[str]:
    """Top-level comma split (braces and parentheses nest)."""
    parts, depth, current = [], 0, ""
    for ch in text:
        depth += ch in "({"
        depth -= ch in ")}"
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    return [p for p in [*parts, current.strip()] if p]


def _cannot_find(username: str) -> Response:
    response = c.meta_error(400, 110, "Invalid user id", subcode=2207013)
    response.body["error"].update(error_user_title="Cannot find User",
                                  error_user_msg=f"The user with username: {username} cannot be found.")
    return response


def discovery(req: Request, own_id: str) -> Response:
    match = QUERY.match(req.query.get("fields", ""))
    if match is None:
        return c.meta_error(400, 100, "(#100) Syntax error in the business_discovery field expansion")
    username, inner = match.group(1), match.group(2)
    if is_gone(username, req.state.world.now):
        return _cannot_find(username)
    acct = c.account(req, username)
    media = [p for p in reversed(acct.posts) if p.format != "story"]
    found: dict[str, Any] = {"id": discovered_id(username), "username": username,
                             "name": f"Sim {acct.topic.title()}", "followers_count": acct.followers(),
                             "follows_count": 150 + acct.key % 850, "media_count": len(media)}
    answer: dict[str, Any] = {}
    for field in _split(inner):
        wanted = MEDIA.match(field)
        if wanted is not None:
            limit = int(wanted.group(1) or DEFAULT_MEDIA_LIMIT)
            fields = _split(wanted.group(2) or "id")
            page: dict[str, Any] = {"data": [media_object(acct, p, fields) for p in media[:limit]]}
            if len(media) > limit:
                page["paging"] = {"cursors": {"after": c.cursor(limit)}}
            answer["media"] = page
        elif field in found:
            answer[field] = found[field]
    answer["id"] = found["id"]
    return Response(200, {"business_discovery": answer, "id": own_id}, c.usage_headers(own_id, 1))
