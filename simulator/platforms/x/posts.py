"""Post rendering: a world Post + its lifetime counters → an X v2 Tweet object and its media.

Counters map from the platform-agnostic world: impressions = views, likes, replies = comments,
reposts + quotes = shares (a fifth are quotes), bookmarks = saves; link and profile clicks are
fixed shares of impressions. Each is a non-decreasing function of a world counter, so a later
clock never shows a smaller number.
"""

from __future__ import annotations

from typing import Any

from simulator.account import AccountWorld
from simulator.models import Post
from simulator.platforms.x.common import x_time

MEDIA_TYPE = {"image": ("3", "photo"), "video": ("7", "video")}


def media_key(post: Post) -> str | None:
    kind = MEDIA_TYPE.get(post.format)
    return None if kind is None else f"{kind[0]}_{post.id}"


def public_metrics(life: dict[str, int]) -> dict[str, int]:
    quotes = life["shares"] // 5
    return {"retweet_count": life["shares"] - quotes, "reply_count": life["comments"], "like_count": life["likes"],
            "quote_count": quotes, "bookmark_count": life["saves"], "impression_count": life["views"]}


def private_metrics(post: Post, life: dict[str, int]) -> dict[str, int]:
    link_rate = 40 if post.format == "link" else 4  # per 1000 impressions
    return {"impression_count": life["views"], "url_link_clicks": life["views"] * link_rate // 1000,
            "user_profile_clicks": life["views"] * 2 // 1000}


def organic_metrics(post: Post, life: dict[str, int]) -> dict[str, int]:
    public = public_metrics(life)
    private = private_metrics(post, life)
    return {"impression_count": life["views"], "like_count": public["like_count"],
            "reply_count": public["reply_count"], "retweet_count": public["retweet_count"],
            "url_link_clicks": private["url_link_clicks"], "user_profile_clicks": private["user_profile_clicks"]}


def text_of(post: Post) -> str:
    text = post.caption
    if post.format == "link":
        text = f"{post.title} https://t.co/{post.id[-10:]}"
    return text[:280]


def tweet(acct: AccountWorld, post: Post, life: dict[str, int], fields: set[str]) -> dict[str, Any]:
    """The Tweet object with the requested tweet.fields (id, text, edit_history_tweet_ids always)."""
    item: dict[str, Any] = {"id": post.id, "text": text_of(post), "edit_history_tweet_ids": [post.id]}
    if "created_at" in fields:
        item["created_at"] = x_time(post.published_at)
    if "author_id" in fields:
        item["author_id"] = acct.account_id
    if "conversation_id" in fields:
        item["conversation_id"] = post.id
    if "lang" in fields:
        item["lang"] = "en"
    if "public_metrics" in fields:
        item["public_metrics"] = public_metrics(life)
    if "non_public_metrics" in fields:
        item["non_public_metrics"] = private_metrics(post, life)
    if "organic_metrics" in fields:
        item["organic_metrics"] = organic_metrics(post, life)
    key = media_key(post)
    if "attachments" in fields and key is not None:
        item["attachments"] = {"media_keys": [key]}
    if "entities" in fields:
        item["entities"] = _entities(item["text"], post)
    return item


def _entities(text: str, post: Post) -> dict[str, Any]:
    out: dict[str, Any] = {}
    tags = []
    for tag in post.hashtags:
        start = text.find(tag)
        if start >= 0:
            tags.append({"start": start, "end": start + len(tag), "tag": tag.lstrip("#")})
    if tags:
        out["hashtags"] = tags
    if post.format == "link":
        short = f"https://t.co/{post.id[-10:]}"
        start = text.find(short)
        out["urls"] = [{"start": start, "end": start + len(short), "url": short,
                        "expanded_url": f"https://example.com/articles/{post.id}",
                        "display_url": f"example.com/articles/{post.id[:6]}…"}]
    return out


def media(post: Post, life: dict[str, int], fields: set[str]) -> dict[str, Any] | None:
    """The `includes.media` object of a post's attachment (media_key and type always present)."""
    key = media_key(post)
    if key is None:
        return None
    kind = MEDIA_TYPE[post.format][1]
    item: dict[str, Any] = {"media_key": key, "type": kind}
    if "duration_ms" in fields and kind == "video":
        item["duration_ms"] = int(post.duration_s or 0) * 1000
    if "url" in fields and kind == "photo":
        item["url"] = f"https://pbs.twimg.com/media/{post.id}.jpg"
    if "public_metrics" in fields and kind == "video":
        item["public_metrics"] = {"view_count": life["engaged_views"]}
    return item
