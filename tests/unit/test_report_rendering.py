"""Rendering without a database: the PDF carries real chart images and the CSV's numbers; the
summary has totals, change, best post and best time; deliveries without secrets are skipped."""

import csv
import re
from datetime import UTC, date, datetime, timedelta

from pypdf import PdfReader

from reporting.collect import ReportData
from reporting.config import Branding, Delivery
from reporting.delivery import deliver
from reporting.insights import build_insights, highlights, summary_text
from reporting.metrics import definitions_for
from reporting.periods import Period
from reporting.render_csv import write_tables
from reporting.render_pdf import build_pdf

PERIOD = Period(date(2026, 11, 9), date(2026, 11, 15))


def sample() -> ReportData:
    days = [PERIOD.end - timedelta(days=i) for i in range(29, -1, -1)]
    tables = {
        "daily_trend": [{"metric_date": d, "views": 1000 + i, "engagements": 50 + i, "engagement_rate": 5.0}
                        for i, d in enumerate(days)],
        "platforms": [{"platform": "youtube", "posts_published": 3, "views": 12345, "engagements": 678,
                       "engagement_rate": 5.4921},
                      {"platform": "tiktok", "posts_published": 2, "views": 2000, "engagements": 50,
                       "engagement_rate": 2.5}],
        "top_posts": [{"rank": 1, "post_key": "youtube:a", "platform": "youtube", "account_id": "UC1",
                       "format": "short", "title": "Paella in 60 seconds", "published_date": date(2026, 11, 10),
                       "views": 5000, "engagements": 400, "engagement_rate": 8.0, "permalink": "https://x/a"}],
        "audience_growth": [{"metric_date": d, "platform": "youtube", "followers": 1000 + i, "followers_net": 1}
                            for i, d in enumerate(days)],
        "posting_times": [{"weekday": 2, "weekday_name": "Tuesday", "hour": 18, "posts": 2, "views": 900,
                           "engagements": 90, "engagement_rate": 10.0}],
        "formats": [{"format": "short", "views": 9000, "engagements": 700, "engagement_rate": 7.7778,
                     "posts_published": 4}],
    }
    totals = {"posts_published": 5, "views": 14345, "engagements": 728, "engagement_rate": 5.075,
              "followers": 1029, "followers_net": 7}
    previous = {"posts_published": 4, "views": 12000, "engagements": 700, "engagement_rate": 5.8333,
                "followers": 1022, "followers_net": 5}
    comparison = [{"metric": k, "current": v, "previous": previous[k], "change": v - previous[k],
                   "change_pct": round((v - previous[k]) / previous[k] * 100, 2)} for k, v in totals.items()]
    data = ReportData("performance", PERIOD, list(totals), totals, previous, comparison, tables,
                      definitions=definitions_for(list(totals)))
    data.highlights = highlights(data)
    data.insights = build_insights(data)
    return data


META = {"title": "Weekly performance report", "workspace_name": "Test WS", "timezone": "Europe/Madrid",
        "period_start": "2026-11-09", "period_end": "2026-11-15", "generated_at": datetime.now(UTC).isoformat(),
        "run_id": "abcdef123456", "filters": {}}


def test_pdf_has_six_charts_and_the_csv_totals(tmp_path):
    data = sample()
    write_tables(data, META, tmp_path)
    build_pdf(data, META, Branding(name="Brand X"), tmp_path / "report.pdf")
    reader = PdfReader(tmp_path / "report.pdf")
    assert sum(len(page.images) for page in reader.pages) == 6
    text = " ".join(page.extract_text() for page in reader.pages)
    [totals] = list(csv.DictReader((tmp_path / "summary.csv").open()))
    plain = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    for key in ("views", "engagements", "posts_published", "followers"):
        assert totals[key] in plain
    assert "5.08%" in text and "Brand X" in text and "Paella in 60 seconds" in text
    assert reader.metadata.title == "Weekly performance report"


def test_summary_text_has_totals_change_best_post_and_time():
    text = summary_text(sample(), "Weekly performance report", "Test WS")
    assert "Views: 14,345 (+19.5% vs previous period)" in text
    assert "Engagement rate: 5.08% (-0.76 pt vs previous period)" in text
    assert "Best post: \u201cPaella in 60 seconds\u201d (youtube, 8.00% engagement rate, 5,000 views)" in text
    assert "Best time to post: Tuesday 18:00" in text


def test_delivery_without_its_env_vars_is_skipped_not_sent():
    targets = [Delivery(name="s", kind="slack", url_env="UNSET_HOOK_VAR"),
               Delivery(name="t", kind="telegram", token_env="UNSET_TOKEN", chat_id_env="UNSET_CHAT"),
               Delivery(name="other", kind="slack", url_env="X_HOOK", reports=["another_report"])]
    outcomes = deliver("weekly_performance", "hi", targets, env={})
    assert outcomes == [
        {"target": "s", "kind": "slack", "status": "skipped", "detail": "UNSET_HOOK_VAR is not set"},
        {"target": "t", "kind": "telegram", "status": "skipped", "detail": "UNSET_TOKEN is not set"},
    ]
