"""Reports against a real warehouse: YouTube ingestion (simulator) + dbt run once for the module,
then every report type and format, the PDF against its CSV, idempotent partitions, the gate,
limits, the cleanup and the summary reaching a local webhook receiver."""

import csv
import json
import os
import re
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg
import psycopg2
import pytest
from pypdf import PdfReader

from tests.conftest import FIXTURES, SIM_NOW
from tests.integration.test_reports_receiver import Receiver

START, END = date(2026, 11, 18), date(2026, 11, 20)
WEEK, WEEK_LABEL = "2026-11-09", "2026-11-09_2026-11-15"
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
delivery:
  - {{name: hook, kind: slack, url_env: TEST_REPORT_WEBHOOK, reports: [kitchen_30d]}}
  - {{name: tg, kind: telegram, token_env: TEST_TG_TOKEN, chat_id_env: TEST_TG_CHAT, api_base: "{base}",
     reports: [kitchen_30d]}}
  - {{name: broken, kind: slack, url_env: TEST_BROKEN_WEBHOOK, reports: [kitchen_30d]}}
"""


@pytest.fixture(scope="module")
def world(pg_server_url, tmp_path_factory):
    """One database with a week of YouTube data through dbt, shared by this module's tests."""
    from tidemark.dagster_home import prepare_dagster_home
    from tidemark.pipeline import run_pipeline
    from tidemark.runtime import load_runtime

    tmp = tmp_path_factory.mktemp("reports")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(pg_server_url)
    admin.autocommit = True
    admin.cursor().execute(f'create database "{name}"')
    receiver = Receiver().start()
    env = {"DATABASE_URL": pg_server_url.rsplit("/", 1)[0] + f"/{name}", "TIDEMARK_HOME": str(tmp / "home"),
           "TIDEMARK_REPORTS_DIR": str(tmp / "reports"), "TIDEMARK_CONFIG": str(FIXTURES / "tidemark.yaml"),
           "TIDEMARK_SIM_NOW": SIM_NOW, "TIDEMARK_SIM_SEED": "11", "TIDEMARK_SIM_HISTORY_DAYS": "130",
           "TIDEMARK_INITIAL_SYNC_DAYS": "130", "TIDEMARK_REPORTS_CONFIG": str(tmp / "reports.yaml"),
           "TEST_REPORT_WEBHOOK": receiver.url("/slack"), "TEST_TG_TOKEN": TOKEN, "TEST_TG_CHAT": "-100200",
           "TEST_BROKEN_WEBHOOK": receiver.url("/fail"), "DAGSTER_HOME": ""}
    (tmp / "reports.yaml").write_text(REPORTS_YAML.format(base=receiver.url("")))
    with pytest.MonkeyPatch.context() as mp:
        for key in [k for k in os.environ if k.startswith("TIDEMARK_")]:
            mp.delenv(key)
        for key, value in env.items():
            mp.setenv(key, value)
        runtime = load_runtime()
        prepare_dagster_home(runtime.settings)
        summary = run_pipeline(runtime, ["youtube"], START, END, log=lambda message: None)
        ensure_core_marts(runtime, tmp)
        yield {"runtime": runtime, "summary": summary, "receiver": receiver, "tmp": tmp}
    receiver.stop()
    admin.cursor().execute(f'drop database if exists "{name}" with (force)')
    admin.close()


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
    files = {Path(p).name: Path(p) for p in summary.report_files}
    assert {"report.pdf", "report.json", "summary.csv", "definitions.csv", "top_posts.csv",
            "post_metrics_daily.csv", "summary.txt"} <= set(files)
    assert all(WEEK_LABEL in str(p) and p.exists() for p in files.values())
    [row] = registry(world, "weekly_performance")
    assert row["formats"] == ["csv", "json", "pdf"] and row["checks_passed"] == ["ops/quality_gate"]
    assert row["file_sizes"]["report.pdf"] == files["report.pdf"].stat().st_size
    assert row["expires_at"] - row["generated_at"] == timedelta(days=90)


def test_pdf_has_the_charts_and_the_csv_totals(world):
    result = materialize("reports/weekly/performance", WEEK)  # same files as make run's latest week
    assert result.success, failure_text(result)
    [row] = [r for r in registry(world, "weekly_performance") if r["partition_key"] == WEEK]
    directory = Path(row["files"]["report.pdf"]).parent
    reader = PdfReader(directory / "report.pdf")
    images = sum(len(page.images) for page in reader.pages)
    assert images >= 6  # trend, platforms, top content, audience growth, posting times, formats
    text = " ".join(page.extract_text() for page in reader.pages)
    plain = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    [totals] = read_csv(directory / "summary.csv")
    assert int(totals["views"]) > 0
    for metric in ("views", "engagements", "likes", "comments", "posts_published", "followers"):
        assert re.search(rf"(?<![\d.]){int(float(totals[metric]))}(?![\d])", plain), metric
    assert f"{float(totals['engagement_rate']):.2f}%" in plain
    for heading in ("Executive summary", "Key insights", "Definitions", "2026-11-09", "Test Workspace"):
        assert heading in text
    document = json.loads((directory / "report.json").read_text())
    assert document["totals"]["views"] == int(totals["views"])  # same numbers in all formats
    assert document["metadata"]["versions"]["report_format"] and document["metadata"]["period_end"] == "2026-11-15"
    assert set(document["platforms"]) == {"youtube"} and document["platforms"]["youtube"]["accounts"]


@pytest.mark.parametrize("key, partition, label", [
    ("reports/weekly/growth", WEEK, WEEK_LABEL),
    ("reports/weekly/comparison", WEEK, WEEK_LABEL),
    ("reports/monthly/performance", "2026-10-01", "2026-10-01_2026-10-31"),
])
def test_each_report_type_in_every_format(world, key, partition, label):
    result = materialize(key, partition)
    assert result.success, failure_text(result)
    name = "_".join(key.split("/")[1:])
    [row] = [r for r in registry(world, name) if r["partition_key"] == partition]
    files = {n: Path(p) for n, p in row["files"].items()}
    assert {"report.pdf", "report.json", "summary.csv", "definitions.csv"} <= set(files)
    assert all(label in str(p) for p in files.values())
    extra = {"growth": "posting_velocity.csv", "comparison": "platform_formats.csv"}.get(key.split("/")[-1])
    assert extra is None or extra in files
    assert len(PdfReader(files["report.pdf"]).pages) >= 3


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
    assert set(totals) == {"period_start", "period_end", "views", "engagements", "engagement_rate",
                           "posts_published", "followers"}
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
    [row] = registry(world, "monthly_growth")
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
