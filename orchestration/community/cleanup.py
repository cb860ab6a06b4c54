"""Seed 004's cleanup tasks as Dagster assets and schedules (docs/community.md "Retention and cleanup").

`community_cleanup` (02:00 UTC daily): raw community events past `community.raw_retention_days` whose
days every incremental community model has built, then rollup rows past `rollup_retention_days`.
`community_error_cleanup` (04:30 UTC daily): details of error logs resolved more than
`resolved_error_retention_days` ago, once mart_error_logs counts them. Which models must vouch for a
day comes from dbt's manifest: every model configured by `community_incremental` (the macro); a community
table built any other way from raw would lose history, so its presence stops the raw cleanup.
"""


import json
from pathlib import Path

import dagster as dg

from ingestion.community.cleanup import cleanup_raw_events, cleanup_resolved_errors, prune_rollups
from orchestration.resources import Tidemark
from orchestration.transform.dbt import dbt_project

RAW_SOURCE = "source.tidemark.community.community_events"
CLEANUP_JOB, ERROR_CLEANUP_JOB = "community_cleanup_job", "community_error_cleanup_job"


def community_rollups(manifest_path: Path) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """From dbt's manifest: the incremental community models ({name: (schema.table, day SQL)}) and the
    other tables built from raw community events (which the raw cleanup would rob of history)."""
    manifest = json.loads(Path(manifest_path).read_text())
    nodes, children = manifest["nodes"], manifest["child_map"]
    incremental, plain = {}, set()
    # (model, reached only through a stored table): below a stored table, models read that table, not
    # raw — a table over the rollups (retention over int_community__member_days) is rebuilt whole from them
    seen, queue = set(), [(uid, False) for uid in children.get(RAW_SOURCE, [])]
    while queue:
        uid, via_stored = queue.pop()
        if (uid, via_stored) in seen or not uid.startswith("model."):
            continue
        seen.add((uid, via_stored))
        node = nodes[uid]
        settings = node["config"].get("community_rebuild")
        stored = node["config"].get("materialized") in ("table", "incremental")
        if settings:
            incremental[node["name"]] = (f"{node['schema']}.{node['alias'] or node['name']}", settings["day_column"])
        elif stored and not via_stored:
            plain.add(node["name"])
        queue.extend((child, via_stored or stored) for child in children.get(uid, []))
    return incremental, sorted(plain)


@dg.asset(key=["ops", "community_cleanup"], group_name="community_ops",
          description="Deletes raw community events past raw_retention_days once every incremental community "
                      "model has built their day, then rollup rows past rollup_retention_days.")
def community_cleanup(context: dg.AssetExecutionContext, tidemark: Tidemark) -> dg.MaterializeResult:
    runtime = tidemark.runtime()
    config = runtime.workspace.community
    if config is None:
        return dg.MaterializeResult(metadata={"skipped": "this workspace has no community section"})
    incremental, plain = community_rollups(dbt_project().manifest_path)
    today = runtime.settings.now().date()
    runtime.prepare_warehouse([])
    with runtime.connect() as conn:
        if plain:
            blocked = (f"community tables built from raw without community_incremental (their history would be "
                       f"lost): {', '.join(plain)}")
            context.log.warning(f"raw cleanup skipped: {blocked}")
            metadata = {"events_deleted": 0, "days_deleted": 0, "blocked": blocked}
        else:
            report = cleanup_raw_events(conn, today=today, retention_days=config.raw_retention_days,
                                        models=sorted(incremental))
            for day, reason in report.waiting.items():
                context.log.info(f"{day} kept: {reason}")
            metadata = {"events_deleted": report.events_deleted, "days_deleted": len(report.days_deleted),
                        "days_waiting": len(report.waiting), "cutoff": report.cutoff.isoformat(),
                        "blocked": report.blocked or ""}
        # The public rollups; the state tables in staging (first joins, registrations, errors) stay.
        pruned = prune_rollups(conn, today=today, retention_days=config.rollup_retention_days,
                               tables=[(table, day) for table, day in incremental.values()
                                       if table.startswith("marts.")])
    metadata["rollup_rows_deleted"] = sum(pruned.values())
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(key=["ops", "community_error_cleanup"], group_name="community_ops",
          description="Removes the details of error logs resolved more than resolved_error_retention_days ago "
                      "once mart_error_logs counts their resolution.")
def community_error_cleanup(tidemark: Tidemark) -> dg.MaterializeResult:
    runtime = tidemark.runtime()
    config = runtime.workspace.community
    if config is None:
        return dg.MaterializeResult(metadata={"skipped": "this workspace has no community section"})
    runtime.prepare_warehouse([])
    with runtime.connect() as conn:
        report = cleanup_resolved_errors(conn, now=runtime.settings.now(),
                                         retention_days=config.resolved_error_retention_days)
    return dg.MaterializeResult(metadata={"logs_trimmed": report.logs_trimmed, "waiting": report.waiting,
                                          "resolved_before": report.resolved_before.isoformat()})


def cleanup_defs() -> dg.Definitions:
    """The two assets, a job each, and seed 004's schedules (cleanup 02:00, resolved-error cleanup 04:30)."""
    jobs, schedules = [], []
    for name, asset, cron in ((CLEANUP_JOB, community_cleanup, "0 2 * * *"),
                              (ERROR_CLEANUP_JOB, community_error_cleanup, "30 4 * * *")):
        job = dg.define_asset_job(name, selection=dg.AssetSelection.assets(asset), tags={"domain": "community"})
        jobs.append(job)
        schedules.append(dg.ScheduleDefinition(job=job, cron_schedule=cron, execution_timezone="UTC",
                                               default_status=dg.DefaultScheduleStatus.RUNNING))
    return dg.Definitions(assets=[community_cleanup, community_error_cleanup], jobs=jobs, schedules=schedules)
