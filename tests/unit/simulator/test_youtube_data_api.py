"""YouTube Data API v3 + OAuth on a real simulator, driven over HTTP."""

from __future__ import annotations

import re
from datetime import timedelta

from simulator.server import SimulatorServer

from .conftest import CHANNEL, NOW, YouTubeClient


def test_oauth_refresh_maps_tokens_to_channels(sim):
    alice, bob = YouTubeClient(sim, "UCalice000000000000000001"), YouTubeClient(sim, "UCbob00000000000000000002")
    resp = alice.refresh()
    body = resp.json()
    assert resp.status_code == 200
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3599 and "yt-analytics.readonly" in body["scope"]
    assert body["access_token"].startswith("sim-access:UCalice000000000000000001:")
    bob.refresh()
    assert alice.token != bob.token
    for client in (alice, bob):
        items = client.data("channels", part="id", mine="true").json()["items"]
        assert [it["id"] for it in items] == [client.channel]


def test_oauth_rejects_unknown_refresh_tokens_and_bearers(yt):
    resp = yt.refresh("not-a-sim-token")
    assert resp.status_code == 400
    assert resp.json() == {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
    resp = yt.http.post(yt.urls["youtube_token"], data={"grant_type": "password", "client_id": "x"})
    assert resp.status_code == 400 and resp.json()["error"] == "unsupported_grant_type"
    for headers in ({}, {"Authorization": f"Bearer sim-access:{CHANNEL}:999"}):
        resp = yt.http.get(f"{yt.urls['youtube_data']}/channels", params={"part": "id", "mine": "true"},
                           headers=headers)
        assert resp.status_code == 401
        err = resp.json()["error"]
        assert err["code"] == 401 and err["errors"][0]["reason"] == "authError"


def test_channel_resource_counts_are_strings(yt):
    body = yt.data("channels", part="snippet,contentDetails,statistics", mine="true").json()
    assert body["kind"] == "youtube#channelListResponse"
    item = body["items"][0]
    assert item["contentDetails"]["relatedPlaylists"]["uploads"] == "UU" + CHANNEL[2:]
    stats = item["statistics"]
    for key in ("viewCount", "subscriberCount", "videoCount"):
        assert isinstance(stats[key], str) and stats[key].isdigit(), key
    assert stats["hiddenSubscriberCount"] is False
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item["snippet"]["publishedAt"])
    other = yt.data("channels", part="id,statistics", id="UCsomebodyElse0000000001").json()["items"]
    assert [it["id"] for it in other] == ["UCsomebodyElse0000000001"]


def test_playlist_pagination_walks_every_video_once(yt):
    playlist = yt.uploads()
    ids, token, pages, published = [], None, 0, []
    while True:
        params = {"part": "snippet,contentDetails", "playlistId": playlist, "maxResults": 50}
        if token:
            params["pageToken"] = token
        page = yt.data("playlistItems", **params).json()
        pages += 1
        assert page["pageInfo"]["resultsPerPage"] == 50 and len(page["items"]) <= 50
        for it in page["items"]:
            assert it["snippet"]["resourceId"]["videoId"] == it["contentDetails"]["videoId"]
            ids.append(it["contentDetails"]["videoId"])
            published.append(it["contentDetails"]["videoPublishedAt"])
        token = page.get("nextPageToken")
        if not token:
            break
    total = page["pageInfo"]["totalResults"]
    assert pages >= 3 and len(ids) == len(set(ids)) == total
    assert published == sorted(published, reverse=True)  # newest first
    stats = yt.data("channels", part="statistics", mine="true").json()["items"][0]["statistics"]
    assert int(stats["videoCount"]) == total
    assert len(yt.data("playlistItems", part="id", playlistId=playlist).json()["items"]) == 5  # default size
    bad = yt.data("playlistItems", part="id", playlistId=playlist, maxResults=51)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == 400
    bad = yt.data("playlistItems", part="id", playlistId=playlist, pageToken="garbage")
    assert bad.json()["error"]["errors"][0]["reason"] == "invalidPageToken"
    shorts = yt.data("playlistItems", part="id", playlistId="UUSH" + CHANNEL[2:], maxResults=1).json()
    assert 0 < shorts["pageInfo"]["totalResults"] < total


def test_videos_list_formats_and_id_limit(yt):
    ids = yt.all_video_ids()
    page = yt.data("videos", part="statistics,contentDetails,snippet,status", id=",".join(ids[:50])).json()
    assert page["kind"] == "youtube#videoListResponse" and [it["id"] for it in page["items"]] == ids[:50]
    for it in page["items"]:
        stats = it["statistics"]
        for key in ("viewCount", "likeCount", "dislikeCount", "favoriteCount", "commentCount"):
            assert isinstance(stats[key], str) and stats[key].isdigit(), key
        assert re.fullmatch(r"PT(\d+H)?(\d+M)?(\d+S)?", it["contentDetails"]["duration"])
        assert it["snippet"]["title"] and isinstance(it["snippet"]["tags"], list)
        assert it["status"]["privacyStatus"] == "public"
    too_many = yt.data("videos", part="statistics", id=",".join(ids[:51]))
    assert too_many.status_code == 400
    assert too_many.json()["error"]["errors"][0]["reason"] == "badRequest"
    unknown = yt.data("videos", part="id", id=f"{ids[0]},AAAAAAAAAAA").json()
    assert [it["id"] for it in unknown["items"]] == [ids[0]]
    assert yt.data("videos", part="nonsense", id=ids[0]).status_code == 400


def test_same_seed_same_json_different_seed_differs():
    bodies = []
    for seed in (1, 1, 2):
        with SimulatorServer(seed=seed, now=NOW) as server:
            client = YouTubeClient(server)
            ids = client.all_video_ids()
            bodies.append(client.data("videos", part="snippet,statistics,contentDetails", id=",".join(ids[:20])).text)
            client.http.close()
    assert bodies[0] == bodies[1]
    assert bodies[0] != bodies[2]


def test_snapshot_counters_never_decrease_when_the_clock_moves(yt):
    ids = yt.all_video_ids()
    before = yt.statistics(ids)
    assert yt.admin("clock", {"now": (NOW + timedelta(days=1, hours=5)).isoformat()}).status_code == 200
    after_ids = yt.all_video_ids()
    assert set(ids) <= set(after_ids)
    after = yt.statistics(after_ids)
    grew = 0
    for vid, stats in before.items():
        for key in ("viewCount", "likeCount", "commentCount"):
            assert int(after[vid][key]) >= int(stats[key]), (vid, key)
        grew += int(after[vid]["viewCount"]) > int(stats["viewCount"])
    assert grew > len(before) // 2
