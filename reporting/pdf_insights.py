"""The PDF pages of the forecast and anomalies sections.

Forecast: one block per charted account (the chart, a caption per metric — model, backtest error
vs seasonal naive, history, note — and the 7/30/90-day values with their 80 % intervals).
Anomalies: the most severe first, at most `PDF_ROWS`, then how many more `anomalies.csv` has.
Unknown prints "—"; a missing forecast prints its reason, never 0.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.platypus import Image, KeepTogether, Paragraph, Spacer

from reporting.charts_forecast import account_chart
from reporting.insights import UNKNOWN
from reporting.pdf_layout import WIDTH, column_table, section_head, table
from reporting.sections.anomalies import PDF_ROWS
from reporting.sections.forecast import HORIZONS, METRICS

BANDS = ("Solid line: observed values (complete days only). Dashed: the point forecast. Dark band: the 80 % "
         "prediction interval \u2014 80 % of the time the true value should fall in the dark band; light band: "
         "the 95 % interval (95 % of the time). Grey: the report's period.")


def number(value) -> str:
    """Counts and forecasts: whole numbers with separators (the CSV keeps the exact value)."""
    if value is None:
        return UNKNOWN
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


def _pct(value) -> str:
    return UNKNOWN if value is None else f"{value:.1f}%"


def _ratio(value) -> str:
    return UNKNOWN if value is None else f"{value:.2f}".rstrip("0").rstrip(".") + "\u00d7"


def caption(row: dict) -> str:
    """'Followers: AutoETS; backtest (3 windows of 30 days) sMAPE 1.2% vs 2.3% for seasonal naive, …'"""
    name = row["metric"].capitalize()
    if not row["has_forecast"]:
        return f"{name}: {row['note']}."
    if row["backtest_smape"] is None:
        backtest = "no backtest (history too short)"
    else:
        backtest = (f"backtest ({row['backtest_windows']} window(s) of {row['backtest_horizon_days']} days): "
                    f"sMAPE {_pct(row['backtest_smape'])} vs {_pct(row['baseline_smape'])} for seasonal naive, "
                    f"MASE {number(row['backtest_mase'])} vs {number(row['baseline_mase'])}")
    text = (f"{name}: model {row['model']}; {backtest}; fit on {row['history_days']} day(s) of history "
            f"({row['history_start']} to {row['history_end']}), forecast made on {row['made_on']}.")
    return text + (f" Note: {row['note']}." if row.get("note") else "")


def _values_table(rows: list[dict], branding, st):
    header = [Paragraph("<b>metric</b>", st["head"])] + [Paragraph(f"<b>in {h} days: point (80 % interval)</b>",
                                                                   st["head"]) for h in HORIZONS]
    body = []
    for row in rows:
        cells = [Paragraph(escape(row["metric"]), st["cell"])]
        for h in HORIZONS:
            if row[f"point_{h}d"] is None:
                cells.append(Paragraph(UNKNOWN, st["cell"]))
                continue
            cells.append(Paragraph(f"<b>{number(row[f'point_{h}d'])}</b> ({number(row[f'lower_80_{h}d'])} \u2013 "
                                   f"{number(row[f'upper_80_{h}d'])}) on {row[f'target_date_{h}d']}", st["cell"]))
        body.append(cells)
    return table([header, *body], branding, [WIDTH * 0.16] + [WIDTH * 0.28] * len(HORIZONS))


def _account_block(key: tuple, rows: list[dict], data, branding, st) -> list:
    platform, account_id = key
    history = data.tables.get("forecast_history", [])
    forecasts = data.tables.get("forecasts", [])
    series = {m: ([(h["metric_date"], h["value"]) for h in history
                   if (h["platform"], h["account_id"], h["metric"]) == (platform, account_id, m)],
                  [f for f in forecasts if (f["platform"], f["account_id"], f["metric"]) == (platform, account_id, m)])
              for m in METRICS}
    title = f"{rows[0]['account_name']} ({platform})"
    image = account_chart(series, (data.period.start, data.period.end), (branding.primary_color, branding.accent_color))
    part = [Paragraph(escape(title), st["h2"])]
    if image:
        part += [Image(io.BytesIO(image), width=WIDTH, height=WIDTH * 0.36, kind="proportional"), Spacer(1, 2)]
    part += [Paragraph(escape(caption(row)), st["small"]) for row in rows]
    if any(row["has_forecast"] for row in rows):
        part += [Spacer(1, 3), _values_table(rows, branding, st)]
    return [KeepTogether(part), Spacer(1, 8)]


def forecast_part(data, branding, st) -> list:
    summary = data.tables.get("forecast_summary")
    if summary is None:
        return []
    notes = data.notes.get("forecast", {})
    story = [Paragraph("Forecast", st["h1"]),
             Paragraph(f"<b>{escape(data.table_views['forecast_summary'])}.</b> Followers (the count at the end of "
                       "each day) and views per day, 1 to 90 days past the last complete day. " + escape(BANDS),
                       st["caption"]), Spacer(1, 3)]
    if notes.get("status") in ("absent", "empty") or not summary:
        message = summary[0]["note"] if summary else "no accounts in scope"
        return story + [Paragraph(escape(message[0].upper() + message[1:] + "."), st["body"])]
    charted = [r for r in summary if r["is_charted"]]
    story.append(Paragraph(escape(
        f"Charts: the {len(charted) // len(METRICS)} account(s) with the most followers at the period end; "
        f"forecast_summary.csv has every account ({notes.get('series_with_forecast', 0)} of "
        f"{notes.get('series', 0)} series with a forecast) and forecasts.csv every forecast day."), st["note"]))
    accounts: dict[tuple, list[dict]] = {}
    for row in charted:
        accounts.setdefault((row["platform"], row["account_id"]), []).append(row)
    for key, rows in accounts.items():
        story += _account_block(key, rows, data, branding, st)
    return story


ANOMALY_COLUMNS = (("observed_on", "day", 1.5), ("where", "account / post", 2.1), ("metric", "metric", 1.0),
                   ("direction", "direction", 1.2), ("value", "value", 0.9), ("expected", "expected", 1.2),
                   ("ratio", "ratio", 0.7), ("severity", "severity", 1.05), ("reason", "reason", 3.4))


def _anomaly_cells(row: dict) -> dict:
    where = row["account_name"] or row["account_id"]
    if row["level"] == "post":
        where = f"post \u201c{(row['post_title'] or row['post_id'] or '')[:50]}\u201d of {where}"
    direction = row["direction"] + (f" ({row['likely_cause']})" if row.get("likely_cause") else "")
    return {"observed_on": str(row["observed_on"]), "where": f"{where} ({row['platform']})", "metric": row["metric"],
            "direction": direction, "value": number(row["value"]), "expected": number(row["expected"]),
            "ratio": _ratio(row["ratio"]), "severity": f"{row['severity']:.1f}", "reason": row["reason"]}


def anomalies_part(data, branding, st) -> list:
    if "anomalies" not in data.tables:
        return []
    rows = data.tables["anomalies"]
    story = section_head("Anomalies", data, "anomalies", "Most severe first (severity: how far outside the normal "
                         "range, in robust standard deviations). Value and expected are in the metric's unit per "
                         "day; ratio = value \u00f7 expected.", st, empty="No anomalies detected in this period.")
    if not rows:
        return story
    shown = [_anomaly_cells(r) for r in rows[:PDF_ROWS]]
    story += [Spacer(1, 4), column_table(ANOMALY_COLUMNS, shown, branding, st)]
    if len(rows) > len(shown):
        story.append(Paragraph(f"\u2026 and {len(rows) - len(shown)} more in anomalies.csv.", st["note"]))
    return story
