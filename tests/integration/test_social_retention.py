"""Compaction of the social raw snapshots (docs/retention.md) on a real warehouse.

One module world: Instagram (lifetime snapshots: daily values from snapshot differences) and YouTube
(daily reports re-read in a lookback window) synced from the simulator three times a day at different
clocks for a week, so records pile up superseded snapshots; the social marts built by real dbt. Then
the scheduled asset compacts with a one-day age, and a full rebuild must give the same marts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import dagster as dg
import pytest

from ingestion.compaction import KEEP, compact_raw
from orchestration.social.compaction import compaction_defs, social_compaction
from tests.helpers import module_database
from tests.truth_harness import dbt_build, run_timeline
from tidemark.runtime import WiredRuntime

PLATFORMS = ("instagram", "youtube")
SYNCS = [datetime(2026, 11, 12, 1, 40, tzinfo=UTC) + timedelta(days=day, hours=hours)
         for day in range(7) for hours in (0, 8, 15)]
TODAY = SYNCS[-1].date()  # compact_after_days 1: every day before yesterday is old enough
CONFIG = """
workspace: {id: ret, name: Retention, timezone: Europe/Madrid, simulated: true}
platforms:
  youtube:
    accounts:
      - id: UCretentionChannel000001
        credentials: {client_id_env: T_YT_ID, client_secret_env: T_YT_SECRET, refresh_token_env: T_YT_REFRESH}
  instagram:
    accounts:
      - id: "17841400000000777"
        credentials: {access_token_env: T_IG_TOKEN}
retention:
  compact_after_days: 1
  vacuum_full: true
"""


@pytest.fixture(scope="module")
def world(pg_server_url, tmp_path_factory):
    from tidemark.runtime import load_runtime

    tmp = tmp_path_factory.mktemp("retention")
    (tmp / "tidemark.yaml").write_text(CONFIG)
    env = {"TIDEMARK_HOME": str(tmp / "home"), "TIDEMARK_REPORTS_DIR": str(tmp / "reports"),
           "TIDEMARK_CONFIG": str(tmp / "tidemark.yaml"), "TIDEMARK_SIM_SEED": "11",
           "TIDEMARK_SIM_HISTORY_DAYS": "20", "TIDEMARK_INITIAL_SYNC_DAYS": "20"}
    with module_database(pg_server_url, env), pytest.MonkeyPatch.context() as mp:
        log = run_timeline(mp, SYNCS, platforms=PLATFORMS)
        assert log.failures == []
        yield load_runtime(), tmp


def rows(runtime, statement: str, params=None) -> list[tuple]:
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchall()


def fingerprints(runtime) -> dict[str, tuple]:
    """Row count and md5 of every table in `marts` (the full content, rows in text order)."""
    tables = [name for (name,) in rows(runtime, "select table_name from information_schema.tables "
                                                "where table_schema = 'marts' order by 1")]
    return {table: rows(runtime, f"select count(*), md5(coalesce(string_agg(t::text, '|' order by t::text), '')) "
                                 f"from marts.{table} as t")[0] for table in tables}


def raw_rows(runtime, table: str) -> list[tuple]:
    """(raw_id, account, record key, fetched_at, kind) of every row of a raw table."""
    kind = KEEP[table].kind
    return rows(runtime, f"select raw_id, account_id, record_key, fetched_at, {kind} from raw.{table}")


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def test_compaction_then_full_rebuild_gives_the_same_marts(world, tmp_path):
    runtime, _ = world
    tables = sorted(KEEP)
    with runtime.connect() as conn:  # nothing built yet: no watermark, nothing deleted
        refused = compact_raw(conn, today=TODAY, compact_after_days=1, tables=tables)
    assert refused.blocked and "fct_post_metrics_daily" in refused.blocked and refused.rows_deleted == 0

    assert dbt_build(runtime, tmp_path / "first") == ""
    before = fingerprints(runtime)
    assert {"fct_post_metrics_daily", "fct_account_metrics_daily", "mart_account_metrics_monthly"} <= set(before)
    raw_before = {table: raw_rows(runtime, table) for table in tables}

    result = dg.materialize([social_compaction], resources={"tidemark": WiredRuntime()})
    assert result.success
    meta = result.asset_materializations_for_node("ops__social_compaction")[0].metadata
    per_table = meta["rows_deleted_per_table"].value
    removed = meta["rows_deleted"].value
    total = sum(map(len, raw_before.values()))
    # many superseded snapshots: both platforms, the snapshot readings and the re-read report days
    assert removed > total / 4, (removed, total)
    assert per_table.get("instagram_media_insights", 0) > 0 and per_table.get("youtube_video_daily", 0) > 0
    assert meta["bytes_freed"].value > 0 and meta["bytes_after"].value < meta["bytes_before"].value
    assert meta["blocked"].value == ""
    recorded = dict(rows(runtime, "select raw_table, sum(rows_deleted)::int from ops.social_compactions group by 1"))
    assert recorded == per_table

    cutoff = TODAY - timedelta(days=1)
    for table in tables:
        after = raw_rows(runtime, table)
        assert_kept_what_a_rebuild_reads(table, raw_before[table], after, cutoff)
        assert len(raw_before[table]) - len(after) == per_table.get(table, 0)

    assert dbt_build(runtime, tmp_path / "rebuild") == ""  # --full-refresh from the compacted raw
    after = fingerprints(runtime)
    assert after == before, sorted(name for name in before if after.get(name) != before[name])

    with runtime.connect() as conn:  # idempotent
        again = compact_raw(conn, today=TODAY, compact_after_days=1, tables=tables)
    assert again.rows_deleted == 0 and again.blocked is None and again.waiting == {}


def assert_kept_what_a_rebuild_reads(table: str, before: list[tuple], after: list[tuple], cutoff: date) -> None:
    """Independently of the SQL: per record, the newest row stays; with day_edges, the first and last
    reading of every (kind, UTC day) stay; with first, the first reading of each kind; rows of days
    from the cutoff on all stay; every other old row went."""
    keep = KEEP[table]
    records = defaultdict(list)
    for row in before:
        records[(row[1], row[2])].append(row)
    expected = set()
    for readings in records.values():
        expected.add(max(readings, key=lambda r: r[0])[0])
        expected.add(max(readings, key=lambda r: (r[3], r[0]))[0])
        by_day, by_kind = defaultdict(list), defaultdict(list)
        for row in readings:
            by_day[(row[4], utc_day(row[3]))].append(row)
            by_kind[row[4]].append(row)
            if utc_day(row[3]) >= cutoff:
                expected.add(row[0])
        for group in by_day.values() if keep.day_edges else []:
            edges = {min(r[3] for r in group), max(r[3] for r in group)}
            expected |= {r[0] for r in group if r[3] in edges}
        for group in by_kind.values() if keep.first else []:
            first = min(r[3] for r in group)
            expected |= {r[0] for r in group if r[3] == first}
    assert {row[0] for row in after} == expected, table


def test_a_day_loaded_after_the_last_build_is_kept(world):
    """A newer snapshot arrives for an old day after the build: that day waits (its superseded rows and
    the new one stay) until the facts are built again; other tables' days are unaffected."""
    runtime, _ = world
    day, key, account, last = rows(runtime, """
        select (fetched_at at time zone 'UTC')::date, record_key, account_id, max(fetched_at)
        from raw.instagram_media_insights where not payload ? 'unavailable' and fetched_at < %s
        group by 1, 2, 3 order by 1, 2 limit 1""", (TODAY - timedelta(days=1),))[0]
    with runtime.connect() as conn, conn, conn.cursor() as cur:
        cur.execute("""insert into raw.instagram_media_insights
                           (account_id, record_key, payload, payload_hash, endpoint, run_id, fetched_at)
                       select account_id, record_key, payload, 'late', endpoint, 'late-run', fetched_at + interval '1 second'
                       from raw.instagram_media_insights
                       where record_key = %s and account_id = %s and fetched_at = %s""", (key, account, last))
    kept_before = rows(runtime, "select count(*) from raw.instagram_media_insights where record_key = %s "
                                "and (fetched_at at time zone 'UTC')::date = %s", (key, day))[0][0]
    assert kept_before >= 2  # the former last reading, now superseded, and the late one
    with runtime.connect() as conn:
        report = compact_raw(conn, today=TODAY, compact_after_days=1, tables=sorted(KEEP))
    assert report.waiting == {"instagram_media_insights": [day]}
    assert "instagram_media_insights" not in report.deleted
    assert rows(runtime, "select count(*) from raw.instagram_media_insights where record_key = %s "
                         "and (fetched_at at time zone 'UTC')::date = %s", (key, day))[0][0] == kept_before


def test_settings_and_schedule():
    from core.workspace import RetentionConfig

    with pytest.raises(ValueError, match="facts_days"):
        RetentionConfig(facts_days=365)
    with pytest.raises(ValueError, match="compact_after_days"):
        RetentionConfig(compact_after_days=0)
    assert RetentionConfig().facts_days == 730 and RetentionConfig().compact_after_days == 35
    crons = {schedule.job_name: schedule.cron_schedule for schedule in compaction_defs().schedules}
    assert crons == {"social_compaction_job": "0 3 * * *"}
