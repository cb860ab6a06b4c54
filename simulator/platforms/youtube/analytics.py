"""YouTube Analytics v2 `GET /youtubeanalytics/v2/reports` (reports.query).

Rows come from `AccountWorld.reported`, i.e. with the platform's data lag (no
rows for the last 2 days) and late-arriving data (the youngest days are still
incomplete and grow on a later read). Every aggregate is computed from the same
post-day elements, so `dimensions=day&filters=video==X` summed over days equals
the `video` row of X for the same range.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.account import AccountWorld
from simulator.models import Post
from simulator.platforms.youtube import common as c
from simulator.platforms.youtube.analytics_query import (
    CORE_METRICS,
    DEMOGRAPHIC_DIMS,
    DEMOGRAPHIC_METRICS,
    DIMENSION_TYPES,
    RETENTION_DIMS,
    RETENTION_METRICS,
    Query,
    parse_query,
)
from simulator.routing import Request, Response

TYPE_ORDER = ("SHORTS", "VIDEO_ON_DEMAND")


def reports(req: Request) -> Response:
    q = parse_query(req)
    if isinstance(q, Response):
        return q
    acct = c.account(req, q.channel)
    if q.dimensions == RETENTION_DIMS:
        rows = _retention_rows(acct, q)
    elif q.dimensions in DEMOGRAPHIC_DIMS:
        rows = _demographic_rows(acct, q)
    else:
        rows = _core_rows(acct, q)
    for name, desc in reversed(q.sort):
        col = [*q.dimensions, *q.metrics].index(name)
        rows.sort(key=lambda r, col=col: r[col], reverse=desc)
    first = q.start_index - 1
    rows = rows[first:first + q.max_results] if q.max_results is not None else rows[first:]
    headers = [{"name": d, "columnType": "DIMENSION", "dataType": DIMENSION_TYPES[d]} for d in q.dimensions]
    for m in q.metrics:
        dtype = CORE_METRICS[m][1] if m in CORE_METRICS else {**RETENTION_METRICS, **DEMOGRAPHIC_METRICS}[m]
        headers.append({"name": m, "columnType": "METRIC", "dataType": dtype})
    body: dict[str, Any] = {"kind": "youtubeAnalytics#resultTable", "columnHeaders": headers}
    if rows:
        body["rows"] = rows
    return Response(200, body)


def _selected_posts(acct: AccountWorld, q: Query) -> list[Post] | None:
    """Posts the filters allow (None = the whole channel, which adds follows not tied to a video)."""
    if q.video_ids is None and q.content_type is None:
        return None
    posts = acct.posts
    if q.video_ids is not None:
        wanted = set(q.video_ids)
        posts = [p for p in posts if p.id in wanted]
    if q.content_type is not None:
        posts = [p for p in posts if c.CONTENT_TYPE.get(p.format) == q.content_type]
    return posts


def _core_rows(acct: AccountWorld, q: Query) -> list[list[Any]]:
    posts = _selected_posts(acct, q)
    rep = acct.reported(start=q.start, end=q.end, posts=posts)
    organic = acct.reported_organic(start=q.start, end=q.end)
    axis = organic.dates  # every reportable day of the channel in the range
    if posts is not None:
        if not posts:
            return []
        axis = axis[axis >= np.datetime64(min(p.published_at for p in posts).date(), "D")]
    if len(axis) == 0:
        return []
    all_posts = acct.posts
    fmt_of = np.array([TYPE_ORDER.index(c.CONTENT_TYPE[p.format]) for p in all_posts] or [0])
    dur_of = np.array([p.duration_s or 0 for p in all_posts] or [0])
    day = (rep.dates - axis[0]).astype(np.int64)
    typ = fmt_of[rep.post]
    v = dict(rep.values)
    v["view_duration_total"] = v["views"] * dur_of[rep.post]
    dims = q.dimensions
    if dims in ((), ("country",)):
        codes, keys = np.zeros(len(day), np.int64), [()]
    elif dims == ("day",):
        codes, keys = day, [(str(d),) for d in axis]
    elif dims == ("creatorContentType",):
        present = sorted(set(typ.tolist()))
        codes, keys = typ, [(TYPE_ORDER[t],) if t in present else None for t in range(len(TYPE_ORDER))]
    elif dims == ("day", "creatorContentType"):
        codes = day * len(TYPE_ORDER) + typ
        live = _first_day_per_type(posts if posts is not None else all_posts, axis[0])
        keys = [(str(d), TYPE_ORDER[t]) if t in live and i >= live[t] else None
                for i, d in enumerate(axis) for t in range(len(TYPE_ORDER))]
    else:  # ("video",)
        seen = set(rep.post.tolist())
        codes, keys = rep.post, [(p.id,) if i in seen else None for i, p in enumerate(all_posts)]
    n = len(keys)
    sums = {m: np.bincount(codes, weights=x, minlength=n)[:n] for m, x in v.items()}
    if posts is None and dims in ((), ("day",)):
        org_day = (organic.dates - axis[0]).astype(np.int64)
        org_codes = org_day if dims == ("day",) else np.zeros(len(org_day), np.int64)
        for m in ("followers_gained", "followers_lost"):
            sums[m] = sums[m] + np.bincount(org_codes, weights=organic[m], minlength=n)[:n]
    rows = [[*key, *_metric_values(sums, i, q.metrics)] for i, key in enumerate(keys) if key is not None]
    return _country_rows(acct, q, rows) if dims == ("country",) else rows


def _first_day_per_type(posts: list[Post], day0: np.datetime64) -> dict[int, int]:
    first: dict[int, int] = {}
    for p in posts:
        t = TYPE_ORDER.index(c.CONTENT_TYPE[p.format])
        d = int((np.datetime64(p.published_at.date(), "D") - day0).astype(np.int64))
        first[t] = min(first.get(t, d), d)
    return first


def _metric_values(sums: dict[str, np.ndarray], i: int, metrics: list[str]) -> list[Any]:
    out: list[Any] = []
    views, secs, full = float(sums["views"][i]), float(sums["view_seconds"][i]), float(sums["view_duration_total"][i])
    for m in metrics:
        source = CORE_METRICS[m][0]
        if source is not None:
            out.append(int(round(sums[source][i])))
        elif m == "averageViewDuration":
            out.append(int(round(secs / views)) if views else 0)
        else:  # averageViewPercentage
            out.append(round(100.0 * secs / full, 2) if full else 0.0)
    return out


def _country_rows(acct: AccountWorld, q: Query, totals: list[list[Any]]) -> list[list[Any]]:
    """Split the channel totals over the audience's countries (additive metrics sum back exactly)."""
    if not totals:
        return []
    total = totals[0]
    columns = []
    for m, value in zip(q.metrics, total, strict=True):
        columns.append([v for _, v in acct.country_split(value)] if CORE_METRICS[m][1] == "INTEGER"
                       and CORE_METRICS[m][0] is not None else [value] * len(acct.country_shares()))
    countries = [code for code, _ in acct.country_shares()]
    rows = [[code, *(col[i] for col in columns)] for i, code in enumerate(countries)]
    rows = [r for r in rows if any(x for x, m in zip(r[1:], q.metrics, strict=True) if CORE_METRICS[m][0])]
    if not q.sort and "views" in q.metrics:
        rows.sort(key=lambda r: -r[1 + q.metrics.index("views")])
    return rows


def _retention_rows(acct: AccountWorld, q: Query) -> list[list[Any]]:
    post = acct.find(q.video_ids[0]) if q.video_ids else None
    if post is None or post.published_at.date() > q.end:
        return []
    curve = acct.retention(post)
    source = {"audienceWatchRatio": curve.audience_watch_ratio,
              "relativeRetentionPerformance": curve.relative_performance}
    return [[round(float(x), 2), *(round(float(source[m][i]), 4) for m in q.metrics)]
            for i, x in enumerate(curve.ratio)]


def _demographic_rows(acct: AccountWorld, q: Query) -> list[list[Any]]:
    if len(acct.reported_organic(start=q.start, end=q.end)) == 0:
        return []  # nothing reportable in the range yet
    cells = acct.demographics()
    if q.dimensions == ("ageGroup", "gender"):
        return [[a, g, pct] for a, g, pct in cells]
    pos = 0 if q.dimensions == ("ageGroup",) else 1
    totals: dict[str, int] = {}
    for cell in cells:  # sum in tenths so the groups still add up to exactly 100.0
        totals[cell[pos]] = totals.get(cell[pos], 0) + round(cell[2] * 10)
    return [[k, t / 10] for k, t in totals.items()]
