"""`simulator.truth` says what the platforms' HTTP answers say, in Tidemark's canonical terms.

One simulator built the way the shell builds it (world anchored at the epoch, clock moved later)
and a `Truth.build` from the same seed/epoch/history: each platform's endpoint is read with httpx
and one account day / one post compared with the truth.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from simulator.platforms import PROFILES
from simulator.platforms.x.common import APP_BEARER
from simulator.server import SimulatorServer
from simulator.truth import TERMS, Truth, canonical, final_through, reported_through

from .conftest import YouTubeClient

EPOCH = datetime(2026, 11, 1, tzinfo=UTC)  # tidemark.runtime.SIM_EPOCH (the simulator may not import it)
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SEED, HISTORY = 11, 60
ACCOUNTS = {"youtube": "UCallsixChannel000000001", "facebook": "101000000000099", "instagram": "17841400000000999",
            "tiktok": "-000allsixOpenId0000000000001", "x": "1500000000000000099", "linkedin": "10000099"}


@pytest.fixture(scope="module")
def server() -> Iterator[SimulatorServer]:
    sim = SimulatorServer(seed=SEED, now=EPOCH, history_days=HISTORY)
    sim.set_now(NOW)
    with sim:
        yield sim


@pytest.fixture(scope="module")
def truth() -> Truth:
    return Truth.build(SEED, epoch=EPOCH, history_days=HISTORY)


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=20) as client:
        yield client


def final_day(truth: Truth, platform: str) -> date:
    return truth.final_through(platform, NOW)


def one_day(truth: Truth, platform: str, day: date):
    (row,) = truth.account_days(platform, ACCOUNTS[platform], day, day)
    assert row.date == day
    return row


def ok(resp: httpx.Response) -> Any:
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_every_served_platform_has_terms():
    assert set(TERMS) == set(PROFILES)


def test_engagements_leave_saves_out_and_linkedin_rates_on_impressions():
    values = {"views": 100, "engaged_views": 40, "likes": 5, "comments": 2, "shares": 1, "saves": 9}
    assert canonical("instagram", values) == {"views": 100, "impressions": None, "likes": 5, "comments": 2,
                                              "shares": 1, "saves": 9, "engagements": 8}
    assert canonical("x", values)["impressions"] == 100 and canonical("x", values)["views"] == 100
    assert canonical("linkedin", values, post_format="video")["views"] == 40
    assert canonical("linkedin", values, post_format="image")["views"] is None
    account = canonical("linkedin", values, account_level=True)
    assert (account["views"], account["impressions"]) == (None, 100)
    assert canonical("youtube", values)["saves"] is None and canonical("facebook", values)["saves"] is None


def test_final_and_reported_days_follow_the_profiles():
    at = NOW
    assert reported_through(PROFILES["youtube"], at) == date(2026, 11, 18)
    assert final_through(PROFILES["youtube"], at) == date(2026, 11, 16)   # 2- and 3-day-old rows are partial
    assert final_through(PROFILES["facebook"], at) == date(2026, 11, 18)
    assert final_through(PROFILES["instagram"], at) == date(2026, 11, 17)
    assert final_through(PROFILES["tiktok"], at) == date(2026, 11, 17)
    assert final_through(PROFILES["linkedin"], at) == date(2026, 11, 16)
    assert final_through(PROFILES["x"], at) == date(2026, 11, 19)        # no report: days before the clock


def test_daily_truth_adds_up_to_lifetimes_and_account_days(truth):
    platform, account = "tiktok", ACCOUNTS["tiktok"]
    midnight = datetime(2026, 11, 15, tzinfo=UTC)
    life = truth.post_lifetimes(platform, account, midnight)
    days = truth.all_post_days(platform, account, None, date(2026, 11, 14))
    assert set(days) == set(life)
    for post_id, rows in days.items():
        assert {m: sum(r[m] for r in rows) for m in ("views", "likes", "saves")} == \
               {m: life[post_id][m] for m in ("views", "likes", "saves")}
    day = date(2026, 11, 12)
    account_day = one_day(truth, platform, day)
    assert account_day.views == sum(r["views"] for rows in days.values() for r in rows if r["date"] == day)
    assert truth.post_days(platform, account, post_id, end=date(2026, 11, 14)) == days[post_id]


def test_youtube_channel_day_and_video_statistics(server, truth):
    yt = YouTubeClient(server, ACCOUNTS["youtube"])
    try:
        day = final_day(truth, "youtube")
        body = ok(yt.report(startDate=day.isoformat(), endDate=day.isoformat(), dimensions="day",
                            metrics="views,likes,comments,shares,subscribersGained,subscribersLost"))
        (row,) = body["rows"]
        want = one_day(truth, "youtube", day)
        assert row == [day.isoformat(), want.views, want.likes, want.comments, want.shares,
                       want.followers_gained, want.followers_lost]
        life = truth.post_lifetimes("youtube", ACCOUNTS["youtube"], NOW)
        video = list(life)[-5]
        stats = yt.statistics([video])[video]
        assert (int(stats["viewCount"]), int(stats["likeCount"]), int(stats["commentCount"])) == \
               (life[video]["views"], life[video]["likes"], life[video]["comments"])
    finally:
        yt.http.close()


def test_facebook_page_day_and_posts(server, truth, http):
    page = ACCOUNTS["facebook"]
    base, auth = server.urls()["facebook_graph"] + "/v26.0", {"Authorization": f"Bearer sim-fb-page:{page}"}
    day = final_day(truth, "facebook")
    body = ok(http.get(f"{base}/{page}/insights", headers=auth, params={
        "metric": "page_media_view,page_post_engagements,page_follows", "period": "day",
        "since": day.isoformat(), "until": (day + timedelta(days=1)).isoformat()}))
    served = {m["name"]: m["values"][0]["value"] for m in body["data"]}
    want = one_day(truth, "facebook", day)
    assert served == {"page_media_view": want.views, "page_post_engagements": want.engagements,
                      "page_follows": want.followers}
    assert want.followers == truth.followers_end_of_day("facebook", page, day)
    posts = ok(http.get(f"{base}/{page}/posts", headers=auth, params={
        "fields": "id,reactions.summary(total_count),comments.summary(total_count),shares", "limit": 10}))["data"]
    life = truth.post_lifetimes("facebook", page, NOW)
    for post in posts:
        got = life[post["id"]]  # Graph's `<page id>_<id>`
        assert (post["reactions"]["summary"]["total_count"], post["comments"]["summary"]["total_count"],
                post.get("shares", {}).get("count", 0)) == (got["likes"], got["comments"], got["shares"])
    insights = ok(http.get(f"{base}/{posts[3]['id']}/insights", headers=auth, params={"metric": "post_media_view"}))
    assert insights["data"][0]["values"][0]["value"] == life[posts[3]["id"]]["views"]


def test_instagram_account_day_and_media(server, truth, http):
    user = ACCOUNTS["instagram"]
    base, token = server.urls()["instagram_graph_instagram"] + "/v26.0", {"access_token": f"sim-ig:{user}"}
    day = final_day(truth, "instagram")
    body = ok(http.get(f"{base}/{user}/insights", params={
        **token, "metric": "views,likes,comments,shares,saves", "metric_type": "total_value", "period": "day",
        "since": day.isoformat(), "until": (day + timedelta(days=1)).isoformat()}))
    served = {m["name"]: m["total_value"]["value"] for m in body["data"]}
    want = one_day(truth, "instagram", day)
    assert served == {"views": want.views, "likes": want.likes, "comments": want.comments,
                      "shares": want.shares, "saves": want.saves}
    follows = ok(http.get(f"{base}/{user}/insights", params={
        **token, "metric": "follower_count", "period": "day", "since": day.isoformat(),
        "until": (day + timedelta(days=1)).isoformat()}))
    assert follows["data"][0]["values"][0]["value"] == want.followers_gained  # Instagram's "follower_count" = new
    media = ok(http.get(f"{base}/{user}/media", params={**token, "fields": "id,like_count,comments_count"}))["data"]
    life = truth.post_lifetimes("instagram", user, NOW)
    one = media[2]
    insights = ok(http.get(f"{base}/{one['id']}/insights", params={
        **token, "metric": "views,likes,comments,shares,saved"}))
    served = {m["name"]: m["values"][0]["value"] for m in insights["data"]}
    got = life[one["id"]]
    assert served == {"views": got["views"], "likes": got["likes"], "comments": got["comments"],
                      "shares": got["shares"], "saved": got["saves"]}
    assert (one["like_count"], one["comments_count"]) == (got["likes"], got["comments"])


def test_tiktok_business_day_and_videos(server, truth, http):
    open_id = ACCOUNTS["tiktok"]
    base, auth = server.urls()["tiktok_business"], {"Access-Token": f"bat.sim:{open_id}"}
    day = final_day(truth, "tiktok")
    fields = ["video_views", "likes", "comments", "shares", "daily_total_followers"]
    body = ok(http.get(f"{base}/business/get/", headers=auth, params={
        "business_id": open_id, "fields": json.dumps(fields), "start_date": day.isoformat(),
        "end_date": day.isoformat()}))
    (row,) = body["data"]["metrics"]
    want = one_day(truth, "tiktok", day)
    assert row == {"date": day.isoformat(), "video_views": want.views, "likes": want.likes,
                   "comments": want.comments, "shares": want.shares, "daily_total_followers": want.followers}
    videos = ok(http.get(f"{base}/business/video/list/", headers=auth, params={
        "business_id": open_id, "fields": json.dumps(["item_id", "video_views", "likes", "comments", "shares",
                                                      "favorites"]), "max_count": 5}))["data"]["videos"]
    life = truth.post_lifetimes("tiktok", open_id, NOW)
    for video in videos:
        got = life[video["item_id"]]
        assert (video["video_views"], video["likes"], video["comments"], video["shares"], video["favorites"]) == \
               (got["views"], got["likes"], got["comments"], got["shares"], got["saves"])


def test_x_public_metrics(server, truth, http):
    user = ACCOUNTS["x"]
    body = ok(http.get(f"{server.urls()['x_api']}/users/{user}/tweets", headers={"Authorization": f"Bearer {APP_BEARER}"},
                       params={"tweet.fields": "public_metrics", "max_results": 20}))
    life = truth.post_lifetimes("x", user, NOW)
    for tweet in body["data"]:
        m, got = tweet["public_metrics"], life[tweet["id"]]
        assert (m["impression_count"], m["like_count"], m["reply_count"], m["retweet_count"] + m["quote_count"],
                m["bookmark_count"]) == (got["views"], got["likes"], got["comments"], got["shares"], got["saves"])
        assert got["impressions"] == got["views"]


def test_linkedin_share_statistics_day_posts_and_video_views(server, truth, http):
    org = ACCOUNTS["linkedin"]
    urn = f"urn:li:organization:{org}"
    base = server.urls()["linkedin_rest"]
    headers = {"Authorization": f"Bearer sim-li-access:{org}", "LinkedIn-Version": "202610"}
    day = final_day(truth, "linkedin")
    start = int(datetime.combine(day, datetime.min.time(), UTC).timestamp() * 1000)
    interval = f"(timeRange:(start:{start},end:{start + 86_400_000}),timeGranularityType:DAY)"
    body = ok(http.get(f"{base}/organizationalEntityShareStatistics", headers=headers, params={
        "q": "organizationalEntity", "organizationalEntity": urn, "timeIntervals": interval}))
    (element,) = body["elements"]
    stats, want = element["totalShareStatistics"], one_day(truth, "linkedin", day)
    assert (stats["impressionCount"], stats["likeCount"], stats["commentCount"], stats["shareCount"]) == \
           (want.impressions, want.likes, want.comments, want.shares)
    assert want.views is None
    life = truth.post_lifetimes("linkedin", org, NOW)
    posts = [p for p in truth.posts("linkedin", org, NOW)]
    share = posts[-4].post_id
    kind = "ugcPosts" if share.startswith("urn:li:ugcPost:") else "shares"
    body = ok(http.get(f"{base}/organizationalEntityShareStatistics", headers=headers, params={
        "q": "organizationalEntity", "organizationalEntity": urn, kind: f"List({share})"}))
    stats, got = body["elements"][0]["totalShareStatistics"], life[share]
    assert (stats["impressionCount"], stats["likeCount"], stats["commentCount"], stats["shareCount"]) == \
           (got["impressions"], got["likes"], got["comments"], got["shares"])
    video = next(p.post_id for p in reversed(posts) if p.format == "video")
    body = ok(http.get(f"{base}/videoAnalytics", headers=headers, params={
        "q": "entity", "entity": video, "type": "VIDEO_VIEW", "aggregation": "ALL"}))
    assert body["elements"][0]["value"] == life[video]["views"]
