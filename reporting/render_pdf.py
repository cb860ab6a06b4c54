"""PDF: the document people forward — cover, executive summary, charts, tables, insights, definitions.

Built with reportlab's platypus from the same `ReportData` the CSV and JSON render; numbers are
printed with `insights.fmt`, so the PDF shows exactly the CSV's values (with thousands separators).
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from reporting.charts import render_all
from reporting.insights import LABELS, fmt, fmt_change

MAX_TABLE_ROWS = 25
TABLES = {"platforms": "Platforms", "accounts": "Accounts", "top_posts": "Top content", "formats": "Formats",
          "platform_formats": "Formats by platform", "posting_velocity": "Posting velocity"}
WIDTH = A4[0] - 36 * mm


def _styles(branding):
    base = getSampleStyleSheet()
    primary = colors.HexColor(branding.primary_color)
    return {
        "cover": ParagraphStyle("cover", parent=base["Title"], fontSize=26, leading=32, textColor=primary,
                                alignment=0),
        "h1": ParagraphStyle("h1", parent=base["Heading1"], textColor=primary),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], textColor=primary),
        "body": base["BodyText"],
        "small": ParagraphStyle("small", parent=base["BodyText"], fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=base["BodyText"], fontSize=7, leading=8.5),
        "head": ParagraphStyle("head", parent=base["BodyText"], fontSize=6.5, leading=8, textColor=colors.white),
    }


def _table(rows: list[list], branding, widths=None) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(branding.primary_color)),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F1F5F7")]),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#C9D3D9")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _cell(value, column: str):
    if isinstance(value, int | float) and not isinstance(value, bool) and column not in ("rank", "hour", "weekday"):
        return fmt(value, column)
    text = "" if value is None else str(value)
    return text[:60] + "…" if len(text) > 61 else text


PDF_PRIORITY = ("posts_published", "posts", "views", "engagements", "engagement_rate", "followers",
                "followers_net", "watch_time_minutes", "likes", "comments", "shares")
MAX_COLUMNS = 9
HEADERS = {"posts_published": "posts", "engagement_rate": "eng. rate", "watch_time_minutes": "watch time (min)",
           "followers_net": "net followers", "published_date": "published", "weekday_name": "weekday"}
WIDE = {"title": 3.2, "account_name": 1.6, "published_date": 1.3}


def _columns(rows: list[dict], skip) -> list[str]:
    """Labels first, then the most important metrics: the PDF page has room for ~9 columns (the CSV has all)."""
    columns = [c for c in rows[0] if c not in skip]
    labels = [c for c in columns if c not in PDF_PRIORITY and not isinstance(rows[0][c], int | float)
              or c in ("rank", "hour", "weekday")]
    metrics = sorted((c for c in columns if c not in labels), key=lambda c: (PDF_PRIORITY + (c,)).index(c))
    return (labels + metrics)[:MAX_COLUMNS]


def _data_table(rows: list[dict], branding, st, skip=("permalink", "post_key", "account_id", "weekday")) -> Table:
    columns = _columns(rows, skip)
    body = [[Paragraph(escape(_cell(row.get(c), c)), st["cell"]) for c in columns] for row in rows[:MAX_TABLE_ROWS]]
    header = [Paragraph(f"<b>{HEADERS.get(c, c.replace('_', ' '))}</b>", st["head"]) for c in columns]
    weights = [WIDE.get(c, 1) for c in columns]
    return _table([header, *body], branding, widths=[WIDTH * w / sum(weights) for w in weights])


def _cover(data, meta, branding, st) -> list:
    story = []
    if branding.logo_path:
        story += [Image(str(branding.logo_path), width=40 * mm, height=20 * mm, kind="proportional"), Spacer(1, 8)]
    filters = meta.get("filters") or {}
    chosen = {k: v for k, v in filters.items() if k in ("platforms", "accounts", "post_formats", "hashtags") and v}
    scope = "; ".join(f"{k.replace('_', ' ')}: {', '.join(map(str, v))}" for k, v in chosen.items())
    scope = scope or "all platforms and accounts"
    story += [
        Spacer(1, 16 * mm),
        Paragraph(escape(meta["title"]), st["cover"]),
        Spacer(1, 6),
        Paragraph(f"<b>{escape(meta['workspace_name'])}</b>", st["h2"]),
        Paragraph(f"Period: <b>{meta['period_start']}</b> to <b>{meta['period_end']}</b> "
                  f"({escape(meta['timezone'])})", st["body"]),
        Paragraph(f"Scope: {escape(scope)}", st["body"]),
        Paragraph(f"Generated {meta['generated_at'][:19].replace('T', ' ')} UTC by {escape(branding.name)} · "
                  f"run {meta['run_id'][:8]}", st["small"]),
        Spacer(1, 8 * mm),
    ]
    return story


def _executive_summary(data, branding, st) -> list:
    rows = [["Metric", "This period", "Previous period", "Change"]]
    for row in data.comparison:
        rows.append([LABELS.get(row["metric"], row["metric"]), fmt(row["current"], row["metric"]),
                     fmt(row["previous"], row["metric"]), fmt_change(row)])
    story = [Paragraph("Executive summary", st["h1"]), _table(rows, branding, widths=[55 * mm, 38 * mm, 38 * mm,
                                                                                     30 * mm]),
             Spacer(1, 8), Paragraph("Key insights", st["h2"])]
    story += [Paragraph("• " + escape(text), st["body"]) for text in data.insights]
    return story


def build_pdf(data, meta: dict, branding, path: Path, budget=None) -> Path:
    st = _styles(branding)
    charts = render_all(data.tables, (branding.primary_color, branding.accent_color), budget)
    story = _cover(data, meta, branding, st) + _executive_summary(data, branding, st)
    story += [PageBreak(), Paragraph("Charts", st["h1"])]
    for title, png in charts:
        image = Image(io.BytesIO(png), width=WIDTH, height=WIDTH * 0.45, kind="proportional")
        story.append(KeepTogether([Paragraph(escape(title), st["h2"]), image, Spacer(1, 6)]))
    story.append(PageBreak())
    for name, title in TABLES.items():
        if data.tables.get(name):
            story += [KeepTogether([Paragraph(title, st["h2"]), _data_table(data.tables[name], branding, st)]),
                      Spacer(1, 8)]
    story += [Paragraph("Definitions", st["h1"])]
    story += [Paragraph(f"<b>{escape(k)}</b>: {escape(v)}", st["small"]) for k, v in data.definitions.items()]
    if budget:
        budget.check_time("laying out the PDF")
    _document(path, meta, branding).build(story, onFirstPage=_cover_page(branding), onLaterPages=_footer(branding))
    if budget:
        budget.add_bytes(path.stat().st_size, path.name)
    return path


def _document(path: Path, meta: dict, branding) -> SimpleDocTemplate:
    return SimpleDocTemplate(str(path), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                             bottomMargin=18 * mm, title=meta["title"], author=branding.name,
                             subject=f"{meta['workspace_name']} {meta['period_start']}..{meta['period_end']}")


def _cover_page(branding):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFillColor(colors.HexColor(branding.primary_color))
        canvas.rect(0, A4[1] - 30 * mm, A4[0], 30 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.HexColor(branding.accent_color))
        canvas.rect(0, A4[1] - 33 * mm, A4[0], 3 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont("Helvetica-Bold", 16)
        canvas.drawString(18 * mm, A4[1] - 19 * mm, branding.name)
        canvas.restoreState()
    return draw


def _footer(branding):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor(branding.primary_color))
        canvas.drawString(18 * mm, 10 * mm, branding.name)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"page {doc.page}")
        canvas.restoreState()
    return draw
