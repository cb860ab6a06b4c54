"""Organization statistics: share statistics, follower statistics, network size, video analytics.

- `organizationalEntityShareStatistics`: per post (`shares=List(…)`, `ugcPosts=List(…)`) or
  org-wide lifetime `totalShareStatistics`; with `timeIntervals` one element per DAY, ending at
  today − 2 days (the world's report lag) and with the youngest days still incomplete.
- `organizationalEntityFollowerStatistics`: daily `followerGains` with `timeIntervals`, lifetime
  facets (country, seniority, industry, function, staff count) without.
- `networkSizes/{urn}?edgeType=COMPANY_FOLLOWED_BY_MEMBER` → `{"firstDegreeSize": n}`.
- `videoAnalytics?q=entity&entity=…&type=VIDEO_VIEW&aggregation=ALL` → lifetime value of one type.
World mapping (all counters only grow): impressions = views, unique impressions = views − views/5,
clicks = 4 × saves, video views = engaged views, watch time (ms) = minutes × 60 000.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import unquote

import numpy as np

from simulator import rand
from simulator.account import AccountWorld, _largest_remainder
from simulator.platforms.linkedin import common as c
from simulator.routing import Request, Response

VIDEO_TYPES = ("VIDEO_VIEW", "VIEWER", "TIME_WATCHED", "TIME_WATCHED_FOR_VIDEO_VIEWS")
GEO = {"US": 103644278, "GB": 101165590, "DE": 101282230, "IN": 102713980, "BR": 106057199, "JP": 101355337,
       "CA": 101174742, "AU": 101452733, "FR": 105015875, "MX": 103323778, "ES": 105646813, "NL": 102890719}
FACETS = {  # facet list name -> (element key, values)
    "followerCountsBySeniority": ("seniority", [f"urn:li:seniority:{n}" for n in range(1, 11)]),
    "followerCountsByFunction": ("function", [f"urn:li:function:{n}" for n in (1, 4, 8, 12, 13, 15, 18, 25)]),
    "followerCountsByIndustry": ("industry", [f"urn:li:industry:{n}" for n in (4, 6, 11, 27, 43, 80, 96, 104)]),
    "followerCountsByStaffCountRange": ("staffCountRange", [
        "SIZE_1", "SIZE_2_TO_10", "SIZE_11_TO_50", "SIZE_51_TO_200", "SIZE_201_TO_500", "SIZE_501_TO_1000",
        "SIZE_1001_TO_5000", "SIZE_5001_TO_10000", "SIZE_10001_OR_MORE"]),
}


def share_statistics(v: dict[str, int], *, lifetime: bool = True) -> dict[str, Any]:
    impressions, clicks = int(v["views"]), 4 * int(v["saves"])
    likes, comments, shares = int(v["likes"]), int(v["comments"]), int(v["shares"])
    out: dict[str, Any] = {"impressionCount": impressions, "clickCount": clicks, "likeCount": likes,
                           "commentCount": comments, "shareCount": shares,
                           "engagement": (clicks + likes + comments + shares) / impressions if impressions else 0.0}
    if lifetime:  # unique impressions are not reported for time-bound queries
        out["uniqueImpressionsCount"] = impressions - impressions // 5
    return out


def _org(req: Request) -> tuple[AccountWorld, str] | Response:
    if req.query.get("q") != "organizationalEntity":
        return c.error(400, "Invalid finder: expected q=organizationalEntity", "ILLEGAL_ARGUMENT")
    return c.authorise(req, req.query.get("organizationalEntity"))


def share_stats(req: Request) -> Response:
    found = _org(req)
    if isinstance(found, Response):
        return found
    acct, _ = found
    org_urn = req.query["organizationalEntity"]
    interval = c.time_interval(req.query.get("timeIntervals"))
    if isinstance(interval, Response):
        return interval
    urns = c.restli_list(req.query.get("shares")) + c.restli_list(req.query.get("ugcPosts"))
    if interval is not None:
        return Response(200, {"paging": c.paging(0, 10, 0), "elements": _daily_shares(acct, org_urn, *interval[:2])})
    life = acct.lifetimes()
    if not urns:
        total = {m: int(v.sum()) for m, v in life.items()}
        elements = [{"organizationalEntity": org_urn, "totalShareStatistics": share_statistics(total)}]
        return Response(200, {"paging": c.paging(0, 10, 1), "elements": elements})
    by_id = {p.id: p for p in acct.posts}
    elements = []
    for urn in dict.fromkeys(urns):
        post = by_id.get(urn)
        if post is None:
            continue  # unknown or foreign posts are silently left out
        values = {m: int(v[post.index]) for m, v in life.items()}
        kind = "ugcPost" if urn.startswith("urn:li:ugcPost:") else "share"
        elements.append({"organizationalEntity": org_urn, kind: urn, "totalShareStatistics": share_statistics(values)})
    return Response(200, {"paging": c.paging(0, 10, len(elements)), "elements": elements})


def _day_axis(acct: AccountWorld, first, after) -> tuple[np.ndarray, Any]:
    organic = acct.reported_organic(start=first, end=after - timedelta(days=1))
    return organic.dates, organic


def _daily_shares(acct: AccountWorld, org_urn: str, first, after) -> list[dict[str, Any]]:
    dates, _ = _day_axis(acct, first, after)
    if len(dates) == 0:
        return []
    rep = acct.reported(start=first, end=after - timedelta(days=1))
    idx = (rep.dates - dates[0]).astype(np.int64)
    sums = {m: np.bincount(idx, weights=rep.values[m], minlength=len(dates)) for m in ("views", "saves", "likes",
                                                                                       "comments", "shares")}
    out = []
    for i, day in enumerate(dates.astype(object)):
        values = {m: int(round(s[i])) for m, s in sums.items()}
        out.append({"organizationalEntity": org_urn, "timeRange": _range(day),
                    "totalShareStatistics": share_statistics(values, lifetime=False)})
    return out


def _range(day) -> dict[str, int]:
    return {"start": c.epoch_ms(day), "end": c.epoch_ms(day + timedelta(days=1))}


def follower_stats(req: Request) -> Response:
    found = _org(req)
    if isinstance(found, Response):
        return found
    acct, _ = found
    org_urn = req.query["organizationalEntity"]
    interval = c.time_interval(req.query.get("timeIntervals"))
    if isinstance(interval, Response):
        return interval
    if interval is None:
        return Response(200, {"paging": c.paging(0, 10, 1), "elements": [_facets(acct, org_urn)]})
    first, after, _ = interval
    dates, organic = _day_axis(acct, first, after)
    if len(dates) == 0:
        return Response(200, {"paging": c.paging(0, 10, 0), "elements": []})
    rep = acct.reported(start=first, end=after - timedelta(days=1))
    idx = (rep.dates - dates[0]).astype(np.int64)
    net = (np.bincount(idx, weights=rep.values["followers_gained"], minlength=len(dates))
           - np.bincount(idx, weights=rep.values["followers_lost"], minlength=len(dates))
           + organic["followers_gained"] - organic["followers_lost"])
    elements = [{"organizationalEntity": org_urn, "timeRange": _range(day),
                 "followerGains": {"organicFollowerGain": int(round(net[i])), "paidFollowerGain": 0}}
                for i, day in enumerate(dates.astype(object))]
    return Response(200, {"paging": c.paging(0, 10, len(elements)), "elements": elements})


def _counts(n: int) -> dict[str, int]:
    return {"organicFollowerCount": int(n), "paidFollowerCount": 0}


def _facets(acct: AccountWorld, org_urn: str) -> dict[str, Any]:
    total = acct.followers()
    out: dict[str, Any] = {"organizationalEntity": org_urn}
    geo = [{"geo": f"urn:li:geo:{GEO[code]}", "followerCounts": _counts(n)} for code, n in acct.country_split(total)]
    out["followerCountsByGeoCountry"] = geo
    out["followerCountsByGeo"] = geo[:5]
    for stream, (name, (key, values)) in enumerate(FACETS.items(), start=300):
        weights = rand.uniform(stream, acct.key, np.arange(len(values))) ** 2 + 0.05
        parts = _largest_remainder(weights, int(total * 0.9))  # not every member states every attribute
        out[name] = [{key: value, "followerCounts": _counts(n)} for value, n in zip(values, parts, strict=True)]
    out["followerCountsByAssociationType"] = []
    return out


def network_size(req: Request) -> Response:
    org_urn = unquote(req.params.get("urn", ""))
    found = c.authorise(req, org_urn)
    if isinstance(found, Response):
        return found
    if req.query.get("edgeType") not in ("COMPANY_FOLLOWED_BY_MEMBER", "CompanyFollowedByMember"):
        return c.error(400, "edgeType must be COMPANY_FOLLOWED_BY_MEMBER", "ILLEGAL_ARGUMENT")
    return Response(200, {"firstDegreeSize": found[0].followers()})


def video_analytics(req: Request) -> Response:
    entity = req.query.get("entity", "")
    orgs = c.organizations_of(req)  # the organization that posted the video, among those granted
    owner = next((o for o in orgs if any(p.id == entity for p in c.account_of(req, o).posts)),
                 orgs[0] if orgs else None)
    found = c.authorise(req, c.ORG_PREFIX + owner if owner else None)
    if isinstance(found, Response):
        return found
    acct, _ = found
    kind, entity = req.query.get("type", ""), req.query.get("entity", "")
    if req.query.get("q") != "entity" or kind not in VIDEO_TYPES or kind in (c.fault_value(req, "linkedin_retired_metrics") or []):
        return c.error(400, f"Invalid query parameter: type={kind} is not a supported metric type", "ILLEGAL_ARGUMENT")
    post = next((p for p in acct.posts if p.id == entity), None)
    if post is None:
        return c.error(404, f"Entity {entity} not found", "NOT_FOUND")
    if post.format != "video":
        return Response(200, {"paging": c.paging(0, 10, 0), "elements": []})
    life = acct.lifetime(post)
    views, watched_ms = int(life["engaged_views"]), int(life["watch_time_min"]) * 60_000
    value = {"VIDEO_VIEW": views, "VIEWER": views - views // 4, "TIME_WATCHED": watched_ms,
             "TIME_WATCHED_FOR_VIDEO_VIEWS": watched_ms - watched_ms // 10}[kind]
    element = {"entity": entity, "type": kind, "value": value,
               "timeRange": {"start": c.epoch_ms(post.published_at), "end": c.epoch_ms(req.state.world.now)}}
    return Response(200, {"paging": c.paging(0, 10, 1), "elements": [element]})
