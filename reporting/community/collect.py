"""One read of the community marts per report (one read-only REPEATABLE READ snapshot, like the
social reports): every number the CSV, JSON and PDF show comes from the `CommunityReportData` built here.

Three report kinds (`KINDS`): the daily analytics report (platform-wide, for admins), the daily
community report (each community on the report day and the trailing days, activity patterns,
retention) and the geo-restriction effectiveness report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from reporting.collect import _snapshot
from reporting.community import daily, geo, patterns, queries
from reporting.community.definitions import DEFINITIONS
from reporting.periods import Period
from reporting.sections.common import Ctx, day_ranges


@dataclass(frozen=True)
class Kind:
    title: str
    days: int  # the report day and the days before it
    description: str
    sections: tuple[str, ...]


# Seed 004's three daily report tasks: analytics for admins (03:00), community reports (03:30),
# geo-restriction effectiveness (04:00).
KINDS = {
    "community_analytics": Kind(
        "Daily analytics report", 7,
        "Platform-wide day for admins (seed 004's DailyAnalytics): members, registrations, sessions, bounce, API "
        "requests, response time and errors, and each community's day.",
        ("platform", "platform_days", "errors", "communities_day")),
    "community_daily": Kind(
        "Daily community report", 7,
        "Each community on the report day and the trailing 7 days: members, joins, views, online members, activity "
        "by hour, retention; platform-wide sessions, API requests and errors.",
        ("communities_day", "communities_window", "community_trend", "platform", "platform_days", "errors",
         "activity_heatmap", "peak_hours", "online_by_hour", "retention")),
    "community_geo": Kind(
        "Geo-restriction effectiveness report", 30,
        "Geo access attempts of the trailing 30 days per community and location: allowed, blocked, effectiveness, "
        "travelers, restriction bypasses, the most blocked locations, the trend.",
        ("geo_communities", "top_blocked", "geo_locations", "geo_trend")),
}
OPTIONAL = {"activity_heatmap": "activity", "peak_hours": "activity", "online_by_hour": "activity",
            "retention": "retention"}
TOP_N = 10


def period_for(kind: str, day: date) -> Period:
    return Period(day - timedelta(days=KINDS[kind].days - 1), day)


@dataclass
class CommunityReportData:
    kind: str
    period: Period
    communities: list[dict]
    days_with_data: list[date]
    tables: dict[str, list[dict]]
    totals: dict
    unavailable: dict[str, str] = field(default_factory=dict)
    coverage_lines: list[str] = field(default_factory=list)
    definitions: dict = field(default_factory=lambda: dict(DEFINITIONS))

    @property
    def day(self) -> date:
        return self.period.end


def _coverage(ctx, period: Period) -> dict:
    has_reference = bool(ctx.rows("select to_regclass(%(r)s) is not null as ok", {"r": queries.REFERENCE})[0]["ok"])
    days = [period.start + timedelta(days=i) for i in range((period.end - period.start).days + 1)]
    return {"days": days, "days_with_data": [r["day"] for r in ctx.rows(queries.DAYS_WITH_DATA)],
            "communities": ctx.rows(queries.communities_sql(has_reference))}


def _coverage_lines(cov: dict, period: Period) -> list[str]:
    missing = [d for d in cov["days"] if d not in cov["days_with_data"]]
    names = ", ".join(f"{c['community_name'] or c['community_id']} ({c['community_id']})" for c in cov["communities"])
    lines = [f"Days: {period.start} to {period.end} (UTC dates), {len(cov['days_with_data'])} of {len(cov['days'])} "
             "with data.", f"Communities: {names or 'none yet'}."]
    if missing:
        lines.append(f"No data for {day_ranges(missing)}: those days print as \u2014 (unknown), not 0.")
    return lines


def _daily_tables(ctx, cov, sections) -> tuple[dict, dict]:
    trend = daily.community_trend(ctx, cov)
    days = daily.platform_days(ctx, cov)
    tables = {"communities_day": daily.community_day(trend, ctx.params["end"]),
              "communities_window": daily.community_window(trend, cov), "community_trend": trend,
              "platform": daily.platform_window(days, ctx.params["end"]), "platform_days": days,
              "errors": daily.errors(ctx, cov)}
    unavailable = {}
    if set(OPTIONAL) & set(sections):
        tables, unavailable = _patterns(ctx, cov, tables)
    [day_row] = [r for r in tables["platform"] if r["window"].startswith("day")]
    totals = {k: v for k, v in day_row.items() if k != "window"} | {
        k: sum(r[k] for r in tables["communities_day"]) if day_row["days_with_data"] else None
        for k in ("community_joins", "community_views", "new_users")}
    return {name: tables[name] for name in sections}, {"unavailable": unavailable, "totals": totals}


def _patterns(ctx, cov, tables: dict) -> tuple[dict, dict]:
    """Activity by hour and retention; a mart that cannot be read makes its sections "not available"."""
    names = {c["community_id"]: c["community_name"] for c in cov["communities"]}
    hours, activity_reason = patterns.activity_hours(ctx)
    cells = patterns.heatmap(hours, names)
    tables = tables | {"activity_heatmap": cells, "peak_hours": patterns.peak_slots(cells),
                       "online_by_hour": patterns.online_by_hour(hours, ctx.params["end"], names)}
    tables["retention"], retention_reason = patterns.retention(ctx, names)
    reasons = {"activity": activity_reason, "retention": retention_reason}
    unavailable = {name: reasons[source] for name, source in OPTIONAL.items() if reasons[source]}
    if "online_by_hour" not in unavailable and not tables["online_by_hour"]:
        unavailable["online_by_hour"] = f"marts.mart_community_activity has no hours of {ctx.params['end']}"
    return tables, unavailable


def _geo_tables(ctx, cov, sections) -> tuple[dict, dict]:
    trend = geo.trend(ctx, cov)
    communities = geo.communities(trend, cov)
    locations = geo.locations(ctx, cov)
    tables = {"geo_communities": communities, "top_blocked": geo.top_blocked(locations, TOP_N),
              "geo_locations": locations, "geo_trend": trend}
    return tables, {"unavailable": {}, "totals": geo.totals(communities)}


BUILD = {"community_analytics": _daily_tables, "community_daily": _daily_tables, "community_geo": _geo_tables}


def collect(conn, kind: str, period: Period, budget=None) -> CommunityReportData:
    """Every number of one community report, read in one snapshot of the marts."""
    with conn.cursor() as cur:
        _snapshot(cur, budget)
        ctx = Ctx(cur, {"start": period.start, "end": period.end, "top_n": TOP_N}, {}, [], budget=budget)
        cov = _coverage(ctx, period)
        if budget:
            budget.check_time(f"querying {kind}")
        tables, extra = BUILD[kind](ctx, cov, KINDS[kind].sections)
    return CommunityReportData(kind, period, cov["communities"], cov["days_with_data"], tables, extra["totals"],
                               extra["unavailable"], _coverage_lines(cov, period))
