"""Each platform's competitor parser on hand-made API answers (the shapes of docs/insights-benchmarks.md):
counts as numbers, hidden counts NULL (never 0), formats named as our own marts name them."""

from ingestion.facebook.competitors import parse as parse_facebook
from ingestion.instagram.competitors import discovery_fields
from ingestion.instagram.competitors import parse as parse_instagram
from ingestion.x.competitors import parse as parse_x
from ingestion.youtube.competitors import duration_s
from ingestion.youtube.competitors import parse as parse_youtube


def test_youtube_strings_hidden_subscribers_and_shorts():
    payload = {
        "channel": {"id": "UCr", "snippet": {"title": "Rival"},
                    "statistics": {"subscriberCount": "12300", "videoCount": "85", "viewCount": "9",
                                   "hiddenSubscriberCount": False}},
        "videos": [
            {"id": "v1", "snippet": {"publishedAt": "2026-11-18T16:00:05Z"}, "contentDetails": {"duration": "PT2M15S"},
             "statistics": {"viewCount": "100", "likeCount": "7", "commentCount": "2"}},
            {"id": "v2", "snippet": {"publishedAt": "2026-11-17T16:00:05Z"}, "contentDetails": {"duration": "PT1H2S"},
             "statistics": {"viewCount": "100", "commentCount": "0"}},  # likes hidden by the owner
        ]}
    parsed = parse_youtube(payload)
    assert (parsed["account_id"], parsed["followers"], parsed["posts_total"]) == ("UCr", 12300, 85)
    assert [(p["format"], p["likes"], p["comments"], p["shares"]) for p in parsed["posts"]] == [
        ("short", 7, 2, None), ("long_video", None, 0, None)]
    payload["channel"]["statistics"]["hiddenSubscriberCount"] = True
    assert parse_youtube(payload)["followers"] is None


def test_iso_durations():
    assert [duration_s(t) for t in ("PT2M15S", "PT1H2S", "P1DT2S", "PT180S", "", None, "2:15")] == [
        135, 3602, 86402, 180, None, None, None]


def test_instagram_business_discovery():
    assert discovery_fields("rival").startswith("business_discovery.username(rival){")
    payload = {"business_discovery": {"id": "17841", "username": "rival", "followers_count": 5400, "media_count": 310,
                                      "media": {"data": [
        {"id": "m1", "timestamp": "2026-11-13T08:25:28+0000", "like_count": 40, "comments_count": 3,
         "media_type": "VIDEO", "media_product_type": "REELS"},
        {"id": "m2", "timestamp": "2026-11-12T08:25:28+0000", "comments_count": 1,  # likes hidden
         "media_type": "CAROUSEL_ALBUM", "media_product_type": "FEED"},
        {"id": "m3", "timestamp": "2026-11-11T08:25:28+0000", "like_count": 0, "comments_count": 0,
         "media_type": "IMAGE", "media_product_type": "FEED"}]}}}
    parsed = parse_instagram(payload)
    assert (parsed["followers"], parsed["posts_total"], parsed["name"]) == (5400, 310, "rival")
    assert [(p["format"], p["likes"], p["comments"]) for p in parsed["posts"]] == [
        ("reel", 40, 3), ("carousel", None, 1), ("image", 0, 0)]


def test_facebook_reads_page_fields_only():
    parsed = parse_facebook({"page": {"id": "1", "name": "Rival", "followers_count": 900, "fan_count": 870}})
    assert (parsed["followers"], parsed["posts"], parsed["posts_total"]) == (900, None, None)


def test_x_public_metrics_and_formats():
    payload = {
        "user": {"data": {"id": "42", "username": "rival", "public_metrics": {"followers_count": 1500,
                                                                           "tweet_count": 3200}}},
        "tweets": {"data": [
            {"id": "t1", "created_at": "2026-11-20T15:04:05.000Z", "attachments": {"media_keys": ["7_t1"]},
             "public_metrics": {"retweet_count": 3, "reply_count": 1, "like_count": 20, "quote_count": 2}},
            {"id": "t2", "created_at": "2026-11-19T15:04:05.000Z", "entities": {"urls": [{"url": "https://t.co/x"}]},
             "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 5, "quote_count": 0}},
            {"id": "t3", "created_at": "2026-11-18T15:04:05.000Z", "attachments": {"media_keys": ["3_t3"]},
             "public_metrics": {"retweet_count": 1, "reply_count": 2, "like_count": 3}}],  # no quote_count
            "includes": {"media": [{"media_key": "7_t1", "type": "video"}, {"media_key": "3_t3", "type": "photo"}]}}}
    parsed = parse_x(payload)
    assert (parsed["account_id"], parsed["followers"], parsed["posts_total"]) == ("42", 1500, 3200)
    assert [(p["format"], p["likes"], p["comments"], p["shares"]) for p in parsed["posts"]] == [
        ("video", 20, 1, 5), ("link", 5, 0, 0), ("image", 3, 2, None)]
