"""Highlights, key insights and the short plain-text summary of a report.

All of them are derived from the collected `ReportData` (never from a new query), so the
sentence in a Slack message, the PDF's insight list and the CSV agree by construction.
"""

from __future__ import annotations

LABELS = {"posts_published": "Posts published", "views": "Views", "engagements": "Engagements",
          "engagement_rate": "Engagement rate", "likes": "Likes", "comments": "Comments", "shares": "Shares",
          "saves": "Saves", "clicks": "Clicks", "reach": "Reach", "impressions": "Impressions",
          "watch_time_minutes": "Watch time (min)", "followers": "Followers", "followers_net": "Net followers"}


def fmt(value, metric: str = "") -> str:
    """How numbers are printed in the PDF and the summary: thousands separators, % for rates."""
    if value is None:
        return "n/a"
    if metric.endswith("rate"):
        return f"{value:.2f}%"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"


def fmt_change(row: dict) -> str:
    """Relative change in %, except for rates: their change is in percentage points."""
    if row["change"] is not None and row["metric"].endswith("rate"):
        return f"{row['change']:+.2f} pt"
    if row["change_pct"] is not None:
        return f"{row['change_pct']:+.1f}%"
    return "new" if row["current"] else "–"


def _best(rows: list[dict], key: str = "engagement_rate", min_views: int = 1) -> dict | None:
    rows = [r for r in rows if r.get(key) is not None and (r.get("views") or 0) >= min_views]
    return max(rows, key=lambda r: (r[key], r.get("views") or 0)) if rows else None


def highlights(data) -> dict:
    tables = data.tables
    return {
        "best_post": (tables.get("top_posts") or [None])[0],
        "best_time": _best(tables.get("posting_times", [])),
        "best_platform": _best(tables.get("platforms", [])),
        "best_format": _best(tables.get("formats", [])),
    }


def _post_line(post: dict) -> str:
    title = (post.get("title") or post["post_key"])[:70]
    return f"\u201c{title}\u201d ({post['platform']}, {fmt(post.get('engagement_rate'), 'rate')} engagement rate, " \
           f"{fmt(post.get('views'))} views)"


def build_insights(data) -> list[str]:
    """A handful of plain sentences a reader can act on."""
    out = []
    for row in data.comparison:
        if row["metric"] in ("views", "engagements") and row["change_pct"] is not None:
            direction = "up" if row["change_pct"] >= 0 else "down"
            out.append(f"{LABELS[row['metric']]} {direction} {abs(row['change_pct']):.1f}% vs the previous period "
                       f"({fmt(row['current'])} vs {fmt(row['previous'])}).")
    h = data.highlights
    if h.get("best_platform") and len(data.tables.get("platforms", [])) > 1:
        out.append(f"Best platform by engagement rate: {h['best_platform']['platform']} "
                   f"({fmt(h['best_platform']['engagement_rate'], 'rate')}).")
    if h.get("best_format"):
        out.append(f"Best format: {h['best_format']['format']} "
                   f"({fmt(h['best_format']['engagement_rate'], 'rate')} engagement rate).")
    if h.get("best_post"):
        out.append("Top post: " + _post_line(h["best_post"]) + ".")
    if h.get("best_time"):
        t = h["best_time"]
        out.append(f"Best time to post: {t['weekday_name']} {t['hour']:02d}:00 "
                   f"({fmt(t['engagement_rate'], 'rate')} engagement rate over the last 90 days).")
    if "followers_net" in data.totals:
        out.append(f"Audience: {fmt(data.totals['followers_net'])} net followers in the period "
                   f"(now {fmt(data.totals.get('followers'))}).")
    return out or ["No activity in the period for the chosen platforms and accounts."]


def summary_text(data, title: str, workspace_name: str) -> str:
    """The short message (seed 003): totals, change vs previous period, best post, best time."""
    lines = [f"{workspace_name} \u2014 {title}", f"{data.period.start} \u2192 {data.period.end}"]
    for row in data.comparison:
        lines.append(f"\u2022 {LABELS.get(row['metric'], row['metric'])}: {fmt(row['current'], row['metric'])} "
                     f"({fmt_change(row)} vs previous period)")
    h = data.highlights
    if h.get("best_post"):
        lines.append("Best post: " + _post_line(h["best_post"]))
        if h["best_post"].get("permalink"):
            lines.append(h["best_post"]["permalink"])
    if h.get("best_time"):
        lines.append(f"Best time to post: {h['best_time']['weekday_name']} {h['best_time']['hour']:02d}:00")
    return "\n".join(lines)
