"""The PDF part of the recycling section: per account, its best candidates with the score's parts
and the reason; the first `PDF_ROWS` per account, then how many more recycling.csv has.
Unknown prints "—" (a part left out of the score), never 0."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph, Spacer

from reporting.insights import UNKNOWN
from reporting.pdf_layout import column_table, section_head
from reporting.sections.recycling import PDF_ROWS

COLUMNS = (("rank", "#", 0.4), ("post", "post", 2.4), ("score", "score", 0.7), ("engagement_part", "engage-<br/>ment", 0.8),
           ("still_arriving_part", "still<br/>arriving", 0.8), ("timeless_part", "timeless", 0.8),
           ("last_ran_part", "last<br/>ran", 0.7), ("reason", "reason", 4.0))


def _part(value) -> str:
    return UNKNOWN if value is None else f"{value:.2f}"


def _cells(row: dict) -> dict:
    title = (row["title"] or row["post_id"] or "")[:60]
    published = row["published_at"].date().isoformat() if row["published_at"] else UNKNOWN
    return {"rank": str(row["rank_in_account"]), "post": f"{title} ({row['format'] or UNKNOWN}, {published})",
            "score": _part(row["score"]), "engagement_part": _part(row["engagement_part"]),
            "still_arriving_part": _part(row["still_arriving_part"]), "timeless_part": _part(row["timeless_part"]),
            "last_ran_part": _part(row["last_ran_part"]), "reason": row["reason"]}


def recycling_part(data, branding, st) -> list:
    if "recycling" not in data.tables:
        return []
    rows = data.tables["recycling"]
    story = section_head("Content to recycle", data, "recycling", "Posts older than the minimum age, best first per "
                         "account. Each part is 0\u20131 (1 = best for recycling); the score is their weighted mean "
                         "over the known parts (\u2014: unknown, left out).", st)
    accounts: dict[tuple, list[dict]] = {}
    for row in rows:
        accounts.setdefault((row["platform"], row["account_name"] or row["account_id"]), []).append(row)
    for (platform, name), mine in accounts.items():
        story += [Spacer(1, 4), Paragraph(escape(f"{name} ({platform})"), st["h2"]),
                  column_table(COLUMNS, [_cells(r) for r in mine[:PDF_ROWS]], branding, st)]
        if len(mine) > PDF_ROWS:
            story.append(Paragraph(f"\u2026 and {len(mine) - PDF_ROWS} more in recycling.csv.", st["note"]))
    return story
