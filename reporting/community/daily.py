"""Rows of the daily community report: each community on the report day and over the trailing
days, its day-by-day trend, and the platform-wide day (sessions, API, errors).

Unknown is None: a day without any data (no row in mart_community_platform_daily) is unknown for
every community; on a day with data a community without a row had no events, so its counts are 0
and its member total is the last known one.
"""

from __future__ import annotations

from reporting.community import queries
from reporting.community.definitions import mean, weighted_mean

COUNTS = ("active_users", "new_users", "community_joins", "community_leaves", "community_views", "content_views",
          "content_interactions", "avg_online_members", "peak_online_members", "geo_access_attempts", "geo_blocked",
          "geo_allowed", "traveler_access", "geo_bypasses")
SUMMED = ("new_users", "community_joins", "community_leaves", "community_views", "content_views",
          "content_interactions", "geo_access_attempts", "geo_blocked", "geo_allowed", "traveler_access",
          "geo_bypasses")


def community_trend(ctx, cov) -> list[dict]:
    """Community × day of the period, every day present (None on days without data)."""
    rows = {(r["community_id"], r["day"]): r for r in ctx.rows(queries.COMMUNITY_DAYS)}
    members = {r["community_id"]: r["total_users"] for r in ctx.rows(queries.MEMBERS_BEFORE)}
    out = []
    for community in cov["communities"]:
        cid, last_total = community["community_id"], members.get(community["community_id"], 0)
        for day in cov["days"]:
            row = rows.get((cid, day))
            base = {"community_id": cid, "community_name": community["community_name"], "day": day}
            if day not in cov["days_with_data"]:
                out.append(base | {"total_users": None} | dict.fromkeys(COUNTS) | {"note": "no data for this day"})
                continue
            if row is not None:
                last_total = row["total_users"]
            values = {k: row[k] for k in COUNTS} if row else dict.fromkeys(COUNTS, 0)
            out.append(base | {"total_users": last_total} | values | {"note": None})
    return out


def community_day(trend: list[dict], day) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "day"} for row in trend if row["day"] == day]


def community_window(trend: list[dict], cov) -> list[dict]:
    """Each community over the period's days with data: sums, means and the peak."""
    out = []
    for community in cov["communities"]:
        rows = [r for r in trend if r["community_id"] == community["community_id"]
                and r["day"] in cov["days_with_data"]]
        known = bool(rows)
        row = {"community_id": community["community_id"], "community_name": community["community_name"],
               "days_with_data": len(rows), "days": len(cov["days"]),
               "total_users": rows[-1]["total_users"] if known else None,
               "avg_daily_active_users": mean([r["active_users"] for r in rows]),
               **{k: sum(r[k] for r in rows) if known else None for k in SUMMED},
               "avg_online_members": mean([r["avg_online_members"] for r in rows]),
               "peak_online_members": max((r["peak_online_members"] for r in rows), default=None)}
        out.append(row)
    return out


def platform_days(ctx, cov) -> list[dict]:
    rows = {r["day"]: r for r in ctx.rows(queries.PLATFORM_DAYS)}
    out = []
    for day in cov["days"]:
        row = rows.get(day)
        out.append(row | {"note": None} if row else {"day": day, "note": "no data for this day"})
    return out


def _sum(rows: list[dict], key: str):
    return sum(r[key] for r in rows) if rows else None


def platform_window(days: list[dict], day) -> list[dict]:
    """The report day and the whole period, platform-wide."""
    def summary(label: str, rows: list[dict]) -> dict:
        known = [r for r in rows if r.get("note") is None]
        return {"window": label, "days_with_data": len(known), "days": len(rows),
                "total_users": known[-1]["total_users"] if known else None,
                "avg_daily_active_users": mean([r["active_users"] for r in known]),
                "new_registrations": _sum(known, "new_registrations"), "sessions": _sum(known, "sessions"),
                "avg_session_duration_s": weighted_mean([(r["avg_session_duration_s"], r["sessions"]) for r in known]),
                "bounce_rate": weighted_mean([(r["bounce_rate"], r["sessions"]) for r in known]),
                "api_requests": _sum(known, "api_requests"),
                "avg_response_time_ms": weighted_mean([(r["avg_response_time_ms"], r["api_requests"]) for r in known]),
                "error_count": _sum(known, "error_count"), "errors_resolved": _sum(known, "errors_resolved")}

    return [summary(f"day {day}", [r for r in days if r["day"] == day]), summary(f"{len(days)} days", days)]


def errors(ctx, cov) -> list[dict]:
    return ctx.rows(queries.ERRORS) if cov["days_with_data"] else []
