from collections.abc import Callable
from typing import Any

import pytest

from ingestion.http import (
    BodyCursorPaginator,
    NextTokenPaginator,
    NextUrlPaginator,
    OffsetPaginator,
    PageTokenPaginator,
    PaginationError,
    Paginator,
    RequestSpec,
)


def walk(paginator: Paginator, spec: RequestSpec, serve: Callable[[RequestSpec], Any]) -> list[RequestSpec]:
    """Drive a paginator against an in-memory fake server; returns the requests made."""
    sent = []
    current = paginator.first_request(spec)
    while current is not None:
        sent.append(current)
        assert len(sent) < 50, "paginator did not stop"
        current = paginator.next_request(current, serve(current), {})
    return sent


def test_page_token_paginator_youtube():
    pages = {
        None: {"items": [1], "nextPageToken": "p2"},
        "p2": {"items": [2], "nextPageToken": "p3"},
        "p3": {"items": [3]},
    }
    spec = RequestSpec("GET", "/youtube/v3/playlistItems", {"part": "snippet", "playlistId": "UU1"})
    sent = walk(PageTokenPaginator(), spec, lambda s: pages[s.params.get("pageToken")])
    assert [s.params.get("pageToken") for s in sent] == [None, "p2", "p3"]
    assert all(s.params["playlistId"] == "UU1" for s in sent)


def test_next_token_paginator_x():
    pages = {
        None: {"meta": {"next_token": "b"}},
        "b": {"meta": {"next_token": "c"}},
        "c": {"meta": {"result_count": 0}},
    }
    sent = walk(
        NextTokenPaginator(),
        RequestSpec("GET", "/2/users/1/tweets", {"max_results": 100}),
        lambda s: pages[s.params.get("pagination_token")],
    )
    assert [s.params.get("pagination_token") for s in sent] == [None, "b", "c"]


def test_next_token_paginator_custom_param_for_search():
    paginator = NextTokenPaginator(token_param="next_token")
    nxt = paginator.next_request(
        paginator.first_request(RequestSpec("GET", "/2/tweets/search/recent")), {"meta": {"next_token": "zz"}}
    )
    assert nxt.params == {"next_token": "zz"}


def test_next_url_paginator_meta_strips_auth_params():
    base = "https://graph.facebook.com/v21.0/123/posts"
    pages = {
        "first": {
            "data": [1],
            "paging": {"next": f"{base}?access_token=SECRET&limit=2&after=A&appsecret_proof=P"},
        },
        "A": {"data": [2], "paging": {"next": f"{base}?access_token=SECRET&limit=2&after=B"}},
        "B": {"data": [3], "paging": {"previous": f"{base}?before=B"}},
    }
    spec = RequestSpec("GET", "123/posts", {"limit": 2, "fields": "id"})
    sent = walk(NextUrlPaginator(), spec, lambda s: pages[s.params.get("after", "first")])
    assert len(sent) == 3
    assert sent[1].url == base
    assert sent[1].params == {"limit": "2", "after": "A"}
    assert all("SECRET" not in repr(s) and "access_token" not in s.params for s in sent)


def test_offset_paginator_linkedin_short_page():
    data = list(range(25))

    def serve(spec):
        start, count = spec.params["start"], spec.params["count"]
        return {"elements": data[start : start + count], "paging": {"start": start, "count": count}}

    sent = walk(OffsetPaginator(page_size=10), RequestSpec("GET", "/rest/posts", {"q": "author"}), serve)
    assert [s.params["start"] for s in sent] == [0, 10, 20]
    assert sent[0].params == {"start": 0, "count": 10, "q": "author"}


def test_offset_paginator_stops_at_total():
    def serve(spec):
        return {"items": ["x"] * 5, "paging": {"total": 15}}

    sent = walk(OffsetPaginator(page_size=5, elements_key="items"), RequestSpec("GET", "/rest/x"), serve)
    assert [s.params["start"] for s in sent] == [0, 5, 10]


def test_body_cursor_paginator_tiktok():
    pages = {
        None: {"data": {"videos": [1], "cursor": 20, "has_more": True}},
        20: {"data": {"videos": [2], "cursor": 40, "has_more": True}},
        40: {"data": {"videos": [3], "cursor": 60, "has_more": False}},
    }
    spec = RequestSpec("POST", "/v2/video/list/", {"fields": "id"}, {"max_count": 20})
    sent = walk(BodyCursorPaginator(), spec, lambda s: pages[s.json.get("cursor")])
    assert [s.json.get("cursor") for s in sent] == [None, 20, 40]
    assert all(s.method == "POST" and s.json["max_count"] == 20 for s in sent)


def test_body_cursor_missing_cursor_is_an_error():
    paginator = BodyCursorPaginator(platform="tiktok")
    spec = paginator.first_request(RequestSpec("POST", "/v2/video/list/", json={}))
    with pytest.raises(PaginationError, match="no cursor"):
        paginator.next_request(spec, {"data": {"has_more": True}})


@pytest.mark.parametrize(
    ("paginator", "body"),
    [
        (PageTokenPaginator(), {"nextPageToken": "same"}),
        (NextTokenPaginator(), {"meta": {"next_token": "same"}}),
        (NextUrlPaginator(), {"paging": {"next": "https://g/x?after=same"}}),
        (BodyCursorPaginator(), {"data": {"has_more": True, "cursor": 7}}),
    ],
)
def test_repeated_cursor_is_detected(paginator, body):
    spec = RequestSpec("GET", "/x", {}, {})
    with pytest.raises(PaginationError, match="repeated"):
        walk(paginator, spec, lambda s: body)


def test_cursor_of_first_request_counts_for_repeat_guard():
    paginator = BodyCursorPaginator()
    spec = paginator.first_request(RequestSpec("POST", "/v2/video/list/", json={"cursor": 0}))
    with pytest.raises(PaginationError, match="repeated"):
        paginator.next_request(spec, {"data": {"has_more": True, "cursor": 0}})


def test_max_pages_guard():
    counter = iter(range(1000))
    with pytest.raises(PaginationError, match="max_pages=3"):
        walk(
            PageTokenPaginator(max_pages=3),
            RequestSpec("GET", "/x"),
            lambda s: {"nextPageToken": f"t{next(counter)}"},
        )


def test_first_request_resets_state():
    paginator = PageTokenPaginator(max_pages=2)
    for _ in range(3):  # would trip the repeat/max guard if state leaked between walks
        pages = {None: {"nextPageToken": "t"}, "t": {}}
        assert (
            len(walk(paginator, RequestSpec("GET", "/x"), lambda s, p=pages: p[s.params.get("pageToken")]))
            == 2
        )
