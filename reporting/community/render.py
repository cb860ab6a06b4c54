"""CSV and JSON of a community report, rendered from one `CommunityReportData`.

CSV: one tidy file per table with rows (`<table>.csv`), `summary.csv` (period, report day, totals,
simulated flag), `coverage.csv` (the days and communities covered, the sections not available and
why) and `definitions.csv` (every term, its unit, every file's content). JSON: the same in one
document. Unknown values are empty cells / null, never 0.
"""

from __future__ import annotations

import json
from pathlib import Path

from reporting.community.definitions import UNITS
from reporting.render_csv import _write

TABLE_TEXT = {
    "communities_day": "Each community on the report day",
    "communities_window": "Each community over the report's days (days with data only)",
    "community_trend": "Community \u00d7 day of the report's days",
    "platform": "Platform-wide (every community): the report day and the report's days",
    "platform_days": "Platform-wide day by day: members, sessions, bounce, API requests, errors",
    "errors": "Errors logged in the report's days by level and category",
    "activity_heatmap": "Community \u00d7 weekday \u00d7 hour: mean online members and activities per hour",
    "peak_hours": "Each community's busiest weekday \u00d7 hour slots of the report's days",
    "online_by_hour": "Online members by hour (UTC) of the report day",
    "retention": "Weekly join cohorts \u00d7 weeks since joining: recurring and rolling retention",
    "geo_communities": "Geo access attempts per community over the report's days",
    "top_blocked": "Each community's most blocked cities",
    "geo_locations": "Attempts per community and location (level: country, region or city)",
    "geo_trend": "Geo access attempts per community and day",
}


def _summary(data, meta: dict) -> dict:
    return {"report": meta["report"], "period_start": meta["period_start"], "period_end": meta["period_end"],
            "report_day": meta["report_day"], "days_with_data": len(data.days_with_data),
            "communities": len(data.communities), **data.totals,
            "contains_simulated_data": meta["contains_simulated_data"]}


def write_csv(data, meta: dict, directory: Path, budget=None) -> list[Path]:
    coverage = [{"item": "line", "value": line} for line in data.coverage_lines]
    coverage += [{"item": "day_with_data", "value": str(day)} for day in data.days_with_data]
    coverage += [{"item": "community", "value": f"{c['community_id']} {c['community_name'] or ''}".strip()}
                 for c in data.communities]
    coverage += [{"item": f"not_available:{name}", "value": reason} for name, reason in data.unavailable.items()]
    definitions = [{"term": k, "definition": v, "unit": UNITS.get(k, "")} for k, v in data.definitions.items()]
    definitions += [{"term": f"{name}.csv", "definition": TABLE_TEXT[name], "unit": ""}
                    for name, rows in data.tables.items() if rows]
    tables = {"summary": [_summary(data, meta)], **data.tables, "coverage": coverage, "definitions": definitions}
    return [_write(directory / f"{name}.csv", rows, budget) for name, rows in tables.items() if rows]


def document(data, meta: dict, summary: str) -> dict:
    return {"metadata": meta, "definitions": data.definitions, "units": UNITS,
            "coverage": {"lines": data.coverage_lines, "days_with_data": data.days_with_data,
                         "communities": data.communities},
            "not_available": data.unavailable, "totals": data.totals, "summary_text": summary,
            "table_descriptions": {name: TABLE_TEXT[name] for name in data.tables}, "tables": data.tables}


def write_json(data, meta: dict, summary: str, directory: Path, budget=None) -> Path:
    path = directory / "report.json"
    path.write_text(json.dumps(document(data, meta, summary), indent=2, default=str, ensure_ascii=False))
    if budget:
        budget.add_bytes(path.stat().st_size, path.name)
    return path


def summary_text(data, meta: dict) -> str:
    """The short text kept in the registry and posted to Slack / Telegram."""
    lines = [f"{meta['title']} \u2014 {meta['workspace_name']}, {meta['period_start']} to {meta['period_end']} "
             f"(UTC days)"]
    if meta["contains_simulated_data"]:
        lines.append("Contains simulated data (the built-in community simulator).")
    t = data.totals
    if data.kind == "community_geo":
        lines.append(f"Geo access attempts: {_n(t['attempts'])}, blocked {_n(t['blocked'])}, effectiveness "
                     f"{_n(t['effectiveness_pct'], '%')}, travelers {_n(t['traveler_access'])}, bypasses "
                     f"{_n(t['bypasses'])}.")
    else:
        lines.append(f"{meta['report_day']}: active members {_n(t['avg_daily_active_users'])}, joins {_n(t['community_joins'])}, "
                     f"views {_n(t['community_views'])}, sessions {_n(t['sessions'])}, bounce rate "
                     f"{_n(t['bounce_rate'], '%')}, API requests {_n(t['api_requests'])}, errors "
                     f"{_n(t['error_count'])}.")
    lines += data.coverage_lines[2:]
    return "\n".join(lines)


def _n(value, unit: str = "") -> str:
    if value is None:
        return "unknown"
    return f"{value:,}{unit}"  # the report's own rounding (28.2, 12.35), thousands separated
