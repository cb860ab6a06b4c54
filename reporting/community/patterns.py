"""Activity patterns and retention of the daily community report, from marts.mart_community_activity
(community × hour) and marts.mart_community_retention (community × join cohort × week).

These marts are newer than the report: when one does not exist, lacks a column the report reads,
or has no row for the period, its sections say "not available" (with the reason) instead of
failing the report — the checks happen before any query, inside the report's snapshot.
"""

from __future__ import annotations

from datetime import UTC, timedelta

from reporting.community import queries
from reporting.community.definitions import mean

ACTIVITY_COLUMNS = ("community_id", "hour_start", "day", "weekday", "hour_of_day", "online_members_avg",
                    "online_members_peak", "total_activities", "activity_score", "activity_level", "is_peak_hour")
RETENTION_COLUMNS = ("community_id", "cohort_week", "weeks_since_join", "cohort_size", "retained_members",
                     "rolling_retained_members", "retention_rate", "rolling_retention_rate")
RETENTION_WEEKS = 8
PEAK_SLOTS = 3

COLUMNS_OF = "select column_name from information_schema.columns where table_schema = 'marts' and table_name = %(t)s"


def unavailable(ctx, table: str, columns: tuple[str, ...]) -> str | None:
    """Why `marts.<table>` cannot be read (None when it can)."""
    present = {r["column_name"] for r in ctx.rows(COLUMNS_OF, {"t": table})}
    if not present:
        return f"marts.{table} does not exist in this warehouse yet"
    missing = [c for c in columns if c not in present]
    return f"marts.{table} lacks column(s) {', '.join(missing)}" if missing else None


def activity_hours(ctx) -> tuple[list[dict], str | None]:
    reason = unavailable(ctx, "mart_community_activity", ACTIVITY_COLUMNS)
    if reason:
        return [], reason
    rows = ctx.rows(queries.ACTIVITY_HOURS)
    return rows, None if rows else "marts.mart_community_activity has no rows for these days"


def heatmap(rows: list[dict], names: dict) -> list[dict]:
    """Community × weekday × hour over the period: mean online members and activities per hour."""
    cells: dict[tuple, list[dict]] = {}
    for row in rows:
        cells.setdefault((row["community_id"], row["weekday"], row["hour_of_day"]), []).append(row)
    return [{"community_id": cid, "community_name": names.get(cid), "weekday": weekday, "hour_of_day": hour,
             "hours": len(group), "online_members_avg": mean([r["online_members_avg"] for r in group]),
             "online_members_peak": max((r["online_members_peak"] for r in group
                                         if r["online_members_peak"] is not None), default=None),
             "total_activities": mean([r["total_activities"] for r in group]),
             "is_peak_hour": any(r["is_peak_hour"] for r in group)}
            for (cid, weekday, hour), group in sorted(cells.items())]


def peak_slots(cells: list[dict]) -> list[dict]:
    """Each community's busiest weekday × hour slots of the period by mean online members."""
    out = []
    for cid in dict.fromkeys(c["community_id"] for c in cells):
        mine = [c for c in cells if c["community_id"] == cid and c["online_members_avg"] is not None]
        mine.sort(key=lambda c: (-c["online_members_avg"], c["weekday"], c["hour_of_day"]))
        out += [{"rank": rank, **c} for rank, c in enumerate(mine[:PEAK_SLOTS], start=1)]
    return out


def online_by_hour(rows: list[dict], day, names: dict) -> list[dict]:
    """The report day's hours (UTC hour_start), per community."""
    return [{"community_id": r["community_id"], "community_name": names.get(r["community_id"]),
             "hour_start": r["hour_start"].astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
             "hour_utc": r["hour_start"].astimezone(UTC).hour,
             **{k: r[k] for k in ("online_members_avg", "online_members_peak", "total_activities", "activity_score",
                                  "activity_level", "is_peak_hour")}}
            for r in rows if r["hour_start"].astimezone(UTC).date() == day]


def retention(ctx, names: dict) -> tuple[list[dict], str | None]:
    reason = unavailable(ctx, "mart_community_retention", RETENTION_COLUMNS)
    if reason:
        return [], reason
    end = ctx.params["end"]
    monday = end - timedelta(days=end.weekday())
    params = ctx.params | {"cohort_start": monday - timedelta(weeks=RETENTION_WEEKS - 1)}
    rows = [{"community_id": r["community_id"], "community_name": names.get(r["community_id"]),
             **{k: v for k, v in r.items() if k != "community_id"}} for r in ctx.rows(queries.RETENTION, params)]
    return rows, None if rows else f"marts.mart_community_retention has no cohorts of the {RETENTION_WEEKS} weeks"
