"""A competitor's public numbers through Business Discovery: one call on our own IG user node,
`fields=business_discovery.username(NAME){followers_count,media_count,media.limit(N){...}}`
(Instagram Graph API; the other account must be a Business or Creator account).

Public per media: like_count (absent when the owner hides likes: NULL), comments_count, timestamp,
media_type, media_product_type; shares, views and reach are not public. An unknown, personal or
deleted/renamed account answers error 110 "Cannot find User" (subcode 2207013).
"""

from __future__ import annotations

from datetime import datetime

from ingestion.competitors import Snapshot, count, found, not_found
from ingestion.http import InvalidRequestError, NotFoundError
from ingestion.instagram.client import InstagramClient

RECENT_MEDIA = 25
MEDIA_FIELDS = "id,timestamp,like_count,comments_count,media_type,media_product_type"
CANNOT_FIND_USER = "110"


def discovery_fields(username: str) -> str:
    return (f"business_discovery.username({username}){{id,username,name,followers_count,media_count,"
            f"media.limit({RECENT_MEDIA}){{{MEDIA_FIELDS}}}}}")


def media_format(media: dict) -> str:
    """As our own marts name Instagram formats (int_instagram__posts)."""
    if media.get("media_product_type") == "REELS":
        return "reel"
    return {"CAROUSEL_ALBUM": "carousel", "VIDEO": "video"}.get(media.get("media_type"), "image")


def fetch_competitor(client: InstagramClient, handle: str, now: datetime) -> Snapshot:
    username = handle.lstrip("@")
    try:
        body = client.api.get_json(client.user_id, params={"fields": discovery_fields(username)})
    except (InvalidRequestError, NotFoundError) as error:
        if str(error.code or "").split("/")[0] == CANNOT_FIND_USER:
            return not_found({"error": str(error)}, f"Business Discovery cannot find {username} (deleted, renamed "
                                                    "or no longer a professional account?)")
        raise
    payload = {"business_discovery": (body or {}).get("business_discovery") or {}}
    return found(payload, parse(payload))


def parse(payload: dict) -> dict:
    found_user = payload["business_discovery"]
    posts = [{
        "post_id": media["id"], "published_at": media.get("timestamp"), "format": media_format(media),
        "likes": count(media.get("like_count")), "comments": count(media.get("comments_count")), "shares": None,
    } for media in (found_user.get("media") or {}).get("data") or []]
    return {"account_id": found_user.get("id"), "name": found_user.get("name") or found_user.get("username"),
            "followers": count(found_user.get("followers_count")), "posts_total": count(found_user.get("media_count")),
            "posts": posts}
