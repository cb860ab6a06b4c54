"""Highlights, key insights and the short plain-text summary of a report.

All of them are derived from the collected `ReportData` (never from a new query), so the
sentence in a Slack message, the PDF's insight list and the CSV agree by construction. An
unknown value is printed "—", never 0.
"""

from __future__ import annotations

from reporting.sections.content import best_time

LABELS = {"posts_published": "Posts published", "views": "Views", "engagements": "Engagements",
          "engagement_rate": "Engagement rate", "likes": "Likes", "comments": "Comments", "shares": "Shares",
          "saves": "Saves", "clicks": "Clicks", "reach": "Reach", "impressions": "Impressions",
          "watch_time_minutes": "Watch time (min)", "followers": "Followers", "followers_net": "Net followers"}
UNKNOWN = "\u2014"


def fmt(value, metric: str = "") -> str:
    """How numbers are printed in the PDF and the summary: thousands separators, % for rates, — for unknown."""
    if value is None:
        return UNKNOWN
    if isinstance(value, bool):
        return "yes" if value else "no"
    if metric.endswith("rate") or metric.endswith("_pct"):
        return f"{value:.2f}%"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    if isinstance(value, int | float):
        return f"{int(value):,}"
    return str(value)


def fmt_change(row: dict) -> str:
    """Relative change in %, except for rates: their change is in percentage points."""
    if row["change"] is not None and row["metric"].endswith("rate"):
        return f"{row['change']:+.2f} pt"
    if row["change_pct"] is not None:
        return f"{row['change_pct']:+.1f}%"
    if row.get("previous") is None or row.get("compared_current") is None:
        return UNKNOWN
    return "new" if row["compared_current"] else "\u2013"


def _best(rows: list[dict], key: str = "engagement_rate", min_posts: int = 0) -> dict | None:
    rows = [r for r in rows if r.get(key) is not None and (r.get("posts_published") or 0) >= min_posts]
    return max(rows, key=lambda r: (r[key], r.get("views") or 0)) if rows else None


def highlights(data) -> dict:
    tables = data.tables
    platforms = tables.get("platforms") or tables.get("platform_comparison") or []
    growth = [r for r in tables.get("follower_growth", []) if r["level"] == "platform"]
    return {
        "best_post": (tables.get("top_posts") or [None])[0],
        "best_time": best_time(tables.get("posting_times", [])),
        "best_platform": _best(platforms),
        "best_format": _best(tables.get("formats", []), min_posts=2),
        "fastest_growth": _best(growth, key="growth_rate"),
    }


def _post_line(post: dict) -> str:
    title = (post.get("title") or post["post_key"])[:70]
    return f"\u201c{title}\u201d ({post['platform']}, {fmt(post.get('engagement_rate'), 'rate')} engagement rate, " \
           f"{fmt(post.get('views'))} views, as of {post.get('data_as_of')})"


def _time_line(t: dict) -> str:
    return (f"{t['weekday_name']} {t['hour']:02d}:00 ({t['timezone']}) for {t['account_name']} on {t['platform']}: "
            f"{t['lift_pct']:+.1f}% vs the account's mean engagement rate, {t['posts']} post(s), "
            f"{t['confidence']} confidence")


def coverage_line(data) -> str | None:
    totals = data.totals
    if not totals.get("is_partial"):
        return None
    return (f"Partial data: activity counts complete days only ({totals['complete_days']} of {totals['days']} "
            "account-days); the Data coverage section names the missing days.")


def simulated_line(data) -> str | None:
    s = data.simulated
    if not s.get("contains_simulated_data"):
        return None
    return (f"Contains simulated data: {s['simulated_accounts']} of {s['accounts']} accounts are served by the "
            "built-in simulator.")


def build_insights(data) -> list[str]:
    """A handful of plain sentences a reader can act on."""
    out = []
    for row in data.comparison:
        if row["metric"] in ("views", "engagements") and row["change_pct"] is not None:
            direction = "up" if row["change_pct"] >= 0 else "down"
            out.append(f"{LABELS[row['metric']]} {direction} {abs(row['change_pct']):.1f}% vs the previous period, "
                       f"{row['basis']} ({fmt(row['compared_current'])} vs {fmt(row['previous'])}).")
    h = data.highlights
    if h.get("best_platform") and len(data.tables.get("platforms") or data.tables.get("platform_comparison")) > 1:
        out.append(f"Best platform by engagement rate (activity): {h['best_platform']['platform']} "
                   f"({fmt(h['best_platform']['engagement_rate'], 'rate')}).")
    if h.get("best_format"):
        out.append(f"Best format (content published in the period): {h['best_format']['format']} "
                   f"({fmt(h['best_format']['engagement_rate'], 'rate')} engagement rate).")
    if h.get("best_post"):
        out.append("Top post (content published in the period): " + _post_line(h["best_post"]) + ".")
    if h.get("best_time"):
        out.append("Best time to post: " + _time_line(h["best_time"]) + ".")
    if h.get("fastest_growth"):
        g = h["fastest_growth"]
        out.append(f"Fastest follower growth: {g['platform']} ({fmt(g['growth_rate'], 'rate')}, "
                   f"{fmt(g['followers_net'])} net followers).")
    if "followers_net" in data.totals and data.totals.get("followers_net") is not None:
        unknown = data.totals.get("note") and "followers unknown" in data.totals["note"]
        out.append(f"Audience: {fmt(data.totals['followers_net'])} net followers in the period "
                   f"(now {fmt(data.totals.get('followers'))}"
                   + (", accounts with known followers only)." if unknown else ")."))
    out += _insight_lines(data.tables)
    return out or ["No activity in the period for the chosen platforms and accounts."]


def _insight_lines(tables: dict) -> list[str]:
    """The most severe anomaly and the largest account's 30-day follower forecast, when present."""
    out = []
    anomalies = tables.get("anomalies") or []
    if anomalies:
        top = anomalies[0]
        out.append(f"{len(anomalies)} anomal{'y' if len(anomalies) == 1 else 'ies'} in the period; the most severe: "
                   f"{top['reason']} ({top['account_name'] or top['account_id']} on {top['platform']}, "
                   f"{top['observed_on']}).")
    forecast = next((r for r in tables.get("forecast_summary") or []
                     if r["metric"] == "followers" and r.get("point_30d") is not None), None)
    if forecast:
        out.append(f"Forecast: {forecast['account_name']} ({forecast['platform']}) at about "
                   f"{fmt(round(forecast['point_30d']))} followers on {forecast['target_date_30d']} (80 % interval "
                   f"{fmt(round(forecast['lower_80_30d']))} – {fmt(round(forecast['upper_80_30d']))}).")
    return out


def summary_text(data, title: str, workspace_name: str) -> str:
    """The short message (seed 003): totals, like-for-like change, best post, best time, caveats."""
    lines = [f"{workspace_name} \u2014 {title}", f"{data.period.start} \u2192 {data.period.end}"]
    lines += [line for line in (simulated_line(data), coverage_line(data)) if line]
    for row in data.comparison:
        lines.append(f"\u2022 {LABELS.get(row['metric'], row['metric'])}: {fmt(row['current'], row['metric'])} "
                     f"({fmt_change(row)} vs previous period)")
    if data.comparison:
        lines.append("Changes are like for like: the account-days known in both periods.")
    h = data.highlights
    if h.get("best_post"):
        lines.append("Best post: " + _post_line(h["best_post"]))
        if h["best_post"].get("permalink"):
            lines.append(h["best_post"]["permalink"])
    if h.get("best_time"):
        lines.append("Best time to post: " + _time_line(h["best_time"]))
    return "\n".join(lines)
