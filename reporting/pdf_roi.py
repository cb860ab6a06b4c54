"""The PDF page of the comparison report's "ROI by platform" (reporting/sections/roi.py): one row per
month, platform and currency; unknown prints "—", a platform month without any declared cost prints
"— (no costs declared)", never 0."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph, Spacer

from reporting.insights import UNKNOWN
from reporting.pdf_layout import column_table, section_head
from reporting.sections.roi import NO_COSTS

COLUMNS = (("month", "month", 0.9), ("where", "platform", 1.4), ("currency", "cur.", 0.6),
           ("total_cost", "total cost", 1.5), ("cost_per_1000_views", "per 1k views", 1.0),
           ("cost_per_engagement", "per engagement", 1.0), ("cost_per_follower", "per follower gained", 1.1),
           ("accounts", "accounts with / without cost", 1.1), ("days", "complete days", 1.0))
DEFINITION = ("Costs are those declared in costs.yaml per account and month (fixed, production per post × posts "
              "published that month, ad spend). The yardsticks divide the cost of the month's complete days "
              "(total cost × complete days ÷ days, so a month still running is not charged in full against part of "
              "its results): per 1,000 views = that cost ÷ views × 1,000; per engagement = that cost ÷ "
              "engagements; per follower gained = that cost ÷ net followers gained; views, engagements and "
              "followers over the complete days. \u2014 means unknown: no cost declared, or no (or no positive) "
              "denominator.")


def money(value) -> str:
    return UNKNOWN if value is None else f"{value:,.2f}"


def cells(row: dict) -> dict:
    where = row["platform_title"] + (f" · {row['account_id']}" if row.get("account_id") else "")
    total = money(row["total_cost"]) if row["total_cost"] is not None else f"{UNKNOWN} ({NO_COSTS})"
    accounts = ("" if row["accounts_with_cost"] is None else
                f"{row['accounts_with_cost']} / {row['accounts_without_cost']}")
    return {"month": row["month"], "where": where, "currency": row["currency"] or UNKNOWN, "total_cost": total,
            "cost_per_1000_views": money(row["cost_per_1000_views"]),
            "cost_per_engagement": money(row["cost_per_engagement"]),
            "cost_per_follower": money(row["cost_per_follower"]), "accounts": accounts,
            "days": f"{row['complete_days']} / {row['days']}"}


def roi_part(data, branding, st) -> list:
    if "roi" not in data.tables:
        return []
    rows = data.tables["roi"]
    story = section_head("ROI by platform", data, "roi", DEFINITION, st, empty="No ROI rows.")
    if not rows:
        return story
    story += [Spacer(1, 4), column_table(COLUMNS, [cells(r) for r in rows], branding, st)]
    notes_by_row = [f"{r['month']} {cells(r)['where']}{' ' + r['currency'] if r['currency'] else ''}: {r['note']}"
                    for r in rows if r["note"]]
    story += [Paragraph(escape(n), st["note"]) for n in notes_by_row]
    return story
