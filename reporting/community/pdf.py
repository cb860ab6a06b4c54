"""PDF of a community report: cover (period, report day, communities, simulated-data notice, units),
what the numbers cover, one part per section (caption saying which days and units, chart, table),
the definitions. The social reports' building blocks (styles, tables, page decoration).

A section whose mart is not available prints "Not available" with the reason; an empty one says so.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, PageBreak, Paragraph, Spacer

from reporting.community import charts
from reporting.community.definitions import UNITS
from reporting.pdf_layout import WIDTH, cell, styles, table
from reporting.render_pdf import _box, _cover_page, _document, _footer

MAX_ROWS = 25
# name → (title, caption, columns shown; every column is in <name>.csv)
SECTIONS = {
    "communities_day": ("Communities on the report day", "The report day only; counts of events on that UTC date.",
                        ("community_name", "total_users", "active_users", "new_users", "community_joins",
                         "community_views", "content_interactions", "avg_online_members", "peak_online_members")),
    "communities_window": ("Communities over the report's days", "Sums over the days with data; active members "
                           "and online members are means of the daily values, the peak is the highest day.",
                           ("community_name", "total_users", "avg_daily_active_users", "new_users",
                            "community_joins", "community_views", "avg_online_members", "peak_online_members",
                            "days_with_data")),
    "community_trend": ("Online members over the days", "Per community and UTC day (every day in "
                        "community_trend.csv).", ()),
    "platform": ("Platform-wide: sessions, API and errors", "Every community together (these events name no "
                 "community). Durations in seconds, response times in milliseconds, bounce rate in %.",
                 ("window", "avg_daily_active_users", "new_registrations", "sessions",
                  "avg_session_duration_s", "bounce_rate", "api_requests", "avg_response_time_ms", "error_count")),
    "platform_days": ("Platform-wide day by day", "One row per UTC day of the report.",
                      ("day", "active_users", "total_users", "sessions", "avg_session_duration_s", "bounce_rate",
                       "api_requests", "avg_response_time_ms", "error_count", "errors_resolved")),
    "errors": ("Errors by level and category", "Errors logged in the report's days; resolved = resolved since, on "
               "any later day; 'day' = logged on the report day.",
               ("level", "category", "error_count", "error_count_day", "resolved_count", "open_count",
                "top_message")),
    "activity_heatmap": ("Hourly activity heatmap", "Mean online members per weekday \u00d7 hour over the report's "
                         "days (marts.mart_community_activity).", ()),
    "peak_hours": ("Peak hours", "Each community's busiest weekday \u00d7 hour slots by mean online members; "
                   "'peak' = flagged as a peak hour by mart_community_activity.",
                   ("rank", "community_name", "weekday", "hour_of_day", "online_members_avg", "online_members_peak",
                    "total_activities", "is_peak_hour")),
    "online_by_hour": ("Online members by hour", "The report day's UTC hours (every hour in online_by_hour.csv).",
                       ()),
    "retention": ("Retention cohorts", "Weekly join cohorts of the last 8 weeks \u00d7 weeks since joining "
                  "(marts.mart_community_retention); rates in %.",
                  ("community_name", "cohort_week", "weeks_since_join", "cohort_size", "retained_members",
                   "retention_rate", "rolling_retained_members", "rolling_retention_rate")),
    "geo_communities": ("Effectiveness per community", "Over the report's days with data. Effectiveness = blocked "
                        "\u00f7 attempts \u00d7 100 (1 decimal); unknown (\u2014) without attempts.",
                        ("community_name", "attempts", "blocked", "allowed", "effectiveness_pct", "traveler_access",
                         "bypasses", "days_with_data")),
    "top_blocked": ("Top blocked locations", "Each community's cities with the most blocked attempts.",
                    ("rank", "community_name", "country", "region", "city", "attempts", "blocked",
                     "effectiveness_pct")),
    "geo_locations": ("Attempts by country", "Country level shown; regions and cities in geo_locations.csv "
                      "(column level).", ("community_name", "country", "attempts", "blocked", "allowed",
                                          "effectiveness_pct", "traveler_access", "bypasses")),
    "geo_trend": ("Trend over the period", "All communities per UTC day (per community in geo_trend.csv).", ()),
}
HEADERS = {"community_name": "community", "total_users": "joined so far", "active_users": "active",
           "avg_daily_active_users": "active / day", "new_users": "new", "community_joins": "joins",
           "community_views": "views", "content_interactions": "interactions", "avg_online_members": "online avg",
           "peak_online_members": "online peak", "days_with_data": "days", "new_registrations": "registered",
           "avg_session_duration_s": "session (s)", "bounce_rate": "bounce %", "api_requests": "API requests",
           "avg_response_time_ms": "response (ms)", "error_count": "errors", "errors_resolved": "resolved",
           "error_count_day": "errors (day)", "resolved_count": "resolved", "open_count": "open",
           "effectiveness_pct": "effectiveness", "traveler_access": "travelers", "online_members_avg": "online avg",
           "online_members_peak": "online peak", "total_activities": "activities", "is_peak_hour": "peak",
           "hour_of_day": "hour", "weeks_since_join": "week", "retention_rate": "retention",
           "rolling_retained_members": "rolling retained", "rolling_retention_rate": "rolling retention",
           "retained_members": "retained", "cohort_size": "cohort"}


def _charts(name: str, data, colors) -> list[bytes]:
    tables = data.tables
    drawn = {"community_trend": lambda: [charts.online_members(tables[name], colors)],
             "activity_heatmap": lambda: charts.heatmaps(tables[name]),
             "online_by_hour": lambda: [charts.online_by_hour(tables[name], colors)],
             "retention": lambda: [charts.retention(tables[name])],
             "geo_trend": lambda: [charts.geo_trend(tables[name], colors)],
             "top_blocked": lambda: [charts.top_blocked(tables[name], colors)]}
    return [image for image in (drawn[name]() if name in drawn else []) if image]


def _grid(name: str, rows: list[dict], branding, st):
    columns = SECTIONS[name][2]
    if name == "geo_locations":
        rows = [r for r in rows if r["level"] == "country"]
    shown = rows[:MAX_ROWS]
    header = [Paragraph(f"<b>{escape(HEADERS.get(c, c.replace('_', ' ')))}</b>", st["head"]) for c in columns]
    body = [[Paragraph(escape(_cell(row, c)), st["cell"]) for c in columns] for row in shown]
    weights = [2.0 if c in ("community_name", "top_message", "window") else 1 for c in columns]
    notes = [f"{len(rows) - len(shown)} more rows in {name}.csv"] if len(rows) > len(shown) else []
    notes += [f"{r.get('community_name') or r.get('day')}: {r['note']}" for r in shown if r.get("note")][:5]
    return table([header, *body], branding, [WIDTH * w / sum(weights) for w in weights]), notes


def _cell(row: dict, column: str) -> str:
    value = row.get(column)
    if column == "community_name":
        value = value or row.get("community_id")
    if column in ("effectiveness_pct", "retention_rate", "rolling_retention_rate", "bounce_rate") and value is not None:
        return f"{value:.1f}%" if column == "effectiveness_pct" else f"{value:.2f}%"
    if column in ("hour_of_day", "weekday", "weeks_since_join", "rank") or isinstance(value, str):
        return cell(value, "rank")
    return cell(value, column)


def _section(name: str, data, branding, st, colors) -> list:
    title, caption, columns = SECTIONS[name]
    part = [Paragraph(escape(title), st["h2"]), Paragraph(escape(caption), st["caption"]), Spacer(1, 3)]
    if name in data.unavailable:
        return [KeepTogether(part + [Paragraph(f"<b>Not available:</b> {escape(data.unavailable[name])}.",
                                               st["small"])]), Spacer(1, 6)]
    rows = data.tables.get(name) or []
    if not rows:
        return [KeepTogether(part + [Paragraph("Nothing in the report's days.", st["small"])]), Spacer(1, 6)]
    for image in _charts(name, data, colors):
        part += [Image(io.BytesIO(image), width=WIDTH, height=WIDTH * 0.45, kind="proportional"), Spacer(1, 3)]
    if not columns:
        return [KeepTogether(part), Spacer(1, 8)]
    grid, notes = _grid(name, rows, branding, st)
    return [KeepTogether(part + [grid]), *[Paragraph(escape(n), st["note"]) for n in notes], Spacer(1, 8)]


def _cover(data, meta, branding, st) -> list:
    names = ", ".join(f"{c['community_name'] or c['community_id']}" for c in data.communities) or "none yet"
    story = [Spacer(1, 14 * mm), Paragraph(escape(meta["title"]), st["cover"]), Spacer(1, 4),
             Paragraph(f"<b>{escape(meta['workspace_name'])}</b>", st["h2"]),
             Paragraph(f"Report day: <b>{meta['report_day']}</b> \u00b7 days covered: <b>{meta['period_start']}</b> "
                       f"to <b>{meta['period_end']}</b> (UTC dates)", st["body"]),
             Paragraph(f"Communities: {escape(names)}", st["body"]),
             Paragraph(f"Generated {meta['generated_at'][:19].replace('T', ' ')} UTC by {escape(branding.name)} \u00b7 "
                       f"run {meta['run_id'][:8]}", st["small"]), Spacer(1, 8)]
    if meta["contains_simulated_data"]:
        story += [_box([Paragraph("<b>Contains simulated data:</b> the community is served by the built-in community "
                                  "simulator; its numbers are synthetic.", st["banner"])], "#FFF1C2", "#E0A800"),
                  Spacer(1, 6)]
    columns = {c for rows in data.tables.values() for row in rows[:1] for c in row}
    units = "; ".join(f"{k}: {v}" for k, v in UNITS.items() if k in columns)
    story += [_box([Paragraph(f"<b>What the numbers cover.</b> {escape(' '.join(data.coverage_lines))} Counts are "
                              f"events or members; units: {escape(units)}. Unknown prints as \u2014, never 0. "
                              "IP addresses never appear: they are hashed or truncated when events are loaded. "
                              "Definitions: last page.", st["small"])], "#EEF4F7", "#C9D3D9"), Spacer(1, 6)]
    return story


def build_pdf(data, meta: dict, branding, path: Path, budget=None) -> Path:
    st = styles(branding)
    colors = (branding.primary_color, branding.accent_color)
    story = _cover(data, meta, branding, st)
    for name in data.tables:
        if budget:
            budget.check_time(f"drawing {name}")
        story += _section(name, data, branding, st, colors)
    story += [PageBreak(), Paragraph("Definitions", st["h1"])]
    story += [Paragraph(f"<b>{escape(k)}</b>: {escape(v)}" + (f" <i>({escape(UNITS[k])})</i>" if k in UNITS else ""),
                        st["small"]) for k, v in data.definitions.items()]
    _document(path, meta, branding).build(story, onFirstPage=_cover_page(branding), onLaterPages=_footer(branding))
    if budget:
        budget.add_bytes(path.stat().st_size, path.name)
    return path
