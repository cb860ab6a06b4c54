"""Graph insights: `/{post-id}/insights`, `/{video-id}/video_insights`, `/{page-id}/insights`.

Post and video metrics are lifetime values at the world clock (they only grow). Page metrics by
day come from `AccountWorld.reported` (no row for today, yesterday still incomplete: late data),
≤ 93 days per call, each value stamped with `end_time` = the next midnight, Pacific time. Metrics
Meta removed answer `(#100)` naming the metric; demographics of tiny audiences answer `(#10)`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from simulator.account import AccountWorld
from simulator.models import Post
from simulator.platforms.facebook import common as c
from simulator.platforms.facebook import gate
from simulator.platforms.facebook import metrics as m
from simulator.routing import Request, Response

MAX_SPAN_DAYS = 93


def _invalid(name: str) -> Response:
    return c.graph_error(100, f"(#100) The value must be a valid insights metric: {name} is not a valid "
                              "insights metric for this object")


def _metric_list(req: Request, allowed: dict[str, Any]) -> list[str] | Response:
    names = [n.strip() for n in req.query.get("metric", "").split(",") if n.strip()] or list(allowed)
    dead = gate.retired(req) | m.REMOVED
    for name in names:
        if name in dead or name not in allowed:
            return _invalid(name)
    if gate.too_few_viewers(req, names):
        return c.graph_error(10, "(#10) Not enough viewers for the media to show insights")
    return names


def _entry(node: str, name: str, period: str, values: list[dict[str, Any]]) -> dict[str, Any]:
    title = name.replace("_", " ").capitalize()
    return {"name": name, "period": period, "values": values, "title": title,
            "description": f"Lifetime: {title}." if period == "lifetime" else f"Daily: {title}.",
            "id": f"{node}/insights/{name}/{period}"}


def _find(req: Request, token_page: str, post_id: str) -> tuple[AccountWorld, Post] | None:
    acct = c.account(req, token_page)
    post = acct.find(post_id)
    return None if post is None else (acct, post)


def insights(req: Request, token_page: str) -> Response:
    node = req.params["node"]
    if "_" in node:
        page_id, _, post_id = node.partition("_")
        found = _find(req, token_page, post_id) if page_id == token_page else None
        if found is None:
            return c.graph_error(100, f"(#100) Unsupported get request. Object with ID '{node}' does not exist, "
                                      "cannot be loaded due to missing permissions, or does not support this "
                                      "operation", kind="GraphMethodException")
        return _post_insights(req, node, *found)
    if node not in ("me", token_page):
        return c.graph_error(10, "(#10) Requires read_insights permission")
    if req.query.get("period", "day") == "lifetime":
        return _page_lifetime(req, token_page)
    return _page_daily(req, token_page)


def _post_insights(req: Request, node: str, acct: AccountWorld, post: Post) -> Response:
    if req.query.get("period", "lifetime") != "lifetime":
        return c.graph_error(100, "(#100) Post insights are only available for period lifetime")
    values = m.post_values(post, acct.lifetime(post))
    names = _metric_list(req, values)
    if isinstance(names, Response):
        return names
    return Response(200, {"data": [_entry(node, n, "lifetime", [{"value": values[n]}]) for n in names]})


def video_insights(req: Request, token_page: str) -> Response:
    found = _find(req, token_page, req.params["node"])
    if found is None or found[1].format not in ("reel", "video"):
        return c.graph_error(100, "(#100) Unsupported get request.", kind="GraphMethodException")
    acct, post = found
    values = m.video_values(post, acct.lifetime(post))
    names = _metric_list(req, values)
    if isinstance(names, Response):
        return names
    data = []
    for n in names:
        entry = _entry(post.id, n, "lifetime", [{"value": values[n]}])
        entry["id"] = f"{post.id}/video_insights/{n}/lifetime"
        data.append(entry)
    return Response(200, {"data": data})


def _day(raw: str | None, fallback: date) -> date:
    if not raw:
        return fallback
    if raw.isdigit():
        return datetime.fromtimestamp(int(raw), UTC).date()
    return date.fromisoformat(raw[:10])


def _page_daily(req: Request, page_id: str) -> Response:
    acct = c.account(req, page_id)
    today = req.state.world.now.date()
    try:
        since = _day(req.query.get("since"), today - timedelta(days=2))
        until = _day(req.query.get("until"), today)
    except ValueError:
        return c.graph_error(100, "(#100) The since and until parameters must be dates or unix timestamps")
    if (until - since).days > MAX_SPAN_DAYS:
        return c.graph_error(100, f"(#100) There cannot be more than {MAX_SPAN_DAYS} days "
                                  f"({MAX_SPAN_DAYS * 86400} s) between since and until")
    names = _metric_list(req, {n: None for n in m.PAGE_DAILY})
    if isinstance(names, Response):
        return names
    series = m.page_daily(acct, since, until - timedelta(days=1))
    data = [_entry(page_id, n, "day", [{"value": int(v), "end_time": c.end_time(d)}
                                       for d, v in zip(series["dates"], series[n], strict=True)])
            for n in names]
    span = until - since
    return Response(200, {"data": data, "paging": {
        "previous": c.self_url(req, since=(since - span).isoformat(), until=since.isoformat()),
        "next": c.self_url(req, since=until.isoformat(), until=(until + span).isoformat())}})


def _page_lifetime(req: Request, page_id: str) -> Response:
    acct = c.account(req, page_id)
    names = _metric_list(req, {n: None for n in m.PAGE_LIFETIME})
    if isinstance(names, Response):
        return names
    followers = acct.followers()
    if followers < 100:
        return c.graph_error(10, "(#10) Not enough viewers for the page to show insights")
    yesterday = req.state.world.now.date() - timedelta(days=1)
    values = m.page_geo(acct, followers)
    return Response(200, {"data": [_entry(page_id, n, "lifetime", [{"value": values[n],
                                                                     "end_time": c.end_time(yesterday)}])
                                   for n in names]})

