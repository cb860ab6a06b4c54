"""Rest.li 2.0 query encoding, offset paging of the posts finder, media types of posts."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import httpx

from ingestion.http import ApiClient
from ingestion.linkedin import restli
from ingestion.linkedin.client import LinkedInClient, LinkedInOptions, media_type
from ingestion.linkedin.metrics import MetricRegistry


def test_urn_list_encodes_urns_but_not_the_structure():
    assert restli.urn_list(["urn:li:share:1", "urn:li:ugcPost:2"]) == "List(urn%3Ali%3Ashare%3A1,urn%3Ali%3AugcPost%3A2)"


def test_day_intervals_end_is_exclusive_midnight_utc():
    value = restli.day_intervals(date(2025, 11, 1), date(2025, 11, 18))
    assert value == "(timeRange:(start:1761955200000,end:1763510400000),timeGranularityType:DAY)"
    assert restli.day_of(1763510400000) == date(2025, 11, 19)


def test_restli_query_restores_structure_and_leaves_plain_params():
    raw = httpx.Request("GET", "http://x/rest/s", params={
        "shares": "List(urn%3Ali%3Ashare%3A1)", "author": "urn:li:organization:5",
        "timeIntervals": "(timeRange:(start:1,end:2),timeGranularityType:DAY)"}).url.query
    rewritten = restli.restli_query(raw).decode()
    assert "shares=List(urn%3Ali%3Ashare%3A1)" in rewritten
    assert "timeIntervals=(timeRange:(start:1,end:2),timeGranularityType:DAY)" in rewritten
    assert "author=urn%3Ali%3Aorganization%3A5" in rewritten


def _client(handler, page_size=2):
    transport = restli.RestliTransport(httpx.MockTransport(handler))
    rest = ApiClient("linkedin", "http://li.test/rest", transport=transport, sleep=lambda s: None)
    options = LinkedInOptions("urn:li:organization:5", "202610", page_size, 20, 90, 365, "LI_TOKEN", None)
    return LinkedInClient(rest, auth=None, options=options, registry=MetricRegistry("202610"), redactor=None)


def test_posts_finder_pages_with_start_and_count_to_the_end():
    posts = [{"id": f"urn:li:share:{n}", "lastModifiedAt": 100 - n} for n in range(5)]
    seen = []

    def handler(request):
        query = parse_qs(urlsplit(str(request.url)).query)
        seen.append((query["start"][0], request.headers.get("X-RestLi-Method")))
        start, count = int(query["start"][0]), int(query["count"][0])
        return httpx.Response(200, json={"paging": {"start": start, "count": count, "links": []},
                                         "elements": posts[start:start + count]})

    pages = list(_client(handler).post_pages())
    assert [len(p.data["elements"]) for p in pages] == [2, 2, 1]  # the short page ends the walk
    assert seen == [("0", "FINDER"), ("2", "FINDER"), ("4", "FINDER")]


def test_posts_finder_stops_at_total_without_an_empty_page():
    def handler(request):
        start = int(parse_qs(urlsplit(str(request.url)).query)["start"][0])
        elements = [{"id": f"urn:li:share:{start + n}"} for n in range(2)]
        return httpx.Response(200, json={"paging": {"start": start, "count": 2, "total": 4}, "elements": elements})

    assert len(list(_client(handler).post_pages())) == 2


def test_share_statistics_split_shares_and_ugc_posts():
    captured = {}

    def handler(request):
        captured["query"] = request.url.query.decode()
        return httpx.Response(200, json={"elements": []})

    params, _ = _client(handler).share_statistics(["urn:li:share:1", "urn:li:ugcPost:2"])
    assert params["shares"] == "List(urn%3Ali%3Ashare%3A1)" and params["ugcPosts"] == "List(urn%3Ali%3AugcPost%3A2)"
    assert "ugcPosts=List(urn%3Ali%3AugcPost%3A2)" in captured["query"]


def test_media_type_from_content_shape():
    assert media_type({}) == "text"
    assert media_type({"content": {"media": {"id": "urn:li:video:C1"}}}) == "video"
    assert media_type({"content": {"media": {"id": "urn:li:image:C1"}}}) == "image"
    assert media_type({"content": {"media": {"id": "urn:li:document:C1"}}}) == "carousel"
    assert media_type({"content": {"multiImage": {"images": []}}}) == "carousel"
    assert media_type({"content": {"article": {"source": "https://x"}}}) == "link"
