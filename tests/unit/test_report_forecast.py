"""The forecast and anomalies sections rendered without a database: the CSV is the forecast rows as
given, the JSON has them and the sections' status, the PDF prints the chart caption (model, backtest
vs seasonal naive, bands), the 7/30/90-day values with their 80 % intervals, the reason of a missing
forecast (never 0) and the anomalies most severe first with "and K more"."""

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta

from PIL import Image
from pypdf import PdfReader

from reporting.charts_forecast import account_chart, compact
from reporting.collect import TABLE_VIEWS, ReportData
from reporting.config import Branding
from reporting.insights import build_insights
from reporting.pdf_insights import caption, number
from reporting.periods import Period
from reporting.render_csv import write_tables
from reporting.render_json import document
from reporting.render_pdf import build_pdf
from reporting.sections import anomalies, forecast

PERIOD = Period(date(2026, 11, 9), date(2026, 11, 15))
HISTORY_END = date(2026, 11, 17)
ACCOUNTS = [{"platform": "youtube", "account_id": "UC1", "account_name": "Kitchen"},
            {"platform": "youtube", "account_id": "UC2", "account_name": "Garden"}]
META = {"title": "Weekly growth report", "workspace_name": "Test WS", "timezone": "Europe/Madrid",
        "period_start": "2026-11-09", "period_end": "2026-11-15", "generated_at": datetime.now(UTC).isoformat(),
        "run_id": "abcdef123456", "filters": {}}
NO_FORECAST = "no forecast for this series in the latest forecasts (made on 2026-11-20): 9 known day(s) of history"


def forecast_rows(account: dict, metric: str, level: float, slope: float) -> list[dict]:
    """90 days of a straight-line forecast whose intervals widen with the horizon (as a model's would)."""
    rows = []
    for h in range(1, 91):
        point = level + slope * h
        rows.append({**account, "metric": metric, "made_on": date(2026, 11, 20), "history_start": date(2026, 7, 13),
                     "history_end": HISTORY_END, "history_days": 128, "target_date": HISTORY_END + timedelta(days=h),
                     "horizon_days": h, "point": point, "lower_80": point - 3 * h ** 0.5,
                     "upper_80": point + 3 * h ** 0.5, "lower_95": point - 5 * h ** 0.5,
                     "upper_95": point + 5 * h ** 0.5, "model": "AutoETS", "backtest_horizon_days": 30,
                     "backtest_windows": 3, "backtest_smape": 1.234, "backtest_mase": 0.812,
                     "baseline_smape": 2.345, "baseline_mase": 1.0, "note": None})
    return rows


def anomaly(i: int, severity: float, reason: str, level: str = "account") -> dict:
    return {"level": level, "platform": "youtube", "account_id": "UC1", "account_name": "Kitchen",
            "post_id": "v1" if level == "post" else None, "post_title": "Paella" if level == "post" else None,
            "metric": "views", "observed_on": date(2026, 11, 9) + timedelta(days=i % 7), "direction": "spike",
            "value": 4800.0, "expected": 1000.0, "lower_bound": 600.0, "upper_bound": 1400.0, "ratio": 4.8,
            "score": severity, "severity": severity, "likely_cause": None, "reason": reason, "method": "robust_z",
            "detected_at": datetime(2026, 11, 20, 12, tzinfo=UTC), "anomaly_id": f"a{i}"}


def sample(anomaly_rows: list[dict]) -> ReportData:
    kitchen = forecast_rows(ACCOUNTS[0], "followers", 1000, 2) + forecast_rows(ACCOUNTS[0], "views", 5000, 0)
    by_series = {}
    for row in kitchen:
        by_series.setdefault(row["metric"], []).append(row)
    summary = [forecast.summary_row(1, ACCOUNTS[0], m, by_series[m], None) for m in forecast.METRICS]
    summary += [forecast.summary_row(2, ACCOUNTS[1], m, [], NO_FORECAST) for m in forecast.METRICS]
    history = [{"platform": "youtube", "account_id": a["account_id"], "metric": m, "metric_date": day, "value": v}
               for a, span in ((ACCOUNTS[0], 60), (ACCOUNTS[1], 9))
               for i, day in enumerate(HISTORY_END - timedelta(days=n) for n in range(span - 1, -1, -1))
               for m, v in (("followers", 880 + 2 * i), ("views", 5000 + 300 * (day.weekday() >= 5)))]
    tables = {"forecast_summary": summary, "forecasts": [{k: r[k] for k in r} for r in kitchen],
              "forecast_history": history, "anomalies": anomaly_rows}
    data = ReportData("growth", PERIOD, ["followers"], {}, [], tables,
                      notes={"forecast": {"status": "ok", "series": 4, "series_with_forecast": 2},
                             "anomalies": {"status": "ok", "message": f"{len(anomaly_rows)} anomalies detected."}})
    data.insights = build_insights(data)
    return data


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_csv_is_the_forecast_rows_and_the_summary_reads_7_30_90_days(tmp_path):
    data = sample([])
    write_tables(data, META, tmp_path)
    written = list(csv.DictReader((tmp_path / "forecasts.csv").open()))
    given = data.tables["forecasts"]
    assert len(written) == len(given) == 180
    for row, source in zip(written, given, strict=True):
        assert {k: str(v) if v is not None else "" for k, v in source.items()} == row
    summary = {(r["account_id"], r["metric"]): r for r in csv.DictReader((tmp_path / "forecast_summary.csv").open())}
    followers = summary[("UC1", "followers")]
    for h in (7, 30, 90):  # the row at that horizon, not any other
        assert float(followers[f"point_{h}d"]) == 1000 + 2 * h
        assert float(followers[f"lower_80_{h}d"]) == 1000 + 2 * h - 3 * h ** 0.5
        assert followers[f"target_date_{h}d"] == str(HISTORY_END + timedelta(days=h))
    missing = summary[("UC2", "views")]
    assert missing["has_forecast"] == "False" and missing["point_30d"] == "" and missing["note"] == NO_FORECAST
    assert not (tmp_path / "anomalies.csv").exists()  # no rows, no file (the JSON says why)


def test_json_has_the_tables_and_the_section_status():
    data = sample([anomaly(1, 6.2, "views 4.8× the expected 1,000 for a Tuesday")])
    doc = json.loads(json.dumps(document(data, META, ""), default=str))
    assert doc["sections"]["forecast"]["status"] == "ok"
    nested = {(f["account_id"], f["metric"]): f for f in doc["tables"]["forecasts"]}  # per series, then per day
    assert set(nested) == {("UC1", "followers"), ("UC1", "views")}
    followers = nested[("UC1", "followers")]
    assert followers["model"] == "AutoETS" and followers["backtest_smape"] == 1.234 and len(followers["days"]) == 90
    day = dict(zip(followers["columns"], followers["days"][29], strict=True))
    given = data.tables["forecasts"][29]
    assert day == {k: str(given[k]) if k == "target_date" else given[k] for k in followers["columns"]}
    assert doc["tables"]["anomalies"][0]["reason"] == "views 4.8× the expected 1,000 for a Tuesday"
    assert doc["views"]["forecasts"].startswith("Forecast") and doc["views"]["anomalies"].startswith("Anomalies")
    assert TABLE_VIEWS["forecast_history"] == "forecast_history"


def test_pdf_prints_the_caption_the_values_and_the_missing_forecast(tmp_path):
    reasons = [f"views {k + 2}.5× the expected 1,000 for a Monday" for k in range(20)]
    rows = [anomaly(k, 30 - k, reason, "post" if k == 0 else "account") for k, reason in enumerate(reasons)]
    data = sample(rows)
    build_pdf(data, META, Branding(), tmp_path / "report.pdf")
    text = pdf_text(tmp_path / "report.pdf")
    flat = re.sub(r"\s+", " ", text)
    assert "80 % of the time the true value should fall in the dark band" in flat
    assert ("Followers: model AutoETS; backtest (3 window(s) of 30 days): sMAPE 1.2% vs 2.3% for seasonal naive, "
            "MASE 0.81 vs 1") in flat
    assert "fit on 128 day(s) of history (2026-07-13 to 2026-11-17)" in flat
    point_30 = 1000 + 2 * 30
    assert f"{point_30:,} ({point_30 - 3 * 30 ** 0.5:,.0f} – {point_30 + 3 * 30 ** 0.5:,.0f}) on 2026-12-17" in flat
    assert "Views: " + NO_FORECAST in flat  # the reason, not a 0
    shown = reasons[:anomalies.PDF_ROWS]
    assert all(r in flat for r in shown) and not any(r in flat for r in reasons[anomalies.PDF_ROWS:])
    assert flat.index(shown[0]) < flat.index(shown[1]) < flat.index(shown[-1])  # most severe first
    assert f"and {len(reasons) - anomalies.PDF_ROWS} more in anomalies.csv" in flat
    assert "post “Paella” of Kitchen" in flat
    pages = PdfReader(tmp_path / "report.pdf").pages
    assert sum(len(p.images) for p in pages) == 2  # one chart per charted account (2 accounts)


def test_no_anomalies_and_absent_forecasts_are_said(tmp_path):
    data = sample([])
    note = "no forecast: forecasts have not been computed yet (marts.mart_forecasts does not exist)"
    data.tables["forecast_summary"] = [forecast.summary_row(1, ACCOUNTS[0], m, [], note) for m in forecast.METRICS]
    data.tables["forecasts"], data.tables["forecast_history"] = [], []
    data.notes = {"forecast": {"status": "absent"},
                  "anomalies": {"status": "ok", "message": "No anomalies detected in this period."}}
    build_pdf(data, META, Branding(), tmp_path / "report.pdf")
    flat = re.sub(r"\s+", " ", pdf_text(tmp_path / "report.pdf"))
    assert "No forecast: forecasts have not been computed yet (marts.mart_forecasts does not exist)." in flat
    assert "No anomalies detected in this period." in flat
    assert sum(len(p.images) for p in PdfReader(tmp_path / "report.pdf").pages) == 0  # no empty chart


def test_chart_draws_history_and_bands_or_nothing():
    assert account_chart({"followers": ([], []), "views": ([], [])}, (PERIOD.start, PERIOD.end),
                         ("#112233", "#445566")) is None
    data = sample([])
    history = [(r["metric_date"], r["value"]) for r in data.tables["forecast_history"]
               if r["account_id"] == "UC1" and r["metric"] == "followers"]
    image = account_chart({"followers": (history, data.tables["forecasts"][:90]), "views": (history, [])},
                          (PERIOD.start, PERIOD.end), ("#112233", "#445566"))
    width, height = Image.open(io.BytesIO(image)).size
    assert width > 2 * height > 0


def test_numbers_and_axis_labels():
    assert number(None) == "—" and number(1234.56) == "1,235" and number(0.812) == "0.81" and number(1.0) == "1"
    assert compact(1250) == "1.25k" and compact(3_400_000) == "3.4M" and compact(12) == "12"
    row = forecast.summary_row(1, ACCOUNTS[0], "views", [], "no forecast: x")
    assert caption(row) == "Views: no forecast: x."
    short = forecast.summary_row(1, ACCOUNTS[0], "followers", [r | {"backtest_smape": None, "note": "short history"}
                                 for r in forecast_rows(ACCOUNTS[0], "followers", 10, 0)], None)
    assert "no backtest (history too short)" in caption(short) and caption(short).endswith("Note: short history.")


def test_window_covers_the_period_and_60_days_before_the_forecast():
    params = {"start": date(2026, 7, 1), "end": date(2026, 10, 31)}  # longer than 60 days: the whole period
    assert forecast.window(params, []) == (date(2026, 7, 1), date(2026, 10, 31))
    params = {"start": date(2026, 10, 1), "end": date(2026, 10, 31)}
    assert forecast.window(params, []) == (date(2026, 10, 31) - timedelta(days=59), date(2026, 10, 31))
    start, end = forecast.window(params, [{"history_end": date(2026, 12, 20)}])  # a later forecast: to its start
    assert (start, end) == (date(2026, 10, 1), date(2026, 12, 20))
    start, end = forecast.window({"start": date(2026, 12, 1), "end": date(2026, 12, 7)},
                                 [{"history_end": date(2026, 12, 9)}])
    assert end == date(2026, 12, 9) and (end - start).days + 1 == forecast.HISTORY_DAYS
    assert forecast.window({"start": date(2026, 11, 9), "end": date(2026, 11, 15)}, [])[0] == date(2026, 9, 17)
