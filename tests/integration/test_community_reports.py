"""Community reports against a real warehouse: the simulator's event files through the real ingestion
and real dbt (the community models), then the report assets through real Dagster. The reports'
numbers equal SQL over the marts and the simulator's truth; the community gate holds them back on
a failing dbt test; reruns keep one report per day; the three formats render and no IP address
appears in any file.

Simulated days: 2026-11-02..06 (UTC). Report day 2026-11-06: the daily reports cover 10-31..11-06,
so two of their days have no data (unknown, never 0)."""

from __future__ import annotations

import csv
import ipaddress
import json
import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import pytest

from expectations.dbt_results import record_dbt_results
from reporting.community.definitions import effectiveness_pct
from simulator.community import write_files
from tests.conftest import FIXTURES, SIM_NOW
from tests.helpers import module_database
from tests.integration.test_community_dbt import END, FAULTS, SEED, SELECT, START, _dbt, _load

DAY = date(2026, 11, 6)
DAILY = ("2026-10-31", "2026-11-06")
GEO = ("2026-10-08", "2026-11-06")


@pytest.fixture(scope="module")
def world(pg_server_url, tmp_path_factory):
    """One database with the simulated community built by dbt, shared by this module's tests."""
    from tidemark.runtime import load_runtime

    tmp = tmp_path_factory.mktemp("community-reports")
    env = {"TIDEMARK_HOME": str(tmp / "home"),
           "TIDEMARK_REPORTS_DIR": str(tmp / "reports"), "TIDEMARK_CONFIG": str(FIXTURES / "tidemark.yaml"),
           "TIDEMARK_SIM_NOW": SIM_NOW, "TIDEMARK_SIM_SEED": "11", "DAGSTER_HOME": ""}
    with module_database(pg_server_url, env):
        runtime = load_runtime()
        manifest = write_files(tmp / "landing", START, END, SEED, communities=4, members=60, faults=FAULTS)
        _load(runtime, manifest)
        build = _dbt("build", "--select", *SELECT, target=tmp / "target")
        assert build.returncode == 0, build.stdout[-4000:]
        yield {"runtime": runtime, "manifest": manifest, "tmp": tmp}


def materialize(key: str, partition: str | None = None):
    from orchestration import reports
    from tidemark.runtime import WiredRuntime

    assets = [a for a in reports.defs().assets if a.key.to_user_string() == key]
    assert assets, key
    return dg.materialize(assets, partition_key=partition, resources={"tidemark": WiredRuntime()},
                          instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)


def failure_text(result) -> str:
    return " ".join(str(e.event_specific_data.error) for e in result.all_events if e.event_type_value == "STEP_FAILURE")


def query(world, sql: str, params=()) -> list[tuple]:
    with world["runtime"].connect() as conn, conn.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
        conn.commit()
        return rows


def execute(world, sql: str) -> None:
    with world["runtime"].connect() as conn, conn.cursor() as cur:
        cur.execute(sql)
        conn.commit()


def registry(world, name: str) -> list[dict]:
    with world["runtime"].connect() as conn, conn.cursor() as cur:
        cur.execute("select * from ops.analytics_reports where name = %s order by period_start", (name,))
        columns = [c.name for c in cur.description]
        return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]


def report_dir(world, kind: str, period: tuple[str, str]) -> Path:
    return world["tmp"] / "reports" / "testws" / kind / f"{period[0]}_{period[1]}"


def read_csv(path: Path) -> list[dict]:
    with path.open() as handle:
        return list(csv.DictReader(handle))


def num(value: str):
    return None if value == "" else float(value)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def published(world):
    """The three reports of DAY, materialized through their partitioned assets."""
    for short in ("analytics", "daily", "geo"):
        result = materialize(f"reports/community/{short}", DAY.isoformat())
        assert result.success, failure_text(result)
    return world


def test_three_reports_in_three_formats_registered(published):
    for kind, period in (("community_analytics", DAILY), ("community_daily", DAILY), ("community_geo", GEO)):
        directory = report_dir(published, kind, period)
        files = {p.name for p in directory.iterdir()}
        assert {"report.pdf", "report.json", "summary.csv", "definitions.csv", "coverage.csv", "summary.txt"} <= files
        [row] = [r for r in registry(published, kind) if r["partition_key"] == DAY.isoformat()]
        assert row["report_id"] == f"testws:{kind}:{period[0]}_{period[1]}"
        assert row["platforms"] == ["community"] and row["checks_passed"] == ["community checks"]
        assert row["file_sizes"]["report.pdf"] == (directory / "report.pdf").stat().st_size
        document = json.loads((directory / "report.json").read_text())
        assert document["metadata"]["report_day"] == "2026-11-06" and document["metadata"]["contains_simulated_data"]
        text = pdf_text(directory / "report.pdf")
        for words in ("Report day: 2026-11-06", f"{period[0]} to {period[1]} (UTC dates)", "Contains simulated data",
                      "Definitions", "cm_001", "days with data"):
            assert words in text, (kind, words)
    daily_text = pdf_text(report_dir(published, "community_daily", DAILY) / "report.pdf")
    # the activity and retention marts are built here: their sections are drawn, not "not available"
    assert "Hourly activity heatmap" in daily_text and "Retention cohorts" in daily_text
    assert "Not available: marts.mart_community_activity" not in daily_text
    geo_files = {p.name for p in report_dir(published, "community_geo", GEO).iterdir()}
    assert {"geo_communities.csv", "top_blocked.csv", "geo_locations.csv", "geo_trend.csv"} <= geo_files


def test_daily_numbers_equal_the_marts_and_the_truth(published):
    directory = report_dir(published, "community_daily", DAILY)
    truth = published["manifest"].truth
    day_rows = {r["community_id"]: r for r in read_csv(directory / "communities_day.csv")}
    sql = {c: rest for c, *rest in query(published, """
        select community_id, active_users, new_users, community_views, community_joins, avg_online_members,
               peak_online_members, total_users from marts.mart_community_daily where day = %s""", (DAY,))}
    assert sql and set(sql) <= set(day_rows)
    for cid, row in day_rows.items():
        want = truth.community_days.get((cid, DAY.isoformat()))
        got = (int(row["active_users"]), int(row["new_users"]), int(row["community_views"]),
               int(row["community_joins"]))
        assert got == ((want.active_members, want.new_members, want.page_views, want.joins) if want else (0, 0, 0, 0))
        if cid in sql:
            assert [num(row[k]) for k in ("avg_online_members", "peak_online_members", "total_users")] == \
                [float(v) for v in sql[cid][4:]]
    window = {r["community_id"]: r for r in read_csv(directory / "communities_window.csv")}
    sums = {c: rest for c, *rest in query(published, """
        select community_id, sum(community_joins), sum(community_views), max(peak_online_members), count(*)
        from marts.mart_community_daily where day between %s and %s group by 1""", DAILY)}
    for cid, (joins, views, peak, _) in sums.items():
        row = window[cid]
        assert (int(row["community_joins"]), int(row["community_views"]), int(row["peak_online_members"])) == \
            (joins, views, peak)
        assert row["days_with_data"] == "5" and row["days"] == "7"
    truth_joins = sum(v.joins for (c, d), v in truth.community_days.items() if DAILY[0] <= d <= DAILY[1])
    assert sum(int(r["community_joins"]) for r in window.values()) == truth_joins
    trend = read_csv(directory / "community_trend.csv")
    unknown = [r for r in trend if r["day"] in ("2026-10-31", "2026-11-01")]
    assert unknown and all(r["active_users"] == "" and r["note"] == "no data for this day" for r in unknown)
    [day_platform] = [r for r in read_csv(directory / "platform.csv") if r["window"] == "day 2026-11-06"]
    want = truth.days[DAY.isoformat()]
    assert (int(day_platform["api_requests"]), int(day_platform["error_count"])) == (want.api_requests, want.errors)
    [(sessions, bounce)] = query(published, "select sessions, bounce_rate from marts.mart_community_platform_daily "
                                            "where day = %s", (DAY,))
    assert int(day_platform["sessions"]) == sessions and num(day_platform["bounce_rate"]) == float(round(bounce, 2))
    errors = read_csv(directory / "errors.csv")
    [(logged,)] = query(published, "select sum(error_count) from marts.mart_error_logs where day between %s and %s",
                        DAILY)
    assert sum(int(r["error_count"]) for r in errors) == logged


def test_geo_numbers_equal_the_marts_and_the_truth(published):
    directory = report_dir(published, "community_geo", GEO)
    truth = published["manifest"].truth
    rows = {r["community_id"]: r for r in read_csv(directory / "geo_communities.csv")}
    sql = {c: rest for c, *rest in query(published, """
        select community_id, sum(attempts), sum(blocked), sum(allowed), sum(traveler_access), sum(bypasses)
        from marts.mart_geo_restriction where day between %s and %s group by 1""", GEO)}
    assert sql
    for cid, (attempts, blocked, allowed, travelers, bypasses) in sql.items():
        row = rows[cid]
        assert [int(row[k]) for k in ("attempts", "blocked", "allowed", "traveler_access", "bypasses")] == \
            [attempts, blocked, allowed, travelers, bypasses]
        assert num(row["effectiveness_pct"]) == effectiveness_pct(blocked, attempts)
        days = [v for (c, d), v in truth.community_days.items() if c == cid and GEO[0] <= d <= GEO[1]]
        assert (attempts, blocked) == (sum(v.geo_attempts for v in days), sum(v.geo_blocked for v in days))
    without = [r for r in rows.values() if r["attempts"] == "0"]
    assert all(r["effectiveness_pct"] == "" for r in without)  # nothing tried: unknown, not 0 %
    # the report's formula is the mart's, row by row
    for blocked, attempts, pct in query(published, "select blocked, attempts, effectiveness_pct "
                                                   "from marts.mart_geo_restriction"):
        assert effectiveness_pct(blocked, attempts) == float(pct)
    assert effectiveness_pct(127, 450) == 28.2  # seed 004's example
    locations = read_csv(directory / "geo_locations.csv")
    for level in ("country", "region", "city"):
        assert sum(int(r["attempts"]) for r in locations if r["level"] == level) == sum(v[0] for v in sql.values())
    top = read_csv(directory / "top_blocked.csv")
    for cid in {r["community_id"] for r in top}:
        blocked = [int(r["blocked"]) for r in top if r["community_id"] == cid]
        assert blocked == sorted(blocked, reverse=True) and blocked[0] == max(
            int(r["blocked"]) for r in locations if r["community_id"] == cid and r["level"] == "city")
    assert "Top blocked locations" in pdf_text(directory / "report.pdf")


def test_rerun_is_idempotent(published):
    directory = report_dir(published, "community_geo", GEO)
    before = {p.name: p.read_bytes() for p in directory.iterdir() if p.suffix == ".csv"}
    [first] = registry(published, "community_geo")
    result = materialize("reports/community/geo", DAY.isoformat())
    assert result.success, failure_text(result)
    [again] = registry(published, "community_geo")
    assert again["report_id"] == first["report_id"] and again["run_id"] != first["run_id"]
    assert {p.name: p.read_bytes() for p in directory.iterdir() if p.suffix == ".csv"} == before
    assert not [p for p in directory.parent.iterdir() if p.name.startswith(".")]  # no temporary leftovers


def test_gate_blocks_on_a_failing_community_dbt_test_only(published):
    """A real failing dbt test of a community mart holds every community report back; a failing social
    check does not."""
    world, day = published, (DAY - timedelta(days=1)).isoformat()
    execute(world, "insert into marts.mart_geo_restriction select * from marts.mart_geo_restriction limit 1")
    target = world["tmp"] / "target-gate"
    _dbt("test", "--select", "mart_geo_restriction", "--exclude", "test_type:unit", target=target)
    with world["runtime"].connect() as conn:
        recorded = record_dbt_results(conn, "gate-test", json.loads((target / "run_results.json").read_text()),
                                      target / "manifest.json")
    assert recorded
    try:
        result = materialize("reports/community/daily", day)
        assert not result.success
        assert "dbt_primary_key_mart_geo_restriction" in failure_text(result)
        assert "marts/mart_geo_restriction" in failure_text(result)
        assert not any(r["partition_key"] == day for r in registry(world, "community_daily"))
        assert not report_dir(world, "community_daily", ("2026-10-30", "2026-11-05")).exists()
    finally:
        execute(world, "delete from marts.mart_geo_restriction a using marts.mart_geo_restriction b "
                       "where a.ctid > b.ctid and (a.community_id, a.day, a.country, a.region, a.city) "
                       "= (b.community_id, b.day, b.country, b.region, b.city)")
        _dbt("test", "--select", "mart_geo_restriction", "--exclude", "test_type:unit", target=target)
        with world["runtime"].connect() as conn:
            record_dbt_results(conn, "gate-test-2", json.loads((target / "run_results.json").read_text()),
                               target / "manifest.json")
    execute(world, "insert into ops.check_results (run_id, check_name, asset_key, passed, severity, is_blocking, "
                   "failed_rows) values ('t', 'gx_social_failure', 'raw/youtube_videos', false, 'error', true, 1)")
    try:
        result = materialize("reports/community/daily", day)
        assert result.success, failure_text(result)
    finally:
        execute(world, "delete from ops.check_results where check_name = 'gx_social_failure'")


# Helper marts of the activity and retention sections, made by hand with the contract's columns; the test
# drops them afterwards (and puts back a real one it moved aside), so the other tests see the warehouse as dbt built it.
CONTRACT_TABLES = {
    "mart_community_activity": """
        create table marts.mart_community_activity as
        select 'cm_001'::text as community_id, h as hour_start, (h at time zone 'UTC')::date as day,
               extract(isodow from h)::int as weekday, extract(hour from h)::int as hour_of_day,
               (extract(hour from h) + extract(isodow from h))::numeric(8, 2) as online_members_avg,
               (extract(hour from h) + 3)::int as online_members_peak, 10::bigint as total_activities,
               1.5::numeric as activity_score, 'low'::text as activity_level, extract(hour from h) = 20 as is_peak_hour
        from generate_series('2026-10-31 00:00+00'::timestamptz, '2026-11-06 23:00+00', interval '1 hour') as h""",
    "mart_community_retention": """
        create table marts.mart_community_retention as
        select * from (values ('cm_001', '2026-10-26'::date, 0, 20, 20, 20, 100.0, 100.0),
                              ('cm_001', '2026-10-26'::date, 1, 20, 9, 12, 45.0, 60.0),
                              ('cm_002', '2026-11-02'::date, 0, 8, 8, 8, 100.0, 100.0))
            as t (community_id, cohort_week, weeks_since_join, cohort_size, retained_members,
                  rolling_retained_members, retention_rate, rolling_retention_rate)""",
}


def test_activity_and_retention_sections_read_the_contract_marts(published):
    world = published
    moved = [t for t in CONTRACT_TABLES if query(world, "select to_regclass(%s)", (f"marts.{t}",))[0][0]]
    for table in moved:
        execute(world, f"alter table marts.{table} rename to {table}_aside")
    try:
        for sql in CONTRACT_TABLES.values():
            execute(world, sql)
        result = materialize("reports/community/daily", DAY.isoformat())
        assert result.success, failure_text(result)
        directory = report_dir(world, "community_daily", DAILY)
        cells = read_csv(directory / "activity_heatmap.csv")
        assert len(cells) == 7 * 24 and {r["hours"] for r in cells} == {"1"}
        monday_9 = next(r for r in cells if (r["weekday"], r["hour_of_day"]) == ("1", "9"))
        assert num(monday_9["online_members_avg"]) == 10.0  # hour 9 + ISO weekday 1
        [best] = [r for r in read_csv(directory / "peak_hours.csv") if r["rank"] == "1"]
        assert (best["weekday"], best["hour_of_day"]) == ("7", "23")
        hours = read_csv(directory / "online_by_hour.csv")
        assert [int(r["hour_utc"]) for r in hours] == list(range(24))
        assert all(r["hour_start"].startswith("2026-11-06") for r in hours)
        retention = read_csv(directory / "retention.csv")
        assert [(r["community_id"], r["weeks_since_join"], num(r["retention_rate"])) for r in retention] == [
            ("cm_001", "0", 100.0), ("cm_001", "1", 45.0), ("cm_002", "0", 100.0)]
        text = pdf_text(directory / "report.pdf")
        assert "Not available" not in text and "Retention cohorts" in text and "Hourly activity heatmap" in text
        from pypdf import PdfReader

        assert sum(len(page.images) for page in PdfReader(directory / "report.pdf").pages) >= 4  # trend, heatmap,
        # online by hour, retention
        execute(world, "truncate marts.mart_community_retention")
        result = materialize("reports/community/daily", DAY.isoformat())
        assert result.success, failure_text(result)
        assert "Not available: marts.mart_community_retention has no cohorts" in pdf_text(directory / "report.pdf")
    finally:
        for table in CONTRACT_TABLES:
            execute(world, f"drop table if exists marts.{table}")
        for table in moved:
            execute(world, f"alter table marts.{table}_aside rename to {table}")


def ip_addresses(text: str) -> set[str]:
    """Every IPv4 / IPv6 address-looking token (validated by `ipaddress`, so times and dates are not IPs)."""
    found = set()
    for token in re.findall(r"[0-9A-Fa-f:.]{3,}", text):
        for candidate in {token.strip(".:"), token}:
            try:
                ipaddress.ip_address(candidate)
            except ValueError:
                continue
            if "." in candidate and candidate.count(".") != 3:
                continue
            found.add(candidate)
    return found


def test_no_ip_address_in_any_report_file(published):
    assert ip_addresses("from 203.0.113.7 and 2001:db8::1 at 12:00:00 on 2026-11-06") == {"203.0.113.7",
                                                                                         "2001:db8::1"}
    sent = set()
    for path in (published["manifest"].landing / "events").rglob("*.ndjson"):
        sent |= set(re.findall(r'"ip(?:_address)?": ?"([^"]+)"', path.read_text()))
    assert len(sent) > 10  # the simulator does send addresses
    files = [p for p in (published["tmp"] / "reports").rglob("*") if p.is_file()]
    assert len(files) > 20
    for path in files:
        text = pdf_text(path) if path.suffix == ".pdf" else path.read_text()
        assert not ip_addresses(text), path
        assert not any(ip in text for ip in sent), path


def test_latest_day_assets_run_in_the_transform_job(published):
    """`tidemark run` materializes the transform job: it holds the latest-day community reports; the
    report of a day without data says so (unknown), it does not fail."""
    from orchestration.definitions import TRANSFORM_JOB, build_definitions
    from tidemark.runtime import WiredRuntime

    defs = build_definitions(WiredRuntime())
    keys = {key.to_user_string() for key in defs.resolve_job_def(TRANSFORM_JOB).asset_layer.executable_asset_keys}
    assert {"reports/community_analytics", "reports/community_daily", "reports/community_geo"} <= keys
    crons = {s.name: (s.cron_schedule, s.execution_timezone) for s in defs.schedules}
    assert crons["community_analytics_report_schedule"][0] == "0 3 * * *"
    assert crons["community_daily_report_schedule"][0] == "30 3 * * *"
    assert crons["community_geo_report_schedule"][0] == "0 4 * * *"
    result = dg.materialize([a for a in defs.assets if dg.AssetKey(["reports", "community_daily"]) in a.keys],
                            resources={"tidemark": WiredRuntime()},
                            instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    assert result.success, failure_text(result)
    directory = report_dir(published, "community_daily", ("2026-11-13", "2026-11-19"))  # SIM_NOW 11-20: day 11-19
    [summary] = read_csv(directory / "summary.csv")
    assert summary["days_with_data"] == "0" and summary["sessions"] == "" and summary["api_requests"] == ""
    assert "No data for 13\u201319 Nov" in (directory / "summary.txt").read_text()
