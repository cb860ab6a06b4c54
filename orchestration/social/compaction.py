"""Compaction of the social raw snapshots as a Dagster asset and schedule (docs/retention.md).

`social_compaction` (03:00 UTC daily): superseded raw snapshots older than
`retention.compact_after_days` whose days the fact models have built (ingestion/compaction.py), then
VACUUM of the tables it touched. Metadata: rows removed per table, bytes freed (pg_total_relation_size
of the raw tables before and after), days still waiting for a build.
"""

import dagster as dg

from ingestion.compaction import compact_raw, reclaim, relation_bytes
from ingestion.registry import all_raw_tables
from orchestration.resources import Tidemark

COMPACTION_JOB = "social_compaction_job"


@dg.asset(key=["ops", "social_compaction"], group_name="social_ops",
          description="Deletes superseded social raw snapshots older than retention.compact_after_days once the "
                      "daily facts have built their days; keeps what a full rebuild reads.")
def social_compaction(context: dg.AssetExecutionContext, tidemark: Tidemark) -> dg.MaterializeResult:
    runtime = tidemark.runtime()
    config = runtime.workspace.retention
    tables = all_raw_tables()
    runtime.prepare_warehouse(tables)
    with runtime.connect() as conn:
        before = relation_bytes(conn, tables)
        report = compact_raw(conn, today=runtime.settings.now().date(),
                             compact_after_days=config.compact_after_days, tables=tables)
        if report.deleted:
            reclaim(conn, sorted(report.deleted), full=config.vacuum_full)
        after = relation_bytes(conn, tables)
    for table, days in report.waiting.items():
        context.log.info(f"raw.{table}: {len(days)} old days kept until the facts are built "
                         f"({days[0]} … {days[-1]})")
    if report.blocked:
        context.log.warning(f"compaction skipped: {report.blocked}")
    freed = {table: before[table] - after.get(table, 0) for table in before}
    return dg.MaterializeResult(metadata={
        "rows_deleted": report.rows_deleted,
        "rows_deleted_per_table": {table: sum(days.values()) for table, days in sorted(report.deleted.items())},
        "bytes_before": sum(before.values()),
        "bytes_after": sum(after.values()),
        "bytes_freed": sum(freed.values()),
        "bytes_freed_per_table": {table: freed[table] for table in sorted(report.deleted)},
        "cutoff": report.cutoff.isoformat(),
        "days_waiting": sum(map(len, report.waiting.values())),
        "blocked": report.blocked or "",
    })


def compaction_defs() -> dg.Definitions:
    """The asset, its job and the daily schedule (03:00 UTC: after the night's syncs and builds)."""
    job = dg.define_asset_job(COMPACTION_JOB, selection=dg.AssetSelection.assets(social_compaction),
                              tags={"domain": "social"})
    schedule = dg.ScheduleDefinition(job=job, cron_schedule="0 3 * * *", execution_timezone="UTC",
                                     default_status=dg.DefaultScheduleStatus.RUNNING)
    return dg.Definitions(assets=[social_compaction], jobs=[job], schedules=[schedule])
