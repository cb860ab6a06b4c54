"""One read of the marts per report: every number every format shows comes from here.

All queries run in one read-only REPEATABLE READ transaction, so they see one snapshot of the
marts even if dbt rebuilds them meanwhile; `statement_timeout` follows the report's deadline.
The result (`ReportData`) is plain data that the CSV, JSON and PDF writers only render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from reporting import queries
from reporting.insights import build_insights, highlights
from reporting.metrics import DEFAULT_METRICS, SUMMED, change_pct, definitions_for, rate
from reporting.periods import Period

SECTIONS = {
    "performance": ("daily_trend", "platforms", "accounts", "top_posts", "formats", "posting_times",
                    "audience_growth"),
    "growth": ("daily_trend", "audience_growth", "accounts", "posting_velocity", "platforms"),
    "comparison": ("platforms", "formats", "platform_formats", "daily_trend", "top_posts", "posting_times",
                   "audience_growth"),
    "custom": ("daily_trend", "platforms", "accounts", "top_posts", "formats", "posting_times", "audience_growth",
               "posting_velocity"),
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TREND_DAYS = 30


@dataclass(frozen=True)
class Scope:
    platforms: list[str] | None = None
    accounts: list[str] | None = None
    post_formats: list[str] | None = None
    hashtags: list[str] | None = None
    min_views: int = 100
    top_n: int = 10

    def params(self, period: Period) -> dict:
        trend_start = min(period.start, period.end - timedelta(days=TREND_DAYS - 1))
        return {"start": period.start, "end": period.end, "trend_start": trend_start,
                "platforms": self.platforms or None, "accounts": self.accounts or None,
                "formats": self.post_formats or None, "hashtags": [h.lower().lstrip("#") for h in self.hashtags or []]
                or None, "min_views": self.min_views, "top_n": self.top_n}


@dataclass
class ReportData:
    report_type: str
    period: Period
    metrics: list[str]
    totals: dict
    previous: dict
    comparison: list[dict]
    tables: dict[str, list[dict]]
    highlights: dict = field(default_factory=dict)
    insights: list[str] = field(default_factory=list)
    definitions: dict = field(default_factory=dict)


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else round(float(value), 4)
    return value


def _rows(cur, sql: str, params: dict) -> list[dict]:
    cur.execute(sql, params)
    names = [column.name for column in cur.description]
    return [{k: _plain(v) for k, v in zip(names, row, strict=True)} for row in cur.fetchall()]


def _merged(cur, by: str | None, params: dict) -> dict[str, dict]:
    """Sums, posts published and followers per group key, with the engagement rate."""
    merged: dict[str, dict] = {}
    parts = [queries.sums(by), queries.published(by)]
    if by in queries.ACCOUNT_GROUPINGS:
        parts.append(queries.followers(by))
    for sql in parts:
        for row in _rows(cur, sql, params):
            merged.setdefault(row.pop("key"), {}).update(row)
    for row in merged.values():
        for metric in (*SUMMED, "posts_published"):
            row.setdefault(metric, 0)
        row["engagement_rate"] = rate(row["engagements"], row["views"])
    return merged


def _pick(row: dict, metrics: list[str]) -> dict:
    return {m: row.get(m) for m in metrics if m in row}


def _breakdown(cur, by: str, params: dict, metrics: list[str], label: str) -> list[dict]:
    return [{label: key, **_pick(row, metrics)} for key, row in _merged(cur, by, params).items()]


def _totals(cur, params: dict, metrics: list[str]) -> dict:
    row = _merged(cur, None, params).get("all") or {m: 0 for m in (*SUMMED, "posts_published")}
    row.setdefault("followers", 0)
    row.setdefault("followers_net", 0)
    row["engagement_rate"] = rate(row.get("engagements"), row.get("views"))
    return {m: row.get(m) for m in metrics}


def _comparison(current: dict, previous: dict) -> list[dict]:
    out = []
    for metric, value in current.items():
        before = previous.get(metric)
        delta = None if value is None or before is None else round(value - before, 4)
        out.append({"metric": metric, "current": value, "previous": before, "change": delta,
                    "change_pct": change_pct(value, before)})
    return out


def _section(cur, name: str, params: dict, metrics: list[str]) -> list[dict]:
    trend_metrics = [m for m in metrics if m in SUMMED or m == "engagement_rate"]
    if name == "daily_trend":
        rows = _rows(cur, queries.DAILY_TREND, params)
        for row in rows:
            row["engagement_rate"] = rate(row["engagements"], row["views"])
        return [{"metric_date": r["metric_date"], **_pick(r, trend_metrics)} for r in rows]
    if name == "platforms":
        return _breakdown(cur, "platform", params, metrics, "platform")
    if name == "accounts":
        names = {r["key"]: r for r in _rows(cur, queries.ACCOUNT_NAMES, params)}
        rows = _breakdown(cur, "account", params, metrics, "account")
        return [{"platform": names.get(r["account"], {}).get("platform", r["account"].split(":")[0]),
                 "account_id": r["account"].split(":", 1)[1],
                 "account_name": names.get(r["account"], {}).get("account_name"),
                 **{k: v for k, v in r.items() if k != "account"}} for r in rows]
    if name == "formats":
        return _breakdown(cur, "format", params, trend_metrics + ["posts_published"], "format")
    if name == "platform_formats":
        rows = _breakdown(cur, "platform_format", params, trend_metrics + ["posts_published"], "key")
        return [{"platform": r["key"].split(" / ")[0], "format": r["key"].split(" / ", 1)[1],
                 **{k: v for k, v in r.items() if k != "key"}} for r in rows]
    if name == "top_posts":
        rows = _rows(cur, queries.TOP_POSTS, params)
        keep = ["views", "engagements", *[m for m in trend_metrics if m not in ("views", "engagements")]]
        return [{"rank": i, **{k: r[k] for k in ("post_key", "platform", "account_id", "format", "title",
                                                  "published_date")},
                 **_pick(r | {"engagement_rate": rate(r["engagements"], r["views"])}, keep),
                 "permalink": r["permalink"]} for i, r in enumerate(rows, start=1)]
    if name == "posting_times":
        rows = _rows(cur, queries.POSTING_TIMES, params)
        return [{"weekday": r["weekday"], "weekday_name": WEEKDAYS[r["weekday"] - 1], "hour": r["hour"],
                 "posts": r["posts"], "views": r["views"], "engagements": r["engagements"],
                 "engagement_rate": rate(r["engagements"], r["views"])} for r in rows]
    if name == "audience_growth":
        return _rows(cur, queries.AUDIENCE_DAILY, params)
    if name == "posting_velocity":
        return _rows(cur, queries.POSTING_VELOCITY, params)
    raise ValueError(f"unknown report section {name!r}")


def collect(conn, report_type: str, period: Period, scope: Scope, metrics: list[str] | None = None,
            budget=None) -> ReportData:
    """Every number of one report, read in one snapshot of the marts."""
    metrics = list(metrics or DEFAULT_METRICS)
    params, previous_params = scope.params(period), scope.params(period.previous())
    tables: dict[str, list[dict]] = {}
    with conn.cursor() as cur:
        _snapshot(cur, budget)
        current, previous = _totals(cur, params, metrics), _totals(cur, previous_params, metrics)
        for name in SECTIONS[report_type]:
            if budget:
                budget.check_time(f"querying {name}")
            tables[name] = _section(cur, name, params, metrics)
    data = ReportData(report_type, period, metrics, current, previous, _comparison(current, previous), tables,
                      definitions=definitions_for(metrics))
    data.highlights = highlights(data)
    data.insights = build_insights(data)
    return data


def _snapshot(cur, budget) -> None:
    """One consistent, read-only view of the marts for every query of the report."""
    if cur.connection.status != 1:  # a transaction is open: end it so the isolation level applies
        cur.connection.commit()
    cur.execute("set transaction isolation level repeatable read, read only")
    if budget:
        cur.execute("select set_config('statement_timeout', %s, true)", (str(budget.statement_timeout_ms()),))
