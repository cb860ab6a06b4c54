"""A competitor's public numbers on X: `GET /2/users/by/username/:username` (or `/2/users/:id`) with
`user.fields=public_metrics`, and its latest posts from `/2/users/:id/tweets` with `public_metrics`
(app bearer is enough). Each read is billed (pay-per-use): a small fixed number of posts.

Engagement in public counts: likes, replies (comments) and reposts + quotes (shares), as our own
marts count X (int_x__posts). A deleted, suspended or renamed user answers 200 with no `data` and
a "Not Found Error" in `errors[]`.
"""

from __future__ import annotations

from datetime import datetime

from ingestion.competitors import Snapshot, count, found, not_found
from ingestion.x.client import XClient

RECENT_POSTS = 25
TWEET_PARAMS = {"tweet.fields": "created_at,public_metrics,attachments,entities", "expansions": "attachments.media_keys",
                "media.fields": "type", "max_results": RECENT_POSTS, "exclude": "retweets,replies"}


def fetch_competitor(client: XClient, handle: str, now: datetime) -> Snapshot:
    path = f"users/{handle}" if handle.isdigit() else f"users/by/username/{handle.lstrip('@')}"
    user = client.users.get_json(path, params={"user.fields": "public_metrics"}) or {}
    if "data" not in user:
        detail = ((user.get("errors") or [{}])[0]).get("detail", "no user in the answer")
        return not_found({"user": user}, f"{detail} (deleted, suspended or renamed?)")
    tweets = client.timeline.get_json(f"users/{user['data']['id']}/tweets", params=TWEET_PARAMS,
                                      cost=RECENT_POSTS) or {}
    payload = {"user": user, "tweets": tweets}
    return found(payload, parse(payload))


def tweet_format(tweet: dict, media_types: dict[str, str]) -> str:
    kinds = {media_types.get(key) for key in (tweet.get("attachments") or {}).get("media_keys") or []}
    if kinds & {"video", "animated_gif"}:
        return "video"
    if "photo" in kinds:
        return "image"
    return "link" if (tweet.get("entities") or {}).get("urls") else "text"


def parse(payload: dict) -> dict:
    user = payload["user"]["data"]
    tweets = payload.get("tweets") or {}
    media_types = {m["media_key"]: m.get("type") for m in (tweets.get("includes") or {}).get("media") or []}
    posts = []
    for tweet in tweets.get("data") or []:
        metrics = tweet.get("public_metrics") or {}
        reposts, quotes = count(metrics.get("retweet_count")), count(metrics.get("quote_count"))
        posts.append({"post_id": tweet["id"], "published_at": tweet.get("created_at"),
                      "format": tweet_format(tweet, media_types), "likes": count(metrics.get("like_count")),
                      "comments": count(metrics.get("reply_count")),
                      "shares": None if reposts is None or quotes is None else reposts + quotes})
    public = user.get("public_metrics") or {}
    return {"account_id": user["id"], "name": user.get("name") or user.get("username"),
            "followers": count(public.get("followers_count")), "posts_total": count(public.get("tweet_count")),
            "posts": posts}
