"""A competitor channel's public numbers: Data API `channels.list` (statistics) and its latest uploads
with `videos.list` statistics — public data, any key or token reads it (1 quota unit a call).

`subscriberCount` is public rounded to three significant figures (hidden when the owner hides it:
NULL); shares are not public on YouTube. Format as in our own marts: duration ≤ 180 s is a Short
(the Data API has no Shorts flag). A deleted or unknown channel is an empty `items` list.
"""

from __future__ import annotations

import re
from datetime import datetime

from ingestion.competitors import Snapshot, count, found, not_found
from ingestion.youtube.client import YouTubeClient

RECENT_VIDEOS = 25
SHORT_MAX_S = 180
DURATION = re.compile(r"^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")


def duration_s(text: str | None) -> int | None:
    match = DURATION.match(text or "")
    if not match or not text:
        return None
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + seconds


def fetch_competitor(client: YouTubeClient, handle: str, now: datetime) -> Snapshot:
    lookup = {"forHandle": handle} if handle.startswith("@") else {"id": handle}
    channels = client.data.get_json("channels", params={"part": "snippet,contentDetails,statistics", **lookup})
    items = (channels or {}).get("items") or []
    if not items:
        return not_found({"channels": channels}, f"channels.list finds no channel {handle} (deleted or renamed?)")
    uploads = items[0]["contentDetails"]["relatedPlaylists"]["uploads"]
    listing = client.data.get_json("playlistItems", params={"part": "contentDetails", "playlistId": uploads,
                                                            "maxResults": RECENT_VIDEOS})
    ids = [item["contentDetails"]["videoId"] for item in (listing or {}).get("items") or []]
    payload = {"channel": items[0], "videos": client.videos(ids) if ids else []}
    return found(payload, parse(payload))


def parse(payload: dict) -> dict:
    channel = payload["channel"]
    stats = channel.get("statistics") or {}
    hidden = stats.get("hiddenSubscriberCount") is True
    posts = []
    for video in payload.get("videos") or []:
        numbers = video.get("statistics") or {}
        length = duration_s((video.get("contentDetails") or {}).get("duration"))
        posts.append({
            "post_id": video["id"], "published_at": video["snippet"]["publishedAt"],
            "format": None if length is None else ("short" if length <= SHORT_MAX_S else "long_video"),
            "likes": count(numbers.get("likeCount")), "comments": count(numbers.get("commentCount")),
            "shares": None,
        })
    return {"account_id": channel["id"], "name": (channel.get("snippet") or {}).get("title"),
            "followers": None if hidden else count(stats.get("subscriberCount")),
            "posts_total": count(stats.get("videoCount")), "posts": posts}
