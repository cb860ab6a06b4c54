"""Shared setup of the community dbt tests: simulated files → real ingestion → real dbt, and queries.

Used by test_community_dbt.py (5 days) and test_community_marts.py (5 weeks). Also holds the breaks that make
the engagement marts' data tests fail, because test_community_dbt's "every data test can fail" runs them too.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from core.warehouse.schema import migrate
from ingestion.community import LocalFolder, ingest_landing, load_reference

SELECT = ["staging.community", "intermediate.community", "marts.community"]


def load(runtime, manifest, faults: dict) -> None:
    """The real file ingestion (manifest, dedupe on message_id, quarantine of malformed lines)."""
    source = LocalFolder(manifest.landing)
    with runtime.connect() as conn:
        migrate(conn, [])
        load_reference(conn, source)
        result = ingest_landing(conn, source, "test-run", runtime.settings.model_copy(update={"ip_mode": "truncate"}))
    assert result.rejected == faults.get("malformed", 0) and result.duplicates == faults.get("duplicates", 0)


def dbt(*args: str, target: Path) -> subprocess.CompletedProcess:
    tidemark = Path(sys.executable).with_name("tidemark")
    return subprocess.run([str(tidemark), "dbt", "--", *args, "--target-path", str(target)],
                          capture_output=True, text=True, timeout=900)


def rows(runtime, query: str) -> list[tuple]:
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(query)
        return cur.fetchall()


def execute(runtime, sql: str) -> None:
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(sql)
        conn.commit()


def _first(table: str, offset: int = 0) -> str:
    return f"ctid = (select ctid from marts.{table} order by ctid limit 1 offset {offset})"


# Each break makes specific data tests of the engagement marts fail (any data with a few rows will do).
ENGAGEMENT_BREAKS = [
    # the incremental rollups under them: duplicate keys
    "insert into staging.int_community__member_days select * from staging.int_community__member_days limit 1",
    "insert into staging.int_community__hourly select * from staging.int_community__hourly limit 1",
    # mart_community_user_daily: duplicate key; online time not whole sample points (singular)
    "insert into marts.mart_community_user_daily select * from marts.mart_community_user_daily limit 1",
    f"update marts.mart_community_user_daily set community_online_time_s = 1 where {_first('mart_community_user_daily')}",
    # mart_community_activity: duplicate key; out-of-range weekday / hour / score, unknown and NULL level;
    # average above the peak (singular)
    "insert into marts.mart_community_activity select * from marts.mart_community_activity limit 1",
    "update marts.mart_community_activity set weekday = 8, hour_of_day = 24, activity_score = 11, "
    f"activity_level = 'bogus', online_members_avg = online_members_peak + 1 where {_first('mart_community_activity')}",
    f"update marts.mart_community_activity set activity_level = null where {_first('mart_community_activity', 5)}",
    # mart_community_retention: duplicate key; rates out of range; more retained than the cohort (singular)
    "insert into marts.mart_community_retention select * from marts.mart_community_retention limit 1",
    "update marts.mart_community_retention set retention_rate = 101, rolling_retention_rate = -1, "
    f"retained_members = cohort_size + 1 where {_first('mart_community_retention')}",
    # mart_community_stickiness: duplicate key; rate and coverage out of range; dau above mau (singular)
    "insert into marts.mart_community_stickiness select * from marts.mart_community_stickiness limit 1",
    "update marts.mart_community_stickiness set stickiness_pct = 101, mau_coverage_days = 0, dau = mau + 1 "
    f"where {_first('mart_community_stickiness')}",
]
