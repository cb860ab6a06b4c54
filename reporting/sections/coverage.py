"""The "Data coverage" section: per account and platform, the complete-through date, the sources the
numbers come from, what is estimated and which of the period's days are missing, and why.

The same rows feed coverage.csv, the JSON `coverage` object, the PDF page and the notes of the
activity tables, so a partial row always names the same missing days everywhere.
"""

from __future__ import annotations

from itertools import groupby

from reporting.queries.coverage import COVERAGE
from reporting.sections.common import Ctx, day_ranges, join_notes, title

# short labels; definitions.csv / the PDF glossary explain each ("coverage sources")
ACTIVITY_SOURCES = {"account_report": "account report", "post_sum": "post sums"}
FOLLOWERS_SOURCES = {"daily_report": "daily totals", "reconstructed": "reconstructed", "snapshot": "snapshots"}
POST_SOURCES = {"daily_report": "daily report", "snapshot_diff": "snapshot differences"}


def _label(mapping: dict, value) -> str | None:
    if not value:
        return None
    return ", ".join(mapping.get(v, v) for v in str(value).split(","))


def activity_note(row: dict) -> str | None:
    """Why an account's activity in the period is partial or unknown (None when complete)."""
    if row["complete_days"] == row["period_days"]:
        return None
    if not row["complete_days"] and row["activity_from"] is None:
        return ("activity unknown: no account-level daily report; the sum of its tracked posts' daily values "
                "starts with the second sync")
    parts = []
    if row["not_final_days"]:
        parts += [f"complete through {row['complete_through']}", f"{day_ranges(row['not_final_days'])} not yet reported"]
    unknown = row["unknown_days"] or []
    before = [d for d in unknown if row["activity_from"] and d < row["activity_from"]]
    if before:
        parts.append(f"{day_ranges(before)} before its daily history (from {row['activity_from']})")
    if len(before) < len(unknown):
        parts.append(f"{day_ranges([d for d in unknown if d not in before])}: no data")
    return join_notes(*parts)


def _account_row(row: dict, by_posts: bool) -> dict:
    estimated = join_notes(
        f"{row['estimated_days']} account day(s) estimated" if row["estimated_days"] else None,
        f"{row['estimated_post_days']} post day(s) estimated" if row["estimated_post_days"] else None)
    return {
        "level": "account", "platform": row["platform"], "account_id": row["account_id"],
        "account_name": row["account_name"], "is_simulated": row["is_simulated"],
        "complete_through": row["complete_through"],
        "activity_source": "post sums (post filters)" if by_posts
        else _label(ACTIVITY_SOURCES, row["activity_source"]),
        "activity_from": row["activity_from"],
        "followers_source": _label(FOLLOWERS_SOURCES, row["followers_sources"] or row["followers_source"]),
        "followers_from": row["followers_from"],
        "post_metrics_source": _label(POST_SOURCES, row["post_metrics_source"]),
        "tracked_since": row["tracked_since"].date() if row["tracked_since"] else None,
        "last_synced_at": row["last_synced_at"],
        "complete_days": row["complete_days"], "period_days": row["period_days"],
        "is_partial": row["complete_days"] < row["period_days"],
        "estimated": estimated or "nothing",
        "not_yet_reported": ",".join(d.isoformat() for d in row["not_final_days"] or []) or None,
        "unknown_days": ",".join(d.isoformat() for d in row["unknown_days"] or []) or None,
        "note": activity_note(row) or "complete",
        "_key": row["account_key"],
    }


def _platform_row(platform: str, accounts: list[dict]) -> dict:
    through = [a["complete_through"] for a in accounts if a["complete_through"]]
    notes = {a["note"] for a in accounts}
    note = notes.pop() if len(notes) == 1 else "; ".join(f"{a['account_name']}: {a['note']}" for a in accounts)

    def distinct(column):
        return join_notes(*dict.fromkeys(a[column] for a in accounts if a[column]))

    return {
        "level": "platform", "platform": platform, "account_id": None,
        "account_name": f"{len(accounts)} account(s)", "is_simulated": all(a["is_simulated"] for a in accounts),
        "complete_through": min(through) if through else None,
        "activity_source": distinct("activity_source"), "activity_from": min(
            (a["activity_from"] for a in accounts if a["activity_from"]), default=None),
        "followers_source": distinct("followers_source"),
        "followers_from": min((a["followers_from"] for a in accounts if a["followers_from"]), default=None),
        "post_metrics_source": distinct("post_metrics_source"),
        "tracked_since": min((a["tracked_since"] for a in accounts if a["tracked_since"]), default=None),
        "last_synced_at": max((a["last_synced_at"] for a in accounts if a["last_synced_at"]), default=None),
        "complete_days": sum(a["complete_days"] for a in accounts),
        "period_days": sum(a["period_days"] for a in accounts),
        "is_partial": any(a["is_partial"] for a in accounts),
        "estimated": distinct("estimated") if any(a["estimated"] != "nothing" for a in accounts) else "nothing",
        "not_yet_reported": None, "unknown_days": None,
        "note": note,
    }


def sentence(row: dict) -> str:
    """'YouTube: data complete through 2026-11-13; 14–15 Nov not yet reported.'"""
    name = title(row["platform"])
    if row["note"] == "complete":
        return f"{name}: data complete for every day of the period."
    if row["note"].startswith("complete through"):
        return f"{name}: data {row['note']}."
    return f"{name}: {row['note']}."


def build(ctx: Ctx) -> dict:
    """{'rows': platform and account rows, 'lines': one sentence per platform, 'accounts': by key,
    'simulated': the simulated-data notice}."""
    accounts = [_account_row(r, ctx.by_posts) for r in ctx.rows(COVERAGE)]
    rows, lines = [], []
    for platform, group in groupby(accounts, key=lambda a: a["platform"]):
        group = list(group)
        platform_row = _platform_row(platform, group)
        rows += [platform_row, *group]
        lines.append(sentence(platform_row))
    simulated = sum(1 for a in accounts if a["is_simulated"])
    return {
        "rows": [{k: v for k, v in r.items() if k != "_key"} for r in rows],
        "lines": lines,
        "accounts": {a["_key"]: a for a in accounts},
        "simulated": {"contains_simulated_data": simulated > 0, "simulated_accounts": simulated,
                      "accounts": len(accounts)},
    }
