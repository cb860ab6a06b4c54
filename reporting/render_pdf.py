"""PDF: the document people forward — cover (with the simulated-data notice), executive summary, data
coverage, one part per section of the report type (its view stated, chart, table, row notes), the
forecast and anomalies pages (`pdf_insights.py`), and the definitions.

Built with reportlab's platypus from the same `ReportData` the CSV and JSON render; numbers are
printed with `insights.fmt`, so the PDF shows exactly the CSV's values (with thousands separators).
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
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

from reporting.charts_growth import render_all
from reporting.insights import LABELS, fmt, fmt_change
from reporting.pdf_benchmarks import benchmarks_part
from reporting.pdf_insights import anomalies_part, forecast_part
from reporting.pdf_layout import CAPTIONS, TITLES, WIDTH, cell, column_table, data_table, styles, table
from reporting.pdf_recommendations import recommendations_part
from reporting.pdf_recycling import recycling_part
from reporting.pdf_roi import roi_part

VIEW_NAMES = {"activity": "activity", "content": "content published", "followers": "followers"}


def _box(paragraphs: list, background: str, border: str) -> Table:
    box = Table([[paragraphs]], colWidths=[WIDTH], hAlign="LEFT")
    box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(background)),
                             ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor(border)),
                             ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                             ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return box


def _cover(data, meta, branding, st) -> list:
    story = []
    if branding.logo_path:
        story += [Image(str(branding.logo_path), width=40 * mm, height=20 * mm, kind="proportional"), Spacer(1, 8)]
    filters = meta.get("filters") or {}
    chosen = {k: v for k, v in filters.items() if k in ("platforms", "accounts", "post_formats", "hashtags") and v}
    scope = "; ".join(f"{k.replace('_', ' ')}: {', '.join(map(str, v))}" for k, v in chosen.items())
    scope = scope or "all platforms and accounts"
    story += [
        Spacer(1, 14 * mm),
        Paragraph(escape(meta["title"]), st["cover"]),
        Spacer(1, 4),
        Paragraph(f"<b>{escape(meta['workspace_name'])}</b>", st["h2"]),
        Paragraph(f"Period: <b>{meta['period_start']}</b> to <b>{meta['period_end']}</b> "
                  f"({escape(meta['timezone'])})", st["body"]),
        Paragraph(f"Scope: {escape(scope)}", st["body"]),
        Paragraph(f"Generated {meta['generated_at'][:19].replace('T', ' ')} UTC by {escape(branding.name)} · "
                  f"run {meta['run_id'][:8]}", st["small"]),
        Spacer(1, 3 * mm),
    ]
    sim = data.simulated
    if sim.get("contains_simulated_data"):
        story += [_box([Paragraph(f"<b>Contains simulated data: {sim['simulated_accounts']} of {sim['accounts']} "
                                  "accounts are served by the built-in simulator.</b> Their numbers are synthetic, "
                                  "not a real account's.", st["banner"])], "#FFF1C2", "#E0A800"), Spacer(1, 3 * mm)]
    story += [_box([Paragraph("<b>Two views, named on every table and chart.</b> <b>Activity in the period</b>: what "
                              "happened on the period's days (the platforms' account-level daily reports; complete "
                              "days only). <b>Content published in the period</b>: lifetime results, as of the last "
                              "sync, of the posts published in the period. Unknown values print as \u2014, never 0; "
                              "the Data coverage section says what every number stands on.", st["small"])],
                   "#EEF4F7", "#C9D3D9"), Spacer(1, 2 * mm)]
    return story


def _executive_summary(data, branding, st) -> list:
    rows = [["Metric", "View", "This period", "Compared: this", "Compared: previous", "Change"]]
    for row in data.comparison:
        metric = row["metric"]
        rows.append([LABELS.get(metric, metric), VIEW_NAMES.get(row["view"], row["view"]),
                     fmt(row["current"], metric), fmt(row["compared_current"], metric), fmt(row["previous"], metric),
                     fmt_change(row)])
    bases = list(dict.fromkeys(f"{VIEW_NAMES.get(r['view'], r['view'])}: {r['basis']}" for r in data.comparison))
    story = [Paragraph("Executive summary", st["h1"]),
             table(rows, branding, widths=[34 * mm, 26 * mm, 28 * mm, 28 * mm, 30 * mm, 28 * mm]),
             Paragraph("Change vs the previous period of the same length, like for like \u2014 " + escape(
                 "; ".join(bases)) + ".", st["note"])]
    if data.totals.get("is_partial"):
        story.append(Paragraph(escape(f"Partial data: activity counts complete days only ({data.totals['complete_days']}"
                                      f" of {data.totals['days']} account-days); see Data coverage."), st["note"]))
    story += [Spacer(1, 4), Paragraph("Key insights", st["h2"])]
    story += [Paragraph("• " + escape(text), st["small"]) for text in data.insights]
    return story


COVERAGE_COLUMNS = (("account_name", "platform / account", 1.8), ("complete_through", "complete<br/>through", 1.35),
                    ("complete_days", "complete<br/>days", 1.1), ("note", "missing in the period", 2.8),
                    ("activity_source", "activity", 1.1), ("followers_source", "followers", 1.5),
                    ("post_metrics_source", "post metrics", 1.25), ("estimated", "estimated", 1.15))


def _coverage(data, branding, st) -> list:
    story = [Paragraph("Data coverage", st["h1"]),
             Paragraph("What every number of this report stands on. Activity counts only the days on or before "
                       "each account's complete-through date (the platform no longer changes them); later days "
                       "are named as not yet reported. Content results are lifetime values as of the last sync. "
                       "The sources are explained under Definitions (coverage sources).",
                       st["small"]), Spacer(1, 4)]
    story += [Paragraph("• " + escape(line), st["small"]) for line in data.coverage["lines"]]
    rows = data.coverage["rows"]
    if rows:
        body = []
        for row in rows:
            accounts = [r for r in rows if r["level"] == "account" and r["platform"] == row["platform"]]
            if row["level"] == "platform":
                same = len({a["note"] for a in accounts}) == 1
                values = row | {"account_name": f"{row['platform']} ({row['account_name']})",
                                "note": row["note"] if same else "per account below"}
            else:
                values = row | {"account_name": f"\u2003{row['account_name']}"}
            values["complete_days"] = f"{row['complete_days']}/{row['period_days']}"
            body.append({c: cell(values.get(c), c, limit=None) for c, _, _ in COVERAGE_COLUMNS})
        bold = [i + 1 for i, r in enumerate(rows) if r["level"] == "platform"]
        story += [Spacer(1, 6), column_table(COVERAGE_COLUMNS, body, branding, st, bold)]
    return story


def _sections(data, branding, st, charts: dict) -> list:
    story = []
    for name, rows in data.tables.items():
        if name not in TITLES or not rows:
            continue  # no empty section is printed
        part = [Paragraph(TITLES[name], st["h2"]),
                Paragraph(f"<b>{escape(data.table_views[name])}.</b> {escape(CAPTIONS.get(name, ''))}", st["caption"]),
                Spacer(1, 3)]
        for image in charts.get(name, []):
            part += [Image(io.BytesIO(image), width=WIDTH, height=WIDTH * 0.45, kind="proportional"), Spacer(1, 3)]
        if name in ("daily_trend", "audience_growth", "engagement_trend", "posting_velocity"):
            story += [KeepTogether(part), Spacer(1, 8)]  # charts; every row is in the CSV
            continue
        grid, notes = data_table(name, rows, branding, st)
        extra = [Paragraph(escape(note), st["note"]) for note in notes]
        story += [KeepTogether(part + [grid]), *extra, Spacer(1, 8)]
    return story


def build_pdf(data, meta: dict, branding, path: Path, budget=None) -> Path:
    st = styles(branding)
    charts = render_all(data.tables, (branding.primary_color, branding.accent_color), budget)
    story = _cover(data, meta, branding, st) + _executive_summary(data, branding, st)
    story += [PageBreak(), *_coverage(data, branding, st), PageBreak(), *_sections(data, branding, st, charts)]
    for part in (forecast_part, anomalies_part, recommendations_part, recycling_part, benchmarks_part, roi_part):
        if budget:
            budget.check_time(f"drawing the {part.__name__.removesuffix('_part')} section")
        pages = part(data, branding, st)
        story += [PageBreak(), *pages] if pages else []
    story += [PageBreak(), Paragraph("Definitions", st["h1"])]
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
