"""The words of alerts and anomaly reasons: numbers a creator reads, one sentence per alert."""

from __future__ import annotations

import math
from datetime import date

from ingestion.registry import platforms
from insights.words import number

TITLE_CHARS = 80


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def post_day(age: int) -> str:
    """Age 0 is the publish day, the post's 1st day."""
    return f"its {ordinal(age + 1)} day"


def platform_name(platform: str) -> str:
    """The platform's title as its package declares it (ingestion/<platform>/__init__.py)."""
    spec = platforms().get(platform)
    return spec.title if spec else platform


def post_reason(metric: str, value: float, expected: float, age: int) -> str:
    """'views 4.8× the expected 1,200 for a post on its 2nd day'."""
    if not expected > 0:
        return f"{metric} {number(value)} where its posts usually get none for a post on {post_day(age)}"
    return f"{metric} {value / expected:.1f}× the expected {number(expected)} for a post on {post_day(age)}"


def viral_message(row, title: str | None, account_name: str | None) -> str:
    what = f"“{_short(title)}”" if title else f"post {row.post_id}"
    where = f"{platform_name(row.platform)} ({account_name or row.account_id})"
    if row.expected > 0:
        told = f"{row.ratio:.1f}× the {number(row.expected)} its posts usually get by then"
    else:
        told = "where its posts usually get none by then"
    return (f"{what} on {where} is taking off: {number(row.value)} {row.metric} on {post_day(int(row.age))} "
            f"({row.peak_day:%a %d %b}), {told}.")


def drop_message(row, account_name: str | None) -> str:
    day: date = row.peak_day
    value = "no views reported" if math.isnan(row.value) else f"{number(row.value)} views"
    because = "; ".join(row.evidence) if row.evidence else "no other signal"
    return (f"{account_name or row.account_id} on {platform_name(row.platform)} had {value} on {day:%a %d %b}, "
            f"against about {number(row.expected)} expected ({row.basis}): likely a {row.likely_cause} "
            f"({because}).")


def _short(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"


def delivery_text(messages: list[str], limit: int = 20, workspace: str | None = None) -> str:
    """The one message a delivery target receives for a run's new alerts (of one workspace)."""
    lines = [f"Tidemark alerts{f' ({workspace})' if workspace else ''}: {len(messages)} new"] + [f"• {m}" for m in messages[:limit]]
    if len(messages) > limit:
        lines.append(f"…and {len(messages) - limit} more (ops.alerts, or the ops/alerts asset in Dagster)")
    return "\n".join(lines)
