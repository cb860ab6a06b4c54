"""X API v2 `GET /2/users/:id` and `GET /2/users/:id/tweets` over the synthetic world.

As the real API: newest posts first, only the latest 3,200 reachable, `max_results` 5–100,
`start_time` inclusive / `end_time` exclusive, opaque `pagination_token` from `meta.next_token`,
unknown fields → 400 invalid-request, owner-only fields (non_public/organic metrics) only with
the owner's user-context token and only for posts ≤ 30 days old, else a 200 whose `errors[]`
holds one "Field Authorization Error" per post (partial success).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from simulator.clock import as_utc
from simulator.platforms.x import common as c
from simulator.platforms.x import posts as p
from simulator.routing import Request, Response
from simulator.text import account_handle, account_name

TWEET_FIELDS = {
    "attachments", "author_id", "card_uri", "context_annotations", "conversation_id", "created_at",
    "edit_controls", "edit_history_tweet_ids", "entities", "geo", "id", "in_reply_to_user_id", "lang",
    "non_public_metrics", "note_tweet", "organic_metrics", "possibly_sensitive", "promoted_metrics",
    "public_metrics", "referenced_tweets", "reply_settings", "source", "text", "withheld",
}
OWNER_FIELDS = ("non_public_metrics", "organic_metrics", "promoted_metrics")
MEDIA_FIELDS = {"duration_ms", "height", "media_key", "preview_image_url", "type", "url", "width",
                "public_metrics", "non_public_metrics", "organic_metrics", "alt_text", "variants"}
USER_FIELDS = {"created_at", "description", "id", "location", "name", "profile_image_url", "protected",
               "public_metrics", "url", "username", "verified", "pinned_tweet_id"}
REACHABLE = 3200
PRIVATE_DAYS = 30


def invalid(parameter: str, values: list[str], message: str) -> Response:
    return Response(400, {"errors": [{"parameters": {parameter: values}, "message": message}],
                          "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
                          "type": c.INVALID_REQUEST})


def _fields(req: Request, name: str, allowed: set[str]) -> set[str] | Response:
    wanted = [f.strip() for f in req.query.get(name, "").split(",") if f.strip()]
    rejected = set(req.state.faults.config.for_platform(c.PLATFORM).data.get("x_rejected_fields", [])
                   if req.state.faults.config.for_platform(c.PLATFORM) else [])
    for field in wanted:
        if field not in allowed or field in rejected:
            return invalid(name, [field], f"The `{name}` query parameter value [{field}] is not one of "
                                          f"[{', '.join(sorted(allowed - rejected))}]")
    return set(wanted)


def _user_id(req: Request) -> str | Response:
    uid = req.params["id"]
    if not uid.isdigit() or len(uid) > 19:
        return invalid("id", [uid], f"The `id` query parameter value [{uid}] does not match ^[0-9]{{1,19}}$")
    return uid


def _guard(req: Request, endpoint: str) -> Response | None:
    c.note_clock(req)
    if c.caller(req) is None:
        return c.unauthorized()
    return None


def me(req: Request) -> Response:
    """`GET /2/users/me`: the user of a user-context token (the app bearer is refused, as on X)."""
    denied = _guard(req, "users_me")
    if denied:
        return denied
    uid = c.caller(req)
    if uid == "app":
        return c.problem(403, "Unsupported Authentication",
                         "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  "
                         "Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].",
                         c.PROBLEMS + "unsupported-authentication")
    return user(req, uid)


def user(req: Request, uid: str | None = None) -> Response:
    denied = _guard(req, "users")
    if denied:
        return denied
    uid = uid or _user_id(req)
    if isinstance(uid, Response):
        return uid
    fields = _fields(req, "user.fields", USER_FIELDS)
    if isinstance(fields, Response):
        return fields
    acct = req.state.world.account(c.PLATFORM, uid)
    data: dict[str, Any] = {"id": uid, "name": account_name(acct), "username": account_handle(acct).lstrip("@")}
    if "created_at" in fields:
        data["created_at"] = c.x_time(acct.created_at)
    if "description" in fields:
        data["description"] = f"Posting about {acct.topic} most days."
    if "public_metrics" in fields:
        followers = acct.followers()
        weeks = acct.day_index(req.state.world.now.date()) // 7
        posts = len(acct.posts)
        data["public_metrics"] = {"followers_count": followers, "following_count": 150 + acct.key % 400 + weeks,
                                  "tweet_count": posts + acct.key % 900, "listed_count": followers // 400,
                                  "like_count": 2000 + acct.key % 5000 + weeks * 11, "media_count": posts // 2}
    return Response(200, {"data": data}, c.rate_headers(req, "users"))


def _int(req: Request, name: str, default: int, lo: int, hi: int) -> int | Response:
    raw = req.query.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not lo <= int(raw) <= hi:
        return invalid(name, [raw], f"The `{name}` query parameter value [{raw}] is not between {lo} and {hi}")
    return int(raw)


def _time(req: Request, name: str):
    raw = req.query.get(name)
    if raw is None:
        return None
    try:
        return as_utc(raw)
    except ValueError:
        return invalid(name, [raw], f"Invalid '{name}':'{raw}'. '{name}' must be a valid RFC3339 date.")


def _token(offset: int) -> str:
    return f"7140dibd{offset:x}now9c7b"


def _offset(token: str | None) -> int | Response:
    if token is None:
        return 0
    if token.startswith("7140dibd") and token.endswith("now9c7b"):
        try:
            return int(token[8:-7], 16)
        except ValueError:
            pass
    return invalid("pagination_token", [token], f"The `pagination_token` query parameter value [{token}] is invalid")


def user_tweets(req: Request) -> Response:
    denied = _guard(req, "user_tweets")
    if denied:
        return denied
    uid = _user_id(req)
    fields = _fields(req, "tweet.fields", TWEET_FIELDS)
    media_fields = _fields(req, "media.fields", MEDIA_FIELDS)
    size = _int(req, "max_results", 10, 5, 100)
    start, end = _time(req, "start_time"), _time(req, "end_time")
    offset = _offset(req.query.get("pagination_token"))
    for value in (uid, fields, media_fields, size, start, end, offset):
        if isinstance(value, Response):
            return value
    acct = req.state.world.account(c.PLATFORM, uid)
    now = req.state.world.now
    visible = list(reversed(acct.posts_at(now)))[:REACHABLE]  # newest first, 3,200 reachable
    chosen = [post for post in visible if (start is None or post.published_at >= start)
              and (end is None or post.published_at < end)]
    page = chosen[offset:offset + size]
    owner = c.caller(req) == uid
    lifetimes = acct.lifetimes(now)
    data, errors, media = [], [], []
    for post in page:
        life = {m: int(v[post.index]) for m, v in lifetimes.items()}
        private_ok = owner and now - post.published_at <= timedelta(days=PRIVATE_DAYS)
        shown = set(fields) if private_ok else set(fields) - set(OWNER_FIELDS)
        shown.discard("promoted_metrics")  # organic posts have no promoted metrics
        data.append(p.tweet(acct, post, life, shown))
        errors.extend(field_error(post.id, f) for f in OWNER_FIELDS if f in fields and f not in shown)
        if "attachments.media_keys" in req.query.get("expansions", ""):
            item = p.media(post, life, media_fields)
            if item is not None:
                media.append(item)
    body: dict[str, Any] = {"meta": {"result_count": len(data)}}
    if data:
        body = {"data": data, **body}
        body["meta"].update(newest_id=data[0]["id"], oldest_id=data[-1]["id"])
    if media:
        body["includes"] = {"media": media}
    if errors:
        body["errors"] = errors
    if offset + size < len(chosen):
        body["meta"]["next_token"] = _token(offset + size)
    if offset > 0:
        body["meta"]["previous_token"] = _token(max(offset - size, 0))
    return Response(200, body, c.rate_headers(req, "user_tweets"))


def field_error(post_id: str, field: str) -> dict[str, str]:
    return {"value": post_id, "detail": f"Sorry, you are not authorized to access '{field}' on the Tweet with ids "
                                        f"{post_id}.", "title": "Field Authorization Error", "resource_type": "tweet",
            "parameter": field, "resource_id": post_id, "type": c.NOT_AUTHORIZED_FIELD}
