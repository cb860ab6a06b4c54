"""The PDF page of the benchmarking section: one table per grain (week, month), own accounts and
competitors side by side per platform. Unknown prints "—", never 0 (growth is unknown until a
competitor has two snapshots)."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph, Spacer

from reporting.insights import UNKNOWN
from reporting.pdf_insights import number
from reporting.pdf_layout import column_table

COLUMNS = (("who", "account", 2.4), ("followers", "followers", 1.1), ("growth", "growth", 1.1),
           ("posts_per_week", "posts / week", 0.9), ("engagement_per_post", "engagement / post", 1.1),
           ("engagement_rate", "per follower", 1.0), ("format_mix", "formats", 2.2), ("status", "status", 1.0))
EXPLAIN = ("Competitors' numbers are public counts (followers now, each recent post's counters now); growth needs "
           "two snapshots. Engagement adds up the counters the platform makes public (shown per platform) for "
           "own and competitor posts alike; per follower = engagement per post \u00f7 followers.")


def _pct(value, digits: int = 2) -> str:
    return UNKNOWN if value is None else f"{value * 100:.{digits}f}%"


def _mix(text: str | None) -> str:
    if not text:
        return UNKNOWN
    return ", ".join(f"{name} {share * 100:.0f}%" for name, share in
                     sorted(json.loads(text).items(), key=lambda item: -item[1]))


def _cells(row: dict) -> dict:
    growth = UNKNOWN if row["follower_growth"] is None else (
        f"{row['follower_growth']:+,}" + (f" ({_pct(row['follower_growth_pct'], 1)})"
                                          if row["follower_growth_pct"] is not None else ""))
    who = f"{row['platform']} \u2014 {row['account_name'] or row['account_id']}"
    return {"who": who + (" (competitor)" if row["is_competitor"] else ""), "followers": number(row["followers"]),
            "growth": growth, "posts_per_week": number(row["posts_per_week"]),
            "engagement_per_post": number(row["engagement_per_post"]), "engagement_rate": _pct(row["engagement_rate"]),
            "format_mix": _mix(row["format_mix"]),
            "status": row["status"] + (f" since {row['disappeared_on']}" if row["disappeared_on"] else "")}


def benchmarks_part(data, branding, st) -> list:
    if "benchmarks" not in data.tables:
        return []
    rows = data.tables["benchmarks"]
    notes = data.notes.get("benchmarks", {})
    story = [Paragraph("Competitor benchmarks", st["h1"]), Paragraph(escape(EXPLAIN), st["caption"]), Spacer(1, 3),
             Paragraph(escape(notes.get("message") or ""), st["small"])]
    for grain in ("week", "month"):
        chosen = [r for r in rows if r["grain"] == grain]
        if not chosen:
            continue
        bases = sorted({f"{r['platform']}: {r['engagement_base']}" for r in chosen})
        story += [Spacer(1, 6), Paragraph(f"<b>{'ISO week' if grain == 'week' else 'Month'} "
                                          f"{chosen[0]['period_start']} to {chosen[0]['period_end']}</b> "
                                          f"(engagement = {escape('; '.join(bases))})", st["small"])]
        story.append(column_table(COLUMNS, [_cells(r) for r in chosen], branding, st))
    return story
