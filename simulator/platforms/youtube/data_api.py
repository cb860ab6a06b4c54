"""YouTube Data API v3: `channels`, `playlistItems`, `videos` (list methods, GET).

Snapshots come from `AccountWorld.lifetime` at the world clock, so counts grow
as the clock moves. As in the real API, counts are strings, unknown video ids
are silently dropped, lists page with opaque tokens and newest uploads come
first. Public data also works with `key=` instead of a bearer token.
"""

from __future__ import annotations

import base64
from typing import Any

from simulator.competitors import is_gone
from simulator.platforms.youtube import common as c
from simulator.profiles import TOPICS
from simulator.routing import Request, Response
from simulator.text import account_handle, account_name

MAX_IDS = 50


def _authorised(req: Request) -> bool:
    return c.channel_of(req) is not None or bool(req.query.get("key"))


def _page_token(offset: int) -> str:
    return "EAAa" + base64.urlsafe_b64encode(f"PT:{offset}".encode()).decode().rstrip("=")


def _parse_page_token(tok: str) -> int | None:
    if not tok.startswith("EAAa"):
        return None
    try:
        raw = base64.urlsafe_b64decode(tok[4:] + "=" * (-len(tok[4:]) % 4)).decode()
        return int(raw[3:]) if raw.startswith("PT:") and int(raw[3:]) >= 0 else None
    except ValueError:
        return None


def _max_results(req: Request, default: int, hi: int) -> int | Response:
    raw = req.query.get("maxResults")
    if raw is None:
        return default
    try:
        n = int(raw)
    except ValueError:
        n = -1
    if not 0 <= n <= hi:
        return c.bad_request(f"Invalid value '{raw}'. Values must be within the range: [0, {hi}]",
                             reason="invalidParameter", location="maxResults")
    return n


def channels(req: Request) -> Response:
    wanted = c.parts(req, {"id", "snippet", "contentDetails", "statistics", "status", "brandingSettings"})
    if isinstance(wanted, Response):
        return wanted
    if req.query.get("mine") == "true":
        ids = list(c.channels_of(req))  # a connect grant may cover several channels (brand accounts)
        if not ids:
            return c.auth_error()
    elif req.query.get("id"):
        if not _authorised(req):
            return c.auth_error()
        ids = [i.strip() for i in req.query["id"].split(",") if i.strip()]
        ids = [i for i in ids if not is_gone(i, req.state.world.now)]  # a deleted channel is simply absent
    elif req.query.get("forHandle") or req.query.get("forUsername"):
        ids = []  # handles are not indexed in the simulator: behaves like an unknown handle
    else:
        return c.bad_request("No filter selected. Expected one of: forUsername, managedByMe, categoryId, "
                             "mine, mySubscribers, id, idParam, forHandle", reason="missingRequiredParameter")
    items = [_channel(req, cid, wanted) for cid in ids[:MAX_IDS]]
    page = {"kind": "youtube#channelListResponse", "etag": c.etag(items),
            "pageInfo": {"totalResults": len(items), "resultsPerPage": 5}, "items": items}
    return Response(200, page)


def _channel(req: Request, cid: str, wanted: set[str]) -> dict[str, Any]:
    acct = c.account(req, cid)
    uploads = c.uploads_playlist(cid)
    req.state.scratch(c.PLATFORM).setdefault("uploads", {})[uploads] = cid
    item: dict[str, Any] = {"kind": "youtube#channel", "etag": "", "id": cid}
    if "snippet" in wanted:
        name = account_name(acct)
        desc = f"New {acct.topic} videos every week. {' '.join(TOPICS[acct.topic]['tags'][:2])}"
        item["snippet"] = {"title": name, "description": desc, "customUrl": account_handle(acct),
                           "publishedAt": c.rfc3339(acct.created_at), "thumbnails": c.thumbnails(cid),
                           "localized": {"title": name, "description": desc}, "country": acct.home_country}
    if "contentDetails" in wanted:
        item["contentDetails"] = {"relatedPlaylists": {"likes": "", "uploads": uploads}}
    if "statistics" in wanted:
        life = acct.lifetimes()
        subs = acct.followers()
        digits = len(str(subs))
        shown = subs - subs % (10 ** max(digits - 3, 0))  # public counts: 3 significant figures
        item["statistics"] = {"viewCount": str(int(life["views"].sum())), "subscriberCount": str(shown),
                              "hiddenSubscriberCount": False, "videoCount": str(len(life["views"]))}
    if "status" in wanted:
        item["status"] = {"privacyStatus": "public", "isLinked": True, "longUploadsStatus": "longUploadsUnspecified",
                          "madeForKids": False}
    item["etag"] = c.etag(item)
    return item


def _playlist_channel(req: Request, playlist_id: str) -> tuple[str, str | None] | None:
    """(channel id, format filter) of an uploads playlist, or None when it is not one."""
    known = req.state.scratch(c.PLATFORM).get("uploads", {})
    if playlist_id in known:
        return known[playlist_id], None
    for prefix, fmt in (("UUSH", "short"), ("UULF", "long_video"), ("UU", None)):
        if playlist_id.startswith(prefix) and len(playlist_id) > len(prefix):
            return "UC" + playlist_id[len(prefix):], fmt
    return None


def playlist_items(req: Request) -> Response:
    wanted = c.parts(req, {"id", "snippet", "contentDetails", "status"})
    if isinstance(wanted, Response):
        return wanted
    if not _authorised(req):
        return c.auth_error()
    playlist_id = req.query.get("playlistId", "")
    if not playlist_id:
        return c.bad_request("No filter selected. Expected one of: id, playlistId", reason="missingRequiredParameter")
    size = _max_results(req, 5, 50)
    if isinstance(size, Response):
        return size
    offset = _parse_page_token(req.query["pageToken"]) if req.query.get("pageToken") else 0
    if offset is None:
        return c.bad_request("The request specifies an invalid page token.", reason="invalidPageToken",
                             domain="youtube.parameter", location="pageToken")
    resolved = _playlist_channel(req, playlist_id)
    if resolved is None or is_gone(resolved[0], req.state.world.now):
        return c.google_error(404, "playlistNotFound", "The playlist identified with the request's "
                              "<code>playlistId</code> parameter cannot be found.",
                              domain="youtube.playlistItem", location="playlistId")
    cid, fmt = resolved
    acct = c.account(req, cid)
    posts = [p for p in reversed(acct.posts) if fmt is None or p.format == fmt]
    chunk = posts[offset:offset + size]
    name = account_name(acct)
    items = []
    for pos, p in enumerate(chunk, start=offset):
        item: dict[str, Any] = {"kind": "youtube#playlistItem", "etag": "",
                                "id": base64.urlsafe_b64encode(f"{playlist_id}.{p.id}".encode()).decode().rstrip("=")}
        if "snippet" in wanted:
            item["snippet"] = {"publishedAt": c.rfc3339(p.published_at), "channelId": cid, "title": p.title,
                               "description": p.caption, "thumbnails": c.thumbnails(p.id), "channelTitle": name,
                               "playlistId": playlist_id, "position": pos,
                               "resourceId": {"kind": "youtube#video", "videoId": p.id},
                               "videoOwnerChannelTitle": name, "videoOwnerChannelId": cid}
        if "contentDetails" in wanted:
            item["contentDetails"] = {"videoId": p.id, "videoPublishedAt": c.rfc3339(p.published_at)}
        if "status" in wanted:
            item["status"] = {"privacyStatus": "public"}
        item["etag"] = c.etag(item)
        items.append(item)
    page: dict[str, Any] = {"kind": "youtube#playlistItemListResponse", "etag": c.etag(items)}
    if offset + size < len(posts):
        page["nextPageToken"] = _page_token(offset + size)
    if offset > 0:
        page["prevPageToken"] = _page_token(max(offset - size, 0))
    page["items"] = items
    page["pageInfo"] = {"totalResults": len(posts), "resultsPerPage": size}
    return Response(200, page)


def videos(req: Request) -> Response:
    wanted = c.parts(req, {"id", "snippet", "contentDetails", "statistics", "status", "topicDetails",
                           "player", "recordingDetails", "liveStreamingDetails", "localizations"})
    if isinstance(wanted, Response):
        return wanted
    if not _authorised(req):
        return c.auth_error()
    if not req.query.get("id"):
        return c.bad_request("No filter selected. Expected one of: myRating, chart, id",
                             reason="missingRequiredParameter")
    ids = list(dict.fromkeys(i.strip() for i in req.query["id"].split(",") if i.strip()))
    if len(ids) > MAX_IDS:
        return c.bad_request(f"The request specifies {len(ids)} video ids; at most {MAX_IDS} are allowed.",
                             location="id")
    owner = c.channel_of(req)
    if owner is not None:
        c.account(req, owner).posts_at()  # generate the caller's channel so its video ids resolve
    items = []
    for vid in ids:
        found = req.state.world.find_post(c.PLATFORM, vid)
        if found is not None:
            items.append(_video(*found, wanted))
    page = {"kind": "youtube#videoListResponse", "etag": c.etag(items), "items": items,
            "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)}}
    return Response(200, page)


def _video(acct: Any, p: Any, wanted: set[str]) -> dict[str, Any]:
    item: dict[str, Any] = {"kind": "youtube#video", "etag": "", "id": p.id}
    if "snippet" in wanted:
        text = p.title.split(" #")[0]
        item["snippet"] = {"publishedAt": c.rfc3339(p.published_at), "channelId": acct.account_id,
                           "title": p.title, "description": p.caption, "thumbnails": c.thumbnails(p.id),
                           "channelTitle": account_name(acct), "tags": [acct.topic, *text.lower().split()[:3]],
                           "categoryId": "26", "liveBroadcastContent": "none", "defaultAudioLanguage": "en",
                           "localized": {"title": p.title, "description": p.caption}}
    if "contentDetails" in wanted:
        item["contentDetails"] = {"duration": c.iso_duration(p.duration_s), "dimension": "2d",
                                  "definition": "hd", "caption": "false", "licensedContent": True,
                                  "contentRating": {}, "projection": "rectangular"}
    if "status" in wanted:
        item["status"] = {"uploadStatus": "processed", "privacyStatus": "public", "license": "youtube",
                          "embeddable": True, "publicStatsViewable": True, "madeForKids": False}
    if "statistics" in wanted:
        life = acct.lifetime(p)
        item["statistics"] = {"viewCount": str(life["views"]), "likeCount": str(life["likes"]),
                              "dislikeCount": str(life["dislikes"]), "favoriteCount": "0",
                              "commentCount": str(life["comments"])}
    item["etag"] = c.etag(item)
    return item
