"""Rendering without a database: the PDF carries real chart images and the CSV's numbers; unknown values
print as — (PDF) / empty cells with a note (CSV) / null (JSON), never 0; the simulated-data notice appears
exactly when an account is simulated; the summary has totals, change, best post and best time;
deliveries without secrets are skipped."""

import csv
import json
import re
from datetime import UTC, date, datetime, timedelta

from pypdf import PdfReader

from reporting.collect import ReportData
from reporting.config import Branding, Delivery
from reporting.delivery import deliver
from reporting.insights import build_insights, highlights, summary_text
from reporting.metrics import definitions_for, rate
from reporting.periods import Period
from reporting.render_csv import write_tables
from reporting.render_json import document
from reporting.render_pdf import build_pdf
from reporting.sections.common import day_ranges
from reporting.sections.coverage import activity_note

PERIOD = Period(date(2026, 11, 9), date(2026, 11, 15))
X_NOTE = "activity unknown: no account-level daily report; followers unknown at the period end (tracked from " \
         "2026-11-16)"


def coverage(simulated: int = 3) -> dict:
    rows = [{"level": "platform", "platform": "youtube", "account_id": None, "account_name": "2 account(s)",
             "is_simulated": simulated > 0, "complete_through": date(2026, 11, 13), "complete_days": 10,
             "period_days": 14, "is_partial": True, "note": "complete through 2026-11-13; 14–15 Nov not yet reported"},
            {"level": "platform", "platform": "x", "account_id": None, "account_name": "1 account(s)",
             "is_simulated": simulated > 0, "complete_through": None, "complete_days": 0, "period_days": 7,
             "is_partial": True, "note": X_NOTE}]
    return {"rows": rows, "lines": ["YouTube: data complete through 2026-11-13; 14–15 Nov not yet reported."],
            "simulated": {"contains_simulated_data": simulated > 0, "simulated_accounts": simulated, "accounts": 3}}


def sample(simulated: int = 3) -> ReportData:
    days = [PERIOD.end - timedelta(days=i) for i in range(29, -1, -1)]
    tables = {
        "platforms": [{"platform": "youtube", "views": 12345, "engagements": 678, "engagement_rate": 5.4921,
                       "followers": 1029, "followers_net": 7, "posts_published": 3, "content_views": 9000,
                       "content_engagements": 500, "content_engagement_rate": rate(500, 9000),
                       "complete_days": 10, "days": 14, "is_partial": True,
                       "note": "complete through 2026-11-13; 14–15 Nov not yet reported"},
                      {"platform": "x", "views": None, "engagements": None, "engagement_rate": None,
                       "followers": None, "followers_net": None, "posts_published": 2, "content_views": 2000,
                       "content_engagements": 50, "content_engagement_rate": 2.5, "complete_days": 0, "days": 7,
                       "is_partial": True, "note": X_NOTE}],
        "daily_trend": [{"metric_date": d, "views": 1000 + i, "engagements": 50 + i, "engagement_rate": 5.0,
                         "is_partial": i >= 28} for i, d in enumerate(days)],
        "top_posts": [{"rank": 1, "platform": "youtube", "account_id": "UC1", "format": "short",
                       "title": "Paella in 60 seconds", "published_date": date(2026, 11, 10), "views": 5000,
                       "engagements": 400, "engagement_rate": 8.0, "data_as_of": date(2026, 11, 16),
                       "permalink": "https://x/a", "post_key": "youtube:a"}],
        "formats": [{"format": "short", "posts_published": 4, "views": 9000, "engagements": 700,
                     "engagement_rate": 7.7778}],
        "posting_times": [{"platform": "youtube", "account_id": "UC1", "account_name": "Kitchen",
                           "timezone": "Europe/Madrid", "slot_rank": 1, "weekday": 2, "weekday_name": "Tuesday",
                           "hour": 18, "posts": 6, "engagement_rate": 6.1, "account_engagement_rate": 5.0,
                           "lift_pct": 22.0, "confidence": "medium"}],
        "posting_grid": [{"weekday": 2, "hour": 18, "posts": 6, "lift_pct": 22.0},
                         {"weekday": 3, "hour": 9, "posts": 2, "lift_pct": -5.0}],
    }
    totals = {"views": 12345, "engagements": 678, "engagement_rate": 5.4921, "followers": 1029,
              "followers_net": 7, "posts_published": 5, "complete_days": 10, "days": 21, "is_partial": True,
              "note": "partial: activity over complete days only"}
    previous = {"views": 12000, "engagements": 700, "engagement_rate": 5.8333, "followers": 1022,
                "followers_net": 5, "posts_published": 4}
    comparison = [{"metric": k, "view": "activity", "current": totals[k], "compared_current": totals[k],
                   "previous": v, "change": round(totals[k] - v, 4),
                   "change_pct": round((totals[k] - v) / v * 100, 2), "basis": "like for like"}
                  for k, v in previous.items()]
    data = ReportData("performance", PERIOD, list(previous), totals, comparison, tables, coverage=coverage(simulated),
                      definitions=definitions_for(list(previous)))
    data.highlights = highlights(data)
    data.insights = build_insights(data)
    return data


META = {"title": "Weekly performance report", "workspace_name": "Test WS", "timezone": "Europe/Madrid",
        "period_start": "2026-11-09", "period_end": "2026-11-15", "generated_at": datetime.now(UTC).isoformat(),
        "run_id": "abcdef123456", "filters": {}}


def test_pdf_has_the_charts_the_csv_totals_and_the_views(tmp_path):
    data = sample()
    write_tables(data, META, tmp_path)
    build_pdf(data, META, Branding(name="Brand X"), tmp_path / "report.pdf")
    reader = PdfReader(tmp_path / "report.pdf")
    assert sum(len(page.images) for page in reader.pages) == 5  # trend, platforms, top posts, times, formats
    text = "\n".join(page.extract_text() for page in reader.pages)
    [totals] = list(csv.DictReader((tmp_path / "summary.csv").open()))
    plain = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    for key in ("views", "engagements", "posts_published", "followers"):
        assert totals[key] in plain
    assert "5.49%" in text and "Brand X" in text and "Paella in 60 seconds" in text
    assert "Activity in the period" in text and "Content published in the period" in text and "Data coverage" in text
    assert reader.metadata.title == "Weekly performance report"


def test_unknown_prints_as_a_dash_with_its_reason_never_zero(tmp_path):
    data = sample()
    write_tables(data, META, tmp_path)
    [x] = [r for r in csv.DictReader((tmp_path / "platforms.csv").open()) if r["platform"] == "x"]
    assert x["views"] == "" and x["followers"] == "" and x["note"] == X_NOTE and x["content_views"] == "2000"
    assert json.loads(json.dumps(document(data, META, ""), default=str))["tables"]["platforms"][1]["views"] is None
    build_pdf(data, META, Branding(), tmp_path / "report.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "report.pdf").pages)
    assert re.search(r"\nx\n(\u2014\n){5}2\n", text)  # views, engagements, rate, followers, net: —; 2 posts
    assert "x: " + X_NOTE in text.replace("\n", " ")
    coverage_rows = list(csv.DictReader((tmp_path / "coverage.csv").open()))
    assert coverage_rows[1]["complete_through"] == "" and coverage_rows[0]["complete_through"] == "2026-11-13"


def test_simulated_notice_appears_only_with_simulated_accounts(tmp_path):
    for simulated, expected in ((3, True), (0, False)):
        data = sample(simulated)
        build_pdf(data, META, Branding(), tmp_path / "report.pdf")
        cover = PdfReader(tmp_path / "report.pdf").pages[0].extract_text().replace("\n", " ")
        assert ("Contains simulated data: 3 of 3 accounts are served by the built-in simulator" in cover) is expected
        write_tables(data, META, tmp_path)
        [totals] = list(csv.DictReader((tmp_path / "summary.csv").open()))
        assert totals["contains_simulated_data"] == str(expected) and totals["simulated_accounts"] == str(simulated)
        assert document(data, META, "")["metadata"]["contains_simulated_data"] is expected


def test_summary_text_has_totals_change_best_post_time_and_caveats():
    text = summary_text(sample(), "Weekly performance report", "Test WS")
    assert "Views: 12,345 (+2.9% vs previous period)" in text
    assert "Engagement rate: 5.49% (-0.34 pt vs previous period)" in text
    assert "Best post: \u201cPaella in 60 seconds\u201d (youtube, 8.00% engagement rate, 5,000 views" in text
    assert "Best time to post: Tuesday 18:00 (Europe/Madrid) for Kitchen on youtube" in text
    assert "Contains simulated data: 3 of 3 accounts" in text and "Partial data" in text


def test_missing_days_are_named():
    assert day_ranges([date(2026, 11, 14), date(2026, 11, 15), date(2026, 11, 17)]) == "14–15 Nov, 17 Nov"
    assert day_ranges([date(2026, 10, 31), date(2026, 11, 1)]) == "31 Oct – 1 Nov"
    row = {"complete_days": 5, "period_days": 7, "activity_from": date(2025, 1, 1),
           "complete_through": date(2026, 11, 13), "not_final_days": [date(2026, 11, 14), date(2026, 11, 15)],
           "unknown_days": None}
    assert activity_note(row) == "complete through 2026-11-13; 14–15 Nov not yet reported"
    assert activity_note(row | {"complete_days": 7}) is None
    before = row | {"not_final_days": None, "activity_from": date(2026, 11, 11),
                    "unknown_days": [date(2026, 11, 9), date(2026, 11, 10)]}
    assert activity_note(before) == "9–10 Nov before its daily history (from 2026-11-11)"


def test_delivery_without_its_env_vars_is_skipped_not_sent():
    targets = [Delivery(name="s", kind="slack", url_env="UNSET_HOOK_VAR"),
               Delivery(name="t", kind="telegram", token_env="UNSET_TOKEN", chat_id_env="UNSET_CHAT"),
               Delivery(name="other", kind="slack", url_env="X_HOOK", reports=["another_report"])]
    outcomes = deliver("weekly_performance", "hi", targets, env={})
    assert outcomes == [
        {"target": "s", "kind": "slack", "status": "skipped", "detail": "UNSET_HOOK_VAR is not set"},
        {"target": "t", "kind": "telegram", "status": "skipped", "detail": "UNSET_TOKEN is not set"},
    ]
