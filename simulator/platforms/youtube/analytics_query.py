"""Parsing and validation of YouTube Analytics v2 `reports.query` parameters.

Only the report shapes Tidemark uses are supported (see SUPPORTED_DIMENSIONS);
anything else gets the same 400 `badRequest` envelope the real API sends for
unsupported queries, so a connector bug shows up here rather than in production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from simulator.platforms.youtube import common as c
from simulator.routing import Request, Response

# metric -> (world metric or None when derived, dataType)
CORE_METRICS: dict[str, tuple[str | None, str]] = {
    "views": ("views", "INTEGER"),
    "engagedViews": ("engaged_views", "INTEGER"),
    "estimatedMinutesWatched": ("watch_time_min", "INTEGER"),
    "averageViewDuration": (None, "INTEGER"),
    "averageViewPercentage": (None, "FLOAT"),
    "likes": ("likes", "INTEGER"),
    "dislikes": ("dislikes", "INTEGER"),
    "comments": ("comments", "INTEGER"),
    "shares": ("shares", "INTEGER"),
    "subscribersGained": ("followers_gained", "INTEGER"),
    "subscribersLost": ("followers_lost", "INTEGER"),
}
RETENTION_METRICS = {"audienceWatchRatio": "FLOAT", "relativeRetentionPerformance": "FLOAT"}
DEMOGRAPHIC_METRICS = {"viewerPercentage": "FLOAT"}
ALL_METRICS = set(CORE_METRICS) | set(RETENTION_METRICS) | set(DEMOGRAPHIC_METRICS)
DIMENSION_TYPES = {"day": "STRING", "creatorContentType": "STRING", "video": "STRING",
                   "elapsedVideoTimeRatio": "FLOAT", "ageGroup": "STRING", "gender": "STRING",
                   "country": "STRING"}
KNOWN_DIMENSIONS = set(DIMENSION_TYPES) | {"month", "subscribedStatus", "liveOrOnDemand", "deviceType",
                                           "operatingSystem", "insightTrafficSourceType", "playlist",
                                           "province", "city", "sharingService", "audienceType"}
RETENTION_DIMS = ("elapsedVideoTimeRatio",)
DEMOGRAPHIC_DIMS = {("ageGroup",), ("gender",), ("ageGroup", "gender")}
CORE_DIMS = {(), ("day",), ("day", "creatorContentType"), ("creatorContentType",), ("video",), ("country",)}
MAX_VIDEO_ROWS = 200
UNSUPPORTED = ("The query is not supported. Check the documentation at "
               "https://developers.google.com/youtube/analytics/v2/available_reports "
               "for a list of supported queries.")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Query:
    channel: str
    start: date
    end: date
    metrics: list[str]
    dimensions: tuple[str, ...]
    video_ids: list[str] | None = None
    content_type: str | None = None
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (column, descending)
    max_results: int | None = None
    start_index: int = 1


def _unknown(value: str, param: str) -> Response:
    return c.bad_request(f"Unknown identifier ({value}) given in field parameters.{param}.", location=param)


def _date(req: Request, name: str) -> date | Response:
    raw = req.query.get(name)
    if not raw:
        return c.bad_request(f"Required parameter: {name}", reason="required", location=name)
    try:
        if not _DATE.match(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        return c.bad_request(f"Invalid value '{raw}' for parameter {name}.", location=name)


def _int(req: Request, name: str, lo: int, hi: int | None) -> int | None | Response:
    raw = req.query.get(name)
    if raw is None:
        return None
    try:
        n = int(raw)
    except ValueError:
        n = lo - 1
    if n < lo or (hi is not None and n > hi):
        rng = f"[{lo}, {hi}]" if hi is not None else f">= {lo}"
        return c.bad_request(f"Invalid value '{raw}' for parameter {name}; expected {rng}.", location=name)
    return n


def parse_query(req: Request) -> Query | Response:
    owner = c.channel_of(req)
    if owner is None:
        return c.auth_error()
    ids = req.query.get("ids", "")
    if not ids:
        return c.bad_request("Required parameter: ids", reason="required", location="ids")
    if not ids.startswith("channel=="):
        return c.bad_request(UNSUPPORTED, location="ids")
    channel = ids[len("channel=="):]
    if channel != "MINE" and channel not in c.channels_of(req):
        return c.google_error(403, "forbidden", "Forbidden")
    owner = owner if channel == "MINE" else channel
    start, end = _date(req, "startDate"), _date(req, "endDate")
    for v in (start, end):
        if isinstance(v, Response):
            return v
    if start > end:
        return c.bad_request("The start date must be on or before the end date.", location="startDate")
    metrics = [m.strip() for m in req.query.get("metrics", "").split(",") if m.strip()]
    if not metrics:
        return c.bad_request("Required parameter: metrics", reason="required", location="metrics")
    for m in metrics:
        if m not in ALL_METRICS:
            return _unknown(m, "metrics")
    dims = tuple(d.strip() for d in req.query.get("dimensions", "").split(",") if d.strip())
    for d in dims:
        if d not in KNOWN_DIMENSIONS:
            return _unknown(d, "dimensions")
    q = Query(channel=owner, start=start, end=end, metrics=metrics, dimensions=dims)
    problem = _filters(req, q) or _shape(q) or _paging(req, q)
    return problem or q


def _filters(req: Request, q: Query) -> Response | None:
    for part in filter(None, req.query.get("filters", "").split(";")):
        name, sep, value = part.partition("==")
        if not sep or not value:
            return c.bad_request(f"Invalid filter '{part}'.", location="filters")
        if name == "video":
            q.video_ids = [v.strip() for v in value.split(",") if v.strip()]
            if len(q.video_ids) > 500:
                return c.bad_request("A maximum of 500 video IDs may be specified.", location="filters")
        elif name == "creatorContentType":
            q.content_type = value.upper()
            if q.content_type not in set(c.CONTENT_TYPE.values()) | {"LIVE_STREAM", "STORY"}:
                return c.bad_request(f"Invalid value '{value}' for filter creatorContentType.", location="filters")
        elif name in KNOWN_DIMENSIONS:
            return c.bad_request(UNSUPPORTED, location="filters")
        else:
            return _unknown(name, "filters")
    return None


def _shape(q: Query) -> Response | None:
    """Reject dimension/metric/filter combinations the simulator (and mostly the API) does not serve."""
    dims, metrics = q.dimensions, set(q.metrics)
    if dims == RETENTION_DIMS:
        if not metrics <= set(RETENTION_METRICS) or not q.video_ids or len(q.video_ids) != 1:
            return c.bad_request(UNSUPPORTED)
    elif dims in DEMOGRAPHIC_DIMS:
        if metrics != set(DEMOGRAPHIC_METRICS):
            return c.bad_request(UNSUPPORTED)
    elif dims in CORE_DIMS:
        if not metrics <= set(CORE_METRICS):
            return c.bad_request(UNSUPPORTED)
    else:
        return c.bad_request(UNSUPPORTED)
    return None


def _paging(req: Request, q: Query) -> Response | None:
    columns = set(q.dimensions) | set(q.metrics)
    for raw in filter(None, (s.strip() for s in req.query.get("sort", "").split(","))):
        name = raw.lstrip("-")
        if name not in columns:
            return c.bad_request(f"Sort field '{name}' must be a requested metric or dimension.", location="sort")
        q.sort.append((name, raw.startswith("-")))
    limit = MAX_VIDEO_ROWS if q.dimensions == ("video",) else None
    max_results = _int(req, "maxResults", 1, limit)
    start_index = _int(req, "startIndex", 1, None)
    for v in (max_results, start_index):
        if isinstance(v, Response):
            return v
    if q.dimensions == ("video",) and (not q.sort or max_results is None):
        return c.bad_request(f"{UNSUPPORTED} Top-video reports need sort and maxResults <= {MAX_VIDEO_ROWS}.")
    q.max_results = max_results
    q.start_index = start_index or 1
    return None
