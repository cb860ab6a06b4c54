"""Per-platform ingestion jobs and their schedules."""


from datetime import timedelta

import dagster as dg

from orchestration.partitions import daily_partitions, partition_range_tags
from orchestration.tags import PLATFORM_TAG


def ingestion_job(asset: dg.AssetsDefinition, platform: str):
    return dg.define_asset_job(
        f"ingest_{platform}_job",
        selection=dg.AssetSelection.assets(asset),  # includes the GX checks of its raw tables
        partitions_def=daily_partitions,
        description=f"Sync every {platform} account of the workspace into raw.{platform}_* and validate it.",
        tags={"domain": "social", "platform": platform, PLATFORM_TAG: platform},
    )


def schedule_window(tick_date, lookback_days: int) -> tuple[str, str]:
    """Partition range a scheduled run asks for: the last `lookback_days` days up to the tick's day."""
    start = tick_date - timedelta(days=max(lookback_days - 1, 0))
    return start.isoformat(), tick_date.isoformat()


def ingestion_schedule(job, platform: str, cron: str, lookback_days: int, timezone: str) -> dg.ScheduleDefinition:
    @dg.schedule(name=f"ingest_{platform}_schedule", cron_schedule=cron, job=job, execution_timezone="UTC",
                 default_status=dg.DefaultScheduleStatus.RUNNING,
                 description=f"{platform}: sync every account ({cron}, UTC), re-reading {lookback_days} days.")
    def _schedule(context: dg.ScheduleEvaluationContext):
        start, end = schedule_window(context.scheduled_execution_time.date(), lookback_days)
        return dg.RunRequest(run_key=f"{platform}-{context.scheduled_execution_time.isoformat()}",
                             tags=partition_range_tags(start, end))

    return _schedule
