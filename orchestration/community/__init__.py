"""The community domain in Dagster: first-party event files → raw (this package), the community
dbt models, their checks. `defs()` returns all of it; the root merges it beside `social`."""

import dagster as dg

from orchestration.community.checks import gx_community_events
from orchestration.community.cleanup import cleanup_defs
from orchestration.community.ingestion import community_events, event_checks
from orchestration.community.schedules import schedule_defs
from orchestration.transform.dbt import dbt_models

# The community models by folder (dbt's dotted folder selector); the social selection excludes them.
DBT_SELECT = "staging.community intermediate.community marts.community"
INGEST_JOB = "ingest_community_job"


def defs() -> dg.Definitions:
    job = dg.define_asset_job(INGEST_JOB, selection=dg.AssetSelection.assets(community_events),
                              description="Read new community event files into raw.community_events.",
                              tags={"domain": "community"})
    # Seed 004's task table: community activity every 15 minutes.
    schedule = dg.ScheduleDefinition(job=job, cron_schedule="*/15 * * * *", execution_timezone="UTC",
                                     default_status=dg.DefaultScheduleStatus.RUNNING)
    models = dbt_models("community_dbt_models", DBT_SELECT)
    return dg.Definitions.merge(
        dg.Definitions(assets=[community_events, models], asset_checks=[*event_checks(), gx_community_events],
                       jobs=[job], schedules=[schedule]),
        schedule_defs(models, job, DBT_SELECT),  # seed 004's tasks, the day rebuilds (backfills), the landing sensor
        cleanup_defs(),  # raw events of compacted days, resolved error details (seed 004: 02:00, 04:30)
    )
