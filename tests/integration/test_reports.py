"""Reports against a real warehouse: a first sync of two YouTube channels and one X account
(simulator) + dbt run once for the module, then every report type and format, the two views, the
data coverage, unknown values, the PDF against its CSV, idempotent partitions, the gate, limits,
the cleanup and the summary reaching a local webhook receiver.

After one sync at SIM_NOW (2026-11-20 12:00 UTC) YouTube's account-level days are complete through
2026-11-17 (its daily report settles for 3 days) and X has no account-level activity at all (no
account report; post sums start with the second sync) and followers only from 2026-11-20."""

import csv
import json
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg
import pytest
from pypdf import PdfReader

from reporting.metrics import rate
from reporting.sections.common import day_ranges
from tests.conftest import FIXTURES, SIM_NOW
from tests.helpers import module_database
from tests.integration.test_reports_receiver import Receiver

START, END = date(2026, 11, 18), date(2026, 11, 20)
WEEK, WEEK_LABEL = "2026-11-09", "2026-11-09_2026-11-15"
X_ACCOUNT = """
  x:
    accounts:
      - id: "1500000000000000077"
        name: Test Kitchen on X
        credentials: {bearer_token_env: TEST_X_BEARER}
"""
TOKEN = "123456:telegram-secret-token-xyz"
REPORTS_YAML = """
limits: {{max_report_mb: 50, max_seconds: 120}}
branding: {{name: Test Brand, primary_color: "#112233", accent_color: "#445566"}}
custom:
  - name: kitchen_30d
    date_range: last_30_days
    platforms: [youtube]
    accounts: [UCtestKitchen000000000001]
    metrics: [views, engagements, engagement_rate, posts_published, followers]
  - name: october
    type: comparison
    date_range: {{start: 2026-10-01, end: 2026-10-31}}
    formats: [csv, json]
  - name: this_week
    type: performance
    date_range: {{start: 2026-11-16, end: 2026-11-20}}
delivery:
  - {{name: hook, kind: slack, url_env: TEST_REPORT_WEBHOOK, reports: [kitchen_30d]}}
  - {{name: tg, kind: telegram, token_env: TEST_TG_TOKEN, chat_id_env: TEST_TG_CHAT, api_base: "{base}",
     reports: [kitchen_30d]}}
  - {{name: broken, kind: slack, url_env: TEST_BROKEN_WEBHOOK, reports: [kitchen_30d]}}
"""


@pytest.fixture(scope="module")
def world(pg_server_url, tmp_path_factory):
    """One database with a first sync of YouTube and X through dbt, shared by this module's tests."""
    from tidemark.dagster_home import prepare_dagster_home
    from tidemark.pipeline import run_pipeline
    from tidemark.runtime import load_runtime

    tmp = tmp_path_factory.mktemp("reports")
    receiver = Receiver().start()
    env = {"TIDEMARK_HOME": str(tmp / "home"),
           "TIDEMARK_REPORTS_DIR": str(tmp / "reports"), "TIDEMARK_CONFIG": str(tmp / "tidemark.yaml"),
           "TIDEMARK_SIM_NOW": SIM_NOW, "TIDEMARK_SIM_SEED": "11", "TIDEMARK_SIM_HISTORY_DAYS": "130",
           "TIDEMARK_INITIAL_SYNC_DAYS": "130", "TIDEMARK_REPORTS_CONFIG": str(tmp / "reports.yaml"),
           "TEST_REPORT_WEBHOOK": receiver.url("/slack"), "TEST_TG_TOKEN": TOKEN, "TEST_TG_CHAT": "-100200",
           "TEST_BROKEN_WEBHOOK": receiver.url("/fail"), "DAGSTER_HOME": ""}
    (tmp / "reports.yaml").write_text(REPORTS_YAML.format(base=receiver.url("")))
    (tmp / "tidemark.yaml").write_text((FIXTURES / "tidemark.yaml").read_text() + X_ACCOUNT)
    with module_database(pg_server_url, env):
        runtime = load_runtime()
        prepare_dagster_home(runtime.settings)
        summary = run_pipeline(runtime, ["youtube", "x"], START, END, log=lambda message: None)
        ensure_core_marts(runtime, tmp)
        yield {"runtime": runtime, "summary": summary, "receiver": receiver, "tmp": tmp}
    receiver.stop()


def ensure_core_marts(runtime, tmp: Path) -> None:
    """When the transform run failed for a reason outside reports (another model of the shared dbt
    project), build just the core marts with dbt so the report tests still run on real dbt output;
    the make-run test below still fails in that case."""
    from core.warehouse.dbt_env import dbt_env
    from orchestration.transform.project import with_vars
    from tests.helpers import marts

    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute("select count(*) from unnest(%s::text[]) as m where to_regclass('marts.' || m) is null",
                    ([*marts()],))
        if not cur.fetchone()[0]:
            return
    project = str(runtime.settings.dbt_project_dir)
    subprocess.run(with_vars([str(Path(sys.executable).parent / "dbt"), "run", "--select", *(f"+{m}" for m in marts()),
                              "--project-dir", project, "--profiles-dir", project, "--target-path",
                              str(tmp / "dbt-target"), "--quiet"]),
                   env=os.environ | dbt_env(runtime.warehouse_url), check=True, capture_output=True)


def materialize(key: str, partition: str | None = None):
    from orchestration import reports
    from tidemark.runtime import WiredRuntime

    assets = [a for a in reports.defs().assets if a.key.to_user_string() == key]
    return dg.materialize(assets, partition_key=partition, resources={"tidemark": WiredRuntime()},
                          instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)


def registry(world, name: str) -> list[dict]:
    with world["runtime"].connect() as conn, conn.cursor() as cur:
        cur.execute("select * from ops.analytics_reports where name = %s order by period_start", (name,))
        columns = [c.name for c in cur.description]
        return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]


def read_csv(path: Path) -> list[dict]:
    with path.open() as handle:
        return list(csv.DictReader(handle))


def failure_text(result) -> str:
    return " ".join(str(e.event_specific_data.error) for e in result.all_events if e.event_type_value == "STEP_FAILURE")


def test_make_run_writes_the_weekly_report_in_three_formats(world):
    summary = world["summary"]
    assert summary.success, summary.runs
    files = {Path(p).name: Path(p) for p in summary.report_files if "/weekly_performance/" in p}  # + community
    assert {"report.pdf", "report.json", "summary.csv", "definitions.csv", "top_posts.csv",
            "post_metrics_daily.csv", "summary.txt"} <= set(files)
    assert all(WEEK_LABEL in str(p) and p.exists() for p in files.values())
    [row] = registry(world, "weekly_performance")
    assert row["formats"] == ["csv", "json", "pdf"] and row["checks_passed"] == ["ops/quality_gate"]
    assert row["file_sizes"]["report.pdf"] == files["report.pdf"].stat().st_size
    assert row["expires_at"] - row["generated_at"] == timedelta(days=90)


def weekly_dir(world) -> Path:
    [row] = [r for r in registry(world, "weekly_performance") if r["partition_key"] == WEEK]
    return Path(row["files"]["report.pdf"]).parent


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def query(world, sql: str, params=()) -> list[tuple]:
    with world["runtime"].connect() as conn, conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def test_pdf_has_the_charts_and_the_csv_totals(world):
    result = materialize("reports/weekly/performance", WEEK)  # same files as make run's latest week
    assert result.success, failure_text(result)
    directory = weekly_dir(world)
    reader = PdfReader(directory / "report.pdf")
    images = sum(len(page.images) for page in reader.pages)
    assert images >= 5  # daily trend, platforms, top content, posting times, formats
    text = pdf_text(directory / "report.pdf")
    plain = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    [totals] = read_csv(directory / "summary.csv")
    assert int(totals["views"]) > 0
    for metric in ("views", "engagements", "likes", "comments", "posts_published", "followers"):
        assert re.search(rf"(?<![\d.]){int(float(totals[metric]))}(?![\d])", plain), metric
    assert f"{float(totals['engagement_rate']):.2f}%" in plain
    for heading in ("Executive summary", "Key insights", "Data coverage", "Definitions", "2026-11-09",
                    "Test Workspace", "Activity in the period", "Content published in the period"):
        assert heading in text
    document = json.loads((directory / "report.json").read_text())
    assert document["totals"]["views"] == int(totals["views"])  # same numbers in all formats
    assert document["metadata"]["versions"]["report_format"] and document["metadata"]["period_end"] == "2026-11-15"
    assert set(document["platforms"]) == {"youtube", "x"} and document["platforms"]["youtube"]["accounts"]
    assert "likes + comments + shares. Reactions count as likes" in text.replace("\n", " ")  # the glossary


def test_activity_view_is_the_account_level_marts(world):
    """platforms.csv: activity = Σ fct_account_metrics_daily over the complete days of the week; the content
    columns = Σ lifetime results of the posts published in the week (mart_content_performance)."""
    rows = {r["platform"]: r for r in read_csv(weekly_dir(world) / "platforms.csv")}
    [(views, engagements, base, days)] = query(world, """
        select sum(f.views), sum(f.engagements), sum(f.rate_base), count(*)
        from marts.fct_account_metrics_daily as f
        inner join marts.mart_data_coverage as c on c.account_key = f.account_key
        where f.platform = 'youtube' and f.metric_date between %s and %s and f.metric_date <= c.complete_through
          and f.activity_source is not null""", (date(2026, 11, 9), date(2026, 11, 15)))
    youtube = rows["youtube"]
    assert (int(youtube["views"]), int(youtube["engagements"]), int(youtube["complete_days"])) == (
        views, engagements, days) and views > 0
    assert float(youtube["engagement_rate"]) == rate(engagements, base)
    for platform in ("youtube", "x"):
        [(posts, content_views, content_engagements)] = query(world, """
            select count(*), sum(rate_base), sum(engagements) from marts.mart_content_performance
            where platform = %s and published_date_local between %s and %s""",
                                                              (platform, date(2026, 11, 9), date(2026, 11, 15)))
        row = rows[platform]
        assert (int(row["posts_published"]), int(row["content_views"]), int(row["content_engagements"])) == (
            posts, content_views, content_engagements) and posts > 0
    accounts = [r for r in read_csv(weekly_dir(world) / "accounts.csv") if r["platform"] == "youtube"]
    assert sum(int(r["views"]) for r in accounts) == int(youtube["views"])


def test_platforms_on_equal_terms_equal_mart_platform_comparison(world):
    """The comparison report's yardsticks over the mart's 'week' window equal marts.mart_platform_comparison."""
    from reporting.collect import Scope, collect
    from reporting.periods import Period

    [(start, end, views, engagements, engagement_rate, per_1000)] = query(world, """
        select start_date, end_date, views, engagements, engagement_rate, engagements_per_1000_followers
        from marts.mart_platform_comparison where platform = 'youtube' and period = 'week'""")
    with world["runtime"].connect() as conn:
        data = collect(conn, "comparison", Period(start, end), Scope())
    [row] = [r for r in data.tables["platform_comparison"] if r["platform"] == "youtube"]
    assert (row["window_start"], row["window_end"]) == (start, end)
    assert (row["views"], row["engagements"], row["engagement_rate"]) == (views, engagements, float(engagement_rate))
    assert row["engagements_per_1000_followers"] == float(per_1000)


def test_unknown_is_never_printed_as_zero(world, tmp_path):
    """X after one sync: no account-level activity and followers only from the sync day — empty cells with
    the reason, null in JSON, — in the PDF; and a week before the retained history prints no 0 either."""
    from reporting.collect import Scope, collect
    from reporting.config import Branding
    from reporting.periods import Period
    from reporting.render_csv import write_tables
    from reporting.render_pdf import build_pdf

    directory = weekly_dir(world)
    [x] = [r for r in read_csv(directory / "platforms.csv") if r["platform"] == "x"]
    assert all(x[m] == "" for m in ("views", "engagements", "engagement_rate", "followers", "followers_net"))
    assert int(x["posts_published"]) > 0 and int(x["content_views"]) > 0  # the content view is there
    assert "activity unknown" in x["note"] and "tracked from 2026-11-20" in x["note"]
    [account] = [r for r in read_csv(directory / "accounts.csv") if r["platform"] == "x"]
    assert account["views"] == "" and account["followers"] == "" and account["note"]
    document = json.loads((directory / "report.json").read_text())
    [row] = [r for r in document["tables"]["platforms"] if r["platform"] == "x"]
    assert row["views"] is None and row["followers"] is None and row["note"]
    text = pdf_text(directory / "report.pdf")
    assert re.search(r"\nx\n(\u2014\n){5}\d+\n", text), "the x row prints — for unknown activity"

    with world["runtime"].connect() as conn:  # constructed: a week long before the 130 days of history
        data = collect(conn, "performance", Period(date(2026, 6, 1), date(2026, 6, 7)), Scope())
    assert data.totals["views"] is None and data.totals["followers"] is None and data.totals["is_partial"]
    youtube = [r for r in data.tables["platforms"] if r["platform"] == "youtube"][0]
    assert youtube["views"] is None and "before its daily history" in youtube["note"]
    meta = {"title": "Old week", "workspace_name": "Test Workspace", "timezone": "Europe/Madrid",
            "period_start": "2026-06-01", "period_end": "2026-06-07", "generated_at": datetime.now(UTC).isoformat(),
            "run_id": "constructed", "filters": {}}
    write_tables(data, meta, tmp_path)
    [summary] = read_csv(tmp_path / "summary.csv")
    assert summary["views"] == "" and summary["followers"] == "" and summary["note"]
    build_pdf(data, meta, Branding(), tmp_path / "report.pdf")
    old = pdf_text(tmp_path / "report.pdf")
    assert re.search(r"Views\nactivity\n\u2014\n", old) and not re.search(r"Views\nactivity\n0\n", old)


def test_coverage_section_names_the_partial_days(world):
    """A period past YouTube's complete-through date: the complete days are shown, the rest named."""
    result = materialize("reports/custom/this_week")
    assert result.success, failure_text(result)
    [row] = registry(world, "this_week")
    directory = Path(row["files"]["report.pdf"]).parent
    [(through,)] = query(world, "select min(complete_through) from marts.mart_data_coverage where platform = 'youtube'")
    missing = [through + timedelta(days=i) for i in range(1, (date(2026, 11, 20) - through).days + 1)]
    assert missing, "SIM_NOW leaves YouTube days that are not final yet"
    coverage = read_csv(directory / "coverage.csv")
    youtube = [r for r in coverage if r["platform"] == "youtube" and r["level"] == "account"]
    assert len(youtube) == 2 and all(r["complete_through"] == through.isoformat() for r in youtube)
    assert all(r["not_yet_reported"] == ",".join(d.isoformat() for d in missing) for r in youtube)
    assert all(r["activity_source"] == "account report" and r["is_simulated"] == "True" for r in youtube)
    [x] = [r for r in coverage if r["platform"] == "x" and r["level"] == "account"]
    assert x["complete_through"] == "" and x["activity_source"] == "post sums" and "activity unknown" in x["note"]
    [platform] = [r for r in read_csv(directory / "platforms.csv") if r["platform"] == "youtube"]
    assert platform["is_partial"] == "True" and int(platform["complete_days"]) < int(platform["days"])
    sentence = f"YouTube: data complete through {through}; {day_ranges(missing)} not yet reported."
    assert sentence in pdf_text(directory / "report.pdf").replace("\n", " ")
    document = json.loads((directory / "report.json").read_text())
    assert sentence in document["coverage"]["summary"]
    assert {r["platform"] for r in document["coverage"]["platforms"]} == {"youtube", "x"}


def test_simulated_data_is_said(world):
    directory = weekly_dir(world)
    first_page = PdfReader(directory / "report.pdf").pages[0].extract_text().replace("\n", " ")
    assert "Contains simulated data: 3 of 3 accounts are served by the built-in simulator" in first_page
    [summary] = read_csv(directory / "summary.csv")
    assert (summary["contains_simulated_data"], summary["simulated_accounts"], summary["accounts"]) == (
        "True", "3", "3")
    metadata = json.loads((directory / "report.json").read_text())["metadata"]
    assert metadata["contains_simulated_data"] is True and metadata["simulated_accounts"] == 3


SECTION_FILES = {
    "performance": ({"platforms.csv", "accounts.csv", "daily_trend.csv", "top_posts.csv", "formats.csv",
                     "posts.csv", "posting_times.csv"}, ("Platforms", "Top posts", "Best time to post"),
                    {"follower_growth.csv", "platform_comparison.csv"}),
    "growth": ({"follower_growth.csv", "audience_growth.csv", "engagement_trend.csv", "posting_velocity.csv",
                "audience_quality.csv"}, ("Follower growth", "Audience growth", "Engagement-rate trend",
                                          "Audience quality"), {"top_posts.csv", "platforms.csv"}),
    "comparison": ({"platform_comparison.csv", "period_comparison.csv", "platform_formats.csv", "formats.csv"},
                   ("Platforms on equal terms", "This period vs the previous one",
                    "Format effectiveness across platforms"), {"top_posts.csv", "follower_growth.csv"}),
}


@pytest.mark.parametrize("key, partition, label", [
    ("reports/weekly/growth", WEEK, WEEK_LABEL),
    ("reports/weekly/comparison", WEEK, WEEK_LABEL),
    ("reports/monthly/performance", "2026-10-01", "2026-10-01_2026-10-31"),
    ("reports/monthly/growth", "2026-10-01", "2026-10-01_2026-10-31"),
    ("reports/monthly/comparison", "2026-10-01", "2026-10-01_2026-10-31"),
])
def test_each_report_type_has_its_own_sections(world, key, partition, label):
    result = materialize(key, partition)
    assert result.success, failure_text(result)
    name = "_".join(key.split("/")[1:])
    [row] = [r for r in registry(world, name) if r["partition_key"] == partition]
    files = {n: Path(p) for n, p in row["files"].items()}
    assert {"report.pdf", "report.json", "summary.csv", "comparison.csv", "coverage.csv", "definitions.csv"} <= set(
        files)
    assert all(label in str(p) for p in files.values())
    expected, headings, absent = SECTION_FILES[key.split("/")[-1]]
    assert expected <= set(files) and not absent & set(files)
    text = pdf_text(files["report.pdf"])
    assert all(h in text for h in (*headings, "Data coverage", "Executive summary")), headings
    views = json.loads(files["report.json"].read_text())["views"]
    assert all(views[n.removesuffix(".csv")] for n in expected)  # every table names its view


def test_partition_rerun_replaces_only_its_own_files(world):
    assert materialize("reports/weekly/performance", "2026-11-02").success
    assert materialize("reports/weekly/performance", WEEK).success
    other = Path(registry(world, "weekly_performance")[0]["files"]["summary.csv"])
    other_stat = other.stat().st_mtime_ns
    before = {r["report_id"]: r["generated_at"] for r in registry(world, "weekly_performance")}
    assert materialize("reports/weekly/performance", WEEK).success
    after = {r["report_id"]: r["generated_at"] for r in registry(world, "weekly_performance")}
    assert after.keys() == before.keys()  # same rows, replaced
    assert after[f"testws:weekly_performance:{WEEK_LABEL}"] > before[f"testws:weekly_performance:{WEEK_LABEL}"]
    assert other.exists() and other.stat().st_mtime_ns == other_stat
    week_dir = world["tmp"] / "reports" / "testws" / "weekly_performance"
    assert sorted(p.name for p in week_dir.iterdir()) == ["2026-11-02_2026-11-08", WEEK_LABEL]


def test_custom_report_and_summary_delivery(world):
    received = world["receiver"].requests
    received.clear()
    result = materialize("reports/custom/kitchen_30d", WEEK)
    assert result.success, failure_text(result)
    [row] = registry(world, "kitchen_30d")
    assert (row["period_start"], row["period_end"]) == (date(2026, 10, 17), date(2026, 11, 15))
    assert row["filters"]["accounts"] == ["UCtestKitchen000000000001"]
    [totals] = read_csv(Path(row["files"]["summary.csv"]))
    assert {"views", "engagements", "engagement_rate", "posts_published", "followers", "content_views",
            "contains_simulated_data", "note"} <= set(totals)
    assert not {"likes", "watch_time_minutes", "followers_net"} & set(totals)  # only the chosen metrics
    slack = [body for path, body in received if path == "/slack"]
    telegram = [body for path, body in received if path == f"/bot{TOKEN}/sendMessage"]
    assert len(slack) == 1 and slack[0]["text"] == row["summary_text"]
    assert telegram == [{"chat_id": "-100200", "text": row["summary_text"]}]
    assert "Views:" in row["summary_text"] and "Best time to post" in row["summary_text"]
    status = {d["target"]: d["status"] for d in row["deliveries"]}
    assert status == {"hook": "delivered", "tg": "delivered", "broken": "failed"}  # failure recorded, not fatal
    assert TOKEN not in json.dumps(row["deliveries"])


def test_absolute_custom_report_is_unpartitioned(world):
    result = materialize("reports/custom/october")
    assert result.success, failure_text(result)
    [row] = registry(world, "october")
    assert row["formats"] == ["csv", "json"] and "report.pdf" not in row["files"]
    assert (row["period_start"], row["period_end"]) == (date(2026, 10, 1), date(2026, 10, 31))


def test_blocked_gate_means_no_new_report(world):
    with world["runtime"].connect() as conn, conn.cursor() as cur:
        cur.execute("insert into ops.check_results (run_id, check_name, asset_key, passed, severity, is_blocking, "
                    "failed_rows) values ('test', 'gx_test_failure', 'raw/youtube_videos', false, 'error', true, 3)")
        conn.commit()
    try:
        result = materialize("reports/weekly/performance", "2026-10-26")
        assert not result.success
        assert "gx_test_failure on raw/youtube_videos" in failure_text(result)
        assert not any(r["partition_key"] == "2026-10-26" for r in registry(world, "weekly_performance"))
        assert not (world["tmp"] / "reports" / "testws" / "weekly_performance" / "2026-10-26_2026-11-01").exists()
    finally:
        with world["runtime"].connect() as conn, conn.cursor() as cur:
            cur.execute("delete from ops.check_results where check_name = 'gx_test_failure'")
            conn.commit()


def test_bad_request_fails_before_any_work(world, monkeypatch):
    config = world["tmp"] / "bad.yaml"
    config.write_text("custom:\n  - {name: too_wide, date_range: {start: 2023-12-01, end: 2026-12-31},\n"
                      "     platforms: [tiktok], accounts: [UCnobody]}\n")
    monkeypatch.setenv("TIDEMARK_REPORTS_CONFIG", str(config))
    result = materialize("reports/custom/too_wide")
    assert not result.success
    text = failure_text(result)
    assert "platforms: tiktok not connected in workspace 'testws'" in text
    assert "unknown account(s) UCnobody" in text
    assert "starts 2023-12-01, before the retained history" in text
    assert "ends 2026-12-31, after today (2026-11-20)" in text
    assert registry(world, "too_wide") == [] and not (world["tmp"] / "reports" / "testws" / "too_wide").exists()


def test_size_limit_fails_cleanly_and_keeps_the_previous_files(world, monkeypatch):
    config = world["tmp"] / "small.yaml"
    config.write_text("limits: {max_report_mb: 0.001}\n")
    monkeypatch.setenv("TIDEMARK_REPORTS_CONFIG", str(config))
    before = registry(world, "weekly_performance")
    result = materialize("reports/weekly/performance", WEEK)
    assert not result.success and "larger than its limit of 0.001 MB" in failure_text(result)
    assert registry(world, "weekly_performance") == before
    assert all(Path(p).exists() for p in before[0]["files"].values())
    assert not [p for p in (world["tmp"] / "reports" / "testws" / "weekly_performance").iterdir()
                if p.name.startswith(".")]


def test_cleanup_removes_expired_reports(world):
    from reporting.cleanup import remove_expired

    assert materialize("reports/monthly/growth", "2026-09-01").success
    [row] = [r for r in registry(world, "monthly_growth") if r["partition_key"] == "2026-09-01"]
    with world["runtime"].connect() as conn:
        with conn.cursor() as cur:
            cur.execute("update ops.analytics_reports set expires_at = now() - interval '1 day' where report_id = %s",
                        (row["report_id"],))
        conn.commit()
        done = remove_expired(conn, world["runtime"].settings.reports_dir, datetime.now(UTC))
    assert [d["report_id"] for d in done] == [row["report_id"]]
    assert not any(Path(p).exists() for p in row["files"].values())
    assert not Path(row["files"]["report.json"]).parent.exists()
    assert registry(world, "monthly_growth")[0]["deleted_at"] is not None
    assert Path(registry(world, "weekly_performance")[0]["files"]["report.pdf"]).exists()  # not expired: kept


def test_csv_export_streams_in_constant_memory(world, tmp_path):
    import tracemalloc

    from reporting.limits import Budget, ReportTooLarge
    from reporting.render_csv import stream_query

    sql = "select n, md5(n::text) as hash, now()::date as day from generate_series(1, %(rows)s) as n"
    with world["runtime"].connect() as conn:
        tracemalloc.start()
        rows = stream_query(conn, sql, {"rows": 300_000}, tmp_path / "big.csv")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert rows == 300_000 and peak < 5 * 2**20  # the file is ~15 MB; memory is not
        assert sum(1 for _ in (tmp_path / "big.csv").open()) == 300_001
        conn.rollback()
        with pytest.raises(ReportTooLarge, match="big2.csv"):
            stream_query(conn, sql, {"rows": 300_000}, tmp_path / "big2.csv", Budget("r", 1_000_000, 60))
        conn.rollback()
    assert (tmp_path / "big2.csv").stat().st_size < 2_000_000  # stopped near the limit


# --- forecasts and anomalies (marts.mart_forecasts / marts.mart_anomalies, written by the insights layer) ---
KITCHEN, TRAVEL = "UCtestKitchen000000000001", "UCtestTravel0000000000002"
FORECAST_COLUMNS = ("platform", "account_id", "metric", "made_on", "history_start", "history_end", "history_days",
                    "target_date", "horizon_days", "point", "lower_80", "upper_80", "lower_95", "upper_95", "model",
                    "backtest_horizon_days", "backtest_windows", "backtest_smape", "backtest_mase", "baseline_smape",
                    "baseline_mase", "note")
ANOMALY_COLUMNS = ("anomaly_id", "level", "platform", "account_id", "post_id", "metric", "observed_on", "value",
                   "expected", "lower_bound", "upper_bound", "ratio", "score", "severity", "direction",
                   "likely_cause", "reason", "method", "detected_at")  # detected_at too: restored as it was
DETECTED = datetime(2026, 11, 20, 12, tzinfo=UTC)
SHORT_NOTE = "short history (21 days): seasonal naive baseline, intervals widened"


def forecast_series(metric: str, made_on: date, history_end: date, horizons: int, level: float, note=None):
    """A hand-made forecast of Test Kitchen: a straight line with intervals widening with the horizon."""
    rows = []
    for h in range(1, horizons + 1):
        point = level + 3.0 * h
        backtest = (30, 3, 2.5, 0.8, 4.1, 1.0) if note is None else (None, None, None, None, None, None)
        rows.append(("youtube", KITCHEN, metric, made_on, history_end - timedelta(days=120), history_end, 118,
                     history_end + timedelta(days=h), h, point, point - 2 * h ** 0.5, point + 2 * h ** 0.5,
                     max(point - 4 * h ** 0.5, 0), point + 4 * h ** 0.5, "AutoETS" if note is None else "SeasonalNaive",
                     *backtest, note))
    return rows


def _swap_rows(cur, table: str, where: str, params: tuple, rows: list[tuple], columns: tuple) -> list[tuple]:
    """Replace the rows of `table` matching `where` by `rows`; returns the rows removed (to put back)."""
    cur.execute(f"select {', '.join(columns)} from {table} where {where}", params)
    removed = cur.fetchall()
    cur.execute(f"delete from {table} where {where}", params)
    cur.executemany(f"insert into {table} (domain, {', '.join(columns)}) values ('social', "
                    f"{', '.join(['%s'] * len(columns))})", rows)
    return removed


def test_growth_report_shows_forecasts_and_anomalies(world):
    """Hand-made forecasts (Test Kitchen: the latest made_on only, a short-history note on views) and anomalies
    (two in the week, one the week before) → the weekly growth asset's CSV equals them, the JSON has them, the
    PDF has the chart caption, the reasons and Test Travel's reason for having no forecast."""
    from insights.store import ensure_tables
    from orchestration.reports.assets import weekly_growth_report
    from tidemark.runtime import WiredRuntime

    [(through,)] = query(world, "select complete_through from marts.mart_data_coverage where account_id = %s",
                         (KITCHEN,))
    latest = (forecast_series("followers", date(2026, 11, 20), through, 90, 1000.0)
              + forecast_series("views", date(2026, 11, 20), through, 90, 5000.0, note=SHORT_NOTE))
    older = forecast_series("followers", date(2026, 10, 20), date(2026, 10, 19), 7, 900.0)  # not the latest
    [(post_id, title)] = query(world, "select post_id, title from marts.dim_posts where account_id = %s "
                                      "order by post_id limit 1", (KITCHEN,))
    anomalies = [
        ("test-a1", "account", "youtube", KITCHEN, None, "views", date(2026, 11, 10), 4800.0, 1000.0, 600.0, 1400.0,
         4.8, 6.1, 6.1, "spike", None, "views 4.8× the expected 1,000 for a Tuesday", "test", DETECTED),
        ("test-a2", "post", "youtube", KITCHEN, post_id, "views", date(2026, 11, 12), 9000.0, 2000.0, 1000.0, 3000.0,
         4.5, 7.3, 7.3, "spike", None, "views 4.5× the expected 2,000 for a post on its 2nd day", "test",
         DETECTED),
        ("test-a3", "account", "youtube", TRAVEL, None, "views", date(2026, 11, 14), 200.0, 1000.0, 700.0, 1300.0,
         0.2, -4.0, 4.0, "drop", "real decline", "views 0.2× the expected 1,000 for a Saturday", "test", DETECTED),
        ("test-a4", "account", "youtube", TRAVEL, None, "views", date(2026, 11, 3), 10.0, 1000.0, 700.0, 1300.0,
         0.01, -9.0, 9.0, "drop", "broken connection", "views 0.01× the expected 1,000 (the week before)", "test",
         DETECTED),
    ]
    week = (date(2026, 11, 9), date(2026, 11, 15))
    with world["runtime"].connect() as conn, conn.cursor() as cur:
        ensure_tables(cur)  # until the pipeline writes them; then the test's own rows replace the pipeline's
        kept_forecasts = _swap_rows(cur, "marts.mart_forecasts", "domain = 'social' and account_id in (%s, %s)",
                                    (KITCHEN, TRAVEL), latest + older, FORECAST_COLUMNS)
        kept_anomalies = _swap_rows(cur, "marts.mart_anomalies", "domain = 'social' and observed_on between %s and %s"
                                    " or anomaly_id like 'test-%%'", (date(2026, 11, 2), week[1]), anomalies,
                                    ANOMALY_COLUMNS)
        conn.commit()
    try:
        result = dg.materialize([weekly_growth_report], resources={"tidemark": WiredRuntime()},
                                instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
        assert result.success, failure_text(result)
        [row] = [r for r in registry(world, "weekly_growth") if r["partition_key"] == WEEK]
        directory = Path(row["files"]["report.pdf"]).parent
        assert directory.name == WEEK_LABEL

        written = read_csv(directory / "forecasts.csv")
        assert [(r["metric"], r["target_date"], float(r["point"]), float(r["lower_80"]), float(r["upper_95"]),
                 r["note"]) for r in written] == sorted(
            (r[2], r[7].isoformat(), r[9], r[10], r[13], r[21] or "") for r in latest)
        summary = {(r["account_id"], r["metric"]): r for r in read_csv(directory / "forecast_summary.csv")}
        followers = summary[(KITCHEN, "followers")]
        assert float(followers["point_30d"]) == 1000.0 + 3.0 * 30 and followers["model"] == "AutoETS"
        assert summary[(KITCHEN, "views")]["note"] == SHORT_NOTE
        [(travel_days,)] = query(world, "select count(*) from marts.fct_account_metrics_daily where account_id = %s "
                                        "and is_complete and views is not null and metric_date <= %s", (TRAVEL, through))
        travel = summary[(TRAVEL, "views")]
        assert travel["has_forecast"] == "False" and travel["point_7d"] == "" and travel_days > 0
        assert travel["note"].startswith(f"no forecast for this series in the latest forecasts (made on 2026-11-20): "
                                         f"{travel_days} known day(s) of history")

        in_week = sorted((a for a in anomalies if week[0] <= a[6] <= week[1]), key=lambda a: -a[13])
        listed = read_csv(directory / "anomalies.csv")
        assert [(r["anomaly_id"], r["reason"], float(r["value"]), float(r["expected"]), r["direction"])
                for r in listed] == [(a[0], a[16], a[7], a[8], a[14]) for a in in_week]
        assert listed[0]["post_title"] == (title or "")

        document = json.loads((directory / "report.json").read_text())
        assert [a["anomaly_id"] for a in document["tables"]["anomalies"]] == [a[0] for a in in_week]
        assert sorted((f["metric"], day[0], day[2]) for f in document["tables"]["forecasts"] for day in f["days"]) == (
            sorted((r[2], r[7].isoformat(), r[9]) for r in latest))
        assert document["sections"]["forecast"]["status"] == "ok" and document["sections"]["anomalies"]["anomalies"] == 3
        checked = document["sections"]["anomalies"]["checked"]  # the levels and metrics the table has rows for
        assert checked.startswith("account ") and "views" in checked and "; post " in checked

        text = re.sub(r"\s+", " ", pdf_text(directory / "report.pdf"))
        assert "80 % of the time the true value should fall in the dark band" in text
        assert "Followers: model AutoETS; backtest (3 window(s) of 30 days): sMAPE 2.5% vs 4.1% for seasonal naive" in text
        assert "Views: model SeasonalNaive; no backtest (history too short)" in text and SHORT_NOTE in text
        assert "Views: no forecast for this series in the latest forecasts (made on 2026-11-20)" in text
        assert all(a[16] in text for a in in_week) and "the week before" not in text
        assert "drop (real decline)" in text
    finally:
        with world["runtime"].connect() as conn, conn.cursor() as cur:
            _swap_rows(cur, "marts.mart_forecasts", "domain = 'social' and account_id in (%s, %s)", (KITCHEN, TRAVEL),
                       kept_forecasts, FORECAST_COLUMNS)
            _swap_rows(cur, "marts.mart_anomalies", "domain = 'social' and observed_on between %s and %s or "
                       "anomaly_id like 'test-%%'", (date(2026, 11, 2), week[1]), kept_anomalies, ANOMALY_COLUMNS)
            conn.commit()


def test_forecast_section_says_when_the_tables_do_not_exist_or_are_empty(world):
    """A warehouse where the insights layer has not run yet (no tables), then one where it created them but
    wrote nothing: the sections say which, nothing fails, no 0."""
    from insights.store import ensure_tables
    from reporting.collect import Scope, collect
    from reporting.periods import Period

    period = Period(*map(date.fromisoformat, WEEK_LABEL.split("_")))
    with world["runtime"].connect() as conn:
        with conn.cursor() as cur:
            ensure_tables(cur)
            cur.execute("alter table marts.mart_forecasts rename to mart_forecasts_hidden")
            cur.execute("alter table marts.mart_anomalies rename to mart_anomalies_hidden")
        conn.commit()
        try:
            absent = collect(conn, "growth", period, Scope())
            conn.rollback()
            with conn.cursor() as cur:
                ensure_tables(cur)  # new, empty tables
            conn.commit()
            empty = collect(conn, "performance", period, Scope())
        finally:
            conn.rollback()
            with conn.cursor() as cur:
                cur.execute("drop table if exists marts.mart_forecasts, marts.mart_anomalies")
                cur.execute("alter table marts.mart_forecasts_hidden rename to mart_forecasts")
                cur.execute("alter table marts.mart_anomalies_hidden rename to mart_anomalies")
            conn.commit()
    assert absent.notes["forecast"]["status"] == "absent" and absent.notes["anomalies"]["status"] == "absent"
    assert absent.tables["forecasts"] == [] and absent.tables["anomalies"] == []
    summary = absent.tables["forecast_summary"]
    assert {(r["account_id"], r["metric"]) for r in summary} >= {(KITCHEN, "followers"), (TRAVEL, "views")}
    assert all(r["point_30d"] is None and "marts.mart_forecasts does not exist" in r["note"] for r in summary)
    assert empty.notes["forecast"]["status"] == "empty"
    assert all(r["point_7d"] is None and "has no forecasts yet" in r["note"] for r in empty.tables["forecast_summary"])
    assert empty.notes["anomalies"]["message"] == "No anomalies detected in this period."
