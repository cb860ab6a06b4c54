"""The PDF part of the recommendations section: per account, one line per insight, surest first — the
claim, its confidence in words and as a score, the evidence in short; the first `PDF_ROWS` per account,
then how many more recommendations.csv has."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph, Spacer

from reporting.pdf_layout import section_head

PDF_ROWS = 6
CAPTION = ("Confidence = the probability that the claimed effect is real and points the claimed way (high \u2265 "
           "0.9, medium \u2265 0.7, low below); evidence = posts compared, the effect as a ratio of engagement "
           "rates and its 95 % interval. Each line holds until its valid-until date.")


def line(row: dict) -> str:
    """'<b>high 0.97</b> · Post on … — 52 posts vs 98: 1.45× (95 % 1.30–1.61×) · until 2026-11-27' (markup)."""
    until = f" \u00b7 until {row['valid_until']:%Y-%m-%d}" if row["valid_until"] else ""
    evidence = f" \u2014 {escape(row['evidence'])}" if row["evidence"] else ""
    return f"<b>{escape(row['confidence'])}</b> \u00b7 {escape(row['text'])}{evidence}{until}"


def recommendations_part(data, branding, st) -> list:
    if "recommendations" not in data.tables:
        return []
    rows = data.tables["recommendations"]
    story = section_head("Recommendations", data, "recommendations", CAPTION, st)
    accounts: dict[tuple, list[dict]] = {}
    for row in rows:
        accounts.setdefault((row["platform"], row["account_name"] or row["account_id"] or "all accounts"), []).append(row)
    for (platform, name), mine in accounts.items():
        story += [Spacer(1, 4), Paragraph(escape(f"{name} ({platform})"), st["h2"])]
        story += [Paragraph("\u2022 " + line(row), st["small"]) for row in mine[:PDF_ROWS]]
        if len(mine) > PDF_ROWS:
            story.append(Paragraph(f"\u2026 and {len(mine) - PDF_ROWS} more in recommendations.csv.", st["note"]))
    return story
