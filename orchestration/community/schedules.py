"""Community schedules: seed 004's task table (one per task job) and the daily rebuild of late days.

The ingestion of new files is `ingest_community_job` (every 15 minutes, and the landing sensor).
Every cron is UTC. Builds queue behind each other (the transform tag and the dbt advisory lock).
"""

from __future__ import annotations

import dagster as dg

from orchestration.community.jobs import rebuild_job, task_jobs
from orchestration.community.partitions import REBUILD_LOOKBACK_DAYS, lookback_range
from orchestration.community.sensors import landing_sensor
from orchestration.partitions import partition_range_tags

REBUILD_CRON = "30 1 * * *"  # before the 02:00 cleanup and the 03:00 reports


def task_schedule(task, job) -> dg.ScheduleDefinition:
    return dg.ScheduleDefinition(name=f"community_{task.name}_schedule", job=job, cron_schedule=task.cron,
                                 execution_timezone="UTC", default_status=dg.DefaultScheduleStatus.RUNNING,
                                 description=f"Seed 004 {task.description} ({task.cron}, UTC).")


def rebuild_schedule(job) -> dg.ScheduleDefinition:
    @dg.schedule(name="community_rebuild_schedule", cron_schedule=REBUILD_CRON, job=job, execution_timezone="UTC",
                 default_status=dg.DefaultScheduleStatus.RUNNING,
                 description=f"Rebuild the last {REBUILD_LOOKBACK_DAYS} event days in one run: late deliveries "
                             "folded into their day.")
    def _schedule(context: dg.ScheduleEvaluationContext):
        start, end = lookback_range(context.scheduled_execution_time.date())
        return dg.RunRequest(run_key=f"community-rebuild-{end}", tags=partition_range_tags(start, end))

    return _schedule


def schedule_defs(models: dg.AssetsDefinition, ingest_job, select: str) -> dg.Definitions:
    """Task jobs and schedules, the partitioned rebuild (backfills) and the landing sensor."""
    jobs = task_jobs(models)
    rebuild = rebuild_job(select)
    return dg.Definitions(jobs=[*jobs.values(), rebuild],
                          schedules=[*(task_schedule(task, job) for task, job in jobs.items()), rebuild_schedule(rebuild)],
                          sensors=[landing_sensor(ingest_job)])
