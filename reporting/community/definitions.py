"""What every number of the community reports means, and the report-side formulas.

A report aggregates the marts' rows over several days or locations; where that needs a formula it
is here, once: the geo effectiveness is the mart's own formula (`effectiveness_pct` in
mart_geo_restriction: blocked ÷ attempts × 100 via `rate_pct`, then 1 decimal), means are rounded
half away from zero like the marts.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from reporting.metrics import rate


def rounded(value, places: int = 2) -> float | None:
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def effectiveness_pct(blocked, attempts) -> float | None:
    """Seed 004's effectiveness_percentage: 127 blocked of 450 attempts → 28.2; None without attempts."""
    return rounded(rate(blocked, attempts), 1)


def mean(values: list, places: int = 2) -> float | None:
    known = [v for v in values if v is not None]
    return rounded(sum(Decimal(str(v)) for v in known) / len(known), places) if known else None


def weighted_mean(pairs: list[tuple], places: int = 2) -> float | None:
    """Σ value × weight ÷ Σ weight over (value, weight) pairs with a known value: a mean of per-day
    means weighted by the day's count (sessions, requests) is the mean over all of them."""
    known = [(Decimal(str(v)), w) for v, w in pairs if v is not None and w]
    total = sum(w for _, w in known)
    return rounded(sum(v * w for v, w in known) / total, places) if total else None


UNITS = {
    "avg_session_duration_s": "seconds", "avg_response_time_ms": "milliseconds", "bounce_rate": "percent",
    "effectiveness_pct": "percent", "retention_rate": "percent", "rolling_retention_rate": "percent",
    "avg_online_members": "members (mean of 5-minute samples)", "peak_online_members": "members",
    "online_members_avg": "members (mean over the hour)", "online_members_peak": "members",
}

DEFINITIONS = {
    "day": "A UTC calendar date: every community mart counts an event on the UTC date of its own timestamp.",
    "days with data": "Days on which the platform recorded at least one known event (a row in "
                      "mart_community_platform_daily). A day without data prints as \u2014 (unknown), never 0; a "
                      "community without events on a day with data had 0.",
    "total_users": "Members who joined the community so far (first join on or before the day; leaves not "
                   "subtracted). A community without a row that day keeps its last known value.",
    "active_users": "Distinct members with any event naming the community that day (a blocked geo attempt "
                    "included; anonymous visitors not counted).",
    "avg_daily_active_users": "Mean of the daily active members over the days with data (distinct per day; a "
                              "member active on 3 days counts on each).",
    "new_users": "Members whose first join of the community falls on the day (over several days: the sum).",
    "community_joins": "Join events (a re-join counts again).",
    "community_views": "Page views of the community's pages (members and anonymous visitors).",
    "content_views": "Page views of the community's posts (a subset of community_views).",
    "content_interactions": "Posts, comments, likes and shares in the community.",
    "avg_online_members": "Members online on average over the day (a member is online while a heartbeat or any "
                          "community activity was seen within the last 300 s; mean of the day's 5-minute samples). "
                          "Over several days: the mean of the daily values.",
    "peak_online_members": "Most members online at one 5-minute sample of the day (over several days: the highest).",
    "sessions": "Platform-wide sessions starting on the day; 30 minutes without activity ends a session.",
    "avg_session_duration_s": "Mean time from a session's first to its last event, in seconds (over several "
                              "days: weighted by the day's sessions).",
    "bounce_rate": "Sessions with exactly one page view and no other event \u00f7 sessions \u00d7 100 (over several "
                   "days: weighted by sessions). Unknown without sessions.",
    "api_requests": "API requests logged by the platform (platform-wide).",
    "avg_response_time_ms": "Mean API response time in milliseconds (over several days: weighted by requests).",
    "error_count": "Errors logged (every level and category), platform-wide.",
    "errors_resolved": "Resolutions logged on the day (of errors of any day).",
    "resolved_count": "Errors of the period that have been resolved since (on any later day).",
    "open_count": "Errors of the period without a resolution so far.",
    "attempts": "Geo access attempts to a community (allowed + blocked).",
    "blocked": "Attempts refused by the community's geo rules.",
    "allowed": "Attempts let through (restriction bypasses included).",
    "effectiveness_pct": "Blocked \u00f7 attempts \u00d7 100, 1 decimal (seed 004's restriction effectiveness; "
                         "450 attempts, 127 blocked \u2192 28.2 %). Unknown without attempts.",
    "traveler_access": "Attempts by members from a country other than their registration country.",
    "bypasses": "Attempts allowed although the community's rules block that location.",
    "level (geo)": "country: one row per country; region: per country and region; city: per country, region "
                   "and city. The three levels add up to the same attempts.",
    "weekday / hour_of_day": "ISO weekday (1 = Monday) and hour in the workspace's time zone (tidemark.yaml `timezone`; "
                             "the JSON's local_timezone).",
    "activity_score / activity_level": "As defined in mart_community_activity (docs/metrics.md, Community).",
    "is_peak_hour": "The community's peak hours as defined in mart_community_activity.",
    "cohort_week": "Monday of the week in which the members first joined the community.",
    "retention_rate": "Members of the cohort active in week N since joining \u00f7 cohort size \u00d7 100 "
                      "(recurring retention).",
    "rolling_retention_rate": "Members active in week N or any later week \u00f7 cohort size \u00d7 100 "
                              "(rolling retention).",
    "IP addresses": "Never in a report: they are hashed or truncated when the events are loaded.",
}
