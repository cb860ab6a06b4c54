"""PDF building blocks: styles, tables, which columns of each report table the page shows, section
titles and the caption that states each section's view. Numbers go through `insights.fmt`, so the
PDF prints exactly the CSV's values (with thousands separators) and "—" where the CSV is empty."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from reporting.insights import UNKNOWN, fmt

WIDTH = A4[0] - 36 * mm
MAX_TABLE_ROWS = 25
TITLES = {
    "platforms": "Platforms", "accounts": "Accounts", "daily_trend": "Daily trend", "top_posts": "Top posts",
    "formats": "Formats", "posts": "Posts published in the period", "posting_times": "Best time to post",
    "follower_growth": "Follower growth", "audience_growth": "Audience growth",
    "engagement_trend": "Engagement-rate trend", "posting_velocity": "Posting velocity",
    "audience_quality": "Audience quality", "platform_comparison": "Platforms on equal terms",
    "period_comparison": "This period vs the previous one, per platform",
    "platform_formats": "Format effectiveness across platforms",
}
CAPTIONS = {
    "platforms": "Views to net followers: complete days only (days = complete account-days of the period's). Posts, "
                 "content views and content rate: lifetime results, as of the last sync, of the posts published in "
                 "the period.",
    "accounts": "Per account: activity on complete days, and its posts published in the period (content_* in "
                "accounts.csv).",
    "daily_trend": "Every account's account-level daily numbers; a day some accounts have not reported yet is "
                   "partial.",
    "top_posts": "Ranked by lifetime engagement rate as of the last sync, among posts with enough views.",
    "formats": "Lifetime results by format, as of the last sync.",
    "posts": "Every post with its lifetime results as of the last sync.",
    "posting_times": "Each account's best slot in its own time zone, from the lifetime engagement rates of all its "
                     "tracked posts; slots with few posts are pulled toward the account mean (confidence: low < 5 "
                     "posts, medium ≥ 5, high ≥ 10). Lift: % above the account's mean rate.",
    "follower_growth": "Followers at the start and end of the period (last known values); net and growth rate over "
                       "the accounts known at both ends; best and worst day by net followers.",
    "audience_growth": "Followers indexed to the period start, and net followers per day.",
    "engagement_trend": "Weekly engagement rate per platform over the 12 weeks ending with the period.",
    "posting_velocity": "Posts published per week over the 12 weeks ending with the period.",
    "audience_quality": "Engagements per 100 followers, and net followers per 1,000 views on the same complete days.",
    "platform_comparison": "Every platform over the same complete days (the window) and by the same yardsticks; "
                           "per-post measures: lifetime results of the posts published in the period.",
    "period_comparison": "Like for like: the account-days known in both periods (the same day of each); "
                         "days = compared account-days of the period's.",
    "platform_formats": "Lifetime results by platform and format, as of the last sync.",
}
PDF_COLUMNS = {
    "platforms": ("platform", "views", "engagements", "engagement_rate", "followers", "followers_net",
                  "posts_published", "content_views", "content_engagement_rate", "days"),
    "accounts": ("account_name", "platform", "views", "engagements", "engagement_rate", "followers",
                 "followers_net", "posts_published", "days"),
    "top_posts": ("rank", "title", "platform", "format", "published_date", "views", "engagements",
                  "engagement_rate"),
    "formats": ("format", "posts_published", "views", "engagements", "engagement_rate", "views_per_post",
                "engagements_per_post"),
    "posts": ("platform", "title", "format", "published_date", "views", "engagements", "engagement_rate",
              "performance_score"),
    "posting_times": ("account_name", "platform", "timezone", "weekday_name", "hour", "posts", "engagement_rate",
                      "lift_pct", "confidence"),
    "follower_growth": ("account_name", "platform", "followers_start", "followers_end", "followers_net",
                        "growth_rate", "best_day", "best_day_net", "worst_day", "worst_day_net"),
    "audience_quality": ("platform", "followers", "engagements", "engagements_per_100_followers", "views",
                         "followers_net_on_complete_days", "net_followers_per_1000_views", "days"),
    "platform_comparison": ("platform", "engagement_rate", "engagements_per_1000_views",
                            "engagements_per_1000_followers", "engagements_per_post", "views_per_post",
                            "posts_published", "best_format", "days"),
    "period_comparison": ("platform", "views", "previous_views", "views_change_pct", "engagements",
                          "previous_engagements", "engagements_change_pct", "engagement_rate",
                          "engagement_rate_change_pt", "days"),
    "platform_formats": ("platform", "format", "posts_published", "views_per_post", "engagements_per_post",
                         "engagement_rate"),
}
HEADERS = {"posts_published": "posts", "engagement_rate": "eng. rate", "content_engagement_rate": "content rate",
           "watch_time_minutes": "watch (min)", "followers_net": "net followers", "published_date": "published",
           "weekday_name": "weekday", "account_name": "account", "engagements_per_1000_views": "eng. / 1k views",
           "engagements_per_1000_followers": "eng. / 1k followers", "engagements_per_post": "eng. / post",
           "views_per_post": "views / post", "engagements_per_100_followers": "eng. / 100 followers",
           "followers_net_on_complete_days": "net followers", "net_followers_per_1000_views":
           "net followers / 1k views", "views_change_pct": "views change", "engagements_change_pct":
           "eng. change", "engagement_rate_change_pt": "rate change", "previous_views": "prev. views",
           "previous_engagements": "prev. eng.", "lift_pct": "lift", "performance_score": "score"}
WIDE = {"title": 3.2, "account_name": 1.8, "published_date": 1.3, "timezone": 1.7, "best_day": 1.3,
        "worst_day": 1.3, "engagements": 1.25, "weekday_name": 1.25, "platform": 1.15, "followers_start": 1.1, "followers_end": 1.1}
PLAIN = ("rank", "hour", "weekday", "best_day", "worst_day")


def styles(branding) -> dict:
    base = getSampleStyleSheet()
    primary = colors.HexColor(branding.primary_color)
    return {
        "cover": ParagraphStyle("cover", parent=base["Title"], fontSize=26, leading=32, textColor=primary,
                                alignment=0),
        "h1": ParagraphStyle("h1", parent=base["Heading1"], textColor=primary),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], textColor=primary, spaceAfter=2),
        "body": base["BodyText"],
        "caption": ParagraphStyle("caption", parent=base["BodyText"], fontSize=7.5, leading=9.5,
                                  textColor=colors.HexColor("#44525C"), fontName="Helvetica-Oblique"),
        "small": ParagraphStyle("small", parent=base["BodyText"], fontSize=8, leading=10),
        "note": ParagraphStyle("note", parent=base["BodyText"], fontSize=6.8, leading=8.4,
                               textColor=colors.HexColor("#44525C")),
        "cell": ParagraphStyle("cell", parent=base["BodyText"], fontSize=7, leading=8.5),
        "head": ParagraphStyle("head", parent=base["BodyText"], fontSize=6.5, leading=8, textColor=colors.white),
        "banner": ParagraphStyle("banner", parent=base["BodyText"], fontSize=10, leading=13,
                                 textColor=colors.HexColor("#5C3B00")),
    }


def table(rows: list[list], branding, widths=None, bold_rows=()) -> Table:
    result = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(branding.primary_color)),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F1F5F7")]),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#C9D3D9")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    style += [("BACKGROUND", (0, r), (-1, r), colors.HexColor("#DCE8EE")) for r in bold_rows]
    result.setStyle(TableStyle(style))
    return result


def section_head(title: str, data, name: str, caption: str, st, empty: str = "") -> list:
    """A section's title, the view its table shows with the caption, and the section's note (or `empty`)."""
    message = data.notes.get(name, {}).get("message") or empty
    return [Paragraph(title, st["h1"]),
            Paragraph(f"<b>{escape(data.table_views[name])}.</b> {escape(caption)}", st["caption"]), Spacer(1, 3),
            Paragraph(escape(message), st["small"])]


def column_table(columns, rows: list[dict], branding, st, bold_rows=()) -> Table:
    """A table of `columns` — (key, header label, relative width) — over rows of already formatted text."""
    header = [Paragraph(f"<b>{label}</b>", st["head"]) for _, label, _ in columns]
    body = [[Paragraph(escape(str(row[key])), st["cell"]) for key, _, _ in columns] for row in rows]
    weights = [w for _, _, w in columns]
    return table([header, *body], branding, [WIDTH * w / sum(weights) for w in weights], bold_rows)


def cell(value, column: str, limit: int | None = 60) -> str:
    if value is None:
        return UNKNOWN
    if column == "hour":
        return f"{value:02d}:00"
    if column.endswith("_pt"):
        return f"{value:+.2f} pt"
    if column.endswith("_change_pct") or column == "lift_pct":
        return f"{value:+.1f}%"
    if isinstance(value, bool) or (isinstance(value, int | float) and column not in PLAIN):
        return fmt(value, column)
    text = str(value)
    return text[:limit] + "…" if limit and len(text) > limit + 1 else text


def _with_days(row: dict, name: str) -> dict:
    if name == "period_comparison":
        return row | {"days": f"{row['compared_days']}/{row['days']}"}
    if "complete_days" in row and "days" in row:
        return row | {"days": f"{row['complete_days']}/{row['days']}" + (" *" if row.get("is_partial") else "")}
    return row


def data_table(name: str, rows: list[dict], branding, st) -> tuple[Table, list[str]]:
    """The table of `name` as the page shows it, and the notes of its rows (printed under it, with a line
    saying how many rows only the CSV has)."""
    total = len(rows)
    if name == "posting_times":
        rows = [r for r in rows if r.get("slot_rank") == 1]
    rows = [_with_days(r, name) for r in rows[:MAX_TABLE_ROWS]]
    columns = [c for c in PDF_COLUMNS.get(name, tuple(rows[0])) if c in rows[0]][:10]
    body = [[Paragraph(escape(cell(row.get(c), c)), st["cell"]) for c in columns] for row in rows]
    header = [Paragraph(f"<b>{escape(HEADERS.get(c, c.replace('_', ' ')))}</b>", st["head"]) for c in columns]
    weights = [WIDE.get(c, 1) for c in columns]
    bold = [i + 1 for i, r in enumerate(rows) if r.get("level") == "platform"]
    notes = [f"{_label(r)}: {r['note']}" for r in rows if r.get("note")]
    if total > len(rows):
        notes.append(f"{total - len(rows)} more rows in {name}.csv")
    return table([header, *body], branding, [WIDTH * w / sum(weights) for w in weights], bold), notes


def _label(row: dict) -> str:
    if row.get("level") == "account" or ("account_name" in row and row.get("level") != "platform"):
        return f"{row['account_name']} ({row['platform']})"
    return row.get("platform") or row.get("format") or str(row.get("metric_date", ""))
