"""Content published in the period (top posts, formats, the post table), posting velocity and the best
posting times.

Lifetime results as of each account's last sync (`content_as_of` / `data_as_of`). "Views" of a
post is its engagement-rate base: views, LinkedIn impressions (LinkedIn counts video views for
videos only), as in the activity view.
"""

from __future__ import annotations

from reporting.metrics import per, rate
from reporting.queries import content
from reporting.sections.common import Ctx

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _post(row: dict) -> dict:
    return {"platform": row["platform"], "account_id": row["account_id"], "format": row["format"],
            "title": row["title"], "published_date": row["published_date_local"], "views": row["rate_base"],
            "likes": row["likes"], "comments": row["comments"], "shares": row["shares"], "saves": row["saves"],
            "engagements": row["engagements"], "engagement_rate": row["engagement_rate"],
            "viral_potential": row["viral_potential"], "performance_score": row["performance_score"],
            "data_as_of": row["data_as_of"], "permalink": row["permalink"], "post_key": row["post_key"]}


def top_posts(ctx: Ctx) -> list[dict]:
    keep = ("platform", "account_id", "format", "title", "published_date", "views", "engagements",
            "engagement_rate", "data_as_of", "permalink", "post_key")
    return [{"rank": i, **{k: _post(r)[k] for k in keep}} for i, r in enumerate(ctx.rows(content.TOP_POSTS), 1)]


def posts(ctx: Ctx) -> list[dict]:
    return [_post(r) for r in ctx.rows(content.POSTS)]


def _format_row(row: dict) -> dict:
    return {"posts_published": row["posts"], "views": row["rate_base"], "engagements": row["engagements"],
            "engagement_rate": rate(row["engagements"], row["rate_base"]),
            "views_per_post": per(row["rate_base"], row["posts"], 1, 2),
            "engagements_per_post": per(row["engagements"], row["posts"], 1, 2),
            "content_as_of": row["data_as_of"]}


def formats(ctx: Ctx) -> list[dict]:
    return [{"format": key, **_format_row(row)} for key, row in ctx.keyed(content.by_group("format")).items()]


def platform_formats(ctx: Ctx) -> list[dict]:
    return [{"platform": key.split(" / ")[0], "format": key.split(" / ", 1)[1], **_format_row(row)}
            for key, row in ctx.keyed(content.by_group("platform_format")).items()]


def best_formats(rows: list[dict]) -> dict[str, str]:
    """platform → its format with the highest engagement rate among formats with at least two posts."""
    best: dict[str, dict] = {}
    for row in rows:
        if row["engagement_rate"] is None or row["posts_published"] < 2:
            continue
        held = best.get(row["platform"])
        if held is None or (row["engagement_rate"], row["posts_published"]) > (held["engagement_rate"],
                                                                                held["posts_published"]):
            best[row["platform"]] = row
    return {platform: row["format"] for platform, row in best.items()}


def posting_velocity(ctx: Ctx) -> list[dict]:
    return ctx.rows(content.POSTING_VELOCITY)


def posting_times(ctx: Ctx) -> dict[str, list[dict]]:
    """Each account's best slots (its own time zone) and the weekday × hour grid of lifts for the heatmap."""
    best = [{"platform": r["platform"], "account_id": r["account_id"], "account_name": r["account_name"],
             "timezone": r["timezone"], "slot_rank": r["slot_rank"], "weekday": r["weekday"],
             "weekday_name": WEEKDAYS[r["weekday"] - 1], "hour": r["hour"], "posts": r["posts"],
             "engagement_rate": r["shrunk_engagement_rate"], "account_engagement_rate":
             r["account_mean_engagement_rate"], "lift_pct": r["lift_pct"], "confidence": r["confidence"]}
            for r in ctx.rows(content.POSTING_TIMES)]
    return {"posting_times": best, "posting_grid": ctx.rows(content.POSTING_GRID)}


def best_time(rows: list[dict]) -> dict | None:
    """The best slot of any account: confident slots first (medium / high confidence), then the highest lift."""
    rows = [r for r in rows if r.get("lift_pct") is not None and r.get("slot_rank") == 1]
    if not rows:
        return None
    return max(rows, key=lambda r: (r["confidence"] != "low", r["lift_pct"], r["posts"]))
